"""Learning themes for trainers: the annual report's identified learning, a bulletin, filters, exports, CLI.

The index holds the annual report, the information sharing advice and a small learning bulletin (2024) that
also talks about engaging fathers, so a topic reaches across documents and years."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.embeddings import Embedder
from assistant.pipeline import Assistant
from assistant.schema import Chunk, DocumentInfo
from assistant.settings import PROJECT_ROOT, Settings
from assistant.theme_export import themes_csv, themes_markdown
from assistant.themes import LearningPassage, ThemeError, ThemeReport, find_learning_passages, find_themes

REPORT = "sscp-annual-report-2022-23"
BULLETIN = "learning-bulletin-spring-2024"
IDENTIFIED_LEARNING = [
    "Engaging fathers and male carers",
    "Non accidental injuries to babies",
    "Contingency planning and managing effective transitions for families between services",
    "Missed opportunities for information sharing between agencies",
    "Professional challenge and curiosity",
    "Having clear outcomes from Child Protection medicals",
]
BULLETIN_TEXT = """# SSCP Learning Bulletin: Spring 2024

## Rapid Review: Baby H

### Background

Baby H was seven weeks old when she was taken to hospital with a fractured arm.

### Key learning

- Practitioners should think about fathers and male carers from the first contact: ask who lives in the \
household and who cares for the baby.
- Engaging fathers means inviting them to appointments, assessments and meetings, not only mothers.
- Bruising in a non-mobile baby must always be referred for a child protection medical.

### Actions taken

- The partnership will publish a new bruising protocol in the autumn.

## Good practice

- A school designated safeguarding lead used the Resolving Professional Differences protocol to challenge a \
decision to close a case.
"""


BULLETIN_META = """id = "learning-bulletin-spring-2024"
title = "SSCP Learning Bulletin: Spring 2024"
published = 2024-04-01
type = "bulletin"
url = "https://example.org/bulletins/spring-2024"
audience = "practitioners"
"""


@pytest.fixture(scope="module")
def themes_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The annual report, the information sharing advice and the bulletin, in a corpus of their own."""
    root = tmp_path_factory.mktemp("themes")
    corpus = root / "corpus"
    for name in (REPORT, "info-sharing-advice-2024"):
        shutil.copytree(PROJECT_ROOT / "corpus" / name, corpus / name)
    (corpus / "bulletins").mkdir()
    (corpus / "bulletins" / "spring-2024.md").write_text(BULLETIN_TEXT, encoding="utf-8")
    (corpus / "bulletins" / "spring-2024.md.meta.toml").write_text(BULLETIN_META, encoding="utf-8")
    return Settings(data_dir=root / "data", corpus_dir=corpus)


@pytest.fixture(scope="module")
def themes_assistant(themes_settings: Settings, embedder: Embedder) -> Assistant:
    bot = Assistant(themes_settings, embedder)
    report = bot.ensure_index()
    assert report is not None and not report.failed, report and report.failed
    return bot


@pytest.fixture(scope="module")
def report(themes_assistant: Assistant) -> ThemeReport:
    return find_themes(themes_assistant)


def _all_passages(report: ThemeReport) -> list[LearningPassage]:
    return [p for t in report.themes for p in t.passages] + [p for d in report.documents for p in d.passages]


def test_each_identified_learning_item_is_in_a_theme_cited_to_its_section(report: ThemeReport) -> None:
    for item in IDENTIFIED_LEARNING:
        found = [p for t in report.themes for p in t.passages if p.text == item]
        assert len(found) == 1, f"{item!r} is in no theme"
        citation = found[0].citation
        assert citation.document == REPORT and citation.quote == item
        assert "Identified learning" in citation.section
        assert citation.title.startswith("Somerset Safeguarding Children Partnership")
        assert citation.url.startswith("https://www.somersetsafeguardingchildren.org.uk")


def test_themes_gather_similar_learning_across_documents_with_distinctive_labels(report: ThemeReport) -> None:
    fathers = next(t for t in report.themes if any(p.text == "Engaging fathers and male carers" for p in t.passages))
    assert "fathers" in fathers.label
    assert {REPORT, BULLETIN} <= set(fathers.documents)
    assert any("Engaging fathers means inviting them" in p.text for p in fathers.passages)
    sharing = next(t for t in report.themes if any(p.text.startswith("Missed opportunities for information")
                                                 for p in t.passages))
    assert "information sharing" in sharing.label
    assert any(p.category == "good practice" for p in sharing.passages)  # audit and Section 11 good practice


def test_only_learning_passages_are_taken(report: ThemeReport) -> None:
    texts = [p.text for p in _all_passages(report)]
    assert any(t.startswith("Missed opportunities to challenge the no further action") for t in texts)  # key learning
    assert any(t.startswith("Good awareness of family history") for t in texts)  # good practice
    assert not any("bruising protocol" in t for t in texts)  # "Actions taken" is not learning
    assert not any("fractured arm" in t for t in texts)  # background is not learning
    assert not any("Partnership videos, e-learning" in t for t in texts)  # how learning was disseminated
    assert not any(p.citation.document == "info-sharing-advice-2024" for p in _all_passages(report))


def test_themes_and_their_passages_are_newest_first(report: ThemeReport) -> None:
    newest = [t.newest for t in report.themes]
    assert all(a is not None for a in newest)
    assert newest == sorted(newest, reverse=True)
    assert report.themes[0].newest.isoformat() == "2024-04-01"
    for theme in report.themes:
        dates = [p.published for p in theme.passages]
        assert dates == sorted(dates, reverse=True)
        assert [p.citation.n for p in theme.passages] == list(range(1, len(theme.passages) + 1))
    assert report.passage_count == sum(len(t.passages) for t in report.themes)


def test_a_topic_returns_its_passages_by_document_and_year(themes_assistant: Assistant) -> None:
    report = find_themes(themes_assistant, topic="engaging fathers")

    assert report.topic == "engaging fathers" and report.themes == []
    assert [(d.document, d.year) for d in report.documents] == [(BULLETIN, 2024), (REPORT, 2023)]
    for group in report.documents:
        assert group.passages and all("father" in p.text.lower() for p in group.passages)
        assert all(p.citation.document == group.document and p.score is not None for p in group.passages)
    report_quotes = [p.citation.quote for p in report.documents[1].passages]
    assert "Engaging fathers and male carers" in report_quotes


def test_type_and_since_filters_restrict_the_documents(themes_assistant: Assistant) -> None:
    bulletins = find_themes(themes_assistant, types=["bulletin"])
    assert bulletins.themes and {p.doc_type for p in _all_passages(bulletins)} == {"bulletin"}

    reports = find_themes(themes_assistant, types=["report"])
    assert reports.themes and {p.citation.document for p in _all_passages(reports)} == {REPORT}

    recent = find_themes(themes_assistant, since=2024)
    assert recent.passage_count and all(p.year >= 2024 for p in _all_passages(recent))
    assert not find_themes(themes_assistant, since=2025).themes

    topic_in_reports = find_themes(themes_assistant, topic="engaging fathers", types=["report"])
    assert [d.document for d in topic_in_reports.documents] == [REPORT]
    assert not find_themes(themes_assistant, audience="public", types=["bulletin"]).themes


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"topic": "   "}, "topic is empty"),
        ({"topic": "x" * 201}, "longer than"),
        ({"types": ["leaflet"]}, "bad filter"),
        ({"since": 2024, "until": 2023}, "after"),
    ],
)
def test_bad_requests_say_what_is_wrong(themes_assistant: Assistant, kwargs: dict, message: str) -> None:
    with pytest.raises(ThemeError, match=message):
        find_themes(themes_assistant, **kwargs)


def test_markdown_and_csv_exports_carry_quotes_and_sources(themes_assistant: Assistant, report: ThemeReport) -> None:
    markdown = themes_markdown(report)
    assert markdown.startswith("# Learning themes")
    for item in IDENTIFIED_LEARNING:
        assert f"“{item}”" in markdown
    assert "Identified learning from activity the Partnership have completed" in markdown
    assert "<https://example.org/bulletins/spring-2024>" in markdown

    rows = list(csv.DictReader(io.StringIO(themes_csv(report))))
    assert len(rows) == report.passage_count
    row = next(r for r in rows if r["quote"] == "Professional challenge and curiosity")
    assert row["document"] == REPORT and row["year"] == "2023" and row["type"] == "report"
    assert "Identified learning" in row["section"] and row["theme"].isdigit() and row["label"]

    topic = find_themes(themes_assistant, topic="engaging fathers")
    topic_md = themes_markdown(topic)
    assert topic_md.startswith("# Learning about “engaging fathers”")
    assert topic_md.index("## 2024") < topic_md.index("## 2023")
    topic_rows = list(csv.DictReader(io.StringIO(themes_csv(topic))))
    assert {r["document"] for r in topic_rows} == {REPORT, BULLETIN}
    assert all(r["label"] == "engaging fathers" for r in topic_rows)


def test_passages_are_found_under_headings_and_lead_ins() -> None:
    """Learning headings, lead-in lines and 'reviews have highlighted' sentences count; in guidance only a
    heading or lead-in that names learning outright does."""
    report_doc = DocumentInfo(id="r", title="Annual report", type="report")
    guidance = DocumentInfo(id="g", title="Guidance", type="guidance")
    chunks = [
        Chunk(id="r:1", doc_id="r", headings=["Audit", "Key learning identified included:"],
              text="Plans were not updated when the family moved.\nNext year we will repeat the audit."),
        Chunk(id="r:2", doc_id="r", headings=["Audit", "Summary"],
              text="The audit looked at 20 cases.\nAreas for development included:\nRecording the voice of the child"),
        Chunk(id="r:3", doc_id="r", headings=["Audit", "Summary"], text="Supervision of newly qualified staff"),
        Chunk(id="r:4", doc_id="r", headings=["Neglect"],
              text="Reviews have highlighted the impact of neglect on teenagers. We ran four workshops."),
        Chunk(id="g:1", doc_id="g", headings=["Chapter 5: Learning from serious incidents"],
              text="Safeguarding partners must commission reviews of serious cases."),
        Chunk(id="g:2", doc_id="g", headings=["Sharing", "Good practice"],
              text="Agencies should agree how they share information."),
    ]
    found = find_learning_passages(chunks, {"r": report_doc, "g": guidance})

    assert [(f.text, f.category) for f in found] == [
        ("Plans were not updated when the family moved.", "learning"),
        ("Recording the voice of the child", "area for development"),
        ("Supervision of newly qualified staff", "area for development"),  # the lead-in's list goes on
        ("Reviews have highlighted the impact of neglect on teenagers.", "learning"),
        ("Agencies should agree how they share information.", "good practice"),
    ]


def test_the_themes_command_prints_markdown_csv_and_json(
    monkeypatch: pytest.MonkeyPatch, themes_assistant: Assistant, themes_settings: Settings, tmp_path: Path
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(themes_settings.data_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(themes_settings.corpus_dir))
    runner = CliRunner()

    result = runner.invoke(app, ["themes", "--type", "report"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Learning themes") and "“Engaging fathers and male carers”" in result.stdout
    assert "Spring 2024" not in result.stdout

    result = runner.invoke(app, ["themes", "--topic", "engaging fathers", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["document"] for r in rows][0] == BULLETIN and {r["document"] for r in rows} == {REPORT, BULLETIN}

    out = tmp_path / "themes.json"
    result = runner.invoke(app, ["themes", "--since", "2024", "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["since"] == 2024 and data["themes"]
    assert all(p["citation"]["document"] == BULLETIN for t in data["themes"] for p in t["passages"])

    result = runner.invoke(app, ["themes", "--type", "leaflet"])
    assert result.exit_code == 1 and "bad filter" in result.output and "Traceback" not in result.output
