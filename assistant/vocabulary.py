"""Everyday words practitioners type ("kid", "social services", "worried") and the words the guidance uses for the
same things, so that keyword search finds passages that only use the guidance's words."""

from __future__ import annotations

import re

# (what a practitioner may type, what the guidance says instead). English safeguarding usage, not this corpus's:
# a partnership's own documents use the same statutory terms.
_EVERYDAY = [
    (r"kids?", "child children"),
    (r"social services", "children's social care"),
    (r"worr(?:y|ies|ied|ying)", "concerns"),
    (r"(?:worr(?:y|ies|ied|ying)|concern(?:s|ed)?) (?:about|over) (?:a |my |our |another |the )?(?:teacher|colleague"
     r"|member of staff|staff member|coach|tutor|volunteer|TA|teaching assistant)s?", "another staff member"),
    (r"pass(?:es|ed|ing)? (?:it |this |them )?(?:on|along)", "share sharing"),
    (r"tell(?:s|ing)?|told", "inform"),
    (r"info", "information"),
    (r"(?:keep(?:s|ing)? |kept )?(?:it |this |that )?(?:a |as a |their |the )?secrets?|secrecy",
     "confidentiality promise"),
    (r"(?:write|writes|wrote|written|writing|note|jot)(?: (?:it|this|that|anything|something|them|everything|"
     r"things))? down|(?:make|made|making|take|took|taking|keep|kept|keeping) (?:a )?notes?|paper ?trail",
     "record"),
    (r"googl(?:e|es|ed|ing)|(?:search|look)(?:es|ed|ing)? (?:\w+ )?(?:up )?online", "online search"),
    (r"(?:get(?:s|ting)?|got|hear(?:s|d|ing)?) back(?: to (?:me|us|you|them|the referrer))?", "acknowledge"),
    (r"council", "local authority"),
    (r"owners?", "proprietor"),
    (r"head ?teachers?", "headteacher"),
    (r"cops?|coppers?", "police"),
    (r"disagree(?:s|d|ing|ments?)?", "professional differences dispute"),
    (r"hungry|starving|dirty|unwashed|smelly|unkempt|scruffy", "neglect"),
    (r"(?:not (?:been )?(?:seen )?(?:at|in)|off|skipping|skip(?:s|ped)?|missing) (?:school|college|lessons)"
     r"|truan(?:t|ts|cy|ting)", "absent from education missing education"),
    (r"self[- ]?harm(?:s|ed|ing)?|cut(?:s|ting)? (?:her|him|them)sel(?:f|ves)|suicid(?:e|al)"
     r"|(?:end|take|kill) (?:her|his|their|my) (?:own )?li(?:fe|ves)|kill (?:her|him|them|my)sel(?:f|ves)",
     "mental health"),
]
_PATTERNS = [(re.compile(rf"\b(?:{typed})\b", re.IGNORECASE), words) for typed, words in _EVERYDAY]


def in_guidance_words(query: str) -> str:
    """The query with the guidance's words added for each everyday word in it ("worried about a kid" →
    "worried about a kid (concerns, child children)"); unchanged when it has none."""
    added = [words for pattern, words in _PATTERNS if pattern.search(query) and words not in query.lower()]
    return f"{query} ({', '.join(added)})" if added else query


def everyday_words(query: str) -> set[str]:
    """The query's words, lower-cased, that are everyday words the guidance has its own words for ("kid", "info")."""
    typed = [m.group(0) for pattern, _ in _PATTERNS for m in pattern.finditer(query)]
    return {w.lower() for text in typed for w in re.findall(r"\w+", text)}
