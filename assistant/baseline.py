"""The LangChain tutorial recipe, built honestly, as the baseline our pipeline must beat in the evals:
RecursiveCharacterTextSplitter(1000, 200) + Chroma + all-MiniLM-L6-v2 top-k; the answer is the top chunk."""

from __future__ import annotations

import uuid

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.citations import page_link
from assistant.embeddings import Embedder
from assistant.schema import Answer, Citation
from assistant.settings import Settings
from assistant.store import make_client
from ingest.corpus import discover
from ingest.loaders import LoaderError, load_document

COLLECTION = "baseline_tutorial_recipe"


class TutorialRecipe:
    """What a partnership's IT team would build from the LangChain RAG tutorial."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.store = Chroma(
            collection_name=COLLECTION,
            client=make_client(settings),
            embedding_function=embedder,
            collection_metadata={"hnsw:space": "cosine"},
        )

    def build(self) -> int:
        """Load each file as the tutorial's loaders would (one Document per PDF page), split and embed.
        Re-uses the collection if it is already built."""
        existing = self.store._collection.count()
        if existing:
            return existing
        pages: list[Document] = []
        for item in discover(self.settings.corpus_dir, self.settings):
            if item.info is None:
                continue
            try:
                blocks = load_document(item.path)
            except LoaderError:
                continue
            by_page: dict[int | None, list[str]] = {}
            for block in blocks:
                by_page.setdefault(block.page, []).append(block.text)
            for page, texts in by_page.items():
                meta = {"doc_id": item.info.id, "title": item.info.title, "url": item.info.url}
                if page is not None:
                    meta["page"] = page
                pages.append(Document(page_content="\n".join(texts), metadata=meta))
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        chunks = splitter.split_documents(pages)
        for start in range(0, len(chunks), 256):
            batch = chunks[start : start + 256]
            self.store.add_documents(batch, ids=[uuid.uuid4().hex for _ in batch])
        return len(chunks)

    def search(self, question: str, k: int = 10) -> list[Document]:
        return self.store.similarity_search(question, k=k)

    def ask(self, question: str) -> Answer:
        """The tutorial's answer: the top chunk, cited as a whole. It never refuses and has no notice."""
        top = self.search(question, k=1)
        citations = [
            Citation(
                n=1,
                document=d.metadata.get("doc_id", ""),
                title=d.metadata.get("title", ""),
                section="",
                page=d.metadata.get("page"),
                url=page_link(d.metadata.get("url", ""), d.metadata.get("page")),
                quote=d.page_content,
            )
            for d in top
        ]
        return Answer(
            answer_id=uuid.uuid4().hex,
            question=question,
            answer=top[0].page_content if top else "",
            answered=bool(top),
            citations=citations,
        )
