"""End to end in a real browser: `streamlit run` on 127.0.0.1 driven by headless Chromium.

Needs Debian's chromium (/usr/bin/chromium, installed by scripts/ui_test_setup.sh) and the
Python `playwright` package; `playwright install` is never run. When either is missing the
tests FAIL with a message saying how to fix it: CI must run them. Screenshots are saved
under test-artifacts/ui/.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from assistant.feedback import ChatMessage, FeedbackStore, new_conversation_id
from assistant.settings import PROJECT_ROOT
from assistant.ui_render import STARTER_QUESTIONS
from tests.support.streamlit import clean_env, running_ui
from tests.support.ui import APP, troly_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "ui"
QUESTION = "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?"
EVIL = "<script>alert(1)</script> có áp dụng không?"
TIMEOUT_MS = 120_000  # generous: a busy 2-core machine runs several test suites at once
MESSAGES = '[data-testid="stChatMessage"]'
SMUGGLED = "hỏi\r\r![x](http://127.0.0.1:9/x.png)"  # a lone \r is a line end to Markdown


def sync_playwright():
    """Playwright's entry point, or a failure that says what to install."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `sudo bash scripts/ui_test_setup.sh` "
            "(apt-get install -y chromium). Never run `playwright install`."
        )
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        pytest.fail(
            "the Python package `playwright` is missing: pip install -e '.[test]' "
            "(or pip install playwright). Never run `playwright install`."
        )
    return start


@pytest.fixture(scope="module")
def server(corpus_app, tmp_path_factory):
    """`streamlit run streamlit_app.py` on a free loopback port; stopped after the module."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "feedback.sqlite3"
    env = clean_env()
    env.update(troly_env(corpus_app, db))
    with running_ui(APP, env, tmp / "streamlit.log") as url:
        yield {"url": url, "db": db}


@pytest.fixture(scope="module")
def browser():
    start = sync_playwright()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with start() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(TIMEOUT_MS)
    p.dialogs = []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    yield p
    context.close()


def shot(page, name: str, target=None) -> None:
    """Save a screenshot (the app scrolls inside its own container: show target first)."""
    if target is not None:
        target.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def ask(page, question: str) -> None:
    """Type a question, send it, wait until its answer (and its feedback widget) is shown."""
    before = page.locator(MESSAGES).count()
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.fill(question)
    box.press("Enter")
    page.locator(MESSAGES).nth(before + 1).locator('[data-testid="stFeedback"]').wait_for()


def wait_idle(page) -> None:
    """Until the app's script is not running: Streamlit shows its status widget while it
    runs, and a click during a rerun may hit an element that the rerun replaces."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(200)


def download(page, button: str, tries: int = 3) -> Path:
    """Click a download button once the app is idle; click again if the file never comes
    (the click can land on the button of a run that a rerun just replaced)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        wait_idle(page)
        try:
            with page.expect_download(timeout=TIMEOUT_MS / tries) as started:
                page.get_by_role("button", name=button).click()
            return Path(started.value.path())
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    raise AssertionError("not reached")


def wait_for_feedback(db: Path, rating: int, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = [r for r in FeedbackStore(db).export_feedback() if r["rating"] == rating]
        if records:
            return records[-1]
        time.sleep(0.2)
    pytest.fail(f"no feedback with rating {rating} stored in {db}")


def test_ask_cite_open_clause_feedback_and_reload(page, server, corpus_app):
    expected = corpus_app.ask(QUESTION)
    page.goto(server["url"])
    page.get_by_role("button", name=STARTER_QUESTIONS[0]).wait_for()
    page.locator('[data-testid="stChatInputTextArea"]').wait_for()
    shot(page, "01-start")

    started = time.monotonic()
    ask(page, QUESTION)
    answer_s = time.monotonic() - started
    assert "?c=" in page.url
    card = page.locator(".troly-card").first
    assert expected.citations[0].label in card.inner_text()
    assert card.locator(".troly-badge").inner_text() in ("chính thức", "thứ cấp", "bình luận")
    assert expected.citations[0].quote[:40] in card.locator("mark").inner_text()
    shot(page, "02-answer", card)

    with page.context.expect_page() as opened:
        page.locator("a.troly-marker").first.click()
    viewer = opened.value
    viewer.set_default_timeout(TIMEOUT_MS)
    viewer.locator(".troly-clause").wait_for()
    first = expected.citations[0]
    assert f"doc={first.doc_id}" in viewer.url and "clause=" in viewer.url
    clause_chunk = corpus_app.table.at_path(first.doc_id, first.clause)[0]
    assert clause_chunk.text.splitlines()[0][:40] in viewer.locator(".troly-clause").inner_text()
    viewer.locator(".troly-toc a").first.wait_for()
    viewer.locator(".troly-doc .seg.current").first.wait_for()
    viewer.screenshot(path=str(ARTIFACTS / "03-viewer.png"))
    viewer.close()

    wait_idle(page)
    page.locator('[data-testid="stFeedback"] button[aria-label="Thumbs up"]').first.click()
    record = wait_for_feedback(server["db"], 1)
    assert record["question"] == QUESTION and record["citations"]
    shot(page, "04-feedback")

    text = download(page, "Tải Markdown").read_text("utf-8")
    assert QUESTION in text and first.label in text

    page.reload()  # the ?c= link brings the conversation back with its citations
    page.locator(".troly-card").first.wait_for()
    assert page.locator(MESSAGES).count() == 2
    assert first.label in page.locator(".troly-card").first.inner_text()
    shot(page, "05-restored")
    print(f"answer shown in the browser after {answer_s:.2f} s")


def test_script_in_a_question_is_shown_as_text(page, server):
    page.goto(server["url"])
    page.get_by_text("Gợi ý câu hỏi").wait_for()
    ask(page, EVIL)
    user = page.locator(MESSAGES).first
    assert "<script>alert(1)</script>" in user.inner_text()
    assert page.locator(f"{MESSAGES} script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []
    shot(page, "06-script-as-text", user)


def test_a_lone_carriage_return_cannot_smuggle_markdown(page, server):
    """Rendered by Streamlit's own Markdown renderer in the browser: a stored question whose
    lone \r characters would end the raw HTML block shows as text, never as an image."""
    conv = new_conversation_id()
    FeedbackStore(server["db"]).save_message(conv, 0, ChatMessage("user", SMUGGLED))
    page.goto(f"{server['url']}/?c={conv}")
    user = page.locator(MESSAGES).first
    user.get_by_text("hỏi").wait_for()  # the question rendered (with or without the image)
    wait_idle(page)
    assert "![x](http://127.0.0.1:9/x.png)" in user.inner_text()
    assert page.locator('img[src*="x.png"]').count() == 0
    shot(page, "07-carriage-return-as-text", user)


def test_a_missing_browser_fails_with_a_fix(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(pytest.fail.Exception, match="ui_test_setup.sh"):
        sync_playwright()
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # the package is not installed
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", Path(sys.executable))
    with pytest.raises(pytest.fail.Exception, match="pip install"):
        sync_playwright()
