""" "… thuộc giai đoạn nào?" when the best clause stands under no stage heading (a goal in
Mục I, or in another text): the stage heading one of the next few clauses stands under is
brought in right after it ("2. Giai đoạn 2028 - 2030", Kế hoạch 01-KH/BCĐTW, Mục IV), not
the best clause's own parent ("2. Mục tiêu cụ thể đến năm 2030"). On the real documents."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch 01 đặt mục tiêu chỉ số EGDI thuộc nhóm 50 nước dẫn đầu; trong lộ trình, việc đạt mục tiêu về EGDI "
        "thuộc giai đoạn nào?",
        "Kế hoạch 01 muốn nằm trong nhóm 20 nước dẫn đầu về AI; việc làm chủ công nghệ lưỡng dụng thuộc giai đoạn nào "
        "của lộ trình?",
    ],
)
def test_the_stage_heading_of_a_next_clause_follows_the_best(corpus_app, question):
    ids = [(h.chunk.doc_id, h.chunk.path) for h in corpus_app.search(question, 5)]
    assert ids[1] == ("kh01", "IV.2")


def test_the_best_clause_under_a_stage_keeps_its_own_stage(corpus_app):
    question = (
        "Trong lộ trình của Kế hoạch 01, việc vận hành hiệu quả các Trung tâm dữ liệu quốc gia nằm trong giai đoạn nào?"
    )
    ids = [(h.chunk.doc_id, h.chunk.path) for h in corpus_app.search(question, 2)]
    assert ids == [("kh01", "IV.2.-2"), ("kh01", "IV.2")]
