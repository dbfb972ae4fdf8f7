"""Correct misspelt question words against the corpus's own words, so "natinal framwork" still finds its passage."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

_WORD = re.compile(r"[A-Za-z][a-z]+")  # lower-case or Capitalised words; ACRONYMS are left alone
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words (pyspellchecker's list, from word frequencies: misspellings are not in it)."""
    return frozenset(SpellChecker(language="en").word_frequency.dictionary)


class Speller:
    """Replaces a question word that is not in the corpus, nor a word the embedding model knows whole, nor an
    English word ("bruising" is not made "brushing", nor "override" "overtime") with the nearest corpus word: one
    edit away (two for long words), with the same first letter (typos rarely change it, and this keeps "stepdad"
    from becoming a corpus word); of equally near words, the one sharing most letters ("enablrs" is "enablers", not
    "enables"), then the commoner."""

    def __init__(self, corpus_words: Counter[str], known_words: Iterable[str] = ()) -> None:
        self.counts = corpus_words
        self.known = {w for w in known_words if w.isalpha()}
        self.english = english_words()  # read once, when the index loads (half a second), not at a question
        self._by_initial: dict[str, list[str]] = {}
        for word in corpus_words:
            if len(word) >= MIN_LENGTH:
                self._by_initial.setdefault(word[0], []).append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str], known_words: Iterable[str] = ()) -> Speller:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        return cls(counts, known_words)

    def correct_word(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.counts or lower in self.known or lower in self.english:
            return word
        choices = self._by_initial.get(lower[0], [])
        limit = 1 if len(lower) < 8 else 2
        near = process.extract(lower, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if not near:
            return word
        best = min(near, key=lambda m: (m[1], -fuzz.ratio(lower, m[0]), -self.counts[m[0]]))[0]
        return best.capitalize() if word[0].isupper() else best

    def correct(self, text: str) -> str:
        """The text with misspelt words corrected; everything else (numbers, acronyms, spacing) kept."""
        return _WORD.sub(lambda m: self.correct_word(m.group(0)), text)
