"""Shared fixtures: the real embedding model, a real Chroma store in a temporary folder, and one
ingest of the bundled corpus per session (it takes about a minute)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import Embedder, get_embedder
from assistant.pipeline import Assistant
from assistant.settings import PROJECT_ROOT, Settings

CORPUS_DIR = PROJECT_ROOT / "corpus"
PROMPTS_DIR = PROJECT_ROOT / "prompts"
QUESTIONS_PATH = PROJECT_ROOT / "evals" / "questions.jsonl"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder()


@pytest.fixture(scope="session")
def emergency_text() -> str:
    return (PROMPTS_DIR / "emergency.md").read_text(encoding="utf-8").strip()


@pytest.fixture(scope="session")
def not_covered_text() -> str:
    return (PROMPTS_DIR / "not_covered.md").read_text(encoding="utf-8").strip()


@pytest.fixture(scope="session")
def bundled_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("bundled-index"), corpus_dir=CORPUS_DIR)


@pytest.fixture(scope="session")
def bundled_assistant(bundled_settings: Settings, embedder: Embedder) -> Assistant:
    """The bundled corpus ingested once, into a temporary data directory."""
    bot = Assistant(bundled_settings, embedder)
    report = bot.ensure_index()
    assert report is not None and not report.failed, report and report.failed
    return bot


def _write_doc(folder: Path, name: str, text: str, **meta: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if meta:
        lines = [f"{key} = {json.dumps(value)}" for key, value in meta.items()]
        (folder / f"{name}.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def write_doc():
    """write_doc(folder, name, text, **sidecar fields): a document with its `<file>.meta.toml` sidecar."""
    return _write_doc
