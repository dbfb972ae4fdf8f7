"""Numbered items asked for by their count, gathered in order from the passages of one section."""

from __future__ import annotations

from assistant.numbered import numbered_item, numbered_items, ordinal_asked
from assistant.retrieval import Hit
from assistant.schema import Chunk, DocumentInfo

HEADING = "The four steps of escalation:"


def _hit(n: int, text: str, section: str = HEADING, doc_id: str = "protocol") -> Hit:
    info = DocumentInfo(id=doc_id, title="Escalation protocol", url="https://example.org/p.pdf")
    lines = text.count("\n") + 1
    chunk = Chunk(id=f"{doc_id}:{n}", doc_id=doc_id, text=text, headings=[section], page_start=n, page_end=n,
                  line_pages=[n] * lines)
    return Hit(chunk=chunk, info=info, score=1.0, similarity=0.6)


STEPS_3_4 = _hit(2, "3. Escalate to your manager if it is not resolved. They will contact the other manager.\n"
                    "4. Refer to the partnership's business unit as a last resort.")
STEPS_1_2 = _hit(1, "1. Talk to the practitioner you disagree with. Do it within two days.\n"
                    "2. Put your concerns in writing.")


def test_the_items_come_in_their_order_from_the_passages_of_the_section() -> None:
    items = numbered_items([STEPS_3_4, _hit(9, "1. Another section's step.", "Other"), STEPS_1_2], 0, 4)
    assert items is not None
    assert [(i.number, i.hit_index, i.page) for i in items] == [(1, 2, 1), (2, 2, 1), (3, 0, 2), (4, 0, 2)]
    assert items[0].sentence == "Talk to the practitioner you disagree with."  # the first sentence only


def test_no_items_unless_all_are_there_and_none_past_them() -> None:
    assert numbered_items([STEPS_3_4], 0, 4) is None  # steps 1 and 2 were not retrieved
    assert numbered_items([STEPS_3_4, STEPS_1_2], 0, 3) is None  # there is a fourth: not the set of three asked for
    assert numbered_items([STEPS_3_4, STEPS_1_2], 0, 5) is None


def test_numbered_paragraphs_are_no_set() -> None:
    paragraphs = _hit(1, "1. Schools are an important part of the wider safeguarding system.\n"
                         "2. Safeguarding is everyone's responsibility.", section="A co-ordinated approach")
    assert numbered_items([paragraphs], 0, 2) is None


def test_a_set_is_introduced_by_the_line_ending_the_section_s_chunk_before() -> None:
    intro = _hit(1, "49. The lead safeguarding partners should:\nFootnote 12: Children Act 2004", section="Leadership")
    items = _hit(2, "1. Set the strategic direction.\n2. Lead their organisation's contribution.", section="Leadership")
    items.previous_chunk = intro.chunk
    found = numbered_items([items], 0, 2)
    assert found is not None and [i.sentence for i in found] == ["Set the strategic direction.",
                                                                 "Lead their organisation's contribution."]
    items.previous_chunk = None
    assert numbered_items([items], 0, 2) is None


def test_one_item_asked_for_by_its_number() -> None:
    assert ordinal_asked("What is the seventh golden rule?") == 7
    assert ordinal_asked("what is golden rule 3 about") == 3
    assert ordinal_asked("What does the 2nd step say?") == 2
    assert ordinal_asked("When was the first SSCP conference held?") is None  # a conference is no item
    item = numbered_item([STEPS_3_4, STEPS_1_2], 0, 3)
    assert item is not None and (item.number, item.hit_index) == (3, 0)
    assert item.text == "Escalate to your manager if it is not resolved. They will contact the other manager."
    assert numbered_item([STEPS_3_4], 0, 5) is None
    paragraphs = _hit(1, "1. Schools are an important part of the system.\n2. Safeguarding is everyone's "
                         "responsibility.", section="A co-ordinated approach")
    assert numbered_item([paragraphs], 0, 2) is None  # numbered paragraphs are no set
