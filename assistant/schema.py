"""The few types every stage passes around: documents, blocks, chunks, citations and answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

DocType = Literal["report", "bulletin", "protocol", "guidance", "review"]
Audience = Literal["public", "practitioners"]
BlockKind = Literal["paragraph", "list", "table"]


class DocumentInfo(BaseModel):
    """Provenance of one corpus document; travels into every chunk and citation."""

    id: str
    title: str
    type: DocType = "guidance"
    published: dt.date | None = None
    publisher: str = ""
    url: str = ""
    licence: str = ""
    audience: Audience = "practitioners"
    # Where it applies: national guidance's country ("England"), a partnership's report its area. A question
    # naming one ("… in England?") is about every passage of the document, though few name it themselves.
    areas: list[str] = Field(default_factory=list)
    path: str = ""
    sha256: str = ""

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None


class Block(BaseModel):
    """A paragraph, list item or table as a loader found it, with where it sits."""

    text: str
    headings: list[str] = Field(default_factory=list)
    page: int | None = None
    kind: BlockKind = "paragraph"


class Chunk(BaseModel):
    """A piece of a document small enough to embed, with a stable id and its provenance."""

    id: str
    doc_id: str
    text: str
    headings: list[str]
    page_start: int | None = None
    page_end: int | None = None
    kind: BlockKind = "paragraph"
    line_pages: list[int | None] = Field(default_factory=list)  # page of each line of text

    @property
    def section(self) -> str:
        return " > ".join(self.headings)

    @property
    def heading(self) -> str:
        """The innermost heading ("Our Executive are:"), or "" for a chunk under none."""
        return self.headings[-1] if self.headings else ""


class Citation(BaseModel):
    """One numbered source of an answer: where it is and the words the answer rests on."""

    n: int
    document: str
    title: str
    section: str
    page: int | None
    url: str
    quote: str


class Answer(BaseModel):
    """What every door renders: text with [n] markers, its citations and any notice."""

    answer_id: str
    question: str
    answer: str
    answered: bool
    citations: list[Citation] = Field(default_factory=list)
    closest_sources: list[Citation] = Field(default_factory=list)
    notice: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)

    def public_json(self) -> dict:
        """The JSON every door returns (`ask --json`, the web API): everything but internal timings."""
        return self.model_dump(mode="json", exclude={"timings"})
