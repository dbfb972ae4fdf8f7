"""Everyday words get the guidance's words for them, for keyword search."""

from __future__ import annotations

import pytest

from assistant.vocabulary import everyday_words, in_guidance_words


def test_everyday_words_get_the_guidance_words_for_them() -> None:
    query = in_guidance_words("Will I get in trouble for passing worries about a kid on to social services?")
    added = query.split("(", 1)[1]
    for words in ("child children", "concerns", "children's social care"):
        assert words in added
    assert in_guidance_words("Do I have to tell the family before I pass on info?").endswith(
        "(share sharing, inform, information)")


def test_a_disagreement_is_searched_for_as_professional_differences_and_disputes() -> None:
    # Partnerships call their escalation protocol "Resolving Professional Differences"; Working Together, between
    # the partners, a "dispute resolution process".
    assert in_guidance_words("How do I escalate a disagreement with another agency?").endswith(
        "(professional differences dispute)")
    assert in_guidance_words("I disagreed with the social worker").endswith("(professional differences dispute)")


@pytest.mark.parametrize("question", [
    "a child has not been seen at school for 3 weeks and the family won't answer the door",
    "he is always off school", "What if a pupil keeps skipping lessons?", "truancy rules"])
def test_a_child_not_at_school_is_absent_from_education(question: str) -> None:
    assert in_guidance_words(question).endswith("(absent from education missing education)")


@pytest.mark.parametrize("question", [
    "who do i tell if im worried about a teacher", "I'm concerned about a colleague's behaviour with children",
    "What should I do if I am worried about a member of staff?"])
def test_a_worry_about_a_colleague_is_a_concern_about_another_staff_member(question: str) -> None:
    assert "another staff member" in in_guidance_words(question)
    assert "another staff member" not in in_guidance_words("I'm worried about a child and told a teacher")


def test_a_question_in_the_guidance_words_is_left_alone() -> None:
    for question in ("What should the head of year do about concerns for a child's welfare?",
                     "How many rapid reviews did the partnership complete?"):
        assert in_guidance_words(question) == question
    # the guidance's words already typed are not added again
    assert in_guidance_words("the local authority or the council") == "the local authority or the council"


def test_signs_of_neglect_get_the_guidance_word_for_them() -> None:
    query = in_guidance_words("my student keeps coming to school hungry and in dirty clothes, what should i do")
    assert query.endswith("(neglect)")


@pytest.mark.parametrize("question", [
    "a year 9 student told me she wants to end her life and has been self harming",
    "a pupil says he is going to kill himself",
    "she has been self-harming and cutting herself",
    "is a suicidal teenager a safeguarding concern",
])
def test_self_harm_and_suicide_get_the_guidance_words_for_them(question: str) -> None:
    # KCSIE speaks of "a mental health concern about a child", not of self-harm, when it says what to do
    assert in_guidance_words(question).endswith("mental health)")


def test_cutting_something_else_is_not_self_harm() -> None:
    assert in_guidance_words("the teacher cut the lesson short") == "the teacher cut the lesson short"


def test_everyday_words_are_the_words_typed_that_the_guidance_says_otherwise() -> None:
    assert everyday_words("Can I pass on info about a kid to the council?") == {"pass", "on", "info", "kid", "council"}
    assert everyday_words("What is the dress code for school staff?") == set()


def test_keeping_a_secret_is_searched_for_as_a_promise_of_confidentiality() -> None:
    # KCSIE: "Staff … should never promise confidentiality", "never promise a child that they will not tell anyone".
    for question in ("Can I keep a secret if a child asks me to?", "Should I keep it secret if a child tells me?"):
        assert in_guidance_words(question).endswith("confidentiality promise)"), question
    assert in_guidance_words("Who tells the Secretary of State?") == "Who tells the Secretary of State? (inform)"


@pytest.mark.parametrize("question", [
    "Do I still need to write anything down?", "Should I take notes while they talk?",
    "What should I note down after a call?", "Do we need a paper trail?"])
def test_writing_something_down_is_searched_for_as_a_record(question: str) -> None:
    assert in_guidance_words(question).endswith("(record)"), question


@pytest.mark.parametrize("question", [
    "Can we google job applicants?", "Should schools look candidates up online?", "Is searching online allowed?"])
def test_googling_someone_is_searched_for_as_an_online_search(question: str) -> None:
    # KCSIE: "… should consider carrying out an online search as part of their due diligence …"
    assert in_guidance_words(question).endswith("(online search)"), question
    assert in_guidance_words("Can a child download apps?") == "Can a child download apps?"


@pytest.mark.parametrize("question", [
    "How long should it take for them to get back to me?", "When will I hear back after making a referral?",
    "Has the council got back to the school?"])
def test_getting_back_to_someone_is_acknowledging(question: str) -> None:
    # "Within one working day of a referral being made, a local authority social worker should acknowledge its
    # receipt to the referrer …"
    assert "acknowledge" in in_guidance_words(question).split("(", 1)[1]
    assert "acknowledge" not in in_guidance_words("She went back to her classroom after break")
