"""The "Tập huấn" page driven headless with AppTest on the real corpus: every tab shows its
artifact from the public API, with the clause labels, and bad input is a clear message."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.ui import APP

PAGE = "pages/2_Tap_huan.py"


def run_page() -> AppTest:
    """The app, then its "Tập huấn" page (how a multipage app is driven in AppTest)."""
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.switch_page(PAGE)
    return at.run()


def test_tabs_show_the_artifacts(ui_env, corpus_app):
    at = run_page()
    assert not at.exception and not at.error, at.exception
    assert [t.label for t in at.tabs] == [
        "Chỉ tiêu",
        "Mốc thời gian",
        "Đề cương",
        "Câu hỏi",
        "Phân công",
        "Bản đồ triển khai",
    ]
    targets = at.dataframe[0].value
    assert len(targets) == len(corpus_app.studio.targets())
    assert "Nghị quyết 57-NQ/TW, Mục II, điểm 1, gạch đầu dòng thứ 2" in set(targets["Nhãn trích dẫn"])
    md = "\n".join(m.value for m in at.markdown)
    assert "Nghị quyết 57-NQ/TW, Mục III, điểm 3, gạch đầu dòng thứ 1" in md  # the outline tab
    quiz = corpus_app.studio.quiz("03/NQ-CP II.1", 10)
    assert sum(1 for m in at.markdown if m.value.startswith("**Câu ")) == len(quiz.questions)
    roles = at.dataframe[2].value
    assert "Nghị quyết 03/NQ-CP, Mục III, điểm 4" in set(roles["Nhãn trích dẫn"])
    labels = [b.label for b in at.get("download_button")]
    assert {"Tải Excel", "Tải PPTX", "Tải DOCX", "Tải GIFT (Moodle)"} <= set(labels)


def test_filters_and_bad_input(ui_env):
    at = run_page()
    at.selectbox(key="t_year").set_value(2045).run()
    assert set(at.dataframe[0].value["Năm mục tiêu"]) == {2045}
    at.text_input(key="o_ref").set_value("57-NQ/TW IX.9").run()
    assert any("không tìm thấy điều khoản" in e.value for e in at.error)
    at.text_input(key="r_body").set_value("Bộ KH&CN").run()
    assert "Bộ Khoa học và Công nghệ" in " ".join(c.value for c in at.caption)
