"""The "Tập huấn" page end to end in a real browser: `streamlit run` on 127.0.0.1 driven by
headless Chromium (Debian's, see scripts/ui_test_setup.sh; `playwright install` is never
run). Opens the page, checks the tabs, the briefing's citations, the map diagram, and that
the PPTX download opens with python-pptx. Screenshots under test-artifacts/ui/."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from assistant.settings import PROJECT_ROOT
from tests.support.streamlit import clean_env, running_ui
from tests.support.ui import APP, troly_env

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "ui"
TIMEOUT_MS = 90_000


def start_playwright():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sudo bash scripts/ui_test_setup.sh`. Never run `playwright install`.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package `playwright` is missing: pip install -e '.[test]'")
    return sync_playwright


@pytest.fixture(scope="module")
def server(corpus_app, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-studio")
    env = clean_env()
    env.update(troly_env(corpus_app, tmp / "feedback.sqlite3"))
    with running_ui(APP, env, tmp / "streamlit.log", timeout=90) as url:
        yield url


def test_trainer_page_tabs_briefing_map_and_pptx(server, corpus_app):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with start_playwright()() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server + "/Tap_huan")
            page.get_by_role("tab", name="Chỉ tiêu").wait_for()
            page.locator('[data-testid="stDataFrame"]').first.wait_for()
            page.screenshot(path=str(ARTIFACTS / "studio-01-targets.png"))
            assert page.locator('[data-testid="stException"]').count() == 0

            page.get_by_role("tab", name="Đề cương").click()
            label = "Nghị quyết 57-NQ/TW, Mục III, điểm 3, gạch đầu dòng thứ 1"
            page.get_by_text(label, exact=False).first.wait_for()
            with page.expect_download() as download:
                page.get_by_role("button", name="Tải PPTX").click()
            prs = Presentation(io.BytesIO(Path(download.value.path()).read_bytes()))
            notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
            assert label in notes
            page.screenshot(path=str(ARTIFACTS / "studio-02-outline.png"))

            page.get_by_role("tab", name="Bản đồ triển khai").click()
            page.locator('[data-testid="stGraphVizChart"] svg').first.wait_for()
            assert "57-NQ/TW III.1" in page.locator('[data-testid="stGraphVizChart"]').first.inner_text()
            page.screenshot(path=str(ARTIFACTS / "studio-03-map.png"))
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            browser.close()
