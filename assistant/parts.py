"""A question asking two things at once ("Which agency chairs the Executive, and does the chair rotate?"): its
parts, so that the answer quotes what answers the second as well as the first."""

from __future__ import annotations

import re

# ", and does …", ", and what …", ", and by when …": a second question joined to the first.
_SECOND = re.compile(r",\s*and\s+(?=(?:what|how|when|who|which|why|where|whether|by when|is|are|does|do|did|should"
                     r"|must|can|could|will|would)\b)", re.I)
PART_WORDS = 3  # each part this long at least
# "…, and why was it low?", "…, and how did that compare …?": a part pointing back to the first asks nothing of its own.
_POINTS_BACK = re.compile(r"\b(?:it|its|that|this|these|those|they|them|their)\b", re.I)


def second_part(question: str) -> str | None:
    """The second of two questions asked in one ("… straight away, and what do I need to do afterwards?" → "what do
    I need to do afterwards?"); none for a question asking one thing, or whose second part points back to the first
    ("…, and why was it low?": it is read with the first)."""
    joined = _SECOND.search(question)
    if not joined:
        return None
    first, second = question[: joined.start()], question[joined.end() :]
    if len(first.split()) < PART_WORDS or len(second.split()) < PART_WORDS or _POINTS_BACK.search(second):
        return None
    return second
