"""Benchmark: how ingest time and query latency grow with the corpus — the bundled corpus ×1, ×4, ×16
(synthetic copies with distinct ids and titles, so every copy is chunked, embedded and searched as a
document of its own). Prints a table; asserts nothing.

    .venv/bin/python evals/bench_scale.py [--factors 1,4,16] [--questions 40]

Each factor is ingested into a fresh data directory in this process (the model loads once); then warm
in-process `ask` latency is measured over the first N eval questions (second pass, warm caches).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np

from assistant.embeddings import get_embedder
from assistant.evaluation import load_questions
from assistant.pipeline import Assistant
from assistant.settings import PROJECT_ROOT, Settings

ROOT = Path(__file__).resolve().parent.parent


def synthetic_corpus(target: Path, factor: int) -> int:
    """`factor` copies of every bundled document; copy k > 0 gets id `<id>-copy<k>` and a titled suffix."""
    sidecars = sorted((ROOT / "corpus").rglob("*.meta.toml"))
    for k in range(factor):
        for sidecar in sidecars:
            document = sidecar.with_name(sidecar.name.removesuffix(".meta.toml"))
            meta = tomllib.loads(sidecar.read_text(encoding="utf-8"))
            if k:
                meta["id"], meta["title"] = f"{meta['id']}-copy{k}", f"{meta['title']} (copy {k})"
            folder = target / f"{meta['id']}"
            folder.mkdir(parents=True)
            shutil.copy(document, folder / document.name)
            lines = [f"{key} = {json.dumps(str(value))}" for key, value in meta.items()]
            (folder / f"{document.name}.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return factor * len(sidecars)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,4,16", help="Comma-separated corpus multiples.")
    parser.add_argument("--questions", type=int, default=40, help="Eval questions timed per factor.")
    args = parser.parse_args()
    embedder = get_embedder()
    questions = [q.question for q in load_questions(PROJECT_ROOT / "evals" / "questions.jsonl")][: args.questions]
    rows = []
    for factor in (int(f) for f in args.factors.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"scale-x{factor}-"))
        try:
            documents = synthetic_corpus(work / "corpus", factor)
            bot = Assistant(Settings(data_dir=work / "data", corpus_dir=work / "corpus"), embedder)
            report = bot.ingest()
            for _ in range(2):  # the second pass is the warm one
                latencies, stages = [], {"embed_ms": [], "retrieve_ms": [], "answer_ms": []}
                for question in questions:
                    start = time.perf_counter()
                    answer = bot.ask(question)
                    latencies.append((time.perf_counter() - start) * 1000)
                    for key, values in stages.items():
                        values.append(answer.timings[key])
            p50, p95 = np.percentile(latencies, [50, 95])
            rows.append((factor, documents, report.chunks_total, report.seconds, report.embed_seconds, p50, p95))
            per_stage = ", ".join(f"{k} p50 {np.percentile(v, 50):.0f}" for k, v in stages.items())
            print(f"x{factor}: {report.summary()}; ask p50 {p50:.0f} ms, p95 {p95:.0f} ms ({per_stage})", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    print("\n| corpus | documents | chunks | ingest s | embedding s | ms per chunk | ask p50 ms | ask p95 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for factor, documents, chunks, seconds, embed, p50, p95 in rows:
        print(f"| ×{factor} | {documents} | {chunks} | {seconds:.1f} | {embed:.1f} | {1000 * seconds / chunks:.1f} | "
              f"{p50:.0f} | {p95:.0f} |")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
