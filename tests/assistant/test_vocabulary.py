"""Everyday words get the guidance's words for them, for keyword search."""

from __future__ import annotations

from assistant.vocabulary import in_guidance_words


def test_everyday_words_get_the_guidance_words_for_them() -> None:
    query = in_guidance_words("Will I get in trouble for passing worries about a kid on to social services?")
    added = query.split("(", 1)[1]
    for words in ("child children", "concerns", "children's social care"):
        assert words in added
    assert in_guidance_words("Do I have to tell the family before I pass on info?").endswith(
        "(share sharing, inform, information)")


def test_a_question_in_the_guidance_words_is_left_alone() -> None:
    for question in ("What should the head of year do about concerns for a child's welfare?",
                     "How many rapid reviews did the partnership complete?"):
        assert in_guidance_words(question) == question
    # the guidance's words already typed are not added again
    assert in_guidance_words("the local authority or the council") == "the local authority or the council"


def test_signs_of_neglect_get_the_guidance_word_for_them() -> None:
    query = in_guidance_words("my student keeps coming to school hungry and in dirty clothes, what should i do")
    assert query.endswith("(neglect)")
