"""The web door: an HTTP API, the chat page and the embeddable widget, over the one `Assistant`.

This module only translates HTTP to `Assistant.ask` and back. What it adds is what a public endpoint
needs: input rules with clear 4xx messages, a body size limit, a per-client rate limit, CORS, an optional
API key, and the audience rule (a public deployment only ever cites `audience = "public"` documents).
The model and index load once per worker process; answering runs in a thread, off the event loop.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import secrets
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.feedback import FeedbackStore
from assistant.pipeline import MAX_QUESTION_CHARS, Assistant, QuestionError
from assistant.retrieval import Filters
from assistant.schema import Answer, Audience, DocType
from assistant.settings import Settings

WEB_DIR = Path(__file__).resolve().parent / "web"
MAX_COMMENT_CHARS = 2000

log = logging.getLogger("assistant.api")

# The chat page runs only its own files: even if escaping failed somewhere, injected script could not run.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


# --- request and response bodies ----------------------------------------------------------------


def _unicode_text(value: str | None) -> str | None:
    """Reject lone surrogates (valid JSON escapes, but not text the model or SQLite can take)."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("contains characters that are not valid Unicode text") from exc
    return value


class FiltersIn(Filters):
    """Restrictions on which documents may be cited; unknown keys are refused so typos do not pass silently.
    Strict types: `true` is not a year, `0` is not `false`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    types: list[DocType] | None = Field(None, max_length=5, description="Only documents of these types.")
    audience: Audience | None = Field(
        None, description="Only documents for this audience. A public deployment always uses 'public'."
    )

    @model_validator(mode="after")
    def _years_in_order(self) -> FiltersIn:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError(f"year_from ({self.year_from}) is after year_to ({self.year_to})")
        return self


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"question": "How do I escalate a disagreement between agencies?"}]},
    )

    question: str = Field(..., min_length=1, max_length=MAX_QUESTION_CHARS, description="The question, in words.")
    filters: FiltersIn | None = None

    _text = field_validator("question")(_unicode_text)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    answer_id: str = Field(..., pattern=r"^[A-Za-z0-9_-]{1,64}$", description="`answer_id` of the answer.")
    helpful: bool = Field(..., description="true = helpful (thumbs up), false = not helpful.")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description="Optional free text.")

    _text = field_validator("comment")(_unicode_text)


class FeedbackRecorded(BaseModel):
    status: Literal["recorded"] = "recorded"


class SourceOut(BaseModel):
    id: str
    title: str
    type: DocType
    published: dt.date | None
    publisher: str
    url: str
    audience: Audience
    chunks: int


class SourcesOut(BaseModel):
    documents: list[SourceOut]


class Problem(BaseModel):
    """Every 4xx/5xx body: one readable sentence, plus the individual field errors for validation failures."""

    detail: str
    errors: list[dict[str, Any]] | None = None


class Health(BaseModel):
    status: Literal["ok", "ready", "loading", "failed"]
    detail: str | None = None


# Module-level: FastAPI reads the dependency annotations of `require_key` by name from this module.
bearer = HTTPBearer(auto_error=False, description="The deployment's API key as a bearer token.")
key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The deployment's API key.")


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in codes}


# --- guards ---------------------------------------------------------------------------------------


class RateLimiter:
    """A token bucket per client address: `per_minute` requests, refilled evenly over the minute.

    In memory, so each worker process counts on its own (N workers allow up to N × the limit)."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_needed(self, client: str) -> float:
        """Take one request from `client`'s bucket; 0 if allowed, else seconds until one is."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return (1 - tokens) / self.rate
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 10_000:  # forget clients whose buckets have refilled
                full = [c for c, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.capacity]
                for c in full:
                    del self._buckets[c]
            return 0.0


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413 before any of them is parsed (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._refuse(scope, receive, send, 400, "the Content-Length header is not a number")
                return
            if int(declared) > self.max_bytes:
                await self._refuse_too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse_too_large(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse_too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"the request body is larger than {self.max_bytes} bytes"
        await self._refuse(scope, receive, send, 413, detail)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
        await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)


def _readable(errors: list[dict[str, Any]]) -> str:
    """Pydantic's errors as one sentence a person can act on: 'question: …; filters.year_to: …'."""
    parts = []
    for error in errors:
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        kind, msg = error.get("type", ""), error.get("msg", "invalid")
        if kind == "missing":
            parts.append(f"{loc} is required")
        elif kind == "json_invalid":
            parts.append("the request body is not valid JSON")
        elif kind == "model_attributes_type" and not loc:
            parts.append("the request body must be a JSON object")
        elif kind == "extra_forbidden":
            parts.append(f"{loc} is not a field this endpoint accepts")
        else:
            parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "the request is not valid"


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@dataclass
class _Readiness:
    ready: bool = False
    loading: bool = False
    error: str | None = None


# --- the app --------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """The FastAPI app. Loads the model here (once per worker) and the index in the background at startup;
    `/readyz` says 503 until it is loaded (ingesting the configured corpus first if the index is empty)."""
    if assistant is not None and settings is None:
        settings = assistant.settings
    settings = settings or Settings()
    assistant = assistant or Assistant(settings)
    feedback = FeedbackStore(settings.feedback_path)
    readiness = _Readiness(ready=assistant.retriever is not None)
    limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute else None

    def load_index() -> None:
        try:
            assistant.ensure_index()
        except Exception as exc:  # noqa: BLE001 - reported on /readyz and in the log, the server stays up
            log.exception("could not load the index")
            readiness.error = f"could not load the index: {exc}"
        else:
            readiness.ready = True
            log.info("index loaded (generation %s)", assistant.generation)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The feedback store stays open for the app's life: Slack's handlers hold it too, and a test client
        # may run the lifespan more than once.
        if not (readiness.ready or readiness.loading):
            readiness.loading = True
            threading.Thread(target=load_index, name="load-index", daemon=True).start()
        yield

    app = FastAPI(
        title="Partnership Assistant",
        version="1",
        description=(
            "Answers questions from the safeguarding partnership's guidance, quoting it with numbered "
            "citations, or says that the guidance does not cover the question."
            + (" This deployment only cites documents published for the public." if settings.api_public else "")
        ),
        lifespan=lifespan,
    )
    app.state.assistant = assistant
    app.state.feedback = feedback
    app.state.settings = settings

    # --- guards, as dependencies of the /v1 routes ---

    async def require_key(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        key: Annotated[str | None, Depends(key_header)],
    ) -> None:
        given = key or (credentials.credentials if credentials else None)
        expected = settings.api_key or ""
        if not given or not secrets.compare_digest(given.encode(), expected.encode()):
            raise HTTPException(
                401,
                "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                if not given else "the API key is not valid",
                headers={"WWW-Authenticate": "Bearer"},
            )

    async def rate_limit(request: Request) -> None:
        if limiter is None:
            return
        client = request.client.host if request.client else "unknown"
        wait = limiter.wait_needed(client)
        if wait:
            raise HTTPException(
                429,
                f"too many requests: at most {settings.rate_limit_per_minute} a minute; "
                f"try again in {math.ceil(wait)} s",
                headers={"Retry-After": str(math.ceil(wait))},
            )

    async def require_ready() -> None:
        if not readiness.ready:
            raise HTTPException(
                503, readiness.error or "the guidance index is still loading; try again shortly",
                headers={"Retry-After": "5"},
            )

    checked = [Depends(require_key)] if settings.api_key else []
    checked.append(Depends(rate_limit))  # every /v1 route
    guards = [*checked, Depends(require_ready)]  # routes that need the index
    common = _problems(400, 401, 413, 429, 503) if settings.api_key else _problems(400, 413, 429, 503)

    def allowed_filters(body: AskRequest) -> Filters:
        filters = body.filters or FiltersIn()
        if settings.api_public:
            if filters.audience not in (None, "public"):
                raise HTTPException(403, "this endpoint only answers from documents published for the public")
            filters = filters.model_copy(update={"audience": "public"})
        return filters

    async def answer(body: AskRequest) -> Answer:
        filters = allowed_filters(body)
        try:
            return await run_in_threadpool(assistant.ask, body.question, filters, "web")
        except QuestionError as exc:
            raise HTTPException(422, f"question: {exc}") from exc

    # --- routes ---

    @app.post(
        "/v1/ask",
        response_model=Answer,
        response_model_exclude={"timings"},
        dependencies=guards,
        responses={**common, **_problems(403, 422)},
        summary="Answer a question, with citations",
        tags=["answers"],
    )
    async def ask(body: AskRequest) -> Answer:
        """The same JSON as `assistant ask --json`. When `answered` is false, `answer` is the fixed
        "not covered" text and `closest_sources` offers up to three passages separately."""
        return await answer(body)

    @app.post(
        "/v1/ask/stream",
        response_class=StreamingResponse,
        dependencies=guards,
        responses={
            200: {
                "description": "Server-Sent Events: `sources` (citations, closest sources, notice), then one "
                "`delta` per part of the answer (`{\"text\": …}`; the parts join to the answer), then "
                "`done` with the whole answer JSON.",
                "content": {"text/event-stream": {"schema": {
                    "type": "object",
                    "description": "One Server-Sent Event; `data` is JSON.",
                    "required": ["event", "data"],
                    "properties": {
                        "event": {"type": "string", "enum": ["sources", "delta", "done"]},
                        "data": {"type": "string", "contentMediaType": "application/json"},
                    },
                }}},
            },
            **common,
            **_problems(403, 422),
        },
        summary="Answer a question as Server-Sent Events",
        tags=["answers"],
    )
    async def ask_stream(body: AskRequest) -> StreamingResponse:
        # Assistant.ask_stream: an LLM answer's sentences arrive as each passes the citation checks.
        stream = assistant.ask_stream(body.question, allowed_filters(body), "web")
        try:
            first = await run_in_threadpool(next, stream)  # errors become 4xx here, before the stream starts
        except QuestionError as exc:
            raise HTTPException(422, f"question: {exc}") from exc

        async def events() -> AsyncIterator[str]:
            event: dict | None = first
            while event is not None:
                name = event["event"]
                yield _sse(name, event["answer"] if name == "done" else {k: v for k, v in event.items()
                                                                          if k != "event"})
                event = await run_in_threadpool(next, stream, None)

        return StreamingResponse(
            events(), media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.get(
        "/v1/sources", response_model=SourcesOut, dependencies=guards, responses=common,
        summary="The documents answers can cite", tags=["sources"],
    )
    async def sources() -> SourcesOut:
        listed = await run_in_threadpool(assistant.sources)
        return SourcesOut(documents=[
            SourceOut(**s.info.model_dump(include=set(SourceOut.model_fields) - {"chunks"}), chunks=s.chunks)
            for s in listed
            if not settings.api_public or s.info.audience == "public"
        ])

    @app.get(
        "/v1/themes", dependencies=guards, responses={**common, **_problems(422)},
        summary="Learning themes across reviews and bulletins, with citations", tags=["themes"],
    )
    async def themes(
        topic: str | None = None,
        type: Annotated[list[str] | None, Query()] = None,  # noqa: A002 - the public parameter name
        since: int | None = None,
        until: int | None = None,
    ) -> JSONResponse:
        from assistant.themes import ThemeError, find_themes

        audience = "public" if settings.api_public else None
        try:
            report = await run_in_threadpool(
                find_themes, assistant, topic=topic, types=type, since=since, until=until, audience=audience
            )
        except ThemeError as exc:
            raise HTTPException(422, str(exc)) from exc
        return JSONResponse(report.public_json())

    @app.post(
        "/v1/feedback", status_code=201, response_model=FeedbackRecorded, dependencies=checked,
        responses={**common, **_problems(422)}, summary="Say whether an answer helped", tags=["feedback"],
    )
    async def post_feedback(body: FeedbackRequest) -> FeedbackRecorded:
        comment = (body.comment or "").strip() or None
        await run_in_threadpool(feedback.record, body.answer_id, body.helpful, comment, "web")
        return FeedbackRecorded()

    @app.get(
        "/healthz", response_model=Health, response_model_exclude_none=True, tags=["health"],
        summary="The process is up",
    )
    async def healthz() -> Health:
        return Health(status="ok")

    @app.get(
        "/readyz", response_model=Health, tags=["health"], summary="The index is loaded and questions can be asked",
        responses={503: {"model": Health}},
    )
    async def readyz() -> JSONResponse:
        if readiness.ready:
            return JSONResponse({"status": "ready"})
        if readiness.error:
            return JSONResponse({"status": "failed", "detail": readiness.error}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503)

    # --- the chat page and widget (plain files, no build step) ---

    @app.get("/", include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers=PAGE_HEADERS)

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(
            WEB_DIR / "widget.js", media_type="text/javascript",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300"},
        )

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: e[k] for k in ("loc", "msg", "type") if k in e} for e in exc.errors()]
        return JSONResponse({"detail": _readable(errors), "errors": errors}, status_code=422)

    if getattr(settings, "slack_signing_secret", None):
        from assistant.slack import mount_slack

        mount_slack(app, assistant, feedback, settings)

    # Outermost last: CORS headers go on every answer, the body limit's 413s included.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization", "X-API-Key"],
        max_age=600,
    )
    return app

