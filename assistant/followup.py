"""Follow-up questions: a question asked in a conversation (a Slack thread) leans on the ones before it.

"What happens at stage 2?" asked under "How do I escalate via the RPD protocol?" means stage 2 of the
RPD protocol. Retrieval and the extractive answerer see one question, so the follow-up is sent with the
key words of the earlier questions it leans on appended. The follow-up stays first and whole, so the
answer is chosen for it, while the appended words keep retrieval on the thread's topic. A follow-up that
already names its own topic is asked as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Words that carry no topic: question words, pronouns, auxiliaries, connectives.
_STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each else etc few for from
    further get gets got had has have having he her here hers him his how i if in into is it its itself
    just let like may me might more most must my no nor not now of off on once only or other our ours
    out over own please same say says she should so some such tell than that the their theirs them then
    there these they this those through to too under until up very was we were what when where which
    while who whom whose why will with would you your yours
    """.split()
)

# Words that point back at something said earlier; a question using them needs the earlier one.
_REFERRING = frozenset(
    """
    it its they them their theirs this that these those there then he she him her his hers such same
    above previous earlier former latter one ones also too instead else otherwise
    """.split()
)
_OPENERS = ("and ", "but ", "so ", "what about", "how about", "what if", "and if", "also ", "then ")

# A follow-up with no more content words than this cannot stand on its own.
SHORT_QUESTION_WORDS = 3
# Most words carried over from earlier questions.
MAX_CONTEXT_WORDS = 8

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


def content_words(text: str) -> list[str]:
    """The topic-bearing words of a text, in order, without repeats (case-insensitive)."""
    seen: set[str] = set()
    words: list[str] = []
    for word in _WORD.findall(text):
        key = word.lower().strip("'’-")
        if not key or key in _STOPWORDS or key in seen:
            continue
        seen.add(key)
        words.append(word)
    return words


def needs_context(question: str) -> bool:
    """True when a question points back at earlier ones ("what about stage 2?", "who chairs it?")."""
    lowered = " ".join(question.lower().split())
    if lowered.startswith(_OPENERS):
        return True
    words = {w.lower() for w in _WORD.findall(lowered)}
    if words & _REFERRING:
        return True
    return len(content_words(question)) <= SHORT_QUESTION_WORDS


def with_earlier_questions(question: str, earlier: Sequence[str]) -> str:
    """The question to ask the pipeline for a follow-up, given the conversation's earlier questions
    (oldest first). Returns `question` unchanged when it stands on its own or there is nothing earlier.
    """
    question = " ".join(question.split())
    earlier = [" ".join(q.split()) for q in earlier if q and q.strip()]
    if not earlier or not needs_context(question):
        return question
    own = {w.lower() for w in content_words(question)}
    carried: list[str] = []
    # The most recent question first: it is the one a follow-up usually continues.
    for previous in reversed(earlier):
        for word in content_words(previous):
            if word.lower() not in own and word.lower() not in {c.lower() for c in carried}:
                carried.append(word)
    carried = carried[:MAX_CONTEXT_WORDS]
    if not carried:
        return question
    return f"{question} ({' '.join(carried)})"
