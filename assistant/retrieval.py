"""Hybrid retrieval: dense (Chroma) and BM25 candidates, each scored by both, fused by weighted scaled scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, field_validator

from assistant.acronyms import Acronyms
from assistant.definitions import Term, asked_terms, definition_heads, names
from assistant.keyword import KeywordIndex, tokenize
from assistant.schema import Audience, Chunk, DocType, DocumentInfo
from assistant.scope import Named, calls_by_last_word, described, question_terms
from assistant.settings import Settings
from assistant.spelling import Speller
from assistant.store import VectorStore
from assistant.vocabulary import in_guidance_words

NAMED_MOST = 3  # most candidates a name may single out for `_boost_named`


class Filters(BaseModel):
    """Optional restrictions on what may be retrieved; the public door always sets audience='public'."""

    types: list[DocType] | None = None
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    audience: Audience | None = None

    @field_validator("types")
    @classmethod
    def _no_empty_types(cls, value: list[str] | None) -> list[str] | None:
        return value or None

    def allows(self, info: DocumentInfo) -> bool:
        if self.types and info.type not in self.types:
            return False
        if self.audience and info.audience != self.audience:
            return False
        if self.year_from is not None and (info.year is None or info.year < self.year_from):
            return False
        if self.year_to is not None and (info.year is None or info.year > self.year_to):
            return False
        return True

    def where(self) -> dict[str, Any] | None:
        """The same restriction as a Chroma metadata filter."""
        clauses: list[dict[str, Any]] = []
        if self.types:
            clauses.append({"type": {"$in": list(self.types)}})
        if self.audience:
            clauses.append({"audience": self.audience})
        if self.year_from is not None:
            clauses.append({"year": {"$gte": self.year_from}})
        if self.year_to is not None:
            clauses.append({"year": {"$lte": self.year_to}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class Hit:
    """A retrieved chunk with the evidence for it."""

    chunk: Chunk
    info: DocumentInfo
    score: float
    similarity: float = 0.0  # cosine similarity to the question (0 if only BM25 found it)
    keyword_score: float = 0.0
    dense_rank: int | None = None
    keyword_rank: int | None = None
    named_boost: float = 0.0  # what `score` holds for naming the question's names (see `_boost_named`)
    previous_chunk: Chunk | None = None  # the chunks before and after this one in its section, where there are
    next_chunk: Chunk | None = None
    subsections: list[str] = field(default_factory=list)  # headed just under its section, after it (see `subsections`)


def subsections(chunks: list[Chunk]) -> dict[str, list[str]]:
    """For the last chunk of each section, the headings of the sections just under it that follow it, in reading
    order: the items of a list set out as sections of their own ("The Partnership have agreed new priorities …
    These are:" ⏎ "SAFE START TO LIFE" ⏎ "SAFE IN THE COMMUNITY" …). Chunks come in reading order."""
    found: dict[str, list[str]] = {}
    for i, chunk in enumerate(chunks):
        depth = len(chunk.headings)
        headings: list[str] = []
        for later in chunks[i + 1 :]:
            if later.doc_id != chunk.doc_id or later.headings[:depth] != chunk.headings or len(later.headings) == depth:
                break
            if len(later.headings) == depth + 1 and later.heading not in headings:
                headings.append(later.heading)
        if headings:
            found[chunk.id] = headings
    return found


class HybridRetriever:
    """Dense ∥ BM25 → score fusion (or RRF). Only chunks in the manifest are returned, so a vector left over from
    an interrupted ingest can never be cited."""

    def __init__(
        self,
        settings: Settings,
        store: VectorStore,
        keyword: KeywordIndex,
        chunks: list[Chunk],
        documents: dict[str, DocumentInfo],
        speller: Speller,
        acronyms: Acronyms,
    ) -> None:
        self.settings = settings
        self.store = store
        self.keyword = keyword
        self.chunks = {c.id: c for c in chunks}
        # Chunks come in reading order: the ones before and after each in the same section, for the answerer's
        # "sentence after" and a list split between two chunks.
        pairs = [(a, b) for a, b in zip(chunks, chunks[1:], strict=False)
                 if a.doc_id == b.doc_id and a.headings == b.headings]
        self.following = {a.id: b for a, b in pairs}
        self.preceding = {b.id: a for a, b in pairs}
        self.subsections = subsections(chunks)
        self.documents = documents
        self.speller = speller  # built with the chunks: its vocabulary is this index's
        self.acronyms = acronyms  # likewise
        self._doc_of_row = [self.chunks[i].doc_id if i in self.chunks else "" for i in keyword.ids]
        # Stored vectors of chunks BM25 found, read once: this generation's vectors never change (an ingest
        # writes a new collection), and at most every chunk's is held (1.5 KB each).
        self._vectors: dict[str, np.ndarray] = {}
        self._heads: dict[str, list[Term]] = {}  # what each chunk's sentences could define, and its heading
        self._named: dict[str, Named] = {}  # what each chunk names, for `_boost_named`
        self._document_named: dict[str, Named] = {}  # what each document names anywhere, for `document_mentions`

    def _mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters.where() is None:
            return None
        allowed = {d for d, info in self.documents.items() if filters.allows(info)}
        return np.array([1.0 if d in allowed else 0.0 for d in self._doc_of_row], dtype=np.float32)

    def search(
        self,
        question: str,
        vector: np.ndarray,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> list[Hit]:
        """The k best chunks for the question."""
        k = k or self.settings.top_k
        s = self.settings
        mode = s.retrieval_mode
        dense = self.store.search(vector, s.dense_k, filters.where() if filters else None) if mode != "keyword" else []
        dense = [h for h in dense if h.id in self.chunks]
        # Only BM25 searches the guidance's words: the embedding model knows both, and the answerer scores the question
        # as asked.
        bm25 = self.keyword.scores(self.in_guidance_terms(question), self._mask(filters)) if mode != "dense" else None
        keyword = self.keyword.top(bm25, s.keyword_k) if bm25 is not None else []
        keyword = [(i, sc) for i, sc in keyword if i in self.chunks]

        hits: dict[str, Hit] = {}
        for rank, h in enumerate(dense):
            hit = hits.setdefault(h.id, self._hit(h.id))
            hit.similarity, hit.dense_rank = h.similarity, rank
        for rank, (chunk_id, _) in enumerate(keyword):
            hit = hits.setdefault(chunk_id, self._hit(chunk_id))
            hit.keyword_rank = rank
        # Every candidate gets both scores, whichever list found it: fusion and the answerer's evidence
        # threshold need the similarity of a BM25-only hit and the BM25 score of a dense-only one.
        if bm25 is not None:
            for hit in hits.values():
                row = self.keyword.position.get(hit.chunk.id)
                hit.keyword_score = float(bm25[row]) if row is not None else 0.0
        missing = [h for h in hits.values() if h.dense_rank is None]
        if missing:
            sims = self.store_similarities([h.chunk.id for h in missing], vector)
            for h in missing:
                h.similarity = sims.get(h.chunk.id, 0.0)
        self._fuse(list(hits.values()), mode)
        self._boost_definitions(question, list(hits.values()))
        self._boost_named(question, list(hits.values()))
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        return self._rerank(question, ranked[: max(k, s.rerank_candidates)])[:k] if s.rerank else ranked[:k]

    def _hit(self, chunk_id: str) -> Hit:
        """A new hit on the chunk, knowing the chunks before and after it in its section."""
        chunk = self.chunks[chunk_id]
        return Hit(chunk, self.documents[chunk.doc_id], 0.0, previous_chunk=self.preceding.get(chunk_id),
                   next_chunk=self.following.get(chunk_id), subsections=self.subsections.get(chunk_id, []))

    def _boost_definitions(self, question: str, hits: list[Hit]) -> None:
        """For a "what is X?" question, a chunk that defines X ("X is …", a glossary's "X - …"), or sits under a
        heading naming X ("The rapid review", "The Prevent duty": the section about it), ranks higher: it answers
        it, where passages that only use the term share as many words (the annual report's "One of the Rapid
        Reviews related to the death of a child.")."""
        boost = self.settings.definition_boost if self.settings.fusion == "score" else 0.0  # RRF scores are ~0.03
        terms = asked_terms(question) if boost else []
        if not terms:
            return
        for h in hits:
            heads = self._heads.get(h.chunk.id)
            if heads is None:
                heads = self._heads[h.chunk.id] = [*definition_heads(h.chunk.text), tokenize([h.chunk.heading])[0]]
            if any(names(terms, head) for head in heads):
                h.score += boost

    def _boost_named(self, question: str, hits: list[Hit]) -> None:
        """A chunk that mentions every name, year and part the question names ("What did the Cass review
        identify?") ranks higher than ones that don't: the embedding model does not know a name, and BM25's weight
        for a rare one is spread over the question's other words."""
        boost = self.settings.name_boost if self.settings.fusion == "score" else 0.0
        terms = question_terms(question) if boost else []
        if not terms:
            return
        named = [h for h in hits if self._names(h).mentions_all(terms)]
        if len(named) <= NAMED_MOST:  # a name many passages carry (a document's title) singles out none
            for h in named:
                h.score += boost
                h.named_boost = boost

    def in_guidance_terms(self, question: str) -> str:
        """The question with the words of each acronym it uses ("dsl" → designated safeguarding lead) and the
        guidance's words for its everyday ones ("kid" → child)."""
        return in_guidance_words(self.acronyms.expand(question))

    def document_mentions(self, doc_id: str, term: str) -> bool:
        """Whether any passage of the document (its text or section headings), its title or the areas it applies to
        mention the term (see `scope.mentions`); each document's text is read once."""
        named = self._document_named.get(doc_id)
        if named is None:
            info = self.documents.get(doc_id, DocumentInfo(id=doc_id, title=""))
            named = self._document_named[doc_id] = Named(described(info, "\n".join(
                f"{c.section}\n{c.text}" for c in self.chunks.values() if c.doc_id == doc_id)))
        return named.mentions(term)

    def mentions(self, hit: Hit, term: str) -> bool:
        """Whether the passage mentions the term (see `scope.mentions`), or calls a body by the last word of its name
        ("Rapid reviews should be submitted to the panel …") in a document that names it in full (see
        `scope.calls_by_last_word`): it is the same body."""
        return self._names(hit).mentions(term) or (
            calls_by_last_word(hit.chunk.text, term) and self.document_mentions(hit.info.id, term))

    def _names(self, hit: Hit) -> Named:
        """The chunk's text with all it says about itself (`scope.described`), as `Named` (kept: it never
        changes)."""
        named = self._named.get(hit.chunk.id)
        if named is None:
            named = self._named[hit.chunk.id] = Named(described(hit.info, hit.chunk.text, hit.chunk.section))
        return named

    def _rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        """Order candidates by the cross-encoder's relevance to the question."""
        from assistant.rerank import get_cross_encoder

        if not hits:
            return hits
        scores = get_cross_encoder().score(question, [h.chunk.text for h in hits])
        return [hits[i] for i in np.argsort(-scores, kind="stable")]

    def _fuse(self, hits: list[Hit], mode: str) -> None:
        """Score fusion (default): each signal scaled from its worst to its best candidate, weighted and
        summed. The weights depend on the dense model: with bge-small, dense and BM25 count equally; with
        MiniLM, BM25 carried more (the stronger signal then; see evals). RRF is kept for comparison."""
        s = self.settings
        dense_weight = 0.0 if mode == "keyword" else (1.0 if mode == "dense" else s.dense_weight)
        keyword_weight = 0.0 if mode == "dense" else (1.0 if mode == "keyword" else s.keyword_weight)
        if s.fusion == "rrf":
            for h in hits:
                if h.dense_rank is not None:
                    h.score += dense_weight / (s.rrf_k + h.dense_rank + 1)
                if h.keyword_rank is not None:
                    h.score += keyword_weight / (s.rrf_k + h.keyword_rank + 1)
            return
        for weight, values in ((dense_weight, [h.similarity for h in hits]),
                               (keyword_weight, [h.keyword_score for h in hits])):
            if not weight or not values:
                continue
            low, span = min(values), max(max(values) - min(values), 1e-9)
            for h, value in zip(hits, values, strict=True):
                h.score += weight * (value - low) / span

    def store_similarities(self, ids: list[str], vector: np.ndarray) -> dict[str, float]:
        """Cosine similarity of the question to the stored vectors of these chunks (those the store holds)."""
        unread = [i for i in ids if i not in self._vectors]
        if unread:
            self._vectors.update(self.store.vectors(unread))
        return {i: float(np.dot(self._vectors[i], vector)) for i in ids if i in self._vectors}
