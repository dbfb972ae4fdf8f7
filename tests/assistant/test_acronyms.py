"""Acronyms the corpus spells out are searched for by their words too."""

from __future__ import annotations

from assistant.acronyms import Acronyms

CORPUS = [
    "Every school should appoint a designated safeguarding lead (DSL) who takes lead responsibility.",
    "Allegations go to the Local Authority Designated Officer (LADO) within one working day.",
    "Concerns are resolved through Resolving Professional Differences (RPDs).",
    "The Department for Education (DfE) publishes guidance.",
    "Let us know what you think. Some United States (US) research agrees.",
    "This is not a definition (ABC) of anything.",
    "Please send us your feedback on special educational needs and disabilities (SEND) support.",
    "The Data Protection Act 2018 and UK General Data Protection Regulation (UK GDPR) allow sharing.",
]


def test_definitions_are_found_with_their_joining_words_and_plurals() -> None:
    acronyms = Acronyms.from_texts(CORPUS)
    assert acronyms.long_forms["DSL"] == "designated safeguarding lead"
    assert acronyms.long_forms["LADO"] == "local authority designated officer"
    assert acronyms.long_forms["RPD"] == "resolving professional differences"
    assert acronyms.long_forms["DFE"] == "department for education"
    assert acronyms.long_forms["SEND"] == "special educational needs and disabilities"
    assert "ABC" not in acronyms.long_forms  # the words before it do not spell it


def test_an_acronym_after_a_country_prefix_is_found() -> None:
    """"UK General Data Protection Regulation (UK GDPR)": GDPR is spelt by the words before the prefix."""
    acronyms = Acronyms.from_texts(CORPUS)
    assert acronyms.long_forms["GDPR"] == "general data protection regulation"
    assert "UK" not in acronyms.long_forms
    assert acronyms.expand("Will I get in trouble under GDPR?") == (
        "Will I get in trouble under GDPR? (general data protection regulation)"
    )


def test_a_question_gets_the_words_of_the_acronyms_it_uses() -> None:
    acronyms = Acronyms.from_texts(CORPUS)
    assert acronyms.expand("dsl training how often") == "dsl training how often (designated safeguarding lead)"
    assert acronyms.expand("How many RPDs and LADO referrals?") == (
        "How many RPDs and LADO referrals? (resolving professional differences, local authority designated officer)"
    )


def test_ordinary_words_and_spelt_out_questions_are_left_alone() -> None:
    acronyms = Acronyms.from_texts(CORPUS)
    assert acronyms.expand("can you tell us about it") == "can you tell us about it"  # "us" is a word here
    assert acronyms.expand("how do I send a referral") == "how do I send a referral"
    assert acronyms.expand("Who is the designated safeguarding lead (DSL)?") == (
        "Who is the designated safeguarding lead (DSL)?"
    )
    assert acronyms.expand("What about US research?") == "What about US research? (united states)"
