"""What a "what is X?" question asks about, and which sentences define it."""

from __future__ import annotations

import pytest

from assistant.definitions import asked_terms, asks_who, defines, definition_heads, names, names_who, states_purpose
from assistant.keyword import tokenize


def test_a_what_is_question_asks_about_its_term_with_and_without_its_qualifier() -> None:
    assert asked_terms("What is outcome 2 of the national framework?") == tokenize(
        ["outcome 2 of the national framework", "outcome 2"])
    assert asked_terms("Who are the child death review partners?") == tokenize(["child death review partners"])
    assert asked_terms("How do I escalate a concern?") == []


@pytest.mark.parametrize("question", [
    "What is a family network?", "What does family network mean?", "What's meant by a family network?",
    "Define family network", "What is the meaning of family network?", "meaning of family network",
    "What counts as a family network?", "What is classed as a family network?", "What do we mean by family network?",
    "What is considered a 'family network'?"])
def test_a_definition_is_asked_for_in_many_words(question: str) -> None:
    assert asked_terms(question) == [["famili", "network"]]


def test_a_term_asked_about_someone_is_also_asked_without_them() -> None:
    assert asked_terms("What counts as a 'low-level concern' about a member of staff?") == tokenize(
        ["low-level concern about a member of staff", "low-level concern"])


def test_a_term_asked_with_a_relative_clause_is_also_asked_without_it() -> None:
    question = "What counts as a serious child safeguarding case that has to be notified?"
    assert asked_terms(question) == tokenize(
        ["serious child safeguarding case that has to be notified", "serious child safeguarding case"])
    assert defines(asked_terms(question), "328. Serious child safeguarding cases are those in which:")
    # Not a one-word term's: a child who is looked after is not any child.
    assert asked_terms("What is a child who is looked after?") == tokenize(["child who is looked after"])


def test_what_someone_does_asks_for_no_definition() -> None:
    assert asked_terms("What does the DSL do?") == []
    assert asked_terms("What do I do if a child discloses?") == []


def test_a_term_asked_with_its_count_is_also_asked_without_it() -> None:
    assert asked_terms("Who are the three safeguarding partners?") == tokenize(
        ["three safeguarding partners", "safeguarding partners"])
    assert defines(asked_terms("Who are the three safeguarding partners?"),
                   "Safeguarding partners - A safeguarding partner is defined under the Children Act 2004 as: …")


@pytest.mark.parametrize(
    "sentence",
    ["A low-level concern is any concern that an adult has acted in a way that is inconsistent.",
     "378. Child death review partners are local authorities and any ICBs for the local area.",
     "Footnote 9: Family group decision making is the umbrella term for a family-led forum.",
     "Family group decision making - this is the umbrella term for family-led decision-making forums.",
     "Corporate parent: the local authority, which supports looked after children.",
     "340. Private fostering occurs when a child under the age of 16 is cared for by a person who is not a parent.",
     "upskirting which typically involves taking a picture under a person’s clothing without their permission"],
)
def test_a_sentence_that_opens_by_saying_what_the_term_is_defines_it(sentence: str) -> None:
    terms = [term for q in ["What is a low-level concern?", "Who are the child death review partners?",
                            "What is family group decision making?", "What is a corporate parent?",
                            "What is private fostering?", "What is upskirting?"]
             for term in asked_terms(q)]
    assert defines(terms, sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Any low-level concern is shared with the designated safeguarding lead.",  # uses the term
     "Reporting a low-level concern is important for a culture of openness.",  # the subject is another
     "Concerns about a child's welfare are acted on at once."],
)
def test_a_sentence_that_only_uses_the_term_does_not_define_it(sentence: str) -> None:
    assert not defines(asked_terms("What is a low-level concern?"), sentence)


def test_a_passage_defines_the_term_if_any_of_its_sentences_does() -> None:
    passage = ("Staff should share concerns.\nThey should act quickly. A low-level concern is any concern, no matter "
               "how small.")
    terms = asked_terms("What is a low-level concern?")
    assert any(names(terms, head) for head in definition_heads(passage))
    assert not any(names(terms, head) for head in definition_heads("Staff should share concerns."))
    assert not any(names([], head) for head in definition_heads(passage))  # not a "what is" question


@pytest.mark.parametrize(("sentence", "says_who"), [
    ("The local authority, as the corporate parent, is responsible for making sure that children's needs are met.",
     True),
    ("As the corporate parent, local authorities should establish a strong ethos of long-term support.", True),
    ("Leaders champion corporate parenting and act as corporate parents themselves.", False),  # not by apposition
    ("The council, as the lead agency, should act.", False),  # another role
])
def test_a_who_question_is_answered_by_the_one_set_beside_the_role(sentence: str, says_who: bool) -> None:
    question = "Who is the corporate parent for children in care under outcome 4?"
    assert asks_who(question) and names_who(asked_terms(question), sentence) is says_who


def test_only_a_who_question_asks_who() -> None:
    assert not asks_who("What is a corporate parent?")


def test_a_sentence_saying_what_a_thing_of_the_asked_kind_is_for_states_its_purpose() -> None:
    discussion = asked_terms("What is a strategy discussion?")
    assert states_purpose(discussion, "The purpose of a strategy discussion is to determine the child's welfare …")
    assert states_purpose(asked_terms("What is a family help assessment?"),
                          "The purpose of children's social care assessments is to: gather important information …")
    plan = asked_terms("What is a child protection plan?")
    assert states_purpose(plan, "The aim of the child protection plan is to:")
    # Another kind of thing, or no purpose stated
    assert not states_purpose(discussion, "The purpose of a child protection conference is to bring together …")
    assert not states_purpose(discussion, "A strategy discussion can take place following a referral …")
    assert not states_purpose([], "The purpose of a strategy discussion is to determine …")


@pytest.mark.parametrize("question", [
    "What is children's social care for?", "What is children's social care actually for?",
    "According to the National Framework, what is children's social care actually for?",
    "What is the purpose of children's social care according to the National Framework?",
    "what's children's social care really for, in a sentence?", "Why does children's social care exist?"])
def test_a_question_asking_what_a_thing_is_for_asks_about_the_thing(question: str) -> None:
    assert asked_terms(question) == tokenize(["children's social care"])


def test_a_question_naming_what_a_thing_is_for_does_not_ask_its_purpose() -> None:
    # "for" with words after it says what the thing is of ("the threshold for a referral"), not what it is for
    assert asked_terms("What is the threshold for a referral?") == tokenize(["threshold for a referral", "threshold"])


def test_a_sentence_saying_a_thing_exists_to_do_something_states_its_purpose() -> None:
    sentence = "Children’s social care exists to support children, young people and families, to protect them …"
    assert states_purpose(asked_terms("What is social care actually for?"), sentence)  # the asked thing, named in full
    assert states_purpose(asked_terms("What is children's social care for?"), sentence)
    # Something else that ends in the same word, or the thing doing something else
    assert not states_purpose(asked_terms("What is the first principle of children's social care?"), sentence)
    assert not states_purpose(asked_terms("What is children's social care for?"),
                              "Children’s social care works in partnership with whole families.")


def test_a_passage_saying_what_the_thing_exists_to_do_defines_it_for_retrieval() -> None:
    passage = ("Purpose of children’s social care\nChildren’s social care exists to support children, young people and "
               "families.")
    terms = asked_terms("According to the National Framework, what is children's social care actually for?")
    assert any(names(terms, head) for head in definition_heads(passage))
