"""Follow-up questions in a conversation carry the earlier question's topic, and only when they need it."""

from __future__ import annotations

from assistant.followup import needs_context, with_earlier_questions


def test_follow_up_keeps_its_own_words_first_and_adds_the_earlier_topic() -> None:
    asked = with_earlier_questions(
        "What happens at stage 2?", ["How do I escalate a disagreement under the RPD protocol?"]
    )
    assert asked.startswith("What happens at stage 2? (")
    assert {"escalate", "disagreement", "RPD", "protocol"} <= set(asked.strip(")").split("(")[1].split())


def test_the_most_recent_earlier_question_comes_first_and_words_are_not_repeated() -> None:
    asked = with_earlier_questions(
        "And who chairs it?",
        ["How does a rapid review work?", "When is a rapid review meeting held?"],
    )
    carried = asked.split("(")[1].rstrip(")").split()
    assert carried[:3] == ["rapid", "review", "meeting"]
    assert carried.count("review") == 1


def test_a_question_that_stands_on_its_own_is_asked_as_it_is() -> None:
    question = "What training must designated safeguarding leads complete every two years?"
    assert not needs_context(question)
    assert with_earlier_questions(question, ["How do I escalate via RPD?"]) == question


def test_nothing_earlier_means_nothing_added() -> None:
    assert with_earlier_questions("  What about   stage 3? ", []) == "What about stage 3?"
    assert with_earlier_questions("What about stage 3?", ["", "  "]) == "What about stage 3?"


def test_referring_words_and_openers_need_context() -> None:
    assert needs_context("Who chairs it?")
    assert needs_context("What about the police?")
    assert needs_context("Stage 2?")
