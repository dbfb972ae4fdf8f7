"""Find a set of numbered items asked for by its count ("What are the seven golden rules for sharing information?"),
where a document numbers them ("1. All children have a right to be protected …") over several passages of one
section: each item's first sentence, in order, so that the answer names them all and not one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.retrieval import Hit
from assistant.sentences import split_sentences
from ingest.loaders import FOOTNOTE_BLOCK

_ITEM = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_PARTS = r"(?:golden )?(?:rule|principle|step|point|stage|condition)"
# "What is the seventh golden rule?", "golden rule 7", "rule number 3": one numbered item asked for.
_ORDINAL_ASKED = re.compile(rf"\b(?:the )?({'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th)) {_PARTS}\b"
                            rf"|\b{_PARTS} (?:number |no\.? )?(\d{{1,2}})\b", re.I)


@dataclass
class Item:
    number: int
    hit_index: int  # the passage it is in, among the hits
    sentence: str  # its first sentence
    page: int | None
    text: str = ""  # the whole item, as its line has it


def ordinal_asked(question: str) -> int | None:
    """The number of the one item a question asks for ("the seventh golden rule" → 7, "step 3" → 3), if any."""
    asked = _ORDINAL_ASKED.search(question)
    if not asked:
        return None
    if asked.group(2):
        return int(asked.group(2))
    word = asked.group(1).lower()
    return _ORDINALS.index(word) + 1 if word in _ORDINALS else int(word[:-2])


def numbered_item(hits: list[Hit], hit_index: int, number: int) -> Item | None:
    """Item `number` of the numbered set in the section of hits[hit_index], whole, from the retrieved passages of
    that section; None unless the set is introduced by a line ending in ":" (see `numbered_items`)."""
    introduced = False  # a section whose heading ends in ":" is one set: any of its items introduces it
    for item, introduces in _section_items(hits, hit_index):
        introduced = introduced or introduces or hits[item.hit_index].chunk.heading.rstrip().endswith(":")
        if item.number == number and introduced:
            return item
    return None


def numbered_items(hits: list[Hit], hit_index: int, count: int) -> list[Item] | None:
    """Items 1 to `count` of the section of hits[hit_index], from the retrieved passages of that section, in order;
    None unless every one of them is there, no item numbered past them is (the section then numbers another set),
    and a line ending in ":" introduces the first (numbered paragraphs, "1. Schools and colleges and their staff are
    an important part …", are no set)."""
    found: dict[int, Item] = {}
    for item, introduces in _section_items(hits, hit_index):
        if item.number == count + 1 or (item.number == 1 and not introduces):
            return None
        if 1 <= item.number <= count and item.number not in found:
            found[item.number] = item
    return [found[n] for n in range(1, count + 1)] if len(found) == count else None


def _section_items(hits: list[Hit], hit_index: int) -> Iterator[tuple[Item, bool]]:
    """The numbered lines of the retrieved passages in the section of hits[hit_index], in the hits' order, each with
    whether it starts a set: item 1 after a line ending in ":"."""
    section = (hits[hit_index].info.id, hits[hit_index].chunk.section)
    for i, hit in enumerate(hits):
        if (hit.info.id, hit.chunk.section) != section:
            continue
        lines = hit.chunk.text.split("\n")
        pages = hit.chunk.line_pages or []
        for line_no, line in enumerate(lines):
            m = _ITEM.match(line)
            if not m:
                continue
            number = int(m.group(1))
            page = pages[line_no] if line_no < len(pages) else hit.chunk.page_start
            item = Item(number, i, split_sentences(m.group(2))[0], page, m.group(2).strip())
            yield item, number == 1 and _introduced(hit, lines, line_no)


def _introduced(hit: Hit, lines: list[str], line_no: int) -> bool:
    """Whether the line before the chunk's line `line_no` (of its `lines`) ends with ":": the line above it in the
    chunk, or, for its first line, the section's heading or the last line of the section's chunk before."""
    if line_no > 0:
        before = lines[line_no - 1]
    elif hit.chunk.heading.rstrip().endswith(":"):
        return True
    else:  # footnotes set at a page's foot between the two are skipped
        earlier = hit.previous_chunk.text.split("\n") if hit.previous_chunk is not None else []
        before = next((line for line in reversed(earlier) if line.strip() and not FOOTNOTE_BLOCK.match(line)), "")
    return before.rstrip().endswith(":")
