"""Incremental ingest into a real Chroma store: only what changed is embedded, nothing is lost."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from assistant.embeddings import Embedder, passage_embedder
from assistant.settings import Settings
from ingest.chunking import embedding_text
from ingest.index import IngestError, active_store, ingest_corpus, ingest_lock
from ingest.manifest import Manifest

ESCALATION = """# Escalation protocol

## Raising a concern
Any practitioner who disagrees with a decision about a child should first talk to the worker involved.

## Escalating to managers
If the disagreement is not resolved within five working days, it goes to the line managers of both workers.

## Final stage
Unresolved cases go to the partnership business manager, who convenes a resolution meeting.
"""
TRAINING = """# Training offer

## Courses
The partnership runs an Advanced Child Protection course twice a month for all practitioners.

## E-learning
An introduction to safeguarding is available online and takes about ninety minutes.
"""
NEGLECT = (
    "Neglect is the persistent failure to meet a child's basic physical or psychological needs.\n\n"
    "Practitioners should use the graded care profile to assess neglect.\n"
)
DOC_IDS = ["escalation", "neglect", "training"]


@pytest.fixture
def corpus(tmp_path: Path, write_doc) -> Path:
    root = tmp_path / "corpus"
    write_doc(
        root, "escalation.md", ESCALATION, id="escalation", title="Escalation protocol", type="protocol"
    )
    write_doc(root, "training.md", TRAINING, id="training", title="Training offer", type="report")
    write_doc(root / "sub", "neglect.txt", NEGLECT, id="neglect", title="Neglect guidance")
    return root


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


def _manifest_chunk_ids(settings: Settings) -> set[str]:
    manifest = Manifest(settings.manifest_path)
    try:
        return manifest.chunk_ids()
    finally:
        manifest.close()


def _store_ids(settings: Settings) -> set[str]:
    return active_store(settings).ids()


def _of(doc_id: str, ids: set[str]) -> set[str]:
    return {i for i in ids if i.startswith(f"{doc_id}:")}


def test_first_ingest_adds_everything_and_a_second_embeds_nothing(
    settings: Settings, embedder: Embedder
) -> None:
    first = ingest_corpus(settings, embedder=embedder)

    assert sorted(first.added) == DOC_IDS
    assert not (first.updated or first.unchanged or first.removed or first.failed)
    ids = _manifest_chunk_ids(settings)
    assert len(_of("escalation", ids)) == 3, "one chunk per section"
    assert first.chunks_embedded == first.chunks_total == len(ids)
    assert _store_ids(settings) == ids

    second = ingest_corpus(settings, embedder=embedder)

    assert sorted(second.unchanged) == DOC_IDS
    assert not (second.added or second.updated or second.removed or second.failed)
    assert second.chunks_embedded == 0
    assert _manifest_chunk_ids(settings) == ids == _store_ids(settings)
    assert "0 chunks embedded" in second.summary()


def test_editing_a_file_reembeds_only_its_changed_chunks(
    settings: Settings, corpus: Path, embedder: Embedder
) -> None:
    ingest_corpus(settings, embedder=embedder)
    before = _manifest_chunk_ids(settings)
    edited = ESCALATION.replace("five working days", "ten working days")
    (corpus / "escalation.md").write_text(edited, encoding="utf-8")

    report = ingest_corpus(settings, embedder=embedder)

    assert report.updated == ["escalation"]
    assert sorted(report.unchanged) == ["neglect", "training"]
    assert report.chunks_embedded == 1, "only the edited section is embedded again"
    after = _manifest_chunk_ids(settings)
    assert len(after) == len(before)
    assert len(after - before) == 1 and len(before - after) == 1
    assert _store_ids(settings) == after, "the old version's vector is gone from Chroma"
    stored = active_store(settings).collection.get(
        ids=sorted(after - before), include=["documents"]
    )
    assert "ten working days" in stored["documents"][0]


def test_deleting_a_file_removes_its_chunks_everywhere(
    settings: Settings, corpus: Path, embedder: Embedder
) -> None:
    ingest_corpus(settings, embedder=embedder)
    assert _of("training", _store_ids(settings))
    (corpus / "training.md").unlink()
    (corpus / "training.md.meta.toml").unlink()

    report = ingest_corpus(settings, embedder=embedder)

    assert report.removed == ["training"]
    assert sorted(report.unchanged) == ["escalation", "neglect"]
    assert not _of("training", _manifest_chunk_ids(settings))
    assert not _of("training", _store_ids(settings))
    assert _store_ids(settings) == _manifest_chunk_ids(settings)
    manifest = Manifest(settings.manifest_path)
    try:
        assert sorted(manifest.documents()) == ["escalation", "neglect"]
    finally:
        manifest.close()


def test_a_broken_file_is_reported_and_the_others_are_ingested(
    settings: Settings, corpus: Path, embedder: Embedder
) -> None:
    (corpus / "scan.pdf").write_bytes(random.Random(3).randbytes(2048))

    report = ingest_corpus(settings, embedder=embedder)

    assert sorted(report.added) == DOC_IDS
    assert len(report.failed) == 1
    path, reason = report.failed[0]
    assert Path(path).name == "scan.pdf" and "PDF" in reason
    assert "1 failed" in report.summary()
    assert {i.split(":")[0] for i in _store_ids(settings)} == set(DOC_IDS)


def test_rebuild_reembeds_everything(settings: Settings, embedder: Embedder) -> None:
    first = ingest_corpus(settings, embedder=embedder)

    report = ingest_corpus(settings, rebuild=True, embedder=embedder)

    assert sorted(report.updated) == DOC_IDS
    assert report.chunks_embedded == report.chunks_total == first.chunks_total
    assert _store_ids(settings) == _manifest_chunk_ids(settings)


def test_a_document_that_becomes_corrupt_keeps_its_old_chunks(
    settings: Settings, corpus: Path, embedder: Embedder
) -> None:
    ingest_corpus(settings, embedder=embedder)
    before = _manifest_chunk_ids(settings)
    (corpus / "training.md").write_bytes("Formation: café crème".encode("latin-1"))

    report = ingest_corpus(settings, embedder=embedder)

    assert [Path(p).name for p, _ in report.failed] == ["training.md"]
    assert "UTF-8" in report.failed[0][1]
    assert report.removed == [] and "training" not in report.updated
    assert _manifest_chunk_ids(settings) == before
    assert _store_ids(settings) == before


def test_one_file_can_be_added_without_dropping_the_rest(
    settings: Settings, tmp_path: Path, embedder: Embedder, write_doc
) -> None:
    ingest_corpus(settings, embedder=embedder)
    extra = write_doc(
        tmp_path / "elsewhere",
        "lado.md",
        "# LADO\n\nAllegations against staff go to the LADO.",
        id="lado",
        title="LADO",
    )

    report = ingest_corpus(settings, root=extra, embedder=embedder)

    assert report.added == ["lado"] and report.removed == []
    assert {i.split(":")[0] for i in _store_ids(settings)} == {*DOC_IDS, "lado"}


def test_duplicate_ids_are_reported(settings: Settings, corpus: Path, write_doc, embedder: Embedder) -> None:
    write_doc(corpus, "zz-copy.md", TRAINING, id="training", title="Training offer (copy)")

    report = ingest_corpus(settings, embedder=embedder)

    assert [Path(p).name for p, _ in report.failed] == ["zz-copy.md"]
    assert "duplicate document id 'training'" in report.failed[0][1]


def test_a_second_concurrent_ingest_is_refused(settings: Settings, embedder: Embedder) -> None:
    with ingest_lock(settings.data_dir):
        with pytest.raises(IngestError, match="another ingest is already running"):
            ingest_corpus(settings, embedder=embedder)
    assert not settings.manifest_path.exists(), "the refused ingest wrote nothing"

    report = ingest_corpus(settings, embedder=embedder)  # the lock is released afterwards
    assert sorted(report.added) == DOC_IDS


def test_an_empty_corpus_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    (tmp_path / "empty").mkdir()
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "empty")

    with pytest.raises(IngestError, match="no documents found"):
        ingest_corpus(settings, embedder=embedder)


def test_a_new_title_is_reflected_in_the_stored_vectors(
    settings: Settings, corpus: Path, embedder: Embedder
) -> None:
    ingest_corpus(settings, embedder=embedder)
    sidecar = corpus / "training.md.meta.toml"
    sidecar.write_text(
        sidecar.read_text().replace("Training offer", "Workforce development"), encoding="utf-8"
    )

    report = ingest_corpus(settings, embedder=embedder)

    assert report.updated == ["training"]
    manifest = Manifest(settings.manifest_path)
    try:
        info = manifest.documents()["training"][0]
        chunks = [c for c in manifest.chunks() if c.doc_id == "training"]
    finally:
        manifest.close()
    assert info.title == "Workforce development"
    stored = active_store(settings).collection.get(
        ids=[c.id for c in chunks], include=["embeddings"]
    )
    by_id = dict(zip(stored["ids"], stored["embeddings"], strict=True))
    old = passage_embedder(settings.dense_model, embedder).encode(
        [embedding_text(info.model_copy(update={"title": "Training offer"}), c) for c in chunks])
    expected = passage_embedder(settings.dense_model, embedder).encode([embedding_text(info, c) for c in chunks])
    for chunk, vector, before in zip(chunks, expected, old, strict=True):
        # The same text in another batch is a near-copy (int8 ONNX); the old title's vector is further off.
        now = float(np.dot(np.asarray(by_id[chunk.id]), vector))
        assert now > 0.99 and now > float(np.dot(np.asarray(by_id[chunk.id]), before)), chunk.id


def test_vectors_lost_by_an_interrupted_ingest_are_restored_by_the_next(
    settings: Settings, embedder: Embedder
) -> None:
    ingest_corpus(settings, embedder=embedder)
    lost = _of("training", _store_ids(settings))
    active_store(settings).delete(sorted(lost))  # as if a rebuild died before re-adding them

    report = ingest_corpus(settings, embedder=embedder)

    assert report.unchanged == DOC_IDS
    assert report.chunks_embedded == len(lost)
    assert _store_ids(settings) == _manifest_chunk_ids(settings)


def test_rebuild_overwrites_vectors_without_emptying_the_store_first(
    settings: Settings, embedder: Embedder
) -> None:
    ingest_corpus(settings, embedder=embedder)
    before = _store_ids(settings)

    report = ingest_corpus(settings, rebuild=True, embedder=embedder)

    assert report.chunks_embedded == len(before)
    assert _store_ids(settings) == before == _manifest_chunk_ids(settings)


def test_another_dense_model_reembeds_everything_with_it(settings: Settings, embedder: Embedder) -> None:
    from assistant.pipeline import index_state

    first = ingest_corpus(settings, embedder=embedder)  # the default: bge-small-en-v1.5
    minilm = settings.model_copy(update={"dense_model": "all-MiniLM-L6-v2"})
    assert index_state(minilm) == "outdated"  # its vectors are bge's

    report = ingest_corpus(minilm, embedder=embedder)

    assert report.chunks_embedded == report.chunks_total == first.chunks_total  # no bge vector reused
    assert index_state(minilm) == "ready" and index_state(settings) == "outdated"
    manifest = Manifest(settings.manifest_path)
    try:
        infos = {doc_id: info for doc_id, (info, _, _) in manifest.documents().items()}
        chunk = next(iter(manifest.chunks()))
    finally:
        manifest.close()
    stored = active_store(minilm).vectors([chunk.id])[chunk.id]
    text = embedding_text(infos[chunk.doc_id], chunk)
    assert float(stored @ embedder.encode([text])[0]) > 0.999
    assert float(stored @ passage_embedder(settings.dense_model, embedder).encode([text])[0]) < 0.9  # not bge's
    assert ingest_corpus(minilm, embedder=embedder).chunks_embedded == 0  # and it stays
