"""The same store class over an embedded Chroma and over a real `chroma run` server."""

from __future__ import annotations

from pathlib import Path

from assistant.embeddings import Embedder
from assistant.pipeline import Assistant
from assistant.settings import Settings
from ingest.index import active_store

PROTOCOL = """# Resolving professional differences

## Stage one
Talk to the other practitioner within two working days of the disagreement.

## Stage two
If it is not resolved, each practitioner tells their line manager, who meet within five working days.
"""


def test_ingest_and_answer_through_a_chroma_server(
    tmp_path: Path, chroma_server: int, unique_collection: str, write_doc, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "rpd.md", PROTOCOL, id="rpd", title="RPD protocol", type="protocol")
    settings = Settings(
        data_dir=tmp_path / "data", corpus_dir=corpus, chroma_host="127.0.0.1", chroma_port=chroma_server,
        collection=unique_collection,
    )
    assistant = Assistant(settings, embedder)

    report = assistant.ingest()
    answer = assistant.ask("How long do line managers have to meet at stage two?")

    assert report.added == ["rpd"]
    assert not (settings.data_dir / "chroma").exists()  # nothing went to an embedded store
    assert active_store(settings).count() == report.chunks_total
    assert answer.answered and "five working days" in answer.answer
    assert answer.citations[0].section == "Resolving professional differences > Stage two"
