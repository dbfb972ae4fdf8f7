"""Partnership Assistant: answers practitioners' questions from safeguarding guidance, with citations."""

from assistant.pipeline import Assistant, QuestionError
from assistant.retrieval import Filters
from assistant.schema import Answer, Citation
from assistant.settings import Settings

__all__ = ["Answer", "Assistant", "Citation", "Filters", "QuestionError", "Settings"]
