"""`kill -9` during an ingest, at several moments: the previous index stays fully queryable, and the next
ingest completes the work (re-using what the killed one embedded). Embedded Chroma and a Chroma server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.embeddings import Embedder
from assistant.pipeline import Assistant, index_state
from assistant.settings import Settings
from assistant.store import collection_names, make_client
from ingest.index import active_store, ingest_corpus
from ingest.manifest import Manifest

ASSISTANT_CLI = Path(sys.executable).with_name("assistant")


def _handbook(name: str, sections: int) -> str:
    """A long document whose sections each state one distinct, checkable fact."""
    parts = [f"# {name} handbook\n"]
    for i in range(sections):
        parts.append(
            f"## {name} procedure {i}\n"
            f"For {name.lower()} case type {i}, the lead practitioner records a plan within {i + 2} working days. "
            f"The plan for case type {i} names the {name.lower()} coordinator and is reviewed every {i + 3} weeks.\n"
        )
    return "\n".join(parts)


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path, unique_collection: str) -> Settings:
    server = {"chroma_host": "127.0.0.1", "chroma_port": request.getfixturevalue("chroma_server")} if (
        request.param == "server") else {}
    return Settings(
        data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", collection=unique_collection,
        ingest_write_chunks=32,  # small writes, so that a kill can land between them
        **server,
    )


def _environment(settings: Settings) -> dict[str, str]:
    names = ["data_dir", "corpus_dir", "collection", "ingest_write_chunks"]
    env = {**os.environ, **{f"ASSISTANT_{n.upper()}": str(getattr(settings, n)) for n in names}}
    if settings.chroma_host:
        env |= {"ASSISTANT_CHROMA_HOST": settings.chroma_host, "ASSISTANT_CHROMA_PORT": str(settings.chroma_port)}
    return env


def _holds_flock(pid: int, path: Path) -> bool:
    """Whether process `pid` holds a flock on `path` (read from /proc/locks, so without taking it)."""
    inode = f":{path.stat().st_ino} " if path.exists() else None
    return inode is not None and any(
        " FLOCK " in line and f" {pid} " in line and inode in line
        for line in Path("/proc/locks").read_text().splitlines()
    )


def _vectors_written(settings: Settings, collection: str) -> int:
    """How many vectors `collection` holds, read by a separate process: this one must not open a
    collection another process is writing (an embedded Chroma client would keep a stale view of it)."""
    code = (
        "import sys\nfrom assistant.settings import Settings\n"
        "from assistant.store import collection_names, make_client\n"
        "c = make_client(Settings()); n = sys.argv[1]\n"
        "print(c.get_collection(n).count() if n in collection_names(c) else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code, collection], env=_environment(settings),
                          capture_output=True, text=True, timeout=120)
    return int(done.stdout.strip() or 0)


def _kill_ingest(settings: Settings, after_seconds: float = 0.0, after_vectors: int = 0) -> bool:
    """Start `assistant ingest` in a process and kill -9 it once it has held the ingest lock for
    `after_seconds` and written `after_vectors` vectors to the new generation; False if it finished first."""
    with Manifest(settings.manifest_path) as manifest:
        target = f"{settings.collection}-g{manifest.generation() + 1}"
    process = subprocess.Popen(
        [str(ASSISTANT_CLI), "ingest"], env=_environment(settings),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not _holds_flock(process.pid, settings.data_dir / "ingest.lock"):
        if process.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the ingest never started"
        time.sleep(0.02)
    time.sleep(after_seconds)
    while after_vectors and _vectors_written(settings, target) < after_vectors:
        if process.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the ingest never wrote vectors"
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def _assert_fully_queryable(settings: Settings, embedder: Embedder, question: str, fact: str) -> None:
    assert index_state(settings) == "ready"
    with Manifest(settings.manifest_path) as manifest:
        indexed = manifest.chunk_ids()
    assert indexed <= active_store(settings).ids(), "every indexed chunk still has its vector"
    answer = Assistant(settings, embedder).ask(question)
    assert answer.answered and fact in answer.answer, answer.answer


def test_a_killed_ingest_leaves_the_previous_index_and_the_next_completes_it(
    settings: Settings, write_doc, embedder: Embedder
) -> None:
    corpus = settings.corpus_dir
    write_doc(corpus, "escalation.md", _handbook("Escalation", 12), id="escalation", title="Escalation handbook")
    write_doc(corpus, "neglect.md", _handbook("Neglect", 12), id="neglect", title="Neglect handbook")
    ingest_corpus(settings, embedder=embedder)
    old_question = "How often is the plan for neglect case type 5 reviewed?"
    _assert_fully_queryable(settings, embedder, old_question, "every 8 weeks")

    # The next version: one document edited, one removed, a long one added (plenty to embed).
    edited = _handbook("Escalation", 12).replace("within 7 working days", "within 30 working days")
    write_doc(corpus, "escalation.md", edited, id="escalation", title="Escalation handbook")
    (corpus / "neglect.md").unlink()
    (corpus / "neglect.md.meta.toml").unlink()
    write_doc(corpus, "fostering.md", _handbook("Fostering", 160), id="fostering", title="Fostering handbook")

    with Manifest(settings.manifest_path) as manifest:
        generation = manifest.generation()
    # Killed while loading and chunking, then while writing vectors (once a first batch is stored).
    assert _kill_ingest(settings, after_seconds=0.3), "the first ingest was killed before it finished"
    _assert_fully_queryable(settings, embedder, old_question, "every 8 weeks")
    if _kill_ingest(settings, after_vectors=settings.ingest_write_chunks):
        _assert_fully_queryable(settings, embedder, old_question, "every 8 weeks")

    report = ingest_corpus(settings, embedder=embedder)
    new_question = "Within how many working days does the lead practitioner record a plan for escalation case type 5?"
    # (A process may have been killed after its manifest commit: then this ingest only tidies up.)
    with Manifest(settings.manifest_path) as manifest:
        assert sorted(manifest.documents()) == ["escalation", "fostering"]
        to_embed = 1 + sum(c.doc_id == "fostering" for c in manifest.chunks())  # + the edited section
        assert report.chunks_embedded < to_embed, "vectors written by the killed ingests were re-used"
        assert manifest.generation() == generation + 1, "one new generation, however many tries it took"
        assert manifest.chunk_ids() == active_store(settings).ids()
    _assert_fully_queryable(settings, embedder, new_question, "30 working days")
    removed = Assistant(settings, embedder).ask(old_question)
    assert all(c.document != "neglect" for c in removed.citations), "the removed document is not cited"
    prefix = f"{settings.collection}-g"
    left = sorted(n for n in collection_names(make_client(settings)) if n.startswith(prefix))
    assert len(left) <= 2, f"only the current and previous generations are kept: {left}"
