"""Keyword tokens: the same for chunks and questions, whichever way a number or a year range is written."""

from __future__ import annotations

from assistant.keyword import KeywordIndex, tokenize


def test_a_number_reads_the_same_in_words_and_figures() -> None:
    # KCSIE: "… can be categorised into four areas of risk"; a practitioner types "the 4 Cs of online safety"
    assert tokenize(["four areas of risk", "seven Rapid Reviews"]) == tokenize(["4 areas of risk", "7 Rapid Reviews"])
    assert tokenize(["2022-23"]) == tokenize(["2022 - 2023"])


def test_a_question_with_a_figure_finds_the_passage_that_writes_it_in_words() -> None:
    index = KeywordIndex.build(
        ["risks", "resources"],
        ["Online safety risks fall into four areas: content, contact, conduct and commerce.",
         "Online safety resources and tools for schools."],
        generation=1,
    )
    assert index.search("the 4 Cs of online safety", 1)[0][0] == "risks"


def test_passages_with_counts_the_rows_that_hold_a_token() -> None:
    index = KeywordIndex.build(
        ["a", "b", "c"],
        ["Staff should wear lanyards.", "A child protection conference.", "The conference agrees a plan."],
        generation=1,
    )
    wear, conference = tokenize(["wearing conferences"])[0]
    assert index.passages_with(wear) == 1
    assert index.passages_with(conference) == 2
    assert index.passages_with(tokenize(["babysit"])[0][0]) == 0
    assert KeywordIndex.build([], [], generation=1).passages_with(wear) == 0
