"""A second reading of a weakly evidenced answer: the cross-encoder judges whether the answer shown answers the
question. The answerer's evidence is similarity and shared words, so a question the guidance does not cover ("What
should I wear to a child protection conference?") can reach it through a passage that shares its words."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.rerank import get_cross_encoder

_MARKERS = re.compile(r"\s*\[\d+\]")
# The question and the answer's opening, in word pieces: the rest is cut off (it halves the cost of a long answer).
CHECKED_LENGTH = 128


def load_checker() -> None:
    """Load the cross-encoder now (about a quarter of a second), not at the first answer it reads."""
    get_cross_encoder(CHECKED_LENGTH)


# `_vetted` may read the home area's national answer, then `Assistant._draft` reads it again (the same question)
@lru_cache(maxsize=1024)
def answer_relevance(question: str, answer: str) -> float:
    """The cross-encoder's logit for the answer's text (its citation markers left out) as an answer to the
    question: higher is more relevant; well below zero, it answers something else."""
    return float(get_cross_encoder(CHECKED_LENGTH).score(question, [_MARKERS.sub("", answer)])[0])
