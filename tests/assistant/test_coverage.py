"""Words a question turns on that the guidance hardly uses, and that the answer does not use."""

from __future__ import annotations

from assistant.coverage import unused_words
from assistant.keyword import tokenize

# How many passages hold a stem, as a keyword index counts them: the words below are rare, the rest common.
RARE = {stem: n for (stem,), n in [(tokenize(["wear"])[0], 1), (tokenize(["babysit"])[0], 0)] + [
    (tokenize([w])[0], 0) for w in ("anything", "kid", "dsl", "infomation", "ok", "counts", "begged", "renewed")]}


def passages_with(stem: str) -> int:
    return RARE.get(stem, 100)


def test_a_word_the_guidance_hardly_uses_is_unused_unless_the_answer_uses_it() -> None:
    question = "What should I wear to a child protection conference?"
    assert unused_words(question, "The conference brings together family members.", passages_with, 1) == ["wear"]
    assert unused_words(question, "Staff wearing lanyards at the conference.", passages_with, 1) == []  # stemmed
    assert unused_words(question, "The conference brings together family members.", passages_with, 0) == []
    assert passages_with(tokenize(["conference"])[0][0]) > 1  # the question's other words are common


def test_a_word_the_guidance_never_uses_counts() -> None:
    assert unused_words("At what age can a child babysit?", "A child is anyone under 18.", passages_with, 1) == [
        "babysit"]


def test_words_that_say_nothing_of_the_subject_are_not_counted() -> None:
    answer = "Having clear outcomes from child protection medicals."
    # "anything" names no subject; "kid" is an everyday word for child; DSL an acronym; "infomation" a typo;
    # "ok" too short to tell.
    for question in ("Was anything identified about medicals?", "Is a kid allowed to attend?",
                     "Who is the DSL?", "What infomation is shared?", "Is it ok?"):
        assert unused_words(question, answer, passages_with, 1) == [], question


def test_a_question_asking_what_something_is_turns_on_that_thing_only() -> None:
    # "counts" is how it asks; the thing asked about is the serious safeguarding case.
    answer = "The local authority must notify the Panel if the child dies or is seriously harmed."
    assert unused_words("What counts as a serious safeguarding case?", answer, passages_with, 1) == []
    assert unused_words("What counts as something to wear?", answer, passages_with, 1) == ["wear"]


def test_a_story_s_past_tense_is_not_what_is_asked() -> None:
    answer = "Staff should never promise a child that they will not tell anyone else about a report of abuse."
    story = "pupil told me smth and begged me not to tell anyone, am i allowed to promise i'll keep it secret?"
    assert unused_words(story, answer, passages_with, 1) == []
    # after "be", a past participle is what is asked about
    assert unused_words("Do DBS checks need to be renewed?", answer, passages_with, 1) == ["renewed"]
