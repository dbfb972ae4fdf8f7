"""Near misses: a question's years and names must be mentioned by the passages its answer cites."""

from __future__ import annotations

import pytest

from assistant.retrieval import Hit
from assistant.schema import Chunk, DocumentInfo
from assistant.scope import (
    Named,
    acts_sections,
    answers_beyond_names,
    calls_by_last_word,
    came_forward_by_name,
    cited_context,
    in_scope,
    mentions,
    question_terms,
    without_area,
    years,
)

SOMERSET = (
    "Somerset Safeguarding Children Partnership annual report 2022-23\nRapid reviews\n"
    "Year | Number of Rapid Reviews\n2021 - 2022 | 6\n2022 - 2023 | 7\n"
    "Concerns go to the Local Authority Designated Officer within one working day."
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("in 2022-23", ["2022", "2023"]),
        ("2020 - 2021 and 2019/20", ["2020", "2021", "2019", "2020"]),
        ("from 2024", ["2024"]),
        ("pages 2020-1999", ["2020"]),  # not a range: only the first year counts
    ],
)
def test_years_and_ranges(text: str, found: list[str]) -> None:
    assert years(text) == found


def test_question_terms_are_years_names_and_acronyms() -> None:
    terms = question_terms("How many RPDs did Dorset's partnership see in 2024-25, and what did Ofsted say?")
    assert terms == ["2024", "2025", "RPD", "Dorset", "Ofsted"]
    assert question_terms("What is the role of the designated safeguarding lead?") == []
    assert question_terms("Which staff must read Part one?") == ["Part one"]


def test_a_part_of_the_guidance_is_a_term_in_figures_or_words() -> None:
    assert question_terms("Who is the corporate parent under outcome 4?") == ["outcome 4"]
    assert question_terms("What does Annex B of KCSIE say about Channel?") == ["Annex B", "KCSIE", "Channel"]
    assert question_terms("Which part of the council attended least?") == []
    assert question_terms("What is part a of the form for?") == []  # a lower-case letter is a word, not a part
    assert mentions("Outcome 4: children in care and care leavers have stable, loving homes", "outcome four")
    assert mentions("Part one: Safeguarding information for all staff", "Part 1")
    assert not mentions("Chapter 10: the new framework", "chapter 1")
    assert not mentions("Outcome 3: children are safe", "outcome 4")


def test_a_section_of_an_act_is_a_term() -> None:
    assert question_terms("What does the Children Act 1989 section 47 require?") == [
        "1989", "section 47", "Children Act"]
    assert acts_sections("Does sharing depend on a section 17 or Section 47 threshold?") == ["section 17",
                                                                                           "Section 47"]
    assert acts_sections("Who leads in part 2 and which section covers consent?") == []
    assert mentions("enquiries under section 47 of the Children Act 1989", "section 47")
    assert not mentions("the section 17ZA duty; section 471", "section 47")


def test_adjacent_capitalised_words_are_one_name() -> None:
    assert question_terms("What does the Wales Safeguarding Procedures say?") == ["Wales Safeguarding Procedures"]
    assert question_terms("Did Somerset's Lead Members agree?") == ["Somerset", "Lead Members"]  # possessive
    assert question_terms("How many bases are there under UK GDPR Article 6?") == ["UK", "GDPR", "Article"]
    # Each word of the name somewhere is not the name; the name across a line break is.
    assert not mentions("Prevent duty guidance for England and Wales. Safeguarding procedures apply.",
                        "Wales Safeguarding Procedures")
    assert mentions("the Wales Safeguarding\nProcedures say", "Wales Safeguarding Procedures")


def test_a_school_year_group_and_a_later_sentence_s_first_word_are_not_names() -> None:
    # "Year 9" says how old the child is, and "As" opens a sentence: neither is a body the passages must name.
    question = "A Year 9 girl has told me she had FGM done to her over the summer. As her teacher, what do I do?"
    assert question_terms(question) == ["FGM"]
    assert question_terms("Is Key Stage 2 taught in Somerset?") == ["Somerset"]
    assert question_terms("I work in Year 10. SSCP training, is it free?") == ["SSCP"]  # an acronym still names
    assert question_terms("Which Year did the Dorset review start?") == ["Year", "Dorset"]  # no group without a number


def test_an_acronym_the_question_spells_out_is_not_a_term() -> None:
    assert question_terms("When must the designated officer (LADO) be told?") == []
    assert question_terms("When must the LADO be told?") == ["LADO"]


def test_acronyms_match_the_initials_of_their_words() -> None:
    assert mentions(SOMERSET, "LADO")
    assert mentions(SOMERSET, "somerset")
    assert not mentions(SOMERSET, "NSPCC")


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("How many rapid reviews did Somerset complete in 2022-23?", []),
        ("How many rapid reviews were there in 2021-2022?", []),
        ("How quickly must the LADO be told?", []),
        ("How many rapid reviews did Dorset do in 2022-23?", ["Dorset"]),
        ("How many rapid reviews did Somerset complete in 2024-25?", ["2024", "2025"]),
        ("What does the Wales Safeguarding Procedures say?", ["Wales Safeguarding Procedures"]),
    ],
)
def test_the_terms_a_text_never_mentions(question: str, missing: list[str]) -> None:
    assert [t for t in question_terms(question) if not Named(SOMERSET).mentions(t)] == missing


def _hit(chunk_id: str, text: str, score: float) -> Hit:
    info = DocumentInfo(id="sscp-report", title="SSCP annual report")
    return Hit(chunk=Chunk(id=chunk_id, doc_id=info.id, text=text, headings=["Rapid reviews"]), info=info, score=score)


PROSE = _hit("prose", "The quality of rapid reviews has improved as the partnership gained experience.", 1.0)
TABLE = _hit("table", "Year | Number of Rapid Reviews\n2021 - 2022 | 6\n2022 - 2023 | 7", 0.85)
DEATHS = _hit("deaths", "Somerset and Dorset panel: 18 child deaths were notified in 2022.", 0.6)


def test_the_passage_naming_the_asked_year_is_answered_from_first() -> None:
    assert in_scope("How many rapid reviews in 2021-22?", [PROSE, TABLE, DEATHS], 0.8) == [TABLE]


def test_a_question_naming_nothing_keeps_every_passage() -> None:
    assert in_scope("How many rapid reviews were there?", [PROSE, TABLE, DEATHS], 0.8) == [PROSE, TABLE, DEATHS]


def test_a_weak_passage_that_happens_to_name_the_place_is_not_preferred() -> None:
    # Only DEATHS names Dorset and 2022, far below the best: all passages stay, and the answer is refused.
    assert in_scope("How many rapid reviews did Dorset do in 2022?", [PROSE, TABLE, DEATHS], 0.8) == [
        PROSE, TABLE, DEATHS]
    assert in_scope("How many rapid reviews did Dorset do in 2022?", [PROSE, TABLE, DEATHS], 0.5) == [DEATHS]


def test_a_passage_forward_only_for_naming_the_name_is_told_apart() -> None:
    # DEATHS scored 0.6 for its words and 0.15 for naming Dorset: below 0.8 of the best (1.0) without it.
    deaths = _hit("deaths", DEATHS.chunk.text, 0.75)
    deaths.named_boost = 0.15
    strong = _hit("strong", "Dorset's rapid reviews are published each year.", 1.15)
    strong.named_boost = 0.15
    assert came_forward_by_name([PROSE, TABLE, deaths], 0.8) == [deaths]
    assert came_forward_by_name([strong, PROSE, deaths], 0.8) == [deaths]
    assert came_forward_by_name([PROSE, TABLE], 0.8) == []


@pytest.mark.parametrize(("question", "quote", "answers"), [
    ("What is the Dorset partnership's escalation policy?", "Somerset and Dorset have a joint death panel.", False),
    ("What did the Cass review identify?", "However, the Cass review identified that caution is necessary.", True),
    ("How many RPDs in 2022-23?", "Year | Number of RPD'S\n2022 - 2023 | 7", True),  # nothing asked but the names
    ("What is Stable Homes, Built on Love?", "the reforms set out in Stable Homes, Built on Love", True),
])
def test_a_quote_answers_beyond_the_names_when_it_shares_another_word(question: str, quote: str, answers: bool) -> None:
    assert answers_beyond_names(question, [quote]) is answers


def test_the_passage_in_the_part_asked_about_is_answered_from_first() -> None:
    glossary = _hit("glossary", "Corporate parent - the local authority that looks after children in care.", 1.0)
    outcome = _hit("outcome", "The local authority, as the corporate parent, makes sure children are cared for.", 0.9)
    outcome.chunk.headings = ["Outcome 4: children in care and care leavers have stable, loving homes"]
    assert in_scope("Who is the corporate parent under outcome 4?", [glossary, outcome], 0.8) == [outcome]


def test_a_question_without_its_area_asks_the_same_anywhere() -> None:
    assert without_area("How do I make a referral in Somerset?", "Somerset") == "How do I make a referral?"
    assert without_area("What does Somerset's front door do?", "Somerset") == "What does front door do?"
    assert without_area("how do i refer to somerset children's social care", "Somerset") == (
        "how do i refer to children's social care")
    assert without_area("How do I refer in Dorset?", "Somerset") == "How do I refer in Dorset?"
    assert without_area("How do I refer in Somerset?", "") == "How do I refer in Somerset?"


def test_a_body_may_be_called_by_the_last_word_of_its_name() -> None:
    text = "Rapid reviews should be submitted to the panel within 15 working days of the incident."
    assert calls_by_last_word(text, "Child Safeguarding Practice Review Panel")
    assert not calls_by_last_word(text, "Panel")  # a one-word name is named or not
    assert not calls_by_last_word(text, "Review Panels")  # the word itself, not its start
    assert not calls_by_last_word("Send it to a panel member.", "Child Safeguarding Practice Review Panel")  # "the"
    assert not calls_by_last_word("the UK GDPR", "UK GDPR")  # acronyms are spelt as they are


def _national(chunk_id: str, text: str, score: float, areas: list[str]) -> Hit:
    info = DocumentInfo(id=f"guidance-{chunk_id}", title="Statutory guidance", areas=areas)
    return Hit(chunk=Chunk(id=chunk_id, doc_id=info.id, text=text, headings=["Responding"]), info=info, score=score)


def test_a_place_every_passage_s_document_applies_to_singles_out_none_of_them() -> None:
    question = "What is the age of criminal responsibility in England?"
    england = _national("status", "Schools in England must have regard to this guidance.", 1.0, ["England"])
    answer = _national("age", "Whilst the age of criminal responsibility is ten, report to the police.", 0.7,
                       ["England"])
    assert in_scope(question, [england, answer], 0.8) == [england, answer]
    assert Named(cited_context(None, [answer])).mentions("England")  # its document applies to England
    # A passage of a document applying elsewhere still has to name the place itself.
    wales = _national("age", answer.chunk.text, 0.7, ["Wales"])
    assert in_scope(question, [england, wales], 0.8) == [england]
    assert not Named(cited_context(None, [wales])).mentions("England")
