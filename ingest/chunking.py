"""Pack a document's blocks into chunks that fit the embedding window without breaking sentences."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.schema import Block, BlockKind, Chunk, DocumentInfo
from assistant.sentences import split_sentences

TokenCounter = Callable[[Sequence[str]], list[int]]
SPECIAL_TOKENS = 2  # [CLS] and [SEP]


def embedding_text(info: DocumentInfo, chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: the title and heading path give a chunk its context."""
    return f"{info.title} — {chunk.section}\n{chunk.text}"


@dataclass
class _Unit:
    text: str
    tokens: int
    page: int | None
    block: int
    kind: BlockKind


def chunk_document(
    info: DocumentInfo, blocks: Sequence[Block], count_tokens: TokenCounter, max_tokens: int
) -> list[Chunk]:
    """Chunks never cross a heading path, never cut a sentence or table row, and fit max_tokens
    including the title/heading prefix that `embedding_text` adds."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for headings, section_blocks in _sections(info, blocks):
        probe = Chunk(id="", doc_id=info.id, text="", headings=headings)
        prefix_tokens = count_tokens([embedding_text(info, probe)])[0]
        budget = max_tokens - prefix_tokens
        if budget < 32:
            raise ValueError(f"{info.id}: heading path too long to leave room for text: {probe.section[:120]}")
        for units in _pack(_units(section_blocks, count_tokens, budget), budget):
            chunk = _make_chunk(info, headings, units, seen)
            chunks.append(chunk)
    return chunks


def _sections(info: DocumentInfo, blocks: Sequence[Block]) -> list[tuple[list[str], list[Block]]]:
    sections: list[tuple[list[str], list[Block]]] = []
    for block in blocks:
        headings = block.headings or [info.title]
        if sections and sections[-1][0] == headings:
            sections[-1][1].append(block)
        else:
            sections.append((headings, [block]))
    return sections


def _units(blocks: Sequence[Block], count_tokens: TokenCounter, budget: int) -> list[_Unit]:
    """Whole blocks where they fit; else sentences (or table rows, header repeated); else word runs."""
    units: list[_Unit] = []
    whole = count_tokens([b.text for b in blocks])
    for index, (block, tokens) in enumerate(zip(blocks, whole, strict=True)):
        if tokens - SPECIAL_TOKENS <= budget:
            units.append(_Unit(block.text, tokens - SPECIAL_TOKENS, block.page, index, block.kind))
            continue
        if block.kind == "table":
            rows = block.text.split("\n")
            header, body = rows[0], rows[1:]
            pieces = [f"{header}\n{row}" for row in body] if body else [header]
        else:
            pieces = split_sentences(block.text)
        for piece, piece_tokens in zip(pieces, count_tokens(pieces), strict=True):
            if piece_tokens - SPECIAL_TOKENS <= budget:
                units.append(_Unit(piece, piece_tokens - SPECIAL_TOKENS, block.page, index, block.kind))
            else:
                runs = _word_runs(piece, count_tokens, budget)
                units.extend(_Unit(w, t, block.page, index, block.kind) for w, t in runs)
    return units


def _word_runs(text: str, count_tokens: TokenCounter, budget: int) -> list[tuple[str, int]]:
    """Last resort for a 'sentence' longer than the window (a run-on list): cut between words."""
    words = text.split()
    word_tokens = count_tokens(words)
    runs: list[tuple[str, int]] = []
    current: list[str] = []
    used = 0
    for word, tokens in zip(words, word_tokens, strict=True):
        cost = tokens - SPECIAL_TOKENS
        if current and used + cost > budget:
            runs.append((" ".join(current), used))
            current, used = [], 0
        current.append(word)
        used += cost
    if current:
        runs.append((" ".join(current), used))
    return runs


def _pack(units: list[_Unit], budget: int) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    used = 0
    for unit in units:
        if current and used + unit.tokens > budget:
            groups.append(current)
            current, used = [], 0
        current.append(unit)
        used += unit.tokens
    if current:
        groups.append(current)
    return groups


def _make_chunk(info: DocumentInfo, headings: list[str], units: list[_Unit], seen: set[str]) -> Chunk:
    parts: list[str] = []
    line_pages: list[int | None] = [units[0].page]
    for i, unit in enumerate(units):
        if i and (unit.block != units[i - 1].block or unit.kind == "table"):
            parts.append("\n")  # a new block, or the next piece of a split table: rows stay one per line
            line_pages.append(unit.page)
        elif i:
            parts.append(" ")
        parts.append(unit.text)
        line_pages.extend([unit.page] * unit.text.count("\n"))  # table rows are lines too
    text = "".join(parts)
    pages = [u.page for u in units if u.page is not None]
    kinds = {u.kind for u in units}
    probe = Chunk(id="", doc_id=info.id, text=text, headings=headings)
    # The id hashes exactly what is embedded, so a vector is re-used only for identical input.
    digest = hashlib.sha1(embedding_text(info, probe).encode()).hexdigest()[:16]
    chunk_id = f"{info.id}:{digest}"
    n = 2
    while chunk_id in seen:  # the same words twice in one section still get distinct, stable ids
        chunk_id = f"{info.id}:{digest}-{n}"
        n += 1
    seen.add(chunk_id)
    return Chunk(
        id=chunk_id,
        doc_id=info.id,
        text=text,
        headings=headings,
        page_start=min(pages) if pages else None,
        page_end=max(pages) if pages else None,
        kind=kinds.pop() if len(kinds) == 1 else "paragraph",
        line_pages=line_pages,
    )
