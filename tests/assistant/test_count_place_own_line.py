"""Within a place the question names ("ở Phụ lục I", "trong Phụ lục II"), the heading whose
OWN line says what else the question says is counted (assistant/tree.py
TreeAnswerer._said_itself), on the real documents: Kế hoạch 01's "PHỤ LỤC I" says nothing
of "khung đề xuất", its "II- KHUNG (TEMPLATE) ĐỀ XUẤT SÁNG KIẾN ĐỘT PHÁ" (14 items) does; an
item heading that wins only by repeating its parent's line ("4. Công cụ giám sát …" under
"C- CÁCH THỨC SỬ DỤNG VÀ GẮN KẾT") gives way to that parent (6 items)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "Khung đề xuất sáng kiến đột phá ở Phụ lục I KH01 có tổng cộng bao nhiêu mục cần điền?",
        "khung de xuat sang kien dot pha trong phu luc 1 ke hoach 01 gom may muc",
    ],
)
def test_the_heading_under_the_place_that_names_the_topic_is_counted(corpus_app, question):
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert "Phụ lục I, Mục II gồm 14" in opening, opening


@pytest.mark.parametrize(
    "question",
    [
        "Phần cách thức sử dụng và gắn kết hệ thống chỉ tiêu ở Phụ lục II Kế hoạch 01 gồm bao nhiêu mục?",
        "Cách thức sử dụng và gắn kết trong Phụ lục II của KH01 có mấy nội dung?",
    ],
)
def test_a_parent_whose_own_line_says_the_topic_beats_its_item(corpus_app, question):
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert "Phụ lục II, Phần C gồm 6" in opening, opening


def test_an_item_whose_own_lead_in_says_the_topic_is_still_counted(corpus_app):
    # the lead-in "… sử dụng hệ thống chỉ tiêu để:" is the item's own, its parent says none of it
    q = "Theo Phụ lục II của KH01, Ban Chỉ đạo Trung ương, Cơ quan Thường trực và Tổ Giúp việc dùng hệ thống chỉ tiêu để làm mấy việc?"
    opening = corpus_app.ask(q).answer.split("\n")[0]
    assert "Phụ lục II, Phần C, điểm 4 gồm 5" in opening, opening


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Mục III của Kế hoạch 01 có bao nhiêu điểm?", "Mục III gồm 9"),
        ("Phụ lục I của Kế hoạch 01 gồm những phần nào?", "Phụ lục I gồm 3"),
    ],
)
def test_a_place_asked_alone_keeps_its_own_items(corpus_app, question, expected):
    opening = corpus_app.ask(question).answer.split("\n")[0]
    assert expected in opening, opening
