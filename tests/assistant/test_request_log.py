"""The request log: one JSON line per answer; the question only when switched on, and then redacted."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.pipeline import Assistant
from assistant.request_log import log_answer
from assistant.schema import Answer, Citation
from assistant.settings import Settings

QUESTION = "Jayden Smith's mum called from 07700 900123: how do I make a referral to children's social care?"
PRIVATE = ("Jayden", "Smith", "07700", "900123")


def _answer(**changes: object) -> Answer:
    citation = Citation(
        n=1, document="working-together-2023", title="Working together", section="Referrals", page=12,
        url="https://example.org/wt.pdf#page=12", quote="Anyone who has concerns about a child should make a referral.",
    )
    fields: dict[str, object] = {
        "answer_id": "a1b2c3",
        "question": QUESTION,
        "answer": "Anyone who has concerns about a child should make a referral [1].",
        "answered": True,
        "citations": [citation, citation.model_copy(update={"n": 2, "document": "kcsie-2025"})],
        "notice": None,
        "timings": {"embed_ms": 12.5, "retrieve_ms": 30.25, "answer_ms": 4.0},
    }
    return Answer.model_validate(fields | changes)


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "assistant.requests"]


def test_one_json_line_with_ids_timings_and_counts_but_no_question_or_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answer = _answer()
    with caplog.at_level(logging.INFO, logger="assistant.requests"):
        log_answer(answer, Settings(_env_file=None, log_questions=False), "web")

    [record] = [r for r in caplog.records if r.name == "assistant.requests"]
    assert record.levelno == logging.INFO
    assert json.loads(record.getMessage()) == {
        "answer_id": "a1b2c3",
        "channel": "web",
        "answered": True,
        "citations": 2,
        "documents": ["kcsie-2025", "working-together-2023"],
        "notice": False,
        "question_chars": len(QUESTION),
        "timings_ms": {"embed_ms": 12.5, "retrieve_ms": 30.25, "answer_ms": 4.0},
    }
    for private in (*PRIVATE, "referral", "concerns"):
        assert private not in caplog.text


def test_a_refusal_with_a_notice_is_logged_as_such(caplog: pytest.LogCaptureFixture) -> None:
    refusal = _answer(answered=False, citations=[], answer="The guidance does not cover this.", notice="Call 999")
    with caplog.at_level(logging.INFO, logger="assistant.requests"):
        log_answer(refusal, Settings(_env_file=None), "slack")

    [line] = _lines(caplog)
    assert line["channel"] == "slack" and line["answered"] is False and line["notice"] is True
    assert line["citations"] == 0 and line["documents"] == []
    assert "question" not in line and "Call 999" not in caplog.text


def test_question_logging_on_adds_the_question_redacted(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.requests"):
        log_answer(_answer(), Settings(_env_file=None, log_questions=True), "cli")

    [line] = _lines(caplog)
    assert line["question"] == "[name]'s mum called from [phone]: how do I make a referral to children's social care?"
    assert line["question_chars"] == len(QUESTION)
    for private in PRIVATE:
        assert private not in caplog.text


def test_question_logging_is_switched_on_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).log_questions is False
    monkeypatch.setenv("ASSISTANT_LOG_QUESTIONS", "true")
    assert Settings(_env_file=None).log_questions is True


def test_nothing_is_logged_when_the_logger_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="assistant.requests"):
        log_answer(_answer(), Settings(_env_file=None, log_questions=True), "web")
    assert _lines(caplog) == []


# Through the doors' shared pipeline: every answer, streamed or not, writes exactly one line.


def test_by_default_the_log_holds_ids_timings_and_counts_but_no_question(
    bundled_assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.requests"):
        answer = bundled_assistant.ask(QUESTION, channel="web")

    [line] = _lines(caplog)
    assert line["answer_id"] == answer.answer_id and line["channel"] == "web"
    assert line["answered"] == answer.answered and line["citations"] == len(answer.citations)
    assert line["question_chars"] == len(answer.question) and "retrieve_ms" in line["timings_ms"]
    assert "question" not in line
    for private in (*PRIVATE, "referral"):
        assert private not in caplog.text


def test_question_logging_redacts_names_and_numbers(
    bundled_assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    logging_on = bundled_assistant.variant(log_questions=True)
    with caplog.at_level(logging.INFO, logger="assistant.requests"):
        list(logging_on.ask_stream(QUESTION, channel="slack"))

    [line] = _lines(caplog)
    assert line["channel"] == "slack"
    assert "referral to children's social care" in line["question"]
    for private in PRIVATE:
        assert private not in caplog.text
