"""Fuzzing (hypothesis): random and mutated PDF, DOCX, HTML, Markdown and text bytes never crash or hang a
loader — each gives blocks or one LoaderError with a reason — and any blocks chunk within the window
without losing words; an ingest with broken files among good ones reports each and indexes the rest."""

from __future__ import annotations

import faulthandler
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.embeddings import Embedder
from assistant.schema import Block, DocumentInfo
from assistant.settings import Settings
from ingest.chunking import chunk_document, embedding_text
from ingest.index import ingest_corpus
from ingest.loaders import LoaderError, load_document

MODEL_WINDOW = 256
SLOWEST_LOAD_SECONDS = 10.0
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _pdf_bytes(path: Path) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.start_section("Escalation", level=0)
    pdf.multi_cell(0, 8, "Practitioners escalate concerns to their designated lead within one working day.")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Disagreements are resolved through the professional differences protocol.")
    pdf.output(str(path))
    return path.read_bytes()


def _docx_bytes(path: Path) -> bytes:
    document = docx.Document()
    document.add_heading("Information sharing", level=1)
    document.add_paragraph("Share information when a child is at risk of significant harm.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Agency", "Contact"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Police", "101"
    document.save(str(path))
    return path.read_bytes()


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("fuzz-seeds")
    return {
        ".pdf": _pdf_bytes(root / "seed.pdf"),
        ".docx": _docx_bytes(root / "seed.docx"),
        ".html": b"<html><body><h1>Neglect</h1><p>Use the graded care profile.</p><table><tr><th>Tool</th></tr>"
        b"<tr><td>GCP2</td></tr></table></body></html>",
        ".md": b"# Early help\n\n## Referrals\n\nAsk the family's consent first.\n",
        ".txt": b"Neglect is the persistent failure to meet a child's basic needs.\n",
    }


@pytest.fixture(autouse=True)
def no_hangs() -> Iterator[None]:
    """A loader stuck in native code cannot be interrupted: after 120 s, dump every stack and exit."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


mutation = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate"]), st.floats(0, 1), st.binary(min_size=1, max_size=8))


def _mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    for op, where, payload in mutations:
        at = int(where * len(data))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ payload[0]]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + payload + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(payload) :]
        elif op == "truncate":
            data = data[:at]
    return data


def _load_checked(path: Path) -> list[Block] | None:
    """load_document's blocks, or None after a LoaderError that names the file and gives a reason."""
    started = time.monotonic()
    try:
        blocks = load_document(path)
    except LoaderError as error:
        assert error.reason.strip(), "a LoaderError says why"
        assert path.name in str(error)
        return None
    finally:
        assert time.monotonic() - started < SLOWEST_LOAD_SECONDS
    assert blocks and all(isinstance(b, Block) and b.text.strip() for b in blocks)
    return blocks


def _assert_chunks_keep_words(blocks: list[Block], embedder: Embedder) -> None:
    info = DocumentInfo(id="fuzzed", title="Fuzzed document")
    chunks = chunk_document(info, blocks, embedder.count_tokens_many, 240)
    assert chunks
    for chunk in chunks:
        assert chunk.headings and chunk.text.strip()
        assert embedder.count_tokens(embedding_text(info, chunk)) <= MODEL_WINDOW
    chunk_words = [w for c in chunks for w in c.text.split()]
    block_words = [w for b in blocks for w in b.text.split()]
    assert sorted(chunk_words) == sorted(block_words), "no word lost or invented"


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".md", ".txt"])
def test_mutated_files_load_or_fail_with_a_reason(
    suffix: str, valid_files: dict[str, bytes], tmp_path: Path, embedder: Embedder
) -> None:
    @FUZZ
    @given(mutations=st.lists(mutation, min_size=1, max_size=6))
    def check(mutations: list[tuple[str, float, bytes]]) -> None:
        path = tmp_path / f"mutated{suffix}"
        path.write_bytes(_mutate(valid_files[suffix], mutations))
        blocks = _load_checked(path)
        if blocks:
            _assert_chunks_keep_words(blocks, embedder)

    check()


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".md", ".txt"])
def test_random_bytes_load_or_fail_with_a_reason(suffix: str, tmp_path: Path) -> None:
    @FUZZ
    @given(data=st.binary(max_size=4096))
    def check(data: bytes) -> None:
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        _load_checked(path)

    check()


words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=60)
blocks_strategy = st.lists(
    st.builds(
        Block,
        text=st.lists(words, min_size=1, max_size=120).map(" ".join).filter(str.strip),
        headings=st.lists(st.text(min_size=1, max_size=40).filter(str.strip), max_size=4),
        page=st.one_of(st.none(), st.integers(1, 500)),
        kind=st.sampled_from(["paragraph", "list", "table"]),
    ),
    min_size=1,
    max_size=8,
)


@FUZZ
@given(blocks=blocks_strategy)
def test_any_blocks_chunk_within_the_window_without_losing_words(blocks: list[Block], embedder: Embedder) -> None:
    _assert_chunks_keep_words(blocks, embedder)


def test_an_ingest_reports_each_broken_file_and_indexes_the_rest(
    tmp_path: Path, valid_files: dict[str, bytes], write_doc, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "good.md", valid_files[".md"].decode(), id="good", title="Early help")
    (corpus / "good.docx").write_bytes(valid_files[".docx"])
    (corpus / "good.docx.meta.toml").write_text('id = "good-docx"\ntitle = "Information sharing"\n')
    broken = {
        "truncated.pdf": valid_files[".pdf"][: len(valid_files[".pdf"]) // 3],
        "garbage.docx": _mutate(valid_files[".docx"], [("flip", 0.01, b"\xff"), ("truncate", 0.5, b"x")]),
        "binary.html": bytes(range(256)) * 4,
        "latin1.txt": "Caf\xe9 cr\xe8me".encode("latin-1"),
        "empty.md": b"",
    }
    for name, data in broken.items():
        (corpus / name).write_bytes(data)

    report = ingest_corpus(Settings(data_dir=tmp_path / "data", corpus_dir=corpus), embedder=embedder)

    failed = {Path(path).name: reason for path, reason in report.failed}
    assert {"truncated.pdf", "garbage.docx", "latin1.txt", "empty.md"} <= set(failed), failed
    assert all(reason.strip() for reason in failed.values())
    assert {"good", "good-docx"} <= set(report.added), report.added
    assert report.chunks_total > 0
