"""Score the assistant on the eval questions: retrieval recall, key facts, citations, refusals, urgency."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel

from assistant.pipeline import Assistant

if TYPE_CHECKING:
    from assistant.baseline import TutorialRecipe
from assistant.schema import Answer


class EvalQuestion(BaseModel):
    id: str
    question: str
    kind: str
    document: str | None
    section: str | None
    facts: list[str]
    answerable: bool
    urgent: bool = False
    split: str

    @property
    def graded(self) -> bool:
        """Whether the answer is graded on facts and citations: an answerable question with a gold document and
        key facts."""
        return self.answerable and bool(self.facts) and bool(self.document)


SPLITS = ("test", "tune", "dev", "dev2", "all")


def split_questions(evals_dir: Path, split: str) -> list[EvalQuestion]:
    """The questions of a split: `test` and `tune` (or `all` of them) from questions.jsonl; `dev`, a third set written
    later to decide changes on besides `tune`, from dev_questions.jsonl; `dev2`, a fourth written after `dev` had
    been decided on for three sessions, from dev2_questions.jsonl."""
    if split in ("dev", "dev2"):
        return load_questions(evals_dir / f"{split}_questions.jsonl")
    return load_questions(evals_dir / "questions.jsonl", split)


def load_questions(path: Path, split: str | None = None) -> list[EvalQuestion]:
    rows = [EvalQuestion(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
    return [q for q in rows if split in (None, "all") or q.split == split]


def normalise(text: str) -> str:
    """Compare facts ignoring case, table separators and runs of whitespace."""
    return re.sub(r"[\s|]+", " ", text.lower().replace("’", "'")).strip()


def section_matches(section: str, gold: str) -> bool:
    return normalise(gold.strip()) in normalise(section)


def passage_is_relevant(doc_id: str, text: str, q: EvalQuestion) -> bool:
    """The gold passage: from the gold document and holding the first key fact. (Sections are not used
    here, so that chunkers without heading paths, like the tutorial recipe's, are judged the same way.)"""
    return doc_id == q.document and bool(q.facts) and normalise(q.facts[0]) in normalise(text)


@dataclass
class QuestionResult:
    question: EvalQuestion
    answer: Answer
    rank: int | None  # 1-based rank of the first relevant passage in the top 10
    facts_ok: bool
    citation_ok: bool
    citation_precision: float
    seconds: float


@dataclass
class EvalReport:
    name: str = "default"
    results: list[QuestionResult] = field(default_factory=list)

    def graded(self) -> list[QuestionResult]:
        """The results graded on facts and citations (see `EvalQuestion.graded`)."""
        return [r for r in self.results if r.question.graded]

    def metrics(self) -> dict[str, float]:
        graded = self.graded()
        refusable = [r for r in self.results if not r.question.answerable]
        refused = [r for r in self.results if not r.answer.answered]
        urgent = [r for r in self.results if r.question.urgent]
        ranks = [r.rank for r in graded]
        answered_graded = [r for r in graded if r.answer.answered]

        def recall(k: int) -> float:
            return _mean([1.0 if rank is not None and rank <= k else 0.0 for rank in ranks])

        latencies = [r.seconds * 1000 for r in self.results]
        return {
            "questions": len(self.results),
            "recall@1": recall(1),
            "recall@3": recall(3),
            "recall@5": recall(5),
            "mrr": _mean([1.0 / rank if rank else 0.0 for rank in ranks]),
            "ndcg@10": _mean([1.0 / math.log2(rank + 1) if rank else 0.0 for rank in ranks]),
            "fact_accuracy": _mean([1.0 if r.facts_ok else 0.0 for r in graded]),
            "citation_accuracy": _mean([1.0 if r.citation_ok else 0.0 for r in graded]),
            "citation_precision": _mean([r.citation_precision for r in answered_graded]),
            "refusal_precision": _mean([0.0 if r.question.answerable else 1.0 for r in refused]),
            "refusal_recall": _mean([1.0 if not r.answer.answered else 0.0 for r in refusable]),
            "urgent_notice_rate": _mean([1.0 if r.answer.notice else 0.0 for r in urgent]),
            "answer_words_p50": float(np.percentile([len(r.answer.answer.split()) for r in answered_graded], 50))
            if answered_graded
            else math.nan,
            "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else math.nan,
            "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else math.nan,
        }

    def counts(self) -> dict[str, int]:
        """How many graded questions have all their key facts, and their passage in the top 5."""
        graded = self.graded()
        return {"fact_accuracy": sum(1 for r in graded if r.facts_ok),
                "recall@5": sum(1 for r in graded if r.rank is not None and r.rank <= 5)}

    def intervals(self) -> dict[str, tuple[float, float]]:
        """95% intervals of key facts and recall@5 over the graded questions: how far a rerun or another set of
        questions of the same kind could move them."""
        n = len(self.graded())
        return {key: wilson_interval(count, n) for key, count in self.counts().items()}


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default): unlike the normal approximation, it stays
    within 0..1 and is honest near 1, where our targets are."""
    if n == 0:
        return 0.0, 0.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _mean(values: list[float]) -> float:
    """The mean, or NaN for no values: a share of no questions (urgent notices on a split without urgent
    questions, refusal precision of a row that never refuses) is not 0."""
    return float(sum(values) / len(values)) if values else math.nan


def missing_facts(answer: Answer, q: EvalQuestion) -> list[str]:
    """The key facts the answer's text does not contain (compared normalised)."""
    text = normalise(answer.answer)
    return [f for f in q.facts if normalise(f) not in text]


def facts_present(answer: Answer, q: EvalQuestion) -> bool:
    return answer.answered and not missing_facts(answer, q)


def citation_supports(answer: Answer, q: EvalQuestion) -> bool:
    """A citation from the gold document and section whose quote holds a key fact."""
    return any(
        c.document == q.document
        and q.section is not None
        and section_matches(c.section, q.section)
        and any(normalise(f) in normalise(c.quote) for f in q.facts)
        for c in answer.citations
    )


def citation_precision(answer: Answer, q: EvalQuestion) -> float:
    """Share of the answer's citations whose quoted text really holds a key fact."""
    if not answer.citations or not q.facts:
        return 0.0
    good = [c for c in answer.citations if any(normalise(f) in normalise(c.quote) for f in q.facts)]
    return len(good) / len(answer.citations)


Retrieve = Callable[[str], list[tuple[str, str]]]  # question -> top-10 (document id, passage text)
Ask = Callable[[str], Answer]


def run_questions(name: str, ask: Ask, retrieve: Retrieve, questions: list[EvalQuestion]) -> EvalReport:
    """Ask every question through one system and grade what comes back."""
    report = EvalReport(name=name)
    for q in questions:
        start = time.perf_counter()
        answer = ask(q.question)
        seconds = time.perf_counter() - start
        passages = retrieve(q.question)
        rank = next((i + 1 for i, (doc, text) in enumerate(passages) if passage_is_relevant(doc, text, q)), None)
        report.results.append(
            QuestionResult(
                q, answer, rank, facts_present(answer, q), citation_supports(answer, q),
                citation_precision(answer, q), seconds,
            )
        )
    return report


def pipeline_runner(assistant: Assistant) -> tuple[Ask, Retrieve]:
    """How an Assistant (or a variant of it) is asked and searched."""

    def retrieve(question: str) -> list[tuple[str, str]]:
        return [(h.info.id, h.chunk.text) for h in assistant.search(question, k=10)]

    return assistant.ask, retrieve


def recipe_runner(recipe: TutorialRecipe) -> tuple[Ask, Retrieve]:
    def retrieve(question: str) -> list[tuple[str, str]]:
        return [(d.metadata.get("doc_id", ""), d.page_content) for d in recipe.search(question, 10)]

    return recipe.ask, retrieve


def evaluate(assistant: Assistant, questions: list[EvalQuestion]) -> EvalReport:
    if assistant.retriever is None:
        assistant.ensure_index()
    ask, retrieve = pipeline_runner(assistant)
    return run_questions("default", ask, retrieve, questions)


# The rows of `assistant eval`: our default and its ablations, by setting overrides.
VARIANTS: dict[str, tuple[str, dict[str, object]]] = {
    "default": ("our default pipeline", {}),
    "bm25": ("BM25 alone", {"retrieval_mode": "keyword", "definition_boost": 0.0}),
    "dense": ("dense alone", {"retrieval_mode": "dense", "definition_boost": 0.0}),
    "hybrid": ("hybrid, plain RRF", {"fusion": "rrf", "dense_weight": 1.0, "keyword_weight": 1.0}),
    "rerank": ("default + cross-encoder reranker", {"rerank": True}),
}
# Rows whose dense model differs from the default's: each searches an index of its own, built under the
# default's data directory on first use. Weights and thresholds chosen on the `tune` split for that model.
OWN_INDEX: dict[str, tuple[str, dict[str, object]]] = {
    "minilm": ("default with all-MiniLM-L6-v2 dense vectors (the default until 2026-11-29)", {
        "dense_model": "all-MiniLM-L6-v2", "dense_weight": 0.25, "keyword_weight": 0.75,
        "refusal_threshold": 0.28, "urgent_refusal_threshold": 0.31,
    }),
}
RECIPE = "recipe"
ROWS = [*VARIANTS, *OWN_INDEX, RECIPE]


def own_index(assistant: Assistant, row: str) -> Assistant:
    """The assistant of an OWN_INDEX row: same corpus and questions, its own data directory and collection."""
    settings = assistant.settings.model_copy(update={
        **OWN_INDEX[row][1],
        "data_dir": assistant.settings.data_dir / f"eval-{row}",
        "collection": f"{assistant.settings.collection}-eval-{row}",
    })
    other = Assistant(settings, assistant.embedder)
    other.ensure_index()
    return other


def compare(assistant: Assistant, questions: list[EvalQuestion], rows: list[str]) -> list[EvalReport]:
    """Run the same questions through each row, in one process, on the same index."""
    reports = []
    for row in rows:
        if row == RECIPE:
            from assistant.baseline import TutorialRecipe

            recipe = TutorialRecipe(assistant.settings, assistant.embedder)
            recipe.build()
            reports.append(run_questions("LangChain tutorial recipe", *recipe_runner(recipe), questions))
            continue
        if row in OWN_INDEX:
            label, variant = OWN_INDEX[row][0], own_index(assistant, row)
        else:
            label, overrides = VARIANTS[row]
            variant = assistant.variant(**overrides)
        ask, retrieve = pipeline_runner(variant)
        ask("warm up")
        reports.append(run_questions(label, ask, retrieve, questions))
    return reports
