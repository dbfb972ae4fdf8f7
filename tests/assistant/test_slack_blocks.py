"""What a Slack reader sees for an Answer: notice first, answer, numbered linked sources, the refusal
variant with closest passages, and buttons that carry the answer id."""

from __future__ import annotations

import json

from assistant.schema import Answer, Citation
from assistant.slack_blocks import (
    FEEDBACK_HELPFUL,
    FEEDBACK_NOT_HELPFUL,
    MAX_SECTION_CHARS,
    SHARE_ANSWER,
    WRITING_BLOCK_ID,
    answer_blocks,
    fallback_text,
    message_text,
    searching_blocks,
    source_line,
    writing_blocks,
    writing_text,
)


def citation(n: int, **changes) -> Citation:
    fields = dict(
        n=n,
        document="rpd-protocol-2024",
        title="Resolving Professional Differences protocol",
        section="Escalation stages > Stage 2: line managers",
        page=4,
        url="https://example.org/rpd.pdf#page=4",
        quote="The practitioner escalates to their line manager within five working days.",
    )
    fields.update(changes)
    return Citation(**fields)


def answered(**changes) -> Answer:
    fields = dict(
        answer_id="a" * 32,
        question="How do I escalate?",
        answer="Escalate to your line manager within five working days [1]. Then to the DSLs [2].",
        answered=True,
        citations=[citation(1), citation(2, section="Stage 3: designated safeguarding leads", page=5)],
    )
    fields.update(changes)
    return Answer(**fields)


def texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_answer_then_numbered_linked_sources_then_feedback_buttons() -> None:
    blocks = answer_blocks(answered())
    assert [b["type"] for b in blocks] == ["section", "section", "divider", "actions"]
    answer, sources = texts(blocks)
    assert answer.startswith("Escalate to your line manager")
    assert sources.splitlines() == [
        "*Sources*",
        "[1] <https://example.org/rpd.pdf#page=4|Resolving Professional Differences protocol>"
        " · Escalation stages &gt; Stage 2: line managers · page 4",
        "[2] <https://example.org/rpd.pdf#page=4|Resolving Professional Differences protocol>"
        " · Stage 3: designated safeguarding leads · page 5",
    ]
    buttons = blocks[-1]["elements"]
    assert [b["action_id"] for b in buttons] == [FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL]
    assert {b["value"] for b in buttons} == {"a" * 32}


def test_emergency_notice_comes_first() -> None:
    blocks = answer_blocks(answered(notice="If a child is in immediate danger, call 999 now."))
    assert "call 999 now" in texts(blocks)[0]
    assert "Urgent" in texts(blocks)[0]
    assert fallback_text(answered(notice="Call 999 now.")).startswith("URGENT: Call 999 now.")


def test_not_covered_variant_offers_closest_passages_apart_from_any_answer() -> None:
    refusal = answered(
        answer="The partnership guidance I hold does not cover this.",
        answered=False,
        citations=[],
        closest_sources=[citation(1, page=None, url="")],
    )
    blocks = answer_blocks(refusal)
    first, closest = texts(blocks)
    assert first.startswith(":grey_question: *Not covered by the guidance.* The partnership guidance")
    assert closest.splitlines()[0] == "*Closest passages (not an answer)*"
    assert closest.splitlines()[1] == (
        "[1] Resolving Professional Differences protocol · Escalation stages &gt; Stage 2: line managers"
    )
    assert "within five working days" in closest  # the passage itself, quoted
    assert "*Sources*" not in json.dumps(blocks)
    assert "Closest passages: [1]" in fallback_text(refusal)


def test_private_answer_has_a_share_button_and_a_shared_one_says_who_asked() -> None:
    private = answer_blocks(answered(), share_button=True)
    assert [b["action_id"] for b in private[-1]["elements"]][-1] == SHARE_ANSWER
    shared = answer_blocks(answered(), asked_by="U123")
    assert shared[0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "<@U123> asked: How do I escalate?"}],
    }
    assert SHARE_ANSWER not in json.dumps(shared)


def test_slack_control_characters_are_escaped_and_long_text_fits_a_section() -> None:
    blocks = answer_blocks(
        answered(answer="Use <b> & <@U1> " + "x" * 4000, citations=[citation(1, title="A|B <c>")])
    )
    answer, sources = texts(blocks)
    assert answer.startswith("Use &lt;b&gt; &amp; &lt;@U1&gt;")
    assert len(answer) <= MAX_SECTION_CHARS
    assert "|A¦B &lt;c&gt;>" in sources
    assert source_line(citation(3, url="", page=None, section="")) == (
        "[3] Resolving Professional Differences protocol"
    )


def test_searching_placeholder() -> None:
    assert "Searching the guidance" in texts(searching_blocks())[0]
    assert texts(searching_blocks("is a > b?"))[0].splitlines()[1] == "> is a &gt; b?"


def test_an_answer_being_written_shows_the_notice_first_then_the_text_so_far_and_no_buttons() -> None:
    notice = "If a child is in immediate danger, call 999 now."
    blocks = writing_blocks("Escalate to <your> line manager [1]. ", notice)
    assert texts(blocks)[0].startswith(":rotating_light: *Urgent*") and "call 999 now" in texts(blocks)[0]
    assert texts(blocks)[1] == "Escalate to &lt;your&gt; line manager [1]. "
    assert blocks[-1]["type"] == "context" and blocks[-1]["block_id"] == WRITING_BLOCK_ID
    assert "actions" not in {b["type"] for b in blocks} and "Sources" not in json.dumps(blocks)
    assert writing_text("Escalate [1].", notice) == f"URGENT: {notice}\n\nEscalate [1]."
    # Before any text: the notice alone (when there is one) and the "writing" line.
    assert [b["type"] for b in writing_blocks("", notice)] == ["section", "context"]
    assert [b["type"] for b in writing_blocks("")] == ["context"]
    assert writing_text("") == "Writing the answer…"


def test_an_error_message_keeps_the_emergency_notice_first() -> None:
    blocks = message_text("Sorry, something went wrong.", notice="Call 999 now.")
    assert texts(blocks) == [":rotating_light: *Urgent* — Call 999 now.", "Sorry, something went wrong."]
    assert texts(message_text("Sorry.")) == ["Sorry."]
