"""The same store class over an embedded Chroma and over a real `chroma run` server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.embeddings import Embedder
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.store import VectorStore

PROTOCOL = """# Resolving professional differences

## Stage one
Talk to the other practitioner within two working days of the disagreement.

## Stage two
If it is not resolved, each practitioner tells their line manager, who meet within five working days.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start within 60 s")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_ingest_and_answer_through_a_chroma_server(
    tmp_path: Path, chroma_server: int, write_doc, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "rpd.md", PROTOCOL, id="rpd", title="RPD protocol", type="protocol")
    settings = Settings(
        data_dir=tmp_path / "data", corpus_dir=corpus, chroma_host="127.0.0.1", chroma_port=chroma_server
    )
    assistant = Assistant(settings, embedder)

    report = assistant.ingest()
    answer = assistant.ask("How long do line managers have to meet at stage two?")

    assert report.added == ["rpd"]
    assert not (settings.data_dir / "chroma").exists()  # nothing went to an embedded store
    assert VectorStore.from_settings(settings).count() == report.chunks_total
    assert answer.answered and "five working days" in answer.answer
    assert answer.citations[0].section == "Resolving professional differences > Stage two"
