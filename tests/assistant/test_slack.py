"""The Slack door end to end: a real Bolt app in HTTP mode, mounted on FastAPI and served by uvicorn on
127.0.0.1, receives signed requests the way Slack sends them; Slack's Web API and response URLs are a
local stub that records what the app sent. The Assistant is real (real model, real Chroma) over a small
synthetic corpus; to see an answer streamed, a test wraps its answerer so the answer comes a word at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
import yaml
from fastapi import FastAPI
from slack_api_stub import BOT_USER_ID, TEAM_ID, ApiCall, SlackApiStub
from slack_sdk.signature import SignatureVerifier

from assistant.answer import Answerer, Draft
from assistant.embeddings import Embedder
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.settings import PROJECT_ROOT, Settings
from assistant.slack import (
    COMMAND,
    EVENTS_PATH,
    FAILED,
    SlackConfigError,
    create_slack_app,
    mount_slack,
    question_text,
    run_socket_mode,
)
from assistant.slack_blocks import (
    FEEDBACK_HELPFUL,
    FEEDBACK_NOT_HELPFUL,
    SEARCHING_TEXT,
    SHARE_ANSWER,
    WRITING_BLOCK_ID,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL = "C0GUIDANCE"
UPDATE_SECONDS = 0.3  # least time between chat.update calls while an answer is written (1 s in production)

RPD = """# Resolving Professional Differences protocol

## Purpose

Practitioners from different agencies sometimes disagree about a child's needs, a referral decision or
the progress of a plan. This protocol sets out how a practitioner resolves a professional disagreement
quickly and escalates it when it cannot be resolved, so that the child's safety stays at the centre.

## Escalation stages

### Stage 1: practitioner to practitioner

The practitioner who disagrees raises the concern directly with the other practitioner, by telephone or
in person, within two working days, and records the disagreement and the outcome on the child's file.

### Stage 2: line managers

If the disagreement is not resolved at stage 1, the practitioner escalates to their line manager, who
contacts the other agency's line manager within five working days to agree a way forward.

### Stage 3: designated safeguarding leads

If line managers cannot agree, the disagreement is escalated to the designated safeguarding leads of both
agencies, who meet within ten working days and record their decision.

### Stage 4: partnership business unit

Unresolved disagreements are referred to the partnership business unit, whose manager convenes a
resolution meeting and reports themes to the partnership's quality assurance subgroup.
"""

NEGLECT = """# Neglect toolkit

## Graded care profile

The graded care profile helps practitioners measure the quality of care a child receives against the
child's physical, emotional and developmental needs.

### Stage 2 of the graded care profile

At stage 2 of the graded care profile the practitioner scores each area of care with the family and
agrees the areas that need support in a written plan.

## Signs of neglect

Signs of neglect include poor hygiene, missed health appointments, hunger and inadequate supervision.
"""

BULLETIN = """# Learning bulletin: bruising in non-mobile babies

## What happened

A rapid review considered a baby of four months who was seen with a small bruise on the cheek by a
health visitor. The bruise was not referred to children's social care.

## Learning for practitioners

Any bruise on a baby who is not yet crawling or walking must be referred to children's social care the
same day, and the baby must be seen by a paediatrician, whatever explanation is given.
"""

DOCS = {
    "rpd-protocol.md": (
        RPD,
        {
            "id": "rpd-protocol-2024",
            "title": "Resolving Professional Differences protocol",
            "type": "protocol",
            "published": "2024-03-01",
            "url": "https://example.org/rpd-protocol",
        },
    ),
    "neglect-toolkit.md": (
        NEGLECT,
        {
            "id": "neglect-toolkit",
            "title": "Neglect toolkit",
            "type": "guidance",
            "published": "2023-05-01",
            "url": "https://example.org/neglect",
        },
    ),
    "bruising-bulletin.md": (
        BULLETIN,
        {
            "id": "bruising-bulletin",
            "title": "Learning bulletin: bruising",
            "type": "bulletin",
            "published": "2024-01-10",
            "url": "https://example.org/bruising",
        },
    ),
}


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slack_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    corpus = tmp_path_factory.mktemp("slack-corpus")
    for name, (text, meta) in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
        lines = [f"{key} = {json.dumps(value)}" for key, value in meta.items()]
        (corpus / f"{name}.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("slack-index"), corpus_dir=corpus)
    assistant = Assistant(settings, embedder)
    report = assistant.ensure_index()
    assert report is not None and not report.failed
    return assistant


@pytest.fixture(scope="module")
def stub() -> Iterator[SlackApiStub]:
    stub = SlackApiStub().start()
    yield stub
    stub.stop()


@pytest.fixture(scope="module")
def feedback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FeedbackStore]:
    store = FeedbackStore(tmp_path_factory.mktemp("slack-feedback") / "feedback.sqlite3")
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(slack_assistant: Assistant, stub: SlackApiStub, feedback: FeedbackStore) -> Iterator[str]:
    """A FastAPI app with the Slack app mounted, served by uvicorn on 127.0.0.1; yields its base URL."""
    settings = slack_assistant.settings.model_copy(
        update={
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "slack_api_url": stub.base_url,
            "slack_update_seconds": UPDATE_SECONDS,
        }
    )
    app = FastAPI()
    mount_slack(app, slack_assistant, feedback, settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _fresh_stub(stub: SlackApiStub) -> None:
    stub.reset()


# --- sending signed requests ----------------------------------------------------------------------


def sign(body: str, timestamp: int, secret: str = SECRET) -> str:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def post(
    server: str,
    body: str,
    content_type: str,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    timestamp = int(time.time()) if timestamp is None else timestamp
    sent = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(body, timestamp, secret),
        **(headers or {}),
    }
    return httpx.post(server + EVENTS_PATH, content=body.encode(), headers=sent, timeout=30)


def send_event(server: str, event: dict, event_id: str | None = None, **kwargs) -> httpx.Response:
    body = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0ASSIST",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }
    return post(server, json.dumps(body), "application/json", **kwargs)


def send_command(server: str, stub: SlackApiStub, text: str, response: str = "command") -> httpx.Response:
    form = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "partnership",
        "channel_id": CHANNEL,
        "channel_name": "safeguarding",
        "user_id": "U0ASKER",
        "user_name": "sam",
        "command": COMMAND,
        "text": text,
        "api_app_id": "A0ASSIST",
        "response_url": stub.response_url(response),
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    }
    return post(server, urlencode(form), "application/x-www-form-urlencoded")


def send_button(
    server: str, stub: SlackApiStub, action_id: str, value: str, response: str, ephemeral: bool = False
) -> httpx.Response:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "partnership"},
        "user": {"id": "U0CLICKER", "username": "alex", "team_id": TEAM_ID},
        "api_app_id": "A0ASSIST",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": "2000000001.000100",
            "channel_id": CHANNEL,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "channel": {"id": CHANNEL, "name": "safeguarding"},
        "response_url": stub.response_url(response),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "answer_actions",
                "value": value,
                "text": {"type": "plain_text", "text": "button"},
                "action_ts": str(time.time()),
            }
        ],
    }
    return post(server, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def mention(text: str, ts: str, thread_ts: str | None = None, channel: str = CHANNEL) -> dict:
    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def block_text(blocks: list[dict]) -> str:
    """All the text in a message's blocks, for assertions."""
    return json.dumps(blocks, ensure_ascii=False)


def buttons(blocks: list[dict]) -> dict[str, str]:
    """action_id -> value of every button in the blocks."""
    return {e["action_id"]: e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}


def is_writing(update: ApiCall) -> bool:
    """A chat.update that shows an answer still being written (not the finished answer or an error)."""
    return any(b.get("block_id") == WRITING_BLOCK_ID for b in update.blocks)


def finished_updates(stub: SlackApiStub, count: int = 1) -> list[ApiCall]:
    """The chat.update calls that put a finished answer (or an error) in place, once `count` have come."""
    return stub.wait_for(
        lambda: len(done := [u for u in stub.calls_to("chat.update") if not is_writing(u)]) >= count and done
    )


class WrittenSlowly:
    """The real answerer, its answer streamed the way the LLM answerer streams one: the citations, then the
    text a word at a time with a pause before each word, then the Draft; optionally failing half-way."""

    def __init__(self, answerer: Answerer, pause: float, fail_after: int | None = None) -> None:
        self.answerer, self.pause, self.fail_after = answerer, pause, fail_after
        self.words = 0

    def compose(self, question: str, vector, hits) -> Draft:  # noqa: ANN001
        return self.answerer.compose(question, vector, hits)

    def compose_stream(self, question: str, vector, hits) -> Iterator[object]:  # noqa: ANN001
        draft = self.answerer.compose(question, vector, hits)
        if draft.answered:
            yield draft.citations
            for word in re.findall(r"\S+\s*", draft.text):
                if self.words == self.fail_after:
                    raise ConnectionError("the model server went away")
                time.sleep(self.pause)
                self.words += 1
                yield word
        yield draft


# --- the tests -------------------------------------------------------------------------------------


def test_mention_is_acked_at_once_and_answered_in_a_thread_with_linked_sources(server: str, stub: SlackApiStub) -> None:
    started = time.monotonic()
    response = send_event(
        server,
        mention("How do I escalate a professional disagreement to line managers?", "1700000000.000100"),
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 3, "Slack needs an acknowledgement within 3 seconds"

    update = finished_updates(stub)[0]
    placeholder = stub.calls_to("chat.postMessage")[0]
    assert placeholder.body["thread_ts"] == "1700000000.000100"
    assert placeholder.body["channel"] == CHANNEL
    assert SEARCHING_TEXT in placeholder.body["text"]
    assert update.token == "xoxb-test"
    assert update.body["channel"] == CHANNEL
    assert update.body["ts"].endswith(".000100") and update.body["ts"] != "1700000000.000100"

    sent = block_text(update.blocks)
    assert "line manager" in sent
    assert "*Sources*" in sent
    assert "[1] <https://example.org/rpd-protocol|Resolving Professional Differences protocol> · " in sent
    assert "Stage 2: line managers" in sent
    values = buttons(update.blocks)
    assert set(values) == {FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL}
    assert len(set(values.values())) == 1 and len(values[FEEDBACK_HELPFUL]) == 32
    assert "line manager" in update.body["text"]  # the plain-text fallback carries the answer too
    assert len(stub.calls_to("chat.postMessage")) == 1
    assert stub.calls_to("chat.update")[-1] is update  # nothing changed the answer afterwards
    assert {u.body["ts"] for u in stub.calls_to("chat.update")} == {update.body["ts"]}  # the placeholder's


def test_follow_up_in_a_thread_takes_the_earlier_question_into_account(
    server: str, stub: SlackApiStub, slack_assistant: Assistant
) -> None:
    parent = "1700000100.000100"
    stub.add_message(
        CHANNEL,
        parent,
        f"<@{BOT_USER_ID}> How do I resolve a disagreement with another agency "
        "under the professional differences protocol?",
    )
    stub.add_message(
        CHANNEL,
        "1700000101.000100",
        "Raise it with the other practitioner first. [1]",
        user=BOT_USER_ID,
        thread_ts=parent,
        bot_id="BBOT",
    )

    send_event(server, mention("What happens at stage 2?", "1700000102.000100", thread_ts=parent))

    update = finished_updates(stub)[0]
    replies = stub.calls_to("conversations.replies")
    assert replies and replies[0].body["ts"] == parent and replies[0].body["channel"] == CHANNEL
    assert stub.calls_to("chat.postMessage")[0].body["thread_ts"] == parent
    sent = block_text(update.blocks)
    assert "Resolving Professional Differences protocol" in sent
    assert "line manager" in sent
    assert "graded care profile" not in sent.lower()
    # Asked on its own, the same words could be about either document's "stage 2".
    alone = slack_assistant.ask("What happens at stage 2?")
    assert any(c.document == "neglect-toolkit" for c in alone.citations + alone.closest_sources)


def test_direct_message_is_answered_in_the_dm(server: str, stub: SlackApiStub) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "user": "U0ASKER",
        "text": "Must a bruise on a baby who is not crawling be referred?",
        "ts": "1700000200.000100",
        "event_ts": "1700000200.000100",
    }
    assert send_event(server, event).status_code == 200

    update = finished_updates(stub)[0]
    placeholder = stub.calls_to("chat.postMessage")[0]
    assert placeholder.body["channel"] == "D0DIRECT"
    assert "thread_ts" not in placeholder.body  # a top-level reply in the DM
    assert update.body["channel"] == "D0DIRECT"
    sent = block_text(update.blocks)
    assert "same day" in sent
    assert "<https://example.org/bruising|Learning bulletin: bruising>" in sent


def test_other_message_events_get_no_answer(server: str, stub: SlackApiStub) -> None:
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "ts": "1700000250.000100",
        "message": {"text": "edited", "user": "U0ASKER"},
    }
    own = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "bot_id": "BBOT",
        "user": BOT_USER_ID,
        "text": "an answer the bot posted",
        "ts": "1700000251.000100",
    }
    assert send_event(server, edited).status_code == 200
    assert send_event(server, own).status_code == 200
    # A later question is answered; nothing was posted for the two events before it.
    send_event(server, mention("What is stage 3 of the escalation?", "1700000252.000100"))
    finished_updates(stub)
    assert [c.body.get("thread_ts") for c in stub.calls_to("chat.postMessage")] == ["1700000252.000100"]


def test_an_empty_mention_gets_a_private_usage_hint(server: str, stub: SlackApiStub) -> None:
    send_event(
        server,
        {
            "type": "app_mention",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER_ID}>",
            "ts": "1700000300.000100",
            "channel": CHANNEL,
        },
    )
    hint = stub.wait_for(lambda: stub.calls_to("chat.postEphemeral"))[0]
    assert hint.body["user"] == "U0ASKER" and hint.body["channel"] == CHANNEL
    assert COMMAND in hint.body["text"]
    assert not stub.calls_to("chat.postMessage")


def test_urgent_question_puts_the_emergency_notice_first(server: str, stub: SlackApiStub, emergency_text: str) -> None:
    send_event(
        server,
        mention(
            "A baby has bruising and is in immediate danger at home right now, what do I do?",
            "1700000400.000100",
        ),
    )
    update = finished_updates(stub)[0]
    first = update.blocks[0]["text"]["text"]
    assert "Urgent" in first and "call 999 now" in first
    assert update.body["text"].startswith("URGENT: ")


def test_question_the_guidance_does_not_cover_gets_the_not_covered_message(
    server: str, stub: SlackApiStub, not_covered_text: str
) -> None:
    send_event(server, mention("What is the recipe for a Victoria sponge cake?", "1700000500.000100"))
    update = finished_updates(stub)[0]
    sent = block_text(update.blocks)
    assert "Not covered by the guidance" in sent
    assert "does not cover this" in sent
    assert "*Sources*" not in sent
    assert set(buttons(update.blocks)) == {FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL}


def test_slash_command_answers_privately_with_a_share_button_that_posts_to_the_channel(
    server: str, stub: SlackApiStub
) -> None:
    response = send_command(server, stub, "How long do designated safeguarding leads have to meet?")
    assert response.status_code == 200
    ack = response.json()
    assert ack["response_type"] == "ephemeral"
    assert SEARCHING_TEXT in ack["text"]

    answer = stub.wait_for(lambda: stub.calls_to("response:command"))[0]
    assert answer.body["response_type"] == "ephemeral"
    assert answer.body["replace_original"] is True
    assert "ten working days" in block_text(answer.blocks)
    values = buttons(answer.blocks)
    assert set(values) == {FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL, SHARE_ANSWER}
    assert not stub.calls_to("chat.postMessage")  # nobody else has seen it yet

    send_button(server, stub, SHARE_ANSWER, values[SHARE_ANSWER], response="share", ephemeral=True)
    shared = stub.wait_for(lambda: stub.calls_to("chat.postMessage"))[0]
    assert shared.body["channel"] == CHANNEL
    sent = block_text(shared.blocks)
    assert "ten working days" in sent
    assert "<@U0CLICKER> asked: How long do designated safeguarding leads have to meet?" in sent
    assert SHARE_ANSWER not in buttons(shared.blocks)
    deleted = stub.wait_for(lambda: stub.calls_to("response:share", delete_original=True))
    assert len(deleted) == 1


def test_sharing_into_a_private_channel_the_bot_is_not_in_uses_the_response_url(
    server: str, stub: SlackApiStub
) -> None:
    send_command(server, stub, "What happens at stage 4 of the professional differences protocol?")
    answer = stub.wait_for(lambda: stub.calls_to("response:command"))[0]
    stub.errors[("chat.postMessage", CHANNEL)] = "not_in_channel"
    send_button(server, stub, SHARE_ANSWER, buttons(answer.blocks)[SHARE_ANSWER], response="share", ephemeral=True)
    posted = stub.wait_for(lambda: stub.calls_to("response:share", response_type="in_channel"))[0]
    assert "business unit" in block_text(posted.blocks)
    stub.wait_for(lambda: stub.calls_to("response:share", delete_original=True))


def test_empty_slash_command_gets_usage(server: str, stub: SlackApiStub) -> None:
    response = send_command(server, stub, "   ")
    assert response.status_code == 200
    assert COMMAND in response.json()["text"]


def test_feedback_buttons_are_recorded_in_the_shared_store(
    server: str, stub: SlackApiStub, feedback: FeedbackStore
) -> None:
    send_event(server, mention("Who convenes a resolution meeting?", "1700000600.000100"))
    update = finished_updates(stub)[0]
    answer_id = buttons(update.blocks)[FEEDBACK_HELPFUL]

    assert send_button(server, stub, FEEDBACK_HELPFUL, answer_id, response="fb1").status_code == 200
    assert send_button(server, stub, FEEDBACK_NOT_HELPFUL, answer_id, response="fb2").status_code == 200
    entries = stub.wait_for(lambda: len(feedback.entries(answer_id)) == 2 and feedback.entries(answer_id))
    assert sorted((e.helpful, e.channel) for e in entries) == [(False, "slack"), (True, "slack")]
    thanks = stub.wait_for(lambda: stub.calls_to("response:fb1"))[0]
    assert thanks.body["response_type"] == "ephemeral" and thanks.body["replace_original"] is False
    assert "Thanks" in thanks.body["text"]


def test_retries_and_repeated_events_never_produce_a_second_answer(server: str, stub: SlackApiStub) -> None:
    event = mention("What is stage 1 of the protocol?", "1700000700.000100")
    send_event(server, event, event_id="EvFIRST0001")
    finished_updates(stub)

    retry = send_event(
        server,
        event,
        event_id="EvFIRST0001",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    repeat = send_event(server, event, event_id="EvFIRST0001")
    assert retry.status_code == 200 and repeat.status_code == 200
    # A retry is dropped even when its first delivery was never seen (it may be in flight elsewhere).
    unseen = send_event(
        server,
        mention("What is stage 2?", "1700000701.000100"),
        event_id="EvUNSEEN001",
        headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"},
    )
    assert unseen.status_code == 200

    # A new question afterwards is answered: by then any second answer would have been posted.
    send_event(server, mention("Who scores the graded care profile?", "1700000702.000100"))
    finished_updates(stub, 2)
    threads = [c.body.get("thread_ts") for c in stub.calls_to("chat.postMessage")]
    assert threads == ["1700000700.000100", "1700000702.000100"]


def test_url_verification_challenge_is_answered(server: str) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = post(server, body, "application/json")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


@pytest.mark.parametrize(
    "secret, age_s",
    [("not-the-signing-secret", 0), (SECRET, 10 * 60)],
    ids=["bad-signature", "stale-timestamp"],
)
def test_unsigned_or_stale_requests_are_refused(server: str, stub: SlackApiStub, secret: str, age_s: int) -> None:
    body = json.dumps({"token": "legacy", "challenge": "abc", "type": "url_verification"})
    assert post(server, body, "application/json", secret=secret, timestamp=int(time.time()) - age_s).status_code == 401
    response = send_event(
        server,
        mention("What is stage 1 of the protocol?", "1700000800.000100"),
        secret=secret,
        timestamp=int(time.time()) - age_s,
    )
    assert response.status_code == 401
    # Our own signature helper agrees with slack_sdk's verifier, so the 401 is about the request.
    assert SignatureVerifier(SECRET).is_valid(body, str(int(time.time())), sign(body, int(time.time())))
    time.sleep(0.5)
    assert not stub.calls_to("chat.postMessage")


def test_mounting_without_a_signing_secret_says_what_to_set(
    slack_assistant: Assistant, feedback: FeedbackStore
) -> None:
    settings = slack_assistant.settings.model_copy(update={"slack_signing_secret": None})
    with pytest.raises(SlackConfigError, match="SLACK_SIGNING_SECRET"):
        mount_slack(FastAPI(), slack_assistant, feedback, settings)


def test_question_text_strips_mentions_and_links() -> None:
    assert question_text(f"<@{BOT_USER_ID}> what is <https://x.org|RPD> &amp; stage 2?") == "what is RPD & stage 2?"


def test_creating_the_app_without_a_bot_token_or_app_token_says_what_to_set(
    slack_assistant: Assistant, feedback: FeedbackStore
) -> None:
    settings = slack_assistant.settings.model_copy(update={"slack_bot_token": None, "slack_app_token": None})
    with pytest.raises(SlackConfigError, match="SLACK_BOT_TOKEN"):
        create_slack_app(settings, slack_assistant, feedback)
    with pytest.raises(SlackConfigError, match="SLACK_APP_TOKEN"):
        run_socket_mode(settings, slack_assistant, feedback)


def test_manifest_subscribes_to_what_the_app_listens_for() -> None:
    manifest = yaml.safe_load((PROJECT_ROOT / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert settings["interactivity"]["is_enabled"] and settings["interactivity"]["request_url"].endswith(EVENTS_PATH)
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["url"].endswith(EVENTS_PATH)
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {"app_mentions:read", "chat:write", "chat:write.public", "commands", "im:history", "channels:history"}
    assert needed <= scopes


def test_slash_command_themes_form_lists_learning_not_an_answer(server: str, stub: SlackApiStub) -> None:
    response = send_command(server, stub, "themes escalation")
    assert response.status_code == 200

    reply = stub.wait_for(lambda: stub.calls_to("response:command"))[0]
    assert reply.body["text"] == "Learning about escalation"
    text = block_text(reply.blocks)
    assert "Learning about “escalation”" in text or "No learning passages found" in text
    assert FEEDBACK_HELPFUL not in buttons(reply.blocks)  # a themes list is not an answer to rate


def test_a_streamed_answer_is_shown_as_it_is_written_at_most_one_update_per_interval(
    server: str, stub: SlackApiStub, slack_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed = WrittenSlowly(slack_assistant.answerer, pause=0.025)
    monkeypatch.setattr(slack_assistant, "answerer", streamed)
    send_event(
        server, mention("How do I escalate a professional disagreement to line managers?", "1700000900.000100")
    )

    final = finished_updates(stub)[0]
    [placeholder] = stub.calls_to("chat.postMessage")
    updates = stub.calls_to("chat.update")
    assert updates[-1] is final and len({u.body["ts"] for u in updates}) == 1
    writing = updates[:-1]
    assert len(writing) >= 2 and all(is_writing(u) for u in writing)
    assert streamed.words > 2 * len(writing)  # most words were shown together with later ones
    times = [placeholder.at] + [u.at for u in updates]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= UPDATE_SECONDS

    # The text so far, plain: it only grows, and the finished answer goes on from the last of it.
    so_far = [u.blocks[0]["text"]["text"] for u in writing]
    assert all(len(a) < len(b) and b.startswith(a) for a, b in zip(so_far, so_far[1:], strict=False))
    assert final.blocks[0]["text"]["text"].startswith(so_far[-1])
    assert all(not buttons(u.blocks) and "*Sources*" not in block_text(u.blocks) for u in writing)
    # The finished answer is the usual one: sources and feedback buttons.
    assert "line manager" in block_text(final.blocks) and "*Sources*" in block_text(final.blocks)
    assert set(buttons(final.blocks)) == {FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL}


def test_an_answer_that_fails_half_way_ends_with_an_error_after_the_emergency_notice(
    server: str, stub: SlackApiStub, slack_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed = WrittenSlowly(slack_assistant.answerer, pause=0.05, fail_after=10)
    monkeypatch.setattr(slack_assistant, "answerer", streamed)
    send_event(
        server,
        mention(
            "A baby has bruising and is in immediate danger at home right now, what do I do?",
            "1700001000.000100",
        ),
    )

    final = finished_updates(stub)[0]
    updates = stub.calls_to("chat.update")
    assert streamed.words == 10 and updates[-1] is final
    assert len(updates) >= 2  # the notice (and some words) were shown before it failed
    for update in updates:  # while written and after failing: the emergency notice first
        assert "Urgent" in update.blocks[0]["text"]["text"] and "call 999 now" in update.blocks[0]["text"]["text"]
    # The words written so far are not left looking like an answer: only the notice and the error remain.
    assert [b["text"]["text"] for b in final.blocks[1:]] == [FAILED]
    assert final.body["text"].startswith("URGENT: ") and final.body["text"].endswith(FAILED)
    assert not buttons(final.blocks) and SEARCHING_TEXT not in block_text(final.blocks)
