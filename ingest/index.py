"""Incremental ingest: load, chunk, embed only what changed, then swap the manifest and BM25 in whole."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.embeddings import Embedder, get_embedder
from assistant.keyword import KeywordIndex
from assistant.schema import Chunk, DocumentInfo
from assistant.settings import Settings
from assistant.store import VectorStore
from ingest.chunking import chunk_document, embedding_text
from ingest.corpus import discover
from ingest.loaders import LoaderError, load_document
from ingest.manifest import Manifest, chunk_metadata

# Bump when loaders or chunking change what a file turns into: every document is then re-chunked on
# the next ingest (only chunks whose text changed are re-embedded, since chunk ids hash their text).
PIPELINE_VERSION = "4"


class IngestError(Exception):
    """An ingest that cannot start (no corpus, another ingest running); the message says what to do."""


class IngestProgress(Protocol):
    def embedding_started(self, total: int) -> None: ...

    def embedded(self, count: int) -> None: ...


@dataclass
class IngestReport:
    """What an ingest did, for the summary line and for tests."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed; {self.chunks_embedded} chunks embedded, "
            f"{self.chunks_total} in the index; {self.seconds:.1f} s"
        )


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data directory; a second one is refused, not queued."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "ingest.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestError(f"another ingest is already running on {data_dir}; wait for it to finish") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ingest_corpus(
    settings: Settings,
    root: Path | None = None,
    rebuild: bool = False,
    progress: IngestProgress | None = None,
    embedder: Embedder | None = None,
) -> IngestReport:
    """Bring the index in line with root (a folder it mirrors, or one file to add or update)."""
    started = time.perf_counter()
    root = root or settings.corpus_dir
    with ingest_lock(settings.data_dir):
        report = IngestReport()
        files = discover(root, settings)
        if not files:
            raise IngestError(f"{root}: no documents found; add .pdf, .docx, .html, .md or .txt files")
        store = VectorStore.from_settings(settings)
        with Manifest(settings.manifest_path) as manifest:
            _ingest(settings, root, rebuild, files, manifest, store, embedder, progress, report)
    report.seconds = time.perf_counter() - started
    return report


def _ingest(settings, root, rebuild, files, manifest, store, embedder, progress, report) -> None:  # noqa: ANN001
    known = manifest.documents()
    rechunk = rebuild or (bool(known) and manifest.get_meta("pipeline_version") != PIPELINE_VERSION)
    changed: list[tuple[DocumentInfo, list[Chunk]]] = []
    seen_ids: set[str] = set()
    embedder = embedder or get_embedder()
    for item in files:
        if item.info is None:
            report.failed.append((str(item.path), item.error or "unreadable"))
            continue
        info = item.info
        if info.id in seen_ids:
            report.failed.append((str(item.path), f"duplicate document id '{info.id}'; set a unique id in its sidecar"))
            continue
        seen_ids.add(info.id)
        previous = known.get(info.id)
        if previous and not rechunk and _same(previous[0], info):
            report.unchanged.append(info.id)
            continue
        try:
            blocks = load_document(item.path)
            chunks = chunk_document(info, blocks, embedder.count_tokens_many, settings.chunk_tokens)
        except (LoaderError, ValueError) as exc:
            reason = exc.reason if isinstance(exc, LoaderError) else str(exc)
            report.failed.append((str(item.path), reason))
            continue
        changed.append((info, chunks))
        (report.updated if previous else report.added).append(info.id)

    removed = [] if root.is_file() else sorted(set(known) - seen_ids)
    report.removed = removed

    # Chunks of unchanged documents that the store lacks (an ingest or rebuild killed half way) are
    # embedded again, so every interrupted ingest is completed by the next one.
    unchanged = set(report.unchanged)
    infos = {doc_id: info for doc_id, (info, _, _) in known.items()}
    repair = [(infos[c.doc_id], c) for c in manifest.chunks() if c.doc_id in unchanged]
    pending = [(info, c) for info, chunks in changed for c in chunks] + repair
    _write_vectors(settings, store, pending, rebuild, embedder, progress, report)
    generation = manifest.replace(changed, removed, meta={"pipeline_version": PIPELINE_VERSION})
    current = manifest.chunk_ids()
    stale = store.ids() - current
    if stale:
        store.delete(sorted(stale))
    build_keyword_index(settings, manifest, generation)
    report.chunks_total = len(current)


def _same(old: DocumentInfo, new: DocumentInfo) -> bool:
    return old.model_dump(exclude={"path"}) == new.model_dump(exclude={"path"})


def _write_vectors(settings, store, pending, rebuild, embedder, progress, report) -> None:  # noqa: ANN001
    """Embed chunks the store lacks (all of them on a rebuild); re-use vectors of chunks it has, since a
    chunk id hashes exactly the text that was embedded. Vectors are overwritten, never dropped first, so
    a rebuild killed half way still leaves a searchable store."""
    existing = set() if rebuild else store.ids()
    unchanged = set(report.unchanged)
    todo = [(info, c) for info, c in pending if c.id not in existing]
    keep = [(info, c) for info, c in pending if c.id in existing and info.id not in unchanged]
    if progress:
        progress.embedding_started(len(todo))
    t0 = time.perf_counter()
    vectors = embedder.encode(
        [embedding_text(info, c) for info, c in todo],
        batch_size=settings.embed_batch_size,
        on_batch=progress.embedded if progress else None,
    )
    report.embed_seconds = time.perf_counter() - t0
    report.chunks_embedded = len(todo)
    if todo:
        store.upsert(
            [c.id for _, c in todo],
            vectors,
            [c.text for _, c in todo],
            [chunk_metadata(info, c) for info, c in todo],
        )
    if keep:  # metadata may have changed (title, audience...): refresh it with the stored vectors
        got = store.collection.get(ids=[c.id for _, c in keep], include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        store.upsert(
            [c.id for _, c in keep],
            np.asarray([by_id[c.id] for _, c in keep], dtype=np.float32),
            [c.text for _, c in keep],
            [chunk_metadata(info, c) for info, c in keep],
        )


def build_keyword_index(settings: Settings, manifest: Manifest, generation: int) -> KeywordIndex:
    """(Re)build BM25 from the manifest's chunks and swap it in."""
    infos = {doc_id: info for doc_id, (info, _, _) in manifest.documents().items()}
    chunks = manifest.chunks()
    index = KeywordIndex.build(
        [c.id for c in chunks], [embedding_text(infos[c.doc_id], c) for c in chunks], generation
    )
    index.save(settings.keyword_dir)
    return index
