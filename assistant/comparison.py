"""Questions asking how two things differ ("What's the difference between early help and child in need?"),
answered a thing at a time: one search and one answer for each, so that neither is lost to the other."""

from __future__ import annotations

import re

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
_MOST_WORDS = 6  # a thing is named in a few words; more is a question of its own ("… abuse in how I should refer")
_MARKER = re.compile(r"\[(\d+)\]")


def compared(question: str) -> list[str]:
    """The two things the question asks to tell apart ("early help", "child in need"), or none."""
    for pattern in _PATTERNS:
        m = pattern.search(question)
        if m:
            things = [" ".join(m.group("a").split()), " ".join(m.group("b").split())]
            return things if all(len(t.split()) <= _MOST_WORDS for t in things) else []
    return []


def part_question(thing: str) -> str:
    """What is asked about each thing: what the guidance says it is."""
    return f"What is {thing}?"


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
