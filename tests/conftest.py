"""Shared fixtures: the real embedding model, a real Chroma store in a temporary folder, and one
ingest of the bundled corpus per session (it takes about a minute)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from net import free_port

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


def _write_doc(folder: Path, name: str, text: str, **meta: str | list[str]) -> Path:
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


def _chroma_is_up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The port of a real Chroma server on 127.0.0.1: the one `.ci/run` started
    (ASSISTANT_TEST_CHROMA_PORT), else a `chroma run` of our own for the session."""
    given = os.environ.get("ASSISTANT_TEST_CHROMA_PORT")
    if given:
        if not _chroma_is_up(int(given)):
            pytest.fail(f"ASSISTANT_TEST_CHROMA_PORT={given} is set but no Chroma server answers there")
        yield int(given)
        return
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _chroma_is_up(port):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("chroma run did not start within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def unique_collection() -> str:
    """A collection name of its own, so tests sharing one Chroma server never see each other's data."""
    return f"test-{uuid.uuid4().hex[:12]}"
