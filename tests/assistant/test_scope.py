"""Near misses: a question's years and names must be mentioned by the passages its answer cites."""

from __future__ import annotations

import pytest

from assistant.scope import mentions, question_terms, unsupported_terms, years

SOMERSET = (
    "Somerset Safeguarding Children Partnership annual report 2022-23\nRapid reviews\n"
    "Year | Number of Rapid Reviews\n2021 - 2022 | 6\n2022 - 2023 | 7\n"
    "Concerns go to the Local Authority Designated Officer within one working day."
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("in 2022-23", ["2022", "2023"]),
        ("2020 - 2021 and 2019/20", ["2020", "2021", "2019", "2020"]),
        ("from 2024", ["2024"]),
        ("pages 2020-1999", ["2020"]),  # not a range: only the first year counts
    ],
)
def test_years_and_ranges(text: str, found: list[str]) -> None:
    assert years(text) == found


def test_question_terms_are_years_names_and_acronyms() -> None:
    terms = question_terms("How many RPDs did Dorset's partnership see in 2024-25, and what did Ofsted say?")
    assert terms == ["2024", "2025", "RPD", "Dorset", "Ofsted"]
    assert question_terms("What is the role of the designated safeguarding lead?") == []
    assert question_terms("Which staff must read Part one?") == ["Part"]


def test_acronyms_match_the_initials_of_their_words() -> None:
    assert mentions(SOMERSET, "LADO")
    assert mentions(SOMERSET, "somerset")
    assert not mentions(SOMERSET, "NSPCC")


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("How many rapid reviews did Somerset complete in 2022-23?", []),
        ("How many rapid reviews were there in 2021-2022?", []),
        ("How quickly must the LADO be told?", []),
        ("How many rapid reviews did Dorset do in 2022-23?", ["Dorset"]),
        ("How many rapid reviews did Somerset complete in 2024-25?", ["2024", "2025"]),
        ("What does the Wales Safeguarding Procedures say?", ["Wales", "Procedures"]),
    ],
)
def test_unsupported_terms(question: str, missing: list[str]) -> None:
    assert unsupported_terms(question, SOMERSET) == missing
