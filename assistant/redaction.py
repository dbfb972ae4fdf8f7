"""Redaction of what identifies a person in a practitioner's question, before it may reach a log."""

from __future__ import annotations

import re

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# NHS numbers: 10 digits, often written 3-3-4 with spaces or dashes.
NHS_NUMBER = re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")
# UK phone numbers: +44 or 0, then 9-10 more digits in groups (spaces, dashes, brackets).
PHONE = re.compile(r"(?:\+44\s?\(?0?\)?|\(?0)\d{2,4}\)?(?:[ -]?\d){6,8}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")

# Words after which the next word is a name: any word after "named", "called", a title; a capitalised word
# after "child", "baby", "pupil"… ("my child has…" stays readable). The name is captured in a lookahead, so
# "my pupil called tyler" finds both cues.
STRONG_CUES = re.compile(r"\b(?:named|called|known as|Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?=([A-Za-z][\w'-]*))", re.IGNORECASE)
WEAK_CUES = re.compile(
    r"\b(?:child|baby|boy|girl|pupil|student|son|daughter|brother|sister|mum|dad|mother|father)\s+(?=([A-Z][\w'-]*))",
    re.IGNORECASE,
)
CUE_WORDS = frozenset("named called known as mr mrs ms miss mx dr".split())
POSSESSIVE_FAMILY = re.compile(
    r"\b([A-Za-z][\w-]*)'s\s+(?:mum|mother|dad|father|parents?|carer|sibling|brother|sister|nan|gran|stepdad)\b",
    re.IGNORECASE,
)
CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'-]*\b")

# Capitalised words practitioners type that are not names: kept so logs stay readable.
KNOWN_WORDS = frozenset(
    """
    i i'm i've i'd i'll a an the what how when where who which why can could should would do does is are
    if in on at for to of and or but with about my our we you your they their this that there please
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december police nhs gp school schools college nursery academy
    hospital council court social care children children's services health education partnership
    safeguarding lscp sscp mash lado rpd dsl dbs ofsted cafcass camhs send ehcp cp cin cpp icpc rcpc
    early help toolkit neglect graded profile working together keeping safe framework section stage
    local authority designated lead officer manager head teacher teacher nurse midwife visitor
    worker practitioner team board panel review reviews rapid national child protection plan meeting
    conference strategy discussion referral assessment front door out hours duty emergency ambulance
    somerset england uk english
    """.split()
)


def redact(text: str, known_words: set[str] | frozenset[str] = frozenset()) -> str:
    """The text with emails, phone, NHS numbers, postcodes, dates and probable names replaced by tags."""
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone]", text)
    text = NHS_NUMBER.sub("[nhs-number]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = DATE.sub("[date]", text)
    known = KNOWN_WORDS | {w.lower() for w in known_words}
    text = _replace_names(text, [*STRONG_CUES.finditer(text), *WEAK_CUES.finditer(text)], known)
    text = POSSESSIVE_FAMILY.sub(lambda m: "[name]" + m.group(0)[m.end(1) - m.start(0) :], text)

    def name_or_word(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if word.lower() in known or word.lower().removesuffix("'s") in known else "[name]"

    return CAPITALISED.sub(name_or_word, text)


def _replace_names(text: str, cues: list[re.Match[str]], known: frozenset[str]) -> str:
    """Replace the word each cue points at (group 1), unless it is a cue itself or a known word."""
    spans = sorted({m.span(1) for m in cues if m.group(1).lower() not in CUE_WORDS | known})
    for start, end in reversed(spans):
        text = text[:start] + "[name]" + text[end:]
    return text
