"""The words a question turns on that the guidance hardly uses. An answer reached through the question's other words
("What should I wear to a child protection conference?" finds the conference guidance) answers something else when
it does not use them: the guidance never says what to wear."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.definitions import asked_terms
from assistant.keyword import tokenize
from assistant.spelling import english_words
from assistant.vocabulary import everyday_words

_WORD = re.compile(r"[A-Za-z]+")
MIN_LENGTH = 4  # "ok", "got", "wat": short words are informal or typos more often than a question's subject
# Words that name no subject and that the keyword tokenizer's stop words miss: "Was anything identified about …?"
_NAMES_NOTHING = re.compile(
    r"(?:any|some|every|no)(?:thing|one|body|where|how|way|time)s?|(?:what|who|which|when|where|how)(?:so)?ever"
    r"|whether|else|otherwise|anyway"
)


# "… need to be renewed": a past participle after these is what is asked about.
_PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were|get|gets|got|getting)\s+$", re.I)


def unused_words(question: str, answer: str, passages_with: Callable[[str], int], at_most: int) -> list[str]:
    """The question's English words that at most `at_most` passages of the guidance hold (`passages_with` counts
    them, by stem) and the answer does not use (stemmed: "wearing" is "wear"). Not acronyms, typos, words that name
    nothing ("anything"), everyday words that the guidance says in its own words ("kid": child), words a story tells
    in the past tense ("begged"), nor, in a question asking what something is, words outside that thing ("counts"
    in "What counts as a serious incident?")."""
    said = set(tokenize([answer])[0])
    # A question asking what something is turns on that thing, not on how it asks ("What counts as …?").
    asked = asked_terms(question)
    within = set(asked[0]) if asked else None
    english = english_words()
    everyday = everyday_words(question)
    unused: list[str] = []
    for m in _WORD.finditer(question):
        word = m.group(0)
        lower = word.lower()
        if (word in unused or len(lower) < MIN_LENGTH or word.isupper() or lower not in english or lower in everyday
                or _NAMES_NOTHING.fullmatch(lower)):
            continue
        stems = tokenize([lower])[0]  # none for a stop word
        if lower.endswith("ed") and stems and stems[0] != lower and not _PASSIVE.search(question[: m.start()]):
            continue  # told in the past tense: what happened ("… and begged me not to tell anyone"), not what is asked
        if stems and stems[0] not in said and (within is None or stems[0] in within) and passages_with(
                stems[0]) <= at_most:
            unused.append(word)
    return unused
