"""Questions asking how two things differ ("What's the difference between early help and child in need?") or to
compare their numbers ("Compare the number of rapid reviews and RPDs in 2022-23", "How many rapid reviews and RPDs
were there?"), answered a thing at a time: one search and one answer for each, so that neither is lost to the
other."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer import Draft
from assistant.schema import Citation

_ARTICLE = r"(?:(?:a|an|the)\s+)?"
_THING = r"(?P<{}>[^?,;]{{2,60}}?)"
# "the difference between A and B", "differences between A and B", "how is A different from B",
# "how does A differ from B"
_PATTERNS = [
    re.compile(rf"\bdifferen(?:ce|ces)\s+between\s+{_ARTICLE}{_THING.format('a')}\s+and\s+{_ARTICLE}"
               rf"{_THING.format('b')}\s*(?:[?.!]|$)", re.I),
    re.compile(rf"\bhow\s+(?:is|are|does|do)\s+{_ARTICLE}{_THING.format('a')}\s+(?:differ|different)\s+"
               rf"(?:from|to)\s+{_ARTICLE}{_THING.format('b')}\s*(?:[?.!]|$)", re.I),
]
# "compare the number of A and B in 2022-23", "compare the numbers of A with the number of B": each is counted, in
# the period asked about.
_COUNTS = re.compile(
    rf"\bcompare\s+the\s+numbers?\s+of\s+{_ARTICLE}{_THING.format('a')}\s+(?:and|with|to|against)\s+"
    rf"(?:the\s+numbers?\s+of\s+)?{_ARTICLE}{_THING.format('b')}"
    r"(?:\s+(?P<period>(?:in|during|for|over|across|between|since)\s+[^?]+?))?\s*(?:[?.!]|$)", re.I)
# "How many rapid reviews and RPDs were there in 2022-23?": each is counted, asked with the rest of the question
# ("How many rapid reviews were there in 2022-23?"). A thing is a few words, none a verb, past participle or
# preposition, which start the rest ("How many referrals were made and accepted?" counts one thing).
_REST_WORD = (r"(?:were|was|did|do|does|are|is|have|has|had|got|get|there|in|during|for|over|across|between|since|at"
              r"|on|by|to|of|from|with|per|each|and)")
_NOUN = rf"(?!{_REST_WORD}\b)(?![\w'’-]*ed\b)[\w'’-]+"
_HOW_MANY_EACH = re.compile(
    rf"\bhow\s+many\s+(?P<a>{_NOUN}(?:\s+{_NOUN}){{0,3}})\s+and\s+(?:how\s+many\s+)?(?P<b>{_NOUN}(?:\s+{_NOUN}){{0,3}})"
    r"(?P<rest>\s+[^?]*?)?\s*(?:[?.!]|$)", re.I)
# Pairs the guidance names as one group ("How many children and young people …" counts one group, not two).
_ONE_GROUP = re.compile(r"^(?:children and (?:young people|families)|parents and carers|staff and volunteers"
                        r"|children in care and care leavers)$", re.I)
_MOST_WORDS = 6  # a thing is named in a few words; more is a question of its own ("… abuse in how I should refer")
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Thing:
    """One of the things compared: its name, and the question its answer is found with."""

    name: str
    question: str


def compared(question: str) -> list[Thing]:
    """The two things the question asks to tell apart ("early help", "child in need": "What is early help?"), or
    whose numbers it compares or asks for at once ("rapid reviews", "RPDs": "How many rapid reviews in 2022-23?");
    none if neither."""
    counted = _COUNTS.search(question)
    if counted:
        period = f" {' '.join(counted.group('period').split())}" if counted.group("period") else ""
        return _things(counted, lambda name: f"How many {name}{period}?")
    each = _HOW_MANY_EACH.search(question)
    if each and not _ONE_GROUP.match(f"{each.group('a')} and {each.group('b')}"):
        rest = " ".join(each.group("rest").split()) if each.group("rest") else ""
        return _things(each, lambda name: f"How many {name}{' ' + rest if rest else ''}?")
    for pattern in _PATTERNS:
        m = pattern.search(question)
        if m:
            return _things(m, lambda name: f"What is {name}?")
    return []


def _things(m: re.Match[str], ask: Callable[[str], str]) -> list[Thing]:
    names = [" ".join(m.group("a").split()), " ".join(m.group("b").split())]
    return [Thing(name, ask(name)) for name in names] if all(len(n.split()) <= _MOST_WORDS for n in names) else []


def answered_apart(parts: list[tuple[str, Draft]]) -> bool:
    """Whether each thing has an answer of its own: every part answered, no two quoting the same ("How many
    children and young people …" would give one count of both twice, under two names)."""
    quoted = [frozenset(c.quote for c in draft.citations) for _, draft in parts]
    return all(draft.answered for _, draft in parts) and len(set(quoted)) == len(quoted)


def merge(parts: list[tuple[str, Draft]]) -> Draft:
    """One answer from each thing's answer, each under its name ("Early help: …"), citations numbered once across
    them (a passage cited in both keeps one number). The weaker part's evidence is the whole answer's."""
    citations: list[Citation] = []
    number: dict[tuple[str, str, int | None, str], int] = {}
    paragraphs: list[str] = []
    for thing, draft in parts:
        renumbered: dict[int, int] = {}
        for c in draft.citations:
            key = (c.document, c.section, c.page, c.quote)
            if key not in number:
                number[key] = len(citations) + 1
                citations.append(c.model_copy(update={"n": number[key]}))
            renumbered[c.n] = number[key]
        text = _MARKER.sub(lambda m, new=renumbered: f"[{new.get(int(m.group(1)), int(m.group(1)))}]", draft.text)
        paragraphs.append(f"{thing[0].upper()}{thing[1:]}: {text}")
    return Draft(text="\n\n".join(paragraphs), answered=True, citations=citations,
                 evidence=min(d.evidence for _, d in parts))
