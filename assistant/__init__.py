"""Partnership Assistant: answers practitioners' questions from safeguarding guidance, with citations."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["Answer", "Assistant", "Citation", "Filters", "QuestionError", "Settings"]

# Exported lazily, so `ingest` (which uses assistant.schema and friends) can be imported on its own
# without pulling in the pipeline, which itself uses `ingest`.
_EXPORTS = {
    "Answer": "assistant.schema",
    "Citation": "assistant.schema",
    "Assistant": "assistant.pipeline",
    "QuestionError": "assistant.pipeline",
    "Filters": "assistant.retrieval",
    "Settings": "assistant.settings",
}

if TYPE_CHECKING:
    from assistant.pipeline import Assistant, QuestionError
    from assistant.retrieval import Filters
    from assistant.schema import Answer, Citation
    from assistant.settings import Settings


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
