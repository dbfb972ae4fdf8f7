from assistant.actions import AskedAction, asked_action, states_action


def test_a_question_asking_what_someone_did_names_the_doer_and_the_verb() -> None:
    assert asked_action("What did the non-accidental injury task and finish group highlight?") == AskedAction(
        "group", "highlight")
    assert asked_action("What did the practitioner survey on the escalation protocol highlight?") == AskedAction(
        "survey", "highlight")  # the doer is the survey, not the protocol it was on
    assert asked_action("According to KCSIE, what have research and case reviews repeatedly shown?") == AskedAction(
        "reviews", "show")
    assert asked_action("What did Ofsted rate Somerset children's social care?") == AskedAction("Ofsted", "rate")


def test_other_questions_ask_no_action() -> None:
    assert asked_action("What do I do if the DSL is away?") is None
    assert asked_action("What does the National Framework mean by family group decision making?") is None
    assert asked_action("What is a low-level concern?") is None
    assert asked_action("What did we find?") is None  # no doer to look for


def test_a_sentence_saying_the_doer_did_it_states_the_action() -> None:
    group = AskedAction("group", "highlight")
    assert states_action(group, "The Task and Finish group highlighted the importance of robust early help.")
    assert not states_action(group, "The Partnership ran a Task and Finish group to reduce risk of injury.")
    assert not states_action(group, "The group met monthly over the year and then it highlighted nothing new.")  # far
    assert states_action(AskedAction("survey", "highlight"),
                         "Part of this involved a practitioner survey, which highlighted that most were aware.")
    assert states_action(AskedAction("reviews", "show"), "Research and reviews have repeatedly shown the dangers.")
    assert states_action(AskedAction("Ofsted", "rate"), "Somerset Children's Social Care rated GOOD by Ofsted.")
    assert not states_action(AskedAction("Ofsted", "rate"), "Ofsted inspected the service.")
