"""Fuzzed files never crash or hang a loader: each gives blocks or a LoaderError saying what is wrong.
Fuzzed blocks never break the chunker's promises, and broken files never stop the rest of a corpus."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from assistant.embeddings import Embedder
from assistant.schema import Block, Chunk, DocumentInfo
from assistant.settings import PROJECT_ROOT, Settings
from ingest.chunking import chunk_document, embedding_text
from ingest.index import active_store, ingest_corpus

LOAD_SECONDS = 20.0  # a load that takes longer counts as a hang; a normal one takes milliseconds
CHUNK_TOKENS = 240
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
LOADER_FUZZ = settings(FUZZ, max_examples=150)  # a load takes milliseconds: afford more examples

# --- valid documents to mutate -----------------------------------------------------------------


def _pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)  # content streams in the clear, so mutations reach the text operators
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for level, title in ((0, "Chapter 1"), (1, "Escalation")):
        pdf.start_section(title, level=level)
        pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, "Practitioners escalate concerns to their designated lead within one working day.")
    pdf.add_page()
    pdf.start_section("Chapter 2", level=0)
    pdf.multi_cell(0, 8, "Volcanic disagreements are resolved through the professional differences protocol.")
    return bytes(pdf.output())


def _docx_bytes(grid_span: str | None = None) -> bytes:
    document = docx.Document()
    document.add_heading("Information sharing", level=1)
    document.add_paragraph("Share information about a kestrel sighting when a child is at risk of harm.")
    document.add_paragraph("Record the decision", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    rows = [("Agency", "Contact", "Notes"), ("Police", "101", "x"), ("NHS", "111", "y")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # a vertical merge
    table.cell(0, 0).merge(table.cell(0, 1))  # and a horizontal one (gridSpan)
    document.add_heading("Consent", level=2)
    document.add_paragraph("Ask for consent unless that would put the child at greater risk.")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if grid_span is not None:  # a damaged (or malicious) horizontal span
        data = _rezip(data, "word/document.xml", lambda xml: xml.replace(b'w:val="2"', f'w:val="{grid_span}"'.encode()))
    return data


def _rezip(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The zip in data with one member's bytes changed: a DOCX whose container is sound but whose XML is not."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            target.writestr(info.filename, change(blob) if info.filename == member else blob)
    return buffer.getvalue()


HTML = b"""<!doctype html><html><head><title>t</title><script>var x = 1;</script></head><body>
<nav>Home</nav><h1>Neglect</h1><p>Use the graded care profile with every family.</p><h2>Signs</h2>
<ul><li>Poor hygiene<ul><li>nested item</li></ul></li><li>Missed appointments</li></ul>
<table><tr><th>Tool</th><th>Use</th></tr><tr><td>GCP2</td><td>assessment</td></tr></table></body></html>"""
MARKDOWN = (
    b"# Early help\n\nThe **partnership** offers a [family hub](https://example.org) to _every_ family.\n\n"
    b"## Referrals\n\n- Ask the family's consent.\n- Record it.\n  continued\n\nYear\tReferrals\n2023\t411\n"
)
TEXT = b"Neglect is the persistent failure to meet a child's basic needs.\nIt wraps.\n\n\nA second paragraph.\n"


@pytest.fixture(scope="module")
def seeds() -> dict[str, bytes]:
    return {".pdf": _pdf_bytes(), ".docx": _docx_bytes(), ".html": HTML, ".md": MARKDOWN, ".txt": TEXT}


# --- load_document in a child process ----------------------------------------------------------

_WORKER = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a runaway allocation fails here, not the machine
from ingest.loaders import LoaderError, load_document
for line in sys.stdin:
    path = Path(line.rstrip("\\n"))
    try:
        blocks = load_document(path)
        result = {"blocks": len(blocks), "blank": sum(not b.text.strip() for b in blocks)}
    except LoaderError as exc:
        result = {"reason": exc.reason, "message": str(exc)}
    except BaseException as exc:
        result = {"escaped": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)
"""


class LoaderProcess:
    """load_document in a child process: a hang (even inside pdfium) or a crash then fails the example
    that caused it, with the input shrunk by hypothesis, instead of freezing or killing the test run."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[str] | None = None

    def load(self, path: Path) -> dict[str, object]:
        if self.process is None or self.process.poll() is not None:
            with self.log.open("a") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-c", _WORKER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    cwd=PROJECT_ROOT,
                    env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], LOAD_SECONDS)
        if not ready:
            self.close()
            return {"hang": f"no result within {LOAD_SECONDS:.0f} s"}
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            self.process = None
            return {"crash": f"the loader process died (exit code {code}): {self.log.read_text()[-2000:]}"}
        return json.loads(line)

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def loader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoaderProcess]:
    process = LoaderProcess(tmp_path_factory.mktemp("loader") / "stderr.log")
    yield process
    process.close()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzzed")


def _assert_blocks_or_reason(result: dict[str, object], path: Path) -> None:
    assert "hang" not in result and "crash" not in result and "escaped" not in result, result
    if "reason" in result:
        reason = str(result["reason"])
        assert reason.strip() and "\n" not in reason and "Traceback" not in reason, reason
        assert str(result["message"]).startswith(f"{path.name}: "), result
    else:
        assert int(result["blocks"]) > 0 and result["blank"] == 0, result


# --- mutations ---------------------------------------------------------------------------------

# Bytes that mean something to one of the parsers: splicing them in reaches deeper than random bytes.
TOKENS = [
    b"obj", b"endobj", b"stream", b"endstream", b"xref", b"/Count -1", b"/Kids [", b"/Length 999999999",
    b"999999999", b"-1", b"<<", b">>", b"(", b")", b"\\", b"<", b">", b"</p>", b"<li>", b"<table>", b"&#0;",
    b"# ", b"**", b"_", b"[", b"](", b"\t", b"\n", b"\r", b"\x00", b"\xff", b"\xc3", b" " * 64,
]  # fmt: skip
edit = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
    st.floats(0, 1, exclude_max=True),
    st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=16),
)


def _mutate(data: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    for op, where, payload in edits:
        at = int(where * len(data))
        if op == "flip" and data:
            data = data[:at] + bytes([data[at] ^ (payload[0] | 1)]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + payload + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + 4 * len(payload) :]
        elif op == "truncate":
            data = data[:at]
        elif op == "repeat":
            data = data[:at] + data[at : at + 8 * len(payload)] * 3 + data[at:]
    return data


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODD_VALUES = ["-1", "0", "2000000000", "99999999999", "abc", "", "continue", "restart", "Heading 1", "Title"]
xml_edit = st.tuples(
    st.sampled_from(["attribute", "drop", "duplicate", "add"]),
    st.floats(0, 1, exclude_max=True),
    st.sampled_from(ODD_VALUES),
    st.sampled_from(["gridSpan", "vMerge", "gridBefore", "numPr", "tbl", "tr", "tc", "p", "pStyle"]),
)


def _mutate_xml(xml: bytes, edits: list[tuple[str, float, str, str]]) -> bytes:
    """Well-formed but odd WordprocessingML: odd attribute values, elements dropped, repeated or added."""
    root = etree.fromstring(xml)
    for op, where, value, tag in edits:
        elements = list(root.iter())
        element = elements[int(where * len(elements))]
        parent = element.getparent()
        if op == "attribute" and element.attrib:
            element.set(sorted(element.attrib)[0], value)
        elif op == "drop" and parent is not None:
            parent.remove(element)
        elif op == "duplicate" and parent is not None:
            parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))
        elif op == "add":
            etree.SubElement(element, W + tag).set(W + "val", value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- loaders -----------------------------------------------------------------------------------

SUFFIXES = [".pdf", ".docx", ".html", ".md", ".txt"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_mutated_files_give_blocks_or_a_reason(
    suffix: str, seeds: dict[str, bytes], loader: LoaderProcess, scratch: Path
) -> None:
    @LOADER_FUZZ
    @given(edits=st.lists(edit, min_size=1, max_size=8))
    def check(edits: list[tuple[str, float, bytes]]) -> None:
        path = scratch / f"mutated{suffix}"
        path.write_bytes(_mutate(seeds[suffix], edits))
        _assert_blocks_or_reason(loader.load(path), path)

    check()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_random_bytes_give_blocks_or_a_reason(suffix: str, loader: LoaderProcess, scratch: Path) -> None:
    @settings(FUZZ, max_examples=40)
    @given(data=st.binary(max_size=4096))
    def check(data: bytes) -> None:
        path = scratch / f"random{suffix}"
        path.write_bytes(data)
        _assert_blocks_or_reason(loader.load(path), path)

    check()


@LOADER_FUZZ
@given(edits=st.lists(xml_edit, min_size=1, max_size=10))
def test_docx_with_odd_xml_gives_blocks_or_a_reason(
    edits: list[tuple[str, float, str, str]], seeds: dict[str, bytes], loader: LoaderProcess, scratch: Path
) -> None:
    path = scratch / "odd-xml.docx"
    path.write_bytes(_rezip(seeds[".docx"], "word/document.xml", lambda xml: _mutate_xml(xml, edits)))
    _assert_blocks_or_reason(loader.load(path), path)


# Inputs that once took minutes to hours: super-linear regexes and walks, a cell object per spanned column.
PATHOLOGICAL: dict[str, Callable[[], bytes]] = {
    "spaces-in-a-heading.md": lambda: b"# Heading" + b" " * 20_000 + b"end\n\nBody text.\n",
    "unclosed-emphasis.md": lambda: b"_a " * 20_000,
    "unclosed-links.md": lambda: b"[" * 100_000 + b" text",
    "deep-lists.html": lambda: b"<ul><li>x" * 20_000,
    "huge-grid-span.docx": lambda: _docx_bytes(grid_span="2000000000"),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_files_finish_quickly(name: str, loader: LoaderProcess, scratch: Path) -> None:
    path = scratch / name
    path.write_bytes(PATHOLOGICAL[name]())

    result = loader.load(path)

    _assert_blocks_or_reason(result, path)
    if name.endswith(".html"):
        assert "nested" in str(result["reason"]), result
    else:
        assert "blocks" in result, result


# --- chunker -----------------------------------------------------------------------------------

word = st.one_of(
    st.text(min_size=1, max_size=12),  # any unicode, control characters included
    st.text(st.characters(categories=["Lo"]), min_size=100, max_size=600),  # one 'word' over the window
    st.text("!?.,;:-()", min_size=50, max_size=600),  # punctuation without a space
    st.sampled_from(["Dr.", "e.g.", "A.", "Safeguarding.", "children", "\n", "\t", " ", "\u00a0", "\u3000"]),
)
prose = st.lists(word, max_size=60).map(" ".join) | st.sampled_from(["", " ", "\n\t "])
heading = st.text(max_size=40) | st.text(min_size=200, max_size=2000)  # blank, normal, a paragraph styled as one
headings = st.lists(heading, max_size=30)
page = st.none() | st.integers(1, 999)
block = st.one_of(
    st.builds(Block, text=prose, headings=headings, page=page, kind=st.sampled_from(["paragraph", "list"])),
    st.builds(Block, text=st.lists(prose, max_size=30).map("\n".join), headings=headings, page=page,
              kind=st.just("table")),
)  # fmt: skip


def _non_space(texts: list[str]) -> str:
    return "".join("".join(text.split()) for text in texts)


def _in_order(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(ch in letters for ch in needle)


def _assert_chunk_promises(info: DocumentInfo, blocks: list[Block], chunks: list[Chunk], embedder: Embedder) -> None:
    tokens = embedder.count_tokens_many([embedding_text(info, c) for c in chunks])
    assert max(tokens, default=0) <= min(CHUNK_TOKENS, embedder.max_tokens), tokens
    for chunk in chunks:
        assert chunk.headings and all(h.strip() for h in chunk.headings), chunk.headings
        assert chunk.text.strip(), chunk
        assert len(chunk.line_pages) == len(chunk.text.split("\n")), chunk
    assert len({c.id for c in chunks}) == len(chunks)
    kept, given_text = _non_space([c.text for c in chunks]), _non_space([b.text for b in blocks])
    if any(b.kind == "table" for b in blocks):  # a split table repeats its header row
        assert _in_order(given_text, kept), "text lost"
    else:
        assert kept == given_text, "text lost or invented"


@FUZZ
@given(blocks=st.lists(block, max_size=8))
def test_any_blocks_chunk_within_the_window_keeping_every_character(blocks: list[Block], embedder: Embedder) -> None:
    info = DocumentInfo(id="fuzzed", title="Fuzzed guidance")

    chunks = chunk_document(info, blocks, embedder.count_tokens_many, CHUNK_TOKENS)

    _assert_chunk_promises(info, blocks, chunks, embedder)


def test_a_long_run_of_initials_chunks_quickly(embedder: Embedder) -> None:
    """'A. B. C.' never ends a sentence; splitting 200 000 characters of it once took minutes."""
    info = DocumentInfo(id="initials", title="Initials")
    blocks = [Block(text="A. " * 70_000 + "End of the list.", headings=["Names"])]

    started = time.monotonic()
    chunks = chunk_document(info, blocks, embedder.count_tokens_many, CHUNK_TOKENS)

    assert time.monotonic() - started < 30
    _assert_chunk_promises(info, blocks, chunks, embedder)


def test_a_deep_outline_is_shortened_not_refused(embedder: Embedder) -> None:
    info = DocumentInfo(id="deep", title="Deep outline")
    path = [f"Section {i} on the partnership's arrangements" for i in range(40)]
    blocks = [Block(text="The innermost section still has its text.", headings=path)]

    chunks = chunk_document(info, blocks, embedder.count_tokens_many, CHUNK_TOKENS)

    assert [c.text for c in chunks] == ["The innermost section still has its text."]
    assert chunks[0].headings == path[-len(chunks[0].headings) :], "the innermost headings are kept"
    _assert_chunk_promises(info, blocks, chunks, embedder)


# --- ingest ------------------------------------------------------------------------------------


def test_broken_files_are_each_reported_and_the_good_ones_indexed(
    tmp_path: Path, seeds: dict[str, bytes], write_doc, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "early-help.md", MARKDOWN.decode(), id="early-help", title="Early help")
    for name, data, doc_id, title in [
        ("sharing.docx", seeds[".docx"], "sharing", "Information sharing"),
        ("escalation.pdf", seeds[".pdf"], "escalation", "Escalation"),
    ]:
        write_doc(corpus, name, "", id=doc_id, title=title)  # for the sidecar; the document's bytes follow
        (corpus / name).write_bytes(data)
    broken = {
        "truncated.pdf": seeds[".pdf"][: len(seeds[".pdf"]) // 3],
        "flipped.docx": _mutate(seeds[".docx"], [("flip", 0.5, b"\x10"), ("truncate", 0.8, b"x")]),
        "bad-xml.docx": _rezip(seeds[".docx"], "word/document.xml", lambda xml: xml[: len(xml) // 2]),
        "deep.html": b"<div>" * 5_000 + b"<p>Lost in the markup.</p>",
        "latin1.txt": "Café policy for the crèche.".encode("latin-1"),
        "empty.md": b"",
        "notes.xyz": b"A format nobody supports.",
    }
    for name, data in broken.items():
        (corpus / name).write_bytes(data)
    write_doc(corpus, "claims-a-path.md", "# Fine\n\nFine text.", id="claims", title="Claims", path="/etc/passwd")
    write_doc(corpus, "bad-sidecar.md", "# Fine\n\nFine text.")
    (corpus / "bad-sidecar.md.meta.toml").write_bytes(b"title = \xff'")
    write_doc(corpus, "long-title.md", "# Fine\n\nFine text.", id="long-title", title="Title " * 400)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)

    report = ingest_corpus(settings, embedder=embedder)

    failed = {Path(path).name: reason for path, reason in report.failed}
    assert set(failed) == {*broken, "claims-a-path.md", "bad-sidecar.md", "long-title.md"}, failed
    for name, reason in failed.items():
        assert reason.strip() and "\n" not in reason and "Traceback" not in reason, (name, reason)
    assert "PDF" in failed["truncated.pdf"]
    assert "nested" in failed["deep.html"]
    assert "path" in failed["claims-a-path.md"]
    assert sorted(report.added) == ["early-help", "escalation", "sharing"]
    store = active_store(settings)
    for question, doc_id in [
        ("Who gets a family hub?", "early-help"),
        ("What about a kestrel sighting?", "sharing"),
        ("How are volcanic disagreements resolved?", "escalation"),
    ]:
        best = store.search(embedder.encode([question])[0], k=1)
        assert best and best[0].id.startswith(f"{doc_id}:"), (question, best)
