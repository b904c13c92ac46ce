"""A follow-up pointing at a person ("người đó", "những người này") takes the role the
conversation named ("Tổng công trình sư", entities.toml roles; condense.toml
person_referents), and "12 người trên một vạn dân" points at no one. A list acted on ("ai
phê duyệt danh sách Tổng công trình sư") is asked of who acts, not read as a request for a
list (answers.toml list)."""

from __future__ import annotations

import pytest

from assistant.types import Message

TCS = "Trong Kế hoạch 01, mỗi Hệ thống chiến lược trọng yếu phải có gì?"
TCS_ANSWER = "Phải có 1 Tổng công trình sư để kết hợp giữa lãnh đạo và chuyên môn (Mục III, điểm 3)."


def _follow(corpus_app, first: str, answer: str, question: str):
    return corpus_app.ask(question, [Message("user", first), Message("assistant", answer)])


@pytest.mark.parametrize(
    "question, fact",
    [
        ("người đó chịu trách nhiệm gì?", "kiến trúc tổng thể"),
        ("ai phê duyệt danh sách những người này?", "Tổ Giúp việc"),
    ],
)
def test_a_person_reference_takes_the_role_named(corpus_app, question, fact):
    follow = _follow(corpus_app, TCS, TCS_ANSWER, question)
    assert "Tổng công trình sư" in follow.standalone_question
    assert fact in follow.answer


def test_people_counted_per_ten_thousand_are_no_reference(corpus_app):
    follow = _follow(
        corpus_app,
        "Đến 2030 KH01 muốn kinh phí chi cho R&D đạt bao nhiêu?",
        "Kinh phí chi cho nghiên cứu phát triển (R&D) đạt 2% GDP (Mục I, điểm 2, tiết a).",
        "còn nhân lực nghiên cứu thì bao nhiêu người trên một vạn dân?",
    )
    assert "12 người trên một vạn dân" in follow.answer


def test_who_approves_a_list_is_answered_by_the_body_not_a_list(corpus_app):
    a = corpus_app.ask("Ai phê duyệt danh sách Tổng công trình sư theo Kế hoạch 01?")
    assert "lãnh đạo Ban Chỉ đạo phê duyệt danh sách Tổng công trình sư" in a.answer
