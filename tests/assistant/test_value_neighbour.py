"""A time asked of a clause whose first part names the subject and whose next part states
the time ("Văn phòng Trung ương Đảng … theo dõi, kiểm tra, đánh giá …; định kỳ 6 tháng báo
cáo …"): the part stating it is quoted too (assistant/generation/extractive.py
VALUE_NEIGHBOURS, assistant/direct.py asked_span), also when the question comes as a
follow-up whose "họ" the previous answer names."""

from __future__ import annotations

import pytest

from assistant.types import Message

from .test_answers import assert_well_cited


@pytest.mark.parametrize(
    "question, fact",
    [
        ("Văn phòng Trung ương Đảng phải báo cáo bao lâu một lần?", "định kỳ 6 tháng"),
        (
            "Nghị quyết 57 giao Ban cán sự đảng Chính phủ lãnh đạo, chỉ đạo xây dựng chương trình hành động với thời hạn nào?",
            "cơ bản hoàn thành trong năm 2025",
        ),
    ],
)
def test_the_part_of_the_clause_stating_the_time_is_quoted(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert fact in a.answer
    assert_well_cited(a)


def test_a_follow_up_asking_how_often_they_report(corpus_app):
    first = "Ai theo dõi, kiểm tra, đánh giá kết quả thực hiện Nghị quyết 57?"
    history = [
        Message("user", first),
        Message(
            "assistant",
            "Văn phòng Trung ương Đảng phối hợp với Ban Kinh tế Trung ương theo dõi, kiểm tra, đánh giá kết quả thực hiện Nghị quyết (Mục IV, điểm 6).",
        ),
    ]
    a = corpus_app.ask("họ phải báo cáo bao lâu một lần, báo cáo cho ai?", history)
    assert "định kỳ 6 tháng" in a.answer
    assert "Ban Chỉ đạo Trung ương và Bộ Chính trị" in a.answer
