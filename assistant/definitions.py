"""Definitional questions ("What is a low-level concern?") and the text that answers them ("A low-level concern
is …"), shared by retrieval (a chunk that defines the term ranks higher) and the answerer (its sentence is quoted)."""

from __future__ import annotations

import re

from assistant.keyword import tokenize
from assistant.sentences import split_sentences
from ingest.loaders import FOOTNOTE_BLOCK

# "What is a low-level concern?", "What's meant by family network?", "What does kinship care mean?", "Define …",
# "What counts as a low-level concern?", "What is classed as neglect?", "What do we mean by contextual safeguarding?"
_ASKS_FOR_DEFINITION = re.compile(
    r"^\s*(?:(?:what|who)(?:\s+(?:is|are)|['’]s)\s+(?:meant\s+by\s+|the\s+meaning\s+of\s+"
    r"|(?:classed|classified|defined|seen)\s+as\s+|considered\s+(?:as\s+|to\s+be\s+)?)?|what\s+counts\s+as\s+"
    r"|what\s+(?:does|do)\s+(?:(?:we|you|they|it|the\s+guidance)\s+mean\s+by\s+|(?=.+\smean\W*$))|define\s+"
    r"|(?:the\s+)?meaning\s+of\s+)['‘’\"“]?(?:a|an|the)?\s*['‘’\"“]?(.+?)['’\"”]?(?:\s+mean)?[\s?.!]*$", re.I)
# "X is …", "X: …", "X – …", "Private fostering occurs when …", "upskirting which typically involves …"
_COPULA = re.compile(r"\s(?:is|are|means|refers to|(?:occurs|happens) when|(?:which )?(?:typically )?involves)\s|:\s"
                     r"|\s[-–]\s", re.I)
_ASKS_WHO = re.compile(r"^\s*who\s+(?:is|are)\b", re.I)
# "<someone>, as the <role>, …" or "As the <role>, <someone> …": who is that role.
_APPOSITION = re.compile(r"^(?:\d+\.\s+)?(?:As (?:the|a|an) (?P<a>[^,]{2,60}),\s+\w|[^,]{2,80},\s+as (?:the|a|an) "
                         r"(?P<b>[^,]{2,60}),)")
# "What is children's social care (actually) for?", "What is the purpose of a strategy discussion?", "Why does the
# National Framework exist?": what a thing is for, which a sentence saying so answers (see `states_purpose`). A
# leading "According to X," and a trailing ", in a sentence" or "per X" say where or how, not what.
_ASKS_FOR_PURPOSE = re.compile(
    r"^\s*(?:according to [^,?]+,\s*)?(?:what(?:\s+(?:is|are)|['’]s)\s+the\s+(?:purpose|point|aim)s?\s+of\s+(.+?)"
    r"|what(?:\s+(?:is|are)|['’]s)\s+(.+?)\s+(?:(?:actually|really|even)\s+)?for|why\s+(?:does|do)\s+(.+?)\s+exist)"
    r"(?:\s*,.*|\s+(?:according to|per)\s.*)?[\s?.!]*$", re.I)
# "The aim of the child protection plan is to: …", "The purpose of a strategy discussion is to …"
_PURPOSE = re.compile(r"^(?:\d+\.\s+)?The (?:purpose|aim)s? of (?:the |a |an |this |these )?(.+?) (?:is|are) to\b")
# "Children's social care exists to support …": the whole of what exists ends with the asked thing.
_EXISTS = re.compile(r"^(?:\d+\.\s+)?(?:The |A |An )?((?:[\w’'-]+\s+){0,5}?[\w’'-]+)\s+exists?\s+to\b")
# "outcome 2 | of the framework", "'low-level concern' | about a member of staff"
_QUALIFIER = re.compile(r"['’\"”]?\s(?:of|in|for|under|from|about|according to)\s", re.I)
# "a serious child safeguarding case | that has to be notified"; not one word's ("a child | who is looked after").
_RELATIVE = re.compile(r"['’\"”]?\s(?:that|which|who|whose|where|when)\s", re.I)

Term = list[str]  # stemmed tokens, as BM25 reads them


def asked_terms(question: str) -> list[Term]:
    """The term a "what is / who are" question asks about (or a "what is X for?" one asks the purpose of: a sentence
    saying what X is for answers it as a definition does), and the same term without its qualifier ("outcome 2 of
    the framework", "outcome 2"), its relative clause ("serious child safeguarding case that has to be notified",
    "serious child safeguarding case") or its count ("three safeguarding partners", "safeguarding partners"); none
    for any other question."""
    asked = _ASKS_FOR_PURPOSE.match(question) or _ASKS_FOR_DEFINITION.match(question)
    if not asked:
        return []
    thing = next(group for group in asked.groups() if group)
    antecedent = _RELATIVE.split(thing, maxsplit=1)[0]
    phrases = dict.fromkeys([thing, _QUALIFIER.split(thing, maxsplit=1)[0]]
                            + ([antecedent] if len(tokenize([antecedent])[0]) > 1 else []))
    terms = [term for term in tokenize(list(phrases)) if term]
    # "the three safeguarding partners" are defined as "Safeguarding partners - …"
    uncounted = [term[1:] for term in terms if len(term) > 1 and term[0].isdigit()]
    return terms + [term for term in uncounted if term not in terms]


def defines(terms: list[Term], sentence: str) -> bool:
    """Whether the sentence opens by defining one of the terms: "<term> is/are/means …", "<term>: …" or
    "<term> – …". A paragraph number ("378. Child death review partners are …") or a footnote's label may lead."""
    head = _head(sentence)
    return head is not None and names(terms, head)


def states_purpose(terms: list[Term], sentence: str) -> bool:
    """Whether the sentence opens by saying what a thing of the asked kind is for ("The purpose of a strategy
    discussion is to …" for "What is a strategy discussion?"; "The purpose of children's social care assessments is
    to: …" for "What is a family help assessment?"): its last word is the term's; or that a thing exists to do
    something, the whole thing ending in the term ("Children's social care exists to …" for "What is social care
    for?", not for "What is the first principle of children's social care?")."""
    stated = _purpose_of(sentence)
    if stated is None:
        return False
    thing, exists = stated
    if exists:
        return any(term and thing[-len(term):] == term for term in terms)
    return any(term and term[-1] == thing[-1] for term in terms)


def _purpose_of(sentence: str) -> tuple[Term, bool] | None:
    """What a sentence says the purpose of is ("The purpose of X is to …" → X), or that exists to do something ("X
    exists to …" → X, and True); none for any other sentence."""
    stated = _PURPOSE.match(sentence)
    thing = tokenize([stated.group(1)])[0] if stated else []
    if thing:
        return thing, False
    exists = _EXISTS.match(sentence)
    thing = tokenize([exists.group(1)])[0] if exists else []
    return (thing, True) if thing else None


def _purpose_head(sentence: str) -> Term | None:
    """What a sentence says a thing is for: "The purpose of X is to …", "X exists to …" → X."""
    stated = _purpose_of(sentence)
    return stated[0] if stated else None


def asks_who(question: str) -> bool:
    """Whether the question asks who someone is ("Who is the corporate parent …?")."""
    return bool(_ASKS_WHO.match(question))


def names_who(terms: list[Term], sentence: str) -> bool:
    """Whether the sentence says who is one of the terms a "who is / who are" question asks about, by apposition:
    "The local authority, as the corporate parent, is responsible …", "As the corporate parent, local authorities
    should …"."""
    role = _APPOSITION.search(sentence)
    return bool(role) and names(terms, tokenize([role.group("a") or role.group("b")])[0])


def definition_heads(text: str) -> list[Term]:
    """What each sentence of a passage could define: its words before "is", ":" or " – ", and what it says the
    purpose of is (see `_purpose_head`) (worked out once per chunk by the retriever; matching them against a
    question's terms is then cheap)."""
    sentences = [s for line in text.split("\n") for s in split_sentences(line)]
    heads = [_head(s) for s in sentences] + [_purpose_head(s) for s in sentences]
    return [h for h in heads if h]


def names(terms: list[Term], head: Term) -> bool:
    """Whether a sentence's head is one of the terms, once any leading number is set aside."""
    if not terms:
        return False
    while head and head[0].isdigit() and head not in terms:
        head = head[1:]
    return head in terms


def _head(sentence: str) -> Term | None:
    parts = _COPULA.split(FOOTNOTE_BLOCK.sub("", sentence, count=1), maxsplit=1)
    return tokenize([parts[0]])[0] if len(parts) == 2 else None
