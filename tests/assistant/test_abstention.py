"""The abstention step on near-miss questions (assistant/abstention.py): a slot the texts
do not hold (a body typed in any case, a year whose sentences speak of another topic) is
refused with the nearest clauses; the same questions with the slot the texts do hold are
answered."""

from __future__ import annotations

import pytest

from assistant import intent

REFUSAL_START = "Các văn bản hiện có không nêu"


@pytest.mark.parametrize(
    "question",
    [
        "trong chương trình hành động của cp thì bộ công thương chủ trì những nhiệm vụ nào",
        "Theo Nghị quyết 57, đến năm 2045 kinh phí chi cho nghiên cứu phát triển (R&D) phải đạt bao nhiêu phần trăm GDP?",
    ],
)
def test_a_near_miss_is_refused_with_the_nearest_clauses(corpus_app, question):
    a = corpus_app.ask(question)
    assert a.abstained and a.citations == [] and a.contexts
    assert a.answer.startswith(REFUSAL_START)


@pytest.mark.parametrize(
    "question, fact",
    [
        (
            "Theo Nghị quyết 57, đến năm 2030 kinh phí chi cho nghiên cứu phát triển (R&D) đạt bao nhiêu phần trăm GDP?",
            "2% GDP",
        ),
        ("Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2045?", "50% GDP"),
        (
            "Nghị quyết 20 đặt mục tiêu giá trị sản phẩm công nghệ cao chiếm bao nhiêu trong tổng giá trị sản xuất "
            "công nghiệp đến năm 2020?",
            "40%",
        ),
        ("bo cong an duoc giao nhiem vu gi trong nghi quyet 03", "Bộ Công an"),
    ],
)
def test_the_slot_the_texts_hold_is_answered(corpus_app, question, fact):
    a = corpus_app.ask(question)
    assert not a.abstained and fact in a.answer


def test_named_bodies_are_read_however_they_are_typed():
    assert intent.named_bodies("bộ công thương chủ trì") == ["bo cong thuong"]
    assert intent.named_bodies("Bộ Khoa học và Công nghệ chủ trì") == ["bo khoa hoc va cong nghe"]
    assert intent.named_bodies("bộ phận chuyên trách") == []
