"""Questions about a child in danger now are flagged, so the emergency notice comes first."""

from __future__ import annotations

import pytest

from assistant.urgency import describes_harm, in_danger_now, is_emergency_only, is_urgent


@pytest.mark.parametrize(
    "question",
    [
        "A child has just told me her stepdad hit her and she's scared to go home tonight, what do I do?",
        "a toddler has swallowed some pills and isn't breathing properly, what do i do??",
        "a year 9 student just told me she wants to end her life and is self harming, she is in my class now",
        "A pupil brought a knife into school today",
        "My 15-year-old daughter has gone missing",
        "He is being hit by his father right now",
        # a disclosure of harm with the one who harmed the child still there
        "On a home visit just now a mum told me her partner hit the baby, what do I do?",
        "A mum says her partner hit the baby and he is still in the house",
        # a child's disclosure of harm, with no "just" or "now"
        "a child in my class has a burn mark and says mum did it with an iron, what now",
        "A pupil told me her dad punches her when he has been drinking",
        "a girl in year 10 says her boyfriend is making her send nude pictures",
        # harm in progress or about to happen
        "a dad at pick up smelled of alcohol and is about to drive his kids home",
        "I think a 15 year old is being groomed online by an older man, what should I do?",
        # an injury nobody explains
        "the baby I visited today had a fracture and the parents couldn't explain it",
        "A toddler at nursery has unexplained bruises on his back",
    ],
)
def test_danger_to_a_child_now_is_urgent(question: str) -> None:
    assert is_urgent(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the role of the designated safeguarding lead?",
        "How many rapid reviews did the partnership complete in 2022-23?",
        "When should a child protection conference be held?",
        "What will the weather be like in Taunton tomorrow?",
        "The printer is bleeding ink everywhere",  # danger word, but no child
        "What did the report say about children's injuries in 2022-23?",  # "say" is no child's disclosure
        "How many children were said to be at risk of burns from hot drinks?",  # a finding, not a disclosure
        "Why can't I explain the rise in child protection plans to the board?",  # nothing unexplained is an injury
    ],
)
def test_ordinary_questions_are_not_urgent(question: str) -> None:
    assert not is_urgent(question)


def test_a_disclosure_is_urgent_but_only_danger_now_is_danger_now() -> None:
    general = "What records should I keep when a child discloses abuse?"
    assert is_urgent(general) and not in_danger_now(general)
    assert in_danger_now("What number do I ring if a child is in danger right now?")
    assert in_danger_now("A child has just told me her stepdad hit her and she's scared to go home tonight")


@pytest.mark.parametrize(
    "question",
    [
        "A child has just told me her stepdad hit her and she's scared to go home tonight, what do I do?",
        "a year 9 student just told me she wants to end her life and is self harming, she is in my class now",
        "A 6 year old came in with bruises on his arms today and is frightened to go home",
        "a girl has disclosed that her uncle touches her, she is with me now",
    ],
)
def test_an_account_of_harm_or_a_disclosure_describes_harm(question: str) -> None:
    assert describes_harm(question)


@pytest.mark.parametrize(
    "question",
    [
        "a toddler has swallowed some pills and isn't breathing properly, what do i do??",
        "a child has collapsed in the playground and is unconscious, what do i do right now",
        "the school is on fire and children are still inside right now",
        "What rapid reviews did the partnership complete?",  # "rap…" is not "rape"
    ],
)
def test_a_medical_emergency_or_accident_does_not_describe_harm(question: str) -> None:
    assert not describes_harm(question)


@pytest.mark.parametrize(
    "question",
    [
        "a toddler has swallowed some pills and isn't breathing properly, what do i do??",
        "a child has collapsed in the playground and is unconscious, what do i do right now",
        "the school is on fire and children are still inside right now",
    ],
)
def test_a_medical_emergency_accident_or_fire_alone_is_for_the_emergency_services(question: str) -> None:
    assert is_emergency_only(question)


@pytest.mark.parametrize(
    "question",
    [
        "a year 9 student just told me she swallowed pills because she wants to end her life",  # self-harm: a concern
        "A 14 year old pupil has just told me she was cut (FGM) over the holidays, what do I have to do right now?",
        "Emergency - a child is at risk right now and I can't reach the parents, can I share information with police?",
        "A child has gone missing from the children's home tonight",
    ],
)
def test_harm_or_a_safeguarding_risk_is_not_for_the_emergency_services_alone(question: str) -> None:
    assert not is_emergency_only(question)
