"""The request log: one JSON line per answer; the question only when switched on, and then redacted."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.pipeline import Assistant

QUESTION = "Jayden Smith's mum called from 07700 900123: how do I make a referral to children's social care?"


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "assistant.requests"]


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
    logged = caplog.text
    for private in ("Jayden", "Smith", "07700", "referral"):
        assert private not in logged


def test_question_logging_redacts_names_and_numbers(
    bundled_assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    logging_on = bundled_assistant.variant(log_questions=True)
    with caplog.at_level(logging.INFO, logger="assistant.requests"):
        list(logging_on.ask_stream(QUESTION, channel="slack"))

    [line] = _lines(caplog)
    assert line["channel"] == "slack"
    assert "referral to children's social care" in line["question"]
    for private in ("Jayden", "Smith", "07700", "900123"):
        assert private not in caplog.text
