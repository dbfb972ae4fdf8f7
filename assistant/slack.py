"""The Slack door: a slack-bolt app that asks the same `Assistant` and posts its Answer as Block Kit.

- `@assistant question` in a channel → answer in a thread; a direct message → answer in the DM;
  `/ask-partnership question` → a private (ephemeral) answer with a "Share in channel" button.
- A question asked inside a thread takes the thread's earlier questions into account (assistant.followup).
- Slack wants an acknowledgement within 3 seconds: every listener acks at once and answers in a lazy
  listener, first posting "Searching the guidance…" and then replacing it with the answer as it is
  written (`Assistant.ask_stream`: the emergency notice and the text so far, at most one `chat.update`
  per `slack_update_seconds`, Slack's rate limit), and last with the whole answer, sources and buttons —
  or an error message if the answer failed half-way. The slash command's private answer comes whole.
- Slack retries an event it thinks was lost (`X-Slack-Retry-Num`); retries are acknowledged and dropped,
  and an event id is answered once, so one question never gets two answers.
- Two transports: HTTP (`mount_slack` adds POST /slack/events to the FastAPI app; requests must carry a
  valid signature) and Socket Mode (`run_socket_mode`, used by `assistant slack`).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from assistant.feedback import FeedbackStore
from assistant.followup import with_earlier_questions
from assistant.pipeline import Assistant, QuestionError
from assistant.schema import Answer
from assistant.settings import Settings
from assistant.slack_blocks import (
    FEEDBACK_HELPFUL,
    FEEDBACK_NOT_HELPFUL,
    FEEDBACK_THANKS,
    SEARCHING_TEXT,
    SHARE_ANSWER,
    answer_blocks,
    fallback_text,
    message_text,
    searching_blocks,
    theme_blocks,
    writing_blocks,
    writing_text,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

COMMAND = "/ask-partnership"
EVENTS_PATH = "/slack/events"
USAGE = (
    f"Ask me a question about the partnership's guidance, e.g. `{COMMAND} how do I escalate a disagreement?`"
)
FAILED = "Sorry, something went wrong while searching the guidance. Please try again in a moment."
EXPIRED = "This answer is no longer available to share. Please ask the question again."

# How many event ids and answers are remembered (for de-duplication and the Share button).
REMEMBERED_EVENTS = 5000
REMEMBERED_ANSWERS = 1000

logger = logging.getLogger(__name__)


class _ClientGivenFilter(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and then warns that the client we pass
    (built from the same token, with our base URL) wins; that warning is noise here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


bolt_logger = logging.getLogger(f"{__name__}.bolt")
bolt_logger.addFilter(_ClientGivenFilter())

_MENTION = re.compile(r"<[@!][^>]*>")
_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>|<([^<>|]+)>")


class SlackConfigError(ValueError):
    """Slack is not configured well enough to start; the message names the variable to set."""


class _Recent:
    """A bounded, thread-safe mapping that forgets its oldest entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def add_new(self, key: str, value: Any = True) -> bool:
        """Remember `key`; False if it was already remembered."""
        with self._lock:
            if key in self._items:
                return False
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return True

    def get(self, key: str) -> Any:
        with self._lock:
            return self._items.get(key)


def question_text(text: str) -> str:
    """The question in a Slack message: mentions removed, links and entities turned back into text."""
    text = _MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(3) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def _web_client(settings: Settings) -> WebClient:
    if not settings.slack_bot_token:
        raise SlackConfigError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from the Slack app's "
            "'OAuth & Permissions' page into the environment or .env"
        )
    base_url = settings.slack_api_url or WebClient.BASE_URL
    client = WebClient(token=settings.slack_bot_token, base_url=base_url.rstrip("/") + "/")
    # Rate limited (HTTP 429): wait as long as Slack says and send once more, rather than lose an answer.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    return client


class _UpdatedMessage:
    """A posted message (the "Searching…" placeholder) that shows an answer while it is written.

    `show` hands over the latest state; a background thread sends it with `chat.update` at most once per
    `interval` seconds (counted from the placeholder, then from each update), so states that arrive faster
    are skipped and only the latest is shown. `finish` drops what was not shown yet and sends the final
    message, still keeping the interval after the last update.
    """

    def __init__(self, client: WebClient, channel: str, ts: str, interval: float) -> None:
        self.client, self.channel, self.ts, self.interval = client, channel, ts, interval
        self._posted_at = time.monotonic()
        self._updated_at: float | None = None
        self._pending: tuple[str, list[dict]] | None = None
        self._finished = False
        self._changed = threading.Condition()
        self._sender = threading.Thread(target=self._send_updates, name=f"slack-update-{ts}", daemon=True)
        self._sender.start()

    def show(self, text: str, blocks: list[dict]) -> None:
        with self._changed:
            self._pending = (text, blocks)
            self._changed.notify()

    def finish(self, text: str, blocks: list[dict]) -> None:
        with self._changed:
            self._finished, self._pending = True, None
            self._changed.notify()
        self._sender.join()
        if self._updated_at is not None:
            time.sleep(max(0.0, self._updated_at + self.interval - time.monotonic()))
        self._update(text, blocks)

    def _send_updates(self) -> None:
        while True:
            with self._changed:
                while not self._finished:
                    due = max(self._posted_at, self._updated_at or 0.0) + self.interval - time.monotonic()
                    if self._pending is not None and due <= 0:
                        break
                    self._changed.wait(due if self._pending is not None else None)
                if self._finished:
                    return
                assert self._pending is not None
                (text, blocks), self._pending = self._pending, None
            try:
                self._update(text, blocks)
            except SlackApiError as exc:  # the final update still comes; a missed one only shows less text
                logger.warning("updating answer %s in %s while writing it failed: %s", self.ts, self.channel, exc)

    def _update(self, text: str, blocks: list[dict]) -> None:
        try:
            self.client.chat_update(channel=self.channel, ts=self.ts, text=text, blocks=blocks)
        finally:
            self._updated_at = time.monotonic()


class _SlackDoor:
    """The listeners: translate Slack payloads into `Assistant.ask` calls and Answers into messages."""

    def __init__(self, assistant: Assistant, feedback: FeedbackStore, update_seconds: float) -> None:
        self.assistant = assistant
        self.feedback = feedback
        self.update_seconds = update_seconds
        self.events = _Recent(REMEMBERED_EVENTS)
        self.answers = _Recent(REMEMBERED_ANSWERS)

    def register(self, app: App) -> None:
        app.middleware(self.drop_retries_and_repeats)
        app.event("app_mention")(ack=_ack, lazy=[self.answer_mention])
        app.event("message", matchers=[_is_direct_question])(ack=_ack, lazy=[self.answer_direct_message])
        app.event("message")(_ack)  # edits, deletions and other message events in DMs: nothing to do
        app.command(COMMAND)(ack=self.ack_command, lazy=[self.answer_command])
        app.action(FEEDBACK_HELPFUL)(ack=_ack, lazy=[self.record_feedback])
        app.action(FEEDBACK_NOT_HELPFUL)(ack=_ack, lazy=[self.record_feedback])
        app.action(SHARE_ANSWER)(ack=_ack, lazy=[self.share_answer])

    # --- one answer per question -----------------------------------------------------------

    def drop_retries_and_repeats(self, request: Any, body: dict, next: Any) -> BoltResponse | None:  # noqa: A002
        """Acknowledge Slack's retries without answering again, and answer each event id once."""
        if request.headers.get("x-slack-retry-num"):
            return BoltResponse(status=200, body="")
        event_id = body.get("event_id")
        if event_id and not self.events.add_new(event_id):
            return BoltResponse(status=200, body="")
        return next()

    # --- mentions and direct messages ------------------------------------------------------

    def answer_mention(self, event: dict, client: WebClient, context: dict) -> None:
        self._answer_message(event, client, context, reply_thread=event.get("thread_ts") or event["ts"])

    def answer_direct_message(self, event: dict, client: WebClient, context: dict) -> None:
        self._answer_message(event, client, context, reply_thread=event.get("thread_ts"))

    def _answer_message(
        self, event: dict, client: WebClient, context: dict, reply_thread: str | None
    ) -> None:
        channel, user = event["channel"], event.get("user", "")
        question = question_text(event.get("text", ""))
        if not question:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=reply_thread, text=USAGE)
            return
        if event.get("thread_ts"):
            earlier = self._earlier_questions(client, context, channel, event["thread_ts"], event["ts"])
            question = with_earlier_questions(question, earlier)
        placeholder = client.chat_postMessage(
            channel=channel, thread_ts=reply_thread, text=SEARCHING_TEXT, blocks=searching_blocks()
        )
        message = _UpdatedMessage(client, channel, placeholder["ts"], self.update_seconds)
        message.finish(*self._stream_answer(question, message))

    def _earlier_questions(
        self, client: WebClient, context: dict, channel: str, thread_ts: str, ts: str
    ) -> list[str]:
        """People's messages in the thread before this one (the bot's own answers left out), oldest first."""
        try:
            replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=50)
        except SlackApiError as exc:
            logger.warning(
                "could not read thread %s in %s for follow-up context: %s", thread_ts, channel, exc
            )
            return []
        bot_user = context.get("bot_user_id")
        earlier = []
        for message in replies.get("messages", []):
            if float(message.get("ts", "0")) >= float(ts):
                continue
            if (
                message.get("bot_id")
                or message.get("subtype")
                or (bot_user and message.get("user") == bot_user)
            ):
                continue
            text = question_text(message.get("text", ""))
            if text:
                earlier.append(text)
        return earlier

    def _stream_answer(self, question: str, message: _UpdatedMessage) -> tuple[str, list[dict]]:
        """Ask the Assistant, showing the notice and the text so far on `message` as they come; the final
        message text and blocks (an error message, after any notice, if the answer failed half-way)."""
        notice: str | None = None
        written = ""
        try:
            for event in self.assistant.ask_stream(question, channel="slack"):
                if event["event"] == "sources":
                    notice = event["notice"]
                    if notice:  # the emergency notice is worth showing before any answer text
                        message.show(writing_text(written, notice), writing_blocks(written, notice))
                elif event["event"] == "delta":
                    written += event["text"]
                    message.show(writing_text(written, notice), writing_blocks(written, notice))
                elif event["event"] == "done":
                    answer = Answer.model_validate(event["answer"])
                    self.answers.add_new(answer.answer_id, answer)
                    return fallback_text(answer), answer_blocks(answer)
            raise RuntimeError("the answer stream ended without the answer")
        except QuestionError as exc:
            text = f"Sorry, I can't answer that: {exc}."
            return text, message_text(text)
        except Exception:
            logger.exception("answering a Slack question failed after %d characters", len(written))
            return (f"URGENT: {notice}\n\n{FAILED}" if notice else FAILED), message_text(FAILED, notice)

    def _answer(self, question: str, share_button: bool = False) -> tuple[str, list[dict]]:
        """Ask the Assistant; the message text and blocks to show (an error message if it failed)."""
        try:
            answer = self.assistant.ask(question, channel="slack")
        except QuestionError as exc:
            text = f"Sorry, I can't answer that: {exc}."
            return text, message_text(text)
        except Exception:
            logger.exception("answering a Slack question failed")
            return FAILED, message_text(FAILED)
        self.answers.add_new(answer.answer_id, answer)
        return fallback_text(answer), answer_blocks(answer, share_button=share_button)

    # --- the slash command -----------------------------------------------------------------

    def ack_command(self, ack: Any, command: dict) -> None:
        question = question_text(command.get("text", ""))
        if not question:
            ack(response_type="ephemeral", text=USAGE)
        else:
            ack(response_type="ephemeral", text=SEARCHING_TEXT, blocks=searching_blocks(question))

    def answer_command(self, command: dict, respond: Any) -> None:
        question = question_text(command.get("text", ""))
        if not question:
            return
        words = question.split(maxsplit=1)
        if words[0].lower() == "themes":
            text, blocks = self._themes(words[1] if len(words) > 1 else None)
        else:
            text, blocks = self._answer(question, share_button=True)
        respond(response_type="ephemeral", replace_original=True, text=text, blocks=blocks)

    def _themes(self, topic: str | None) -> tuple[str, list[dict]]:
        """`/ask-partnership themes [topic]`: learning themes (or a topic's passages) with sources."""
        from assistant.themes import ThemeError, find_themes

        try:
            report = find_themes(self.assistant, topic=topic)
        except ThemeError as exc:
            text = f"Sorry, I can't list themes for that: {exc}."
            return text, message_text(text)
        text = f"Learning about {topic}" if topic else "Learning themes"
        return text, theme_blocks(report)

    # --- buttons ---------------------------------------------------------------------------

    def record_feedback(self, action: dict, respond: Any) -> None:
        helpful = action["action_id"] == FEEDBACK_HELPFUL
        self.feedback.record(action["value"], helpful, comment=None, channel="slack")
        respond(response_type="ephemeral", replace_original=False, text=FEEDBACK_THANKS[helpful])

    def share_answer(self, action: dict, body: dict, client: WebClient, respond: Any) -> None:
        answer: Answer | None = self.answers.get(action["value"])
        if answer is None:
            respond(response_type="ephemeral", replace_original=False, text=EXPIRED)
            return
        user = body.get("user", {}).get("id")
        text, blocks = fallback_text(answer), answer_blocks(answer, asked_by=user)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        try:
            client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except SlackApiError as exc:
            # A private channel the bot is not in: the command's response URL can still post there.
            logger.info("chat.postMessage to %s failed (%s); sharing through the response URL", channel, exc)
            respond(response_type="in_channel", replace_original=False, text=text, blocks=blocks)
        respond(delete_original=True)


def _ack(ack: Any) -> None:
    ack()


def _is_direct_question(event: dict) -> bool:
    """A person's new message in a direct message with the bot (not an edit, a bot, or a join)."""
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def create_slack_app(
    settings: Settings, assistant: Assistant, feedback: FeedbackStore, client: WebClient | None = None
) -> App:
    """The Bolt app with every listener. Needs SLACK_BOT_TOKEN; checks it with Slack's `auth.test`."""
    client = client or _web_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,  # ack functions are quick; lazy listeners do the answering
        raise_error_for_unhandled_request=False,
        name="partnership-assistant",
        logger=bolt_logger,
    )
    _SlackDoor(assistant, feedback, settings.slack_update_seconds).register(app)
    return app


def mount_slack(app: FastAPI, assistant: Assistant, feedback: FeedbackStore, settings: Settings) -> None:
    """Add POST /slack/events (Slack's Events API and interactivity, signature-verified) to `app`."""
    from slack_bolt.adapter.fastapi import SlackRequestHandler
    from starlette.requests import Request
    from starlette.responses import Response

    if not settings.slack_signing_secret:
        raise SlackConfigError(
            "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from the Slack app's "
            "'Basic Information' page into the environment or .env"
        )
    bolt = create_slack_app(settings, assistant, feedback)
    handler = SlackRequestHandler(bolt)
    app.state.slack_app = bolt

    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    # A plain Starlette route: Bolt reads the raw body itself (the signature covers its exact bytes).
    app.router.add_route(EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False)


def run_socket_mode(settings: Settings, assistant: Assistant, feedback: FeedbackStore) -> None:
    """Connect to Slack over Socket Mode (no public URL needed) and answer until interrupted."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    if not settings.slack_app_token:
        raise SlackConfigError(
            "SLACK_APP_TOKEN is not set: create an app-level token (xapp-…) with the connections:write scope "
            "on the Slack app's 'Basic Information' page, or use HTTP mode with SLACK_SIGNING_SECRET and "
            "`assistant serve`"
        )
    bolt = create_slack_app(settings, assistant, feedback)
    SocketModeHandler(bolt, settings.slack_app_token).start()
