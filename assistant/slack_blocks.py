"""An Answer as a Slack Block Kit message: pure functions, so the layout is tested without Slack.

Layout: the emergency notice first when there is one, the answer, its numbered sources (title · section ·
page, linked) — or, when the guidance does not cover the question, the fixed refusal and the closest
passages, offered separately — then helpful / not-helpful buttons, and for a private (ephemeral) answer
a "Share in channel" button. While an answer is being written it shows the notice and the text so far,
with no sources or buttons yet.
"""

from __future__ import annotations

from typing import Any

from assistant.schema import Answer, Citation
from assistant.themes import LearningPassage, ThemeReport

Block = dict[str, Any]

# action_ids of the buttons; the button's value is the answer_id.
FEEDBACK_HELPFUL = "feedback_helpful"
FEEDBACK_NOT_HELPFUL = "feedback_not_helpful"
SHARE_ANSWER = "share_answer"
ACTIONS_BLOCK_ID = "answer_actions"
# block_id of the "still writing" line: only an answer that is not finished carries it.
WRITING_BLOCK_ID = "answer_writing"

SEARCHING_TEXT = "Searching the guidance…"
WRITING_TEXT = "Writing the answer…"
FEEDBACK_THANKS = {
    True: "Thanks, your feedback (helpful) was recorded.",
    False: "Thanks, your feedback (not helpful) was recorded. It helps the partnership improve the guidance.",
}

# Slack's limits on a section's text and on a message's plain-text fallback.
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 3000


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, MAX_SECTION_CHARS)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, MAX_SECTION_CHARS)}]}


def source_line(citation: Citation) -> str:
    """`[n] <url|Title> · Section · page P` in mrkdwn; the title is the link when there is a URL."""
    title = escape(citation.title).replace("|", "¦")
    parts = [f"<{citation.url}|{title}>" if citation.url else title]
    if citation.section:
        parts.append(escape(citation.section))
    if citation.page:
        parts.append(f"page {citation.page}")
    return f"[{citation.n}] " + " · ".join(parts)


def _sources_block(heading: str, citations: list[Citation], quotes: bool) -> Block:
    lines = [f"*{heading}*"]
    for citation in citations:
        lines.append(source_line(citation))
        if quotes and citation.quote:
            lines.append(f"> _{escape(_clip(citation.quote, 300))}_")
    return _section("\n".join(lines))


def searching_blocks(question: str | None = None) -> list[Block]:
    """The placeholder shown while the guidance is searched; replaced by the answer."""
    text = f":mag: {SEARCHING_TEXT}"
    if question:
        text += f"\n> {escape(_clip(question, 500))}"
    return [_section(text)]


def writing_blocks(text: str, notice: str | None = None) -> list[Block]:
    """An answer while it is written: the emergency notice first, the text so far (plain, as it came) and
    a line saying more is coming; sources and buttons arrive with the finished answer."""
    blocks: list[Block] = [_notice(notice)] if notice else []
    if text.strip():
        blocks.append(_section(escape(text)))
    blocks.append(
        {
            "type": "context",
            "block_id": WRITING_BLOCK_ID,
            "elements": [{"type": "mrkdwn", "text": f":hourglass_flowing_sand: {WRITING_TEXT}"}],
        }
    )
    return blocks


def writing_text(text: str, notice: str | None = None) -> str:
    """Plain text of an answer while it is written (Slack's `text`)."""
    parts = [f"URGENT: {notice}"] if notice else []
    parts.append(text if text.strip() else WRITING_TEXT)
    return _clip("\n\n".join(parts), MAX_FALLBACK_CHARS)


def _notice(notice: str) -> Block:
    return _section(f":rotating_light: *Urgent* — {escape(notice)}")


def answer_blocks(answer: Answer, *, share_button: bool = False, asked_by: str | None = None) -> list[Block]:
    """The answer message. `share_button` for a private answer; `asked_by` (a Slack user id) for an
    answer shared into a channel, where readers did not see the question."""
    blocks: list[Block] = []
    if answer.notice:
        blocks.append(_notice(answer.notice))
    if asked_by:
        blocks.append(_context(f"<@{asked_by}> asked: {escape(_clip(answer.question, 500))}"))
    if answer.answered:
        blocks.append(_section(escape(answer.answer)))
        if answer.citations:
            blocks.append(_sources_block("Sources", answer.citations, quotes=False))
    else:
        blocks.append(_section(f":grey_question: *Not covered by the guidance.* {escape(answer.answer)}"))
        if answer.closest_sources:
            blocks.append(
                _sources_block("Closest passages (not an answer)", answer.closest_sources, quotes=True)
            )
    blocks.append({"type": "divider"})
    blocks.append(actions_block(answer.answer_id, share_button=share_button))
    return blocks


def actions_block(answer_id: str, *, share_button: bool = False) -> Block:
    """Helpful / not-helpful buttons (recorded in the feedback store) and optionally Share in channel."""
    elements: list[Block] = [
        _button(":thumbsup: Helpful", FEEDBACK_HELPFUL, answer_id),
        _button(":thumbsdown: Not helpful", FEEDBACK_NOT_HELPFUL, answer_id),
    ]
    if share_button:
        elements.append(_button("Share in channel", SHARE_ANSWER, answer_id, style="primary"))
    return {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": elements}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def fallback_text(answer: Answer) -> str:
    """Plain text of the message, for notifications and screen readers (Slack's `text`)."""
    parts = []
    if answer.notice:
        parts.append(f"URGENT: {answer.notice}")
    parts.append(answer.answer)
    sources = answer.citations if answer.answered else answer.closest_sources
    if sources:
        label = "Sources" if answer.answered else "Closest passages"
        parts.append(label + ": " + "; ".join(_plain_source(c) for c in sources))
    return _clip("\n\n".join(parts), MAX_FALLBACK_CHARS)


def _plain_source(citation: Citation) -> str:
    bits = [citation.title, citation.section, f"page {citation.page}" if citation.page else ""]
    return f"[{citation.n}] " + " · ".join(b for b in bits if b)


def message_text(blocks_text: str, notice: str | None = None) -> list[Block]:
    """A one-section message (errors, usage hints), after the emergency notice when there is one."""
    return [*([_notice(notice)] if notice else []), _section(escape(blocks_text))]


MAX_THEMES = 10
PASSAGES_PER_GROUP = 3


def theme_blocks(report: ThemeReport) -> list[Block]:
    """`/ask-partnership themes [topic]`: each theme (or, for a topic, each document) with cited passages."""
    groups: list[tuple[str, list[LearningPassage]]]
    if report.topic:
        heading = f"*Learning about “{escape(report.topic)}”*, newest first"
        groups = [(f"{d.title} ({d.year or 'undated'})", d.passages) for d in report.documents]
    else:
        heading = "*Learning themes across reviews and bulletins*, newest first"
        groups = [(t.label, t.passages) for t in report.themes]
    if not groups:
        return [_section("No learning passages found for that.")]
    blocks: list[Block] = [_section(heading)]
    for title, passages in groups[:MAX_THEMES]:
        lines = [f"*{escape(title)}*"]
        for p in passages[:PASSAGES_PER_GROUP]:
            lines.append(f"• {escape(_clip(p.text, 300))}")
            lines.append("   " + source_line(p.citation))
        if len(passages) > PASSAGES_PER_GROUP:
            lines.append(f"_…and {len(passages) - PASSAGES_PER_GROUP} more (see `assistant themes`)_")
        blocks.append(_section("\n".join(lines)))
    return blocks
