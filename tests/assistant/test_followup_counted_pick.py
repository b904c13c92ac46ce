"""A pick after a count whose answer listed no items ("Nghị quyết 57 có mấy nhóm nhiệm vụ,
giải pháp?" - "Có 7 nhóm …", then "nhóm thứ tư là gì?", "cái cuối cùng?"): the counted noun
with the place picked, the last one being the count the answer states
(assistant/condense.py _counted_pick, condense.toml counted_noun / counted_kind); the tree
answers it by its numbered part."""

from __future__ import annotations

import pytest

from assistant.types import Message


@pytest.mark.parametrize(
    "first, answer, question, fact",
    [
        (
            "Nghị quyết 57 có mấy nhóm nhiệm vụ, giải pháp?",
            "Có 7 nhóm nhiệm vụ, giải pháp (Mục III).",
            "nhóm thứ tư là gì?",
            "nhân lực chất lượng cao",
        ),
        ("Nghị quyết 03 có mấy nhiệm vụ cụ thể?", "Có 7 nhiệm vụ (Mục II).", "cái cuối cùng?", "hợp tác quốc tế"),
        (
            "Kế hoạch 01 có mấy hệ thống chiến lược?",
            "Có 6 hệ thống (Mục II).",
            "cái thứ ba là gì?",
            "an sinh và phúc lợi",
        ),
        (
            "Kế hoạch 01 có mấy hệ thống chiến lược?",
            "Có 6 hệ thống (Mục II).",
            "cái đầu tiên là gì?",
            "đổi mới thể chế và quản trị quốc gia",
        ),
    ],
)
def test_a_pick_after_a_bare_count_asks_the_counted_part(corpus_app, first, answer, question, fact):
    follow = corpus_app.ask(question, [Message("user", first), Message("assistant", answer)])
    assert fact in follow.answer


def test_the_last_one_needs_the_count_the_answer_states(corpus_app):
    # the answer says no count: "cái cuối cùng" is left to the other readings (no "thứ None")
    follow = corpus_app.ask(
        "cái cuối cùng?",
        [Message("user", "Nghị quyết 03 có mấy nhiệm vụ cụ thể?"), Message("assistant", "Xem Mục II.")],
    )
    assert "thứ" not in follow.standalone_question
