"""A stand-in for Slack's Web API and response URLs: a small HTTP server on 127.0.0.1.

It speaks the protocol `slack_sdk` speaks (form, query or JSON bodies; `{"ok": true, ...}` answers) for the
methods the Slack app calls, and records every call so tests can assert the messages actually sent:

    stub = SlackApiStub().start()
    WebClient(token="xoxb-test", base_url=stub.base_url)
    stub.wait_for(lambda: stub.calls_to("chat.update"))
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

T = TypeVar("T")

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEST"


@dataclass
class ApiCall:
    """One request the app made: a Web API method (`chat.update`) or `response_url` POST (`response:<id>`),
    with when it arrived (`time.monotonic()`), so tests can check how often the app calls a method."""

    method: str
    body: dict[str, Any]
    token: str | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def blocks(self) -> list[dict]:
        blocks = self.body.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks


@dataclass
class SlackApiStub:
    calls: list[ApiCall] = field(default_factory=list)
    # conversations.replies answers: (channel, thread_ts) -> messages, oldest first.
    threads: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    # Methods that answer with an error for a channel: (method, channel) -> Slack error code.
    errors: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> SlackApiStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                stub._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                stub._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def origin(self) -> str:
        assert self._server is not None, "start() the stub first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.origin}/response/{name}"

    # --- what tests look at ----------------------------------------------------------------

    def calls_to(self, method: str, **matching: Any) -> list[ApiCall]:
        with self._lock:
            calls = list(self.calls)
        return [
            c for c in calls if c.method == method and all(c.body.get(k) == v for k, v in matching.items())
        ]

    def wait_for(self, condition: Callable[[], T], timeout: float = 60.0) -> T:
        """Poll `condition` until it returns something truthy (lazy listeners answer in the background)."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                with self._lock:
                    made = [f"{c.method} {c.body}" for c in self.calls]
                raise AssertionError(f"timed out after {timeout}s; calls made:\n" + "\n".join(made))
            time.sleep(0.05)

    def add_message(
        self,
        channel: str,
        ts: str,
        text: str,
        user: str = "U0ASKER",
        thread_ts: str | None = None,
        **extra: Any,
    ) -> None:
        """Put a message in a thread (what conversations.replies returns for it)."""
        root = thread_ts or ts
        message = {"type": "message", "ts": ts, "user": user, "text": text, "thread_ts": root, **extra}
        with self._lock:
            self.threads.setdefault((channel, root), []).append(message)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.threads.clear()
            self.errors.clear()

    # --- the protocol ----------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode("utf-8") if length else ""
        body: dict[str, Any] = dict(parse_qsl(url.query))
        if raw:
            if (request.headers.get("Content-Type") or "").startswith("application/json"):
                body.update(json.loads(raw))
            else:
                body.update(parse_qsl(raw))
        auth = request.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ") or body.get("token")

        if url.path.startswith("/response/"):
            # A response_url: Slack answers plain "ok".
            self._record(ApiCall(f"response:{url.path.removeprefix('/response/')}", body, token))
            self._reply(request, 200, "ok", "text/plain")
            return
        if not url.path.startswith("/api/"):
            self._reply(request, 404, "not found", "text/plain")
            return
        method = url.path.removeprefix("/api/")
        self._record(ApiCall(method, body, token))
        if token != "xoxb-test" and method != "apps.connections.open":
            self._reply_json(request, {"ok": False, "error": "invalid_auth"})
            return
        error = self.errors.get((method, str(body.get("channel"))))
        if error:
            self._reply_json(request, {"ok": False, "error": error})
            return
        self._reply_json(request, self._answer(method, body))

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "team": "Test partnership",
                "user": "assistant",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = f"{2000000000 + next(self._ts)}.000100"
            message = {
                "type": "message",
                "ts": ts,
                "text": body.get("text", ""),
                "bot_id": BOT_ID,
                "user": BOT_USER_ID,
            }
            if body.get("thread_ts"):
                self.add_message(
                    str(body["channel"]),
                    ts,
                    message["text"],
                    BOT_USER_ID,
                    str(body["thread_ts"]),
                    bot_id=BOT_ID,
                )
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": message}
        if method == "chat.update":
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": body.get("ts"),
                "text": body.get("text", ""),
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{2000000000 + next(self._ts)}.000200"}
        if method == "conversations.replies":
            with self._lock:
                messages = list(self.threads.get((str(body.get("channel")), str(body.get("ts"))), []))
            if not messages:
                return {"ok": False, "error": "thread_not_found"}
            return {"ok": True, "messages": messages, "has_more": False}
        return {"ok": False, "error": "unknown_method"}

    def _record(self, call: ApiCall) -> None:
        with self._lock:
            self.calls.append(call)

    @staticmethod
    def _reply_json(request: BaseHTTPRequestHandler, payload: dict[str, Any]) -> None:
        SlackApiStub._reply(request, 200, json.dumps(payload), "application/json; charset=utf-8")

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, text: str, content_type: str) -> None:
        data = text.encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
