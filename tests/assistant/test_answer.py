"""The extractive answerer: which sentences it quotes for a question (real embedding model, made-up passages)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer import (
    Draft,
    ExtractiveAnswerer,
    _listed,
    _names_asked,
    _timed,
    asked_kind,
    asked_members,
    asks_what_to_do,
    candidates_from,
)
from assistant.embeddings import Embedder
from assistant.retrieval import Hit
from assistant.schema import Chunk, DocumentInfo
from assistant.settings import Settings

CONDITIONS = [
    "The individual to whom the information relates has consented.",
    "You are legally required to share the information by a court order.",
    "There is an overriding public interest that justifies sharing the information.",
]
COMMON_LAW = (
    "The common law duty of confidentiality applies when information is shared in confidence.\n"
    "Under the common law, before you share confidential information you must be sure that one of the "
    "following conditions exists:\n" + "\n".join(CONDITIONS)
)
LOW_LEVEL = (  # as KCSIE words it: the definition is long, the sentence before it short and on topic
    "Low-level concerns may arise in several ways and from a number of sources. "
    "A low-level concern is any concern – no matter how small, and even if no more than causing a sense of unease "
    "or a ‘nagging doubt’ - that an adult working in or on behalf of the school or college may have acted in a way "
    "that is inconsistent with the staff code of conduct, including inappropriate conduct outside of work, and "
    "does not meet the harm threshold."
)
YEARLY_REPORT = (
    "Safeguarding partners publish their yearly report on their website every year. "
    "Safeguarding partners publish their yearly report by the end of September."
)


def make_hit(doc_id: str, text: str, similarity: float = 0.6, headings: list[str] | None = None) -> Hit:
    info = DocumentInfo(id=doc_id, title=doc_id.replace("-", " ").title(), url=f"https://example.org/{doc_id}.pdf")
    chunk = Chunk(id=f"{doc_id}:1", doc_id=doc_id, text=text, headings=headings or ["Section"], page_start=4,
                  page_end=4)
    return Hit(chunk=chunk, info=info, score=1.0, similarity=similarity)


@pytest.fixture(scope="module")
def answerer(embedder: Embedder) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(Settings(), embedder)


@pytest.fixture(scope="module")
def one(embedder: Embedder) -> ExtractiveAnswerer:
    """An answerer quoting one sentence, never refusing: what it picks first, and what comes with it."""
    return ExtractiveAnswerer(Settings(refusal_threshold=0.0, max_sentences=1), embedder)


def _best(answerer: ExtractiveAnswerer, embedder: Embedder, question: str, hits: list[Hit]) -> str:
    candidates, scores = answerer.score(question, embedder.encode([question])[0], hits)
    return candidates[int(np.argmax(scores))].quote


def _compose(answerer: ExtractiveAnswerer, embedder: Embedder, question: str, hits: list[Hit]) -> Draft:
    return answerer.compose(question, embedder.encode([question])[0], hits)


def test_a_sentence_introducing_a_list_is_quoted_with_the_whole_list(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "When can I share confidential information under the common law?"
    hits = [make_hit("information-sharing", COMMON_LAW)]
    draft = _compose(answerer, embedder, question, hits)
    assert draft.answered
    assert "following conditions exists:" in draft.text
    for condition in CONDITIONS:
        assert draft.text.count(condition) == 1, draft.text  # each line once, not again as a sentence of its own
        assert condition in draft.citations[0].quote
    assert draft.text.index("following conditions exists:") < draft.text.index(CONDITIONS[0])


def test_a_list_is_not_continued_past_its_lines(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    question = "When can I share confidential information under the common law?"
    text = COMMON_LAW.replace(CONDITIONS[1], CONDITIONS[1] + "\nA further heading follows:")
    draft = _compose(answerer, embedder, question, [make_hit("information-sharing", text)])
    assert CONDITIONS[0] in draft.text and CONDITIONS[1] in draft.text
    assert "A further heading follows:" not in draft.citations[0].quote.split("exists:")[1]


def test_a_list_stops_at_a_footnote(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # Working Together 2023: a list ends a page, whose footnotes the loader sets after it
    question = "When can I share confidential information under the common law?"
    text = COMMON_LAW.replace(CONDITIONS[1], CONDITIONS[1] + "\nFootnote 16: Children Act 2004 Section 11")
    draft = _compose(answerer, embedder, question, [make_hit("information-sharing", text)])
    assert CONDITIONS[0] in draft.text and CONDITIONS[1] in draft.text
    assert "Footnote 16" not in draft.text


def test_a_list_goes_on_past_an_item_carrying_a_link_title_and_stops_at_a_table(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # "| ICO" is a footnote's link title on one item (prose, as table_rows reads it); two lines with cells are a table.
    question = "When can I share confidential information under the common law?"
    titled = CONDITIONS[1] + " Sharing information to safeguard children | ICO"
    table = "Condition | Basis\nConsent | Article 6(1)(a)"
    text = COMMON_LAW.replace(CONDITIONS[1], titled) + "\n" + table
    draft = _compose(answerer, embedder, question, [make_hit("information-sharing", text)])
    listed = draft.citations[0].quote.split("exists:")[1]
    assert titled in listed and CONDITIONS[2] in listed
    assert "Condition | Basis" not in listed


FILTERING = (  # KCSIE 2025 paragraph 142, its items as the loader reads them: each a fragment of the lead-in's sentence
    "Filtering and monitoring systems protect children from harmful content online.\n"
    "The Department for Education's filtering and monitoring standards set out that schools and colleges should:\n"
    "identify and assign roles and responsibilities to manage filtering and monitoring systems.\n"
    "review filtering and monitoring provision at least annually.\n"
    "block harmful and inappropriate content without unreasonably impacting teaching and learning.\n"
    "have effective monitoring strategies in place that meet their safeguarding needs."
)
LEAD_IN = "The Department for Education's filtering and monitoring standards set out that schools and colleges should:"


def test_a_list_item_is_quoted_after_the_sentence_that_introduces_its_list(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # "review filtering and monitoring provision at least annually." alone does not say who must do it
    question = "How often should filtering and monitoring provision be reviewed?"
    draft = _compose(answerer, embedder, question, [make_hit("kcsie", FILTERING)])
    assert draft.answered
    assert f"{LEAD_IN} … review filtering and monitoring provision at least annually." in draft.text, draft.text
    assert draft.text.count(LEAD_IN) == 1  # once, however many of its items are quoted
    assert draft.citations[0].quote.startswith(f"{LEAD_IN} … review filtering")
    # An item that reads as a sentence, or a lead-in that says nothing, is not led in
    sentence = FILTERING.replace("review filtering", "Schools should review filtering")
    plain = _compose(answerer, embedder, question, [make_hit("kcsie", sentence)])
    assert plain.text.startswith("Schools should review filtering"), plain.text
    vague = answerer.compose(question, embedder.encode([question])[0],
                             [make_hit("kcsie", FILTERING.replace(LEAD_IN, "In addition:"))])
    assert "review filtering" in vague.text and "In addition:" not in vague.text


THEMES = ["Engaging fathers and male carers", "Non accidental injuries to babies",
          "Contingency planning and managing effective transitions for families between services",
          "Missed opportunities for information sharing between agencies", "Professional challenge and curiosity"]


def test_a_heading_that_introduces_its_list_is_quoted_with_the_list(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # The annual report sets "… included the following themes:" as a heading over the themes: the answer is the
    # list, which no single line of it gives.
    question = "What learning themes came out of the partnership's reviews?"
    lead = "Identified learning from activity the Partnership have completed included the following themes:"
    hits = [make_hit("annual-report", "\n".join(THEMES), headings=["Rapid reviews", lead])]
    draft = _compose(answerer, embedder, question, hits)
    assert draft.answered and lead in draft.text and all(theme in draft.text for theme in THEMES)
    assert draft.citations[0].quote == "\n".join([lead, *THEMES])
    # A heading that is a title, not a sentence introducing what follows, is never quoted
    titled = answerer.compose(question, embedder.encode([question])[0],
                              [make_hit("annual-report", "\n".join(THEMES), headings=["Rapid reviews", "Themes"])])
    assert "Themes\n" not in titled.text and not titled.text.startswith("Themes")


PARTNERS = (  # the first sentence opens with the words asked about, but names none of the three
    "The three safeguarding partners are responsible and accountable for this in their local areas.\n"
    "Safeguarding partners - A safeguarding partner in relation to a local authority area is defined under the "
    "Children Act 2004 as: (a) the local authority, (b) an integrated care board for the area, and (c) the chief "
    "officer of police for the area."
)


@pytest.mark.parametrize(("question", "text", "definition"), [
    ("What is a low-level concern?", LOW_LEVEL, "A low-level concern is any concern"),
    ("Who are the three safeguarding partners?", PARTNERS, "Safeguarding partners - "),  # all three named
])
def test_a_what_is_question_is_answered_by_the_sentence_that_defines_the_term(
    answerer: ExtractiveAnswerer, embedder: Embedder, question: str, text: str, definition: str
) -> None:
    assert _best(answerer, embedder, question, [make_hit("guidance", text)]).startswith(definition)


def test_a_when_question_prefers_the_sentence_with_a_date(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # A month is a date as much as a number is ("by the end of September").
    best = _best(answerer, embedder, "When do safeguarding partners have to publish their yearly report?",
                 [make_hit("working-together", YEARLY_REPORT)])
    assert "end of September" in best


def test_a_when_question_prefers_the_time_of_what_it_asks_about(one: ExtractiveAnswerer, embedder: Embedder) -> None:
    # As Working Together 2023 holds them: the best chunk times sending a copy before publication; the deadline for
    # publishing is in the next one.
    before = ("Published reports or information must be publicly available for at least one year. "
              "Safeguarding partners must send a copy of the full report to the panel and to the Secretary of State "
              "no later than seven working days before the date of publication.")
    deadline = ("To allow for consistency across local areas, these should be submitted and published by the end of "
                "September every year, starting from 2024.")
    hits = [make_hit("working-together", before, similarity=0.83), make_hit("yearly-report", deadline, similarity=0.8)]
    draft = _compose(one, embedder, "When do safeguarding partners have to publish their yearly report?", hits)
    assert "end of September" in draft.text


def test_what_a_when_question_asks_the_time_of() -> None:
    assert _timed("When do safeguarding partners have to publish their yearly report?") == {
        "safeguard", "partner", "publish", "year", "report"}
    assert _timed("What information should I include when I refer a child?") == set()  # "when" asks no time here
    # a noun made from the asked verb stems shorter ("notifications": notif; "be notified": notifi) and names it;
    # one that stems longer names another thing ("referrals": referr, for "references": refer)
    assert _names_asked("notif", {"notifi"}) and not _names_asked("referr", {"refer"})
    assert not _names_asked("public", {"publish"})  # "publication" is not "publish"


def test_a_how_quickly_question_prefers_the_sentence_with_a_time(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # As Working Together 2023 holds them: the section on strategy discussions says what they are; the one on
    # immediate protection says how soon one takes place.
    about = ("A strategy discussion can take place following a referral or at any other time, including during the "
             "assessment process. The purpose of a strategy discussion is to determine the child’s welfare and plan "
             "rapid future action.")
    when = "Where a single agency has to act immediately, a strategy discussion should take place as soon as possible."
    hits = [make_hit("working-together", about, similarity=0.8), make_hit("working-together-immediate", when)]
    best = _best(answerer, embedder, "How quickly should a strategy discussion happen?", hits)
    assert best.startswith("Where a single agency has to act immediately")


def test_a_sentence_describing_the_document_does_not_answer(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    text = ("This chapter describes the purpose and principles of children’s social care and how the outcomes "
            "should be achieved. Children’s social care works with whole families, and children’s welfare is "
            "paramount in every decision made about them.")
    best = _best(answerer, embedder, "What are the principles of children's social care?",
                 [make_hit("national-framework", text)])
    assert best.startswith("Children’s social care works with whole families")


def test_a_sentence_that_is_itself_a_question_does_not_answer(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # A flow chart's caption asks what the practitioner asked, in the same words; the text under it answers.
    text = ("Flow chart 6: What happens after the initial child protection conference, including the review "
            "conference?\nThe lead practitioner convenes the first child protection review conference within three "
            "months of the initial child protection conference.")
    question = "What happens after the initial child protection conference?"
    assert _best(answerer, embedder, question, [make_hit("working-together", text)]).startswith("The lead practitioner")


# Working Together's flow chart 2 as its PDF text comes out: the boxes run on without a full stop.
FLOW_CHART = (
    "Local authority children’s social care has concerns about the child’s immediate safety (refer to flow chart 3 "
    "on immediate protection) Local authority children’s social care has no concerns about the child’s immediate "
    "safety (refer to flow chart 4 on assessment) It decides that the child will be placed with their parents as "
    "the subject of a care order Local authority children’s social care reviews a looked after child’s case under "
    "the Care Planning, Placement and Case Review (England) Regulations 2010 It decides that the plan of permanence "
    "in the child’s care plan should be for the child to return home It continues to assess the most appropriate "
    "plan for permanence\n"
    "Anyone who has concerns about a child’s immediate safety should make a referral to local authority children’s "
    "social care and should do so immediately."
)


MISSING_EDUCATION = (
    "Information regarding schools' duties regarding children missing education can be found in the department's "
    "statutory guidance: Children Missing Education. All staff should be aware that children missing education can "
    "act as a vital warning sign of abuse and neglect."
)
DSL_FOOTNOTE = (
    "The designated safeguarding lead should record every disclosure and refer it to children's social care.\n"
    "Footnote 31: When a school has a sole proprietor, appropriate steps should be taken to ensure that the designated "
    "safeguarding lead (DSL) is able to discharge that role independently."
)
SEE_PAGE = ("If staff have any concerns about a child’s welfare, they should act on them immediately. See page 24 for "
            "a flow chart setting out the process for staff when they have concerns about a child. If staff have a "
            "concern, they should follow their own organisation’s child protection policy.")
READ_THIS_ANNEX = ("School and college leaders and those staff who work directly with children should read this Annex. "
                   "If staff have any concerns about a child’s welfare, they should act on them immediately.")


@pytest.mark.parametrize(("text", "question", "answer", "not_quoted"), [
    (FLOW_CHART, "social care has concerns about the child's immediate safety, what should I do?",
     "Anyone who has concerns", "flow chart"),  # a flow chart's boxes run together
    (READ_THIS_ANNEX, "what should staff who work directly with children do about a concern?",
     "If staff have any concerns", "read this Annex"),  # who should read the part is a signpost
    (SEE_PAGE, "How do I report a concern about a child's welfare?",
     "If staff have any concerns", "See page 24"),  # a cross-reference to another page is a signpost
    (MISSING_EDUCATION, "What should a school do if a child goes missing from education?",
     "All staff should be aware", "can be found"),  # where information can be found is a signpost
    (DSL_FOOTNOTE, "What must the DSL do when a child discloses?",
     "The designated safeguarding lead should record", "Footnote 31"),  # a footnote's "should" says nothing to do
])
def test_what_is_no_sentence_of_guidance_is_not_quoted(
    chooser: ExtractiveAnswerer, embedder: Embedder, text: str, question: str, answer: str, not_quoted: str
) -> None:
    draft = _compose(chooser, embedder, question, [make_hit("guidance", text)])
    assert draft.answered and draft.text.startswith(answer), draft.text
    assert not_quoted not in draft.text


def test_what_a_school_should_do_asks_what_to_do() -> None:
    assert asks_what_to_do("What should a school do if a child goes missing from education?")
    assert asks_what_to_do("what must the DSL do when a child discloses?")
    assert not asks_what_to_do("What does the DSL do?")  # what the role is, not what to do
    assert not asks_what_to_do("What should the yearly report include?")


def test_a_pointer_to_more_information_is_not_quoted_as_the_sentence_after(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("Contextual safeguarding is an approach to the harm children experience outside their homes. "
            "Additional information is available here: Contextual Safeguarding. Schools should provide as much "
            "information as possible as part of a referral.")
    question = "What is contextual safeguarding?"
    draft = _compose(answerer, embedder, question, [make_hit("kcsie", text)])
    assert draft.text.startswith("Contextual safeguarding is an approach")
    assert "Additional information" not in draft.text


def test_a_colophon_is_never_quoted(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    text = ("Resolving Professional Differences (RPD) is the name for our local escalation protocol.\n"
            "This publication has been produced by the Somerset Safeguarding Children Partnership")
    question = "How do I escalate a disagreement with another agency in Somerset?"
    draft = _compose(answerer, embedder, question, [make_hit("annual-report", text)])
    assert draft.answered and "escalation protocol" in draft.text and "This publication" not in draft.text


def test_a_quotation_answers_what_people_said_and_nothing_else(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("“The facilitators were excellent and showed that we need to escalate disagreements between agencies "
            "as a partnership”\nPractitioners escalate disagreements between agencies through the Resolving "
            "Professional Differences protocol.")
    hits = [make_hit("annual-report", text)]
    assert _best(answerer, embedder, "How do I escalate a disagreement between agencies?", hits).startswith(
        "Practitioners escalate")
    assert _best(answerer, embedder, "What did practitioners say about the facilitators?",
                 hits).startswith("“The facilitators")


def test_a_quotation_is_not_quoted_beside_an_answer(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # The asker's own "if I think …" is no question about what people thought: a practitioner's feedback was quoted
    # with the answer to "What do I do if I think a colleague is harming children?"
    feedback = make_hit("report", '"I think a colleague could be harming children and I use the tool to highlight '
                        'my concerns with the headteacher.', 0.85)
    guidance = make_hit("kcsie", "Staff should not assume a colleague, or another professional will take action and "
                        "share information that might be critical in keeping children safe. If staff have any "
                        "concerns about a child's welfare, they should act on them immediately.", 0.8)
    question = "What do I do if I think a colleague is harming children?"
    draft = _compose(answerer, embedder, question, [feedback, guidance])
    assert draft.answered and "act on them immediately" in draft.text and "the tool" not in draft.text, draft.text


def test_a_further_reading_entry_answers_only_where_to_read_more(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # KCSIE's Annex B lists publications under a heading per topic: "What is private fostering?" quoted the title
    # "Private fostering: local authorities – DfE statutory guidance" as if it defined the term.
    reading = make_hit("kcsie", "Private fostering: local authorities – DfE statutory guidance", 0.7,
                       headings=["Annex B", "Additional advice and support", "Private fostering"])
    guidance = make_hit("kcsie", "Private fostering occurs when a child under the age of 16 is provided with care and "
                        "accommodation by a person who is not a parent or a relative in their own home.", 0.6)
    draft = _compose(answerer, embedder, "What is private fostering?", [reading, guidance])
    assert draft.answered and draft.text.startswith("Private fostering occurs when"), draft.text
    assert "DfE statutory guidance" not in draft.text, draft.text
    assert _best(answerer, embedder, "What resources are there on private fostering?", [reading, guidance]) == (
        reading.chunk.text)


def test_a_link_title_in_a_resources_list_is_not_quoted_beside_an_answer(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # The information sharing advice's Annex B lists link titles: "What is the multi-agency safeguarding hub?" quoted
    # three of them, one after another.
    links = make_hit("info-sharing", "Multi-agency public protection arrangements (MAPPA): Guidance - GOV.UK "
                     "(www.gov.uk)\nChildren missing education - GOV.UK (www.gov.uk)", 0.7,
                     headings=["Annex B: Useful resources"])
    guidance = make_hit("working-together", "Where a child is managed under MAPPA the risk of harm the child presents "
                        "to others must be addressed.", 0.6)
    question = "How is a child managed under multi-agency public protection arrangements?"
    draft = _compose(answerer, embedder, question, [links, guidance])
    assert draft.answered and "Where a child is managed under MAPPA" in draft.text, draft.text
    assert "Children missing education" not in draft.text, draft.text


def test_a_numbered_item_is_defined_by_the_line_that_names_it(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    text = ("The outcomes described in the National Framework are what children’s social care should achieve.\n"
            "Outcome 1: children, young people and families stay together and get the help they need\n"
            "Outcome 2: children and young people are supported by their family network")
    best = _best(answerer, embedder, "What is outcome 2 of the national framework?",
                 [make_hit("national-framework", text)])
    assert best.startswith("Outcome 2:")


CASE_STUDY = (  # a case study's narration shares a worried practitioner's words but says nothing to do
    "A 14-year-old girl told her form tutor that her stepdad had hit her and that she was scared to go home. "
    "She said she did not want anyone to know. The tutor explained that she had to pass this on."
)
GUIDANCE = (
    "Staff should follow the child protection policy and speak to the designated safeguarding lead. "
    "If a child is in immediate danger or is at risk of harm, a referral should be made to children's social care "
    "and/or the police immediately."
)


@pytest.fixture(scope="module")
def chooser(embedder: Embedder) -> ExtractiveAnswerer:
    """An answerer that never refuses for weak evidence: these tests are about which sentences it picks."""
    return ExtractiveAnswerer(Settings(refusal_threshold=0.0), embedder)


def test_what_to_do_is_answered_by_guidance_not_by_a_case_study(
    chooser: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "A girl in my class told me her stepdad hit her and she is scared to go home, what do I do?"
    hits = [make_hit("case-studies", CASE_STUDY, similarity=0.7), make_hit("guidance", GUIDANCE, similarity=0.7)]
    draft = _compose(chooser, embedder, question, hits)
    assert draft.answered
    assert "referral should be made" in draft.text or "designated safeguarding lead" in draft.text
    assert "form tutor" not in draft.text and "She said" not in draft.text
    assert {c.document for c in draft.citations} == {"guidance"}


def test_a_case_study_alone_does_not_answer_what_to_do(chooser: ExtractiveAnswerer, embedder: Embedder) -> None:
    question = "A girl in my class told me her stepdad hit her and she is scared to go home, what do I do?"
    hits = [make_hit("case-studies", CASE_STUDY, similarity=0.7)]
    assert not _compose(chooser, embedder, question, hits).answered


def test_a_case_study_takes_no_place_among_the_sentences_weighed_for_what_to_do(embedder: Embedder) -> None:
    # Only the most promising sentences are embedded: the case study's, ranked first, must not crowd out the guidance.
    narrow = ExtractiveAnswerer(Settings(refusal_threshold=0.0, embedded_candidates=2), embedder)
    question = "A girl in my class told me her stepdad hit her and she is scared to go home, what do I do?"
    hits = [make_hit("case-studies", CASE_STUDY, similarity=0.8), make_hit("guidance", GUIDANCE, similarity=0.5)]
    draft = _compose(narrow, embedder, question, hits)
    assert draft.answered and {c.document for c in draft.citations} == {"guidance"}


def test_how_to_do_something_is_answered_by_what_can_be_used_to_do_it(
    chooser: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "How do I check whether a teacher has a prohibition order?"
    hits = [make_hit("checks", "Schools can use the Check a teacher's record service to make prohibition checks. "
                     "The service is free to use.", similarity=0.7),
            make_hit("recruitment", (
                "All schools must ensure that an applicant to be employed to carry out teaching work is not subject to "
                "a prohibition order issued by the Secretary of State. Teacher prohibition orders are made by the "
                "Secretary of State following consideration by a professional conduct panel."), similarity=0.7)]
    draft = _compose(chooser, embedder, question, hits)
    assert draft.text.startswith("Schools can use the Check a teacher's record service")


@pytest.mark.parametrize(("question", "text", "opening", "best"), [
    # what to do if in doubt comes after the rule it is the fallback of
    ("How do I send safeguarding information securely to another agency?",
     "Only share what is needed. Information must always be shared securely. If you are unsure how to send or share "
     "information securely you should contact your IT team.", "Information must always be shared securely.",
     "If you are unsure"),
    # an example after the rule it is an example of
    ("Is a section 47 process needed before information is shared?",
     "Only share what is needed. Sharing information does not depend on any threshold for intervention. For example, "
     "a formal process under section 47 does not have to be invoked for information to be shared.",
     "Sharing information does not depend", "For example"),
    # a sentence going on from the one before it
    ("Does data protection law stop me sharing information to keep a child safe?",
     "Only share what is needed. Data protection law is not a barrier to sharing information. In fact, data "
     "protection law provides a framework that enables sharing information to keep a child safe.",
     "Data protection law is not a barrier", "In fact"),
    # a sentence pointing back to the thing of the asked kind, which the one before it names
    ("What check should a school get on the adults hosting an exchange visit?",
     "Only share what is needed. To inform that assessment, schools should obtain an enhanced DBS certificate with "
     "barred list information. This check will establish whether the adults hosting the visit are barred from "
     "working with children.", "To inform that assessment", "This check"),
    # or to the thing asked about
    ("What is the Prevent duty?",
     "Only share what is needed. All schools are subject to a duty to have due regard to the need to prevent people "
     "from being drawn into terrorism. This duty is known as the Prevent duty.", "All schools are subject to a duty",
     "This duty"),
])
def test_a_sentence_that_leans_on_the_one_before_is_quoted_after_it(
    one: ExtractiveAnswerer, embedder: Embedder, question: str, text: str, opening: str, best: str
) -> None:
    hits = [make_hit("sharing", text)]
    assert _best(one, embedder, question, hits).startswith(best)
    answer = _compose(one, embedder, question, hits).text
    assert answer.startswith(opening) and best in answer
    assert "Only share" not in answer


def test_a_sentence_pointing_back_to_another_kind_of_thing_is_quoted_alone(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("Only share what is needed. To inform that assessment, schools should obtain an enhanced DBS certificate "
            "with barred list information. This check will establish whether the adults hosting the visit are barred "
            "from working with children.")
    question = "What will the barred list check establish about adults hosting an exchange visit?"  # no kind asked
    assert _best(one, embedder, question, [make_hit("homestay", text)]).startswith("This check")
    assert _compose(one, embedder, question, [make_hit("homestay", text)]).text.startswith("This check")


def test_what_are_the_things_is_answered_by_the_sentence_listing_them(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("The outcomes described in the framework are what children's social care should achieve for families. "
            "They reflect the core purpose of children's social care. There are 3 outcomes:\n"
            "Outcome 1: families stay together\nOutcome 2: children are supported by their family network\n"
            "Outcome 3: children are safe in and outside of their homes")
    question = "What are the outcomes in the framework?"
    assert asked_members(question) == "outcom" and asked_members("What are the three outcomes?") is None
    assert _best(answerer, embedder, question, [make_hit("framework", text)]) == "There are 3 outcomes:"
    assert "Outcome 3: children are safe" in _compose(answerer, embedder, question, [make_hit("framework", text)]).text


def test_what_things_came_out_is_answered_by_the_sentence_listing_them(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("Scrutiny of the impact of actions from previous learning reviews\n"
            "Feedback from the national panel on rapid reviews completed\n\n"
            "Identified learning from the reviews included the following themes:\n"
            "Engaging fathers and male carers\nNon accidental injuries to babies\nProfessional curiosity")
    question = "What themes came out of the learning from the reviews this year?"
    assert asked_members(question) == "theme"
    assert asked_members("What counts as a low-level concern?") is None  # "counts" is the verb
    assert asked_members("What takes priority over a child's privacy?") is None
    assert asked_members("What should practitioners do with the wider family?") is None  # asks what to do
    draft = _compose(answerer, embedder, question, [make_hit("report", text)])
    assert draft.text.startswith("Identified learning from the reviews included the following themes:")
    assert "Engaging fathers and male carers" in draft.text


def test_what_someone_highlighted_is_answered_by_the_sentence_saying_they_highlighted_it(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("The Partnership have run a Task and Finish group to work on reducing risk of future injury in Somerset. "
            "The group also completed some assurance work looking at hospital data. The Task and Finish group "
            "highlighted the importance of robust early help for families with additional needs during pregnancy.")
    question = "What did the non-accidental injury task and finish group highlight?"
    assert _best(answerer, embedder, question, [make_hit("report", text)]).startswith(
        "The Task and Finish group highlighted")


def test_a_question_asking_two_things_gets_the_sentence_answering_the_second_too(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("Urgent or emergency situations can arise that you may not have envisaged, and you may have to deal with "
            "them on the spot. In an emergency where you consider there is a risk of harm to a child, you should go "
            "ahead and share information as is necessary and proportionate. Delays in sharing information may "
            "increase the risk of harm to the child. Sharing information quickly can help keep the child safe. You "
            "must always document the action you took after the event if you cannot do it at the time.")
    hits = [make_hit("advice", text, similarity=0.8)]
    first = "In an emergency where a child is at risk of harm, should I share information straight away?"
    assert "document the action you took" not in _compose(answerer, embedder, first, hits).text
    both = f"{first[:-1]}, and what do I need to do afterwards?"
    assert "document the action you took after the event" in _compose(answerer, embedder, both, hits).text


def test_what_someone_should_do_is_answered_by_what_the_guidance_says_they_do(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("Practitioners bring the family network together to explore safe and loving family-led options for the "
            "child's care before the local authority issues care proceedings. Practitioners conduct assessments of "
            "kinship carers so that they can provide a safe home, and they help them to access the support they need "
            "to provide short term or long-term care. Practitioners may use approaches, such as family group decision "
            "making, in these forums. The local authority should work in partnership with families before proceedings.")
    question = "What should practitioners do with the wider family before the local authority issues care proceedings?"
    draft = _compose(answerer, embedder, question, [make_hit("framework", text, similarity=0.8)])
    assert draft.text.startswith("Practitioners bring the family network together")  # not only what "should" be done


def test_a_list_of_what_people_said_lists_no_things_asked_for(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    feedback = make_hit("report", "Practitioner feedback on the Child Exploitation Screening tool included:\n"
                        "“I think it is an invaluable tool and makes practitioners think”\n"
                        "“This tool is something that I would use without hesitation”")
    toolkit = make_hit("report", "The Partnership converted the Family Strengths and Needs toolkit to an interactive "
                       "tool for neglect. It launched the Child Exploitation Screening tool in February 2022.")
    question = "What tools has the partnership got for neglect and for child exploitation?"
    assert asked_members(question) == "tool"
    assert "Family Strengths and Needs toolkit" in _compose(answerer, embedder, question, [feedback, toolkit]).text


def test_one_numbered_item_asked_for_is_quoted_whole_after_its_heading(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    steps = make_hit("protocol", "1. Talk to the practitioner you disagree with.\n2. Put your concerns in writing.\n"
                     "3. Escalate to your manager if it is not resolved. They will contact the other manager.\n"
                     "4. Refer to the business unit as a last resort.", headings=["The four steps of escalation:"])
    draft = _compose(answerer, embedder, "What is the third step of escalation?", [steps])
    assert draft.text.splitlines()[0].startswith("The four steps of escalation:")
    assert "3. Escalate to your manager if it is not resolved. They will contact the other manager." in draft.text
    assert "2. Put" not in draft.text and "4. Refer" not in draft.text


def test_a_question_naming_a_section_of_an_act_is_answered_by_the_sentence_naming_it(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    glossary = ("Section 20 - Section 20 of the Children Act 1989 sets out when a local authority must provide "
                "accommodation for a child in need within their area.\n"
                "Section 47 - Where a child may be suffering significant harm, local authority social care services "
                "must make enquiries and decide if any action must be taken.")
    hits = [make_hit("framework", glossary)]
    assert _best(answerer, embedder, "What does the Children Act 1989 section 47 require?", hits).startswith(
        "Section 47 -")


def test_an_amount_asked_for_and_not_given_is_refused_but_the_cost_of_living_is_a_subject(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    dbs = make_hit("recruitment", "Schools must obtain an enhanced DBS check for anyone working in regulated activity. "
                   "The enhanced DBS check includes barred list information.", similarity=0.7)
    assert not _compose(answerer, embedder, "What is the fee for an enhanced DBS check?", [dbs]).answered
    assert not _compose(answerer, embedder, "What are the costs of an enhanced DBS check?", [dbs]).answered
    funding = make_hit("arrangements", "The partnership should agree on the level of funding needed to deliver the "
                       "arrangements. The funding should be transparent to children and families.", similarity=0.7)
    assert not _compose(answerer, embedder, "How much funding does the partnership have?", [funding]).answered
    assert _compose(answerer, embedder, "Who agrees the level of funding for the partnership?", [funding]).answered
    referrals = make_hit("report", "Referrals to children's social care rose this year. Of these referrals, 22% were "
                         "re-referrals within 12 months.", similarity=0.7)
    assert _compose(answerer, embedder, "What percentage of referrals were re-referrals?", [referrals]).answered
    referrals.chunk.text = "Referrals to children's social care rose this year. Many referrals were re-referrals."
    assert not _compose(answerer, embedder, "What percentage of referrals were re-referrals?", [referrals]).answered
    living = make_hit("report", "This year, the Partnership recognised the impact which increased costs of living was "
                      "having on our children and families. The Youth Forum completed a project on the cost of living.",
                      similarity=0.7)
    draft = _compose(answerer, embedder, "What did the Partnership recognise about the cost of living?", [living])
    assert draft.answered and "recognised the impact" in draft.text


def test_a_case_study_still_answers_what_happened(chooser: ExtractiveAnswerer, embedder: Embedder) -> None:
    question = "What did the girl tell her form tutor about her stepdad in the case study?"
    hits = [make_hit("case-studies", CASE_STUDY, similarity=0.7)]
    draft = _compose(chooser, embedder, question, hits)
    assert draft.answered and "stepdad had hit her" in draft.text


def test_how_many_prefers_the_sentence_that_counts_what_was_asked(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ("The partnership completed its rapid reviews within 15 working days in 2022-23. "
            "The partnership completed seven rapid reviews in 2022-23.")
    question = "How many rapid reviews did the partnership complete in 2022-23?"
    assert "seven rapid reviews" in _best(answerer, embedder, question, [make_hit("annual-report", text)])


def test_a_table_row_counts_what_its_header_names(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    text = ("RPDs submitted in 2020-21 were resolved within 5 days.\n"
            "Year | Number of RPD'S\n2020 - 2021 | 13\n2022 - 2023 | 7")
    hits = [make_hit("annual-report", text)]
    assert "13" in _best(answerer, embedder, "how many RPDs were submitted in 2020-21", hits)


def test_rows_for_other_years_than_the_one_asked_are_not_quoted(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = "Year | Number of Rapid Reviews\n2020 - 2021 | 2\n2021 - 2022 | 6\n2022 - 2023 | 7"
    hits = [make_hit("annual-report", text, headings=["Rapid reviews"])]
    draft = _compose(answerer, embedder, "How many rapid reviews were there in 2022-23?", hits)
    assert "2022 - 2023 | 7" in draft.text
    assert "2020 - 2021" not in draft.text and "2021 - 2022" not in draft.text
    asked_for_none = _compose(answerer, embedder, "How many rapid reviews were there each year?", hits)
    assert "2020 - 2021 | 2" in asked_for_none.text  # no year asked: any row may answer


LAWFUL_BASIS = (  # as the information sharing advice's PDF gives it: footnotes' link titles end the paragraph
    "If you work in a public sector organisation, it is likely that “public task” or “legal obligation” will be the "
    "most appropriate lawful basis for you to use when sharing information to safeguard a child. "
    "11 A 10 step guide to sharing information to safeguard children | ICO 12 Lawful basis for processing | ICO"
)


def test_a_paragraph_whose_footnote_titles_hold_a_bar_is_prose_not_a_table(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # Read as a table, the paragraph's one line was its header row with no rows, and nothing of it was quoted.
    question = "Which lawful basis should a public sector organisation use when sharing to safeguard a child?"
    draft = _compose(answerer, embedder, question, [make_hit("information-sharing", LAWFUL_BASIS)])
    assert draft.answered and draft.text.startswith("If you work in a public sector organisation"), draft.text
    assert "| ICO" not in draft.text  # the footnotes are not quoted as the sentence after it


def test_lines_with_cells_are_still_a_table_with_its_header(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    text = "Rapid reviews were held in each year.\nYear | Number of Rapid Reviews\n2021 - 2022 | 6\n2022 - 2023 | 7"
    best = _best(answerer, embedder, "How many rapid reviews were there in 2022 - 2023?", [make_hit("report", text)])
    assert best == "Year | Number of Rapid Reviews\n2022 - 2023 | 7"


def test_a_footnote_is_not_the_answer_where_the_passage_gives_one(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # The loader labels a PDF's footnotes; one naming the Act shares the question's words, but points elsewhere.
    text = ("Reviews are about sharing improvements, so the safeguarding partners must publish the review report.\n"
            "Footnote 206: Children Act 2004 Section 16F (1): publishing the safeguarding practice review report")
    question = "What does section 16F of the Children Act 2004 say about publishing a review report?"
    best = _best(answerer, embedder, question, [make_hit("working-together", text)])
    assert best.startswith("Reviews are about sharing improvements"), best


def test_no_sentence_of_a_footnote_is_the_answer_where_the_passage_gives_one(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # KCSIE 2025 page 18: one footnote block holds two notes, the second read as a sentence of the first.
    text = ("When practitioners refer a child to children's social care, they should include any information they "
            "have on the child's developmental needs.\n"
            "Footnote 15: Further information on early help is in Working Together to Safeguard Children. 16 Working "
            "Together sets out that the safeguarding partners should publish a threshold document for when a child "
            "should be referred to children's social care.")
    question = "What should I include when I refer a child to children's social care?"
    best = _best(answerer, embedder, question, [make_hit("kcsie", text)])
    assert best.startswith("When practitioners refer a child"), best


def test_a_signpost_is_not_quoted_beside_the_answer(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # The SSCP annual report: its colophon shared the question's words and was quoted as a third sentence
    question = "How do I escalate a disagreement with another agency about a child in Somerset?"
    text = ("Facilitate the Resolving Professional Differences process to support agencies effectively communicating "
            "and challenging each other.\nDeliver multi-agency training and learning opportunities.\n"
            "This publication has been produced by the Somerset Safeguarding Children Partnership")
    draft = _compose(answerer, embedder, question, [make_hit("report", text)])
    assert draft.answered and draft.text.startswith("Facilitate the Resolving Professional Differences"), draft.text
    assert "This publication has been produced" not in draft.text, draft.text


def test_a_question_asking_which_part_of_the_guidance_gets_its_heading_first(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # The National Framework's Outcome 3 covers harm outside the home; quoting its sentences never said which
    # outcome it is. The heading is given first, cited as the sentences under it are.
    text = ("Harm can come from inside or outside the home, including online. Addressing harms from in and outside "
            "the home are addressed under the same outcome in the National Framework.")
    outcome = "Outcome 3: children and young people are safe in and outside of their homes"
    hits = [make_hit("national-framework", text, headings=["National Framework", outcome])]
    for question, first in (("Which national framework outcome deals with harm outside the family home?", outcome),
                            ("What outcome covers harm outside the home?", outcome),
                            ("What is the outcome for harm outside the home?", None)):  # asks what, not which
        draft = _compose(answerer, embedder, question, hits)
        assert draft.answered and len(draft.citations) == 1
        lines = draft.text.split("\n")
        if first:
            assert lines[0] == f"{first} [1]" and len(lines) > 1, draft.text
        else:
            assert outcome not in draft.text, draft.text
    # a bare "Outcome" heading names nothing
    bare = [make_hit("national-framework", text, headings=["Key concepts", "Outcome"])]
    question = "Which outcome deals with harm outside the home?"
    assert not _compose(answerer, embedder, question, bare).text.startswith("Outcome")


def _section_hits(doc_id: str, texts: list[str], similarity: float = 0.6) -> list[Hit]:
    """One section's chunks, in reading order, each hit knowing the chunks before and after it."""
    hits = [make_hit(doc_id, text, similarity) for text in texts]
    for n, hit in enumerate(hits):
        hit.chunk.id = f"{doc_id}:{n + 1}"
    for hit, after in zip(hits, hits[1:], strict=False):
        hit.next_chunk, after.previous_chunk = after.chunk, hit.chunk
    return hits


def test_a_numbered_set_asked_for_by_its_count_is_given_whole_and_in_order(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    heading = "The four steps of escalation:"
    later = make_hit("protocol", "3. Escalate to your manager if the disagreement is not resolved. Keep a record.\n"
                     "4. Refer to the partnership's business unit as a last resort.", 0.8, [heading])
    first = make_hit("protocol", "1. Talk to the practitioner you disagree with about the child.\n"
                     "2. Put your concerns about the plan for the child in writing.", 0.6, [heading])
    first.chunk.id = "protocol:2"
    draft = _compose(answerer, embedder, "What are the four steps of escalation?", [later, first])
    assert draft.text.split("\n") == [
        f"{heading} [1]",
        "1. Talk to the practitioner you disagree with about the child. [2]",
        "2. Put your concerns about the plan for the child in writing. [2]",
        "3. Escalate to your manager if the disagreement is not resolved. [1]",
        "4. Refer to the partnership's business unit as a last resort. [1]",
    ]
    assert [c.quote for c in draft.citations][1] == ("1. Talk to the practitioner you disagree with about the child. … "
                                                     "2. Put your concerns about the plan for the child in writing.")
    # asked without its count, the set is named by the heading that introduces it
    assert _compose(answerer, embedder, "What are the steps of escalation?", [later, first]).text == draft.text
    # asking something of the set is not asking for it
    assert _compose(answerer, embedder, "steps of escalation - do I put it in writing?", [later, first]).text != (
        draft.text)


LAWFUL_BASES = [  # the information sharing advice, page 9, as chunked: footnotes between the two sentences
    "No single basis is better than the others. If you work in a public sector organisation, it is likely that "
    "“public task” will be the most appropriate lawful basis for you to use when sharing information to safeguard a "
    "child.\n"
    "Footnote 11: A 10 step guide to sharing information to safeguard children | ICO",
    "Footnote 12: Lawful basis for processing | ICO\n"
    "Footnote 13: Lawful basis interactive guidance tool | ICO\n"
    "If you work within the voluntary or private sectors, where your task does not have a clear basis in law, it is "
    "likely that the lawful basis of using “legitimate interests” may be more appropriate.",
]
CHARITY_GUIDANCE = ("Charities should follow the Charity Commission's guidance on compliance when they share "
                    "information about a child.")  # on topic, and closer to the question than the sentence after


def test_footnotes_carrying_link_titles_are_footnotes_not_a_table(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "Where can I find the ICO's guide to lawful basis for processing?"
    candidates, _ = answerer.score(question, embedder.encode([question])[0], _section_hits("advice", LAWFUL_BASES))
    notes = [c for c in candidates if c.quote.startswith("Footnote 1")]
    assert notes and all(c.footnote and c.header is None for c in notes)


def test_the_sentence_after_the_answer_is_read_past_footnotes_into_the_next_chunk(embedder: Embedder) -> None:
    two = ExtractiveAnswerer(Settings(max_sentences=2), embedder)  # the answer and the sentence after it
    distractor = make_hit("working-together", CHARITY_GUIDANCE, similarity=0.7)
    question = "What lawful basis would a council use vs a voluntary sector charity when sharing information?"
    hits = [*_section_hits("advice", LAWFUL_BASES), distractor]
    draft = _compose(two, embedder, question, hits)
    assert "“public task”" in draft.text and "“legitimate interests”" in draft.text, draft.text
    assert "| ICO" not in draft.text


def test_a_chunk_that_ends_without_footnotes_is_not_read_on_into_the_next(embedder: Embedder) -> None:
    # Chunks end between paragraphs; only a page's footnotes set between two sentences of one passage are skipped.
    one = ExtractiveAnswerer(Settings(max_sentences=2), embedder)
    texts = [LAWFUL_BASES[0].split("\n")[0], LAWFUL_BASES[1]]
    distractor = make_hit("working-together", CHARITY_GUIDANCE, similarity=0.7)
    question = "What lawful basis would a council use vs a voluntary sector charity when sharing information?"
    draft = _compose(one, embedder, question, [*_section_hits("advice", texts), distractor])
    assert "“public task”" in draft.text and "“legitimate interests”" not in draft.text, draft.text


def test_what_kind_of_thing_is_answered_by_a_sentence_that_names_one(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # The brief's own example: a definition of neglect shares the question's other word and read closer to it.
    hits = [
        make_hit("annual-report", "Delivered training on the Family Strengths and Needs toolkit and neglect to 97 "
                 "practitioners.", 0.7),
        make_hit("kcsie", "Neglect may involve a parent or carer failing to provide adequate food, clothing and "
                 "shelter, or ensure adequate supervision (including the use of inadequate caregivers).", 0.68),
    ]
    best = _best(answerer, embedder, "what toolkit should I use for neglect?", hits)
    assert "Family Strengths and Needs toolkit" in best, best


def test_which_part_questions_are_not_read_as_asking_for_a_kind_of_thing() -> None:
    assert asked_kind("What information should I include when I refer a child?") == "inform"
    assert asked_kind("What tools has the partnership got for neglect?") == "tool"
    assert asked_kind("What is a low-level concern?") is None
    assert asked_kind("What are the enablers and which outcome is about stable homes?") is None  # see named_part


@pytest.mark.parametrize("question", [
    "What is the out of hours number for children's social care?",
    "What number do I ring for the front door?",
    "What's the MASH number?",
])
def test_a_question_asking_for_a_number_to_call_needs_one(
    answerer: ExtractiveAnswerer, embedder: Embedder, question: str
) -> None:
    # An annual report's attendance table shared "children's social care" and "number" and was quoted.
    without = make_hit("report", "Children's social care attended 93% of the subgroup meetings. The front door and "
                       "the MASH took a number of referrals out of hours in Somerset this year.", 0.8)
    assert not _compose(answerer, embedder, question, [without]).answered
    with_number = make_hit("contacts", "Out of hours, ring the Emergency Duty Team on 0300 123 2327; in the day the "
                           "front door (the MASH) takes children's social care referrals on 0300 123 2224.", 0.8)
    assert _compose(answerer, embedder, question, [with_number]).answered


def test_a_count_asked_for_needs_a_count_of_that_thing(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # A case study's "three children" shared the question's words and was quoted as the count of contacts.
    others = make_hit("report", "The school contacted the front door about the three children. The front door "
                      "received the contact and passed it to the MASH within 24 hours.", 0.8)
    question = "How many contacts did the front door receive in 2022-23?"
    assert not _compose(answerer, embedder, question, [others]).answered
    counted = make_hit("data", "The front door received 12,400 contacts in 2022-23.", 0.8)
    assert _compose(answerer, embedder, question, [others, counted]).answered
    # a count of people is any count of those who did what was asked
    trained = make_hit("training", "Course | 2022-23 Number Trained\nAdvanced Child Protection 2 day | 558", 0.8)
    people = _compose(answerer, embedder, "How many people were trained on the 2 day course in 2022-23?", [trained])
    assert people.answered and "558" in people.text
    # "went" is what the people did, not what is counted (it was refused as a count of "went")
    went = _compose(answerer, embedder, "How many people went on the 2 day course in 2022-23?", [trained])
    assert went.answered and "558" in went.text
    used = _compose(answerer, embedder, "How many contacts does the front door receive?", [others, counted])
    assert used.answered and "12,400" in used.text


def test_more_than_one_is_a_count_only_of_what_is_required(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # KCSIE's "more than one emergency contact number" was quoted as how many contacts the front door received.
    policy = make_hit("kcsie", "Schools should hold more than one emergency contact number for each pupil.", 0.8)
    assert not _compose(answerer, embedder, "How many contacts did the front door receive?", [policy]).answered
    required = _compose(answerer, embedder, "How many emergency contacts should a school hold for a pupil?", [policy])
    assert required.answered and "more than one" in required.text


def test_people_are_counted_by_any_word_for_people(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # "How many people attended …" was answered with a table of agencies' % attendance, not "over 200 practitioners".
    text = ("Name of Agency | % Attendance across subgroups (14 meetings)\nPublic Health Nursing | 86%\n"
            "Somerset NHS Foundation Trust | 100%")
    table = make_hit("attendance", text, 0.85)
    event = make_hit("conference", "Our first Conference was held in March 2023. This event was well attended by "
                     "over 200 practitioners from a wide range of agencies.", 0.8)
    assert "200 practitioners" in _best(answerer, embedder, "How many people attended the conference?", [table, event])


def test_a_question_about_the_number_of_something_is_no_phone_question(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "What was the number of RPD forms in 2022-2023?"
    text = "The Partnership received few RPD forms.\nYear | Number of RPD'S\n2021 - 2022 | 6\n2022 - 2023 | 7"
    assert _compose(answerer, embedder, question, [make_hit("report", text)]).answered
    question = "Which number golden rule is about consent?"  # a number in a list, not one to ring
    text = "Golden rule 3: you do not need consent to share information where a child is at risk of harm."
    assert _compose(answerer, embedder, question, [make_hit("advice", text)]).answered


POLICE_DUTIES = [  # Working Together 2023, as once chunked: the sentence introducing a list ends a chunk
    "A local authority social worker, health practitioners and a police representative should be involved in the "
    "strategy discussion.\nThe police representative should:",
    "discuss the basis for any criminal investigation and any relevant processes that other organisations might "
    "need to know about\n"
    "consider the information in their possession and share it with the lead practitioner\n"
    "Health practitioners should:\ndiscuss the health and well-being of the child",
]


@pytest.mark.parametrize("both_retrieved", [False, True])
def test_a_list_whose_sentence_ends_its_chunk_is_read_from_the_next_chunk(
    answerer: ExtractiveAnswerer, embedder: Embedder, both_retrieved: bool
) -> None:
    question = "What should the police representative do in a strategy discussion?"
    hits = _section_hits("working-together", POLICE_DUTIES)
    draft = _compose(answerer, embedder, question, hits if both_retrieved else hits[:1])
    items = POLICE_DUTIES[1].split("\n")[:2]
    assert "The police representative should:\n" + "\n".join(items) in draft.text, draft.text
    assert all(draft.text.count(item) == 1 for item in items), draft.text
    assert "Health practitioners should:" not in draft.text.split(items[1])[0]


def test_a_list_item_starting_a_chunk_is_led_by_the_sentence_ending_the_chunk_before(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "Should the police share the information in their possession with the lead practitioner?"
    hits = _section_hits("working-together", POLICE_DUTIES)[1:]  # only the chunk holding the list was retrieved
    draft = _compose(answerer, embedder, question, hits)
    item = "consider the information in their possession and share it with the lead practitioner"
    assert draft.answered and item in draft.text, draft.text
    assert draft.text.index("The police representative should:") < draft.text.index(item), draft.text


def test_a_sentence_introducing_a_list_that_is_not_there_is_not_quoted(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # Working Together 2023, page 23, as the PDF reads: the partners' list is set in a box further on
    question = "Who are the three safeguarding partners?"
    text = ("The three safeguarding partners are responsible and accountable for this in their local areas.\n"
            "Safeguarding partners are defined in legislation as follows:")
    box = ("38. These three partners have a joint and equal duty to make arrangements to:\n"
           "work together as a team to safeguard and promote the welfare of all children in a local area")
    for hits in ([make_hit("working-together", text)], _section_hits("working-together", [text, box])[:1]):
        draft = _compose(answerer, embedder, question, hits)
        assert draft.answered and "as follows:" not in draft.text, draft.text


def test_a_sentence_introducing_a_table_is_not_hollow(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    question = "How many RPDs were there in 2022-23?"
    lead = "The Partnership continue to experience low numbers of RPDs in 2022-23:"
    text = f"{lead}\nYear | Number of RPD'S\n2020 - 2021 | 13\n2022 - 2023 | 7"
    candidates, _ = answerer.score(question, embedder.encode([question])[0], [make_hit("annual-report", text)])
    assert [c.hollow for c in candidates if c.quote == lead] == [False]


@pytest.mark.parametrize(("question", "count"), [
    ("Who are the three safeguarding partners?", 3),
    ("wat r the 4 Cs of onlin safety", 4),
    ("How many of the three safeguarding partners attended?", None),  # a count asked for, not a set
    ("Who are the safeguarding partners?", None),
])
def test_the_number_of_things_a_question_asks_to_have_named(question: str, count: int | None) -> None:
    assert _listed(question) == count


def test_a_who_question_prefers_the_one_set_beside_the_role(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # The leaders' sentence shares more of the question's words; the local authority is who the corporate parent is.
    hit = make_hit("nf", "Leaders champion corporate parenting and act as corporate parents themselves, working with "
                   "partner agencies to be the best parent for children in care. The local authority, as the "
                   "corporate parent, is responsible for making sure that where children live can meet their needs.")
    best = _best(answerer, embedder, "Who is the corporate parent for children in care?", [hit])
    assert best.startswith("The local authority"), best


PRIORITIES = "This year, the Partnership have agreed new priorities to frame our focus and action. These are:"


@pytest.mark.parametrize("subsections, shown", [
    (["SAFE START TO LIFE", "SAFE IN THE COMMUNITY", "POSITIVE EMOTIONAL WELLBEING AND MENTAL HEALTH"], 3),
    (["1. Manage internally", "2. Early help", "Considering bail conditions"], 2),  # the numbered run only
])
def test_a_list_set_out_as_the_sections_under_its_sentence_is_quoted_with_it(
    answerer: ExtractiveAnswerer, embedder: Embedder, subsections: list[str], shown: int
) -> None:
    # The SSCP annual report: the priorities are the headings of the sections after "These are:" (too short to quote
    # alone), each with its own paragraph; the sentence ends its section.
    hit = make_hit("sscp-annual-report", PRIORITIES, headings=["PRIORITIES AND DEVELOPMENTS FOR 2023-24"])
    hit.subsections = subsections
    draft = _compose(answerer, embedder, "What are the partnership's new priorities?", [hit])
    assert draft.answered and draft.text.startswith(f"{PRIORITIES}\n" + "\n".join(subsections[:shown])), draft.text
    assert subsections[shown - 1] in draft.text and (shown == len(subsections) or subsections[shown] not in draft.text)


def test_the_guidance_words_for_an_everyday_phrase_count_as_the_question_s(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # KCSIE never says "secret": its answer shares no word with the question, and a sentence about the child who
    # discloses (sharing "child") was quoted first.
    hits = [make_hit("kcsie", "Staff taking a report should never promise confidentiality as it is very likely that "
                     "it will be in the best interests of the victim to seek advice.", 0.62),
            make_hit("kcsie-2", "It is important that the person to whom the child discloses recognises that the "
                     "child has placed them in a position of trust.", 0.63)]
    assert _best(answerer, embedder, "Can I keep a secret if a child asks me to?", hits).startswith(
        "Staff taking a report should never promise confidentiality")


ENCOMPASS = (
    "Operation Encompass operates in all police forces across England. It helps police and schools work together to "
    "provide emotional and practical help to children. The system ensures that when the police are called to an "
    "incident of domestic abuse, where there are children in the household, the police will inform the key adult in "
    "school before the child arrives at school the following day. This ensures that the school has up to date "
    "relevant information about the child's circumstances. Operation Encompass does not replace statutory "
    "safeguarding procedures. More information about Operation Encompass is available on its website."
)


def test_what_is_a_thing_no_sentence_defines_is_answered_by_the_opening_of_the_passage_headed_by_it(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    hits = [make_hit("kcsie", ENCOMPASS, headings=["Domestic abuse", "Operation Encompass"])]
    answer = _compose(answerer, embedder, "What is Operation Encompass?", hits).text
    assert answer.startswith("Operation Encompass operates in all police forces")
    assert "the police will inform the key adult" in answer and "does not replace" not in answer


def test_a_passage_headed_by_the_thing_asked_about_is_not_read_from_its_opening_when_a_sentence_defines_it(
    answerer: ExtractiveAnswerer, embedder: Embedder
) -> None:
    text = ENCOMPASS.replace("More information", "Operation Encompass is a police and schools partnership. More")
    hits = [make_hit("kcsie", text, headings=["Domestic abuse", "Operation Encompass"])]
    answer = _compose(answerer, embedder, "What is Operation Encompass?", hits).text
    assert answer.startswith("Operation Encompass is a police and schools partnership")


SUPERVISION = (
    "It is for schools and colleges to determine whether a volunteer is considered to be supervised.\n"
    "315. For a person to be considered supervised, the supervision must be:\n"
    "by a person who is in regulated activity relating to children\n"
    "regular and day to day, and\n"
    "reasonable in all the circumstances to ensure the protection of children."
)


def test_a_short_list_is_quoted_whole_after_the_sentence_introducing_it(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "Must the person supervising a volunteer be in regulated activity relating to children?"
    hits = [make_hit("kcsie", SUPERVISION)]
    assert _best(one, embedder, question, hits).startswith("by a person who is in regulated activity")
    draft = _compose(one, embedder, question, hits)
    assert draft.text.startswith("For a person to be considered supervised, the supervision must be:\nby a person")
    assert "regular and day to day, and\nreasonable in all the circumstances" in draft.text
    assert draft.text.count("regular and day to day") == 1


def test_a_list_of_items_stops_at_a_numbered_paragraph(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    question = "When can I share confidential information under the common law?"
    text = COMMON_LAW.replace(CONDITIONS[1], CONDITIONS[1] + "\n37. Practitioners should record what they share.")
    draft = _compose(answerer, embedder, question, [make_hit("information-sharing", text)])
    assert CONDITIONS[0] in draft.text and CONDITIONS[1] in draft.text
    assert "37. Practitioners" not in draft.citations[0].quote


STAFF_CONCERNS = [  # KCSIE 2025 paragraph 70, as chunked: its three items split between two chunks
    "69. Schools and colleges should have processes and procedures in place to manage any safeguarding concern or "
    "allegation about staff members.\n"
    "70. If staff have a safeguarding concern or an allegation of harming or posing a risk of harm to children is made "
    "about another member of staff (including supply staff, volunteers, and contractors), then:\n"
    "this should be referred to the headteacher or principal\n"
    "where there is a concern/allegation about the headteacher or principal, this should be referred to the chair of "
    "governors, chair of the management committee or proprietor of an independent school, and",
    "in the event of a concern/allegation about the headteacher, where the headteacher is also the sole proprietor of "
    "an independent school, or a situation where there is a conflict of interest in reporting the matter to the "
    "headteacher, this should be reported directly to the local authority designated officer(s) LADO(s). Details of "
    "your local LADO should be easily accessible on your local authority's website.\n"
    "71. If staff have a safeguarding concern or an allegation about another member of staff that does not meet the "
    "harm threshold, then this should be shared in accordance with the school or college low-level concerns policy.",
]


def test_a_short_list_split_between_two_chunks_is_quoted_whole(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "Who do I report a concern about the headteacher to if the headteacher is the sole proprietor?"
    hits = _section_hits("kcsie", STAFF_CONCERNS)[1:]  # only the chunk holding the last item was retrieved
    assert _best(one, embedder, question, hits).startswith("in the event of a concern/allegation")
    draft = _compose(one, embedder, question, hits)
    items = STAFF_CONCERNS[0].split("\n")[2:] + STAFF_CONCERNS[1].split("\n")[:1]
    assert draft.text.startswith("If staff have a safeguarding concern"), draft.text
    assert "then:\n" + "\n".join(items) in draft.text, draft.text
    assert "71. If staff" not in draft.text and draft.citations[0].quote.endswith("local authority's website.")


def test_a_list_of_items_opening_in_lower_case_stops_at_a_line_opening_a_sentence(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    # The National Framework, page 5: its three items, then the paragraphs after them, one line each
    text = ("This guidance is issued under:\n"
            "section 7 of the Local Authority Social Services Act 1970, which requires local authorities to act under "
            "the general guidance of the Secretary of State\n"
            "section 10(8) of the Children Act 2004, which requires each person to which the section 10 duty applies "
            "to have regard to any guidance given to them by the Secretary of State\n"
            "It applies to all children who come into contact with children's social care up to the age of 18 years.")
    draft = _compose(one, embedder, "Under which act is the National Framework issued?", [make_hit("nf", text)])
    assert draft.citations[0].quote.startswith("This guidance is issued under:\nsection 7"), draft.text
    assert "section 10(8)" in draft.text and "It applies to all children" not in draft.citations[0].quote


def test_a_short_list_read_from_its_first_chunk_runs_on_into_the_next(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "Should a concern about a teacher be referred to the headteacher or principal?"
    hits = _section_hits("kcsie", STAFF_CONCERNS)[:1]  # only the chunk holding the first two items was retrieved
    first_two = STAFF_CONCERNS[0].split("\n")[2:]
    assert _best(one, embedder, question, hits) in first_two
    text = _compose(one, embedder, question, hits).text
    assert "then:\n" + "\n".join(first_two) + "\nin the event of a concern/allegation" in text, text  # and the third
    # a list that goes on past three lines is not short: the item that answers comes after its lead-in alone
    longer = [STAFF_CONCERNS[0], "a fourth route for the concern\n" + STAFF_CONCERNS[1]]
    text = _compose(one, embedder, question, _section_hits("kcsie", longer)[:1]).text
    assert text.startswith("If staff have a safeguarding concern") and "in the event of" not in text, text
    assert sum(item in text for item in first_two) == 1, text


FUNCTIONS = [  # Working Together 2023, paragraph 60, as chunked: its list runs on into the section's next chunk
    "To strengthen accountability, local safeguarding arrangements should separate the roles of partnership chair "
    "and independent scrutiny and be clear about the three distinct functions within effective local safeguarding "
    "arrangements:\n"
    "the partnership chair has authority, is decisive and enables resource allocation\n"
    "a business management function with adequate resources and capacity to support the partnership chair",
    "a rigorous and effective independent scrutiny function providing challenge to the safeguarding partners\n"
    "61. The lead safeguarding partners should agree who will chair the partnership.",
]


def test_a_list_running_to_its_chunks_end_is_read_on_into_the_next_chunk(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "What are the three distinct functions within effective local safeguarding arrangements?"
    for hits in (_section_hits("working-together", FUNCTIONS)[:1], _section_hits("working-together", FUNCTIONS)):
        text = _compose(one, embedder, question, hits).text
        assert text.startswith("To strengthen accountability"), text
        assert "\n".join(FUNCTIONS[0].split("\n")[1:]) + "\na rigorous and effective independent scrutiny" in text, text
        assert "61. The lead" not in text


def test_a_short_list_after_the_sentence_introducing_it_comes_whole_though_its_items_are_long(
    one: ExtractiveAnswerer, embedder: Embedder
) -> None:
    question = "What happens when an allegation of harming children is made about another member of staff?"
    hits = _section_hits("kcsie", STAFF_CONCERNS)[:1]
    assert _best(one, embedder, question, hits).startswith("If staff have a safeguarding concern")
    text = _compose(one, embedder, question, hits).text
    items = STAFF_CONCERNS[0].split("\n")[2:] + STAFF_CONCERNS[1].split("\n")[:1]  # 104 words in all
    assert len(" ".join(items).split()) > 100
    assert "then:\n" + "\n".join(items) in text, text


EARLY_HELP = ("Early help may be appropriate for children and families who have several needs. "
              "It is a voluntary approach, requiring the family’s consent to receive support and services offered.")


def test_a_sentence_opening_with_it_is_scored_as_speaking_of_what_the_one_before_opens_with() -> None:
    text = EARLY_HELP + " It is not appropriate for the proprietor to be the designated safeguarding lead."
    scored = {c.quote: c.scored_text for c in candidates_from([make_hit("working-together", text)])}
    assert scored["It is a voluntary approach, requiring the family’s consent to receive support and services "
                  "offered."].startswith("Early help is a voluntary approach")
    # an "it" standing for nothing said before is left as it is
    assert scored["It is not appropriate for the proprietor to be the designated safeguarding lead."].startswith("It ")


def test_an_answer_in_a_sentence_opening_with_it_is_quoted(answerer: ExtractiveAnswerer, embedder: Embedder) -> None:
    # As Working Together 2023 holds them: the best chunk is about a family that does not consent; the sentence
    # saying early help needs consent opens with "It".
    refusing = ("If a family does not consent to an early help assessment, practitioners should seek to understand why "
                "this is the case, so that they can provide reassurance to the family about their concerns. "
                "They should ensure the family has understood the consensual nature of support, and range of services "
                "available to meet their needs. If a family has chosen not to engage with support in the past, this "
                "should not act as a barrier to them accessing support in the future.")
    hits = [make_hit("working-together", refusing, similarity=0.83),
            make_hit("early-help", EARLY_HELP, similarity=0.78)]
    draft = _compose(answerer, embedder, "Does early help need the family's consent?", hits)
    assert "It is a voluntary approach" in draft.text
