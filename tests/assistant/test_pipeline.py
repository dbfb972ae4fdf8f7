"""Answers over the bundled corpus: right facts and citations, refusals, urgent notices, filters."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from assistant.embeddings import Embedder
from assistant.evaluation import EvalReport, QuestionResult, evaluate, load_questions
from assistant.pipeline import MAX_QUESTION_CHARS, Assistant, QuestionError
from assistant.retrieval import Filters
from assistant.schema import Answer
from assistant.settings import PROJECT_ROOT, Settings

QUESTIONS_PATH = PROJECT_ROOT / "evals" / "questions.jsonl"
MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def national_line(bundled_assistant: Assistant) -> str:
    return bundled_assistant.prompts.national_guidance.format(area=bundled_assistant.settings.home_area)


@pytest.fixture(scope="module")
def eval_report(bundled_assistant: Assistant) -> EvalReport:
    """Every eval question asked once (about a second each); the tests below read the results."""
    return evaluate(bundled_assistant, load_questions(QUESTIONS_PATH))


def _describe(r: QuestionResult) -> str:
    cited = "; ".join(f"{c.document} / {c.section}" for c in r.answer.citations) or "no citations"
    q = r.question
    return f"{q.id}: facts_ok={r.facts_ok} citation_ok={r.citation_ok} answered={r.answer.answered} ({cited})"


def test_answerable_questions_get_their_facts_with_the_right_citation(eval_report: EvalReport) -> None:
    graded = eval_report.graded()
    assert len(graded) >= 100
    good = [r for r in graded if r.facts_ok and r.citation_ok]
    failures = "\n".join(_describe(r) for r in graded if not (r.facts_ok and r.citation_ok))
    assert len(good) >= 15, (
        f"only {len(good)}/{len(graded)} right with the right citation; failures:\n{failures}"
    )


def test_out_of_scope_questions_are_refused_with_the_fixed_text(
    eval_report: EvalReport, not_covered_text: str
) -> None:
    out_of_scope = [r for r in eval_report.results if r.question.kind == "out_of_scope"]
    assert len(out_of_scope) >= 5
    refused = [
        r
        for r in out_of_scope
        if not r.answer.answered
        and not r.answer.citations
        and r.answer.answer == not_covered_text
        and len(r.answer.closest_sources) <= 3
    ]
    answered = "\n".join(
        f"{r.question.question!r}: {r.answer.answer[:200]!r}" for r in out_of_scope if r not in refused
    )
    assert len(refused) >= 5, f"only {len(refused)}/{len(out_of_scope)} refused; answered:\n{answered}"


def test_most_questions_the_guidance_does_not_cover_are_refused(eval_report: EvalReport) -> None:
    # Practitioners' questions near the guidance's subject that it does not answer ("What is the mileage rate for
    # home visits?"): each shares words with some passage. Before the cross-encoder's check 28 of the 40 were
    # answered, 13 since.
    not_covered = [r for r in eval_report.results if r.question.kind == "not_covered"]
    assert len(not_covered) >= 40
    answered = [f"{r.question.question!r}: {r.answer.answer[:100]!r}" for r in not_covered if r.answer.answered]
    assert len(answered) <= 15, f"{len(answered)}/{len(not_covered)} answered:\n" + "\n".join(answered)


def test_a_refusal_offers_numbered_closest_sources(eval_report: EvalReport) -> None:
    refused = [r.answer for r in eval_report.results if not r.answer.answered]
    assert refused
    for answer in refused:
        assert [c.n for c in answer.closest_sources] == list(range(1, len(answer.closest_sources) + 1))
        assert all(c.title and c.section and c.quote for c in answer.closest_sources)


def test_urgent_questions_get_the_emergency_notice(eval_report: EvalReport, emergency_text: str) -> None:
    urgent = [r for r in eval_report.results if r.question.urgent]
    assert len(urgent) >= 5
    missing = [r.question.question for r in urgent if r.answer.notice != emergency_text]
    assert not missing, f"no emergency notice for: {missing}"


def test_other_questions_get_no_notice(eval_report: EvalReport, bundled_assistant: Assistant) -> None:
    assert bundled_assistant.ask("What is the role of the designated safeguarding lead?").notice is None
    flagged = [r.question.question for r in eval_report.results if not r.question.urgent and r.answer.notice]
    assert not flagged, f"emergency notice on non-urgent questions: {flagged}"


def _check_citations(answer: Answer) -> None:
    assert answer.citations, answer.question
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1)), answer.question
    for c in answer.citations:
        assert c.title and c.section and c.url and c.quote and c.document, (answer.question, c)
    markers = {int(m) for m in MARKER.findall(answer.answer)}
    numbers = {c.n for c in answer.citations}
    assert markers == numbers, f"{answer.question}: markers {sorted(markers)} vs citations {sorted(numbers)}"


def test_every_answer_cites_its_sources_properly(eval_report: EvalReport) -> None:
    answered = [r.answer for r in eval_report.results if r.answer.answered]
    assert len(answered) >= 50
    for answer in answered:
        _check_citations(answer)
        for c in answer.citations:
            # Every quoted sentence appears in the answer text.
            for part in c.quote.split(" … "):
                assert part in answer.answer, (answer.question, part)


def test_pdf_citations_link_to_their_page(eval_report: EvalReport) -> None:
    pdf_citations = [
        c
        for r in eval_report.results
        for c in r.answer.citations
        if c.document != "sscp-annual-report-2022-23"
    ]
    assert pdf_citations
    for c in pdf_citations:
        assert c.page is not None and c.page >= 1, c
        if c.url.split("#")[0].endswith(".pdf"):
            assert c.url.endswith(f"#page={c.page}"), c


def test_a_type_filter_only_cites_documents_of_that_type(bundled_assistant: Assistant) -> None:
    reports = Filters(types=["report"])

    figure = bundled_assistant.ask("How many rapid reviews did the partnership complete?", reports)
    assert figure.answered, figure.answer
    _check_citations(figure)
    assert {c.document for c in figure.citations} == {"sscp-annual-report-2022-23"}

    # A question the statutory guidance answers well still only draws on the report.
    other = bundled_assistant.ask("What must a designated safeguarding lead do in a school?", reports)
    assert {c.document for c in other.citations + other.closest_sources} <= {"sscp-annual-report-2022-23"}

    unfiltered = bundled_assistant.ask("What must a designated safeguarding lead do in a school?")
    assert any(c.document != "sscp-annual-report-2022-23" for c in unfiltered.citations)


def test_a_year_filter_excludes_other_years(bundled_assistant: Assistant) -> None:
    answer = bundled_assistant.ask(
        "What is the role of the designated safeguarding lead?", Filters(year_from=2025)
    )
    cited = {c.document for c in answer.citations + answer.closest_sources}
    assert cited and cited <= {"kcsie-2025"}


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * (MAX_QUESTION_CHARS + 1)])
def test_impossible_questions_raise_question_error(bundled_assistant: Assistant, question: str) -> None:
    with pytest.raises(QuestionError):
        bundled_assistant.ask(question)


def test_sources_lists_the_bundled_documents(bundled_assistant: Assistant) -> None:
    listed = {s.info.id: s.chunks for s in bundled_assistant.sources()}
    assert sorted(listed) == [
        "csc-national-framework-2023",
        "info-sharing-advice-2024",
        "kcsie-2025",
        "sscp-annual-report-2022-23",
        "working-together-2023",
    ]
    assert all(n > 10 for n in listed.values())


# --- a running Assistant and a re-ingest (in this process or another) --------------------------------

_WINTER = """# Winter arrangements

## Winter hotline
From December the partnership runs a winter safeguarding hotline, code name {code}, for practitioners who need
advice about a child when the usual teams are closed over the holidays.
"""
_WINTER_QUESTION = "What is the code name of the winter safeguarding hotline?"
_ESCALATION = """# Escalation protocol

## Escalating to managers
If a disagreement about a child is not resolved within five working days, it goes to both line managers.
"""


def _serving(tmp_path, write_doc, embedder, **overrides: object) -> Assistant:  # noqa: ANN001
    corpus = tmp_path / "corpus"
    write_doc(corpus, "escalation.md", _ESCALATION, id="escalation", title="Escalation protocol", type="protocol")
    bot = Assistant(Settings(data_dir=tmp_path / "data", corpus_dir=corpus, **overrides), embedder)
    bot.ensure_index()
    return bot


def test_a_running_assistant_serves_the_new_index_once_an_ingest_finishes(tmp_path, write_doc, embedder) -> None:  # noqa: ANN001
    serving = _serving(tmp_path, write_doc, embedder, reload_check_seconds=0)
    assert "KESTREL" not in serving.ask(_WINTER_QUESTION).answer
    write_doc(serving.settings.corpus_dir, "winter.md", _WINTER.format(code="KESTREL"), id="winter", title="Winter")

    Assistant(serving.settings, embedder).ingest()  # as `assistant ingest` would, beside the running one

    deadline = time.monotonic() + 30
    while "KESTREL" not in (answer := serving.ask(_WINTER_QUESTION)).answer:  # swapped in the background
        assert time.monotonic() < deadline, "the new index was never served"
        time.sleep(0.1)
    assert answer.citations[0].document == "winter"


def test_a_running_assistant_whose_collection_was_dropped_loads_the_newest(tmp_path, write_doc, embedder) -> None:  # noqa: ANN001
    serving = _serving(tmp_path, write_doc, embedder, reload_check_seconds=3600)  # never looks by itself
    other = Assistant(serving.settings, embedder)
    for code in ("KESTREL", "MERLIN"):  # two generations on, the collection it searched is gone
        write_doc(serving.settings.corpus_dir, "winter.md", _WINTER.format(code=code), id="winter", title="Winter")
        other.ingest()

    answer = serving.ask(_WINTER_QUESTION)

    assert "MERLIN" in answer.answer


def test_a_near_miss_about_another_place_or_year_is_refused(bundled_assistant: Assistant) -> None:
    asked = "How many rapid reviews did {} complete in {}?"
    right = bundled_assistant.ask(asked.format("Somerset", "2022-23"))
    assert right.answered and "seven" in right.answer.lower() + " ".join(c.quote.lower() for c in right.citations)
    for place, year in (("Dorset", "2022-23"), ("Dorset", "2022"), ("Somerset", "2024-25")):
        near_miss = bundled_assistant.ask(asked.format(place, year))
        assert not near_miss.answered, (place, year, near_miss.answer)
        assert not near_miss.citations and near_miss.closest_sources  # still shown where to look


def test_a_body_the_passage_calls_by_the_last_word_of_its_name_is_named(bundled_assistant: Assistant) -> None:
    # Working Together's notification section says "the panel": the answer was refused as a near miss.
    answer = bundled_assistant.ask(
        "What is the deadline for submitting a rapid review to the Child Safeguarding Practice Review Panel?")
    assert answer.answered and "within 15 working days of the incident" in answer.answer, answer.answer
    # "the partnership" of Somerset's report is not a partnership no document names
    other = bundled_assistant.ask("How many rapid reviews did the Dorset Safeguarding Children Partnership complete?")
    assert not other.answered, other.answer


def test_a_passage_that_only_names_the_place_asked_about_does_not_answer(bundled_assistant: Assistant) -> None:
    # The one passage naming Dorset (Somerset and Dorset's joint child death panel) comes forward for the name; it
    # says nothing of escalation. The one naming the Cass review says what the review identified.
    dorset = bundled_assistant.ask("What is the Dorset safeguarding partnership's escalation policy?")
    assert not dorset.answered, dorset.answer
    cass = bundled_assistant.ask("What did the Cass review identify?")
    assert cass.answered and "Cass review identified" in cass.answer, cass.answer


def test_what_to_do_in_the_partnerships_own_area_is_answered_from_the_national_guidance(
    bundled_assistant: Assistant, national_line: str
) -> None:
    # Naming Somerset kept only the annual report in scope, whose conference reflections were refused (or, for the
    # worried question, quoted): national guidance applies in Somerset, and the answer says that is what it quotes.
    for question in ("How do I make a referral to children's social care in Somerset?",
                     "What should I do if I'm worried about a child in Somerset?",
                     "How do I escalate a concern in Somerset?"):
        answer = bundled_assistant.ask(question)
        assert answer.answered and answer.answer.startswith(national_line), answer.answer
        assert {c.document for c in answer.citations} <= {"working-together-2023", "kcsie-2025"}, answer.citations
    # Somerset's own escalation protocol answers as well as the national guidance does, and is kept (no line).
    local = bundled_assistant.ask("How do I escalate a disagreement with another agency about a child in Somerset?")
    assert local.answered and "Resolving Professional Differences" in local.answer, local.answer
    assert not local.answer.startswith(national_line)
    # Another area, or a fact about Somerset, still needs a passage naming it.
    assert not bundled_assistant.ask("How do I make a referral to children's social care in Dorset?").answered
    assert not bundled_assistant.ask("How many children are on child protection plans in Somerset?").answered
    # Without a home area, the Somerset question is refused as before.
    assert not bundled_assistant.variant(home_area="").ask(
        "How do I make a referral to children's social care in Somerset?").answered


@pytest.mark.parametrize("question", ["What is the mileage rate for home visits?",
                                      "How do I apply for free school meals?"])
def test_a_weak_answer_about_something_else_is_refused(bundled_assistant: Assistant, question: str) -> None:
    # Passages sharing the question's words (visits to children in residential care; homestay expenses) pass the
    # evidence threshold; the cross-encoder reads the answer as about something else.
    unchecked = bundled_assistant.variant(answer_check_evidence=0.0).ask(question)
    assert unchecked.answered, "the check is no longer what refuses it"
    answer = bundled_assistant.ask(question)
    assert not answer.answered and not answer.citations and answer.closest_sources, answer.answer


def test_a_child_asking_for_a_secret_to_be_kept_is_answered_with_never_promising_confidentiality(
    bundled_assistant: Assistant,
) -> None:
    # The guidance never says "secret": it quoted what to keep in mind when a child discloses.
    answer = bundled_assistant.ask("Can I keep a secret if a child asks me to?")
    assert answer.answered and "never promise" in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["What is the uniform policy for nursery staff?",
                                      "How long does a passport application take for a child?"])
def test_a_weak_answer_without_the_rare_word_the_question_turns_on_is_refused(
    bundled_assistant: Assistant, question: str
) -> None:
    # The cross-encoder reads these answers (a staff behaviour policy; review conference timescales) as not clearly
    # relevant, and the guidance hardly uses "uniform" (one passage) or "passport" (none).
    without = bundled_assistant.variant(answer_check_rare_threshold=-100.0).ask(question)
    assert without.answered, "the rare word is no longer what refuses it"
    answer = bundled_assistant.ask(question)
    assert not answer.answered and answer.closest_sources, answer.answer


def test_an_answer_the_cross_encoder_reads_as_clearly_relevant_keeps_its_rare_words(
    bundled_assistant: Assistant,
) -> None:
    # The guidance hardly uses "okay" or "email"; it says how to share information securely, which answers it.
    question = "Is it okay to share information by email?"
    answer = bundled_assistant.ask(question)
    assert answer.answered and "securely" in answer.answer, answer.answer
    assert not bundled_assistant.variant(answer_check_rare_threshold=100.0).ask(question).answered


def test_strong_and_urgent_answers_are_not_checked(bundled_assistant: Assistant) -> None:
    # No answer could pass this check; these are not read by it.
    never = bundled_assistant.variant(answer_check_threshold=100.0)
    strong = never.ask("how many RPDs were submitted in 2020-21")  # evidence above answer_check_evidence
    assert strong.answered and "13" in strong.answer, strong.answer
    urgent = never.ask("A child has just told me her stepdad hit her and she's scared to go home tonight")
    assert urgent.notice and urgent.answered, urgent.answer
    assert not never.ask("What should I wear to a child protection conference?").answered  # a weak one is


def test_a_what_is_question_is_answered_from_the_section_named_for_it(bundled_assistant: Assistant) -> None:
    # No sentence says "A rapid review is …", and the annual report names rapid reviews most often ("One of the
    # Rapid Reviews related to the death of a child."); Working Together's section "The rapid review" says what it is.
    question = "What is a rapid review?"
    without = bundled_assistant.variant(definition_boost=0.0).ask(question)
    assert without.citations and without.citations[0].document == "sscp-annual-report-2022-23", (
        "the boost is no longer what finds it")
    answer = bundled_assistant.ask(question)
    assert answer.answered and answer.citations, answer.answer
    first = answer.citations[0]
    assert first.document == "working-together-2023" and first.section.endswith("> The rapid review"), first
    assert answer.answer.startswith("The safeguarding partners should promptly undertake a rapid review"), answer.answer


def test_a_question_about_one_year_is_answered_from_the_passage_naming_that_year(
    bundled_assistant: Assistant,
) -> None:
    # The best-ranked passages are prose about rapid reviews; only the table has 2021-22 in it.
    answer = bundled_assistant.ask("how many rapid reviews did sscp do in 2021-22")
    assert answer.answered, answer.answer
    assert "2021 - 2022 | 6" in answer.answer


def test_an_acronym_typed_in_lower_case_finds_the_passage_that_spells_it_out(bundled_assistant: Assistant) -> None:
    # KCSIE's training passage says "designated safeguarding lead", never "dsl".
    answer = bundled_assistant.ask("dsl trainng how often does it need refreshing")
    assert answer.answered and "every two years" in answer.answer, answer.answer


def test_the_briefs_neglect_toolkit_question_names_the_toolkit_first(bundled_assistant: Assistant) -> None:
    # A definition of neglect (KCSIE) was quoted first; the toolkit came third.
    answer = bundled_assistant.ask("what toolkit should I use for neglect?")
    first = answer.answer.split(" [1]")[0]
    assert "Family Strengths and Needs toolkit" in first, answer.answer
    assert answer.citations[0].document == "sscp-annual-report-2022-23"


def test_a_refused_account_of_signs_of_neglect_offers_the_passages_on_neglect(bundled_assistant: Assistant) -> None:
    # The closest sources were KCSIE's passages on sexual harassment and child-on-child abuse.
    answer = bundled_assistant.ask("my student keeps coming to school hungry and in dirty clothes, what should i do")
    sections = [c.section for c in (answer.citations or answer.closest_sources)]
    assert any(s.endswith("Forms of abuse and neglect") for s in sections), sections  # "… left hungry or dirty …"
    assert not any("harassment" in s or "Child-on-child" in s for s in sections), sections


def test_a_question_with_typos_finds_the_same_passage(bundled_assistant: Assistant) -> None:
    typed = bundled_assistant.ask("natinal framwork how many enablrs r there")
    spelt = bundled_assistant.ask("national framework how many enablers are there")
    assert typed.answered and spelt.answered
    assert typed.question == "natinal framwork how many enablrs r there"  # the question is kept as typed
    assert {(c.document, c.section) for c in typed.citations} & {(c.document, c.section) for c in spelt.citations}


def test_an_urgent_question_needs_stronger_evidence_than_others(
    bundled_assistant: Assistant, emergency_text: str
) -> None:
    urgent = "A 14 year old pupil has just told me she was cut (FGM) over the holidays, what do I have to do right now?"
    calm = "What must a teacher do if they discover that FGM appears to have been carried out on a girl?"
    lenient = bundled_assistant.variant(urgent_refusal_threshold=0.0)
    # no evidence is that strong; and no general guidance in place of the refusal
    strict = bundled_assistant.variant(urgent_refusal_threshold=1.0, urgent_guidance_query="")
    assert lenient.ask(urgent).answered
    refused = strict.ask(urgent)
    assert not refused.answered and refused.notice == emergency_text and refused.closest_sources
    assert strict.ask(calm).answered  # the urgent bar does not apply to a question without danger now


def test_googling_candidates_is_answered_from_the_guidance_on_online_searches(bundled_assistant: Assistant) -> None:
    # The guidance never says "google": the question was refused (the rare word unused by the answer).
    answer = bundled_assistant.ask("Are we allowed to google shortlisted job candidates before interviewing them?")
    assert answer.answered and "online search" in answer.answer, answer.answer
    assert answer.citations[0].section.endswith("> Shortlisting"), answer.citations


def test_what_counts_as_a_term_is_answered_with_its_definition(bundled_assistant: Assistant) -> None:
    # Asked as "what counts as", it was answered with what to do about such concerns, not what they are.
    answer = bundled_assistant.ask("What counts as a 'low-level concern' about a member of staff?")
    assert answer.answered and answer.answer.startswith("A low-level concern is any concern"), answer.answer


def test_a_disclosure_naming_the_child_s_school_year_is_answered_from_the_passage_on_it(
    bundled_assistant: Assistant, emergency_text: str
) -> None:
    # "Year 9" was read as a name the cited passages must mention: the teacher's duty to report FGM was refused.
    answer = bundled_assistant.ask(
        "A Year 9 girl has told me she had FGM done to her over the summer. As her teacher, what do I have to do?")
    assert answer.notice == emergency_text and answer.answered, answer.answer
    assert "the teacher must report this to the police" in answer.answer


DISCLOSURE = ("A boy in year 4 has just told me his mum's boyfriend kicked him last night and he doesn't want to go "
              "home, what should I do?")


def test_an_urgent_disclosure_not_covered_as_such_gets_the_guidance_on_acting_at_once(
    bundled_assistant: Assistant, emergency_text: str, not_covered_text: str
) -> None:
    # No passage speaks of a boyfriend kicking a child; refused, the practitioner would be told nothing more
    # than the emergency notice. The guidance's general advice on a concern about harm applies, and is cited.
    lead = (PROJECT_ROOT / "prompts" / "urgent_guidance.md").read_text(encoding="utf-8").strip()
    answer = bundled_assistant.ask(DISCLOSURE)
    assert answer.notice == emergency_text and answer.answered, answer.answer
    assert answer.answer.startswith(lead) and "immediately" in answer.answer.split(lead, 1)[1]
    assert answer.citations and "[1]" in answer.answer and answer.citations[0].document == "kcsie-2025"
    # quoted from one passage, as written: not spliced with a fragment of another document's list
    assert len(answer.citations) == 1 and "[2]" not in answer.answer
    done = [e for e in bundled_assistant.ask_stream(DISCLOSURE) if e["event"] == "done"][0]["answer"]
    assert done["answer"] == answer.answer  # the stream gives the same answer

    off = bundled_assistant.variant(urgent_guidance_query="").ask(DISCLOSURE)
    assert not off.answered and off.answer == not_covered_text
    # Searching only the partnership's annual report, no passage says what to do: a refusal, not a stray quote.
    reports = bundled_assistant.ask(DISCLOSURE, Filters(types=["report"]))
    assert reports.notice == emergency_text and not reports.answered and reports.answer == not_covered_text


def test_an_urgent_account_is_searched_for_with_the_guidance_on_acting_at_once(bundled_assistant: Assistant) -> None:
    # Told as a story, the disclosure's own words find KCSIE's case studies of other children, not what to do.
    def acting_at_once(assistant: Assistant) -> list[str]:
        return [h.chunk.id for h in assistant.search(DISCLOSURE, k=10) if "made immediately" in h.chunk.text]

    assert acting_at_once(bundled_assistant)
    assert not acting_at_once(bundled_assistant.variant(urgent_guidance_query=""))


def test_a_question_asking_for_a_kind_of_thing_about_a_disclosure_is_searched_for_in_its_own_words(
    bundled_assistant: Assistant, emergency_text: str
) -> None:
    # A disclosure makes it urgent (the notice comes first), but it asks for records, not for what to do at once:
    # searched for with the guidance on acting at once, KCSIE's record keeping passage was crowded out.
    answer = bundled_assistant.ask("What records should I keep when a child discloses abuse?")
    assert answer.notice == emergency_text and answer.answered, answer.answer
    assert any(c.section.endswith("Record keeping") for c in answer.citations), answer.citations
    # Danger now is still searched for with the guidance on acting at once, whatever it asks for: no helpline for
    # concerns about a school's own practice is given as the number to ring.
    danger = bundled_assistant.ask("What number do I ring if a child is in danger right now?")
    assert danger.notice == emergency_text and not danger.answered, danger.answer


def test_a_disclosure_answered_by_no_instruction_gets_the_guidance_on_acting_at_once(
    bundled_assistant: Assistant, emergency_text: str
) -> None:
    # No "just" or "now", so it was not urgent; and KCSIE's definitions of physical and emotional abuse, which say
    # nothing of what to do, were quoted as the answer.
    lead = (PROJECT_ROOT / "prompts" / "urgent_guidance.md").read_text(encoding="utf-8").strip()
    answer = bundled_assistant.ask("a child in my class has a burn mark and says mum did it with an iron, what now")
    assert answer.notice == emergency_text and answer.answered, answer.answer
    assert answer.answer.startswith(lead) and "immediately" in answer.answer, answer.answer


def test_asking_what_to_do_about_a_disclosure_the_guidance_does_not_describe_gets_the_guidance_on_acting_at_once(
    bundled_assistant: Assistant, not_covered_text: str
) -> None:
    # Not urgent, so it was refused: "speak to your designated safeguarding lead", and nothing the guidance says.
    lead = (PROJECT_ROOT / "prompts" / "urgent_guidance.md").read_text(encoding="utf-8").strip()
    answer = bundled_assistant.ask("a 13 year old has told me she is pregnant, what should I do?")
    assert answer.notice is None and answer.answered, answer.answer
    assert answer.answer.startswith(lead) and "immediately" in answer.answer, answer.answer
    # No child, no harm: still refused.
    printer = bundled_assistant.ask("my printer says paper jam but there is no paper, how do i fix it")
    assert not printer.answered and printer.answer == not_covered_text


def test_the_guidance_on_acting_at_once_comes_from_the_document_the_question_leans_to(
    tmp_path: Path, write_doc, embedder: Embedder
) -> None:
    # Two documents say to act at once on a concern; a teacher telling of a pupil is given the schools' advice, a
    # social worker on a home visit the social workers', whichever of the two matches the fixed search best.
    corpus = tmp_path / "corpus"
    write_doc(corpus, "schools.md", "# Keeping pupils safe\n\n## Acting on a concern\n\nIf staff have any concerns "
              "about a pupil's welfare, they should act on them immediately and speak to the designated safeguarding "
              "lead.\n\n## Lessons\n\nTeachers plan lessons for each year group. Pupils in year 4 learn in "
              "classrooms and play in the playground at break.\n", id="schools", title="Schools")
    write_doc(corpus, "social-work.md", "# Social work practice\n\n## Acting on a concern\n\nAnyone who has "
              "concerns about a child's welfare should make a referral to children's social care immediately.\n\n"
              "## Home visits\n\nSocial workers visit families at home. On a home visit the social worker sees the "
              "child, the parents and the home.\n", id="social-work", title="Social work")
    bot = Assistant(Settings(data_dir=tmp_path / "data", corpus_dir=corpus), embedder)
    bot.ensure_index()
    only_guidance = bot.variant(urgent_refusal_threshold=1.0)  # nothing answers the account itself
    pupil = only_guidance.ask("A pupil in year 4 just told me in the playground that his dad kicked him, he is "
                              "scared to go home")
    visit = only_guidance.ask("On a home visit a mum just told me her partner kicked the baby, she is scared "
                              "to go home")
    assert pupil.answered and [c.document for c in pupil.citations] == ["schools"], pupil.answer
    assert visit.answered and [c.document for c in visit.citations] == ["social-work"], visit.answer


def test_a_medical_emergency_keeps_its_refusal_after_the_notice(
    bundled_assistant: Assistant, emergency_text: str, not_covered_text: str
) -> None:
    # The emergency notice (call 999) is the advice; safeguarding referral guidance is not first aid.
    for question in ("a child has collapsed in the playground and is unconscious, what do i do right now",
                     "the school is on fire and children are still inside right now"):
        answer = bundled_assistant.ask(question)
        assert answer.notice == emergency_text and not answer.answered and answer.answer == not_covered_text, question


def test_a_question_comparing_two_things_is_answered_for_each(
    bundled_assistant: Assistant, not_covered_text: str
) -> None:
    # Asked at once, KCSIE's list of children who may benefit from early help was the whole answer: nothing on what
    # a child in need is.
    question = "whats the diffrence between early help and child in need"
    answer = bundled_assistant.ask(question)
    assert answer.answered, answer.answer
    early, need = answer.answer.split("\n\n")
    assert early.startswith("Early help: ") and need.startswith("Child in need: ")
    assert "Children Act 1989" in need  # the legal definition of a child in need
    numbers = {int(n) for n in MARKER.findall(answer.answer)}
    assert numbers == {c.n for c in answer.citations} == set(range(1, len(answer.citations) + 1))
    done = [e for e in bundled_assistant.ask_stream(question) if e["event"] == "done"][0]["answer"]
    assert done["answer"] == answer.answer  # the stream gives the same answer
    # two things the guidance does not cover: refused, as any question about them is
    off = bundled_assistant.ask("what's the difference between the football world cup and the euros?")
    assert not off.answered and off.answer == not_covered_text


def test_a_question_comparing_two_numbers_counts_each_for_the_year_asked(bundled_assistant: Assistant) -> None:
    # Asked at once, the RPD table was the whole answer: the rapid reviews' count was lost.
    answer = bundled_assistant.ask("Compare the number of rapid reviews and RPDs in 2022-23")
    assert answer.answered, answer.answer
    reviews, rpds = answer.answer.split("\n\n")
    assert reviews.startswith("Rapid reviews: ") and rpds.startswith("RPDs: ")
    assert "2022 - 2023 | 7" in reviews and "Number of Rapid Reviews" in reviews
    assert "2022 - 2023 | 7" in rpds and "Number of RPD" in rpds


def test_a_question_asking_for_two_counts_at_once_counts_each(bundled_assistant: Assistant) -> None:
    # Asked at once, only the RPD table came back.
    answer = bundled_assistant.ask("How many rapid reviews and RPDs were there in 2022-23?")
    assert answer.answered, answer.answer
    reviews, rpds = answer.answer.split("\n\n")
    assert reviews.startswith("Rapid reviews: ") and "Number of Rapid Reviews" in reviews
    assert rpds.startswith("RPDs: ") and "Number of RPD" in rpds


def test_an_acronym_is_searched_for_by_the_vector_store_as_the_corpus_spells_it(bundled_assistant: Assistant) -> None:
    # To the dense model "DSL" is three letters: the passage on who is appointed designated safeguarding lead was
    # not among the passages found for the question with the acronym, only with the words.
    hits = bundled_assistant.search("Who should be the DSL in a school?", k=5)
    assert any("appointed to the role of designated safeguarding lead" in h.chunk.text for h in hits)
