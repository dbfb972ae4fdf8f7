"""The optional LLM answerer: fluent answers from any OpenAI-compatible server, still grounded.

It answers only when the extractive answerer would (so refusals stay calibrated), gives the LLM the top
retrieved chunks as numbered sources fenced as untrusted data, and passes each generated sentence through
citation enforcement (assistant.grounding) as it arrives: only sentences that cite a given source which
supports them reach the user. When no sentence passes, or the server times out or fails before one did,
the user gets the extractive answer with a short note instead. Never an uncited sentence."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator

import httpx
import numpy as np
import openai

from assistant.answer import Draft, ExtractiveAnswerer
from assistant.citations import make_citation
from assistant.embeddings import Embedder
from assistant.grounding import CheckedSentence, Grounder, SentenceStream, sources_from_hits
from assistant.prompts import Prompts
from assistant.retrieval import Hit
from assistant.schema import Citation
from assistant.settings import Settings

try:  # openai 3.6x moved to httpx2: a stream that breaks mid-answer raises that library's errors
    import httpx2

    _TRANSPORT_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError)
except ImportError:
    _TRANSPORT_ERRORS = (httpx.HTTPError,)

log = logging.getLogger("assistant.llm")

# What compose_stream yields: the numbered sources (once, before the first sentence), sentences to show,
# and last the whole Draft.
StreamItem = list[Citation] | str | Draft

_FENCE = re.compile(r"<\s*/?\s*sources?\b", re.I)


class LLMError(RuntimeError):
    """The server could not be reached, failed, or did not finish in time."""


def _fenced(text: str) -> str:
    """Source text that cannot close its own fence (`</source>` inside a document is defused)."""
    return _FENCE.sub(lambda m: m.group(0).replace("<", "‹"), text)


def _attribute(text: str) -> str:
    return " ".join(_fenced(text).replace('"', "'").split())


class LLMAnswerer:
    """Answers through an OpenAI-compatible chat API; holds an ExtractiveAnswerer to fall back on."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        fallback: ExtractiveAnswerer | None = None,
        client: openai.OpenAI | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.fallback = fallback or ExtractiveAnswerer(settings, embedder)
        prompts = Prompts(settings.prompts_dir)
        self.system_prompt = prompts.read("llm_system.md")
        self.sources_template = prompts.read("llm_sources.md")
        self.fallback_note = prompts.read("llm_fallback_note.md")
        timeout = settings.llm_timeout_seconds
        self.client = client or openai.OpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "not-needed",  # local servers take any key
            timeout=openai.Timeout(timeout, connect=min(timeout, 5.0)),  # httpx's or httpx2's, as openai uses
            max_retries=0,  # a retry would double the wait; the extractive answer is the fallback
        )

    # --- the prompt ----------------------------------------------------------------------------

    def messages(self, question: str, hits: list[Hit]) -> list[dict[str, str]]:
        """System prompt, then the numbered sources (fenced, as data) and the question."""
        blocks = []
        for n, hit in enumerate(hits, start=1):
            where = " > ".join(p for p in (hit.info.title, hit.chunk.section) if p)
            blocks.append(f'<source n="{n}" from="{_attribute(where)}">\n{_fenced(hit.chunk.text)}\n</source>')
        values = {"sources": "\n\n".join(blocks), "question": question}
        user = re.sub(r"\{(sources|question)\}", lambda m: values[m.group(1)], self.sources_template)
        return [{"role": "system", "content": self.system_prompt}, {"role": "user", "content": user}]

    # --- the server ----------------------------------------------------------------------------

    def generate(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The LLM's text in pieces as it streams; LLMError if the server fails or runs past the timeout
        (which bounds the connection, each wait for data, and the answer as a whole)."""
        s = self.settings
        deadline = time.monotonic() + s.llm_timeout_seconds
        try:
            stream = self.client.chat.completions.create(
                model=s.llm_model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=s.llm_max_tokens,
                temperature=s.llm_temperature,
                stream=True,
            )
            with stream:
                for chunk in stream:
                    if time.monotonic() > deadline:
                        raise LLMError(f"the LLM did not finish within {s.llm_timeout_seconds:g} s")
                    choices = getattr(chunk, "choices", None) or []
                    piece = getattr(choices[0].delta, "content", None) if choices else None
                    if piece:
                        yield piece
        except openai.APITimeoutError as exc:
            raise LLMError(f"the LLM did not answer within {s.llm_timeout_seconds:g} s") from exc
        except (openai.OpenAIError, *_TRANSPORT_ERRORS) as exc:
            raise LLMError(f"the LLM server failed: {exc}") from exc

    # --- answering -----------------------------------------------------------------------------

    def compose(self, question: str, vector: np.ndarray, hits: list[Hit]) -> Draft:
        draft: Draft | None = None
        for item in self.compose_stream(question, vector, hits):
            if isinstance(item, Draft):
                draft = item
        assert draft is not None
        return draft

    def compose_stream(self, question: str, vector: np.ndarray, hits: list[Hit]) -> Iterator[StreamItem]:
        """The numbered sources, then each sentence once it has passed enforcement, then the Draft."""
        extractive = self.fallback.compose(question, vector, hits)
        if not extractive.answered:  # weak evidence: refuse, as the extractive answerer does
            yield extractive
            return
        given = hits[: self.settings.llm_sources]
        s = self.settings
        grounder = Grounder(
            sources_from_hits(given), self.embedder.encode,
            s.grounding_min_overlap, s.grounding_min_similarity, s.grounding_min_words, question=question,
        )
        kept: list[CheckedSentence] = []
        dropped: list[CheckedSentence] = []
        announced = False
        splitter = SentenceStream()
        failure: str | None = None

        def checked(sentences: list[str]) -> Iterator[CheckedSentence]:
            for sentence in sentences:
                result = grounder.check(sentence)
                if not result.kept:
                    dropped.append(result)
                elif all(k.text != result.text for k in kept):  # small models repeat themselves
                    yield result

        def shown(results: Iterator[CheckedSentence]) -> Iterator[StreamItem]:
            nonlocal announced
            for result in results:
                if not announced:
                    yield [make_citation(n, hit, hit.chunk.text, hit.chunk.page_start)
                           for n, hit in enumerate(given, start=1)]
                    announced = True
                yield (" " if kept else "") + result.text
                kept.append(result)

        try:
            for piece in self.generate(self.messages(question, given)):
                yield from shown(checked(splitter.feed(piece)))
        except LLMError as exc:
            failure = str(exc)
        else:
            yield from shown(checked(splitter.close()))
        for result in dropped:
            log.info("dropped an LLM sentence (%s): %r", result.reason, result.original)
        if not kept:
            log.warning("LLM answer rejected, extractive answer given instead: %s",
                        failure or f"none of its {len(dropped)} sentences passed the citation checks")
            yield Draft(text=f"{extractive.text}\n\n{self.fallback_note}", answered=True,
                        citations=extractive.citations, evidence=extractive.evidence)
            return
        if failure:
            log.warning("LLM stopped early (%s); its %d checked sentences are kept", failure, len(kept))
        yield Draft(text=" ".join(k.text for k in kept), answered=True,
                    citations=self._citations(kept, given), evidence=extractive.evidence)

    @staticmethod
    def _citations(kept: list[CheckedSentence], given: list[Hit]) -> list[Citation]:
        """One citation per source the kept sentences rest on, numbered as the LLM saw it, quoting the
        source sentences that support them."""
        quotes: dict[int, list[tuple[str, int | None]]] = {}
        for sentence in kept:
            for support in sentence.support:
                cited = quotes.setdefault(support.n, [])
                if all(q != support.quote for q, _ in cited):
                    cited.append((support.quote, support.page))
        return [
            make_citation(n, given[n - 1], " … ".join(q for q, _ in cited), cited[0][1])
            for n, cited in sorted(quotes.items())
        ]
