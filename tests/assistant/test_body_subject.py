"""A body asked ("ai", "cơ quan nào") of a clause whose first part names the body and whose
part after "; " says the task asked about ("Văn phòng Trung ương Đảng … theo dõi …; định
kỳ 6 tháng báo cáo …"): the part naming the body is quoted too, before the task
(assistant/generation/extractive.py subject_before)."""

from __future__ import annotations

import pytest

from .test_answers import assert_well_cited


@pytest.mark.parametrize(
    "question, body",
    [
        (
            "Nghị quyết 57: cơ quan nào phải báo cáo kết quả với Bộ Chính trị sáu tháng một lần?",
            "Văn phòng Trung ương Đảng",
        ),
        ("Ai hướng dẫn tăng cường tuyên truyền các nội dung của Nghị quyết 57?", "Ban Tuyên giáo Trung ương"),
        (
            "Theo Nghị quyết 20, ai chỉ đạo các bộ, ngành, địa phương xây dựng chương trình, kế hoạch hành động?",
            "Ban cán sự đảng Chính phủ",
        ),
    ],
)
def test_the_body_of_the_clause_is_quoted_with_its_task(corpus_app, question, body):
    a = corpus_app.ask(question)
    assert not a.abstained
    assert body in a.answer
    assert_well_cited(a)
