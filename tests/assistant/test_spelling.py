"""Typos in questions are corrected to the corpus's own words; real words and acronyms are left alone."""

from __future__ import annotations

import pytest

from assistant.spelling import Speller

CORPUS = [
    "The National Framework sets out 3 enablers and 4 outcomes for children's social care.",
    "Designated safeguarding lead training should be refreshed every two years; enables local practice.",
    "Consent is not needed; information sharing does not need consent.",
    "Rapid reviews go to the panel within 15 working days.",
    "Consider overriding their objections; overtime is paid; brushing teeth.",
]


@pytest.fixture
def speller() -> Speller:
    return Speller.from_texts(CORPUS, known_words={"printer", "paper", "arsenal", "training"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("natinal framwork how many enablrs", "national framework how many enablers"),  # nearest, not commonest
        ("rapid reveiws to the panle", "rapid reviews to the panel"),  # swapped letters are one edit
        ("infomation sharing is consent neded", "information sharing is consent needed"),
        ("Natinal Framwork", "National Framework"),  # capitals kept
    ],
)
def test_typos_become_the_corpus_word(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "my printer says paper jam",  # real words the model knows stay, even if the corpus lacks them
        "a recipe for lasagne",  # nothing in the corpus is one edit away with the same first letter
        "her stepdad hit her",  # "stepped" is two edits away: too far for a 7-letter word
        "how many RPDs in 2020-21 at SSCP",  # acronyms and numbers are never touched
        "DSL   training\tspacing kept",
        # English words the corpus and the model lack are no typos, however near a corpus word
        "when can I override their objections",  # one edit from "overtime"
        "a baby with unexplained bruising",  # two from "brushing"
    ],
)
def test_other_words_are_left_alone(speller: Speller, text: str) -> None:
    assert speller.correct(text) == text


def test_a_typo_changing_the_first_letter_is_not_guessed(speller: Speller) -> None:
    assert speller.correct("bational") == "bational"
