"""Sentence boundaries, shared by the chunker (never split mid-sentence) and the extractive answerer."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "no", "nos", "st", "vs", "para", "paras", "fig", "cf",
    "approx", "inc", "ltd", "co", "sec", "s", "ch", "vol", "pp", "p", "art", "reg", "regs", "min", "max",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(•\-–]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; abbreviations like 'e.g.' and 'Dr.' do not end a sentence."""
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        # Only the last word matters, so look back a little, not to `start` (linear on "A. B. C. …").
        before = text[max(start, match.start() - 64) : match.start()].rstrip("\"”’)")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        stem = last_word.rstrip(".!?").lower().lstrip("(\"“‘")
        if last_word.endswith(".") and (stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())):
            continue
        piece = text[start : match.end()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
