"""A task of Nghị quyết 57 and how the plans carry it down, asked across documents: the
multi-part splitter keeps a document's name whole ("…, và Kế hoạch 01 giao …": not "và kể"),
and a list question that names the body its duties are assigned to ("Kế hoạch 01 giao Đảng
ủy Quốc hội những trách nhiệm nào") answers that body's own item, not the whole list."""

from __future__ import annotations

import pytest

from assistant.multipart import split_pieces

from .test_answers import assert_well_cited


def claims(answer):
    return [s for s in answer.checked.sentences if not s.framing]


@pytest.mark.parametrize(
    "question, second",
    [
        (
            "Nghị quyết 57 giao Đảng đoàn Quốc hội việc gì, và Kế hoạch 01 giao Đảng ủy Quốc hội những trách nhiệm nào?",
            "Kế hoạch 01 giao Đảng ủy Quốc hội những trách nhiệm nào?",
        ),
        (
            "NQ57 giao Ban cán sự đảng Chính phủ làm gì, và kế hoạch 01 yêu cầu Đảng ủy Chính phủ báo cáo khi nào?",
            "Kế hoạch 01 yêu cầu Đảng ủy Chính phủ báo cáo khi nào?",
        ),
    ],
)
def test_a_plan_named_after_va_is_not_cut_as_va_ke(question, second):
    assert split_pieces(question)[1] == second


def test_va_ke_still_cuts_a_request_to_name_items():
    # "và kể tên …" asks for the names: the splitter's own cut (a tail kept with its count)
    assert len(split_pieces("Kế hoạch 01 có bao nhiêu hệ thống, và kể tên các hệ thống đó?")) == 1


@pytest.mark.parametrize(
    "question, opening, other",
    [
        ("Kế hoạch 01 giao Đảng ủy Quốc hội những trách nhiệm nào?", "Đảng ủy Quốc hội", "Đảng ủy Chính phủ"),
        ("ke hoach 01 giao dang uy quoc hoi nhung trach nhiem nao", "Đảng ủy Quốc hội", "Đảng ủy Chính phủ"),
        (
            "Kế hoạch 01 yêu cầu Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương những việc gì?",
            "Đảng ủy Mặt trận Tổ quốc",
            "Đảng ủy Quốc hội",
        ),
    ],
)
def test_a_list_asked_of_the_body_assigned_answers_its_own_item(corpus_app, question, opening, other):
    a = corpus_app.ask(question)
    assert claims(a)[0].text.startswith(opening)
    assert "ngày 25 hằng tháng" in a.answer  # the item's second sentence too
    assert other not in a.answer
    assert_well_cited(a)


def test_the_cross_document_question_answers_both_bodies(corpus_app):
    a = corpus_app.ask(
        "Nghị quyết 57 giao Đảng đoàn Quốc hội việc gì, và Kế hoạch 01 giao Đảng ủy Quốc hội những trách nhiệm nào?"
    )
    assert "rà soát, hoàn thiện pháp luật" in a.answer  # Nghị quyết 57, Mục IV, điểm 2
    assert "giám sát tối cao" in a.answer  # Kế hoạch 01, Mục V, điểm 2, the second body
    assert "Đảng ủy Chính phủ" not in a.answer
