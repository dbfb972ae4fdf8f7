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

from assistant.embeddings import MODEL_NAME, Embedder, PassageEmbedder, get_embedder, passage_embedder
from assistant.keyword import KeywordIndex
from assistant.schema import Chunk, DocumentInfo
from assistant.settings import Settings
from assistant.store import VectorStore, collection_names, drop_collection, make_client
from ingest.chunking import chunk_document, embedding_text
from ingest.corpus import discover
from ingest.loaders import LoaderError, load_document
from ingest.manifest import Manifest, chunk_metadata

# Bump when loaders or chunking change what a file turns into: every document is then re-chunked on
# the next ingest (only chunks whose text changed are re-embedded, since chunk ids hash their text).
PIPELINE_VERSION = "20"


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


def active_collection(settings: Settings, manifest: Manifest) -> str:
    """The Chroma collection holding the vectors of the manifest's current generation."""
    return manifest.get_meta("collection") or settings.collection


def active_store(settings: Settings) -> VectorStore:
    """The vector store readers search: the collection the manifest points to."""
    with Manifest(settings.manifest_path) as manifest:
        return VectorStore.from_settings(settings, active_collection(settings, manifest))


def ingest_corpus(
    settings: Settings,
    root: Path | None = None,
    rebuild: bool = False,
    progress: IngestProgress | None = None,
    embedder: Embedder | None = None,
) -> IngestReport:
    """Bring the index in line with root (a folder it mirrors, or one file to add or update).

    Atomic at any moment: the new generation's vectors go into a collection of their own, and one
    manifest transaction switches readers to it. Killed before that, the previous index is untouched and
    the next ingest finds the half-filled collection and completes it, embedding only what it lacks."""
    started = time.perf_counter()
    root = root or settings.corpus_dir
    with ingest_lock(settings.data_dir):
        report = IngestReport()
        files = discover(root, settings)
        if not files:
            raise IngestError(f"{root}: no documents found; add .pdf, .docx, .html, .md or .txt files")
        with Manifest(settings.manifest_path) as manifest:
            _ingest(settings, root, rebuild, files, manifest, embedder, progress, report)
    report.seconds = time.perf_counter() - started
    return report


def _ingest(settings, root, rebuild, files, manifest, embedder, progress, report) -> None:  # noqa: ANN001
    known = manifest.documents()
    resuming_rebuild = manifest.get_meta("rebuild_pending") is not None
    embedder = embedder or get_embedder(settings)
    passages = passage_embedder(settings.dense_model, embedder)
    # Vectors of another model cannot be reused or searched with this one's: everything is embedded afresh.
    model_changed = bool(known) and index_dense_model(manifest) != passages.name
    rebuild = rebuild or resuming_rebuild or model_changed
    rechunk = rebuild or (bool(known) and manifest.get_meta("pipeline_version") != PIPELINE_VERSION)
    changed: list[tuple[DocumentInfo, list[Chunk]]] = []
    seen_ids: set[str] = set()
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

    # The generation's chunks: unchanged documents' chunks from the manifest, plus the changed ones.
    kept_docs = set(known) - set(removed) - {info.id for info, _ in changed}
    infos = {doc_id: info for doc_id, (info, _, _) in known.items()}
    wanted = [(infos[c.doc_id], c) for c in manifest.chunks() if c.doc_id in kept_docs]
    wanted += [(info, c) for info, chunks in changed for c in chunks]
    wanted_ids = {c.id for _, c in wanted}
    report.chunks_total = len(wanted_ids)

    client = make_client(settings)
    current = active_collection(settings, manifest)
    source = VectorStore(client, current) if current in collection_names(client) else None
    if not (changed or removed or rebuild) and wanted_ids <= (source.ids() if source else set()):
        # Nothing to change: no new generation, readers keep theirs. Finish what a killed ingest left.
        if KeywordIndex.saved_generation(settings.keyword_dir) != manifest.generation():
            build_keyword_index(settings, manifest, manifest.generation())
        _drop_collections(client, settings, keep={current, manifest.get_meta("previous_collection")})
        return

    target_name = f"{settings.collection}-g{manifest.generation() + 1}"
    if rebuild and not resuming_rebuild:  # a rebuild embeds everything afresh, into an empty collection
        drop_collection(client, target_name)
        manifest.set_meta("rebuild_pending", "1")
    target = VectorStore(client, target_name)
    _fill(settings, target, None if rebuild else source, wanted, passages, progress, report)
    generation = manifest.replace(changed, removed, meta={
        "pipeline_version": PIPELINE_VERSION, "collection": target_name, "previous_collection": current,
        "rebuild_pending": None, "dense_model": passages.name,
    })
    build_keyword_index(settings, manifest, generation)
    # The previous collection stays one generation, for readers in other processes still searching it.
    _drop_collections(client, settings, keep={target_name, current})


def index_dense_model(manifest: Manifest) -> str:
    """The model the index's vectors were made with (indexes from before the setting used MiniLM)."""
    return manifest.get_meta("dense_model") or MODEL_NAME


def _same(old: DocumentInfo, new: DocumentInfo) -> bool:
    return old.model_dump(exclude={"path"}) == new.model_dump(exclude={"path"})


def _fill(settings, target, source, wanted, embedder: PassageEmbedder, progress, report) -> None:  # noqa: ANN001
    """Make `target` hold exactly the wanted chunks, with current metadata. A vector comes from `target`
    itself (left by a killed ingest), else from `source` (the previous generation), else is embedded: a
    chunk id hashes exactly the text that was embedded, so a stored vector for an id is the right one."""
    unique = list({c.id: (info, c) for info, c in wanted}.values())
    ids = [c.id for _, c in unique]
    metadata = {c.id: chunk_metadata(info, c) for info, c in unique}
    held = target.metadatas(ids)
    stale = target.ids() - set(ids)
    if stale:
        target.delete(sorted(stale))
    todo = [(info, c) for info, c in unique if held.get(c.id) != metadata[c.id]]
    reuse = target.vectors([c.id for _, c in todo if c.id in held])
    if source is not None:
        reuse.update(source.vectors([c.id for _, c in todo if c.id not in reuse]))
    texts = {c.id: embedding_text(info, c) for info, c in todo if c.id not in reuse}
    embed = [(info, c) for info, c in todo if c.id in texts]
    # Longest first across all of them, not only within each write batch: batches of like lengths pad least.
    embed.sort(key=lambda pair: -len(texts[pair[1].id]))
    if progress:
        progress.embedding_started(len(embed))
    t0 = time.perf_counter()
    step = settings.ingest_write_chunks
    for start in range(0, len(embed), step):  # written as they come: a kill loses little
        batch = embed[start : start + step]
        vectors = embedder.encode(
            [texts[c.id] for _, c in batch],
            batch_size=settings.embed_batch_size,
            on_batch=progress.embedded if progress else None,
        )
        target.upsert([c.id for _, c in batch], vectors, [c.text for _, c in batch],
                      [metadata[c.id] for _, c in batch])
    report.embed_seconds = time.perf_counter() - t0
    report.chunks_embedded = len(embed)
    copied = [(info, c) for info, c in todo if c.id in reuse]
    if copied:
        target.upsert([c.id for _, c in copied], np.asarray([reuse[c.id] for _, c in copied], dtype=np.float32),
                      [c.text for _, c in copied], [metadata[c.id] for _, c in copied])


def _drop_collections(client, settings: Settings, keep: set[str | None]) -> None:  # noqa: ANN001
    """Delete this index's collections other than `keep`: older generations, a killed ingest's, and the
    single collection indexes had before generations."""
    prefix = f"{settings.collection}-g"
    for name in collection_names(client):
        ours = name == settings.collection or (name.startswith(prefix) and name[len(prefix):].isdigit())
        if ours and name not in keep:
            drop_collection(client, name)


def build_keyword_index(settings: Settings, manifest: Manifest, generation: int) -> KeywordIndex:
    """(Re)build BM25 from the manifest's chunks and swap it in."""
    infos = {doc_id: info for doc_id, (info, _, _) in manifest.documents().items()}
    chunks = manifest.chunks()
    index = KeywordIndex.build(
        [c.id for c in chunks], [embedding_text(infos[c.doc_id], c) for c in chunks], generation
    )
    index.save(settings.keyword_dir)
    return index
