"""Turn a retrieved chunk and the words quoted from it into a numbered citation."""

from __future__ import annotations

from assistant.retrieval import Hit
from assistant.schema import Citation


def page_link(url: str, page: int | None) -> str:
    """Link to the page itself where the source is a PDF."""
    if url and page and url.lower().split("#")[0].endswith(".pdf"):
        return f"{url.split('#')[0]}#page={page}"
    return url


def make_citation(n: int, hit: Hit, quote: str, page: int | None) -> Citation:
    return Citation(
        n=n,
        document=hit.info.id,
        title=hit.info.title,
        section=hit.chunk.section,
        page=page,
        url=page_link(hit.info.url, page),
        quote=quote,
    )


def first_sentence_citation(n: int, hit: Hit, limit: int = 300) -> Citation:
    """A citation for a passage offered as 'closest source': its opening words."""
    text = hit.chunk.text.split("\n", 1)[0]
    quote = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
    page = hit.chunk.line_pages[0] if hit.chunk.line_pages else hit.chunk.page_start
    return make_citation(n, hit, quote, page)
