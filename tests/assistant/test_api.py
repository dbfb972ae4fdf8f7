"""The web API: the real model and a real Chroma store over a tiny corpus, called through FastAPI's test client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_corpus import (
    ESCALATION_QUESTION,
    PRIVATE_FACT,
    PRIVATE_QUESTION,
    REVIEWS_QUESTION,
    URGENT_QUESTION,
    write_web_corpus,
)

from assistant.api import create_app
from assistant.embeddings import Embedder
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.settings import Settings

MakeClient = Callable[..., TestClient]


@pytest.fixture(scope="module")
def web_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    root = tmp_path_factory.mktemp("web-api")
    settings = Settings(data_dir=root / "data", corpus_dir=write_web_corpus(root / "corpus"))
    bot = Assistant(settings, embedder)
    report = bot.ensure_index()
    assert report is not None and not report.failed
    return bot


@pytest.fixture
def make_client(web_assistant: Assistant) -> Iterator[MakeClient]:
    """make_client(**web settings) -> a TestClient over create_app; rate limit off unless asked for."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        overrides.setdefault("rate_limit_per_minute", 0)
        settings = web_assistant.settings.model_copy(update=overrides)
        client = TestClient(create_app(settings, web_assistant))
        client.__enter__()  # runs the lifespan
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def cited_documents(answer: dict) -> set[str]:
    return {c["document"] for c in answer["citations"] + answer["closest_sources"]}


# --- answers ----------------------------------------------------------------------------------------


def test_ask_returns_the_same_json_as_the_cli(make_client: MakeClient, web_assistant: Assistant) -> None:
    response = make_client().post("/v1/ask", json={"question": REVIEWS_QUESTION})

    assert response.status_code == 200
    body = response.json()
    expected = web_assistant.ask(REVIEWS_QUESTION).public_json()
    assert set(body) == set(expected)  # no internal timings
    assert {k: v for k, v in body.items() if k != "answer_id"} == {
        k: v for k, v in expected.items() if k != "answer_id"
    }
    assert body["answered"] and "14 rapid reviews" in body["answer"]
    assert body["citations"][0]["document"] == "annual-report-2023"


def test_stream_sends_sources_then_the_answer_in_parts_then_done(make_client: MakeClient) -> None:
    response = make_client().post("/v1/ask/stream", json={"question": ESCALATION_QUESTION})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "sources" and names[-1] == "done"
    assert set(names[1:-1]) == {"delta"} and len(names) >= 4  # the answer comes in several parts
    sources, done = events[0][1], events[-1][1]
    assert sources["citations"] == done["citations"] and sources["citations"]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert done["answered"] and "5 working days" in done["answer"]


def test_stream_carries_the_emergency_notice_first(make_client: MakeClient, emergency_text: str) -> None:
    events = sse_events(make_client().post("/v1/ask/stream", json={"question": URGENT_QUESTION}).text)

    assert events[0][0] == "sources" and events[0][1]["notice"] == emergency_text
    assert events[-1][1]["notice"] == emergency_text


# --- input rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 422, "question is required"),
        ({"question": ""}, 422, "question: String should have at least 1 character"),
        ({"question": "   \n "}, 422, "the question is empty"),
        ({"question": "x" * 2001}, 422, "at most 2000 characters"),
        ({"question": 42}, 422, "question: Input should be a valid string"),
        ({"question": "Who chairs the partnership?", "topic": "x"}, 422, "topic is not a field"),
        ({"question": "Q?", "filters": {"types": ["novel"]}}, 422, "filters.types.0: Input should be 'report'"),
        ({"question": "Q?", "filters": {"year_from": 2024, "year_to": 2020}}, 422, "year_from (2024) is after"),
        ({"question": "Q?", "filters": {"year_from": 3000}}, 422, "filters.year_from"),
        ({"question": "Q?", "filters": {"year_from": True}}, 422, "filters.year_from"),  # strict: true is no year
        ({"question": "Q?", "filters": {"since": 2020}}, 422, "filters.since is not a field"),
        ({"question": "Q?", "filters": {"audience": "practitioners"}}, 403, "only answers from documents"),
    ],
)
def test_bad_questions_get_a_clear_4xx(make_client: MakeClient, body: dict, status: int, message: str) -> None:
    client = make_client()
    for path in ("/v1/ask", "/v1/ask/stream"):
        response = client.post(path, json=body)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"  # refused before any stream starts
        assert message in response.json()["detail"]


def test_malformed_and_oversized_bodies_are_refused(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=4096)
    headers = {"Content-Type": "application/json"}

    bad_json = client.post("/v1/ask", content=b'{"question": ', headers=headers)
    assert bad_json.status_code == 422 and "not valid JSON" in bad_json.json()["detail"]

    huge = json.dumps({"question": "a" * 5000}).encode()
    too_big = client.post("/v1/ask", content=huge, headers=headers)
    assert too_big.status_code == 413 and "larger than 4096 bytes" in too_big.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"question": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    streamed = client.post("/v1/ask", content=chunks(), headers=headers)
    assert streamed.status_code == 413


# --- feedback ---------------------------------------------------------------------------------------


def test_feedback_is_stored_in_the_data_directory(make_client: MakeClient, web_assistant: Assistant) -> None:
    client = make_client()
    answer_id = client.post("/v1/ask", json={"question": REVIEWS_QUESTION}).json()["answer_id"]

    response = client.post(
        "/v1/feedback", json={"answer_id": answer_id, "helpful": False, "comment": "  Needs the 2024 figure. "}
    )

    assert response.status_code == 201 and response.json() == {"status": "recorded"}
    store = FeedbackStore(web_assistant.settings.feedback_path)
    try:
        [entry] = store.entries(answer_id)
    finally:
        store.close()
    assert (entry.helpful, entry.comment, entry.channel) == (False, "Needs the 2024 figure.", "web")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"helpful": True}, "answer_id is required"),
        ({"answer_id": "abc", "helpful": "perhaps"}, "helpful: Input should be a valid boolean"),
        ({"answer_id": "abc", "helpful": 0}, "helpful: Input should be a valid boolean"),  # strict: 0 is not false
        ({"answer_id": "../../etc", "helpful": True}, "answer_id: String should match pattern"),
        ({"answer_id": "abc", "helpful": True, "comment": "x" * 2001}, "comment: String should have at most"),
    ],
)
def test_bad_feedback_is_refused(make_client: MakeClient, body: dict, message: str) -> None:
    response = make_client().post("/v1/feedback", json=body)

    assert response.status_code == 422 and message in response.json()["detail"]


# --- CORS, rate limit, API key ---------------------------------------------------------------------------


def test_cors_allows_only_the_listed_origins(make_client: MakeClient) -> None:
    client = make_client(cors_origins=["https://partner.example.org"])
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}

    allowed = client.options("/v1/ask", headers={"Origin": "https://partner.example.org", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://partner.example.org"

    other = client.options("/v1/ask", headers={"Origin": "https://evil.example.com", **preflight})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers

    response = client.get("/v1/sources", headers={"Origin": "https://evil.example.com"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers

    default = make_client().get("/v1/sources", headers={"Origin": "https://partner.example.org"})
    assert "access-control-allow-origin" not in default.headers  # no wildcard by default


def test_rate_limit_per_client(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=3)

    statuses = [client.post("/v1/ask", json={"question": REVIEWS_QUESTION}).status_code for _ in range(3)]
    refused = client.post("/v1/ask", json={"question": REVIEWS_QUESTION})

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "at most 3 a minute" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # health checks are never limited


def test_api_key_when_configured(make_client: MakeClient) -> None:
    client = make_client(api_key="s3cret-key")
    body = {"question": REVIEWS_QUESTION}

    missing = client.post("/v1/ask", json=body)
    assert missing.status_code == 401 and "Bearer" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert client.post("/v1/ask", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.post("/v1/ask", json=body, headers={"Authorization": "Bearer s3cret-key"}).status_code == 200
    assert client.post("/v1/ask", json=body, headers={"X-API-Key": "s3cret-key"}).status_code == 200
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200


# --- audience -------------------------------------------------------------------------------------------


def test_public_endpoint_never_cites_practitioner_documents(make_client: MakeClient) -> None:
    public = make_client()

    answer = public.post("/v1/ask", json={"question": PRIVATE_QUESTION}).json()
    streamed = public.post("/v1/ask/stream", json={"question": PRIVATE_QUESTION}).text
    filtered = public.post("/v1/ask", json={"question": PRIVATE_QUESTION, "filters": {"types": ["bulletin"]}})
    sources = public.get("/v1/sources").json()["documents"]

    assert "staff-briefing" not in cited_documents(answer)
    assert PRIVATE_FACT not in json.dumps(answer) and PRIVATE_FACT not in streamed
    assert PRIVATE_FACT not in filtered.text
    assert {d["id"] for d in sources} == {"escalation-protocol", "annual-report-2023", "bath-safety"}

    # The same question on a staff deployment finds it: the public answer above was filtered, not unlucky.
    staff = make_client(api_public=False).post("/v1/ask", json={"question": PRIVATE_QUESTION}).json()
    assert staff["answered"] and PRIVATE_FACT in staff["answer"]
    assert staff["citations"][0]["document"] == "staff-briefing"


# --- startup ------------------------------------------------------------------------------------------


class GatedAssistant(Assistant):
    """An assistant whose index load waits until the test opens the gate."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        super().__init__(settings, embedder)
        self.gate = threading.Event()

    def ensure_index(self, progress=None):  # noqa: ANN001, ANN201 - same signature as Assistant's
        assert self.gate.wait(60), "the test never opened the gate"
        return super().ensure_index(progress)


def test_not_ready_until_the_index_is_loaded_and_an_empty_index_is_ingested(
    tmp_path: Path, embedder: Embedder
) -> None:
    corpus = write_web_corpus(tmp_path / "corpus")
    for path in corpus.iterdir():
        if not path.name.startswith("annual-report"):
            path.unlink()
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, rate_limit_per_minute=0)
    bot = GatedAssistant(settings, embedder)

    with TestClient(create_app(settings, bot)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        waiting = client.get("/readyz")
        assert waiting.status_code == 503 and waiting.json()["status"] == "loading"
        early = client.post("/v1/ask", json={"question": REVIEWS_QUESTION})
        assert early.status_code == 503 and "still loading" in early.json()["detail"]

        bot.gate.set()
        deadline = time.monotonic() + 120
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the index never became ready"
            time.sleep(0.2)
        answer = client.post("/v1/ask", json={"question": REVIEWS_QUESTION}).json()

    assert answer["answered"] and "14 rapid reviews" in answer["answer"]


# --- page, widget and docs ----------------------------------------------------------------------------------


def test_page_widget_and_docs_are_served(make_client: MakeClient) -> None:
    client = make_client()

    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'src="/static/chat.js"' in page.text
    widget = client.get("/widget.js")
    assert widget.status_code == 200 and "attachShadow" in widget.text
    for path in ("/static/chat.js", "/static/chat.css", "/static/sample-host.html", "/docs"):
        assert client.get(path).status_code == 200, path
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/ask/stream", "/v1/sources", "/v1/feedback", "/healthz", "/readyz"} <= set(paths)


def test_themes_endpoint_returns_cited_themes_and_refuses_bad_filters(make_client: MakeClient) -> None:
    client = make_client()

    response = client.get("/v1/themes")
    bad = client.get("/v1/themes", params={"since": 2025, "until": 2020})

    assert response.status_code == 200
    body = response.json()
    assert body["audience"] == "public"
    for theme in body["themes"]:
        for passage in theme["passages"]:
            assert passage["citation"]["quote"] and passage["citation"]["section"]
    assert bad.status_code == 422
