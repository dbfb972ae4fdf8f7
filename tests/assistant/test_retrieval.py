"""Hybrid retrieval over the bundled corpus: fusion sees both scores of every candidate."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.pipeline import Assistant
from assistant.retrieval import Hit, subsections
from assistant.schema import Chunk
from assistant.scope import in_scope


@pytest.mark.parametrize(
    "question",
    ["Was anything identified about child protection medicals in the review learning?",
     "What is the role of the designated safeguarding lead?"],
)
def test_every_hit_carries_both_scores_whichever_list_found_it(bundled_assistant: Assistant, question: str) -> None:
    retriever = bundled_assistant.retriever
    assert retriever is not None
    vector = bundled_assistant.embedder.encode([question])[0]
    hits = retriever.search(question, vector, k=30)
    bm25 = retriever.keyword.scores(question)
    stored = retriever.store.vectors([h.chunk.id for h in hits])
    assert any(h.dense_rank is None for h in hits) or any(h.keyword_rank is None for h in hits)
    for h in hits:
        assert h.keyword_score == pytest.approx(float(bm25[retriever.keyword.position[h.chunk.id]]), rel=1e-5)
        assert h.similarity == pytest.approx(float(np.dot(stored[h.chunk.id], vector)), abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_keyword_hits_vectors_are_read_from_the_store_once(
    bundled_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    retriever = bundled_assistant.retriever
    assert retriever is not None
    question = "Was anything identified about child protection medicals in the review learning?"
    vector = bundled_assistant.passages.encode_queries([question])[0]
    first = [(h.chunk.id, h.similarity) for h in retriever.search(question, vector, k=30)]
    reads: list[list[str]] = []
    real = retriever.store.vectors
    monkeypatch.setattr(retriever.store, "vectors", lambda ids: reads.append(list(ids)) or real(ids))
    again = [(h.chunk.id, h.similarity) for h in retriever.search(question, vector, k=30)]
    assert again == first
    assert reads == []


def test_the_best_keyword_match_is_not_lost_to_middling_dense_ones(bundled_assistant: Assistant) -> None:
    """A chunk BM25 ranks first and the dense list misses must still reach the answerer (it used to be
    outscored by every chunk both lists found a little of)."""
    question = "Was anything identified about child protection medicals in the review learning?"
    retriever = bundled_assistant.retriever
    assert retriever is not None
    best_keyword = retriever.keyword.search(question, 1)[0][0]
    hits = bundled_assistant.search(question)
    assert best_keyword in [h.chunk.id for h in hits]


def test_the_chunk_that_defines_what_a_what_is_question_asks_about_ranks_higher(bundled_assistant: Assistant) -> None:
    # Chapter 6 defines them in its third paragraph ("378. Child death review partners are …"); the chunks that
    # only name them, as many times, ranked above it.
    question = "Who are the child death review partners?"
    definition = "Child death review partners are local authorities and any ICBs"

    def rank(assistant: Assistant) -> int:
        return next(i for i, h in enumerate(assistant.search(question, k=30)) if definition in h.chunk.text)

    assert rank(bundled_assistant) < 3 < rank(bundled_assistant.variant(definition_boost=0.0))
    # Reciprocal rank fusion scores are ~0.03: a boost on that scale would be the whole ranking, so it is not added.
    rrf = bundled_assistant.variant(fusion="rrf")
    assert [h.score for h in rrf.search(question, k=10)] == [
        h.score for h in rrf.variant(definition_boost=0.0).search(question, k=10)]


def test_a_question_in_everyday_words_finds_the_passage_in_the_guidance_words(bundled_assistant: Assistant) -> None:
    # KCSIE says "concerns about a child's welfare"; practitioners type "worried about a pupil". Without the
    # guidance's words, BM25 ranked alternative provision's passages about pupils first, and this fourth.
    hits = bundled_assistant.search("What should I do if I am worried about a pupil's welfare?")
    assert hits[0].chunk.section.endswith("What school and college staff should do if they have concerns about a child")


def test_a_name_only_a_few_passages_mention_brings_them_forward(bundled_assistant: Assistant) -> None:
    # Only KCSIE's passage on gender questioning children names the Cass review; neither the embedding model nor
    # BM25 (whose weight for "cass" is shared with "review" and "identify") put it among the eight passages.
    question = "What did the Cass review identify?"

    def found(assistant: Assistant) -> bool:
        return any("Cass review" in h.chunk.text for h in assistant.search(question))

    assert found(bundled_assistant) and not found(bundled_assistant.variant(name_boost=0.0))
    # A name every passage of a document carries (its title) singles out none: nothing moves.
    question = "What is the purpose of children's social care according to the National Framework?"
    assert [h.chunk.id for h in bundled_assistant.search(question)] == [
        h.chunk.id for h in bundled_assistant.variant(name_boost=0.0).search(question)]


def test_the_sections_under_a_section_are_listed_for_its_last_chunk() -> None:
    def chunk(n: int, headings: list[str], doc: str = "report") -> Chunk:
        return Chunk(id=f"{doc}:{n}", doc_id=doc, text=f"text {n}", headings=headings)

    top = ["PRIORITIES"]
    chunks = [chunk(1, top), chunk(2, top), chunk(3, [*top, "SAFE START"]), chunk(4, [*top, "SAFE START"]),
              chunk(5, [*top, "SAFE START", "Data"]), chunk(6, [*top, "COMMUNITY"]), chunk(7, ["NEXT"]),
              chunk(8, ["NEXT", "Sub"], doc="other")]
    found = subsections(chunks)
    assert found == {"report:2": ["SAFE START", "COMMUNITY"], "report:4": ["Data"]}


def test_a_document_mentions_what_any_of_its_passages_names(bundled_assistant: Assistant) -> None:
    retriever = bundled_assistant.retriever
    assert retriever is not None
    assert retriever.document_mentions("working-together-2023", "Child Safeguarding Practice Review Panel")
    assert not retriever.document_mentions("sscp-annual-report-2022-23", "Dorset Safeguarding Children Partnership")
    assert retriever.document_mentions("sscp-annual-report-2022-23", "Somerset")
    assert not retriever.document_mentions("no-such-document", "Somerset")
    # named only in a section heading ("Homelessness duty", in Working Together's chapter 4)
    assert retriever.document_mentions("working-together-2023", "Homelessness Duty")


def test_a_passage_calling_a_body_the_panel_mentions_it_where_its_document_names_it_in_full(
    bundled_assistant: Assistant,
) -> None:
    retriever = bundled_assistant.retriever
    assert retriever is not None
    body = "Child Safeguarding Practice Review Panel"
    shorthand = next(c for c in retriever.chunks.values() if c.doc_id == "working-together-2023"
                     and "the panel" in c.text.lower() and body.lower() not in f"{c.section}\n{c.text}".lower())
    hit = Hit(shorthand, retriever.documents[shorthand.doc_id], 1.0)
    assert retriever.mentions(hit, body)
    named = next(c for c in retriever.chunks.values() if body.lower() in c.text.lower())
    in_full = Hit(named, retriever.documents[named.doc_id], 0.9)
    assert in_scope(f"What should be sent to the {body}?", [hit, in_full], 0.8, retriever.mentions) == [hit, in_full]
    assert in_scope(f"What should be sent to the {body}?", [hit, in_full], 0.8) == [in_full]  # its own words only
    # Another partnership is not "the partnership" of the Somerset report, which never names it.
    somerset = next(c for c in retriever.chunks.values() if c.doc_id == "sscp-annual-report-2022-23"
                    and "the partnership" in c.text.lower())
    assert not retriever.mentions(Hit(somerset, retriever.documents[somerset.doc_id], 1.0),
                                  "Dorset Safeguarding Children Partnership")
