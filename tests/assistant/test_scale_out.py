"""Scale-out, end to end: `assistant serve --workers 2` sharing a real Chroma server keeps answering
while `assistant ingest` runs in another process, then serves the new index without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from net import free_port
from web_corpus import ESCALATION_QUESTION, write_web_corpus

from assistant.embeddings import Embedder
from assistant.pipeline import Assistant
from assistant.settings import Settings

ASSISTANT_CLI = Path(sys.executable).with_name("assistant")
NEW_QUESTION = "What is the code name of the winter safeguarding hotline?"
NEW_FACT = "KESTREL"
NEW_DOC = f"""# Winter arrangements

## Winter hotline

From December the partnership runs a winter safeguarding hotline, code name {NEW_FACT}, for practitioners
who need advice about a child when the usual teams are closed over the holidays.
"""


@pytest.fixture
def settings(tmp_path: Path, chroma_server: int, unique_collection: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", corpus_dir=write_web_corpus(tmp_path / "corpus"),
        chroma_host="127.0.0.1", chroma_port=chroma_server, collection=unique_collection,
        rate_limit_per_minute=0, reload_check_seconds=0.5,
    )


def _environment(settings: Settings) -> dict[str, str]:
    names = ["data_dir", "corpus_dir", "chroma_host", "chroma_port", "collection", "rate_limit_per_minute",
             "reload_check_seconds"]
    return {**os.environ, **{f"ASSISTANT_{n.upper()}": str(getattr(settings, n)) for n in names}}


@pytest.fixture
def server(settings: Settings, embedder: Embedder) -> Iterator[str]:
    """Two uvicorn workers over an index ingested before they start."""
    Assistant(settings, embedder).ensure_index()
    port = free_port()
    process = subprocess.Popen(
        [str(ASSISTANT_CLI), "serve", "--port", str(port), "--workers", "2"], env=_environment(settings),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        ready_in_a_row = 0  # each worker answers /readyz for itself: one ready worker is not both
        while ready_in_a_row < 20:
            assert process.poll() is None, "assistant serve exited"
            assert time.monotonic() < deadline, "the workers were not ready within 240 s"
            try:
                ok = httpx.get(f"{url}/readyz", timeout=5).status_code == 200
            except httpx.HTTPError:
                ok = False
            ready_in_a_row = ready_in_a_row + 1 if ok else 0
            time.sleep(0.1 if ok else 0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ask(url: str, question: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=60)


def test_two_workers_keep_answering_through_a_reingest_and_then_serve_the_new_index(
    server: str, settings: Settings, write_doc
) -> None:
    before = _ask(server, NEW_QUESTION).json()
    assert NEW_FACT not in before["answer"]

    statuses: list[int] = []
    answered: list[bool] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                response = client.post(f"{server}/v1/ask", json={"question": ESCALATION_QUESTION})
                statuses.append(response.status_code)
                answered.append(response.status_code == 200 and response.json()["answered"])

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        write_doc(settings.corpus_dir, "winter.md", NEW_DOC, id="winter", title="Winter arrangements",
                  type="guidance", audience="public", published="2024-11-01")
        ingest = subprocess.run([str(ASSISTANT_CLI), "ingest"], env=_environment(settings),
                                capture_output=True, text=True, timeout=300)
        assert ingest.returncode == 0, ingest.stderr
    finally:
        stop.set()
        asker.join()
    assert statuses and set(statuses) == {200}, "every question during the ingest was answered"
    assert all(answered)

    # Each worker notices the new generation on its own and swaps it in; no restart.
    streak, deadline = 0, time.monotonic() + 90
    while streak < 8:
        assert time.monotonic() < deadline, "the workers did not all serve the new index within 90 s"
        response = _ask(server, NEW_QUESTION)
        assert response.status_code == 200
        streak = streak + 1 if NEW_FACT in response.json()["answer"] else 0
    assert any(c["document"] == "winter" for c in response.json()["citations"])
