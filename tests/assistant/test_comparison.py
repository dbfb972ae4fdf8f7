"""Questions asking how two things differ: which two things, and one answer made of each thing's answer."""

from __future__ import annotations

import pytest

from assistant.answer import Draft
from assistant.comparison import answered_apart, compared, merge
from assistant.schema import Citation


@pytest.mark.parametrize(("question", "things"), [
    ("whats the difference between early help and child in need", ["early help", "child in need"]),
    ("What is the difference between a section 17 assessment and a section 47 enquiry?",
     ["section 17 assessment", "section 47 enquiry"]),
    ("differences between the LADO and the DSL?", ["LADO", "DSL"]),
    ("How is a low-level concern different from an allegation?", ["low-level concern", "allegation"]),
    ("how does early help differ from statutory services", ["early help", "statutory services"]),
])
def test_the_two_things_compared_are_found_and_each_is_asked_what_it_is(question: str, things: list[str]) -> None:
    assert [(t.name, t.question) for t in compared(question)] == [(t, f"What is {t}?") for t in things]


@pytest.mark.parametrize(("question", "asked"), [
    ("Compare the number of rapid reviews and RPDs in 2022-23",
     [("rapid reviews", "How many rapid reviews in 2022-23?"), ("RPDs", "How many RPDs in 2022-23?")]),
    ("compare the numbers of referrals with the number of assessments",
     [("referrals", "How many referrals?"), ("assessments", "How many assessments?")]),
])
def test_numbers_compared_are_each_counted_for_the_period_asked(question: str, asked: list[tuple[str, str]]) -> None:
    assert [(t.name, t.question) for t in compared(question)] == asked


@pytest.mark.parametrize(("question", "asked"), [
    ("How many rapid reviews and RPDs were there in 2022-23?",
     [("rapid reviews", "How many rapid reviews were there in 2022-23?"),
      ("RPDs", "How many RPDs were there in 2022-23?")]),
    ("how many rapid reviews and how many RPDs in 2022-23",
     [("rapid reviews", "How many rapid reviews in 2022-23?"), ("RPDs", "How many RPDs in 2022-23?")]),
    ("How many boys and girls attended", [("boys", "How many boys attended?"), ("girls", "How many girls attended?")]),
])
def test_two_things_counted_at_once_are_each_counted_with_the_rest_of_the_question(
    question: str, asked: list[tuple[str, str]]
) -> None:
    assert [(t.name, t.question) for t in compared(question)] == asked


@pytest.mark.parametrize("question", [
    "How do I resolve professional differences with another agency?",
    "How many referrals were made and accepted?",  # one thing, two verbs
    "How many children and young people were on child protection plans?",  # one group
    "How many rapid reviews did the partnership complete in 2022-23?",
    "Compare the rapid reviews of 2021-22 and 2022-23",  # one thing, two years
    "What are the enablers and outcomes of the national framework?",
    "What difference does early help make to families?",
    "Is there a difference between neglect and abuse in how I should make a referral?",  # no longer a thing
])
def test_other_questions_compare_nothing(question: str) -> None:
    assert compared(question) == []


def _citation(n: int, document: str, quote: str) -> Citation:
    return Citation(n=n, document=document, title=document, section="S", page=1, url="https://example.org",
                    quote=quote)


def test_each_things_answer_is_given_under_its_name_with_citations_numbered_once() -> None:
    shared = "Help is support for children."
    first = Draft(text="Early help is support. [1] It is voluntary. [2]", answered=True, evidence=0.6,
                  citations=[_citation(1, "wt", shared), _citation(2, "wt", "It is voluntary.")])
    second = Draft(text="A child in need is defined in law. [1] Help is support for children. [2]", answered=True,
                   evidence=0.4, citations=[_citation(1, "kcsie", "A child in need …"), _citation(2, "wt", shared)])
    draft = merge([("early help", first), ("child in need", second)])
    assert draft.text == ("Early help: Early help is support. [1] It is voluntary. [2]\n\n"
                          "Child in need: A child in need is defined in law. [3] Help is support for children. [1]")
    assert [(c.n, c.document) for c in draft.citations] == [(1, "wt"), (2, "wt"), (3, "kcsie")]
    assert draft.answered and draft.evidence == 0.4


def test_things_answered_with_the_same_quotes_are_not_answered_apart() -> None:
    shared = [_citation(1, "wt", "Seven children were on plans.")]
    own = [_citation(1, "wt", "Seven reviews were completed.")]
    same = Draft(text="Seven children were on plans. [1]", answered=True, citations=shared, evidence=0.5)
    other = Draft(text="Seven reviews were completed. [1]", answered=True, citations=own, evidence=0.5)
    refused = Draft(text="", answered=False)
    assert answered_apart([("reviews", other), ("children", same)])
    assert not answered_apart([("children", same), ("pupils", same)])  # one answer, given twice
    assert not answered_apart([("reviews", other), ("RPDs", refused)])
