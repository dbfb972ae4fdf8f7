"""What a "what did X find?" question asks X to have done ("What did the task and finish group highlight?"), and
whether a sentence says X did it ("The Task and Finish group highlighted …"): that sentence answers, where one naming
X for something else only shares more of the question's words."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The verbs a report's findings are asked by, each with its forms ("found", "shown", "learnt").
_VERBS = {
    "highlight": "highlight highlights highlighted", "find": "find finds found", "say": "say says said",
    "show": "show shows showed shown", "recommend": "recommend recommends recommended",
    "identify": "identify identifies identified", "learn": "learn learns learned learnt",
    "conclude": "conclude concludes concluded", "note": "note notes noted", "report": "report reports reported",
    "reveal": "reveal reveals revealed", "rate": "rate rates rated", "emphasise": "emphasise emphasises emphasised",
    "suggest": "suggest suggests suggested", "agree": "agree agrees agreed", "decide": "decide decides decided",
}
_FORMS = {form: verb for verb, forms in _VERBS.items() for form in forms.split()}
_ASKS_WHAT_DONE = re.compile(
    r"^\s*(?:according to [^,?]+,\s*)?what\s+(?:did|does|do|has|have|had)\s+(?P<who>(?:[\w'’-]+\s+){0,9}?[\w'’-]+)\s+"
    r"(?:\w+ly\s+)?(?P<verb>" + "|".join(_FORMS) + r")\b", re.I)
# Where the one who did it ends: "the practitioner survey | on the protocol".
_QUALIFIED = re.compile(r"\s(?:on|about|of|in|into|for|from|with|at|between|to|regarding|across)\s", re.I)
NEAR_WORDS = 6  # the verb this close after the doer ("the survey, which highlighted …")
PASSIVE_WORDS = 4  # or the doer this close after the verb ("rated GOOD by Ofsted")


@dataclass(frozen=True)
class AskedAction:
    doer: str  # the head word of who did it: "group", "survey", "Ofsted"
    verb: str  # the verb's base form: "highlight"


def asked_action(question: str) -> AskedAction | None:
    """The doer and verb of "What did the task and finish group highlight?" (group, highlight), "What have research
    and serious case reviews shown?" (reviews, show), "What did Ofsted rate …?" (Ofsted, rate); none otherwise."""
    asked = _ASKS_WHAT_DONE.match(question)
    if not asked:
        return None
    who = _QUALIFIED.split(f" {asked.group('who')} ")[0].split()
    if not who or who[-1].lower() in {"i", "we", "you", "they", "it"}:
        return None
    return AskedAction(doer=who[-1], verb=_FORMS[asked.group("verb").lower()])


def states_action(action: AskedAction, sentence: str) -> bool:
    """Whether the sentence says the asked doer did the asked thing: "The Task and Finish group highlighted …",
    "… a practitioner survey, which highlighted …", "… rated GOOD by Ofsted"."""
    doer = re.escape(singular(action.doer)) + r"(?:s|es)?"
    verb = "(?:" + "|".join(_VERBS[action.verb].split()) + ")"
    active = rf"\b{doer}\b(?:\W+\w+){{0,{NEAR_WORDS - 1}}}?\W+{verb}\b"
    passive = rf"\b{verb}\b(?:\W+\w+){{0,{PASSIVE_WORDS - 1}}}?\W+by\s+(?:the\s+)?(?:\w+\s+){{0,2}}{doer}\b"
    return bool(re.search(active, sentence, re.I) or re.search(passive, sentence, re.I))


def singular(word: str) -> str:
    """A plural's singular as the guidance's regular plurals make it: "practitioners" → "practitioner"."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
