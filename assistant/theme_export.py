"""Learning themes as Markdown and CSV, ready to paste into course material; every quote keeps its source."""

from __future__ import annotations

import csv
import io

from assistant.themes import LearningPassage, ThemeReport

CSV_COLUMNS = [
    "theme", "label", "document", "title", "type", "published", "year", "section", "page", "url", "category",
    "quote",
]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _filters_line(report: ThemeReport) -> str:
    parts = []
    if report.types:
        parts.append("type " + ", ".join(report.types))
    if report.since is not None:
        parts.append(f"published from {report.since}")
    if report.until is not None:
        parts.append(f"published up to {report.until}")
    if report.audience:
        parts.append(f"audience {report.audience}")
    return f"_Only documents with {'; '.join(parts)}._\n\n" if parts else ""


def _source(p: LearningPassage, with_title: bool = True) -> str:
    c = p.citation
    where = [f"*{_one_line(c.title)}*" + (f" ({p.year})" if p.year else "")] if with_title else []
    where.append(_one_line(c.section))
    if c.page:
        where.append(f"page {c.page}")
    text = ", ".join(where)
    return f"{text} — <{c.url}>" if c.url else text


def themes_markdown(report: ThemeReport) -> str:
    """Themes (or a topic's passages by document and year) as Markdown: each passage quoted with its
    document, section, page and link."""
    out: list[str] = []
    if report.topic is None:
        out.append("# Learning themes\n\n")
        out.append(_filters_line(report))
        if not report.themes:
            out.append("No learning passages were found in the documents.\n")
        else:
            documents = {p.citation.document for t in report.themes for p in t.passages}
            out.append(f"{_count(len(report.themes), 'theme')} from {_count(report.passage_count, 'learning passage')}"
                       f" in {_count(len(documents), 'document')}, newest first.\n\n")
        for theme in report.themes:
            years = ", ".join(map(str, theme.years))
            out.append(f"## {theme.id}. {_one_line(theme.label)}" + (f" ({years})" if years else "") + "\n\n")
            for p in theme.passages:
                out.append(f"- “{_one_line(p.text)}” — {p.category}; {_source(p)}\n")
            out.append("\n")
    else:
        out.append(f"# Learning about “{_one_line(report.topic)}”\n\n")
        out.append(_filters_line(report))
        if not report.documents:
            out.append("No learning passages about this topic were found in the documents.\n")
        else:
            out.append(f"{_count(report.passage_count, 'learning passage')} in "
                       f"{_count(len(report.documents), 'document')}, newest first.\n\n")
        for group in report.documents:
            year = f"{group.year} — " if group.year else ""
            out.append(f"## {year}{_one_line(group.title)} ({group.doc_type})\n\n")
            for p in group.passages:
                out.append(f"- “{_one_line(p.text)}” — {p.category}; {_source(p, with_title=False)}\n")
            out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


def themes_csv(report: ThemeReport) -> str:
    """One row per passage: the theme (number and label; the topic for a topic query) and its citation."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows: list[tuple[str, str, LearningPassage]] = []
    if report.topic is None:
        rows = [(str(t.id), t.label, p) for t in report.themes for p in t.passages]
    else:
        rows = [("", report.topic, p) for group in report.documents for p in group.passages]
    for theme, label, p in rows:
        c = p.citation
        writer.writerow([
            theme, label, c.document, c.title, p.doc_type, p.published.isoformat() if p.published else "",
            p.year or "", c.section, c.page or "", c.url, p.category, _one_line(p.text),
        ])
    return buffer.getvalue()
