"""Learning themes for trainers: what the partnership's reviews, audits and bulletins taught, grouped and cited.

A *learning passage* is a list item or sentence of a document that

- sits under a learning heading ("Identified learning", "Key learning", "Recommendations", "Good practice",
  "Areas for development", "Key messages", "What we learned", …),
- follows a learning lead-in line in its section ("Key learning identified from the audit included:"), or
- says itself what learning found ("Learning from reviews has highlighted …").

Passages are embedded with the assistant's model and clustered (average linkage, cosine distance threshold
`theme_distance`); each cluster is labelled with its most distinctive words (TF-IDF over clusters). With a
topic, the passages close to it (by embedding, or containing all its words) are grouped by document and year
instead. Nothing is generated: every passage is a document's own words, with its citation.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from assistant.citations import page_link
from assistant.keyword import tokenize
from assistant.retrieval import Filters, HybridRetriever
from assistant.schema import Audience, Chunk, Citation, DocType, DocumentInfo
from assistant.sentences import split_sentences

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

Category = Literal["learning", "recommendation", "good practice", "area for development", "key message"]

MAX_TOPIC_CHARS = 200
LABEL_TERMS = 3
MIN_PASSAGE_WORDS = 3

# Words that mark a heading or lead-in as learning, and the category each names (first match wins).
_CATEGORY_CUES: list[tuple[Category, re.Pattern[str]]] = [
    ("recommendation", re.compile(r"\brecommend(?:ation|ations|ed|s)?\b", re.I)),
    ("good practice", re.compile(r"\bgood (?:[\w-]+ )?practice\b|\bwhat (?:went|worked) well\b", re.I)),
    ("area for development", re.compile(r"\bareas? (?:for|of) (?:development|improvement)\b|\bimprovements? needed\b",
                                        re.I)),
    ("key message", re.compile(r"\bkey messages?\b|\bkey findings?\b", re.I)),
    ("learning", re.compile(r"\blearn(?:ing|t|ed)\b|\blessons?\b", re.I)),
]
# Headings and lead-ins that mention learning but are about something else: how learning is spread, the
# training offer, actions taken, learning disabilities.
_NOT_LEARNING = re.compile(
    r"disseminat|learning and (?:development|improvement)|learning organisation|learning bulletin|e-learning|"
    r"learning (?:events?|offer|opportunit|activit|needs|difficult|disabilit|environment)|"
    r"\bactions? (?:taken|arising)|early learning|lifelong learning|learning review(?:s)? (?:process|were)",
    re.I,
)
# A sentence that itself reports what reviews or audits found, wherever it stands.
_FINDING_SENTENCE = re.compile(
    r"^(?:[\w'’ ,:-]{0,40}\b)?(?:learning|lessons|(?:case |learning |practice )?reviews?|audits?)\b"
    r"(?: [\w'’-]+){0,6}? (?:(?:have|has|have also|has also) )?(?:highlighted|identified|shown|showed|found|"
    r"demonstrated|told us|tells us)\b",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:is|are|be|been|was|were) (?:highlighted|identified|shown|found|demonstrated)\b", re.I)
# The partnership's own learning documents: there a plain "Learning …" or "Lessons …" heading or lead-in
# counts, and a learning heading covers the sections under it. In guidance and protocols only the nearest
# heading or lead-in counts, and only when it names learning outright (below), so a chapter about *how*
# reviews are run, "NSPCC Learning" or "virtual lessons" do not turn into learning.
_LEARNING_DOC_TYPES = {"review", "bulletin", "report"}
_EXPLICIT_CUE = re.compile(
    r"\b(?:key learning|identified learning|learning (?:points?|themes?|identified|from (?:the |this |these )?"
    r"(?:reviews?|audits?|cases?))|lessons? (?:learn[te]d|to be learn[te]d)|learning lessons|what we (?:have )?"
    r"learn[te]d|recommendations?|good practice|areas? (?:for|of) (?:development|improvement)|key messages?|"
    r"key findings?)\b",
    re.I,
)
# Sentences in a learning section that are plans or pointers rather than learning ("We continue to …",
# "In 2023 the region will be …", "You can find a summary HERE"); recommendations may say "will".
_NOT_A_FINDING = re.compile(r"\b(?:will|continue to|next year|plans? to|you can find|can be found|click)\b", re.I)
_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z-]+\b"
# Words every learning passage may use (the cues themselves, filler verbs): never a theme's label.
_LABEL_STOP_WORDS = {
    "learning", "learnt", "learned", "lessons", "lesson", "identified", "highlighted", "importance", "review",
    "reviews", "audit", "audits", "having", "good", "include", "included", "including", "ensure", "evidence",
    "evidenced", "practice", "recommendation", "recommendations", "key", "need", "needs", "use", "used",
}


class ThemeError(ValueError):
    """A themes request that cannot be served (empty or over-long topic, unknown type, bad year)."""


class LearningPassage(BaseModel):
    """One list item or sentence of learning, as the document words it, with where it is."""

    text: str
    category: Category
    doc_type: DocType
    published: dt.date | None
    year: int | None
    citation: Citation
    score: float | None = None  # similarity to the topic (topic queries only)


class Theme(BaseModel):
    """Passages that say similar things, across documents, labelled with their distinctive words."""

    id: int
    label: str
    terms: list[str]
    newest: dt.date | None
    years: list[int]
    documents: list[str]
    passages: list[LearningPassage]


class DocumentLearning(BaseModel):
    """A topic's passages in one document (topic queries group by document and year, newest first)."""

    document: str
    title: str
    doc_type: DocType
    published: dt.date | None
    year: int | None
    url: str
    passages: list[LearningPassage]


class ThemeReport(BaseModel):
    """What every door renders: themes (no topic) or a topic's passages by document (with a topic)."""

    topic: str | None = None
    types: list[DocType] | None = None
    since: int | None = None
    until: int | None = None
    audience: Audience | None = None
    passage_count: int = 0
    themes: list[Theme] = Field(default_factory=list)
    documents: list[DocumentLearning] = Field(default_factory=list)

    def public_json(self) -> dict:
        """The JSON the web API and `assistant themes --format json` return."""
        return self.model_dump(mode="json")


@dataclass
class FoundPassage:
    """A learning passage where it was found: the chunk and line it came from (for its citation)."""

    text: str
    category: Category
    chunk: Chunk
    line: int  # index of the line in the chunk, for its page
    order: int  # position in the corpus walk: document order within a document


# --- finding learning passages ---------------------------------------------------------------------


def _category(text: str, explicit: bool = False) -> Category | None:
    """The learning category a heading or lead-in names, or None when it is not about learning; `explicit`
    (guidance, protocols) accepts only headings that name learning outright."""
    if _NOT_LEARNING.search(text) or (explicit and not _EXPLICIT_CUE.search(text)):
        return None
    for category, pattern in _CATEGORY_CUES:
        if pattern.search(text):
            return category
    return None


def _is_finding(sentence: str) -> bool:
    """A sentence that reports what learning, reviews or audits found ("Reviews have highlighted …")."""
    if _PASSIVE.search(sentence) or _NOT_LEARNING.search(sentence):
        return False
    return bool(_FINDING_SENTENCE.search(sentence))


def _heading_category(headings: Sequence[str], doc_type: str) -> Category | None:
    """The nearest heading decides; in the partnership's own learning documents a learning heading also
    covers the sections under it, unless a nearer heading is about something else (e.g. actions taken)."""
    explicit = doc_type not in _LEARNING_DOC_TYPES
    for heading in reversed(headings):
        if _NOT_LEARNING.search(heading):
            return None
        category = _category(heading, explicit)
        if category or explicit:
            return category
    return None


def _pieces(line: str) -> list[str]:
    """A line as passages: a list item whole, prose split into sentences; table rows are not learning."""
    if " | " in line:
        return []
    pieces = split_sentences(line) if re.search(r"[.!?]\s+\S", line) else [line.strip()]
    return [p for p in pieces if len(re.findall(r"\w+", p)) >= MIN_PASSAGE_WORDS]


def find_learning_passages(chunks: Sequence[Chunk], documents: dict[str, DocumentInfo]) -> list[FoundPassage]:
    """Every learning passage of the chunks (in document order, as the manifest keeps them)."""
    found: list[FoundPassage] = []
    seen: set[tuple[str, str]] = set()
    lead_in: tuple[str, str, Category] | None = None  # (doc, section, category) of an open lead-in list
    for chunk in chunks:
        info = documents.get(chunk.doc_id)
        if info is None:
            continue
        if lead_in and lead_in[:2] != (chunk.doc_id, chunk.section):
            lead_in = None
        explicit = info.type not in _LEARNING_DOC_TYPES
        by_heading = _heading_category(chunk.headings, info.type)
        for index, line in enumerate(chunk.text.split("\n")):
            line = line.strip()
            if not line:
                continue
            if line.endswith(":"):  # a lead-in: the lines after it are learning when its last sentence says so
                sentences = split_sentences(line)
                category = _category(sentences[-1] if sentences else line, explicit)
                lead_in = (chunk.doc_id, chunk.section, category) if category else None
                continue
            category = by_heading or (lead_in[2] if lead_in else None)
            for piece in _pieces(line):
                if category is None and _is_finding(piece):
                    piece_category: Category | None = "learning"
                else:
                    piece_category = category
                if piece_category is None or (chunk.doc_id, piece.lower()) in seen:
                    continue
                if piece_category != "recommendation" and _NOT_A_FINDING.search(piece):
                    continue
                seen.add((chunk.doc_id, piece.lower()))
                found.append(FoundPassage(piece, piece_category, chunk, index, len(found)))
    return found


def _passage(found: FoundPassage, info: DocumentInfo, n: int, score: float | None = None) -> LearningPassage:
    chunk = found.chunk
    page = chunk.line_pages[found.line] if found.line < len(chunk.line_pages) else chunk.page_start
    page = page if page is not None else chunk.page_start
    citation = Citation(
        n=n, document=info.id, title=info.title, section=chunk.section, page=page,
        url=page_link(info.url, page), quote=found.text,
    )
    return LearningPassage(
        text=found.text, category=found.category, doc_type=info.type, published=info.published,
        year=info.year, citation=citation, score=None if score is None else round(float(score), 3),
    )


# --- the index's passages, embedded once per loaded index ---------------------------------------------


@dataclass
class _Catalogue:
    passages: list[FoundPassage]
    vectors: np.ndarray


_catalogues: weakref.WeakKeyDictionary[HybridRetriever, _Catalogue] = weakref.WeakKeyDictionary()
_catalogue_lock = threading.Lock()


def _catalogue(assistant: Assistant) -> tuple[HybridRetriever, _Catalogue]:
    """All learning passages of the loaded index and their embeddings, computed once per index load."""
    if assistant.retriever is None:
        assistant.ensure_index()
    retriever = assistant.retriever
    assert retriever is not None
    with _catalogue_lock:
        catalogue = _catalogues.get(retriever)
        if catalogue is None:
            passages = find_learning_passages(list(retriever.chunks.values()), retriever.documents)
            vectors = assistant.embedder.encode([p.text for p in passages], assistant.settings.embed_batch_size)
            catalogue = _catalogues[retriever] = _Catalogue(passages, vectors)
    return retriever, catalogue


# --- themes ----------------------------------------------------------------------------------------


def _clusters(vectors: np.ndarray, distance: float) -> np.ndarray:
    """Cluster label of each passage: average-linkage clusters whose members lie within `distance`."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average")
    return model.fit_predict(vectors)


def _labels(texts_per_cluster: list[str]) -> list[list[str]]:
    """The most distinctive words of each cluster (TF-IDF, clusters as documents); a two-word term among the
    top candidates replaces the single words it contains."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    try:
        stop_words = sorted(ENGLISH_STOP_WORDS | _LABEL_STOP_WORDS)
        vectorizer = TfidfVectorizer(stop_words=stop_words, ngram_range=(1, 2), token_pattern=_TOKEN, sublinear_tf=True)
        matrix = vectorizer.fit_transform(texts_per_cluster).toarray()
    except ValueError:  # only stop words
        return [[] for _ in texts_per_cluster]
    vocabulary = vectorizer.get_feature_names_out()
    labels: list[list[str]] = []
    for row in matrix:
        terms: list[str] = []
        for index in np.argsort(-row, kind="stable")[: 4 * LABEL_TERMS]:
            if row[index] <= 0:
                break
            term = str(vocabulary[index])
            words = set(term.split())
            if any(words <= set(t.split()) for t in terms):
                continue
            covered = [i for i, t in enumerate(terms) if set(t.split()) <= words]
            if any(words & set(t.split()) for i, t in enumerate(terms) if i not in covered):
                continue
            if covered:  # "information sharing" takes the place of "information" and "sharing"
                terms[covered[0]] = term
                terms = [t for i, t in enumerate(terms) if i not in covered[1:]]
            elif len(terms) < LABEL_TERMS:
                terms.append(term)
        labels.append(terms)
    return labels


def _newest_first(info: DocumentInfo) -> tuple[int, str]:
    return (-(info.published or dt.date.min).toordinal(), info.title)


def _themes(
    found: list[FoundPassage], vectors: np.ndarray, documents: dict[str, DocumentInfo], distance: float
) -> list[Theme]:
    labels = _clusters(vectors, distance)
    members: dict[int, list[FoundPassage]] = defaultdict(list)
    for passage, label in zip(found, labels, strict=True):
        members[int(label)].append(passage)
    groups = list(members.values())
    terms = _labels([" ".join(p.text for p in group) for group in groups])

    def newest(group: list[FoundPassage]) -> dt.date | None:
        dates = [d for p in group if (d := documents[p.chunk.doc_id].published)]
        return max(dates) if dates else None

    order = sorted(
        range(len(groups)),
        key=lambda i: (-(newest(groups[i]) or dt.date.min).toordinal(), -len(groups[i]),
                       -len({p.chunk.doc_id for p in groups[i]}), groups[i][0].order),
    )
    themes: list[Theme] = []
    for i in order:
        group = sorted(groups[i], key=lambda p: (_newest_first(documents[p.chunk.doc_id]), p.order))
        passages = [_passage(p, documents[p.chunk.doc_id], n) for n, p in enumerate(group, 1)]
        label = " · ".join(terms[i]) or passages[0].text
        themes.append(Theme(
            id=len(themes) + 1, label=label, terms=terms[i], newest=newest(group),
            years=sorted({p.year for p in passages if p.year}, reverse=True),
            documents=list(dict.fromkeys(p.citation.document for p in passages)), passages=passages,
        ))
    return themes


def _topic_documents(
    topic: str, found: list[FoundPassage], vectors: np.ndarray, documents: dict[str, DocumentInfo], assistant: Assistant
) -> list[DocumentLearning]:
    """The passages about the topic (similar by embedding, or containing all of its words), by document."""
    topic_vector = assistant.embedder.encode([topic])[0]
    similarity = vectors @ topic_vector if len(found) else np.zeros(0)
    topic_terms = set(tokenize([topic])[0])
    threshold = assistant.settings.theme_topic_similarity
    chosen: dict[str, list[tuple[float, FoundPassage]]] = defaultdict(list)
    for passage, score in zip(found, similarity, strict=True):
        words = set(tokenize([passage.text])[0])
        if score >= threshold or (topic_terms and topic_terms <= words):
            chosen[passage.chunk.doc_id].append((float(score), passage))
    groups: list[DocumentLearning] = []
    for doc_id in sorted(chosen, key=lambda d: _newest_first(documents[d])):
        info = documents[doc_id]
        ranked = sorted(chosen[doc_id], key=lambda sp: (-sp[0], sp[1].order))
        groups.append(DocumentLearning(
            document=info.id, title=info.title, doc_type=info.type, published=info.published, year=info.year,
            url=info.url, passages=[_passage(p, info, n, score) for n, (score, p) in enumerate(ranked, 1)],
        ))
    return groups


def find_themes(
    assistant: Assistant,
    topic: str | None = None,
    types: Sequence[str] | None = None,
    since: int | None = None,
    until: int | None = None,
    audience: Audience | None = None,
) -> ThemeReport:
    """Learning themes across the indexed documents, newest first; with `topic`, the learning passages about
    it grouped by document and year (newest first). `types`, `since`/`until` (publication years) and
    `audience` restrict the documents; a public door passes audience="public". Raises ThemeError for an
    empty or over-long topic, an unknown type or a bad year."""
    if topic is not None:
        topic = " ".join(topic.split())
        if not topic:
            raise ThemeError("the topic is empty")
        if len(topic) > MAX_TOPIC_CHARS:
            raise ThemeError(f"the topic is longer than {MAX_TOPIC_CHARS} characters")
    try:
        filters = Filters(types=list(types) if types else None, year_from=since, year_to=until, audience=audience)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ThemeError(f"bad filter: {problems}") from exc
    if since is not None and until is not None and since > until:
        raise ThemeError(f"bad filter: since ({since}) is after until ({until})")

    retriever, catalogue = _catalogue(assistant)
    documents = retriever.documents
    keep = [i for i, p in enumerate(catalogue.passages) if filters.allows(documents[p.chunk.doc_id])]
    found = [catalogue.passages[i] for i in keep]
    vectors = catalogue.vectors[keep] if keep else np.zeros((0, catalogue.vectors.shape[1]), dtype=np.float32)
    report = ThemeReport(topic=topic, types=filters.types, since=since, until=until, audience=audience)
    if topic is None:
        report.themes = _themes(found, vectors, documents, assistant.settings.theme_distance)
        report.passage_count = sum(len(t.passages) for t in report.themes)
    else:
        report.documents = _topic_documents(topic, found, vectors, documents, assistant)
        report.passage_count = sum(len(d.passages) for d in report.documents)
    return report
