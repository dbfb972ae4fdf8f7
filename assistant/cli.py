"""The `assistant` command: ingest the corpus, ask questions, list sources. A thin door onto Assistant."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from assistant.pipeline import Assistant, QuestionError, index_state
from assistant.retrieval import Filters
from assistant.schema import Answer
from assistant.settings import PROJECT_ROOT, Settings
from ingest.index import IngestError, IngestReport

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
errors = Console(stderr=True)


class RichIngestProgress:
    """Shows a progress bar while chunks are embedded."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: int | None = None

    def embedding_started(self, total: int) -> None:
        self.task = self.progress.add_task("Embedding chunks", total=total)

    def embedded(self, count: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=errors, transient=False,
    )


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=1)


def _print_report(report: IngestReport) -> None:
    for path, reason in report.failed:
        errors.print(f"[yellow]skipped[/yellow] {path}: {reason}", highlight=False)
    errors.print(report.summary(), highlight=False)


def _assistant(settings: Settings) -> Assistant:
    """Open the index, ingesting the configured corpus first if it is empty."""
    assistant = Assistant(settings)
    state = index_state(settings)
    if state != "ready":
        why = "is empty" if state == "empty" else "was built by an older version or another dense model"
        errors.print(f"The index in {settings.data_dir} {why}: ingesting {settings.corpus_dir} first.")
        with _progress() as progress:
            report = assistant.ensure_index(progress=RichIngestProgress(progress))
        if report:
            _print_report(report)
    else:
        assistant.load()
    return assistant


@app.command()
def ingest(
    path: Annotated[Path | None, typer.Argument(help="Corpus folder to mirror, or one file to add.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed everything.")] = False,
) -> None:
    """Index the corpus: only new or changed documents are embedded; removed ones are dropped."""
    settings = Settings()
    try:
        assistant = Assistant(settings)
        with _progress() as progress:
            report = assistant.ingest(path, rebuild=rebuild, progress=RichIngestProgress(progress))
    except (IngestError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from exc
    _print_report(report)
    if report.failed and not (report.added or report.updated or report.unchanged):
        raise typer.Exit(code=1)


@app.command()
def ask(
    questions: Annotated[list[str], typer.Argument(help="One or more questions.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="Only documents of this type.")] = None,
    since: Annotated[int | None, typer.Option("--since", help="Only documents published from this year.")] = None,
    until: Annotated[int | None, typer.Option("--until", help="Only documents published up to this year.")] = None,
) -> None:
    """Answer questions from the guidance, with numbered sources."""
    settings = Settings()
    try:
        filters = Filters(types=doc_type or None, year_from=since, year_to=until)
    except ValueError as exc:
        raise _fail(f"bad filter: {exc}") from exc
    try:
        assistant = _assistant(settings)
    except (IngestError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from exc
    failed = False
    for question in questions:
        try:
            answer = assistant.ask(question, filters)
        except QuestionError as exc:
            errors.print(f"[red]error:[/red] {exc}: {question!r}", highlight=False)
            failed = True
            continue
        if as_json:
            sys.stdout.write(json.dumps(answer.public_json(), ensure_ascii=False) + "\n")
        else:
            _print_answer(answer)
    if failed:
        raise typer.Exit(code=1)


def _print_answer(answer: Answer) -> None:
    console.rule(f"[bold]{answer.question}", align="left")
    if answer.notice:
        console.print(f"[bold white on red] URGENT [/] {answer.notice}", highlight=False)
    console.print(answer.answer, highlight=False)
    sources = answer.citations if answer.answered else answer.closest_sources
    if sources:
        console.print("[bold]Sources[/]" if answer.answered else "[bold]Closest sources[/]")
    for c in sources:
        page = f", page {c.page}" if c.page else ""
        console.print(f"  [{c.n}] {c.title} — {c.section}{page}", highlight=False, markup=False)
        if c.url:
            console.print(f"      {c.url}", highlight=False, markup=False)
        if answer.answered:
            console.print(f"      “{c.quote}”", style="dim", highlight=False, markup=False)
    console.print()


@app.command()
def sources() -> None:
    """List the indexed documents with their chunk counts and dates."""
    settings = Settings()
    listed = Assistant(settings).sources()
    if not listed:
        raise _fail(f"the index in {settings.data_dir} is empty; run `assistant ingest` first")
    table = Table("title", "type", "published", "audience", "chunks", "ingested")
    table.add_column("id", no_wrap=True)  # ids are typed back into commands: never wrap them
    for s in listed:
        table.add_row(
            s.info.title, s.info.type, str(s.info.published or "—"), s.info.audience, str(s.chunks),
            s.ingested_at[:10], s.info.id,
        )
    console.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes; each loads the model and index once.")] = 1,
) -> None:
    """Serve the web API, the chat page and the widget (and Slack's HTTP mode when SLACK_SIGNING_SECRET is set)."""
    import uvicorn

    from assistant.api import create_app

    settings = Settings()
    assistant = None
    # An empty or outdated index is ingested once here, never by two workers at the same time.
    if workers == 1 or index_state(settings) != "ready":
        try:
            assistant = _assistant(settings)
        except (IngestError, FileNotFoundError) as exc:
            raise _fail(str(exc)) from exc
    errors.print(f"Chat page on http://{host}:{port}/ , API docs on http://{host}:{port}/docs")
    # Each worker logs our lines (one per answer: ids, timings, counts; see assistant/request_log.py) too.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["assistant"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    if workers == 1:
        uvicorn.run(create_app(settings, assistant), host=host, port=port, log_config=log_config)
    else:
        del assistant  # each worker process loads its own model and index from the same settings
        # A worker loading the model on a busy CPU can miss uvicorn's 5 s health ping and be killed.
        uvicorn.run(
            "assistant.api:create_app", factory=True, host=host, port=port, workers=workers,
            timeout_worker_healthcheck=60, log_config=log_config,
        )


@app.command()
def slack() -> None:
    """Answer in Slack over Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; no public URL)."""
    from slack_bolt.error import BoltError

    from assistant.feedback import FeedbackStore
    from assistant.slack import SlackConfigError, run_socket_mode

    settings = Settings()
    tokens = {"SLACK_BOT_TOKEN": settings.slack_bot_token, "SLACK_APP_TOKEN": settings.slack_app_token}
    missing = [name for name, value in tokens.items() if not value]
    if missing:
        raise _fail(
            f"{' and '.join(missing)} not set: see 'Slack' in the README (or use HTTP mode: "
            "SLACK_SIGNING_SECRET and `assistant serve`)"
        )
    try:
        assistant = _assistant(settings)
    except (IngestError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from exc
    feedback = FeedbackStore(settings.feedback_path)
    errors.print("Connecting to Slack over Socket Mode; Ctrl+C stops.")
    try:
        run_socket_mode(settings, assistant, feedback)
    except SlackConfigError as exc:
        raise _fail(str(exc)) from exc
    except BoltError as exc:
        raise _fail(f"Slack refused the bot token: {exc}") from exc
    except OSError as exc:
        raise _fail(f"could not connect to Slack: {exc}") from exc
    except KeyboardInterrupt:
        pass
    finally:
        feedback.close()


@app.command()
def themes(
    topic: Annotated[str | None, typer.Option("--topic", help="Learning about this, by document and year.")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="Only documents of this type.")] = None,
    since: Annotated[int | None, typer.Option("--since", help="Only documents published from this year.")] = None,
    until: Annotated[int | None, typer.Option("--until", help="Only documents published up to this year.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown, csv or json.")] = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not the screen.")] = None,
) -> None:
    """Learning themes across reviews, audits and bulletins, newest first, each passage with its source."""
    from assistant.theme_export import themes_csv, themes_markdown
    from assistant.themes import ThemeError, find_themes

    if fmt not in ("markdown", "csv", "json"):
        raise _fail(f"unknown format {fmt!r}; use markdown, csv or json")
    settings = Settings()
    try:
        assistant = _assistant(settings)
        report = find_themes(assistant, topic=topic, types=doc_type, since=since, until=until)
    except (IngestError, FileNotFoundError, ThemeError) as exc:
        raise _fail(str(exc)) from exc
    if fmt == "json":
        text = json.dumps(report.public_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = themes_csv(report) if fmt == "csv" else themes_markdown(report)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from exc
    errors.print(f"Wrote {report.passage_count} passages to {output}", highlight=False)


@app.command("eval")
def evaluate_command(
    split: Annotated[str, typer.Option(
        help="Questions to run: test (held back), tune, all (both), dev or dev2.")] = "test",
    rows: Annotated[str, typer.Option(help="Comma-separated rows: default,bm25,dense,hybrid,rerank,minilm,recipe.")] = (
        "default,bm25,dense,hybrid,rerank,minilm,recipe"
    ),
    out: Annotated[Path, typer.Option(help="Folder for report.md and report.png.")] = Path("evals/out"),
    limit: Annotated[int | None, typer.Option(help="Only the first N questions (quick checks).")] = None,
) -> None:
    """Score the pipeline and its alternatives on the eval questions; write a Markdown report and a plot."""
    from assistant.eval_report import how_sure, markdown_table, write_report
    from assistant.evaluation import ROWS, SPLITS, compare, split_questions

    chosen = [r.strip() for r in rows.split(",") if r.strip()]
    unknown = [r for r in chosen if r not in ROWS]
    if unknown or split not in SPLITS:
        raise _fail(f"unknown row(s) {unknown} or split {split!r}; rows are {', '.join(ROWS)}")
    settings = Settings()
    questions = split_questions(PROJECT_ROOT / "evals", split)[:limit]
    try:
        assistant = _assistant(settings)
        reports = compare(assistant, questions, chosen)
    except (IngestError, FileNotFoundError, RuntimeError) as exc:
        raise _fail(str(exc)) from exc
    path = write_report(reports, out, split)
    console.print(markdown_table(reports), highlight=False, markup=False, soft_wrap=True)
    if reports:
        console.print(how_sure(reports[0]), highlight=False, markup=False, soft_wrap=True)
    errors.print(f"Report: {path} and {path.with_name('report.png')}")
