"""Chunks of the real bundled documents fit the model window, keep every word, never cross a heading
and keep stable ids; a long block is never cut mid-sentence."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import pytest

from assistant.embeddings import Embedder
from assistant.schema import Block, Chunk, DocumentInfo
from assistant.sentences import split_sentences
from assistant.settings import Settings
from ingest.chunking import chunk_document, embedding_text
from ingest.corpus import discover
from ingest.loaders import load_document

MODEL_WINDOW = 256


@dataclass
class ChunkedDocument:
    info: DocumentInfo
    blocks: list[Block]
    chunks: list[Chunk]


@pytest.fixture(scope="module")
def chunk_tokens() -> int:
    return Settings().chunk_tokens


@pytest.fixture(scope="module")
def corpus_documents(embedder: Embedder, chunk_tokens: int, tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("unused"))
    found = discover(settings.corpus_dir, settings)
    assert len(found) == 5 and all(f.info is not None for f in found), [(f.path, f.error) for f in found]
    documents = []
    for item in found:
        blocks = load_document(item.path)
        documents.append(
            ChunkedDocument(
                item.info, blocks, chunk_document(item.info, blocks, embedder.count_tokens_many, chunk_tokens)
            )
        )
    return documents


def _ids(documents: list[ChunkedDocument]) -> list[str]:
    return [d.info.id for d in documents]


def test_every_chunk_fits_the_model_window(corpus_documents, embedder: Embedder, chunk_tokens: int) -> None:
    assert embedder.max_tokens == MODEL_WINDOW
    too_long = []
    for doc in corpus_documents:
        for chunk in doc.chunks:
            tokens = embedder.count_tokens(embedding_text(doc.info, chunk))
            if tokens > min(chunk_tokens, MODEL_WINDOW):
                too_long.append((chunk.id, tokens))
    assert not too_long, (
        f"chunks longer than the window (the model would silently truncate them): {too_long[:5]}"
    )


def test_every_chunk_has_a_heading_path(corpus_documents) -> None:
    for doc in corpus_documents:
        assert doc.chunks, f"{doc.info.id} produced no chunks"
        for chunk in doc.chunks:
            assert chunk.headings and all(h.strip() for h in chunk.headings), chunk.id
            assert chunk.section, chunk.id
            assert chunk.text.strip(), chunk.id


def _is_subsequence(needle: list[str], haystack: list[str]) -> tuple[bool, int]:
    """Whether needle's words appear in haystack in order; also how many matched."""
    it = iter(haystack)
    matched = 0
    for word in needle:
        for candidate in it:
            if candidate == word:
                matched += 1
                break
        else:
            return False, matched
    return True, matched


def test_no_text_lost_and_no_chunk_crosses_a_heading(corpus_documents) -> None:
    """Sections of blocks (runs with the same heading path) map one-to-one, in order, onto runs of chunks
    with that heading path, and every word of the section is in its chunks, in order."""
    for doc in corpus_documents:
        block_sections = [
            (path, [w for b in group for w in b.text.split()])
            for path, group in groupby(doc.blocks, key=lambda b: tuple(b.headings or [doc.info.title]))
        ]
        chunk_sections = [
            (path, [w for c in group for w in c.text.split()])
            for path, group in groupby(doc.chunks, key=lambda c: tuple(c.headings))
        ]
        assert [p for p, _ in chunk_sections] == [p for p, _ in block_sections], doc.info.id
        for (path, block_words), (_, chunk_words) in zip(block_sections, chunk_sections, strict=True):
            ok, matched = _is_subsequence(block_words, chunk_words)
            before = " ".join(block_words[max(0, matched - 8) : matched])
            assert ok, (
                f"{doc.info.id} / {' > '.join(path)}: lost after {before!r}: {block_words[matched:][:8]}"
            )


def test_chunk_text_is_not_duplicated_outside_tables(corpus_documents) -> None:
    """Prose is not repeated across chunks: word counts match exactly for sections without tables."""
    for doc in corpus_documents:
        for path, group in groupby(doc.blocks, key=lambda b: tuple(b.headings or [doc.info.title])):
            blocks = list(group)
            if any(b.kind == "table" for b in blocks):
                continue
            chunk_words = sum(len(c.text.split()) for c in doc.chunks if tuple(c.headings) == path)
            assert chunk_words == sum(len(b.text.split()) for b in blocks), (doc.info.id, path)


def test_chunk_ids_are_stable_and_unique(corpus_documents, embedder: Embedder, chunk_tokens: int) -> None:
    for doc in corpus_documents:
        again = chunk_document(
            doc.info, load_document(Path(doc.info.path)), embedder.count_tokens_many, chunk_tokens
        )
        assert [c.id for c in again] == [c.id for c in doc.chunks], doc.info.id
        ids = [c.id for c in doc.chunks]
        assert len(set(ids)) == len(ids), doc.info.id
        assert all(i.startswith(f"{doc.info.id}:") for i in ids)


def test_pdf_chunks_know_their_pages(corpus_documents) -> None:
    for doc in corpus_documents:
        if not doc.info.path.endswith(".pdf"):
            continue
        last_page = max(b.page for b in doc.blocks)
        for chunk in doc.chunks:
            assert chunk.page_start is not None and 1 <= chunk.page_start <= chunk.page_end <= last_page, (
                chunk.id
            )
            assert len(chunk.line_pages) == len(chunk.text.split("\n")), chunk.id


TABLE_ROWS = ["Year | Referrals received by the front door | Assessments completed"] + [
    f"{2000 + i} | {1000 + i * 37} referrals | {500 + i * 11} assessments" for i in range(60)
]
SENTENCES = [
    f"Sentence number {i} explains that practitioners in agency {i} must record their concerns, "
    f"share them with the designated safeguarding lead, and review the plan within {i + 2} working days."
    for i in range(40)
]


def test_a_long_block_is_cut_only_between_sentences(embedder: Embedder, chunk_tokens: int) -> None:
    info = DocumentInfo(id="long", title="Long guidance")
    block = Block(text=" ".join(SENTENCES), headings=["Recording concerns"])
    assert embedder.count_tokens(block.text) > 3 * MODEL_WINDOW

    chunks = chunk_document(info, [block], embedder.count_tokens_many, chunk_tokens)

    assert len(chunks) >= 3
    rebuilt: list[str] = []
    for chunk in chunks:
        assert chunk.text.endswith("working days."), f"chunk cut mid-sentence: ...{chunk.text[-60:]!r}"
        assert chunk.headings == ["Recording concerns"]
        assert embedder.count_tokens(embedding_text(info, chunk)) <= chunk_tokens
        rebuilt.extend(split_sentences(chunk.text))
    assert rebuilt == SENTENCES


def test_a_long_table_repeats_its_header_row_in_every_chunk(embedder: Embedder, chunk_tokens: int) -> None:
    info = DocumentInfo(id="table", title="Figures")
    block = Block(text="\n".join(TABLE_ROWS), headings=["Activity"], kind="table")

    chunks = chunk_document(info, [block], embedder.count_tokens_many, chunk_tokens)

    assert len(chunks) >= 2
    for chunk in chunks:
        assert chunk.text.startswith(TABLE_ROWS[0] + "\n"), (
            "every piece of a split table starts with its header"
        )
        assert embedder.count_tokens(embedding_text(info, chunk)) <= chunk_tokens


def test_a_long_table_keeps_one_row_per_line(embedder: Embedder, chunk_tokens: int) -> None:
    info = DocumentInfo(id="table", title="Figures")
    block = Block(text="\n".join(TABLE_ROWS), headings=["Activity"], kind="table")

    chunks = chunk_document(info, [block], embedder.count_tokens_many, chunk_tokens)

    body_lines = [line for c in chunks for line in c.text.split("\n") if line != TABLE_ROWS[0]]
    assert body_lines == TABLE_ROWS[1:]
