"""The Assistant: one object behind every door (CLI, web, Slack) that turns a question into an Answer."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
from chromadb.errors import NotFoundError

from assistant.acronyms import Acronyms
from assistant.answer import Answerer, Draft, ExtractiveAnswerer, asked_kind, asks_what_to_do, directs
from assistant.answer_check import answer_relevance, load_checker
from assistant.citations import first_sentence_citation
from assistant.comparison import answered_apart, compared, merge
from assistant.coverage import unused_words
from assistant.embeddings import Embedder, get_embedder, passage_embedder
from assistant.keyword import KeywordIndex
from assistant.prompts import Prompts
from assistant.request_log import log_answer
from assistant.retrieval import Filters, Hit, HybridRetriever
from assistant.schema import Answer, Citation, DocumentInfo
from assistant.scope import (
    answers_beyond_names,
    came_forward_by_name,
    cited_context,
    in_scope,
    mentions,
    question_terms,
    without_area,
)
from assistant.settings import Settings
from assistant.spelling import Speller
from assistant.store import VectorStore
from assistant.urgency import describes_harm, in_danger_now, is_emergency_only, is_urgent, mentions_a_child
from assistant.vocabulary import in_guidance_words
from ingest.index import (
    PIPELINE_VERSION,
    IngestProgress,
    IngestReport,
    active_collection,
    build_keyword_index,
    index_dense_model,
    ingest_corpus,
)
from ingest.manifest import Manifest

MAX_QUESTION_CHARS = 2000
# Encodes a question for the vector store while MiniLM encodes it for the answerer (`Assistant._embed_query`).
_QUERY_ENCODERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="encode-query")

log = logging.getLogger("assistant.pipeline")


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long); the message says why."""


@dataclass
class Retrieved:
    """A question made ready for answering: `query` is the question with its typos corrected."""

    question: str
    query: str
    notice: str | None
    vector: np.ndarray  # the question's MiniLM vector, which answerers compare sentences with
    hits: list[Hit]
    timings: dict[str, float]
    own_search: np.ndarray  # the question's own vector for the store's dense model (hits may be of a wider search)


@dataclass
class SourceSummary:
    info: DocumentInfo
    chunks: int
    ingested_at: str


def index_state(settings: Settings) -> Literal["ready", "empty", "outdated"]:
    """Whether the index can answer as it is, is empty, or was built by an older loader/chunker (then it
    must be re-chunked; cheap, since only chunks whose text changed are embedded again) or with another
    dense model than the settings name (then it is embedded afresh). Loads no model."""
    with Manifest(settings.manifest_path) as manifest:
        if not manifest.documents():
            return "empty"
        current = manifest.get_meta("pipeline_version") == PIPELINE_VERSION
        return "ready" if current and index_dense_model(manifest) == settings.dense_model else "outdated"


class Assistant:
    """Loads the index once; answers many questions. Thread-safe for concurrent `ask` calls."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder or get_embedder(self.settings)
        self.passages = passage_embedder(self.settings.dense_model, self.embedder)  # chunk and question vectors
        self.prompts = Prompts(self.settings.prompts_dir)
        self.quoter = ExtractiveAnswerer(self.settings, self.embedder)  # also quotes the urgent guidance
        self.answerer: Answerer = self.quoter
        if self.settings.answerer == "llm":
            from assistant.llm import LLMAnswerer

            self.answerer = LLMAnswerer(self.settings, self.embedder, fallback=self.quoter)
        self._lock = threading.Lock()
        self.retriever: HybridRetriever | None = None
        self.generation = -1
        self._checked_at = 0.0
        self._reloading = False

    # --- index -------------------------------------------------------------------------------

    def ingest(
        self, path: Path | None = None, rebuild: bool = False, progress: IngestProgress | None = None
    ) -> IngestReport:
        report = ingest_corpus(self.settings, path, rebuild=rebuild, progress=progress, embedder=self.embedder)
        self.load()
        return report

    def ensure_index(self, progress: IngestProgress | None = None) -> IngestReport | None:
        """Ingest the configured corpus if the index is empty (the first `ask` on a fresh machine) or was
        built by an older version of the ingest pipeline or with another dense model."""
        if index_state(self.settings) != "ready":
            return self.ingest(progress=progress)
        if self.retriever is None:
            self.load()
        return None

    def load(self) -> None:
        """(Re)load the manifest's chunks and the BM25 index; rebuild BM25 if it lags the manifest. The answer check's
        cross-encoder is loaded the first time, not at the first answer it reads."""
        with Manifest(self.settings.manifest_path) as manifest:
            generation = manifest.generation()
            keyword = KeywordIndex.load(self.settings.keyword_dir)
            if keyword is None or keyword.generation != generation:
                keyword = build_keyword_index(self.settings, manifest, generation)
            documents = {doc_id: info for doc_id, (info, _, _) in manifest.documents().items()}
            store = VectorStore.from_settings(self.settings, active_collection(self.settings, manifest))
            chunks = manifest.chunks()
            speller = Speller.from_texts((c.text for c in chunks), self.embedder.known_words())
            acronyms = Acronyms.from_texts(c.text for c in chunks)
            retriever = HybridRetriever(self.settings, store, keyword, chunks, documents, speller, acronyms)
        if self.settings.answer_check_evidence > 0:
            load_checker()
        with self._lock:
            if generation >= self.generation:
                self.retriever, self.generation = retriever, generation
            self._checked_at = time.monotonic()

    def refresh(self, wait: bool = False) -> bool:
        """Start loading a newer index if an ingest (in this process or another) has finished one; the
        current index keeps answering until the new one is loaded. True if a newer one was found."""
        with Manifest(self.settings.manifest_path) as manifest:
            newer = manifest.generation() != self.generation
        with self._lock:
            self._checked_at = time.monotonic()
            if not newer or self._reloading:
                return newer
            self._reloading = True

        def reload() -> None:
            try:
                self.load()
            except Exception:  # noqa: BLE001 - the current index keeps answering; the next check retries
                log.exception("could not load the new index; still answering from generation %s", self.generation)
            finally:
                self._reloading = False

        if wait:
            reload()
        else:
            threading.Thread(target=reload, name="reload-index", daemon=True).start()
        return True

    def variant(self, **overrides: object) -> Assistant:
        """The same loaded index and model with some settings changed (evals compare variants this way)."""
        if self.retriever is None:
            self.ensure_index()
        assert self.retriever is not None
        settings = self.settings.model_copy(update=overrides)
        if settings.dense_model != self.settings.dense_model:
            raise ValueError("a variant searches the same index; another dense model needs an index of its own")
        other = Assistant(settings, self.embedder)
        r = self.retriever
        other.retriever = HybridRetriever(
            settings, r.store, r.keyword, list(r.chunks.values()), r.documents, r.speller, r.acronyms)
        other.generation = self.generation
        return other

    def sources(self) -> list[SourceSummary]:
        with Manifest(self.settings.manifest_path) as manifest:
            return [SourceSummary(info, n, at) for info, n, at in manifest.documents().values()]

    # --- answering ---------------------------------------------------------------------------

    def ask(self, question: str, filters: Filters | None = None, channel: str = "cli") -> Answer:
        """Answer one question from the guidance, with citations, or say that it does not cover it.
        `channel` (cli, web, slack) only labels the request log line."""
        r = self._retrieve(question, filters)
        t2 = time.perf_counter()
        draft = self._urgent_guidance(r, filters, self._draft(r, filters))
        r.timings["answer_ms"] = (time.perf_counter() - t2) * 1000
        answer = self._answer(uuid.uuid4().hex, r, draft)
        log_answer(answer, self.settings, channel)
        return answer

    def ask_stream(self, question: str, filters: Filters | None = None, channel: str = "cli") -> Iterator[dict]:
        """The same answer as events, in order: `sources` (numbered citations, notice), `delta` pieces of
        text that join to the answer, then `done` with the whole answer. An answerer with `compose_stream`
        (the LLM) streams each sentence once it has passed its checks; otherwise the deltas are the answer's
        sentences. QuestionError is raised before the first event."""
        r = self._retrieve(question, filters)
        answer_id = uuid.uuid4().hex
        t2 = time.perf_counter()
        # An answerer that streams (the LLM) writes as it goes; a comparison is answered a thing at a time, given whole.
        compose_stream = None if compared(r.query) else getattr(self.answerer, "compose_stream", None)
        hits = self._in_scope(r) if compose_stream else []
        if compose_stream and self._unnamed(r.query, hits[: self.settings.llm_sources], None):
            compose_stream = None  # refused below, before the LLM writes a word
        items = compose_stream(r.query, r.vector, hits) if compose_stream else [self._draft(r, filters)]
        announced = False
        draft: Draft | None = None
        for item in items:
            if isinstance(item, Draft):
                draft = item
            elif isinstance(item, str):
                yield {"event": "delta", "text": item}
            else:  # the numbered sources the coming sentences cite
                announced = True
                yield self._sources_event(answer_id, True, r.notice, item, [])
        assert draft is not None, "the answerer's stream ended without a Draft"
        draft = self._urgent_guidance(r, filters, draft, shown=announced)
        r.timings["answer_ms"] = (time.perf_counter() - t2) * 1000
        answer = self._answer(answer_id, r, draft)
        log_answer(answer, self.settings, channel)
        if not announced:
            yield self._sources_event(answer_id, answer.answered, r.notice, answer.citations, answer.closest_sources)
            for part in answer_parts(answer.answer):
                yield {"event": "delta", "text": part}
        yield {"event": "done", "answer": answer.public_json()}

    @staticmethod
    def _sources_event(
        answer_id: str, answered: bool, notice: str | None, citations: list[Citation], closest: list[Citation]
    ) -> dict:
        return {"event": "sources", "answer_id": answer_id, "answered": answered, "notice": notice,
                "citations": [c.model_dump(mode="json") for c in citations],
                "closest_sources": [c.model_dump(mode="json") for c in closest]}

    def search(self, question: str, filters: Filters | None = None, k: int | None = None) -> list[Hit]:
        """The k chunks `ask` answers from, best first (the evals rank these)."""
        return self._retrieve(question, filters, k).hits

    def _retrieve(self, question: str, filters: Filters | None, k: int | None = None) -> Retrieved:
        question = " ".join(question.split())
        if not question:
            raise QuestionError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise QuestionError(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        if self.retriever is None:
            self.ensure_index()
        elif time.monotonic() - self._checked_at > self.settings.reload_check_seconds:
            self.refresh()
        assert self.retriever is not None
        t0 = time.perf_counter()
        notice = self.prompts.emergency if is_urgent(question) else None
        query = self.retriever.speller.correct(question)
        vector, own_search = self._embed_query(query)
        searched, search = query, own_search
        if notice and self.settings.urgent_guidance_query and (in_danger_now(query) or not asked_kind(query)):
            # Told as a story in everyday words ("she has just told me her stepdad hit her", "self harming"), an
            # urgent account matches the case studies of other children; what is needed is what to do, so it is
            # searched for in the guidance's words too (not only by BM25), with the guidance on acting at once.
            # Answers still compare sentences with the question itself (`vector`). Not a question asking for a
            # kind of thing about a disclosure, with no danger now ("What records should I keep when a child
            # discloses abuse?"): its own words find it, where the guidance on acting at once would crowd it out.
            searched = f"{in_guidance_words(query)} {self.settings.urgent_guidance_query}"
            search = self.passages.encode_queries([searched])[0]
        t1 = time.perf_counter()
        try:
            hits = self._search(searched, search, filters, k)
        except NotFoundError:  # two ingests finished since we loaded: our collection is gone; load the newest
            self.load()
            hits = self._search(searched, search, filters, k)
        timings = {"embed_ms": (t1 - t0) * 1000, "retrieve_ms": (time.perf_counter() - t1) * 1000}
        return Retrieved(question, query, notice, vector, hits, timings, own_search)

    def _draft(self, r: Retrieved, filters: Filters | None) -> Draft:
        """The answer as the answerer writes it from the passages in scope, vetted. A question asking how two things
        differ, or for their numbers, is answered for each thing in turn ("What is early help?", "What is a child in
        need?"; "How many rapid reviews in 2022-23?"), when the guidance answers each apart: asked at once, the
        passages on one crowd out the other."""
        things = compared(r.query)
        if things:
            parts = []
            for thing in things:
                parts.append((thing.name, self._answered(self._retrieve(thing.question, filters))))
            if answered_apart(parts):
                return merge(parts)
        local = self._answered(r)
        anywhere = self._anywhere(r, filters)
        if anywhere is r:
            return local
        general = self._answered(anywhere)
        # Both read as answers to the one question, the area left out: its name favours neither.
        if not general.answered or (local.answered and self._relevance(anywhere, local) >= self._relevance(anywhere,
                                                                                                           general)):
            return local
        area = self.settings.home_area
        if mentions(cited_context(general.citations, anywhere.hits), area):
            return general
        return replace(general, text=f"{self.prompts.national_guidance.format(area=area)}\n\n{general.text}")

    def _answered(self, r: Retrieved) -> Draft:
        """The answerer's draft from the passages in scope, vetted."""
        hits = self._in_scope(r)
        return self._vetted(r, self.answerer.compose(r.query, r.vector, hits))

    def _in_scope(self, r: Retrieved) -> list[Hit]:
        """The hits an answer is drawn from (see `scope.in_scope`), read as the near-miss check reads them."""
        assert self.retriever is not None
        return in_scope(r.query, r.hits, self.settings.scope_share, self.retriever.mentions)

    def _relevance(self, r: Retrieved, draft: Draft) -> float:
        """How well the cross-encoder reads the draft as answering the question (see `_answers_something_else`)."""
        assert self.retriever is not None
        return answer_relevance(self.retriever.in_guidance_terms(r.query), draft.text)

    def _anywhere(self, r: Retrieved, filters: Filters | None) -> Retrieved:
        """A question asking what to do in the partnership's own area ("How do I make a referral to children's
        social care in Somerset?", "What should I do if I'm worried about a child in Somerset?"), asked of the
        guidance for anywhere: national guidance applies there. Naming the area, it is answered only from passages
        naming it (the annual report's), which tell what the partnership did; `_draft` keeps their answer only if the
        cross-encoder reads it as answering the question without the area at least as well ("How do I escalate a
        disagreement … in Somerset?": the local protocol). A fact about the area ("How many children are on child
        protection plans in Somerset?") is not asked anew: it must come from a passage naming the area. Otherwise
        the question itself. Searched afresh: the question's own search leans to the passages naming the area."""
        area = self.settings.home_area
        if not area or not asks_what_to_do(r.query):
            return r
        anywhere = without_area(r.query, area)
        return r if anywhere == r.query else self._retrieve(anywhere, filters)

    def _vetted(self, r: Retrieved, draft: Draft) -> Draft:
        """The draft, or a refusal: when the question names a place, body or year its citations never
        mention (a near miss must not be answered from another partnership's or year's figures), or when
        an urgent question's evidence is weak (after the emergency advice, only a strong match is shown), or it
        tells of a medical emergency, accident or fire alone (the emergency advice is the answer), or when a weakly
        evidenced answer reads as about something else (`_answers_something_else`)."""
        if not draft.answered:
            return draft
        weak = bool(r.notice) and (
            draft.evidence < self.settings.urgent_refusal_threshold or is_emergency_only(r.question))
        missing = [] if weak else self._unnamed(r.query, r.hits, draft.citations)
        if missing:
            log.info("refused a near miss: the cited passages never mention %s", missing)
        elif not weak and self._named_only(r, draft):
            missing = question_terms(r.query)
            log.info("refused a near miss: the cited passages name %s and answer nothing else", missing)
        off_question = not (weak or missing) and self._answers_something_else(r, draft)
        return Draft(text="", answered=False, evidence=draft.evidence) if weak or missing or off_question else draft

    def _unnamed(self, query: str, hits: list[Hit], citations: list[Citation] | None) -> list[str]:
        """The question's years and names that no cited passage (no hit, if citations is None) mentions (see
        `HybridRetriever.mentions`: "the panel" is the Child Safeguarding Practice Review Panel where its document
        names it; a partnership the document never names, "the Dorset Safeguarding Children Partnership", is not "the
        partnership" of another's report)."""
        assert self.retriever is not None
        sections = None if citations is None else {(c.document, c.section) for c in citations}
        cited = [h for h in hits if sections is None or (h.info.id, h.chunk.section) in sections]
        return [t for t in question_terms(query) if not any(self.retriever.mentions(h, t) for h in cited)]

    def _answers_something_else(self, r: Retrieved, draft: Draft) -> bool:
        """Whether the cross-encoder, reading the question (with the guidance's words for its everyday ones and its
        acronyms spelt out) and the answer's text, judges that the answer is about something else; or reads it as
        not clearly relevant, and the question turns on a word that the guidance hardly uses and the answer does not
        (`unused_words`: "What should I wear to a child protection conference?", 3.4). Only weakly evidenced answers
        are read, and not urgent ones: to the cross-encoder, an account of harm reads as far from the guidance that
        answers it (-7.8 for an urgent eval question answered right)."""
        s = self.settings
        if r.notice or draft.evidence >= s.answer_check_evidence:
            return False
        relevance = self._relevance(r, draft)
        if relevance < s.answer_check_threshold:
            log.info("refused: the answer reads as about something else (cross-encoder %.2f)", relevance)
            return True
        if relevance < s.answer_check_rare_threshold:
            assert self.retriever is not None
            passages_with = self.retriever.keyword.passages_with
            unused = unused_words(r.query, draft.text, passages_with, s.answer_check_rare_passages)
            if unused:
                log.info("refused: the question turns on %s, which the guidance hardly uses and the answer does not "
                         "(cross-encoder %.2f)", unused, relevance)
                return True
        return False

    def _named_only(self, r: Retrieved, draft: Draft) -> bool:
        """Whether every passage the draft cites came forward only for naming the question's names, and what it
        quotes shares nothing else with the question ("Somerset and Dorset have a joint Child Death Overview Panel"
        for "What is the Dorset safeguarding partnership's escalation policy?")."""
        by_name = {(h.info.id, h.chunk.section) for h in came_forward_by_name(r.hits, self.settings.scope_share)}
        cited = {(c.document, c.section) for c in draft.citations}
        return bool(cited) and cited <= by_name and not answers_beyond_names(
            in_guidance_words(r.query), [c.quote for c in draft.citations])

    def _urgent_guidance(self, r: Retrieved, filters: Filters | None, draft: Draft, shown: bool = False) -> Draft:
        """For an urgent account of harm that the guidance does not cover as such (the draft is a refusal, or opens
        with a sentence that does not say what should be done: a definition of physical abuse, for a burn a child
        says their mum made), or a question asking what to do about a child's disclosure or harm that it refuses
        ("a 13 year old has told me she is pregnant, what should I do?"), what it says to do whenever a child may be
        being harmed, quoted from one passage and cited after a line saying so, rather than "not covered". Only
        passages the filters allow, and only if what is quoted says what should be done. A medical emergency or
        accident alone keeps the refusal: the emergency notice is the advice. An answer whose sentences were already
        `shown` (streamed) is kept.
        The passage comes from the document the question's own search leans to, where that document has one: a
        teacher telling of a pupil is given the schools' guidance, a social worker the social workers'."""
        query = self.settings.urgent_guidance_query
        urgent = bool(r.notice)
        asked = asks_what_to_do(r.question) and mentions_a_child(r.question)
        if not query or not describes_harm(r.question) or not (urgent or asked):
            return draft
        if draft.answered and (shown or not urgent or directs(answer_parts(draft.text)[0])):
            return draft
        vector, search = self._urgent_query_vectors
        hits = self._search(query, search, filters, None)
        # An urgent question was searched for with the query added: its own words say which document it leans to.
        own = self._search(r.query, r.own_search, filters, None) if urgent else r.hits
        leaning = Counter(h.info.id for h in own).most_common(1)  # ties: the document ranked first
        hits = [h for h in hits if leaning and h.info.id == leaning[0][0]] or hits
        candidates, scores = self.quoter.score(query, vector, hits)
        if not candidates:
            return draft
        # Quoted from the one passage that says it best: instructions read as they were written, not spliced
        # from several documents.
        general = self.quoter.compose(query, vector, [hits[candidates[int(np.argmax(scores))].hit_index]])
        if not general.answered or not directs(general.text):  # e.g. only reports may be searched: none says
            return draft
        text = f"{self.prompts.urgent_guidance}\n\n{general.text}"
        return Draft(text=text, answered=True, citations=general.citations, evidence=general.evidence)

    @cached_property
    def _urgent_query_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The urgent guidance query's vectors: the query is fixed by the settings, so embedded once."""
        return self._embed_query(self.settings.urgent_guidance_query)

    def _embed_query(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """The query's MiniLM vector (answer sentences are compared with it) and its vector for the store's
        dense model (the same one when that is MiniLM). The store's model searches with the acronyms the corpus
        spells out spelt out too, as BM25 does ("Who should be the DSL …? (designated safeguarding lead)"): to it
        an acronym is a few letters."""
        if self.passages is self.embedder:
            vector = self.embedder.encode([query])[0]
            return vector, vector
        assert self.retriever is not None
        # The two models are independent: the store's encodes on another thread meanwhile (3-5 ms of 12 saved).
        searched = _QUERY_ENCODERS.submit(self.passages.encode_queries, [self.retriever.acronyms.expand(query)])
        vector = self.embedder.encode([query])[0]
        return vector, searched.result()[0]

    def _search(self, query: str, vector: np.ndarray, filters: Filters | None, k: int | None) -> list[Hit]:
        retriever = self.retriever
        assert retriever is not None
        return retriever.search(query, vector, filters, k)

    def _answer(self, answer_id: str, r: Retrieved, draft: Draft) -> Answer:
        answer = Answer(
            answer_id=answer_id,
            question=r.question,
            answer=draft.text if draft.answered else self.prompts.not_covered,
            answered=draft.answered,
            citations=draft.citations if draft.answered else [],
            notice=r.notice,
            timings={k: round(v, 2) for k, v in r.timings.items()},
        )
        if not draft.answered:
            seen: set[str] = set()
            for hit in r.hits:
                if hit.chunk.id in seen:
                    continue
                seen.add(hit.chunk.id)
                answer.closest_sources.append(first_sentence_citation(len(answer.closest_sources) + 1, hit))
                if len(answer.closest_sources) >= self.settings.closest_sources:
                    break
        return answer


def answer_parts(text: str) -> list[str]:
    """The answer cut after each sentence and its [n] markers, spaces kept: the parts join back to it."""
    cuts = [m.end() for m in re.finditer(r"[.!?](?:\s*\[\d+\])*\s+(?=[^\s\[])", text)]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b]]
