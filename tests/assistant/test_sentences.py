"""Sentence splitting, shared by the chunker and the answerer: abbreviations never end a sentence."""

from __future__ import annotations

import pytest

from assistant.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call the LADO. Then record it.", ["Call the LADO.", "Then record it."]),
        ("Is it urgent? Act now! Record later.", ["Is it urgent?", "Act now!", "Record later."]),
        ("Contact the LADO, e.g. by phone. Then write.", ["Contact the LADO, e.g. by phone.", "Then write."]),
        ("Ask Dr. Smith first. She decides.", ["Ask Dr. Smith first.", "She decides."]),
        ("See para. 4 for details. It is short.", ["See para. 4 for details.", "It is short."]),
        ("The U.K. government agreed. It acted.", ["The U.K. government agreed.", "It acted."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("Seven reviews were held. 3 were published.", ["Seven reviews were held.", "3 were published."]),
        (
            "No capital after the stop. then this stays joined.",
            ["No capital after the stop. then this stays joined."],
        ),
        ("  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_splitting_keeps_every_character_of_the_text() -> None:
    text = "One sentence here. Another, i.e. a second one! A third? Yes. Version 2.1 is out."
    assert " ".join(split_sentences(text)) == text
