"""Turn one file (.md, .txt, .html, .pdf, .docx) into Blocks that know their heading path and page."""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
import zipfile
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice, pairwise
from pathlib import Path
from typing import NamedTuple

from assistant.schema import Block, BlockKind

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
MIN_TEXT_CHARS_PER_PAGE = 20  # below this on average, a PDF is a scan without a text layer
MAX_HTML_DEPTH = 256  # deeper nesting is broken markup, and would make the walk quadratic
MAX_DOCX_UNPACKED_BYTES = 512 * 1024 * 1024  # more is a zip bomb, not a document
_FORMATS = {
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".txt": "text",
    ".html": "HTML",
    ".htm": "HTML",
    ".pdf": "PDF",
    ".docx": "DOCX",
}

_BULLET = re.compile(r"^\s*(?:[•●▪◦▸►■\-–*]|\d{1,3}[.)]|\(?[a-z]{1,3}\))\s+")
_NUMBERED_PARA = re.compile(r"^\s*\d{1,3}\.\s+\S")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_CLOSES_SENTENCE = (".", ":", "?", "!", ";")  # a PDF line ending so may end its paragraph; one ending otherwise runs on
# "165 The HMPPS …", "145It is not …", "87 16-19 Academies …"; not "57. Where …"
_FOOTNOTE = re.compile(r"^(\d{1,3})(?:\s*(?=[^\d\s.)])|\s+(?=\d))")
NOTE_NUMBER_GAP = 10  # footnotes are numbered in order: the next may skip a few (a note the reader missed), no more
_DIGITS = re.compile(r"(?<!\d)\d+(?![\w,.]\d)(?=\W|$)")  # a number ending a word: "so208", "care.17", "2017214"
_GLUED = re.compile(r"(?<=[^\W\d_])\d{1,3}(?=[^\W\d_])")  # "child²and/or": a mark between two words, no space
_BEFORE_MARK = re.compile(r"[^\W\d_]|[.,;:)”’]")  # what a mark set straight after a word may follow
MARK_DIGITS = 3  # a footnote mark is one to three digits
_OUTLINE_NOTE_REFS = re.compile(r"(?<=[^\W\d_]|\))(?:\s?\d{1,3}F)+$")  # "(CCE)12F", "orders77F79F 80F"
_NUMBERED_PART = re.compile(r"\b(?:section|part|annex|article|schedule|chapter|regulation|paragraph)$", re.IGNORECASE)
_INNER_MARK = re.compile(r"(?<=\S )\d{1,3} +(?=[^\W\d_])")  # "… Children. 16 Working …": a note or mark, if small
_LEADING_MARK = re.compile(r"^\d{1,3}\s+(?=[^\W\d_])")  # "lead.⏎31 It is not …", "assessment,⏎15 or": a mark wrapped
LINE_HEIGHT = 1.2  # a line of type is about this many times its size high, leading included
PARAGRAPH_GAP = 1.5  # lines: a drop of more than this between two lines leaves a blank line's height between them
MOST_GAP = 4  # lines: a drop of more is a figure or box between parts of one paragraph, or another column
SPACED_PITCH = 1.25  # and a drop this many times the document's usual line pitch, where lines are widely spaced
LIST_INDENT = 4.0  # points: a line starting this far left of a list item's text is not part of the item
# A line ending on one of these words runs on: "… section 105 of the⏎Children Act 1989" is one sentence.
_RUNS_ON_WORDS = frozenset(
    "a an the of to in on at by for from with and or nor as that which who whose under than their its this these"
    " those such any each every other no not be is are was were will would should must may can could".split()
)
SMALL_TYPE = 0.92  # a line set below this share of the document's body type size is small print
FOOTNOTE_LABEL = "Footnote {}: "  # how a footnote's block begins; the answerer knows footnotes by it
FOOTNOTE_BLOCK = re.compile("^" + re.escape(FOOTNOTE_LABEL).replace(r"\{\}", r"\d+"))  # a text that is a footnote
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE)
_MD_HEADING = re.compile(r"(#{1,6})\s+(.*)")  # trailing spaces and #s are stripped in code: linear
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_EMPHASIS_MARKS = ("**", "__", "*", "_")
_CONTENTS_ENTRY = re.compile(r"^(.*?\S)\s+\d{1,3}$")
_CONTENTS = re.compile(r"^(table of )?contents$", re.IGNORECASE)


class LoaderError(Exception):
    """A file that cannot be read as a document; the message names the file and what to do."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


def load_document(path: Path) -> list[Block]:
    """Read one file into blocks; raise LoaderError (never anything else) when it cannot be read."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise LoaderError(
            path, f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoaderError(path, f"cannot read file ({exc.strerror})") from exc
    if size == 0:
        raise LoaderError(path, "empty file (0 bytes)")
    try:
        blocks = loader(path)
    except LoaderError:
        raise
    except Exception as exc:  # a malformed file can break a parser in any way: report it, never crash
        raise LoaderError(
            path,
            f"cannot be read as {_FORMATS[suffix]}: the file is damaged or is not a real "
            f"{_FORMATS[suffix]} file ({_exception_words(exc)}); export or save it again and re-ingest",
        ) from exc
    blocks = [_without_contents_heading(b) for b in blocks if b.text.strip() and not _is_contents(b)]
    if not blocks:
        raise LoaderError(path, "no text found in the file")
    return blocks


def _exception_words(exc: Exception) -> str:
    """A parser's exception as one short line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    detail = lines[0][:200] if lines else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _is_contents(block: Block) -> bool:
    return bool(block.headings) and bool(_CONTENTS.match(block.headings[-1].strip()))


def _without_contents_heading(block: Block) -> Block:
    """A block under sections that a "Table of contents" heading only groups (KCSIE's Annex B bookmarks its
    sections under one): the path without it, or citations would show "Annex B > Table of contents > Drugs"."""
    path = [h for h in block.headings if not _CONTENTS.match(h.strip())]
    return block if len(path) == len(block.headings) else block.model_copy(update={"headings": path})


def clean_text(text: str) -> str:
    """Normalise unicode and whitespace the same way for every format."""
    text = unicodedata.normalize("NFKC", text).replace("\x02", "-").replace("\u00ad", "").replace("\ufffe", "-")
    if not text.isprintable():  # printable text holds no control or format characters: skip the slow filter
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoaderError(
            path, f"not UTF-8 text (bad byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from exc


# --- Markdown and plain text -------------------------------------------------------------------


def _strip_markdown(text: str) -> str:
    text = _strip_links(text)
    for _ in range(2):
        text = _strip_emphasis(text)
    return clean_text(text)


def _positions(text: str, mark: str) -> list[int]:
    """Every offset where mark starts, overlapping ones included, in order."""
    return [m.start() for m in re.finditer(f"(?={re.escape(mark)})", text)]


def _strip_links(text: str) -> str:
    """`[words](url)` -> `words`, in linear time: a regex would rescan the rest of the text from every
    `[` that is never closed, which made a long unbalanced paragraph take minutes."""
    closes, parens = _positions(text, "]"), _positions(text, ")")
    parts: list[str] = []
    done = 0
    for opening in _positions(text, "["):
        if opening < done:
            continue
        k = bisect_left(closes, opening)
        if k == len(closes):
            break
        close = closes[k]
        p = bisect_left(parens, close + 2)
        if not text.startswith("(", close + 1) or p == len(parens):
            continue
        parts += [text[done:opening], text[opening + 1 : close]]
        done = parens[p] + 1
    return "".join(parts) + text[done:]


def _strip_emphasis(text: str) -> str:
    """`**words**`, `__words__`, `*words*`, `_words_` -> `words` (the span starts and ends with a
    non-space and stays on one line), in linear time: a lazy regex would rescan the rest of the line from
    every mark that is never closed, which made a long paragraph of underscores take minutes."""
    closers = {mark: [j for j in _positions(text, mark) if j and not text[j - 1].isspace()] for mark in _EMPHASIS_MARKS}
    newlines = _positions(text, "\n") + [len(text)]
    parts: list[str] = []
    done = 0
    for match in re.finditer(r"[*_]", text):
        start = match.start()
        if start < done:
            continue
        for mark in _EMPHASIS_MARKS:
            body = start + len(mark)
            if not text.startswith(mark, start) or body >= len(text) or text[body].isspace():
                continue
            # The longer span wins (the nearest closing mark after two or more characters); one
            # character between the marks is the fallback.
            k = bisect_left(closers[mark], body + 2)
            line_end = newlines[bisect_left(newlines, body)]
            if k < len(closers[mark]) and closers[mark][k] < line_end:
                end = closers[mark][k]
            elif text.startswith(mark, body + 1):
                end = body + 1
            else:
                continue
            parts += [text[done:start], text[body:end]]
            done = end + len(mark)
            break
    return "".join(parts) + text[done:]


def _markdown_heading(line: str) -> tuple[int, str] | None:
    """`## Title ##` -> (2, "Title"); None for a line that is not an ATX heading."""
    match = _MD_HEADING.match(line)
    if match is None:
        return None
    return len(match.group(1)), match.group(2).rstrip().rstrip("#").rstrip()


def load_markdown(path: Path) -> list[Block]:
    """Markdown: `#` headings make the heading path; tab-separated rows are tables; list items stay whole."""
    return list(_markdown_blocks(_read_utf8(path).splitlines()))


def _markdown_blocks(lines: list[str]) -> Iterator[Block]:
    headings: list[tuple[int, str]] = []
    buffer: list[str] = []
    kind: BlockKind = "paragraph"

    def flush() -> Iterator[Block]:
        nonlocal buffer
        if buffer:
            if kind == "table":
                text = "\n".join(" | ".join(clean_text(c) for c in row.split("\t")).strip(" |") for row in buffer)
            else:
                text = _strip_markdown(" ".join(s.strip() for s in buffer))
            if text and text != "---":
                yield Block(text=text, headings=[h for _, h in headings], kind=kind)
        buffer = []

    for line in lines:
        heading = _markdown_heading(line)
        if heading:
            yield from flush()
            level, title = heading[0], _strip_markdown(heading[1])
            headings = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, title)]
            continue
        if not line.strip():
            yield from flush()
            continue
        if "\t" in line.strip("\t"):
            if kind != "table":
                yield from flush()
                kind = "table"
            buffer.append(line.strip())
            continue
        if _MD_LIST.match(line):
            yield from flush()
            kind = "list"
            buffer.append(_MD_LIST.sub("", line, count=1))
            continue
        if kind == "table":
            yield from flush()
        if kind != "list" or not line.startswith((" ", "\t")):
            if kind == "list":
                yield from flush()
            kind = "paragraph" if not buffer else kind
        buffer.append(line)
    yield from flush()


def load_text(path: Path) -> list[Block]:
    """Plain text: paragraphs separated by blank lines; no headings."""
    text = _read_utf8(path)
    return [Block(text=clean_text(" ".join(p.split()))) for p in re.split(r"\n\s*\n", text) if p.strip()]


# --- HTML ---------------------------------------------------------------------------------------

_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "pre", "blockquote", "dd", "dt"]


def load_html(path: Path) -> list[Block]:
    """HTML: h1–h6 make the heading path; p/li/table become blocks; scripts, styles and navigation go."""
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "nav", "svg", "iframe", "form"]):
        tag.decompose()
    root = soup.body or soup
    if _nested_deeper_than(root, MAX_HTML_DEPTH):
        raise LoaderError(
            path,
            f"elements are nested more than {MAX_HTML_DEPTH} deep: broken markup (unclosed tags?); "
            "fix the page or save it again from a browser",
        )
    headings: list[tuple[int, str]] = []
    blocks: list[Block] = []
    for element in root.find_all(_HTML_BLOCKS):
        if element.find_parent(["table", "li", "pre", "blockquote"]) is not None and element.name != "table":
            if element.find_parent("table") is not None or element.name not in ("li",):
                continue
        if element.name == "table" and element.find_parent("table") is not None:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            level, title = int(element.name[1]), clean_text(element.get_text(" ", strip=True))
            if title:
                headings = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, title)]
            continue
        path_now = [h for _, h in headings]
        if element.name == "table":
            rows = []
            for tr in element.find_all("tr"):
                cells = [clean_text(c.get_text(" ", strip=True)) for c in tr.find_all(["th", "td"])]
                if any(cells):
                    rows.append(" | ".join(cells))
            if rows:
                blocks.append(Block(text="\n".join(rows), headings=path_now, kind="table"))
            continue
        if element.name == "li" and element.find(["ul", "ol"]) is not None:
            text = clean_text(" ".join(s for s in element.find_all(string=True, recursive=False)))
        else:
            text = clean_text(element.get_text(" ", strip=True))
        if text:
            blocks.append(Block(text=text, headings=path_now, kind="list" if element.name == "li" else "paragraph"))
    return blocks


def _nested_deeper_than(root, limit: int) -> bool:  # noqa: ANN001 - a bs4 Tag
    """Whether any element sits more than `limit` elements below root; walked without recursion."""
    from bs4 import Tag

    stack = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return False


# --- PDF ----------------------------------------------------------------------------------------


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())


def load_pdf(path: Path) -> list[Block]:
    """PDF: text per page; the outline (bookmarks) gives the heading path, located on its page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise LoaderError(path, "the PDF is encrypted (password-protected); save an unprotected copy") from exc
        raise LoaderError(path, f"not a readable PDF (corrupt or truncated: {exc})") from exc
    try:
        pages = []
        for index in range(len(pdf)):
            try:
                pages.append(_page_lines(pdf, index))
            except pdfium.PdfiumError as exc:
                raise LoaderError(
                    path,
                    f"page {index + 1} of {len(pdf)} cannot be read ({exc}); the PDF is damaged: "
                    "re-export or print it to a new PDF",
                ) from exc
        outline = _pdf_outline(pdf)
    finally:
        pdf.close()
    if not pages:
        raise LoaderError(path, "the PDF has no pages")
    if sum(len(line.text) for lines in pages for line in lines) < MIN_TEXT_CHARS_PER_PAGE * len(pages):
        raise LoaderError(path, "no extractable text (a scanned PDF?); run it through OCR and ingest the result")
    weight: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.size is not None:
                weight[line.size] += len(line.text)
    body_size = weight.most_common(1)[0][0] if weight else None  # the document's body type
    drops = list(_line_drops(pages))
    pitch = statistics.median(drops) if drops else 0.0  # the document's usual line spacing
    split: list[tuple[list[str], list[str]]] = []
    last_note = 0
    for lines in pages:
        body, notes, last_note = _footnotes_apart(lines, body_size, last_note)
        split.append((_block_ends(body, pitch), notes))
    return list(_pdf_blocks(split, outline))


class _PdfLine(NamedTuple):
    """One line of a PDF page as the reader found it."""

    text: str
    size: float | None  # type size, None where unknown
    marked: bool = False  # starts with a footnote mark set smaller than the line ("31 It is not …")
    left: float | None = None  # where its first letter or digit sits across the page, in points; None where unknown
    bottom: float | None = None  # and how high up the page that letter's foot is


def _page_lines(pdf, index: int) -> list[_PdfLine]:  # noqa: ANN001 - pypdfium2 document
    """The page's lines, each with its type size (None where unknown), without the footnote marks inside them;
    no page numbers or contents leaders."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            if len(raw) == textpage.count_chars():
                lines = _sized_lines(textpage, raw, pdfium_c)
            else:  # characters and text disagree: no sizes, so no footnotes found on this page
                lines = [_PdfLine(part, None) for part in _LINE_BREAK.split(raw)]
        finally:
            textpage.close()
    finally:
        page.close()
    cleaned = [line._replace(text=clean_text(line.text)) for line in lines]
    return [line for line in cleaned if line.text and not _PAGE_NUMBER.match(line.text)
            and not _has_dot_leader(line.text)]


def _footnotes_apart(
    lines: list[_PdfLine], body_size: float | None, last_note: int
) -> tuple[list[_PdfLine], list[str], int]:
    """A page's body lines, its footnotes, each whole and labelled ("Footnote 206: …"), and the number of the last
    footnote so far. A footnote is a run of lines in smaller type than the document's body, the first starting
    with its number ("165 The HMPPS …"); left in place, it would be read into the sentence it interrupts ("they
    must 206 Children Act 2004 …"). Footnotes are numbered in order, so a small line starting with a number that
    cannot be the next one goes on the note before ("… as defined in section⏎22 Children Act 1989, means …"): a note
    may begin with a number too ("87 16-19 Academies …"). A body line that starts with a small mark had the mark
    wrapped onto it ("… lead.⏎31 It is not …"): the mark is dropped and the line joins the one before, or the
    paragraph reader would start a new paragraph after the full stop."""
    body: list[_PdfLine] = []
    notes: list[list[str]] = []
    in_note = False
    for pdf_line in lines:
        line, size, marked = pdf_line.text, pdf_line.size, pdf_line.marked
        small = body_size is not None and size is not None and size < SMALL_TYPE * body_size
        number = _FOOTNOTE.match(line) if small else None
        follows = number is not None and last_note < int(number.group(1)) <= last_note + NOTE_NUMBER_GAP
        if number and (follows or not in_note):
            last_note = int(number.group(1))  # a page's first note may restart the count (KCSIE's flow chart notes 1-5)
            notes.append([FOOTNOTE_LABEL.format(number.group(1)) + line[number.end():]])
            in_note = True
        elif small and in_note:
            notes[-1].append(line)
        elif marked:
            line = _LEADING_MARK.sub("", line, count=1)
            if body:
                body[-1] = body[-1]._replace(text=f"{body[-1].text} {line}", bottom=pdf_line.bottom)
            else:
                body.append(pdf_line._replace(text=line))
            in_note = False
        else:
            body.append(pdf_line)
            in_note = False
    return body, [_join_lines(note) for note in notes if any(note)], last_note


def _block_ends(lines: list[_PdfLine], pitch: float) -> list[str]:
    """The page's body lines as text, with an empty line where a block ends that its text alone does not show:
    - a list ends where a capitalised line is set left of its items (an item's lines sit right of its bullet);
      without this, an item that ends unpunctuated runs on into the paragraph or heading after the list
      ("… by the Secretary of State It applies to all children …");
    - a capitalised line set a blank line's height or more below the one before (and clearly more than the
      document's usual spacing, for a double-spaced one) starts a block of its own
      (KCSIE's resources: "Educateagainsthate – Provides … radicalisation⏎London Grid for Learning – …"; a flow
      chart's boxes).
    A line ending on a word like "the" or "of" ends neither: what follows finishes it."""
    text: list[str] = []
    item_left: float | None = None  # where the text of the list item in progress starts
    previous: _PdfLine | None = None
    for line in lines:
        if _NUMBERED_PARA.match(line.text):  # "57. Where …": a numbered paragraph, which no list item runs into
            item_left = None
        elif _BULLET.match(line.text):
            item_left = line.left
        elif line.text[:1].isupper() and text and _last_word(text[-1]) not in _RUNS_ON_WORDS:
            outdented = item_left is not None and line.left is not None and line.left < item_left - LIST_INDENT
            if outdented or _set_apart(previous, line, pitch):
                text.append("")
                item_left = None
        text.append(line.text)
        previous = line
    return text


def _line_drops(pages: list[list[_PdfLine]]) -> Iterator[float]:
    """How far down the page each line sits below the one before, where it is the next line of text: the
    document's usual line pitch is their median (more than a blank line's height when it is double-spaced)."""
    for lines in pages:
        for above, below in pairwise(lines):
            if above.bottom is not None and below.bottom is not None and below.size is not None:
                drop = above.bottom - below.bottom
                if 0 < drop < MOST_GAP * LINE_HEIGHT * below.size:
                    yield drop


def _set_apart(previous: _PdfLine | None, line: _PdfLine, pitch: float) -> bool:
    """Whether a blank line's height or more, and clearly more than the document's usual line pitch, but not a
    page's worth, separates the line from the one before."""
    if previous is None or previous.bottom is None or line.bottom is None or line.size is None:
        return False
    drop = previous.bottom - line.bottom
    least = max(PARAGRAPH_GAP * LINE_HEIGHT * line.size, SPACED_PITCH * pitch)
    return least < drop < MOST_GAP * LINE_HEIGHT * line.size


def _last_word(line: str) -> str:
    return line.rsplit(None, 1)[-1].lower() if line.strip() else ""


def _sized_lines(textpage, text: str, pdfium_c) -> list[_PdfLine]:  # noqa: ANN001 - pdfium
    """Each line with its type size, read from its first few letters, and without its footnote marks: up to three
    digits set smaller than the line, straight after a word or a number ("so208", "bases14", "Act 2017214"), which
    would make words no search finds.
    A small number at a line's start is kept and the line marked: in body type it is a mark wrapped from the line
    before, in a footnote it is the footnote's number; only the document's body size tells which (see
    `_footnotes_apart`)."""
    matrix = pdfium_c.FS_MATRIX()
    box = [ctypes.c_double() for _ in range(4)]

    def corner_at(index: int) -> tuple[float, float]:  # (left, bottom)
        pdfium_c.FPDFText_GetCharBox(textpage.raw, index, *(ctypes.byref(edge) for edge in box))
        return round(box[0].value, 1), round(box[2].value, 1)

    def size_at(index: int) -> float:
        # The font's size times the text's vertical scale: PDFs set type size in either.
        pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
        return round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.d), 1)

    lines: list[_PdfLine] = []
    position = 0
    for part in _LINE_BREAK.split(text):
        letters = islice((i for i, char in enumerate(part) if char.isalpha()), 3)
        seen = [size_at(position + offset) for offset in letters]
        size = max(seen, key=seen.count) if seen else None
        if size is None:
            lines.append(_PdfLine(part, None))
        else:
            def small(index: int, start: int = position, limit: float = SMALL_TYPE * size) -> bool:
                return size_at(start + index) < limit

            marks = _mark_spans(part, small)
            # A small number after a space starts a line of its own, marked: two footnotes read as one line
            # ("… Children. 16 Working Together …"), or a mark in a sentence ("The Children Act 1989 1 sets out").
            cuts = [m.start() for m in _INNER_MARK.finditer(part) if small(m.start())]
            for k, (begin, end) in enumerate(pairwise([0, *cuts, len(part)])):
                piece = _without(part, begin, end, marks)
                first = next((i for i in range(begin, end) if part[i].isalnum()), None)
                left, bottom = (None, None) if first is None else corner_at(position + first)
                lines.append(_PdfLine(piece, size, k > 0 or (bool(_LEADING_MARK.match(piece)) and small(begin)),
                                      left, bottom))
        position += len(part)
        newline = _LINE_BREAK.match(text, position)
        position = newline.end() if newline else position
    return lines


def _mark_spans(part: str, small: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Where the line's footnote marks are: the small tail, one to three digits, of a number ending a word
    ("so208", "Act 2017214"), a small number ending the line after a space ("… Act 1989 ¹⏎sets out …"), or small
    digits set between two words with no space ("the child²and/or their carer(s)"; `_without` leaves a space)."""
    spans = [(m.start(), m.end()) for m in _GLUED.finditer(part) if all(small(i) for i in range(m.start(), m.end()))]
    for run in _DIGITS.finditer(part):
        start = run.end()
        while start > run.start() and small(start - 1):
            start -= 1
        after = part[start - 1] if start > run.start() else part[run.start() - 1] if run.start() else ""
        ends_line = after == " " and not part[run.end():].strip()
        if 0 < run.end() - start <= MARK_DIGITS and (after.isdigit() or _BEFORE_MARK.fullmatch(after) or ends_line):
            spans.append((start, run.end()))
    return spans


def _without(part: str, begin: int, end: int, spans: list[tuple[int, int]]) -> str:
    """part[begin:end] without the spans that start in it; a span between two letters leaves a space."""
    kept = sorted((a, b) for a, b in spans if begin <= a < end)
    pieces, at = [], begin
    for a, b in kept:
        pieces.append(part[at:a])
        if part[a - 1 : a].isalpha() and part[b : b + 1].isalpha():
            pieces.append(" ")
        at = b
    pieces.append(part[at:end])
    return "".join(pieces)


def _has_dot_leader(line: str) -> bool:
    """A contents line: five or more dots, then maybe a page number, at the end. Written out because a
    regex search for it restarts at every dot, which is quadratic on a long dotted line."""
    end = len(line.rstrip())
    while end and line[end - 1].isdecimal():
        end -= 1
    return line[:end].rstrip().endswith(".....")


def _pdf_outline(pdf) -> list[tuple[int, str, int]]:  # noqa: ANN001
    """(level, title, 0-based page) for each bookmark with a destination, in document order."""
    entries: list[tuple[int, str, int]] = []
    last_page = -1
    try:
        for bookmark in pdf.get_toc(max_depth=8):
            dest = bookmark.get_dest()
            page = dest.get_index() if dest is not None else None
            title = _without_note_refs(clean_text(bookmark.get_title() or ""))
            if page is None or not title or page < last_page:
                continue
            entries.append((bookmark.level, title, page))
            last_page = page
    except Exception:  # a broken outline is not worth losing the text for
        return []
    return entries


def _without_note_refs(title: str) -> str:
    """A bookmark's title without the footnote references Word leaves at its end ("Child criminal exploitation
    (CCE)12F", "… for volunteers 104F"), which citations would show; "Section 16F" is a name and stays."""
    refs = _OUTLINE_NOTE_REFS.search(title)
    if refs is None or _NUMBERED_PART.search(title[: refs.start()].rstrip()):
        return title
    return title[: refs.start()].rstrip()


def _find_heading(lines: list[str], start: int, title: str) -> tuple[int, int] | None:
    """Where a bookmark title sits on its page: (first line, lines used), allowing a wrap over 3 lines. Most of
    the title (85%) will do, but a line that completes it is taken too: "… does not prevent information" wraps
    its last word ("sharing") onto a line that is part of the heading, not the first of the text under it."""
    target = _alnum(title)
    if len(target) < 3:
        return None
    for first in range(start, len(lines)):
        acc = ""
        most: tuple[int, int] | None = None
        for used in range(1, 4):
            if first + used > len(lines):
                break
            acc += _alnum(lines[first + used - 1])
            if acc == target or (acc.startswith(target) and len(acc) - len(target) <= 3):
                return first, used
            if not target.startswith(acc):
                break
            if len(acc) >= 0.85 * len(target):
                most = (first, used)
        if most:
            return most
    return None


def _pdf_blocks(pages: list[tuple[list[str], list[str]]], outline: list[tuple[int, str, int]]) -> Iterator[Block]:
    """Blocks in reading order: a paragraph that runs on over a page break is one block (of the page it starts
    on), and a page's footnotes follow the paragraph in progress at its foot, each a block of its own."""
    by_page: dict[int, list[tuple[int, str]]] = {}
    for level, title, page in outline:
        by_page.setdefault(page, []).append((level, title))
    titles = {_alnum(title) for _, title, _ in outline}
    stack: list[tuple[int, str]] = []
    pending: Block | None = None  # the last block, which the next page may continue
    notes: list[Block] = []  # footnotes, shown once the block in progress at their page's foot is done
    for page_index, (lines, footnotes) in enumerate(pages):
        if lines and _CONTENTS.match(lines[0]):
            lines, footnotes = [], []  # a contents page: navigation, not guidance
        lines = [line for line in lines if not _is_contents_line(line, titles)]
        # Split the page's lines at each heading that starts on it.
        segments: list[tuple[list[tuple[int, str]], list[str]]] = []
        pos = 0
        current = list(stack)
        for level, title in by_page.get(page_index, []):
            found = _find_heading(lines, pos, title)
            cut, used = found if found else (pos, 0)
            segments.append((current, lines[pos:cut]))
            current = [(lvl, h) for lvl, h in current if lvl < level] + [(level, title)]
            pos = cut + used
        segments.append((current, lines[pos:]))
        stack = current
        for heading_stack, segment in segments:
            for text, kind in _paragraphs(segment):
                block = Block(text=text, headings=[h for _, h in heading_stack], page=page_index + 1, kind=kind)
                if pending is not None and pending.page == page_index and _runs_on(pending, block):
                    pending = pending.model_copy(update={"text": _join_lines([pending.text, block.text])})
                    continue
                if pending is not None:
                    yield pending
                    yield from notes
                    notes = []
                pending = block
        headings = [h for _, h in stack]
        notes += [Block(text=note, headings=headings, page=page_index + 1) for note in footnotes]
    if pending is not None:
        yield pending
    yield from notes


def _runs_on(block: Block, first_of_next_page: Block) -> bool:
    """Whether the first paragraph of a page finishes the sentence the last one of the page before left open."""
    text = first_of_next_page.text
    return (
        block.kind != "table" and first_of_next_page.kind == "paragraph"
        and block.headings == first_of_next_page.headings
        and not block.text.rstrip().endswith(_CLOSES_SENTENCE)
        and (text[:1].islower() or (text[:1].isdigit() and not _NUMBERED_PARA.match(text)))
    )


def _is_contents_line(line: str, titles: set[str]) -> bool:
    """A table-of-contents entry: an outline title followed by its page number."""
    match = _CONTENTS_ENTRY.match(line)
    return bool(match) and _alnum(match.group(1)) in titles


def _paragraphs(lines: list[str]) -> Iterator[tuple[str, BlockKind]]:
    """Rejoin PDF lines into paragraphs and list items; an empty line ends the one in progress."""
    buffer: list[str] = []
    kind: BlockKind = "paragraph"
    for line in lines:
        starts_item = bool(_BULLET.match(line)) and not _NUMBERED_PARA.match(line)
        starts_para = bool(_NUMBERED_PARA.match(line))
        ends_previous = bool(buffer) and buffer[-1].rstrip().endswith(_CLOSES_SENTENCE) and line[:1].isupper()
        # A short line standing alone, unpunctuated, before a capitalised line is a sub-heading.
        after_heading = (
            len(buffer) == 1 and len(buffer[0]) <= 60 and buffer[0][-1:].isalnum() and line[:1].isupper()
        )
        if buffer and (not line or starts_item or starts_para or ends_previous or after_heading):
            yield _join_lines(buffer), kind
            buffer = []
        if not line:  # where a block ended (see `_block_ends`)
            continue
        if not buffer:
            kind = "list" if starts_item else "paragraph"
            if starts_item:
                line = _BULLET.sub("", line, count=1)
        buffer.append(line)
    if buffer:
        yield _join_lines(buffer), kind


def _join_lines(lines: list[str]) -> str:
    """Lines with spaces between, except that a word or a range of numbers hyphenated over a line break is rejoined
    ("child-⏎centred", "16-⏎19 Academies")."""
    parts: list[str] = []
    tail = ""  # the last two characters of the text so far
    for line in lines:
        broken = tail.endswith("-") and not tail.endswith(" -")
        if broken and (line[:1].islower() or tail[0].isdigit() and line[:1].isdigit()):
            piece = line
        else:
            piece = f" {line}" if tail else line
        parts.append(piece)
        tail = (tail + piece)[-2:]
    return "".join(parts).strip()


# --- DOCX ---------------------------------------------------------------------------------------


def load_docx(path: Path) -> list[Block]:
    """DOCX: Heading/Title styles make the heading path; tables stay whole with their header row."""
    import docx
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(path):
        raise LoaderError(path, "not a DOCX (zip) file: an encrypted document or the old .doc format? Save as .docx")
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise LoaderError(
            path,
            f"unpacks to {unpacked >> 20} MiB, over the {MAX_DOCX_UNPACKED_BYTES >> 20} MiB a document "
            "may take (a zip bomb?); save it again from Word",
        )
    document = docx.Document(str(path))
    headings: list[tuple[int, str]] = []
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = clean_text(paragraph.text)
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            level = _docx_heading_level(style)
            if level is not None:
                headings = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, text)]
                continue
            numbered = child.find(".//{*}numPr") is not None
            kind: BlockKind = "list" if "list" in style.lower() or numbered else "paragraph"
            blocks.append(Block(text=text, headings=[h for _, h in headings], kind=kind))
        elif tag == "tbl":
            rows = _docx_table_rows(child, lambda p: Paragraph(p, document).text)
            if rows:
                blocks.append(Block(text="\n".join(rows), headings=[h for _, h in headings], kind="table"))
    return blocks


def _docx_table_rows(table, paragraph_text: Callable[[object], str]) -> list[str]:  # noqa: ANN001 - CT_Tbl
    """Each row as `cell | cell`, a cell merged over several columns or rows giving its text to each.

    Read from the XML rather than python-docx's `row.cells`, which makes one object per spanned grid
    column (a damaged `gridSpan` of two billion never finishes) and looks up each vertically merged cell
    by scanning the rows above (quadratic, and recursive)."""
    rows: list[str] = []
    above: dict[int, str] = {}  # grid column -> text of the cell starting there, in the previous row
    for tr in table.tr_lst:
        column = tr.grid_before
        here: dict[int, str] = {}
        cells: list[str] = []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                value = above.get(column, "")
            else:
                value = clean_text("\n".join(paragraph_text(p) for p in tc.p_lst))
            here[column] = value
            column += max(tc.grid_span, 1)
            if not cells or value != cells[-1]:  # merged cells repeat their text
                cells.append(value)
        above = here
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _docx_heading_level(style: str) -> int | None:
    if style == "Title":
        return 0
    match = re.match(r"Heading (\d)", style)
    return int(match.group(1)) if match else None


_LOADERS: dict[str, Callable[[Path], list[Block]]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}
