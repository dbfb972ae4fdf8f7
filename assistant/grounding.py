"""Citation enforcement for generated answers.

An LLM may write anything, so its text is checked sentence by sentence before a user sees it. A sentence
is kept only if it carries at least one [n] that names a source the LLM was actually given, and that
source supports it: most of the sentence's content words occur in the source, every number in it occurs
in the source, and it is close in meaning (embedding similarity) to one of the source's sentences; a
sentence that only restates the question ("The number of RPD forms in 2022-23 was.") is dropped too.
Markers that name unsupported or unknown sources are removed from a kept sentence; a sentence with no
supporting source is dropped. The caller rejects the whole answer when nothing is left."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answer import candidates_from
from assistant.keyword import tokenize
from assistant.retrieval import Hit
from assistant.sentences import split_sentences

Encode = Callable[[Sequence[str]], np.ndarray]

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# "… days. [1] Next" → "… days [1]. Next": markers after the full stop belong to the sentence before it.
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:[ \t]*\[\d+(?:\s*,\s*\d+)*\])+)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


@dataclass
class SourceSentence:
    text: str
    page: int | None


@dataclass
class Source:
    """One numbered source as the LLM saw it: its text, and its sentences to quote from."""

    n: int
    text: str
    sentences: list[SourceSentence]
    tokens: set[str] = field(init=False)
    numbers: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = set(tokenize([self.text])[0])
        self.numbers = set(_normalise_numbers(_NUMBER.findall(self.text)))


def sources_from_hits(hits: list[Hit]) -> list[Source]:
    """Hits numbered 1..k, each with its sentences and table rows (the units a claim is compared with)."""
    by_hit: dict[int, list[SourceSentence]] = {i: [] for i in range(len(hits))}
    for candidate in candidates_from(hits):
        by_hit[candidate.hit_index].append(SourceSentence(candidate.quote, candidate.page))
    sources = []
    for i, hit in enumerate(hits):
        sentences = by_hit[i] or [SourceSentence(hit.chunk.text, hit.chunk.page_start)]
        sources.append(Source(i + 1, hit.chunk.text, sentences))
    return sources


@dataclass
class Support:
    """Why a source backs a sentence: the source sentence closest to it, and the scores."""

    n: int
    quote: str
    page: int | None
    overlap: float
    similarity: float


@dataclass
class CheckedSentence:
    """One sentence of generated text after its check. `reason` is None when it is kept."""

    original: str
    claim: str  # the sentence without its [n] markers
    cited: list[int]
    support: list[Support]
    reason: str | None

    @property
    def kept(self) -> bool:
        return self.reason is None

    @property
    def text(self) -> str:
        """The sentence as shown: its claim followed by the markers of the sources that support it."""
        return f"{self.claim} " + " ".join(f"[{s.n}]" for s in self.support)


@dataclass
class Grounded:
    kept: list[CheckedSentence]
    dropped: list[CheckedSentence]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.kept)


def _normalise_numbers(numbers: Iterable[str]) -> list[str]:
    return [n.replace(",", "") for n in numbers]


def split_claims(text: str) -> list[str]:
    """Generated text → sentences, each with the markers written after it (list items count as sentences)."""
    text = _MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    out: list[str] = []
    for line in text.split("\n"):
        line = _LIST_ITEM.sub("", line).strip()
        out.extend(s for s in split_sentences(line) if s.strip())
    return out


class SentenceStream:
    """Cuts text arriving in pieces into sentences, each handed out once it is complete."""

    def __init__(self) -> None:
        self._buffer = ""
        self._done = 0

    def feed(self, piece: str) -> list[str]:
        self._buffer += piece
        sentences = split_claims(self._buffer)[:-1]  # the last one may still be growing
        new, self._done = sentences[self._done :], max(self._done, len(sentences))
        return new

    def close(self) -> list[str]:
        sentences = split_claims(self._buffer)
        new, self._done = sentences[self._done :], len(sentences)
        return new


class Grounder:
    """Checks sentences against the numbered sources one LLM answer was given."""

    def __init__(
        self, sources: list[Source], encode: Encode, min_overlap: float, min_similarity: float, min_words: int,
        question: str = "",
    ) -> None:
        self.sources = {s.n: s for s in sources}
        self.encode = encode
        self.min_overlap = min_overlap
        self.min_similarity = min_similarity
        self.min_words = min_words
        self.question_words = set(tokenize([question])[0]) if question else set()
        self._vectors: dict[int, np.ndarray] | None = None

    def _source_vectors(self) -> dict[int, np.ndarray]:
        if self._vectors is None:  # embedded once, at the first sentence that needs them
            order = [(n, s) for n, source in self.sources.items() for s in source.sentences]
            matrix = self.encode([s.text for _, s in order])
            self._vectors = {n: matrix[[i for i, (m, _) in enumerate(order) if m == n]] for n in self.sources}
        return self._vectors

    def check(self, sentence: str) -> CheckedSentence:
        markers = [int(n) for group in MARKER.findall(sentence) for n in group.split(",")]
        claim = re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", sentence))
        claim = " ".join(claim.split())

        def result(reason: str | None, cited: list[int], support: list[Support] | None = None) -> CheckedSentence:
            return CheckedSentence(sentence, claim, cited, support or [], reason)

        if not markers:
            return result("no citation", [])
        cited = [n for n in dict.fromkeys(markers) if n in self.sources]
        if not cited:
            return result(f"cites {sorted(set(markers))}, which are not among the sources given", [])
        words = set(tokenize([claim])[0])
        if len(words) < self.min_words:
            return result(f"fewer than {self.min_words} content words: too little to check", cited)
        if self.question_words and words <= self.question_words:
            return result("only restates the question", cited)
        numbers = set(_normalise_numbers(_NUMBER.findall(claim)))
        vector = self.encode([claim])[0]
        vectors = self._source_vectors()
        support: list[Support] = []
        scores: list[str] = []
        for n in cited:
            source = self.sources[n]
            overlap = len(words & source.tokens) / len(words)
            similarities = vectors[n] @ vector
            best = int(np.argmax(similarities))
            similarity = float(similarities[best])
            missing = numbers - source.numbers
            scores.append(f"[{n}] overlap {overlap:.2f}, similarity {similarity:.2f}"
                          + (f", numbers not in it: {sorted(missing)}" if missing else ""))
            if overlap >= self.min_overlap and similarity >= self.min_similarity and not missing:
                quote = source.sentences[best]
                support.append(Support(n, quote.text, quote.page, overlap, similarity))
        if not support:
            return result("not supported by its sources: " + "; ".join(scores), cited)
        return result(None, cited, support)

    def enforce(self, text: str) -> Grounded:
        """Every sentence of a whole generated answer, checked: what may be shown and what was dropped."""
        kept: list[CheckedSentence] = []
        dropped: list[CheckedSentence] = []
        for sentence in split_claims(text):
            checked = self.check(sentence)
            if checked.kept and any(k.text == checked.text for k in kept):
                continue  # small models repeat themselves
            (kept if checked.kept else dropped).append(checked)
        return Grounded(kept, dropped)
