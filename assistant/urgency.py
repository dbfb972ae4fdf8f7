"""Spot questions about a child at immediate risk, so the emergency notice comes before anything else."""

from __future__ import annotations

import re

# Deliberately generous: a false alarm costs one extra line of advice, a miss could cost a child.
_DANGER = re.compile(
    r"\b(?:"
    r"(?:in|at) (?:immediate |imminent |serious )?(?:danger|risk) (?:now|right now|tonight|today)"
    r"|immediate(?:ly)? (?:danger|risk)|imminent (?:danger|risk|harm)|in danger"
    r"|right now|just now|at the moment|tonight|just (?:told|disclosed|said|found|seen|saw)"
    r"|still (?:there|here|at home|in the (?:house|home|flat|room)|with (?:him|her|them))"
    r"|(?:is|are|being) (?:hurt|beaten|hit|attacked|abused|assaulted|groomed|exploited|trafficked)"
    r"|about to (?:drive|take|leave|hurt|hit|harm)|drunk|smel\w* of (?:alcohol|drink)|under the influence"
    r"|scared to go home|afraid to go home|won'?t go home|refus\w* to go home"
    r"|threaten\w* to (?:kill|hurt)|suicid\w*|kill (?:him|her|them)sel(?:f|ves)|self[- ]harm\w* now"
    r"|overdose|swallowed|unconscious|not breathing|bleeding|missing (?:child|now)|gone missing|run away"
    r"|weapon|knife|gun"
    r")\b",
    re.IGNORECASE,
)
_CHILD = re.compile(
    r"\b(?:child|children|kids?|baby|babies|toddlers?|infants?|boys?|girls?|pupils?|students?|sons?|daughters?|teen\w*"
    r"|young person|year \d+|\d{1,2}[- ]year[- ]old|she|he|they)\b",
    re.IGNORECASE,
)


# A child's disclosure of being hurt or abused ("… has a burn mark and says mum did it with an iron"): the child may
# go home to whoever did it tonight, whether or not the question says "just" or "now".
_TELLS = r"told|tells|says|said|disclos\w*|confided"
_DISCLOSURE = re.compile(  # someone telling, not a passive finding ("were said to be at risk")
    rf"\b(?<!was )(?<!were )(?<!been )(?<!is )(?<!are )(?<!be )(?:{_TELLS})\b", re.IGNORECASE)
# Words for a hurt done to a child: a disclosure of one is urgent, and an account of one describes harm.
_HURTS = (r"hit|hits|hitting|hurt\w*|kick\w*|punch\w*|beat\w*|beaten|slap\w*|burn(?:s|t|ed|ing)?|strangl\w*|chok\w*"
          r"|abus\w*|assault\w*|raped?|raping|touch\w*|bruis\w*|injur\w*|fgm"
          r"|fractur\w*|broken (?:arms?|legs?|bones?|wrists?|ribs?|skull)")
_INJURY = re.compile(rf"\b(?:{_HURTS}|marks?|cuts?|nudes?|sext\w*|sexual\w*|coerc\w*|forc(?:es|ed|ing))\b",
                     re.IGNORECASE)


# An injury nobody explains ("the baby had a fracture and the parents couldn't explain it"): it may have been done
# to the child, who goes home tonight to whoever did it.
_UNEXPLAINED = re.compile(r"\b(?:unexplained|(?:can'?t|cannot|could ?n'?t|could not|did ?n'?t|did not|won'?t|unable to"
                          r"|no one can|nobody can) (?:explain|say how))\b", re.IGNORECASE)


def mentions_a_child(question: str) -> bool:
    """Whether the question speaks of a child ("pupil", "13 year old", "she")."""
    return bool(_CHILD.search(question))


def is_urgent(question: str) -> bool:
    """True when the question describes a child who may be in danger now, a child's disclosure of harm, or an injury
    to a child that nobody explains."""
    if not mentions_a_child(question):
        return False
    told_or_unexplained = _DISCLOSURE.search(question) or _UNEXPLAINED.search(question)
    return in_danger_now(question) or bool(told_or_unexplained and _INJURY.search(question))


def in_danger_now(question: str) -> bool:
    """True when the question tells of danger now ("right now", "scared to go home", "not breathing"), not only of
    a disclosure ("What records should I keep when a child discloses abuse?")."""
    return bool(_DANGER.search(question))


# An account of harm done or threatened, or of a disclosure: what the guidance's advice on acting at once on a
# concern about a child covers, whatever the harm. A medical emergency or an accident alone is not this.
_HARM = re.compile(
    r"\b(?:"
    rf"{_TELLS}|telling|{_HURTS}"
    r"|groom\w*|exploit\w*|traffick\w*|forced|threat\w*|scared|afraid|frightened|neglect\w*|cut"
    r"|self[- ]harm\w*|suicid\w*|end (?:his|her|their) (?:own )?life|kill (?:him|her|them)sel(?:f|ves)"
    r")\b",
    re.IGNORECASE,
)


def describes_harm(question: str) -> bool:
    """True when the question tells of harm done or threatened to a child, or of a disclosure, so that the
    guidance on acting at once on a concern applies even where it does not describe the situation itself."""
    return bool(_HARM.search(question))


# A medical emergency, an accident or a fire: 999 is the advice, and safeguarding guidance has none to add.
_EMERGENCY_ONLY = re.compile(
    r"\b(?:collapsed|unconscious|(?:not|isn'?t|is not|stopped|can'?t) breathing|swallowed|choking|seizure"
    r"|anaphyla\w*|allergic reaction|fire|gas leak|flood\w*|car crash|accident|drowning|electrocuted"
    r"|fallen|fell (?:off|from|down))\b",
    re.IGNORECASE,
)


def is_emergency_only(question: str) -> bool:
    """True when the question tells of a medical emergency, an accident or a fire and of no harm done by anyone:
    the emergency notice is the whole answer, not a passage that shares some of its words ("children … inside")."""
    return bool(_EMERGENCY_ONLY.search(question)) and not describes_harm(question)
