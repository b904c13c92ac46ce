"""The unit of time asked must be the value's (assistant/intent.py stated_in_unit and the
"năm nào" check of has_asked_value), on the real documents:

- a length asked in years ("sau mấy năm") is not answered by a length in months ("định kỳ 6
  tháng"); asked in months it is, and a length in a larger unit answers a smaller one;
- "năm nào" is answered by a year the sentence or its heading writes, not by "định kỳ";
- a part of a multi-part question is held to its own unit, not the one it borrows.
"""

from __future__ import annotations

import pytest

from assistant.intent import has_asked_value, stated_in_unit


@pytest.mark.parametrize(
    ("ask", "texts", "held"),
    [
        ("sau may nam thi bao cao", ["dinh ky 6 thang bao cao ket qua"], False),
        ("dinh ky may thang bao cao", ["dinh ky 6 thang bao cao ket qua"], True),
        ("sau bao nhieu thang thuc hien", ["sau 10 nam thuc hien nghi quyet"], True),
        ("trong bao nhieu ngay", ["trong vong 3 thang"], True),
        ("sau may nam thi bao cao", ["den nam 2030 hoan thanh"], False),  # an end, not a length
        ("sau may nam thi bao cao", ["ngay 09 thang 01 nam 2025"], False),  # a date
        ("bao lau thi bao cao", ["dinh ky 6 thang"], True),  # no unit asked
        ("ket luan so may (theo ; sau bao nhieu nam thi ket luan)?", ["ket luan so 69"], True),
    ],
)
def test_a_length_is_stated_in_the_unit_asked(ask, texts, held):
    assert stated_in_unit(ask, texts) is held


def test_a_year_asked_is_answered_by_a_year_not_by_a_period():
    assert not has_asked_value("so ket vao nam nao", ["dinh ky so ket, tong ket, bao cao bo chinh tri"])
    assert not has_asked_value("so ket vao nam nao", ["hang nam bao cao"])
    assert has_asked_value("dat trinh do tien tien vao nam nao", ["den nam 2030, co mot so linh vuc dat"])
    # the heading's year holds for the sentence under it
    assert has_asked_value("vao nam nao", ["co mot so linh vuc dat"], ["I Đến năm 2030"])


def test_a_length_in_another_unit_is_refused(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 57, Văn phòng Trung ương Đảng định kỳ mấy năm báo cáo kết quả với Bộ Chính trị?"
    )
    assert a.abstained and a.citations == [] and a.contexts


def test_the_length_in_its_unit_is_answered(corpus_app):
    a = corpus_app.ask(
        "Theo Nghị quyết 57, Văn phòng Trung ương Đảng định kỳ mấy tháng báo cáo kết quả với Bộ Chính trị?"
    )
    assert not a.abstained and "6 tháng" in a.answer


def test_a_year_no_clause_writes_is_refused(corpus_app):
    a = corpus_app.ask("Theo Kết luận 69, Ban Tuyên giáo Trung ương định kỳ sơ kết vào năm nào?")
    assert a.abstained and a.citations == []


def test_the_year_a_clause_writes_is_answered(corpus_app):
    a = corpus_app.ask("Nghị quyết 20 đặt mốc năm nào để một số lĩnh vực khoa học và công nghệ đạt trình độ tiên tiến?")
    assert not a.abstained and "2030" in a.answer
