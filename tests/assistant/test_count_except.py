"""A count that leaves one part out ("Ngoài việc thành lập Ban Chỉ đạo Trung ương, … còn mấy
điểm", "…, không kể điểm về hợp tác quốc tế?", "Không tính dòng lưu, …"): one ask (not split
at its comma), the heading found by the rest of the question, the item the left-out words
name taken away and the others counted (answers.toml count_except, tree._excepted); a
structural noun followed by what its items do ("mấy điểm giao việc khác") counts the
points (answers.toml structural_qualifiers), on the real documents.
"""

from __future__ import annotations

import pytest

from assistant.multipart import split_pieces


@pytest.mark.parametrize(
    "question, said, left_out",
    [
        (
            "Ngoài việc thành lập Ban Chỉ đạo Trung ương, Mục IV của Nghị quyết 57 còn mấy điểm?",
            "gồm 6 điểm; không kể điểm 1, còn 5 điểm",
            "Thành lập Ban Chỉ đạo Trung ương",
        ),
        (
            "Mục III của Nghị quyết 57 có bao nhiêu điểm, không kể điểm về hợp tác quốc tế?",
            "gồm 7 điểm; không kể điểm 7, còn 6 điểm",
            "Tăng cường hợp tác quốc tế",
        ),
        (
            "Kế hoạch 01 có mấy hệ thống, không tính Hệ thống dự án đặc biệt quan trọng?",
            "còn 5 hệ thống",
            "Hệ thống dự án đặc biệt quan trọng (Hệ thống 6)",
        ),
        (
            "Không tính dòng lưu, Nơi nhận của Nghị quyết 03/NQ-CP liệt kê bao nhiêu nơi nhận?",
            "còn 14 nơi nhận",
            "Lưu: VT, KGVX",
        ),
    ],
)
def test_the_part_left_out_is_not_counted(corpus_app, question, said, left_out):
    a = corpus_app.ask(question)
    assert not a.abstained and said in a.answer.split("\n")[0]
    assert left_out not in a.answer  # the item left out is not listed among the counted ones


def test_the_clause_leaving_a_part_out_is_no_ask_of_its_own():
    assert split_pieces("Không tính dòng lưu, phần Nơi nhận của Nghị quyết 20 gửi tới mấy nơi?") == [
        "Không tính dòng lưu, phần Nơi nhận của Nghị quyết 20 gửi tới mấy nơi?"
    ]


def test_points_named_by_what_they_do_are_the_points(corpus_app):
    a = corpus_app.ask("Mục IV của Nghị quyết 57 có mấy điểm giao việc?")
    assert not a.abstained and "gồm 6 điểm" in a.answer.split("\n")[0]


def test_a_count_without_a_part_left_out_is_unchanged(corpus_app):
    a = corpus_app.ask("Ngoài ra, Mục IV của Nghị quyết 57 có mấy điểm?")
    assert "gồm 6 điểm" in a.answer.split("\n")[0] and "không kể" not in a.answer
