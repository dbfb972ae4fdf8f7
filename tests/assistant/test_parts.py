from assistant.parts import second_part


def test_a_question_asking_two_things_has_a_second_part() -> None:
    assert second_part("Should I share information straight away in an emergency, and what do I need to do "
                       "afterwards?") == "what do I need to do afterwards?"
    assert second_part("Which agency chairs the Executive, and does the chair rotate?") == "does the chair rotate?"


def test_one_thing_asked_has_no_second_part() -> None:
    assert second_part("Compare the number of rapid reviews and RPDs in 2022-23") is None
    assert second_part("How many rapid reviews and RPDs were there in 2022-23?") is None
    assert second_part("If I am worried about a child, and the parents disagree, what should I do?") is None


def test_a_second_part_pointing_back_to_the_first_is_read_with_it() -> None:
    assert second_part("What was Education Services' attendance, and why was it low?") is None
    assert second_part("How many notifications were there in 2022-23, and how did that compare with 2021-22?") is None
