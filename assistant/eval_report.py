"""Render `assistant eval` results: a Markdown table and a PNG bar chart, side by side per row."""

from __future__ import annotations

import math
from pathlib import Path

from assistant.evaluation import EvalReport, QuestionResult, missing_facts

COLUMNS = [
    ("recall@1", "R@1"), ("recall@3", "R@3"), ("recall@5", "R@5"), ("mrr", "MRR"), ("ndcg@10", "nDCG@10"),
    ("fact_accuracy", "key facts"), ("citation_accuracy", "right section cited"),
    ("citation_precision", "citation precision"), ("refusal_precision", "refusal P"),
    ("refusal_recall", "refusal R"), ("urgent_notice_rate", "urgent notice"),
    ("answer_words_p50", "answer words p50"), ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
]
PLOTTED = ["recall@5", "fact_accuracy", "citation_accuracy", "refusal_recall", "urgent_notice_rate"]


def markdown_table(reports: list[EvalReport]) -> str:
    header = "| system | " + " | ".join(label for _, label in COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(COLUMNS)
    rows = []
    for report in reports:
        m = report.metrics()
        cells = [_cell(key, m[key]) for key, _ in COLUMNS]
        rows.append(f"| {report.name} | " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *rows])


def _cell(key: str, value: float) -> str:
    if math.isnan(value):
        return "–"  # no question to measure it on
    return f"{value:.0f}" if key.endswith(("_ms", "_p50")) else f"{value:.2f}"


def how_sure(report: EvalReport) -> str:
    """What one question is worth in the row's figures, and their 95% intervals: a change between two runs
    smaller than that is not evidence of anything. Key facts and recall@5 are counted too, as the table's two
    decimals round 52 of 58 (0.897) up to a target's 0.90."""
    graded = report.graded()
    if not graded:
        return ""
    ci, counts = report.intervals(), report.counts()
    parts = [f"{label} {counts[key]} of {len(graded)} = {counts[key] / len(graded):.3f} "
             f"[{ci[key][0]:.2f}–{ci[key][1]:.2f}]"
             for key, label in (("fact_accuracy", "key facts"), ("recall@5", "recall@5"))]
    return (f"How sure ({report.name}): {len(graded)} graded questions, so one question moves key facts or recall by "
            f"{1 / len(graded):.3f}; 95% intervals (Wilson): {'; '.join(parts)}.")


def failures(report: EvalReport, limit: int = 40) -> str:
    """The questions the row got wrong, each with what was wrong, to read before changing anything."""
    lines = []
    for r in report.results:
        why = _what_went_wrong(r)
        if why:
            q = r.question
            got = "refused" if not r.answer.answered else r.answer.answer[:160].replace("\n", " ")
            lines.append(f"- `{q.id}` ({q.kind}, {why}) — {q.question} → {got}")
    return "\n".join(lines[:limit]) or "- none"


def _what_went_wrong(r: QuestionResult) -> str | None:
    q = r.question
    if q.urgent and not r.answer.notice:
        return "no urgent notice"
    if q.answerable != r.answer.answered and not q.urgent:
        return "refused" if q.answerable else "answered, should refuse"
    if not q.graded:
        return None
    missing = missing_facts(r.answer, q)
    if missing:
        return "missing " + ", ".join(f"“{f}”" for f in missing)
    if not r.facts_ok:  # every fact is in the text, but the answer is a refusal (an urgent question's)
        return "refused"
    if not r.citation_ok:
        return "no citation of the gold section holds a fact"
    return None


def plot(reports: list[EvalReport], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(11, 4.8))
    width = 0.8 / max(len(reports), 1)
    x = np.arange(len(PLOTTED))
    for i, report in enumerate(reports):
        m = report.metrics()
        ax.bar(x + i * width, [m[k] for k in PLOTTED], width, label=report.name)
    ax.set_xticks(x + width * (len(reports) - 1) / 2, [dict(COLUMNS)[k] for k in PLOTTED])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of questions")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Partnership Assistant vs the LangChain tutorial recipe (same questions, same run)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(reports: list[EvalReport], out_dir: Path, split: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    plot(reports, out_dir / "report.png")
    questions = reports[0].metrics()["questions"] if reports else 0
    text = [
        "# Evaluation report",
        "",
        f"Split: `{split}` ({questions:.0f} questions from evals/questions.jsonl). A retrieved passage counts as",
        "relevant when it comes from the gold document and holds the first key fact; key facts must all appear",
        "in the answer;",
        "'right section cited' needs a citation from the gold document and section whose quote holds a fact.",
        "",
        markdown_table(reports),
        "",
        how_sure(reports[0]) if reports else "",
        "",
        "![metrics](report.png)",
        "",
    ]
    for report in reports:
        text += [f"## Misses: {report.name}", "", failures(report), ""]
    path = out_dir / "report.md"
    path.write_text("\n".join(text))
    return path
