"""The Chroma vector store: embedded in the data directory, or a Chroma server, same code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from assistant.settings import Settings

WRITE_BATCH = 1000


def make_client(settings: Settings) -> ClientAPI:
    """A Chroma client: HttpClient when a host is configured, else a PersistentClient on disk."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_names(client: ClientAPI) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def drop_collection(client: ClientAPI, name: str) -> None:
    """Delete a collection; one already gone is fine."""
    try:
        client.delete_collection(name)
    except (NotFoundError, ValueError):
        pass


@dataclass(frozen=True)
class DenseHit:
    id: str
    similarity: float


class VectorStore:
    """Chunk vectors in one Chroma collection. We always pass our own embeddings, never Chroma's."""

    def __init__(self, client: ClientAPI, collection: str) -> None:
        self.client = client
        self.collection_name = collection
        self.collection = client.get_or_create_collection(
            collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    @classmethod
    def from_settings(cls, settings: Settings, collection: str | None = None) -> VectorStore:
        return cls(make_client(settings), collection or settings.collection)

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ids the collection holds."""
        return {i: np.asarray(e, dtype=np.float32) for i, e in self._get(ids, "embeddings")}

    def metadatas(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored metadata of those ids the collection holds."""
        return {i: dict(m or {}) for i, m in self._get(ids, "metadatas")}

    def _get(self, ids: Sequence[str], field: str) -> list[tuple[str, Any]]:
        """(id, field value) for those ids the collection holds, read in batches."""
        found: list[tuple[str, Any]] = []
        ids = list(ids)
        for start in range(0, len(ids), WRITE_BATCH):
            got = self.collection.get(ids=ids[start : start + WRITE_BATCH], include=[field])
            found += zip(got["ids"], got[field], strict=True)
        return found

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def count(self) -> int:
        return self.collection.count()

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for start in range(0, len(ids), WRITE_BATCH):
            end = start + WRITE_BATCH
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=embeddings[start:end],
                documents=list(documents[start:end]),
                metadatas=list(metadatas[start:end]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), WRITE_BATCH):
            self.collection.delete(ids=ids[start : start + WRITE_BATCH])

    def search(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[DenseHit]:
        """The k nearest chunks by cosine similarity, optionally restricted by a metadata filter (fewer when
        the collection holds fewer: Chroma caps n_results itself, so no count is asked for first)."""
        result = self.collection.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["distances"]
        )
        return [
            DenseHit(id=i, similarity=1.0 - float(d))
            for i, d in zip(result["ids"][0], result["distances"][0], strict=True)
        ]
