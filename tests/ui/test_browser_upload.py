"""The "Thêm văn bản" page end to end in a real browser: `streamlit run` on 127.0.0.1 over
a writable copy of the corpus with uploads on, driven by headless Chromium (Debian's; see
scripts/ui_test_setup.sh, `playwright install` is never run). From the chat page's link:
a refused file says why, a DOCX plan is uploaded, its proposed entry shown and confirmed,
ingested, then opened in the viewer and offered in the chat's scope filter. Screenshots
under test-artifacts/ui/."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from tests.support.library import citable, plan_docx, writable_corpus
from tests.support.streamlit import clean_env, running_ui
from tests.support.ui import APP, troly_env

from .test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    sync_playwright,
    wait_idle,
)


@pytest.fixture(scope="module")
def server(corpus_app, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-upload")
    app = writable_corpus(tmp / "data", corpus_app)
    env = clean_env()
    env.update(troly_env(app, tmp / "feedback.sqlite3"), TROLY_UPLOADS="true")
    with running_ui(APP, env, tmp / "streamlit.log") as url:
        yield {"url": url, "app": app, "tmp": tmp}


def test_upload_a_docx_plan_confirm_its_entry_and_find_it_in_the_viewer_and_the_chat(server):
    app, tmp = server["app"], server["tmp"]
    before = citable(app)
    docx = plan_docx(tmp / "ke-hoach-bac-ninh.docx")
    empty = tmp / "trong.txt"
    empty.write_bytes(b"")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright()() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server["url"])
            page.locator('[data-testid="stChatInputTextArea"]').wait_for()
            wait_idle(page)
            page.get_by_role("link", name="Thêm văn bản").click()  # the chat page's sidebar link
            page.get_by_role("tab", name="Gỡ văn bản").wait_for()
            picker = page.locator('[data-testid="stFileUploaderDropzoneInput"]').first

            picker.set_input_files(str(empty))  # refused: says why, in Vietnamese
            page.get_by_text("Không nhận tệp trong.txt: tệp rỗng. Không có gì thay đổi.").wait_for()
            wait_idle(page)

            picker.set_input_files(str(docx))
            short = page.get_by_label("Số hiệu / tên ngắn").first
            short.wait_for()
            assert short.input_value() == "12/KH-UBND"
            assert page.get_by_label("Mã (dùng trong liên kết, `troly show`)").first.input_value() == "kh12"
            assert page.get_by_label("Cơ quan ban hành").first.input_value() == "Ủy ban nhân dân tỉnh Bắc Ninh"
            page.screenshot(path=str(ARTIFACTS / "upload-01-proposed-entry.png"), full_page=True)
            page.get_by_role("button", name="Nạp văn bản").click()
            page.get_by_text("Đã nạp 12/KH-UBND (kh12): 12 đoạn", exact=False).wait_for()
            wait_idle(page)
            page.screenshot(path=str(ARTIFACTS / "upload-02-done.png"), full_page=True)
            assert page.locator('[data-testid="stException"]').count() == 0

            page.get_by_role("link", name="Xem 12/KH-UBND trong trang Văn bản").click()
            page.get_by_role("heading", name="12/KH-UBND").wait_for()
            page.locator(".troly-doc").get_by_text("cơ chế thử nghiệm có kiểm soát", exact=False).first.wait_for()
            page.screenshot(path=str(ARTIFACTS / "upload-03-viewer.png"))

            page.goto(server["url"])
            page.locator('[data-testid="stChatInputTextArea"]').wait_for()
            wait_idle(page)
            page.locator('[data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name="12/KH-UBND").wait_for()  # offered in the scope filter
            page.screenshot(path=str(ARTIFACTS / "upload-04-scope.png"))
        finally:
            browser.close()
    entry = Catalog.load(app.settings.catalog).by_id("kh12")
    assert (entry.file, entry.kind, entry.date) == ("ke-hoach-bac-ninh.docx", "Kế hoạch", "2025-03-15")
    assert {d: v for d, v in citable(app).items() if d != "kh12"} == before
