"""Redaction: what identifies a child or a family never survives; the safeguarding words and the numbers
that say what was asked about do."""

from __future__ import annotations

import time

import pytest

from assistant.redaction import redact

# Questions as practitioners type them, and what the log may hold of each.
EXACT = [
    (
        "I'm worried about Jayden Smith (DOB 03/04/2019), mum is Kelly, call 07700 900123 or "
        "kelly.smith@example.com, NHS 943 476 5919, lives at LS1 4AP",
        "I'm worried about [name] (DOB [date-of-birth]), mum is [name], call [phone] or [email], "
        "NHS [nhs-number], lives at [postcode]",
    ),
    # Sentence-initial names: nothing but capitals and the domain word list tells them from words.
    ("Jayden has bruises on his arm, what should I do?", "[name] has bruises on his arm, what should I do?"),
    ("Kelly's mum says she hasn't eaten for days", "[name]'s mum says she hasn't eaten for days"),
    ("Tyler, aged 9, says his stepdad locks him in his room", "[name], aged 9, says his stepdad locks him in his room"),
    ("Anne-Marie O'Brien-Smith is the stepmum.", "[name] is the stepmum."),
    ("Will Smith attends Year 6 at St Mary's Primary", "[name] attends Year 6 at St [name]'s Primary"),
    ("Mrs Okafor phoned on +44 (0)1823 355 803 about her son", "Mrs [name] phoned on [phone] about her son"),
    # Lowercase names, found by a cue or by the list of common names.
    ("a boy called kaiden has told me his dad hits him", "a boy called [name] has told me his dad hits him"),
    ("my pupil kaiden mcfarlane (8) has bruising", "my pupil [name] (8) has bruising"),
    ("her boyfriend dean is 19 and she is 14", "her boyfriend [name] is 19 and she is 14"),
    ("i'm worried about jayden smith, he is 7", "i'm worried about [name], he is 7"),
    ("kaiden's nan says he is not eating", "[name]'s nan says he is not eating"),
    ("mrs. okafor rang the school", "mrs. [name] rang the school"),
    ("D.O.B. 3rd April 2019, known as ellie-mae", "D.O.B. [date-of-birth], known as [name]"),
    ("Child JS disclosed to her teacher on Monday", "Child [name] disclosed to her teacher on Monday"),
    ("WHAT DO I DO ABOUT JAYDEN SMITH", "WHAT DO I DO ABOUT [name]"),
    (
        "Jayden SMITH and Kelly SMITH live at 12 Acacia Avenue, TA1 2DX",
        "[name] and [name] live at [address], [postcode]",
    ),
    ("they live at flat 3, 27 church street", "they live at flat 3, [address]"),
    # Numbers in every UK shape.
    ("NHS number 9434765919 for the child", "NHS number [nhs-number] for the child"),
    ("nhs no. 943-476-5919", "nhs no. [nhs-number]"),
    ("Landline 01823 355803, mobile 07700-900-123", "Landline [phone], mobile [phone]"),
    ("ring (01823) 355803 or +447700900123 or 0044 20 7946 0958", "ring [phone] or [phone] or [phone]"),
    ("postcode ta1 2dx", "postcode [postcode]"),
]


@pytest.mark.parametrize(("question", "logged"), EXACT)
def test_names_emails_phones_nhs_numbers_and_postcodes_are_replaced(question: str, logged: str) -> None:
    assert redact(question) == logged


@pytest.mark.parametrize(
    "question",
    [
        "How do I escalate via RPD to the MASH?",
        "What does Children's Social Care do with a referral from the Police?",
        "Is the neglect toolkit used in Somerset schools since 2023?",
        "How many rapid reviews within 15 working days, per section 4.2?",
        "When should the LADO be told, and by the DSL?",
        "What Is The Threshold For Early Help In Somerset?",
        "Bruising on a non-mobile baby: what is the protocol?",
        "Who is the Designated Safeguarding Lead and when is the Child Protection Conference held?",
        "Does Working Together 2023 say anything about the 0-19 service?",
        "How many RPDs were submitted in 2020-21 and 2022-2023?",
        "Under Section 47 of the Children Act 1989, what does KCSIE 2025 say?",
        "Is Ofsted told about an LCSPR? What about the NSPCC and CAMHS?",
        "Concerns about a KS2 pupil, neglect suspected. Advice please",
        "Call 999 or 101, or Childline on 0800 1111, within 24 hours",
        "Will the police tell the school? The named nurse called the GP.",
        "What should I do if I am worried about a pupil's welfare?",
        "Who chairs the Child Death Overview Panel and the SSCP Executive?",
        "Can I share information under GDPR without consent? Is a DPIA needed?",
        "Female Genital Mutilation, Honour Based Abuse and Forced Marriage: who do I tell?",
        "Multi-Agency Safeguarding Hub, Early Help Assessment, Team Around the Family",
        "The risk is rated amber, a grey area: is it a deprivation of liberty?",
    ],
)
def test_safeguarding_words_and_plain_numbers_are_kept(question: str) -> None:
    assert redact(question) == question


@pytest.mark.parametrize(
    ("question", "private"),
    [
        ("Grace (6) lives with her nan", ["Grace"]),
        ("the school nurse saw Hope and Amelia today", ["Hope", "Amelia"]),
        ("Can I share information about baby Amelia with the GP?", ["Amelia"]),
        ("Mohammed's dad Tariq was arrested; contact tariq.ahmed@police.example", ["Mohammed", "Tariq", "tariq"]),
        ("He said Will and Zoë hit him. Siobhán saw it.", ["Will", "Zoë", "Siobhán"]),
        ("Dr. Nwosu at the surgery, tel 0117 496 0123", ["Nwosu", "0117", "496 0123"]),
        ("My name is Sarah Jenkins and I work at Bridgwater College", ["Sarah", "Jenkins", "Bridgwater"]),
        ("the child's surname is nowak, first name is oliwia", ["nowak", "oliwia"]),
        ("baby jayden-lee was seen at A&E, born on 1 June 2024", ["jayden", "1 June 2024"]),
        ("the stepdad, known as gaz, has a conviction", ["gaz"]),
        ("Jayden (03/04/2019) was not brought to his appointment", ["03/04/2019"]),
    ],
)
def test_names_in_other_shapes_are_removed(question: str, private: list[str]) -> None:
    redacted = redact(question)
    for text in private:
        assert text not in redacted, redacted


def test_extra_known_words_are_kept_except_after_a_title() -> None:
    assert redact("Does Taunton have a family hub?") == "Does [name] have a family hub?"
    assert redact("Does Taunton have a family hub?", {"taunton"}) == "Does Taunton have a family hub?"
    assert redact("Does Taunton have a family hub?", {"Taunton"}) == "Does Taunton have a family hub?"
    assert redact("Mrs Taunton called", {"taunton"}) == "Mrs [name] called"


@pytest.mark.parametrize("text", ["", "   ", "[name]", "???", "07", "Ü", "'s", "- -", "\n\n", "a\tb", "[email]"])
def test_odd_input_passes_through(text: str) -> None:
    assert redact(text) == text


def test_redacting_twice_changes_nothing_more() -> None:
    for question, _ in EXACT:
        once = redact(question)
        assert redact(once) == once


def test_a_long_question_is_redacted_quickly() -> None:
    question = " ".join(q for q, _ in EXACT) * 5  # about 8,000 characters
    start = time.perf_counter()
    redacted = redact(question)
    assert time.perf_counter() - start < 1.0
    assert "Jayden" not in redacted and "07700" not in redacted
