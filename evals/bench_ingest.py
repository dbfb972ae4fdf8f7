"""Benchmark: full ingest time vs the raw model.encode time of the same chunks, unchanged re-ingest time,
peak memory. Prints numbers; asserts nothing.  Run: .venv/bin/python evals/bench_ingest.py [--repeats N]

On a shared 2-core machine the same encode varies by ±5 s run to run (53–62 s measured back to back), more than
the overhead being measured, so full ingests and raw encodes alternate and the median ratio is reported."""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from assistant.embeddings import get_embedder, passage_embedder
from assistant.settings import Settings
from ingest.chunking import chunk_document, embedding_text
from ingest.corpus import discover
from ingest.index import IngestReport, ingest_corpus
from ingest.loaders import load_document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3, help="full ingest / raw encode pairs (default 3)")
    args = parser.parse_args()
    embedder = get_embedder()
    settings = Settings()
    model = passage_embedder(settings.dense_model, embedder)  # what embeds the chunks
    texts = []
    for item in discover(settings.corpus_dir, settings):
        if item.info is None:
            continue
        blocks = load_document(item.path)
        chunks = chunk_document(item.info, blocks, embedder.count_tokens_many, settings.chunk_tokens)
        texts += [embedding_text(item.info, c) for c in chunks]
    # One untimed pass first: the CPU kernels for each batch shape are built on first use, and the
    # timed run that came first would pay for them alone.
    model.encode(texts, batch_size=settings.embed_batch_size)

    ratios: list[float] = []
    for run in range(1, args.repeats + 1):
        with tempfile.TemporaryDirectory() as tmp:
            run_settings = Settings(data_dir=Path(tmp) / "index")
            start = time.perf_counter()
            full: IngestReport = ingest_corpus(run_settings, embedder=embedder)
            full_s = time.perf_counter() - start
            start = time.perf_counter()
            again = ingest_corpus(run_settings, embedder=embedder)
            again_s = time.perf_counter() - start
        start = time.perf_counter()
        model.encode(texts, batch_size=settings.embed_batch_size)
        raw_s = time.perf_counter() - start
        ratios.append(full_s / raw_s)
        print(f"run {run}: full ingest {full_s:.1f} s (embedding and writing {full.embed_seconds:.1f} s) of "
              f"{full.chunks_total} chunks from {len(full.added)} documents; raw {model.name} encode of the same "
              f"{len(texts)} chunks {raw_s:.1f} s; ratio {full_s / raw_s:.2f}; unchanged re-ingest {again_s:.2f} s "
              f"({100 * again_s / full_s:.1f}% of full, {again.chunks_embedded} chunks embedded)", flush=True)
    print(f"median ratio full ingest / raw encode over {len(ratios)} runs: {statistics.median(ratios):.2f} "
          f"(runs: {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
