"""assistant/direct.py: the kind of value a question asks for, and the direct answer that
starts with a sentence holding one (issue 10: questions worded as nobody tuned for)."""

from __future__ import annotations

import pytest

from assistant.direct import asks_value, value_kind
from assistant.evidence import question_cues


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Sản phẩm lưỡng dụng sau bao lâu thì chuyển giao cho dân dụng?", "duration"),
        ("Mất mấy năm nữa thì chương trình xong?", "duration"),
        ("Nghị quyết 20 là của hội nghị trung ương lần thứ mấy?", "ordinal"),
        ("Đại hội khoá mấy đề ra chủ trương này?", "ordinal"),
        ("Kinh tế số chiếm bao nhiêu phần trăm GDP?", "number"),
        ("Đến thời hạn nào phải hoàn thành?", "date"),
        ("Nghị quyết 57 có những nhiệm vụ gì?", ""),
    ],
)
def test_the_asked_value_kind(question, kind):
    assert value_kind(question_cues(question)) == kind
    if kind in ("duration", "ordinal"):
        assert asks_value(question_cues(question))  # one value: another sentence must say the same


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # a length of time: the sentence with "sau 5-10 năm", not the one naming more of the question's words
        ("Sản phẩm lưỡng dụng của quốc phòng mất bao lâu thì chuyển giao được cho dân dụng?", "sau 5-10 năm"),
        # an ordinal in words or a Roman numeral: the heading "HỘI NGHỊ LẦN THỨ SÁU … KHOÁ XI"
        ("Nghị quyết 20 ra đời tại hội nghị trung ương lần thứ mấy, khoá mấy?", "LẦN THỨ SÁU"),
    ],
)
def test_the_direct_answer_holds_the_asked_value(corpus_app, question, said):
    answer = corpus_app.ask(question)
    assert not answer.abstained
    first = next(line for line in answer.answer.splitlines()[1:] if line.strip())
    assert said in first
