"""The `assistant` command: JSON answers, one-line errors, sources, ingest errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.pipeline import Assistant
from assistant.settings import Settings

BUNDLED_IDS = [
    "csc-national-framework-2023",
    "info-sharing-advice-2024",
    "kcsie-2025",
    "sscp-annual-report-2022-23",
    "working-together-2023",
]
CITATION_KEYS = {"n", "title", "section", "page", "url", "quote", "document"}


@pytest.fixture
def runner(
    monkeypatch: pytest.MonkeyPatch, bundled_assistant: Assistant, bundled_settings: Settings
) -> CliRunner:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(bundled_settings.data_dir))
    return CliRunner()


def test_ask_json_prints_one_object_per_question(runner: CliRunner) -> None:
    questions = [
        "How many rapid reviews did the Somerset partnership complete in 2022-23?",
        "What will the weather be like in Taunton tomorrow?",
    ]

    result = runner.invoke(app, ["ask", "--json", *questions])

    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2, result.stdout
    objects = [json.loads(line) for line in lines]
    for question, obj in zip(questions, objects, strict=True):
        assert {"question", "answer", "answered", "citations", "notice"} <= set(obj)
        assert "timings" not in obj
        assert obj["question"] == question
    answered, refused = objects
    assert answered["answered"] is True and "seven Rapid Reviews" in answered["answer"]
    assert answered["citations"] and all(set(c) >= CITATION_KEYS for c in answered["citations"])
    assert answered["citations"][0]["document"] == "sscp-annual-report-2022-23"
    assert refused["answered"] is False and refused["citations"] == []
    assert answered["notice"] is None and refused["notice"] is None


def test_ask_json_carries_the_emergency_notice(runner: CliRunner, emergency_text: str) -> None:
    result = runner.invoke(
        app,
        ["ask", "--json", "A child has just told me her stepdad hit her, she is scared to go home tonight"],
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notice"] == emergency_text


def test_ask_prints_answer_and_sources_for_people(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["ask", "How many rapid reviews did the Somerset partnership complete in 2022-23?"]
    )

    assert result.exit_code == 0, result.output
    assert "seven Rapid Reviews" in result.stdout
    assert "Sources" in result.stdout and "[1]" in result.stdout


def test_ask_an_empty_question_fails_with_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", ""])

    assert result.exit_code != 0
    assert result.stdout == ""
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "empty" in errors[0], result.stderr


def test_ask_answers_the_good_questions_even_when_one_is_empty(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["ask", "--json", "", "How many rapid reviews did the Somerset partnership complete?"]
    )

    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 1


def test_ask_with_a_bad_year_filter_fails_cleanly(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "--since", "1200", "What is neglect?"])

    assert result.exit_code == 1
    assert "bad filter" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_sources_lists_the_five_documents(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sources"])

    assert result.exit_code == 0, result.output
    assert len([line for line in result.stdout.splitlines() if "20" in line]) >= 5
    for doc_id in BUNDLED_IDS:
        assert doc_id in result.stdout


def test_sources_on_an_empty_index_says_to_ingest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))

    result = CliRunner().invoke(app, ["sources"])

    assert result.exit_code == 1
    assert "assistant ingest" in result.stderr


def test_ingest_a_missing_folder_fails_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))

    result = CliRunner().invoke(app, ["ingest", "/nonexistent"])

    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, result.stderr
    assert "/nonexistent" in errors[0] and "no such file or folder" in errors[0]
    assert not isinstance(result.exception, FileNotFoundError)


def test_ingest_a_folder_reports_what_it_did(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_doc
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    corpus = tmp_path / "corpus"
    write_doc(
        corpus,
        "lado.md",
        "# LADO\n\nAllegations against staff go to the LADO within one working day.",
        id="lado",
        title="LADO guide",
    )
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")

    result = CliRunner().invoke(app, ["ingest", str(corpus)])

    assert result.exit_code == 0, result.output
    assert "1 added" in result.stderr and "1 failed" in result.stderr
    assert "broken.pdf" in result.stderr
