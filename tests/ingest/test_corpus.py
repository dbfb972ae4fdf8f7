"""Finding documents in a corpus folder and reading their provenance from sidecars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingest.corpus import discover


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def test_sidecar_gives_provenance_and_non_documents_are_skipped(
    tmp_path: Path, settings: Settings, write_doc
) -> None:
    root = tmp_path / "corpus"
    write_doc(
        root / "a",
        "guide.md",
        "# Guide\n\nText.",
        id="guide-2024",
        title="The Guide",
        type="protocol",
        published="2024-03-01",
        url="https://example.org/guide",
        audience="public",
        areas=["England"],
    )
    write_doc(root / "b", "Annual_report-2023.md", "# Report\n\nText.")
    write_doc(root, "README.md", "# About this folder")
    write_doc(root / "a", "SOURCE.md", "Where the guide came from")
    write_doc(root / ".hidden", "secret.md", "# Not a document")

    found = discover(root, settings)

    assert [f.path.name for f in found] == ["guide.md", "Annual_report-2023.md"]
    guide, report = (f.info for f in found)
    assert guide.id == "guide-2024" and guide.title == "The Guide" and guide.type == "protocol"
    assert guide.published == dt.date(2024, 3, 1) and guide.year == 2024
    assert guide.audience == "public" and guide.url == "https://example.org/guide"
    assert len(guide.sha256) == 64 and guide.areas == ["England"]
    # Without a sidecar: id from the path, a readable title, a type guessed from the name, and the
    # cautious audience (never shown to the public by default).
    assert report.id == "b-annual-report-2023"
    assert report.title == "Annual report 2023"
    assert report.type == "report"
    assert report.audience == "practitioners" and report.areas == []


def test_bad_sidecar_is_reported_not_raised(tmp_path: Path, settings: Settings, write_doc) -> None:
    root = tmp_path / "corpus"
    write_doc(root, "good.md", "# Good\n\nText.", id="good", title="Good")
    write_doc(root, "wrongtype.md", "# W\n\nText.", id="w", title="W", type="novel")
    write_doc(root, "onearea.md", "# O\n\nText.", id="o", title="O", areas="England")  # a list is wanted
    write_doc(root, "broken.md", "# B\n\nText.")
    (root / "broken.md.meta.toml").write_text("id = = 'oops", encoding="utf-8")

    found = {f.path.name: f for f in discover(root, settings)}

    assert found["good.md"].info is not None and found["good.md"].error is None
    assert found["wrongtype.md"].info is None and "wrongtype.md.meta.toml" in found["wrongtype.md"].error
    assert "type" in found["wrongtype.md"].error
    assert found["onearea.md"].info is None and "areas" in found["onearea.md"].error
    assert found["broken.md"].info is None and "broken.md.meta.toml" in found["broken.md"].error


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        discover(tmp_path / "nowhere", settings)


def test_bundled_corpus_has_five_documents_with_sidecars(settings: Settings) -> None:
    found = discover(settings.corpus_dir, settings)

    assert all(f.error is None for f in found), [(f.path.name, f.error) for f in found]
    assert sorted(f.info.id for f in found) == [
        "csc-national-framework-2023",
        "info-sharing-advice-2024",
        "kcsie-2025",
        "sscp-annual-report-2022-23",
        "working-together-2023",
    ]
    assert all(f.info.url.startswith("https://") and f.info.published for f in found)
