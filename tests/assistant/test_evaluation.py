"""`assistant eval`: rows side by side on the same questions, a Markdown report and a plot."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.baseline import TutorialRecipe
from assistant.cli import app
from assistant.embeddings import Embedder
from assistant.eval_report import failures, how_sure, write_report
from assistant.evaluation import (
    EvalQuestion,
    EvalReport,
    QuestionResult,
    compare,
    load_questions,
    passage_is_relevant,
    split_questions,
    wilson_interval,
)
from assistant.pipeline import Assistant, index_state
from assistant.schema import Answer
from assistant.settings import PROJECT_ROOT, Settings

QUESTIONS = PROJECT_ROOT / "evals" / "questions.jsonl"


def test_the_eval_set_covers_every_document_and_both_splits() -> None:
    questions = load_questions(QUESTIONS)
    documents = {q.document for q in questions if q.document}

    assert len(questions) >= 80
    assert len(documents) == 5
    assert {q.split for q in questions} == {"tune", "test"}
    assert {"out_of_scope", "near_miss", "not_covered", "urgent", "typo", "paraphrase"} <= {q.kind for q in questions}
    assert all(not q.answerable for q in questions if q.kind == "not_covered")


@pytest.mark.parametrize("split", ["dev", "dev2"])
def test_the_dev_splits_are_sets_of_their_own(split: str) -> None:
    dev = split_questions(QUESTIONS.parent, split)
    both = split_questions(QUESTIONS.parent, "all")
    others = split_questions(QUESTIONS.parent, "dev2" if split == "dev" else "dev")
    assert len(dev) >= 60 and {q.split for q in dev} == {split}
    assert not {q.id for q in dev} & {q.id for q in both}  # "all" is tune and test: the figures reported stay theirs
    assert not {q.id for q in dev} & {q.id for q in others}
    assert all(q.graded for q in dev if q.answerable) and any(not q.answerable for q in dev)
    assert {q.document for q in dev if q.document} == {q.document for q in both if q.document}  # every document
    assert [q.id for q in split_questions(QUESTIONS.parent, "tune")] == [q.id for q in both if q.split == "tune"]


def test_rows_are_scored_on_the_same_questions_and_reported(
    bundled_assistant: Assistant, tmp_path: Path
) -> None:
    test_split = load_questions(QUESTIONS, "test")
    questions = [q for q in test_split if q.kind == "figure"][:5] + [
        q for q in test_split if q.kind == "out_of_scope"
    ][:3]

    reports = compare(bundled_assistant, questions, ["default", "dense"])
    path = write_report(reports, tmp_path, "test")

    assert [r.name for r in reports] == ["our default pipeline", "dense alone"]
    assert all(len(r.results) == len(questions) for r in reports)
    default = reports[0].metrics()
    assert default["refusal_recall"] == 1.0  # every out-of-scope question among them refused
    assert default["recall@5"] >= reports[1].metrics()["recall@5"]
    text = path.read_text()
    assert "| our default pipeline |" in text and "| dense alone |" in text
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_tutorial_recipe_answers_with_its_top_chunk_and_never_refuses(
    tmp_path: Path, write_doc, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "a.md", "# Neglect\n\nUse the graded care profile to assess neglect.\n", id="a", title="A")
    write_doc(corpus, "b.md", "# Weather\n\nThe office closes when it snows.\n", id="b", title="B")
    recipe = TutorialRecipe(Settings(data_dir=tmp_path / "data", corpus_dir=corpus), embedder)

    assert recipe.build() == 2
    answer = recipe.ask("which tool assesses neglect?")
    unrelated = recipe.ask("write me a poem about the moon")

    assert "graded care profile" in answer.answer and answer.citations[0].document == "a"
    assert unrelated.answered  # the recipe has no notion of "not covered": the point of the comparison
    assert passage_is_relevant("a", answer.answer, EvalQuestion(
        id="x", question="", kind="fact", document="a", section=None, facts=["graded care"],
        answerable=True, split="test",
    ))


def test_eval_command_rejects_an_unknown_row(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))

    result = CliRunner().invoke(app, ["eval", "--rows", "default,magic"])

    assert result.exit_code == 1
    assert "magic" in result.stderr


def test_a_row_with_another_dense_model_searches_an_index_of_its_own(
    tmp_path: Path, write_doc, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "rpd.md", "# Resolving professional differences\n\nPractitioners who disagree about a "
              "child escalate to their line manager within five working days.\n", id="rpd", title="RPD protocol")
    write_doc(corpus, "snow.md", "# Weather\n\nThe office closes when it snows.\n", id="snow", title="Office")
    assistant = Assistant(Settings(data_dir=tmp_path / "data", corpus_dir=corpus), embedder)
    assistant.ensure_index()
    question = EvalQuestion(id="q", question="How soon do I escalate a disagreement about a child?", kind="fact",
                            document="rpd", section="Resolving professional differences",
                            facts=["five working days"], answerable=True, split="test")

    [report] = compare(assistant, [question], ["minilm"])

    assert report.name.startswith("default with all-MiniLM-L6-v2 dense vectors")
    assert report.results[0].rank == 1 and report.results[0].facts_ok
    own_dir = tmp_path / "data" / "eval-minilm"
    assert (own_dir / "manifest.sqlite3").exists()
    assert index_state(Settings(data_dir=own_dir, dense_model="all-MiniLM-L6-v2")) == "ready"
    assert index_state(assistant.settings) == "ready"  # the default index is untouched
    with pytest.raises(ValueError, match="index of its own"):
        assistant.variant(dense_model="all-MiniLM-L6-v2")


def test_the_report_says_what_each_miss_got_wrong() -> None:
    def result(q: EvalQuestion, text: str, answered: bool = True, facts_ok: bool = False,
               citation_ok: bool = False) -> QuestionResult:
        answer = Answer(answer_id="a", question=q.question, answer=text, answered=answered, citations=[])
        return QuestionResult(q, answer, None, facts_ok, citation_ok, 0.0, 0.01)

    def question(qid: str, answerable: bool = True) -> EvalQuestion:
        return EvalQuestion(id=qid, question=f"{qid}?", kind="fact", document="wt", section="Notify",
                            facts=["five working days", "the panel"] if answerable else [],
                            answerable=answerable, split="test")

    report = EvalReport(results=[
        result(question("fact-missing"), "Notify the panel within 15 working days."),
        result(question("uncited"), "Within five working days, tell the panel.", facts_ok=True),
        result(question("refused"), "", answered=False),
        result(question("out-of-scope", answerable=False), "Something quoted."),
        result(question("right"), "Within five working days, tell the panel.", facts_ok=True, citation_ok=True),
    ])
    lines = failures(report).splitlines()
    assert [line.split("`")[1] for line in lines] == ["fact-missing", "uncited", "refused", "out-of-scope"]
    assert "missing “five working days”" in lines[0] and "the panel”" not in lines[0]
    assert "no citation of the gold section" in lines[1]
    assert "(fact, refused)" in lines[2] and "(fact, answered, should refuse)" in lines[3]


def test_the_wilson_interval_matches_known_values_and_stays_within_zero_and_one() -> None:
    # reference values: scipy.stats.binomtest(k, n).proportion_ci(method="wilson")
    low, high = wilson_interval(44, 58)  # key facts 0.76 on the test split
    assert abs(low - 0.6347) < 1e-3 and abs(high - 0.8504) < 1e-3
    low, high = wilson_interval(58, 58)
    assert abs(low - 0.9379) < 1e-3 and abs(high - 1.0) < 1e-9
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_the_report_says_how_far_one_question_moves_the_figures() -> None:
    q = EvalQuestion(id="q", question="q?", kind="fact", document="wt", section="S", facts=["fact"],
                     answerable=True, split="test")
    answer = Answer(answer_id="a", question="q?", answer="the fact", answered=True, citations=[])
    report = EvalReport(name="default", results=[QuestionResult(q, answer, 1, True, True, 1.0, 0.01)] * 3
                        + [QuestionResult(q, answer, None, False, False, 0.0, 0.01)])
    text = how_sure(report)
    assert "4 graded questions" in text and "by 0.250" in text
    assert "key facts 3 of 4 = 0.750 [" in text and "recall@5 3 of 4 = 0.750 [" in text


def test_the_report_counts_key_facts_as_the_table_rounds_them() -> None:
    # 52 of 58 is 0.897: the table's 0.90 would read as a 0.90 target met
    q = EvalQuestion(id="q", question="q?", kind="fact", document="wt", section="S", facts=["fact"],
                     answerable=True, split="test")
    answer = Answer(answer_id="a", question="q?", answer="the fact", answered=True, citations=[])
    report = EvalReport(name="default", results=[QuestionResult(q, answer, 1, True, True, 1.0, 0.01)] * 52
                        + [QuestionResult(q, answer, 1, False, False, 0.0, 0.01)] * 6)
    assert "key facts 52 of 58 = 0.897 [" in how_sure(report)


def test_a_figure_with_no_question_to_measure_it_on_is_shown_as_a_dash(tmp_path: Path) -> None:
    q = EvalQuestion(id="q", question="q?", kind="fact", document="wt", section="S", facts=["fact"],
                     answerable=True, split="dev")
    answer = Answer(answer_id="a", question="q?", answer="the fact", answered=True, citations=[])
    report = EvalReport(name="default", results=[QuestionResult(q, answer, 1, True, True, 1.0, 0.01)])

    path = write_report([report], tmp_path, "dev")

    row = next(line for line in path.read_text().splitlines() if line.startswith("| default |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    header = next(line for line in path.read_text().splitlines() if line.startswith("| system |"))
    labels = [cell.strip() for cell in header.strip("|").split("|")][1:]
    shown = dict(zip(labels, cells, strict=True))
    assert shown["urgent notice"] == "–" and shown["refusal P"] == "–" and shown["refusal R"] == "–"
    assert shown["key facts"] == "1.00" and shown["R@1"] == "1.00"
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
