"""The SQLite manifest: which documents and chunks the index holds. It is the index's source of truth."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from assistant.schema import Chunk, DocumentInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    info TEXT NOT NULL,
    chunk_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id, ord);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Manifest:
    """Documents → sha256 → chunks. Written in one transaction per ingest, so it is never half-written."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or, with None, clear) one meta value in its own transaction."""
        with self.db:
            self._write_meta(key, value)

    def _write_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def documents(self) -> dict[str, tuple[DocumentInfo, int, str]]:
        """id → (info, chunk count, ingested at)."""
        rows = self.db.execute("SELECT info, chunk_count, ingested_at FROM documents ORDER BY id")
        return {
            info.id: (info, count, at)
            for info, count, at in ((DocumentInfo.model_validate_json(i), c, a) for i, c, a in rows)
        }

    def chunks(self) -> list[Chunk]:
        rows = self.db.execute("SELECT body FROM chunks ORDER BY doc_id, ord")
        return [Chunk.model_validate_json(body) for (body,) in rows]

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM chunks")}

    def replace(
        self,
        documents: Iterable[tuple[DocumentInfo, list[Chunk]]],
        removed: Iterable[str],
        meta: dict[str, str | None] | None = None,
    ) -> int:
        """Swap in new versions of documents and drop removed ones, and set (None: clear) meta values,
        atomically; returns the new generation."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.db:
            for doc_id in removed:
                self.db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            for info, chunks in documents:
                self.db.execute("DELETE FROM chunks WHERE doc_id=?", (info.id,))
                self.db.execute(
                    "INSERT OR REPLACE INTO documents(id, sha256, info, chunk_count, ingested_at) VALUES (?,?,?,?,?)",
                    (info.id, info.sha256, info.model_dump_json(), len(chunks), now),
                )
                self.db.executemany(
                    "INSERT INTO chunks(id, doc_id, ord, body) VALUES (?,?,?,?)",
                    [(c.id, info.id, i, c.model_dump_json()) for i, c in enumerate(chunks)],
                )
            for key, value in (meta or {}).items():
                self._write_meta(key, value)
            generation = self.generation() + 1
            self._write_meta("generation", str(generation))
        return generation


def chunk_metadata(info: DocumentInfo, chunk: Chunk) -> dict[str, str | int]:
    """Flat scalar metadata for the vector store (Chroma accepts no lists or nulls)."""
    meta: dict[str, str | int] = {
        "doc_id": info.id,
        "title": info.title,
        "type": info.type,
        "audience": info.audience,
        "section": chunk.section,
        "headings": json.dumps(chunk.headings),
        "kind": chunk.kind,
        "url": info.url,
    }
    if info.year is not None:
        meta["year"] = info.year
    if chunk.page_start is not None:
        meta["page_start"] = chunk.page_start
        meta["page_end"] = chunk.page_end or chunk.page_start
    return meta
