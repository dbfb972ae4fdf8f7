"""BM25 keyword search (bm25s) over the same chunks as the vector store, saved beside it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

IDS_FILE = "chunk_ids.json"
TOKEN_PATTERN = r"(?u)\b\w+\b"  # single characters count: "outcome 2", "part 3"
TOKENIZER_VERSION = 4  # bump when tokenize() changes, so saved indexes are rebuilt


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


_SHORT_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-/–]\s*(\d\d)\b")
NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()  # NUMBER_WORDS[n] is n
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed word tokens (the same for chunks and questions).
    A short year range ("2022-23") reads as both years, as tables write them ("2022 - 2023")."""
    texts = [_SHORT_YEAR_RANGE.sub(lambda m: f"{m.group(1)} {m.group(1)[:2]}{m.group(2)}", t) for t in texts]
    texts = [_NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS.index(m.group(0).lower())), t) for t in texts]
    return bm25s.tokenize(
        texts, token_pattern=TOKEN_PATTERN, stemmer=_stemmer(), return_ids=False, show_progress=False
    )


class KeywordIndex:
    """A BM25 index whose rows are chunk ids; written to a fresh folder and swapped in whole."""

    def __init__(self, retriever: bm25s.BM25, ids: list[str], generation: int) -> None:
        self.retriever = retriever
        self.ids = ids
        self.generation = generation
        self.position = {chunk_id: i for i, chunk_id in enumerate(ids)}

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], generation: int) -> KeywordIndex:
        retriever = bm25s.BM25()
        tokens = tokenize(texts) if texts else []
        if tokens:
            retriever.index(tokens, show_progress=False)
        return cls(retriever, list(ids), generation)

    def save(self, directory: Path) -> None:
        """Write to a sibling temp folder, then swap it in, so a reader never sees half an index."""
        tmp = directory.with_name(directory.name + ".tmp")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.ids:
            self.retriever.save(str(tmp), show_progress=False)
        saved = {"generation": self.generation, "tokenizer": TOKENIZER_VERSION, "ids": self.ids}
        (tmp / IDS_FILE).write_text(json.dumps(saved))
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        """The saved index, or None if there is none (or it is unreadable and must be rebuilt)."""
        try:
            saved = json.loads((directory / IDS_FILE).read_text())
            if saved.get("tokenizer") != TOKENIZER_VERSION:
                return None
            retriever = bm25s.BM25.load(str(directory), show_progress=False) if saved["ids"] else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None
        return cls(retriever, saved["ids"], int(saved["generation"]))

    @staticmethod
    def saved_generation(directory: Path) -> int | None:
        """The generation of the saved index, without loading it; None if there is none usable."""
        try:
            saved = json.loads((directory / IDS_FILE).read_text())
            return int(saved["generation"]) if saved.get("tokenizer") == TOKENIZER_VERSION else None
        except (OSError, ValueError, KeyError):
            return None

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        """The BM25 score of every row for the query (zeros where the mask is 0)."""
        tokens = tokenize([query])[0] if self.ids else []
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        scores = self.retriever.get_scores(tokens)
        return scores * mask if mask is not None else scores

    def passages_with(self, token: str) -> int:
        """How many rows hold a token (one of `tokenize`'s): the entries of its column in bm25s's token-major score
        matrix (a BM25 score is never 0 where the token occurs)."""
        column = self.retriever.vocab_dict.get(token) if self.ids else None
        if column is None:
            return 0
        indptr = self.retriever.scores["indptr"]
        return int(indptr[column + 1] - indptr[column])

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Up to k (chunk id, BM25 score) pairs with a positive score, best first."""
        return self.top(self.scores(query, mask), k)

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best rows of a `scores` array with a positive score, best first."""
        k = min(k, len(self.ids))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
