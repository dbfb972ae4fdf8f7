"""The chat page and the widget in a real browser: Debian's chromium driven by Playwright, against uvicorn
on 127.0.0.1, over the real model and a real Chroma store with a tiny corpus (one document of which tries
to run script)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from web_corpus import (
    OFF_TOPIC_QUESTION,
    REVIEWS_QUESTION,
    URGENT_QUESTION,
    XSS_IMG,
    XSS_QUESTION,
    XSS_SCRIPT,
    XSS_TITLE,
    write_web_corpus,
)

from assistant.api import create_app
from assistant.embeddings import Embedder
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("web-page")
    return Settings(data_dir=root / "data", corpus_dir=write_web_corpus(root / "corpus"), rate_limit_per_minute=0)


@pytest.fixture(scope="module")
def server(web_settings: Settings, embedder: Embedder) -> Iterator[str]:
    """create_app served by uvicorn on a free 127.0.0.1 port; yields its base URL once /readyz says ready."""
    bot = Assistant(web_settings, embedder)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(create_app(web_settings, bot), log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # the index of the tiny corpus is built at startup
    while not (uv.started and httpx.get(f"{base}/readyz").status_code == 200):
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "the server never became ready"
        time.sleep(0.2)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`; .ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def ask(page: Page, question: str) -> None:
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".pa-turn").last.locator(".pa-feedback")).to_be_visible(timeout=30_000)


def test_page_answers_with_expandable_citations_and_takes_feedback(
    page: Page, server: str, web_settings: Settings
) -> None:
    page.goto(server)
    page.keyboard.press("Tab")  # the skip link first, then straight to the question box
    expect(page.get_by_role("link", name="Skip to the question box")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your question")).to_be_focused()
    page.keyboard.type(REVIEWS_QUESTION)
    page.keyboard.press("Enter")
    turn = page.locator(".pa-turn").last
    expect(turn.locator(".pa-feedback")).to_be_visible(timeout=30_000)

    expect(turn.locator(".pa-text")).to_contain_text("14 rapid reviews")
    expect(page.get_by_role("log")).to_contain_text("14 rapid reviews")  # the ARIA live region
    quote = turn.locator(".pa-quote").first
    expect(quote).to_be_hidden()
    turn.get_by_role("button", name="Source 1").first.click()
    expect(quote).to_be_visible()
    expect(quote).to_contain_text("14 rapid reviews")
    citation = turn.locator("details.pa-citation").first
    expect(citation.locator("summary")).to_be_focused()
    expect(citation).to_contain_text("Test Partnership Annual Report 2023")
    expect(citation).to_contain_text("Annual report 2023 > Rapid reviews")
    link = citation.get_by_role("link", name="Open the source")
    expect(link).to_have_attribute("href", "https://example.org/annual-report-2023")

    turn.get_by_role("button", name="Helpful", exact=True).click()
    expect(turn.get_by_text("Thanks for your feedback.")).to_be_visible()
    store = FeedbackStore(web_settings.feedback_path)
    try:
        entries = store.entries()
    finally:
        store.close()
    assert [(e.helpful, e.channel) for e in entries][-1:] == [(True, "web")]


def test_not_covered_and_emergency_states(page: Page, server: str, emergency_text: str) -> None:
    page.goto(server)

    ask(page, OFF_TOPIC_QUESTION)
    turn = page.locator(".pa-turn").last
    expect(turn.get_by_role("heading", name="Not covered by the guidance")).to_be_visible()
    expect(turn.get_by_role("region", name="Closest passages")).to_be_visible()
    expect(page.locator(".pa-notice")).to_have_count(0)

    ask(page, URGENT_QUESTION)
    banner = page.locator(".pa-turn").last.locator(".pa-notice")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text(emergency_text[:40])


def test_document_markup_is_shown_as_text_and_never_runs(page: Page, server: str) -> None:
    page.goto(server)

    ask(page, XSS_QUESTION)
    turn = page.locator(".pa-turn").last
    turn.locator("details.pa-citation summary").first.click()

    expect(turn.locator(".pa-text")).to_contain_text(XSS_SCRIPT)
    expect(turn.locator(".pa-quote").first).to_contain_text(XSS_IMG)
    expect(turn.locator(".pa-cite-title").first).to_have_text(XSS_TITLE)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0  # the document's javascript: URL is not linked


def test_widget_opens_the_chat_in_a_shadow_dom(page: Page, server: str) -> None:
    page.goto(f"{server}/static/sample-host.html")
    launcher = page.get_by_role("button", name="Ask the safeguarding guidance")
    expect(launcher).to_have_attribute("aria-expanded", "false")

    launcher.click()
    dialog = page.get_by_role("dialog", name="Ask the safeguarding guidance")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => !!document.querySelector('#partnership-assistant-widget').shadowRoot")
    assert page.evaluate("() => document.querySelectorAll('.pa-chat').length") == 0  # it lives in the shadow DOM
    expect(dialog.get_by_label("Your question")).to_be_focused()

    ask(page, REVIEWS_QUESTION)
    turn = dialog.locator(".pa-turn").last
    expect(turn.locator(".pa-text")).to_contain_text("14 rapid reviews")
    turn.get_by_role("button", name="Source 1").first.click()
    expect(turn.locator(".pa-quote").first).to_be_visible()

    ask(page, XSS_QUESTION)  # the sample host page has no CSP: only escaping keeps this inert
    expect(dialog.locator(".pa-turn").last.locator(".pa-text")).to_contain_text(XSS_SCRIPT)
    assert page.evaluate("() => window.__xss") is None

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()


def test_page_fits_a_phone(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(server)
        ask(page, REVIEWS_QUESTION)
        page.locator(".pa-turn").last.get_by_role("button", name="Source 1").first.click()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        font = page.evaluate("() => getComputedStyle(document.querySelector('.pa-input')).fontSize")
        assert float(font.removesuffix("px")) >= 16  # phones do not zoom into the box
    finally:
        context.close()
