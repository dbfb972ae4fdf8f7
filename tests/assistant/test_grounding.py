"""Citation enforcement: what an LLM writes reaches the user only if each sentence cites a source it was
given and that source supports it (real embedding model, no LLM needed)."""

from __future__ import annotations

import pytest

from assistant.embeddings import Embedder
from assistant.grounding import Grounder, SentenceStream, sources_from_hits, split_claims
from assistant.retrieval import Hit
from assistant.schema import Chunk, DocumentInfo
from assistant.settings import Settings

RAPID = "Rapid reviews should be submitted to the panel within 15 working days of the incident."
RPD = ("Practitioners who disagree with a decision should first discuss it with the other professional. "
       "If that does not resolve it, they escalate to their line manager at stage 2 of the protocol.")


def make_hit(doc_id: str, text: str, page: int = 3) -> Hit:
    info = DocumentInfo(id=doc_id, title=doc_id.replace("-", " ").title(), url=f"https://example.org/{doc_id}.pdf")
    chunk = Chunk(id=f"{doc_id}:1", doc_id=doc_id, text=text, headings=["Section"], page_start=page, page_end=page)
    return Hit(chunk=chunk, info=info, score=1.0, similarity=0.6)


@pytest.fixture(scope="module")
def grounder(embedder: Embedder) -> Grounder:
    s = Settings()
    hits = [make_hit("rapid-reviews", RAPID), make_hit("rpd-protocol", RPD, page=7)]
    return Grounder(sources_from_hits(hits), embedder.encode, s.grounding_min_overlap,
                    s.grounding_min_similarity, s.grounding_min_words)


def test_a_sentence_its_cited_source_states_is_kept_with_that_source(grounder: Grounder) -> None:
    checked = grounder.check("Rapid reviews should be submitted to the panel within 15 working days [1].")
    assert checked.kept, checked.reason
    assert checked.text == "Rapid reviews should be submitted to the panel within 15 working days. [1]"
    assert checked.support[0].quote == RAPID and checked.support[0].page == 3


def test_a_sentence_without_a_citation_is_dropped(grounder: Grounder) -> None:
    checked = grounder.check("Rapid reviews should be submitted to the panel within 15 working days.")
    assert not checked.kept and checked.reason == "no citation"


def test_a_citation_of_a_source_not_given_is_dropped(grounder: Grounder) -> None:
    checked = grounder.check("Rapid reviews should be submitted to the panel within 15 working days [7].")
    assert not checked.kept and "not among the sources" in checked.reason


def test_an_invented_claim_with_a_real_citation_is_dropped(grounder: Grounder) -> None:
    # What SmolLM2 added after a correct answer, in MODELS.md.
    checked = grounder.check("The Council's report describes the responsibility of an emergency response team [1].")
    assert not checked.kept and "not supported" in checked.reason


def test_a_wrong_number_is_dropped_even_when_the_words_match(grounder: Grounder) -> None:
    checked = grounder.check("Rapid reviews should be submitted to the panel within 20 working days [1].")
    assert not checked.kept and "20" in checked.reason


def test_a_sentence_citing_the_wrong_source_is_dropped(grounder: Grounder) -> None:
    checked = grounder.check("Rapid reviews should be submitted to the panel within 15 working days [2].")
    assert not checked.kept


def test_only_the_markers_of_supporting_sources_are_kept(grounder: Grounder) -> None:
    checked = grounder.check("Practitioners escalate to their line manager at stage 2 of the protocol [1, 2].")
    assert checked.kept, checked.reason
    assert checked.text.endswith("protocol. [2]") and [s.n for s in checked.support] == [2]


def test_enforce_drops_an_injected_uncited_sentence_and_keeps_the_rest(grounder: Grounder) -> None:
    text = ("Rapid reviews should be submitted to the panel within 15 working days. [1] "
            "You should also ring the director at home. "
            "If discussion does not resolve it, escalate to your line manager at stage 2 [2].")
    grounded = grounder.enforce(text)
    assert [s.claim for s in grounded.dropped] == ["You should also ring the director at home."]
    assert grounded.text == ("Rapid reviews should be submitted to the panel within 15 working days. [1] "
                             "If discussion does not resolve it, escalate to your line manager at stage 2. [2]")


def test_a_one_word_answer_is_too_little_to_check(grounder: Grounder) -> None:
    assert not grounder.check("HACKED [1].").kept


def test_markers_after_the_full_stop_and_list_items_split_into_sentences() -> None:
    text = "First point here. [1] Second point there [2].\n- A listed point [1]\n2. Another one. [2]"
    assert split_claims(text) == ["First point here [1].", "Second point there [2].", "A listed point [1]",
                                  "Another one [2]."]


def test_streamed_pieces_give_the_same_sentences_once_each() -> None:
    text = "Rapid reviews go to the panel. [1] They are due in 15 working days [1].\nAsk your manager [2]."
    stream = SentenceStream()
    out: list[str] = []
    for i in range(0, len(text), 3):
        out.extend(stream.feed(text[i : i + 3]))
    out.extend(stream.close())
    assert out == split_claims(text)


def test_a_sentence_that_only_restates_the_question_is_dropped(embedder: Embedder) -> None:
    s = Settings()
    grounder = Grounder(sources_from_hits([make_hit("rapid-reviews", RAPID)]), embedder.encode,
                        s.grounding_min_overlap, s.grounding_min_similarity, s.grounding_min_words,
                        question="Within how many working days should rapid reviews be submitted to the panel?")
    assert grounder.check("Rapid reviews should be submitted to the panel within [1].").reason == (
        "only restates the question")
    assert grounder.check("Rapid reviews should be submitted to the panel within 15 working days [1].").kept
