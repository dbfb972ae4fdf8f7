"""Score the assistant on the eval questions: retrieval recall, key facts, citations, refusals, urgency."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from assistant.pipeline import Assistant
from assistant.retrieval import Hit
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


def load_questions(path: Path, split: str | None = None) -> list[EvalQuestion]:
    rows = [EvalQuestion(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
    return [q for q in rows if split in (None, "all") or q.split == split]


def normalise(text: str) -> str:
    """Compare facts ignoring case, table separators and runs of whitespace."""
    return re.sub(r"[\s|]+", " ", text.lower().replace("’", "'")).strip()


def section_matches(section: str, gold: str) -> bool:
    return normalise(gold.strip()) in normalise(section)


def hit_is_relevant(hit: Hit, q: EvalQuestion) -> bool:
    """The gold passage: the right document and section, holding the first key fact."""
    if hit.info.id != q.document or not q.section or not section_matches(hit.chunk.section, q.section):
        return False
    return not q.facts or normalise(q.facts[0]) in normalise(hit.chunk.text)


@dataclass
class QuestionResult:
    question: EvalQuestion
    answer: Answer
    rank: int | None  # 1-based rank of the first relevant chunk in the top 10
    facts_ok: bool
    citation_ok: bool
    seconds: float


@dataclass
class EvalReport:
    results: list[QuestionResult] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        graded = [r for r in self.results if r.question.answerable and r.question.facts and r.question.document]
        refusable = [r for r in self.results if not r.question.answerable]
        refused = [r for r in self.results if not r.answer.answered]
        urgent = [r for r in self.results if r.question.urgent]
        ranks = [r.rank for r in graded]

        def recall(k: int) -> float:
            return _mean([1.0 if rank is not None and rank <= k else 0.0 for rank in ranks])

        latencies = [r.seconds * 1000 for r in self.results]
        return {
            "questions": len(self.results),
            "recall@1": recall(1),
            "recall@3": recall(3),
            "recall@5": recall(5),
            "mrr": _mean([1.0 / rank if rank else 0.0 for rank in ranks]),
            "fact_accuracy": _mean([1.0 if r.facts_ok else 0.0 for r in graded]),
            "citation_accuracy": _mean([1.0 if r.citation_ok else 0.0 for r in graded]),
            "refusal_precision": _mean([0.0 if r.question.answerable else 1.0 for r in refused]) if refused else 1.0,
            "refusal_recall": _mean([1.0 if not r.answer.answered else 0.0 for r in refusable]),
            "urgent_notice_rate": _mean([1.0 if r.answer.notice else 0.0 for r in urgent]),
            "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else 0.0,
            "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else 0.0,
        }


def _mean(values: list[float]) -> float:
    return float(sum(values) / len(values)) if values else 0.0


def facts_present(answer: Answer, q: EvalQuestion) -> bool:
    text = normalise(answer.answer)
    return answer.answered and all(normalise(f) in text for f in q.facts)


def citation_supports(answer: Answer, q: EvalQuestion) -> bool:
    """A citation from the gold document and section whose quote holds a key fact."""
    return any(
        c.document == q.document
        and q.section is not None
        and section_matches(c.section, q.section)
        and any(normalise(f) in normalise(c.quote) for f in q.facts)
        for c in answer.citations
    )


def evaluate(assistant: Assistant, questions: list[EvalQuestion]) -> EvalReport:
    report = EvalReport()
    assert assistant.retriever is not None
    for q in questions:
        start = time.perf_counter()
        answer = assistant.ask(q.question)
        seconds = time.perf_counter() - start
        vector = assistant.embedder.encode([q.question])[0]
        hits = assistant.retriever.search(q.question, vector, k=10)
        rank = next((i + 1 for i, h in enumerate(hits) if hit_is_relevant(h, q)), None)
        report.results.append(
            QuestionResult(q, answer, rank, facts_present(answer, q), citation_supports(answer, q), seconds)
        )
    return report
