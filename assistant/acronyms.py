"""Acronyms the corpus spells out ("designated safeguarding lead (DSL)"), so that a question typed as "dsl"
also finds the passages that only use the words."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

_DEFINED = re.compile(r"\((?:[A-Z]{2,}\s+)?([A-Z][A-Za-z]{1,7})\)")  # "(DSL)", "(ICBs)", "(UK GDPR)"
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_JOINERS = {"and", "of", "for", "the", "in", "to", "on", "a", "an", "with"}  # may sit between the letters' words
_LOOKBACK = 120  # characters before "(" searched for the words


def _spelt_out(before: str, letters: str) -> str | None:
    """The words just before an acronym whose initials spell it ("Local Authority Designated Officer" for
    LADO), joiners like "and" or "of" allowed between them; None if they don't."""
    words = _WORD.findall(before)
    taken: list[str] = []
    need = list(letters.lower())
    while words and need:
        word = words.pop()
        if word.lower() in _JOINERS and taken:
            taken.insert(0, word)
        elif word[0].lower() == need[-1]:
            need.pop()
            taken.insert(0, word)
        else:
            return None
    return " ".join(taken).lower() if not need else None


def _key(word: str) -> str:
    """How an acronym is looked up: in capitals, without a plural "s" ("RPDs" → "RPD", "DfE" → "DFE")."""
    plural = len(word) > 2 and word.endswith("s") and any(ch.isupper() for ch in word[1:-1])
    return (word[:-1] if plural else word).upper()


class Acronyms:
    """Each acronym the corpus defines, with its commonest spelling-out."""

    def __init__(self, long_forms: dict[str, str], lower_words: set[str]) -> None:
        self.long_forms = long_forms
        self.lower_words = lower_words  # words the corpus writes in lower case: "us" is a word, "dsl" is not

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Acronyms:
        found: defaultdict[str, Counter[str]] = defaultdict(Counter)
        lower_words: set[str] = set()
        for text in texts:
            lower_words.update(re.findall(r"\b[a-z]+\b", text))
            for m in _DEFINED.finditer(text):
                acronym = _key(m.group(1))
                letters = "".join(ch for ch in m.group(1) if ch.isupper())  # "DfE" is spelt by D… E…
                if len(letters) < 2:
                    continue
                words = _spelt_out(text[max(0, m.start() - _LOOKBACK) : m.start()], letters)
                if words:
                    found[acronym][words] += 1
        return cls({acronym: forms.most_common(1)[0][0] for acronym, forms in found.items()}, lower_words)

    def expand(self, query: str) -> str:
        """The query with the spelling-out of each acronym in it added ("dsl training" → "dsl training
        (designated safeguarding lead)"). An acronym counts in capitals ("DSL", "RPDs") or in lower case when
        the corpus never writes that word in lower case ("dsl", not "us")."""
        added: list[str] = []
        for m in re.finditer(r"\b[A-Za-z]{2,8}\b", query):
            word = m.group(0)
            long_form = self.long_forms.get(_key(word))
            typed_as_acronym = any(ch.isupper() for ch in word[1:]) or word.lower() not in self.lower_words
            if long_form and typed_as_acronym and long_form not in query.lower() and long_form not in added:
                added.append(long_form)
        return f"{query} ({', '.join(added)})" if added else query
