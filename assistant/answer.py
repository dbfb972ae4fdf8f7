"""Answerers: turn a question and retrieved chunks into text with [n] markers and citations.

The extractive answerer (the default) can only say what the guidance says: it quotes the sentences or
table rows that answer the question, and refuses when the evidence is weak."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import takewhile
from typing import Protocol

import numpy as np

from assistant.actions import asked_action, singular, states_action
from assistant.citations import make_citation
from assistant.definitions import asked_terms, asks_who, defines, names_who, states_purpose
from assistant.embeddings import Embedder
from assistant.keyword import NUMBER_WORDS, tokenize
from assistant.numbered import Item, numbered_item, numbered_items, ordinal_asked
from assistant.parts import second_part
from assistant.retrieval import Hit
from assistant.schema import Chunk, Citation
from assistant.scope import ASKING, acts_sections, mentions, years
from assistant.sentences import split_sentences
from assistant.settings import Settings
from assistant.urgency import is_urgent
from assistant.vocabulary import in_guidance_words
from ingest.loaders import FOOTNOTE_BLOCK

TABLE_SEPARATOR = " | "
SCORED_WORDS = 48
_ASKS_FOR_NUMBER = re.compile(
    r"\b(how many|how much|how often|how long|how soon|how quickly|when|what year|number|percentage|timescales?"
    r"|within)\b", re.I
)
# A question asking for a kind of fact the guidance must state outright: no such fact, no answer.
_ANSWER_TYPES = [
    # "… phone number", "number to call", and a "what/which … number" that ends its phrase ("the out of hours
    # number for …", "what number do I ring"; not "what was the number of RPD forms", "which number golden rule …")
    (re.compile(r"\b(phone|telephone|contact) (number|no)\b|\bnumber (to|for) (call|ring)\b"
                r"|\b(?:what|which)(?:'s|’s)?\b[^?.]*\bnumber(?=\s*(?:[?.!]|$|(?:for|to|do|should|can|could|i|we)\b))",
                re.I),
     re.compile(r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b|\b999\b|\b111\b")),
    (re.compile(r"\be-?mail address\b", re.I), re.compile(r"\S+@\S+\.\w+")),
    (re.compile(r"\b(?:what|which|how many) (?:percentage|proportion|per ?cent|%)", re.I),
     re.compile(r"\d\s?%|\bper ?cent\b|\b(?:half|third|quarter)s?\b", re.I)),
    # (not "the cost of living", a subject rather than an amount asked for)
    (re.compile(r"\b(fees?|costs?(?![- ]of[- ]living)|prices?|salary|how much (does|do|is|will) .* (cost|pay)"
                r"|how much (money|funding|budget|grant))\b", re.I),
     re.compile(r"£\s?\d|\b\d+(\.\d\d)? (pounds|GBP)\b", re.I)),
]
_HAS_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|immediately|annually|monthly|weekly|daily|january"
    r"|february|march|april|june|july|august|september|october|november|december)\b",
    re.I,
)
# Signposts describe the document, not the subject ("This chapter describes the purpose and principles of …",
# "See page 67 for further information.", "See Annex C, which describes …", "See paragraphs 266-267 on how to …",
# "Staff who work directly with children should read this Annex.",
# "Information regarding schools' duties regarding children missing education … can be found in the department's
# statutory guidance: Children Missing Education.",
# "Additional information is available here: …", "This publication has been produced by …"): they share the
# question's words but never answer it.
_SIGNPOST = re.compile(
    r"^\(?(?:\d+\s+)?(?:This|These|The following|Below)\s+(?:\w+\s+){0,3}?(?:chapter|section|part|annex|guidance"
    r"|document|advice|page|table|framework|appendix|paragraphs?)\s+(?:\w+\s+)?(?:describes?|sets? out|explains?"
    r"|covers?|provides?|outlines?|summari[sz]es?|includes?|contains?|gives?|looks at)\b"
    r"|^\(?(?:Refer to|See)\b.*\bfor (?:more|further) (?:information|details)"
    r"|^\(?(?:Refer to|See)\s+(?:pages?|paragraphs?|chapters?|annex|sections?|parts?|appendix|flow ?charts?|tables?)"
    r"\s+\S+"
    r"|\b(?:should|must) read this (?:annex|part|chapter|section|guidance|document|appendix)\b"
    r"|^This (?:publication|document|report|leaflet|booklet) (?:has been|was|is) (?:produced|published|written"
    r"|prepared|developed)\b"
    r"|^(?:Additional|Further|More) (?:information|details|guidance|advice)\b.{0,60}?\b(?:is|are|can be) "
    r"(?:available|found)\b"
    r"|^(?:(?!\band (?:more|further|other|additional)\b).)*?\b(?:can|may) (?:also )?be found (?:in|at|on|via|here)\b",
    re.I,
)
# "If in doubt, seek advice from the LADO.", "If you are unsure how to send or share information securely you should
# contact your manager …": what to do when the rule before it is unclear, never the rule itself.
_FALLBACK = re.compile(r"^(?:If in doubt|If (?:you are|staff are|they are) (?:unsure|uncertain|not sure|in doubt)"
                       r"|If unsure)\b", re.I)
# "For example, it is not necessary for a formal process under section 17 or section 47 … to be invoked …": an
# example of the rule before it ("The sharing of this information is not dependant on any thresholds …"); "In fact,
# …", "As a result of this, …", "In addition, …": a sentence that goes on from the one before it.
_GOES_ON = re.compile(r"^(?:For (?:example|instance)|As an example|In fact|This means|Therefore|As a result|However"
                      r"|In addition|In particular)\b", re.I)
# "This check will not only establish …" for "What check should we get …?": the check asked for is named before it.
_DEMONSTRATIVE = re.compile(r"^(?:This|These|That|Those|Such)\s+([\w'’-]+)")
# A flow chart's boxes, read out as one run without stops ("… (refer to flow chart 3 on immediate protection) Local
# authority children's social care has no concerns … It decides that …"): a new clause starts, capitalised, straight
# after a word or a bracket, twice or more in a long run. Not a sentence anyone wrote.
_BOX_START = re.compile(r"(?<=[a-z0-9)])\s+(?:It|They|The|A|An|If|Where|When|Local|This|He|She|There|Their|Its)\s")
_BOXES_MIN_WORDS = 60
# "the three safeguarding partners", "the 4 Cs": a set of things the question asks to have named.
_NAMED_SET = re.compile(rf"\b(?:the|its|their)\s+({'|'.join(NUMBER_WORDS[2:11])}|\d{{1,2}})\s+(?!\d)\w", re.I)
_ASKS_FOR_SET = re.compile(r"\s*(?:(?:what|which) are|list|name)\b", re.I)  # "What are the golden rules …?"
_ASKS_FOR_MEMBERS = re.compile(r"\s*(?:(?:what|which) are|list|name) (?:all )?(?:the |its |their )?((?:[\w'’-]+ ){0,2}?"
                               r"[\w'’-]+s)\b(?= (?:of|in|for|under|from)\b|\s*\??\s*$)", re.I)
# "What themes came out of the reviews?", "What housing options should care leavers …?": asked for Xs by a plural noun
# before the verb, as "What are the Xs …?" asks for them (not "What counts as …", whose "s" word is the verb).
_ASKS_WHICH_MEMBERS = re.compile(
    r"\s*(?:what|which)\s+((?:(?!(?:is|are|was|were|do|does|did|can|could|should|must|would|will|may|might|has"
    r"|have|the|a|an|to|of|for|in)\b)[\w'’-]+\s+){0,2}?"
    r"(?!(?:is|was|does|has)\b)[\w'’-]+(?<![siu]s)(?<=s))\s+(?=(?:are|were|should|do|did|can|could|must|would|will|may"
    r"|might|have|has|need|came|come|emerged|arose)\b)", re.I)
_ENUMERATION_MARK = re.compile(r"(?<![\w(])\((?:[a-h]|i{1,3}|iv|v|vi{0,3}|\d{1,2})\)\s")
# A quotation ("“The facilitators did an excellent job …”") is someone's feedback, not guidance: it answers a
# question about what people said, and no other.
_QUOTATION = re.compile(r'^\s*[“"]')
# A further-reading list's entry, the title of another publication and who issued it ("Private fostering: local
# authorities – DfE statutory guidance", "Honest information about drugs – Talk to Frank website") or its link's title
# ("Children missing education - GOV.UK (www.gov.uk)"): it names where the answer is, and is one only to a question
# asking where to read more.
_PUBLICATION = re.compile(r"^[^.]{3,160} [–-] (?:[A-Z][\w&,’' ]{0,40} )?(?:statutory guidance|guidance|advice|strategy"
                          r"|website|policy paper|campaign|resources)$"
                          r"|^[^.]{3,160} [–-] [\w.]+ \(www\.[\w.-]+\)\.?$")
_ASKS_FOR_READING = re.compile(
    r"\b(?:resources?|further (?:information|reading|guidance|advice)|more (?:information|guidance|advice)"
    r"|(?:where|what) (?:can|should|could) (?:i|we|staff|schools?) (?:find|read|look)|websites?|leaflets?"
    r"|publications?|reading)\b", re.I)
_ASKS_FOR_VOICES = re.compile(  # not the asker's own "if I think …"
    r"(?<!\bI )(?<!\bwe )\b(?:say|said|says|feedback|views?|voices?|comments?|quotes?|felt|think|thought)\b", re.I)
# "What do I do …?" asks for guidance: of sentences as relevant, one that says what should or must be done, or what
# can be used to do it ("Schools … can use the DfE's Check a teacher's record to make prohibition … checks."),
# answers it, where a case study's narration ("She explained this to her head of year.") only shares its words.
_ASKS_WHAT_TO_DO = re.compile(
    r"\bwhat (?:do|should|must|can|would) (?:i|we|staff|you) (?:\w+ )?do\b|\bwhat to do\b"
    r"|\bwhat (?:should|must|can|would) (?:[\w'’-]+ ){1,3}?do\b"  # "What should a school do if …?"
    r"|\bhow (?:do|should|can|must) (?:i|we)\b|\bwhat (?:action|steps)\b", re.I)
_DIRECTIVE = re.compile(
    r"\b(?:should|must|(?<!the )needs? to|ha(?:ve|s) to|ought to|(?:is|are) required|(?:can|may) use)\b", re.I)
_NARRATION = re.compile(
    r"\b(?:was|were|had|did|told|said|spoke|began|went|saw|reported|explained|wanted|disclosed|decided|agreed)\b",
    re.I)
# "How many rapid reviews …?" is answered by "seven Rapid Reviews", not by any sentence with a number in it.
_HOW_MANY = re.compile(r"\bhow many\s+([\w'-]+(?:\s+[\w'-]+){0,3})", re.I)
# Words that end what a "how many" question counts: the verb or preposition after it ("How many people went on …?");
# besides these, any word ending "-ed" ("How many practitioners attended …?").
_ENDS_COUNTED = {"did", "do", "does", "were", "was", "are", "is", "have", "has", "had", "got", "get", "will", "would",
                 "can", "could", "must", "should", "there", "in", "of", "at", "on", "for", "from", "against", "with",
                 "by", "now", "r", "to", "that", "this", "between", "per", "each",
                 "went", "go", "goes", "gone", "came", "come", "comes", "took", "take", "takes", "taken", "attend",
                 "attends", "use", "uses", "receive", "receives", "need", "needs", "made", "make", "makes", "gave",
                 "give", "gives", "given", "saw", "see", "sees", "seen", "sent", "send", "sends", "told", "tell",
                 "tells", "said", "say", "says", "met", "meet", "meets", "left", "leave", "leaves", "join", "joins",
                 "complete", "completes", "apply", "applies", "access", "accesses", "became", "become", "becomes",
                 "knew", "know", "known", "heard", "hear", "held", "hold", "holds", "kept", "keep", "keeps", "ran",
                 "run", "runs", "wrote", "write", "writes", "written", "showed", "show", "shows"}
_SOME = {"than", "least"}  # "more than one X", "at least one X": that there are X, not how many
_ANYONE = set(tokenize(["people person persons individuals"])[0])  # counted: whoever did what was asked
# Who "how many people …" may count: "over 200 practitioners", "96 others".
_PEOPLE = set(tokenize(["people person individuals practitioners staff professionals attendees delegates participants "
                        "members colleagues others parents carers children families pupils students"])[0])
# Counting words tokenize leaves as words ("seven" is read as "7"), as stemmed: "twenti", "hundr".
_COUNT_WORDS = set(tokenize(["twenty thirty forty fifty hundred thousand"])[0])
# "Which outcome deals with harm outside the home?" asks for a part of the guidance by its name: the heading of the
# answer's section that starts with that word ("Outcome 3: children and young people are safe in and outside of
# their homes") is the answer, and is given first.
_ASKS_WHICH_PART = re.compile(
    r"\b(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|can|should|must|will|would|the|a|an)\b)[\w'’-]+\s+)"
    r"{0,3}?(outcome|part|section|chapter|annex|appendix|principle|enabler|golden rule|rule|stage)s?\b", re.I)
# "What toolkit should I use for neglect?" asks for a toolkit: a sentence that names one ("… the Family Strengths and
# Needs toolkit …") answers it, where a definition of neglect only shares its other word. The noun before the verb
# is the kind of thing asked for.
_ASKS_WHAT_KIND = re.compile(
    r"\b(?:what|which)\s+(?:(?:kinds?|types?|sorts?) of\s+)?((?:(?!(?:is|are|was|were|do|does|did|can|could|should"
    r"|must|would|will|has|have|the|a|an|to|of|for|in)\b)[\w'’-]+\s+){1,3}?)(?:should|do|does|did|can|could|must"
    r"|would|will|is|are|was|were|has|have)\b", re.I)
# "When / how long / how soon … to publish the report?": the time the asked thing is to be done in.
_ASKS_WHEN = re.compile(r"(?:^|[.?!]\s+)when\b|\b(?:when (?:do|does|did|should|must|will|would|can|could|is|are|was"
                        r"|were|has|have)|how long|how soon|how quickly|by when|deadline|timescales?)\b", re.I)
_MONTHS = "january february march april may june july august september october november december".split()
_TIME_SPAN = re.compile(  # with the words that make it a limit ("no later than six months")
    r"\b(?:(?:within|by|no later than|not later than|at least|at most|up to|after|before|for|of|in)\s+(?:the\s+)?)?"
    rf"(?:(?:\d{{1,3}}|{'|'.join(NUMBER_WORDS[1:])}|twenty[- ]\w+)\s+(?:working\s+|calendar\s+|school\s+)?"
    rf"(?:hours?|days?|weeks?|months?|years?)|end of (?:{'|'.join(_MONTHS)})|immediately|without delay"
    r"|as soon as (?:possible|practicable))\b", re.I)
_AUXILIARIES = {"have", "has", "had", "may", "might", "get", "got"}  # "have to publish": publish
TIMED_WORDS = 4  # the asked thing's word this close to a time states when it is done ("published by the end of …")
_NUMBERED_HEADING = re.compile(r"\d{1,2}[.)]\s")
INTRODUCING_WORDS = 3  # a heading ending in ":" this long or longer introduces its chunk's lines
LIST_ITEMS = 8  # most lines of a list quoted after the sentence that introduces it
LIST_WORDS = 100
_PARAGRAPH = re.compile(r"\d{1,3}\.\s+[A-Z]")  # a numbered paragraph, or item ("1. Manage internally")
SHORT_LIST = 3  # a list this short is quoted whole after its lead-in, not only the item that answers (see with_lead_in)
SHORT_LIST_WORDS = 150  # and this long at most: its items may be long ("in the event of a concern/allegation …")


@dataclass
class Draft:
    """What an answerer produces; the Assistant adds the notice, refusal text and ids."""

    text: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    evidence: float = 0.0


class Answerer(Protocol):
    def compose(self, question: str, vector: np.ndarray, hits: list[Hit]) -> Draft: ...


@dataclass
class Candidate:
    hit_index: int
    quote: str  # what the answer shows and the citation quotes (a table row comes with its header)
    scored_text: str  # what is compared with the question
    page: int | None
    position: int
    header: str | None = None  # the header row, when the candidate is a table row
    line: int = 0  # the line of its chunk it comes from (negative: of the chunk before, see `with_lead_in`)
    items: int = 0  # lines of a list quoted after it (see `with_list`)
    footnote: bool = False  # from a footnote ("Footnote 15: … 16 Working Together … sets out …"), any sentence of it
    lead_line: int | None = None  # the line of the sentence that introduces it, quoted before it (see `with_lead_in`)
    after: int | None = None  # the position of the sentence it follows in its chunk, footnotes skipped; -1: first
    last: bool = False  # the last sentence of its chunk, where footnotes come after it and end the chunk
    hollow: bool = False  # introduces a list that is not there ("… defined in legislation as follows:" ⏎ "38. …")
    other_period: bool = False  # a table row for another period than the question asks about (see `_of_other_period`)
    counts_asked: bool = False  # gives a count of what a "how many" question counts (see `_counts`)
    times_asked: bool = False  # gives the time of what a "when" question asks about (see `_times`)
    aside: bool = False  # answers nothing (see `_answers_nothing`), or quotes someone whose words were not asked for


# "Early help may be appropriate for … It is a voluntary approach, requiring the family’s consent …": the sentence
# opening with "It" speaks of what the sentence before it opens with, and is scored as saying so.
_PRONOUN_OPENING = re.compile(r"^(?:It|They)\s+(?=(?:is|are|was|were|may|might|should|must|can|could|will|would|has"
                              r"|have|does|do)\b)")
_SUBJECT = re.compile(r"^(?:(?:The|A|An)\s+)?((?:[A-Z][\w’'-]*)(?:\s+[\w’'-]+){0,4}?)\s+(?:is|are|was|were|may"
                      r"|might|should|must|can|could|will|would|has|have|does|do)\b")
# "It is not appropriate for the proprietor to …", "It is important that …": an "it" standing for nothing said before.
_DUMMY_IT = re.compile(r"^It\s+(?:is|was|will be|would be|may be|can be|could be)\s+(?:not\s+)?(?:\w+\s+){0,2}?"
                       r"(?:for|to|that|whether|if)\b")
_NOT_SUBJECTS = {"If", "When", "Where", "Whilst", "While", "This", "These", "That", "Those", "It", "They", "There",
                 "As", "In", "For", "However", "Although", "Once", "After", "Before", "Some", "All", "Any", "Each"}


def _resolved(sentence: str, before: str | None) -> str:
    """The sentence as scored: an opening "It" or "They" replaced by the subject the sentence before it opens with,
    where that is capitalised ("Early help may …", "Local authorities should …", "The National Framework is …")."""
    opening = None if _DUMMY_IT.match(sentence) else _PRONOUN_OPENING.match(sentence)
    subject = _SUBJECT.match(before) if opening and before else None
    if not subject or subject.group(1).split()[0] in _NOT_SUBJECTS:
        return sentence
    return f"{subject.group(1)} {sentence[opening.end():]}"


def candidates_from(hits: list[Hit]) -> list[Candidate]:
    """Sentences of each retrieved chunk; table rows whole, each with the table's header row."""
    out: list[Candidate] = []
    for hit_index, hit in enumerate(hits):
        lines = quotable_lines(hit)
        led = len(lines) - hit.chunk.text.count("\n") - 1  # 1 when the heading leads the chunk's lines
        pages = [hit.chunk.page_start] * led + (hit.chunk.line_pages or [hit.chunk.page_start] * (len(lines) - led))
        header: str | None = None
        position = 0
        first = len(out)
        previous = -1  # the last sentence or row that is no footnote's
        rows = table_rows(lines, hit.chunk.kind == "table")
        for line_no, line in enumerate(lines):
            page = pages[line_no] if line_no < len(pages) else hit.chunk.page_start
            if rows[line_no]:
                if header is None:
                    header = line
                    continue
                quote = f"{header}\n{line}"
                out.append(Candidate(hit_index, quote, f"{header} {line}", page, position, header, line_no,
                                     after=previous))
                previous = position
                position += 1
                continue
            header = None
            footnote = bool(FOOTNOTE_BLOCK.match(line))
            for sentence in split_sentences(line):
                if len(sentence.split()) < 4:
                    # "These are:" introduces the list after it for the sentence before it, and is quoted with it
                    if sentence.endswith(":") and len(out) > first and out[-1].line == line_no and not footnote:
                        out[-1].quote = f"{out[-1].quote} {sentence}"
                    continue
                before = (out[-1].quote if len(out) > first and not footnote and not out[-1].footnote
                          and out[-1].header is None else None)
                out.append(Candidate(hit_index, sentence, _resolved(sentence, before), page, position, line=line_no,
                                     footnote=footnote, after=None if footnote else previous))
                if not footnote:
                    previous = position
                position += 1
        if any(c.footnote and c.position > previous for c in out[first:]):  # the page's footnotes end the chunk
            for c in out[first:]:
                c.last = c.position == previous
    return out


def quotable_lines(hit: Hit) -> list[str]:
    """A chunk's lines, led by its heading when the heading introduces them ("Our Executive are:", "Identified
    learning … included the following themes:"): the heading is then the sentence that introduces a list, and is
    quoted with it."""
    lines = hit.chunk.text.split("\n")
    lead = hit.chunk.heading.strip()
    if hit.chunk.kind == "table" or not lead.endswith(":") or len(lead.split()) < INTRODUCING_WORDS:
        return lines
    return [lead, *lines]


def table_rows(lines: list[str], table: bool) -> list[bool]:
    """Which lines are a table's (its header, then its rows): every line of a table chunk; elsewhere a run of two
    or more lines with cells. A lone line with " | " is prose whose footnote carries a link's title ("… 10 step
    guide to sharing information | ICO"), and must stay a sentence the answerer can quote; footnotes carrying link
    titles ("Footnote 12: Lawful basis for processing | ICO") stay footnotes, however many follow one another."""
    cells = [bool(line.strip()) and (table or (TABLE_SEPARATOR in line and not FOOTNOTE_BLOCK.match(line)))
             for line in lines]
    return [c and (table or (i > 0 and cells[i - 1]) or (i + 1 < len(cells) and cells[i + 1]))
            for i, c in enumerate(cells)]


def _chunk_lines(chunk: Chunk | None) -> tuple[list[str], list[bool]]:
    """A neighbouring chunk's lines and which of them are a table's (none for no chunk): where a list runs on."""
    if chunk is None:
        return [], []
    lines = chunk.text.split("\n")
    return lines, table_rows(lines, chunk.kind == "table")


def _short_list(lines: list[str], rows: list[bool]) -> list[str] | None:
    """The list's lines when it is short (`SHORT_LIST` lines, up to `SHORT_LIST_WORDS` words), to be quoted whole;
    None for a longer one."""
    items = _list_items(lines, rows, SHORT_LIST_WORDS)
    return items if len(items) <= SHORT_LIST else None


def with_list(candidate: Candidate, hits: list[Hit]) -> Candidate:
    """A sentence that introduces a list ("… one of the following conditions:") comes with the list's lines,
    since the answer is in them; up to a blank line, a table, a heading-like line, or a footnote (see `_list_items`;
    a short list, `SHORT_LIST` lines, may run to `SHORT_LIST_WORDS` words). A list whose
    sentence ends its chunk (only footnotes after it) is read from the start of the section's next chunk ("A local
    protocol should:" ⏎ "be consistent with the requirements of this statutory guidance" …), and one that runs to
    its chunk's end is read on into that chunk ("… the three distinct functions …:" ⏎ two of them ⏎ the third)."""
    hit = hits[candidate.hit_index]
    lines = quotable_lines(hit)
    if not _introduces(candidate, lines):
        return candidate
    after, rows = _lines_after(candidate, hits)
    if hit.next_chunk is not None and after == lines[candidate.line + 1 :] and len(_list_items(after, rows)) == len(
            after):  # the list runs to its chunk's end: it may go on in the next
        more, more_rows = _chunk_lines(hit.next_chunk)
        after, rows = [*after, *more], [*rows, *more_rows]
    short = _short_list(after, rows)  # a short list comes whole, as after one of its items (with_lead_in)
    items = short if short is not None else _list_items(after, rows)
    if not items:
        return candidate
    return replace(candidate, quote="\n".join([candidate.quote, *items]), items=len(items))


def _lines_after(candidate: Candidate, hits: list[Hit]) -> tuple[list[str], list[bool]]:
    """The lines after the candidate's, and which of them are a table's: the rest of its chunk or, where only
    footnotes follow it there, the section's next chunk, or at a section's end the headings of the sections under
    it that follow (see `Hit.subsections`)."""
    hit = hits[candidate.hit_index]
    lines = quotable_lines(hit)
    after = lines[candidate.line + 1 :]
    if all(FOOTNOTE_BLOCK.match(line.strip()) for line in after):
        if hit.next_chunk is None:  # the section ends: a list set out as the sections under it
            headings = _numbered_run(hit.subsections)
            return headings, [False] * len(headings)
        return _chunk_lines(hit.next_chunk)
    return after, table_rows(lines, hit.chunk.kind == "table")[candidate.line + 1 :]


def _numbered_run(headings: list[str]) -> list[str]:
    """The headings, or where the first is numbered ("1. Manage internally"), the run of numbered ones: the
    sections after it ("Considering bail conditions") are not items of the list."""
    numbered = bool(headings) and _NUMBERED_HEADING.match(headings[0])
    return list(takewhile(_NUMBERED_HEADING.match, headings)) if numbered else headings


def _hollow(candidate: Candidate, hits: list[Hit]) -> bool:
    """Whether the candidate introduces what follows and nothing follows it in its section, or only another such
    sentence ("… defined in legislation as follows:" ⏎ "38. These three partners have a joint … duty to:")."""
    if not _introduces(candidate, quotable_lines(hits[candidate.hit_index])):
        return False
    after, rows = _lines_after(candidate, hits)
    for line, row in zip(after, rows, strict=True):
        if row or not FOOTNOTE_BLOCK.match(line.strip()):
            return not row and line.strip().endswith(":")
    return True


def _introduces(candidate: Candidate, lines: list[str]) -> bool:
    """Whether the candidate is a sentence ending its line with a colon: it introduces the lines after it."""
    quote = candidate.quote.rstrip()
    return candidate.header is None and quote.endswith(":") and lines[candidate.line].rstrip().endswith(quote)


def _list_items(lines: list[str], rows: list[bool], most_words: int = LIST_WORDS) -> list[str]:
    """The lines of a list, from its first: up to a blank line, a table (`rows`; a footnote's link title is no
    table), a heading-like line, a footnote, a numbered paragraph ("337. When a serious incident …") after items
    that are not numbered or a line opening a sentence after items that do not ("section 7 of the … Act 1970, …" ⏎
    "It applies to all children …"), and at most LIST_ITEMS lines and about `most_words` words."""
    items: list[str] = []
    words = 0
    for line, row in zip(lines, rows, strict=True):
        line = line.strip()
        words += len(line.split())
        if (not line or row or line.endswith(":") or FOOTNOTE_BLOCK.match(line)
                or len(items) == LIST_ITEMS or words > most_words
                or (items and _PARAGRAPH.match(line) and not _PARAGRAPH.match(items[0]))
                or (line[:1].isupper() and items and all(item[:1].islower() for item in items))):
            break
        items.append(line)
    return items


def with_lead_in(candidate: Candidate, hits: list[Hit]) -> Candidate:
    """A list's item that does not read as a sentence on its own ("review filtering and monitoring provision at
    least annually.") comes after the sentence that introduces its list ("Governing bodies and proprietors
    should:"), which says who does it; the lines between are left out ("…"). A short list (`SHORT_LIST` lines) comes
    whole: the supervision a volunteer needs "must be:" ⏎ "by a person who is in regulated activity …" ⏎ "regular
    and day to day, and" ⏎ "reasonable in all the circumstances …". A list split between two chunks is read back
    into the section's chunk before (`lead_line` is then negative)."""
    hit = hits[candidate.hit_index]
    lines = quotable_lines(hit)
    line = lines[candidate.line].strip()
    if candidate.header is not None or not line.startswith(candidate.quote.strip()) or not line[:1].islower():
        return candidate
    earlier, earlier_rows = _chunk_lines(hit.previous_chunk)
    before = [*earlier, *lines[: candidate.line]]
    for line_no in range(len(before) - 1, max(len(before) - 1 - LIST_ITEMS, -1), -1):
        previous = before[line_no].strip()
        if not previous or FOOTNOTE_BLOCK.match(previous):
            return candidate
        if previous.endswith(":"):
            lead = split_sentences(previous)[-1]
            if not lead[:1].isupper() or len(lead.split()) < INTRODUCING_WORDS:  # an item itself; "In addition:"
                return candidate
            start = line_no - len(earlier)  # the lead-in's line in this chunk (negative: in the one before)
            later, later_rows = _chunk_lines(hit.next_chunk)  # it may run on there
            rows = [*earlier_rows, *table_rows(lines, hit.chunk.kind == "table"), *later_rows]
            items = _short_list([*earlier, *lines, *later][line_no + 1 :], rows[line_no + 1 :])
            if items is not None and start + len(items) >= candidate.line:  # the item is among them
                return replace(candidate, quote="\n".join([lead, *items]), line=start, items=len(items))
            gap = "\n" if line_no == len(before) - 1 else " … "
            return replace(candidate, quote=f"{lead}{gap}{candidate.quote}", lead_line=start)
    return candidate


def named_part(question: str, hit: Hit) -> str | None:
    """The heading of the hit's section, or of a section it is in, that names the part of the guidance the question
    asks for ("which outcome …" → "Outcome 3: children and young people are safe …"); None if it asks for none."""
    asked = _ASKS_WHICH_PART.search(question)
    if not asked:
        return None
    word = asked.group(1).lower()
    return next((h for h in reversed(hit.chunk.headings)  # "Outcome 3: …", "Part two: …"; not a bare "Outcome"
                 if re.match(rf"{re.escape(word)}s?\b\W*\w", h, re.I)), None)


def asks_what_to_do(question: str) -> bool:
    """Whether the question asks what should be done ("what should I do …?", "how do I …?")."""
    return bool(_ASKS_WHAT_TO_DO.search(question))


def asks_for_guidance(question: str) -> bool:
    """Whether the question asks what should be done, said or, as an urgent account does, unsaid."""
    return asks_what_to_do(question) or is_urgent(question)


def directs(text: str) -> bool:
    """Whether the text says what should or must be done, or what can be used to do it."""
    return bool(_DIRECTIVE.search(text))


def _answers_nothing(candidate: Candidate) -> bool:
    """A signpost ("See page 67 for further information."), any sentence of a footnote ("Footnote 206: Children Act
    2004 …") or a sentence carrying footnotes' link titles ("Lawful basis for processing | ICO"), which point at
    other material; a sentence introducing a list that is not there; or a question of its own ("Flow chart 6: What
    happens after the child protection conference, including review?", a survey's "How useful are different methods
    …?"), which shares the words of the question asked and answers none of it; a flow chart's boxes run together; or
    a table row for another period than the one asked about. Quoted only when nothing in the passage answers as
    well, and never as the sentence after the answer."""
    quote = candidate.quote
    prose = candidate.header is None
    link_titles = prose and TABLE_SEPARATOR in quote
    asks = prose and quote.rstrip().endswith("?")
    return (bool(_SIGNPOST.search(quote)) or candidate.footnote or link_titles or asks or candidate.hollow
            or candidate.other_period or (prose and _boxes(quote)))


def _of_other_period(candidate: Candidate, asked_years: set[str]) -> bool:
    """Whether the candidate is a table row for a period other than the one asked about: "2021 - 2022 | 6" for "How
    many rapid reviews in 2022-23?". (A row is one period; a sentence may name several, and is left alone.)"""
    if candidate.header is None or not asked_years:
        return False
    named = set(years(candidate.quote.split("\n")[-1]))
    return bool(named) and not asked_years <= named


def _boxes(quote: str) -> bool:
    """Whether a "sentence" is a flow chart's boxes run together (see `_BOX_START`)."""
    return len(quote.split()) >= _BOXES_MIN_WORDS and len(_BOX_START.findall(quote)) >= 2


def _quotes_someone(candidate: Candidate) -> bool:
    """Whether the candidate is a quotation: a practitioner's or a young person's words, as a report cites them."""
    return candidate.header is None and bool(_QUOTATION.match(candidate.quote))


def _names_publication(candidate: Candidate) -> bool:
    """Whether the candidate is a further-reading list's entry (see `_PUBLICATION`)."""
    return candidate.header is None and bool(_PUBLICATION.match(candidate.quote))


def _narrates(candidate: Candidate) -> bool:
    """Whether the candidate narrates what was done (past tense, no "should" or "must"), as a case study does."""
    return not directs(candidate.scored_text) and bool(_NARRATION.search(candidate.scored_text))


def _form(candidates: list[Candidate], doer: str | None = None) -> np.ndarray:
    """+1 for a sentence saying what should or must be done, or what the `doer` asked about does ("Practitioners bring
    the family network together …" for "What should practitioners do …?": the National Framework sets out what is
    expected so), -1 for one narrating what was done, 0 otherwise. An aside (a footnote: "Footnote 31: … appropriate
    steps should be taken to ensure that …") says nothing to do."""
    acts = _acting(doer) if doer else None
    return np.array([0.0 if c.aside else 1.0 if directs(c.scored_text) or (acts and acts.match(c.quote))
                     else -1.0 if _narrates(c) else 0.0 for c in candidates])


@lru_cache(maxsize=256)
def _acting(doer: str) -> re.Pattern[str]:
    """A sentence opening with the doer and a verb in the present tense ("Practitioners bring …")."""
    return re.compile(rf"^(?:(?:The|A|An|All)\s+)?(?:[\w'’-]+\s+){{0,3}}?{re.escape(singular(doer))}s?\s+"
                      r"(?!(?:was|were|had|did|is|are|has|have)\b)[a-z]+(?<!ed)\b", re.I)


_ASKS_WHAT_SOMEONE_DOES = re.compile(r"\bwhat (?:should|must) (?:the |a |an |all )?((?:[\w'’-]+ ){0,2}?[\w'’-]+) do\b",
                                     re.I)


def _picking(scores: np.ndarray, candidates: list[Candidate], form: np.ndarray | None = None) -> np.ndarray:
    """The scores the best candidate is picked by: the form the question asks for (see `_form`) picks among the
    relevant, and so does the time of what a "when" question asks about, over any other time; neither adds to the
    evidence."""
    form = np.zeros(len(candidates)) if form is None else form
    return scores + 0.1 * form + 0.1 * np.array([c.times_asked for c in candidates])


def _asked_doer(question: str) -> str | None:
    """Who a "What should practitioners do …?" question asks about ("practitioners"); not "I", "we" or "you"."""
    asked = _ASKS_WHAT_SOMEONE_DOES.search(question)
    doer = asked.group(1).split()[-1] if asked else None
    return None if doer is None or doer.lower() in {"i", "we", "you", "they"} else doer


def _asked_thing(question: str) -> str | None:
    """The stem of the kind of thing a question asks for ("What check …?" → check), or of what it asks about ("What is
    the Prevent duty?" → duti)."""
    terms = asked_terms(question)
    return asked_kind(question) or (_singular(terms[0][-1]) if terms and terms[0] else None)


def _refers_back_to(quote: str, asked: str | None) -> bool:
    """Whether the quote opens by pointing back to a thing of the asked kind, or the thing asked about ("This check …"
    for "What check …?", "This duty is known as the Prevent duty." for "What is the Prevent duty?"): the sentence
    before it says which. Any other "This …" is quoted alone: the sentence before it may be about something else."""
    pointed = _DEMONSTRATIVE.match(quote)
    stems = tokenize([pointed.group(1)])[0] if pointed and asked else []
    return bool(stems) and _singular(stems[0]) == asked


def _counted(question: str) -> str | None:
    """The stem of what a "how many" question counts: "how many rapid reviews did …" → "review"."""
    asked = _HOW_MANY.search(question)
    if not asked:
        return None
    head = None
    for word in asked.group(1).split():
        if word.lower() in _ENDS_COUNTED or word.lower().endswith("ed"):
            break
        head = word
    stems = tokenize([head])[0] if head else []
    return _singular(stems[-1]) if stems else None


def _timed(question: str) -> set[str]:
    """The stems of what a "when / how long" question asks the time of ("When do safeguarding partners have to
    publish their yearly report?" → safeguard, partner, publish, year, report); none for any other question."""
    if not _ASKS_WHEN.search(question):
        return set()
    return set(tokenize([_ASKS_WHEN.sub(" ", question)])[0]) - ASKING - _AUXILIARIES


def _times(timed: set[str], candidate: Candidate) -> bool:
    """Whether the candidate gives a time with the asked thing's word beside it ("should be submitted and published
    by the end of September"; "Notifications should be sent within five working days" for "be notified"), not a
    time of something else ("send a copy … seven working days before the date of publication")."""
    text = candidate.quote
    for span in _TIME_SPAN.finditer(text):
        near = tokenize([" ".join(text[: span.start()].split()[-TIMED_WORDS:]
                                  + text[span.end():].split()[:TIMED_WORDS])])[0]
        if any(_names_asked(word, timed) for word in near):
            return True
    return False


def _names_asked(stem: str, asked: set[str]) -> bool:
    """Whether a stem is an asked one, or a noun's made from it, which stems shorter ("notifications" → notif, for
    "notified" → notifi; not "referrals" → referr, for "references" → refer)."""
    return stem in asked or (len(stem) >= 5 and any(a.startswith(stem) for a in asked))


def _listed(question: str) -> int | None:
    """How many things a question naming a set of them asks for: "Who are the three safeguarding partners?" → 3;
    none for a count asked ("How many …") or no set named."""
    if _HOW_MANY.search(question):
        return None
    named = _NAMED_SET.search(question)
    if not named:
        return None
    number = named.group(1).lower()
    return int(number) if number.isdigit() else NUMBER_WORDS.index(number)


def _enumerates(candidate: Candidate, hits: list[Hit]) -> int:
    """How many things the candidate lists: marked in its sentence ("(a) the local authority, (b) …"), or as the
    lines of the list it introduces."""
    return max(len(_ENUMERATION_MARK.findall(candidate.quote)), len(_introduced_items(candidate, hits)))


def _introduced_items(candidate: Candidate, hits: list[Hit]) -> list[str]:
    """The lines of the list the candidate introduces (see `_list_items`); none when it introduces none."""
    if not _introduces(candidate, quotable_lines(hits[candidate.hit_index])):
        return []
    return _list_items(*_lines_after(candidate, hits))


def _lists_members(candidate: Candidate, hits: list[Hit]) -> bool:
    """Whether the candidate introduces a list of two or more things, not of what people said ("Practitioner
    feedback on the Child Exploitation Screening tool included:" ⏎ "“I think it is an invaluable tool …”" lists no
    tools)."""
    items = _introduced_items(candidate, hits)
    return len(items) >= 2 and not any(_QUOTATION.match(item) for item in items)


def asked_members(question: str) -> str | None:
    """The stem of what a "What are the Xs …?" / "List the Xs" question asks to have listed: "What are the outcomes in
    the National Framework?" → "outcom"; none for a count named ("the four outcomes": see `_listed`)."""
    asked = _ASKS_FOR_MEMBERS.match(question) or _ASKS_WHICH_MEMBERS.match(question)
    if not asked or _listed(question):
        return None
    stems = tokenize([asked.group(1)])[0]
    return _singular(stems[-1]) if stems else None


def asked_kind(question: str) -> str | None:
    """The stem of the kind of thing a "what X …?" question asks for: "what toolkit should I use …" → "toolkit". Not
    a part of the guidance ("which outcome is …"): its heading names that (see `named_part`)."""
    asked = _ASKS_WHAT_KIND.search(question)
    if not asked or _ASKS_WHICH_PART.search(asked.group(0)):
        return None
    stems = tokenize([asked.group(1)])[0]
    return _singular(stems[-1]) if stems else None


def _singular(stem: str) -> str:
    return stem[:-1] if stem.endswith("s") and len(stem) > 3 else stem  # "rpds" as "RPD'S" tokenises: "rpd"


def _counts(stem: str, candidate: Candidate, terms: list[str], required: bool = False) -> bool:
    """Whether the candidate (whose tokens are `terms`) gives a number of them: "seven Rapid Reviews", "558
    people were trained", or a table row with a number under a header naming them; for people, a number of anyone
    ("over 200 practitioners"). "More than one emergency contact number" (see `_SOME`) answers only how many are
    `required` ("How many emergency contacts should a school hold?"), not how many there were ("How many contacts
    did the front door receive?")."""
    if candidate.header is not None:
        named = {_singular(w) for w in tokenize([candidate.header])[0]}
        return stem in named and any(ch.isdigit() for ch in candidate.quote.split("\n")[-1])
    words = [_singular(w) for w in terms]
    named = _PEOPLE if stem in _ANYONE else {stem}
    return any((w[0].isdigit() or w in _COUNT_WORDS) and named & set(words[i + 1 : i + 4])
               and (required or not (w == "1" and i > 0 and words[i - 1] in _SOME))
               for i, w in enumerate(words))


def _has_asked_for_kind(question: str, candidates: list[Candidate]) -> bool:
    """False when the question asks for a phone number, email or amount and no candidate holds one, or for a count
    of something ("How many contacts did the front door receive?") that no candidate gives: another count ("the
    three children", child deaths for child protection plans) is no answer. A count of people is any count of
    those who did what was asked ("How many people were trained …?": "2022-23 Number Trained … 558")."""
    for asks, holds in _ANSWER_TYPES:
        if asks.search(question):
            return any(holds.search(c.quote) for c in candidates)
    counted = _counted(question)
    if counted and counted not in _ANYONE:
        return any(c.counts_asked for c in candidates)
    return True


class _Citations:
    """An answer's citations, numbered in order of first use: one for each passage and page, later quotes from it
    joined to its quote."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.cited: list[Citation] = []
        self.numbers: dict[tuple[int, int | None], int] = {}  # (hit, page) → number

    def cite(self, hit_index: int, quote: str, page: int | None, row: str | None = None) -> int:
        """The number citing the quote. `row`: the quote is a row of the table quoted just before it, and only the
        row (without the header) is added on a line of its own."""
        key = (hit_index, page)
        if key not in self.numbers:
            self.numbers[key] = len(self.cited) + 1
            self.cited.append(make_citation(self.numbers[key], self.hits[hit_index], quote, page))
        else:
            citation = self.cited[self.numbers[key] - 1]
            citation.quote = f"{citation.quote} … {quote}" if row is None else f"{citation.quote}\n{row}"
        return self.numbers[key]

    def first_from(self, hit_index: int) -> int | None:
        """The number of the first citation from the passage, if any."""
        return next((n for (index, _), n in self.numbers.items() if index == hit_index), None)


def _named_by_heading(candidate: Candidate, hits: list[Hit]) -> int | None:
    """How many things the best candidate names when it is a heading introducing them by their count ("The Seven
    golden rules for sharing information …:" best answers "What are the golden rules of information sharing?"; a
    question asking something of them, "golden rules information sharing - is consent needed?", asks for no set)."""
    heading = hits[candidate.hit_index].chunk.heading.strip()
    return _listed(heading) if heading.endswith(":") and candidate.quote.strip() == heading else None


def _numbered_draft(items: list[Item], hits: list[Hit], hit_index: int, evidence: float) -> Draft:
    """The numbered items' first sentences, in order, after the heading that introduces them ("The Seven golden rules
    for sharing information …:"), each cited; one citation for each passage and page."""
    citations = _Citations(hits)
    lines = []
    heading = hits[hit_index].chunk.heading
    if heading.rstrip().endswith(":"):
        lines.append(f"{heading} [{citations.cite(hit_index, heading, hits[hit_index].chunk.page_start)}]")
    for item in items:
        quote = f"{item.number}. {item.sentence}"
        lines.append(f"{quote} [{citations.cite(item.hit_index, quote, item.page)}]")
    return Draft(text="\n".join(lines), answered=True, citations=citations.cited, evidence=evidence)


def _opening(question: str, candidates: list[Candidate], best: int, hits: list[Hit], n: int) -> list[int]:
    """For "What is X?" that no sentence defines, when the best sentence's passage is headed X ("Operation
    Encompass"; an acronym after it in brackets set aside): the passage's first sentences, which introduce X, where
    its best-scoring ones may skip what X does for what names it ("Operation Encompass does not replace …"); none
    otherwise."""
    terms = asked_terms(question)
    if not terms or any(defines(terms, c.scored_text) or states_purpose(terms, c.scored_text) for c in candidates):
        return []
    b = candidates[best]
    headings = hits[b.hit_index].chunk.headings
    heading = tokenize([re.sub(r"\s*\([^)]*\)", "", headings[-1])])[0] if headings else []
    if heading not in terms:
        return []
    own = sorted((i for i, c in enumerate(candidates) if c.hit_index == b.hit_index and not c.aside),
                 key=lambda i: candidates[i].position)
    return own[:n] if own and candidates[own[0]].position == 0 else []  # its opening, not what is left of it


class ExtractiveAnswerer:
    """Picks the 1–3 best, non-redundant sentences (MMR) and cites each; refuses on weak evidence."""

    def __init__(self, settings: Settings, embedder: Embedder, cache_size: int = 20000) -> None:
        self.settings = settings
        self.embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, cached; a long sentence is judged by its first words (it is far cheaper)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            clipped = [" ".join(t.split()[:SCORED_WORDS]) for t in missing]
            for text, vector in zip(missing, self.embedder.encode(clipped, batch_size=64), strict=True):
                self._cache[text] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, self.embedder.dimensions))

    def score(self, question: str, vector: np.ndarray, hits: list[Hit]) -> tuple[list[Candidate], np.ndarray]:
        """Each candidate's score: similarity to the question, shared keywords and its chunk's standing."""
        candidates = candidates_from(hits)
        if asks_for_guidance(question):  # a narration of what was done (a case study) never answers what to do
            candidates = [c for c in candidates if not _narrates(c)]
        if not candidates:
            return [], np.zeros(0)
        asked_years = set(years(question))
        for c in candidates:
            c.hollow = c.quote.rstrip().endswith(":") and _hollow(c, hits)
            c.other_period = _of_other_period(c, asked_years)
        q_terms = set(tokenize([question])[0])
        c_terms = tokenize([c.scored_text for c in candidates])
        # The guidance's words for the question's everyday ones count as the question's, as in keyword search ("keep
        # a secret": "never promise confidentiality"); shared as a share of the question's own words.
        shared = set(tokenize([in_guidance_words(question)])[0])
        overlap = np.array([min(1.0, len(shared & set(t)) / len(q_terms)) if q_terms else 0.0 for t in c_terms])
        chunk_sim = np.array([hits[c.hit_index].similarity for c in candidates])
        rank = np.array([1.0 / (1 + c.hit_index) for c in candidates])
        # What the question asks for: a number or date; for "how many X", a count of X; for "what X …", an X.
        wants_number = bool(_ASKS_FOR_NUMBER.search(question))
        asked_for = np.array([1.0 if wants_number and _HAS_NUMBER.search(c.quote) else 0.0 for c in candidates])
        # "When must the report be published?": a sentence giving the time it is published in is asked for twice over
        # (a time, and the asked thing's), as a count of what "how many" asks is.
        timed = _timed(question)
        for c in candidates:
            c.times_asked = bool(timed) and _times(timed, c)
        asked_for += np.array([1.0 if c.times_asked else 0.0 for c in candidates])
        counted = _counted(question)
        if counted:
            required = directs(question)  # "How many … should a school hold?"
            for c, terms in zip(candidates, c_terms, strict=True):
                c.counts_asked = _counts(counted, c, terms, required)
            asked_for += np.array([1.0 if c.counts_asked else 0.0 for c in candidates])
        listed = _listed(question)
        enumerates = np.array([_enumerates(c, hits) >= listed if listed else True for c in candidates])
        asked_for += np.array([1.0 if listed and e else 0.0 for e in enumerates])
        # "What does section 47 require?": the glossary's "Section 47 - …", not a footnote citing the Act.
        sections = acts_sections(question)
        if sections:
            asked_for += np.array([1.0 if not c.footnote and all(mentions(c.quote, t) for t in sections) else 0.0
                                   for c in candidates])
        # "What are the outcomes in the National Framework?": the sentence introducing the list of them ("There are 4
        # outcomes:" ⏎ "Outcome 1: …"), more than one that only speaks of them.
        members, kind = asked_members(question), asked_kind(question)
        singulars = [{_singular(w) for w in t} for t in c_terms] if members or kind else []
        if members:
            asked_for += np.array([1.0 if members in words and _lists_members(c, hits) else 0.0
                                   for c, words in zip(candidates, singulars, strict=True)])
        if kind:
            asked_for += np.array([1.0 if kind in words else 0.0 for words in singulars])
        terms = asked_terms(question)
        action = asked_action(question)  # "What did the group highlight?": "The group highlighted …"
        # Asked for a set of things ("Who are the three safeguarding partners?"), a sentence naming fewer does not
        # define them ("The three safeguarding partners are responsible and accountable …").
        who = asks_who(question)  # answered by apposition too: "The local authority, as the corporate parent, …"
        # A further-reading entry defines nothing ("Private fostering: local authorities – DfE statutory guidance").
        publications = [_names_publication(c) for c in candidates]
        definition = np.array([1.0 if e and not p and (defines(terms, c.scored_text)
                                                       or states_purpose(terms, c.scored_text)
                                                       or (who and names_who(terms, c.scored_text))
                                                       or (action and states_action(action, c.scored_text)))
                               else 0.0 for c, e, p in zip(candidates, enumerates, publications, strict=True)])
        voices = bool(_ASKS_FOR_VOICES.search(question))
        reading = bool(_ASKS_FOR_READING.search(question))
        for c, p in zip(candidates, publications, strict=True):
            c.aside = _answers_nothing(c) or (not voices and _quotes_someone(c)) or (not reading and p)
        aside = np.array([1.0 if c.aside else 0.0 for c in candidates])
        # Weights chosen on the tuning split of evals/questions.jsonl.
        cheap = 0.1 * overlap + 0.2 * chunk_sim + 0.1 * rank + 0.1 * asked_for + 0.1 * definition - 0.1 * aside
        # Embedding sentences is the slow part of answering: only the most promising are embedded.
        keep = np.argsort(-cheap, kind="stable")[: self.settings.embedded_candidates]
        candidates = [candidates[i] for i in keep]
        similarity = self._vectors([c.scored_text for c in candidates]) @ vector
        scores = 0.3 * similarity + cheap[keep]
        return candidates, scores

    def compose(self, question: str, vector: np.ndarray, hits: list[Hit]) -> Draft:
        candidates, scores = self.score(question, vector, hits)
        form = _form(candidates, _asked_doer(question)) if asks_for_guidance(question) else np.zeros(len(candidates))
        if not candidates:
            return Draft(text="", answered=False)
        evidence = float(np.max(scores))
        if evidence < self.settings.refusal_threshold or not _has_asked_for_kind(question, candidates):
            return Draft(text="", answered=False, evidence=evidence)
        scores = _picking(scores, candidates, form)
        best = int(np.argmax(scores))
        listed = _listed(question) or (_named_by_heading(candidates[best], hits) if _ASKS_FOR_SET.match(question)
                                        else None)
        items = numbered_items(hits, candidates[best].hit_index, listed) if listed else None
        if items:
            return _numbered_draft(items, hits, candidates[best].hit_index, evidence)
        ordinal = ordinal_asked(question)  # "What is the seventh golden rule?": the item whole
        item = numbered_item(hits, candidates[best].hit_index, ordinal) if ordinal else None
        if item:
            return _numbered_draft([replace(item, sentence=item.text)], hits, candidates[best].hit_index, evidence)
        chosen = _opening(question, candidates, best, hits, self.settings.max_sentences) or self._select(
            candidates, scores, best, hits, _asked_thing(question))
        second = second_part(question)  # "…, and does the chair rotate?"
        if second:
            chosen = self._with_answer_to(second, candidates, chosen, hits)
        citations = _Citations(hits)
        parts: list[str] = []
        named = named_part(question, hits[candidates[best].hit_index])
        previous: Candidate | None = None
        listed: set[tuple[int, int]] = set()  # (hit, line) already quoted as a list's line
        led: set[tuple[int, int]] = set()  # (hit, line) of lead-ins quoted before a list's item
        for i in chosen:
            c = with_list(candidates[i], hits)
            if not c.items:
                c = with_lead_in(c, hits)
            if (c.hit_index, c.line) in listed or any(candidates[i].quote in part for part in parts):
                continue  # quoted already, as a list's line (from this chunk or, read on, from the one before)
            if c.lead_line is not None and (c.hit_index, c.lead_line) in led:
                c = candidates[i]  # its list's lead-in is quoted already
            elif c.lead_line is not None:
                led.add((c.hit_index, c.lead_line))
            listed.update((c.hit_index, c.line + k) for k in range(1, c.items + 1))
            # Rows of one table read as one table: its header row is shown once.
            same_table = previous is not None and c.header is not None and (
                (previous.hit_index, previous.header) == (c.hit_index, c.header)
            )
            shown = c.quote.split("\n", 1)[1] if same_table else c.quote
            number = citations.cite(c.hit_index, c.quote, c.page, row=shown if same_table else None)
            if same_table:
                parts[-1] = parts[-1].rsplit(" [", 1)[0]
            parts.append(f"{shown} [{number}]")
            previous = c
        # The part's name on a line of its own, cited as the first quote from its section is.
        first = citations.first_from(candidates[best].hit_index)
        if named and first is not None:
            parts.insert(0, f"{named} [{first}]")
        return Draft(text="\n".join(parts) if named or any("\n" in p for p in parts) else " ".join(parts),
                     answered=True, citations=citations.cited, evidence=evidence)

    def _select(self, candidates: list[Candidate], scores: np.ndarray, best: int, hits: list[Hit],
                asked: str | None = None) -> list[int]:
        """The best candidate, the sentence before it when the best is what to do if in doubt about it (see
        `_FALLBACK`), goes on from it (`_GOES_ON`: "For example, …", "In fact, …") or points back to the `asked`
        thing that it names (`_refers_back_to`: "This check …" for "What check …?"), the sentence after it
        (context), then the best non-redundant others (MMR) close to the best score, none of them an aside (see
        `Candidate.aside`); shown in document order."""
        chosen = [best]
        asides = np.array([c.aside for c in candidates], dtype=bool)
        b = candidates[best]
        # the sentence it is the fallback of, goes on from, or that names the asked thing it points back to
        if _FALLBACK.match(b.quote) or _GOES_ON.match(b.quote) or _refers_back_to(b.quote, asked):
            chosen += [i for i, c in enumerate(candidates)
                       if not asides[i] and c.hit_index == b.hit_index and c.position == b.after][:1]
        follower = self._follower(candidates, asides, best, hits)
        if follower is not None and len(chosen) < self.settings.max_sentences:
            chosen.append(follower)
        vectors = self._vectors([c.scored_text for c in candidates])
        floor = scores[best] - 0.08
        while len(chosen) < self.settings.max_sentences:
            redundancy = np.max(vectors @ vectors[chosen].T, axis=1)
            mmr = 0.7 * scores - 0.3 * redundancy
            mmr[chosen] = -np.inf
            mmr[scores < floor] = -np.inf
            mmr[redundancy > 0.9] = -np.inf
            mmr[asides] = -np.inf  # a signpost or footnote is never quoted beside an answer
            pick = int(np.argmax(mmr))
            if not np.isfinite(mmr[pick]):
                break
            chosen.append(pick)
        return sorted(chosen, key=lambda i: (candidates[i].hit_index != candidates[best].hit_index,
                                             candidates[i].hit_index, candidates[i].position))

    def _with_answer_to(self, part: str, candidates: list[Candidate], chosen: list[int], hits: list[Hit]) -> list[int]:
        """The chosen sentences, and after them the one answering a question's second `part` best, when it is none
        of them and would answer the part asked alone (its score at the refusal threshold or above): asked at once,
        the first part's words outweigh the second's ("You must always document the action you took after the event
        …" for "…, should I share information straight away, and what do I need to do afterwards?")."""
        answers, scores = self.score(part, self._vectors([part])[0], hits)
        if not answers:
            return chosen
        top = int(np.argmax(_picking(scores, answers)))
        best = answers[top]
        if scores[top] < self.settings.refusal_threshold or best.aside:
            return chosen
        same = next((i for i, c in enumerate(candidates) if (c.hit_index, c.position) == (best.hit_index,
                                                                                          best.position)), None)
        return chosen if same is None or same in chosen else [*chosen, same]

    @staticmethod
    def _follower(candidates: list[Candidate], asides: np.ndarray, best: int, hits: list[Hit]) -> int | None:
        """The sentence after the best one as it reads: footnotes set between them skipped, and the first
        sentence of the section's next chunk when only footnotes follow the best one in its chunk (a page's notes
        set between two sentences of one passage) and that chunk was retrieved too
        ("… “public task” … will be the most appropriate lawful basis …" ⏎ footnotes ⏎ "If you work … within the
        voluntary or private sectors … “legitimate interests” may be more appropriate.")."""
        b = candidates[best]
        after = hits[b.hit_index].next_chunk
        following = {j for j, h in enumerate(hits) if b.last and after is not None and h.chunk.id == after.id}
        return next((i for i, c in enumerate(candidates) if not asides[i] and (
            (c.hit_index == b.hit_index and c.after == b.position) or (c.hit_index in following and c.after == -1))),
            None)
