"""One log line per answer with ids, timings and counts — never the question, unless switched on, and
then redacted (questions may name children)."""

from __future__ import annotations

import json
import logging

from assistant.redaction import redact
from assistant.schema import Answer
from assistant.settings import Settings

log = logging.getLogger("assistant.requests")


def log_answer(answer: Answer, settings: Settings, channel: str) -> None:
    """Log that `answer` was given on `channel` (web, slack, cli): what was found, not what was asked.
    The answer's text is never logged (its quotes are the corpus's, but it may echo the question)."""
    if not log.isEnabledFor(logging.INFO):
        return
    record: dict[str, object] = {
        "answer_id": answer.answer_id,
        "channel": channel,
        "answered": answer.answered,
        "citations": len(answer.citations),
        "documents": sorted({c.document for c in answer.citations}),
        "notice": answer.notice is not None,
        "question_chars": len(answer.question),
        "timings_ms": answer.timings,
    }
    if settings.log_questions:
        record["question"] = redact(answer.question)
    log.info(json.dumps(record, ensure_ascii=False))
