"""Pack a document's blocks into chunks that fit the embedding window without breaking sentences."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from assistant.schema import Block, BlockKind, Chunk, DocumentInfo
from assistant.sentences import split_sentences

TokenCounter = Callable[[Sequence[str]], list[int]]
SPECIAL_TOKENS = 2  # [CLS] and [SEP]
MIN_TEXT_TOKENS = 32  # the room for text a chunk keeps after its title and heading path
MAX_HEADING_CHARS = 100  # a heading is cut to this when its path would not leave that room


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
    including the title/heading prefix that `embedding_text` adds (a heading path too long for that is
    shortened). Raises ValueError only when the document's title alone leaves no room for text."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for path, section_blocks in _sections(info, blocks):
        headings, budget = _fit_headings(info, path, count_tokens, max_tokens)
        for units in _pack(_units(section_blocks, count_tokens, budget), budget):
            chunk = _make_chunk(info, headings, units, seen)
            chunks.append(chunk)
    return chunks


def _sections(info: DocumentInfo, blocks: Sequence[Block]) -> list[tuple[list[str], list[Block]]]:
    """Runs of blocks with the same heading path; blank blocks and blank headings are dropped."""
    sections: list[tuple[list[str], list[Block]]] = []
    for block in blocks:
        if not block.text.strip():
            continue
        headings = [h for h in block.headings if h.strip()] or [info.title.strip() or info.id]
        if sections and sections[-1][0] == headings:
            sections[-1][1].append(block)
        else:
            sections.append((headings, [block]))
    return sections


def _fit_headings(
    info: DocumentInfo, headings: list[str], count_tokens: TokenCounter, max_tokens: int
) -> tuple[list[str], int]:
    """The heading path a chunk carries and the tokens left for its text. A path that would leave less
    than MIN_TEXT_TOKENS (a paragraph styled as a heading, a very deep outline) is shortened: long
    headings are cut, then outer headings dropped, then the innermost heading cut further."""
    path, limit = list(headings), MAX_HEADING_CHARS
    while True:
        probe = Chunk(id="", doc_id=info.id, text="", headings=path)
        budget = max_tokens - count_tokens([embedding_text(info, probe)])[0]
        if budget >= MIN_TEXT_TOKENS:
            return path, budget
        if any(len(h) > limit for h in path):
            path = [_cut(h, limit) for h in path]
        elif len(path) > 1:
            path = path[1:]
        elif limit > 1:
            limit //= 2
            path = [_cut(path[0], limit)]
        else:
            raise ValueError(
                f"{info.id}: the title is too long to leave room for text in a chunk; "
                f"give it a shorter title in its sidecar: {info.title[:120]}"
            )


def _cut(text: str, limit: int) -> str:
    """text in at most `limit` characters, "…" marking a cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
    """Last resort for a 'sentence' longer than the window (a run-on list): cut between words, and a
    word longer than the window (a run of CJK characters or punctuation) between characters."""
    words = text.split()
    costs = [tokens - SPECIAL_TOKENS for tokens in count_tokens(words)]
    runs: list[tuple[str, int]] = []
    current: list[str] = []
    used = 0
    for word, cost in _fitting_words(words, costs, count_tokens, budget):
        if current and used + cost > budget:
            runs.append((" ".join(current), used))
            current, used = [], 0
        current.append(word)
        used += cost
    if current:
        runs.append((" ".join(current), used))
    return runs


def _fitting_words(
    words: list[str], costs: list[int], count_tokens: TokenCounter, budget: int
) -> Iterator[tuple[str, int]]:
    """Each word with its cost; a word over the budget as runs of characters that each fit."""
    for word, cost in zip(words, costs, strict=True):
        if cost <= budget:
            yield word, cost
            continue
        size = max(1, len(word) * budget // cost)
        while True:
            pieces = [word[i : i + size] for i in range(0, len(word), size)]
            piece_costs = [tokens - SPECIAL_TOKENS for tokens in count_tokens(pieces)]
            if max(piece_costs) <= budget or size == 1:
                break
            size = max(1, size // 2)
        yield from zip(pieces, piece_costs, strict=True)


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
