"""Benchmark: warm in-process `ask` latency over the eval questions (p50/p95), per stage.
Prints numbers; asserts nothing.  Run: .venv/bin/python evals/bench_query.py [--data-dir DIR]"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np

from assistant.answer_check import answer_relevance
from assistant.evaluation import load_questions
from assistant.pipeline import Assistant
from assistant.settings import PROJECT_ROOT, Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    assistant = Assistant(settings)
    assistant.ensure_index()
    questions = [q.question for q in load_questions(PROJECT_ROOT / "evals" / "questions.jsonl")]
    assistant.ask("warm up: how do I escalate a concern?")
    for label in ("first pass (cold sentence cache)", "second pass (warm sentence cache)"):
        totals, stages = [], {"embed_ms": [], "retrieve_ms": [], "answer_ms": []}
        answer_relevance.cache_clear()  # a question asked again reuses the cross-encoder's reading: not measured here
        for question in questions:
            start = time.perf_counter()
            answer = assistant.ask(question)
            totals.append((time.perf_counter() - start) * 1000)
            for key in stages:
                stages[key].append(answer.timings[key])
        print(f"{label}: {len(questions)} questions, ask p50 {np.percentile(totals, 50):.1f} ms, "
              f"p95 {np.percentile(totals, 95):.1f} ms")
        for key, values in stages.items():
            print(f"   {key}: p50 {np.percentile(values, 50):.1f}, p95 {np.percentile(values, 95):.1f}")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
