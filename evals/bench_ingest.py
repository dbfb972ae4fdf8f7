"""Benchmark: full ingest time vs the raw model.encode time of the same chunks, unchanged re-ingest time,
peak memory. Prints numbers; asserts nothing.  Run: .venv/bin/python evals/bench_ingest.py"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from assistant.embeddings import get_embedder, passage_embedder
from assistant.settings import Settings
from ingest.chunking import chunk_document, embedding_text
from ingest.corpus import discover
from ingest.index import ingest_corpus
from ingest.loaders import load_document


def main() -> None:
    embedder = get_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "index")
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

        start = time.perf_counter()
        full = ingest_corpus(settings, embedder=embedder)
        full_s = time.perf_counter() - start
        start = time.perf_counter()
        again = ingest_corpus(settings, embedder=embedder)
        again_s = time.perf_counter() - start
        start = time.perf_counter()
        model.encode(texts, batch_size=settings.embed_batch_size)
        raw_s = time.perf_counter() - start

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(full.added)}; chunks: {full.chunks_total}")
    print(f"full ingest: {full_s:.1f} s (of which embedding {full.embed_seconds:.1f} s)")
    print(f"raw {model.name} encode of the same {len(texts)} chunks: {raw_s:.1f} s")
    print(f"ratio full ingest / raw encode: {full_s / raw_s:.2f}")
    print(f"unchanged re-ingest: {again_s:.2f} s ({100 * again_s / full_s:.1f}% of full); "
          f"embedded {again.chunks_embedded} chunks")
    print(f"peak resident memory: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
