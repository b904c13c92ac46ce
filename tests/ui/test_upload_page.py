"""The "Thêm văn bản" page driven headless with AppTest on a writable copy of the corpus:
an upload shows the entry its header proposes, editable, then ingests it, and the document
is offered in the chat's scope filter (and answers from it) and in the viewer; refused
files say why in Vietnamese and change nothing; a document is replaced and removed from the
page with every other document's chunks unchanged; off unless TROLY_UPLOADS is set."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from retrieval.catalog import Catalog
from tests.support.documents import write_pdf
from tests.support.library import HEADERS, citable, writable_corpus
from tests.support.ui import APP, VIEWER, troly_env

PAGE = "pages/3_Them_van_ban.py"
PLAN = HEADERS / "kh-ubnd-bac-ninh.txt"


@pytest.fixture
def lib(tmp_path, corpus_app, monkeypatch):
    """A writable corpus, and the environment the page reads its Settings from (uploads on)."""
    app = writable_corpus(tmp_path / "data", corpus_app)
    for key, value in troly_env(app, tmp_path / "feedback.sqlite3").items():
        monkeypatch.setenv(key, value)
    for key in ("TROLY_EMBEDDER", "TROLY_GENERATOR", "OPENAI_API_KEY", "OPENAI_BASE_URL", "TROLY_UPLOAD_MAX_MB"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("TROLY_UPLOADS", "true")
    return app


def page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(PAGE)
    return at.run()


def field(at: AppTest, name: str):
    """The entry form's widget whose key ends with _<name>."""
    for widget in [*at.text_input, *at.text_area, *at.selectbox, *at.multiselect]:
        if widget.key and widget.key.startswith(("add_", "rep_")) and widget.key.endswith("_" + name):
            return widget
    raise AssertionError(f"no field {name}")


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join(e.value for e in [*at.error, *at.warning, *at.info, *at.success])


def state(app) -> tuple:
    """What a refused change must leave as it was: sources, catalog file, live generation."""
    sources = sorted((p.name, p.read_bytes()) for p in app.settings.sources.iterdir())
    return sources, app.settings.catalog.read_text("utf-8"), app.index_dir.current_name()


def test_the_page_is_off_unless_uploads_are_enabled(lib, monkeypatch):
    monkeypatch.delenv("TROLY_UPLOADS")
    at = page()
    assert not at.exception
    assert "đang tắt" in at.info[0].value and "TROLY_UPLOADS=true" in at.info[0].value
    assert not at.file_uploader and not at.button


def test_upload_confirm_edit_ingest_then_ask_and_view(lib):
    before = citable(lib)
    at = page()
    assert [t.label for t in at.tabs] == ["Thêm văn bản", "Thay văn bản", "Gỡ văn bản"]
    at.file_uploader[0].set_value((PLAN.name, PLAN.read_bytes(), "text/plain")).run()
    assert not at.exception and not at.error, texts(at)
    # the proposed entry, field by field, and where each guess was read
    assert field(at, "id").value == "kh12" and field(at, "short").value == "12/KH-UBND"
    assert field(at, "issuer").value == "Ủy ban nhân dân tỉnh Bắc Ninh" and field(at, "date").value == "2025-03-15"
    assert field(at, "authority").value == "official" and field(at, "implements").value == ["nq57", "nq03"]
    assert "số hiệu: 12/KH-UBND — dòng “Số: 12/KH-UBND”" in at.text[0].value
    field(at, "aliases").set_value(field(at, "aliases").value + "\nKế hoạch chuyển đổi số Bắc Ninh")
    at = click(at, "Nạp văn bản")
    assert not at.exception and not at.error, texts(at)
    assert at.success[0].value.startswith("Đã nạp 12/KH-UBND (kh12): 12 đoạn")
    entry = Catalog.load(lib.settings.catalog).by_id("kh12")
    assert entry.aliases[-1] == "Kế hoạch chuyển đổi số Bắc Ninh"  # the edit was written
    assert {d: v for d, v in citable(lib).items() if d != "kh12"} == before
    assert not at.file_uploader[0].value  # the picker is empty again
    # "Hỏi về văn bản này": the chat page, scoped to it, answers from it
    at = click(at, "Hỏi về văn bản này")
    assert not at.exception
    assert at.selectbox(key="doc_filter").value == "kh12"
    at.switch_page("streamlit_app.py")  # the next runs are the chat page's, as in the browser
    at.chat_input[0].set_value("Bắc Ninh thí điểm cơ chế thử nghiệm có kiểm soát thế nào?").run()
    assert not at.exception and at.selectbox(key="doc_filter").value == "kh12"
    cards = "\n".join(m.value for m in at.markdown)
    assert "Kế hoạch 12/KH-UBND, Mục II, điểm 1" in cards
    # and the viewer opens it
    viewer = AppTest.from_file(str(APP), default_timeout=120)
    viewer.switch_page(VIEWER)
    viewer.query_params["doc"] = "kh12"
    viewer.run()
    assert not viewer.exception and viewer.title[0].value == "12/KH-UBND"


BAD = {
    "trong.txt": (b"", "tệp rỗng"),
    "hong.pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"rac" * 50, "tệp PDF hỏng"),
    "nhi-phan.txt": (bytes(range(256)) * 8, "không phải UTF-8"),
    "bang-tinh.xlsx": (b"PK\x03\x04" + b"x" * 100, "định dạng '.xlsx' không được hỗ trợ"),
    "nq-57-tw.md": (b"I- MUC TIEU\n1. Ban khac.\n", "đã có tệp cùng tên của văn bản 57-NQ/TW"),
    ".an.txt": (b"I- MUC TIEU\n1. Tep an.\n", "tên tệp không được bắt đầu bằng dấu chấm"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_refused_file_says_why_and_changes_nothing(lib, name):
    data, reason = BAD[name]
    kept = state(lib)
    at = page()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert at.error and reason in at.error[0].value and "Không có gì thay đổi" in at.error[0].value, texts(at)
    assert not any(b.label == "Nạp văn bản" for b in at.button)
    assert state(lib) == kept


def test_an_oversized_file_and_an_invalid_edit_are_refused(lib, monkeypatch, tmp_path):
    kept = state(lib)
    monkeypatch.setenv("TROLY_UPLOAD_MAX_MB", "0.001")
    at = page()
    at.file_uploader[0].set_value((PLAN.name, PLAN.read_bytes(), "text/plain")).run()
    assert "vượt giới hạn 0.001 MB" in at.error[0].value and "Không có gì thay đổi" in at.error[0].value
    monkeypatch.delenv("TROLY_UPLOAD_MAX_MB")
    at = page()
    at.file_uploader[0].set_value((PLAN.name, PLAN.read_bytes(), "text/plain")).run()
    field(at, "id").set_value("nq57")
    field(at, "date").set_value("15/3/2025")
    at = click(at, "Nạp văn bản")
    problems = at.error[0].value
    assert "mã 'nq57' đã là mã của văn bản khác" in problems and "ngày ban hành '15/3/2025'" in problems
    assert state(lib) == kept
    scan = write_pdf(tmp_path / "anh.pdf", [[]])  # a picture, no text: OCR finds no letters
    at.file_uploader[0].set_value((scan.name, scan.read_bytes(), "application/pdf")).run()
    assert "Không nhận tệp: không đọc được tệp anh.pdf: PDF không có lớp chữ" in at.error[0].value
    assert state(lib) == kept


def test_replace_then_remove_from_the_page(lib, tmp_path):
    at = page()
    at.file_uploader[0].set_value((PLAN.name, PLAN.read_bytes(), "text/plain")).run()
    at = click(at, "Nạp văn bản")
    before = citable(lib)
    # replace kh12 by a new version of another name whose header gives another date
    newer = (
        PLAN.read_text("utf-8")
        .replace("ngày 15 tháng 3 năm 2025", "ngày 20 tháng 4 năm 2025")
        .replace("cơ chế thử nghiệm có kiểm soát", "cơ chế thử nghiệm có kiểm soát (bản sửa đổi)")
    )
    at.selectbox(key="rep_doc").set_value("kh12").run()
    at.file_uploader[1].set_value(("kh12-sua-doi.txt", newer.encode(), "text/plain")).run()
    assert "ngày ban hành: 2025-04-20 (đang ghi: 2025-03-15)" in at.warning[0].value
    assert field(at, "date").value == "2025-03-15"  # the kept entry, until asked
    at = click(at, "Điền theo phần đầu tệp mới")
    assert field(at, "date").value == "2025-04-20"
    at = click(at, "Thay văn bản")
    assert not at.exception and not at.error, texts(at)
    assert at.success[0].value.startswith("Đã thay 12/KH-UBND bằng kh12-sua-doi.txt: 12 đoạn")
    entry = Catalog.load(lib.settings.catalog).by_id("kh12")
    assert (entry.file, entry.date) == ("kh12-sua-doi.txt", "2025-04-20")
    after = citable(lib)
    assert {d: v for d, v in after.items() if d != "kh12"} == {d: v for d, v in before.items() if d != "kh12"}
    assert [c[0] for c in after["kh12"]] == [c[0] for c in before["kh12"]]
    assert any("bản sửa đổi" in c[3] for c in after["kh12"])
    # remove it: the others stay, it is gone from the chat's scope filter
    at.selectbox(key="rm_doc").set_value("kh12").run()
    assert next(b for b in at.button if b.label == "Gỡ văn bản").disabled
    at.checkbox(key="rm_sure_kh12").check().run()
    at = click(at, "Gỡ văn bản")
    assert not at.exception and at.success[0].value.startswith("Đã gỡ 12/KH-UBND (kh12); tệp nguồn lưu ở")
    assert {d: v for d, v in citable(lib).items()} == {d: v for d, v in before.items() if d != "kh12"}
    assert Catalog.load(lib.settings.catalog).by_id("kh12") is None
    chat = AppTest.from_file(str(APP), default_timeout=120).run()
    assert "kh12" not in chat.selectbox(key="doc_filter").options
