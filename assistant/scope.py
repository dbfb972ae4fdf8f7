"""Spot near misses: a question naming a place, body or year that the passages an answer cites never mention
("How many rapid reviews did Dorset do?" answered from Somerset's table) is refused, not answered wrongly."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.keyword import NUMBER_WORDS, tokenize
from assistant.schema import Citation, DocumentInfo

if TYPE_CHECKING:  # retrieval imports this module (its name boost: `HybridRetriever._boost_named`)
    from assistant.retrieval import Hit

_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)(?:\s*[-/–]\s*((?:19|20)?\d\d))?\b")
# "outcome 4", "Part one", "chapter 2", "Annex B": a part of a document the question is about; "section 47": a
# section of an Act (of the Children Act 1989, mostly).
_NUMBERS = NUMBER_WORDS[1:11]  # one to ten
_PART = re.compile(rf"(?<![\w'’])(?:(?i:outcome|part|chapter|annex|appendix)\s+(?:\d{{1,2}}|(?i:{'|'.join(_NUMBERS)})"
                   r"|[A-H])|(?P<act>(?i:section)\s+\d{1,3}[A-Z]?))(?![\w'’])")
# A school year group ("a Year 9 girl", "Key Stage 2") says how old a child is, not which place, body or period.
_YEAR_GROUP = re.compile(r"(?<![\w'’])(?:Year|Key Stage)\s+\d{1,2}(?![\w'’])")
_NAME = re.compile(r"(?<![\w'’])([A-Z][a-z]+(?:['’]s)?|[A-Z]{2,6}s?)(?![\w'’])")
# Capitalised words that say nothing about which place, body or period a question is about.
_GENERIC = {
    "a", "an", "and", "any", "are", "can", "could", "did", "do", "does", "for", "has", "have", "how", "i", "if",
    "in", "is", "it", "my", "of", "on", "or", "please", "should", "tell", "the", "to", "was", "we", "what",
    "when", "where", "which", "who", "whom", "whose", "why", "will", "with", "would", "you", "your", "ok",
}


def years(text: str) -> list[str]:
    """The years a text names, a range ("2022-23", "2022/2023", "2022 - 2023") giving both of its years."""
    found: list[str] = []
    for m in _YEAR_RANGE.finditer(text):
        first = int(m.group(1))
        found.append(str(first))
        if m.group(2):
            second = int(m.group(2)) if len(m.group(2)) == 4 else first // 100 * 100 + int(m.group(2))
            if first < second <= first + 5:
                found.append(str(second))
    return found


def question_terms(question: str) -> list[str]:
    """The years, parts ("outcome 4", "Annex B") and names (capitalised words after the first, acronyms) a
    question is specific about.
    Adjacent capitalised words are one name ("Wales Safeguarding Procedures"): a passage naming Wales and,
    elsewhere, safeguarding procedures does not name it. Acronyms stay apart ("UK GDPR Article 6"). An
    acronym the question spells out ("the designated officer (LADO)") is not one: the words say it."""
    terms = years(question)
    parts = [m.span() for m in _PART.finditer(question)]
    terms += [" ".join(question[a:b].split()) for a, b in parts]
    names: list[tuple[str, int, int]] = []  # (name, start, end); a possessive ends a name: "Somerset's LADO"
    groups = [m.span() for m in _YEAR_GROUP.finditer(question)]
    for m in _NAME.finditer(question):
        if any(a <= m.start() < b for a, b in parts + groups):
            continue
        word = re.sub(r"['’]s$", "", m.group(1))
        spelt_out = question[m.start() - 1 : m.start()] == "(" and question[m.end() : m.end() + 1] == ")"
        # A later sentence's first word is capitalised as a sentence's is ("… over the summer. As her teacher, …").
        opens = re.search(r"[.!?]\s+$", question[: m.start()]) and not word.isupper()
        if m.start() == 0 or opens or word.lower() in _GENERIC or (spelt_out and word.isupper()):
            continue
        word = word[:-1] if word[:-1].isupper() and word.endswith("s") else word  # "RPDs" → "RPD"
        if len(word) < 2:
            continue
        follows = bool(names) and question[names[-1][2] : m.start()] == " " and not word.isupper()
        if follows and not names[-1][0].isupper() and question[names[-1][2] - 2 : names[-1][2]] not in ("'s", "’s"):
            names[-1] = (f"{names[-1][0]} {word}", names[-1][1], m.end())
        else:
            names.append((word, m.start(), m.end()))
    terms += [name for name, _, _ in names]
    return list(dict.fromkeys(terms))


def acts_sections(question: str) -> list[str]:
    """The sections of an Act the question names ("section 47")."""
    return [" ".join(m.group(0).split()) for m in _PART.finditer(question) if m.group("act")]


def initials(text: str) -> str:
    """First letters of the words, in order: "designated safeguarding lead" → "dsl"."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", text)).lower()


def mentions(text: str, term: str, text_initials: str | None = None) -> bool:
    """Whether a text mentions the term: as a word, or an acronym spelt by the initials of its words (`initials`
    of the text, if worked out already). A part's number matches in figures or words ("Part 1", "Part one") and not
    as the start of another ("Chapter 10")."""
    words = [re.escape(w) for w in term.split()]
    number = words[-1].lower()
    if number.isdigit() or number in _NUMBERS:
        figure = number if number.isdigit() else str(_NUMBERS.index(number) + 1)
        spelt = _NUMBERS[int(figure) - 1] if 0 < int(figure) <= len(_NUMBERS) else figure
        words[-1] = rf"(?:{figure}|{spelt})(?![\w])"
    if re.search(r"(?<![\w])" + r"\s+".join(words), text, re.IGNORECASE):
        return True
    return term.isupper() and term.lower() in (initials(text) if text_initials is None else text_initials)


def described(info: DocumentInfo, text: str, section: str = "") -> str:
    """A passage's (or a whole document's) text with all it says about itself: its section, its document's title
    and the areas its document applies to (`DocumentInfo.areas`)."""
    return "\n".join([info.title, *info.areas, section, text])


def cited_context(citations: Iterable[Citation] | None, hits: list[Hit]) -> str:
    """Everything the cited passages (all the hits, if citations is None) say about themselves (see
    `described`)."""
    cited = None if citations is None else {(c.document, c.section) for c in citations}
    parts = [described(h.info, h.chunk.text, h.chunk.section)
             for h in hits if cited is None or (h.info.id, h.chunk.section) in cited]
    return "\n".join(dict.fromkeys(parts))


class Named:
    """A text, and what is worked out once to see which years, parts and names it mentions (a passage's is kept by
    the retriever for its name boost)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.years = frozenset(years(text))

    @cached_property
    def text_initials(self) -> str:
        return initials(self.text)

    def mentions(self, term: str) -> bool:
        """Whether it mentions the term (see `mentions`); a year must be among its years."""
        return term in self.years if term.isdigit() else mentions(self.text, term, self.text_initials)

    def mentions_all(self, terms: list[str]) -> bool:
        return all(self.mentions(t) for t in terms)


def calls_by_last_word(text: str, term: str) -> bool:
    """Whether the text calls a body by the last word of its name, as guidance does once it has named it in full
    ("the panel" for the Child Safeguarding Practice Review Panel); not an acronym or a one-word name."""
    words = term.split()
    return len(words) > 1 and not term.isupper() and bool(
        re.search(rf"(?<![\w])the\s+{re.escape(words[-1])}(?![\w])", text, re.IGNORECASE))


ASKING = {"what", "whats", "who", "whom", "whose", "which", "when", "where", "why", "how", "mani", "much", "did", "do",
          "doe", "done", "can", "could", "should", "must", "would", "will", "i", "we", "you", "my", "our", "your",
          "tell", "me", "pleas", "say", "said", "s"}  # stemmed words that ask, and name nothing asked about


def answers_beyond_names(question: str, quotes: list[str]) -> bool:
    """Whether the quotes share a word with the question besides its names, years and parts ("Somerset and Dorset
    have a joint Child Death Overview Panel" names Dorset, and answers nothing of "What is the Dorset safeguarding
    partnership's escalation policy?"); true when the question asks nothing else ("What is Stable Homes?")."""
    named = {w for term in tokenize(question_terms(question)) for w in term}
    asked = {w for w in tokenize([question])[0] if w not in named and w[:-1] not in named} - ASKING  # "rpds"
    return not asked or any(asked & set(tokenize([quote])[0]) for quote in quotes)


def came_forward_by_name(hits: list[Hit], share: float) -> list[Hit]:
    """The hits that rank where they do, and are in scope, only for naming the question's names (see
    `HybridRetriever._boost_named`): without it they score below `share` of the best."""
    if not hits:
        return []
    floor = share * max(h.score - h.named_boost for h in hits)
    return [h for h in hits if h.named_boost and h.score - h.named_boost < floor]


def without_area(question: str, area: str) -> str:
    """The question with the area it names left out ("How do I make a referral in Somerset?" → "How do I make a
    referral?", "What does Somerset's front door do?" → "What does front door do?"); unchanged when it names none."""
    if not area:
        return question
    named = re.compile(rf"(?:\s+(?:in|for|within|across|around|at)(?:\s+the)?)?\s*\b{re.escape(area)}(?:['’]s)?\b",
                       re.IGNORECASE)
    return re.sub(r"\s+([?.!,])", r"\1", named.sub(" ", question)).strip().replace("  ", " ")


def _mentions_itself(hit: Hit, term: str) -> bool:
    return Named(described(hit.info, hit.chunk.text, hit.chunk.section)).mentions(term)


def in_scope(question: str, hits: list[Hit], share: float,
             mentioned: Callable[[Hit, str], bool] | None = None) -> list[Hit]:
    """The hits that mention every year, part and name the question names (see `mentioned`), among those scoring at
    least `share` of the best (any, when it names a part), best first; all the hits when none does or the question
    names none (an answer from those is then refused as a near miss). "How many rapid reviews in 2021-22?" is answered
    from the table that has 2021-22, not the better-ranked prose about rapid reviews; a weak passage that happens to
    name Dorset does not answer "How many rapid reviews did Dorset do?". `mentioned` says whether a hit mentions a
    term (`HybridRetriever.mentions`); by default, whether what it says about itself does (`described`)."""
    # A name that every hit's document applies to ("… in England?" of national guidance) singles out none of them.
    terms = [t for t in question_terms(question) if not all(any(mentions(a, t) for a in h.info.areas) for h in hits)]
    if not hits or not terms:
        return hits
    # A passage in the part of the guidance asked about is what was asked for, however it ranks ("Who is the
    # corporate parent under outcome 4?" below the glossary's definition).
    floor = 0.0 if any(_PART.fullmatch(t) for t in terms) else share * hits[0].score
    mentioned = mentioned or _mentions_itself
    scoped = [h for h in hits if h.score >= floor and all(mentioned(h, t) for t in terms)]
    return scoped or hits
