"""MiniLM on onnxruntime: exported once, the same vectors as torch, and torch whenever the export is unusable."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant import minilm_onnx
from assistant.embeddings import Embedder

TEXTS = [
    "How do I escalate a disagreement with another agency?",
    "dsl trainng how often",
    "A child has told me she is scared to go home. " * 60,  # past the model's 256 word pieces: truncated alike
]


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return Embedder(None).encode(TEXTS)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


def test_the_export_gives_torchs_vectors(cache: Path, torch_vectors: np.ndarray) -> None:
    embedder = Embedder(cache)
    assert embedder.runtime == "onnx"
    assert minilm_onnx.onnx_path(cache).exists()
    assert np.abs(embedder.encode(TEXTS) - torch_vectors).max() < 1e-4
    assert np.abs(embedder.encode(TEXTS[:1]) - torch_vectors[:1]).max() < 1e-4  # alone, not padded to the others


def test_the_export_is_made_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    minilm_onnx.onnx_path(cache).touch()  # made by the test above
    monkeypatch.setattr(minilm_onnx, "export", lambda *_: pytest.fail("exported again"))
    assert Embedder(cache).runtime == "onnx"


def test_a_damaged_export_leaves_torch_running_the_model(
    tmp_path: Path, torch_vectors: np.ndarray, caplog: pytest.LogCaptureFixture
) -> None:
    minilm_onnx.onnx_path(tmp_path).write_bytes(b"not an onnx model")
    with caplog.at_level(logging.WARNING, logger="assistant.minilm_onnx"):
        embedder = Embedder(tmp_path)
    assert embedder.runtime == "torch"
    assert "runs on torch" in caplog.text
    assert np.abs(embedder.encode(TEXTS) - torch_vectors).max() < 1e-6


def test_a_failed_export_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no exporter")

    monkeypatch.setattr(torch.onnx, "export", broken)
    assert Embedder(tmp_path / "models").runtime == "torch"
    assert list(tmp_path.rglob("*")) in ([], [tmp_path / "models"])
