"""A follow-up naming a sibling of a compound the previous question said ("còn trung hạn?"
after "… mục tiêu ngắn hạn đến năm 2025 …"): the sibling takes the compound's place, and the
year said with the compound goes with it (assistant/condense.py _sibling_swap), so that the
answer is about the new term, not the old one's year."""

from __future__ import annotations

import pytest

from assistant.types import Message

SHORT = "Theo bài phân tích 5W1H, mục tiêu ngắn hạn đến năm 2025 của Nghị quyết 57 là gì?"


def _follow(corpus_app, first: str, question: str):
    answer = corpus_app.ask(first)
    return corpus_app.ask(question, [Message("user", first), Message("assistant", answer.answer)])


@pytest.mark.parametrize(
    "question, term, facts",
    [
        ("còn trung hạn?", "trung hạn", ["nhóm 50 quốc gia dẫn đầu thế giới", "30% GDP"]),
        ("Thế còn dài hạn thì sao?", "dài hạn", ["2045"]),
    ],
)
def test_a_sibling_term_replaces_the_term_and_its_year(corpus_app, question, term, facts):
    follow = _follow(corpus_app, SHORT, question)
    assert term in follow.standalone_question
    assert "ngắn hạn" not in follow.standalone_question and "2025" not in follow.standalone_question
    for fact in facts:
        assert fact in follow.answer


def test_a_year_in_brackets_after_the_term_goes_with_it(corpus_app):
    first = "Theo bài phân tích 5W1H, mục tiêu ngắn hạn (2025) của Nghị quyết 57 là gì?"
    follow = _follow(corpus_app, first, "còn trung hạn thì sao?")
    assert follow.standalone_question == "Theo bài phân tích 5W1H, mục tiêu trung hạn của Nghị quyết 57 là gì?"


def test_no_sibling_leaves_the_follow_up_to_the_other_readings(corpus_app):
    # "kinh phí R&D" shares no head word with the previous question's phrases: not a sibling swap
    first = "Nghị quyết 57 đặt mục tiêu kinh tế số chiếm bao nhiêu phần trăm GDP vào năm 2030?"
    follow = _follow(corpus_app, first, "Còn kinh phí R&D thì sao?")
    assert "kinh tế số" not in follow.standalone_question.split("(")[0]
