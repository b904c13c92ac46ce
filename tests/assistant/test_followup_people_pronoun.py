""" "họ" (they) in a follow-up is the body the previous question named (entities.toml
bodies; condense.toml people_pronoun): "Đảng ủy Quốc hội có trách nhiệm gì …?" → "họ phải
báo cáo khi nào?" asks when Đảng ủy Quốc hội reports. Typed without marks, only "ho" opening
the ask before what they do counts ("ho tro" is "hỗ trợ")."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, Turn
from assistant.types import Message
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA

QUOC_HOI = "Đảng ủy Quốc hội có trách nhiệm gì trong Kế hoạch 01?"
QUOC_HOI_A = "Đảng ủy Quốc hội lãnh đạo, chỉ đạo việc thực hiện Kế hoạch hành động chiến lược (Mục V, điểm 2)."
BO_KHCN = "Trong Kế hoạch 01, Bộ Khoa học và Công nghệ có nhiệm vụ gì?"


@pytest.fixture(scope="module")
def condenser() -> RuleCondenser:
    return RuleCondenser(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


def chat(question: str, answer: str = "x (Mục III)") -> list[Turn]:
    return [Turn("user", question), Turn("assistant", answer)]


@pytest.mark.parametrize(
    "follow_up, start",
    [
        ("họ phải báo cáo kết quả cho ai?", "Bộ Khoa học và Công nghệ phải báo cáo kết quả cho ai"),
        ("Họ có phải giữ bí mật không?", "Bộ Khoa học và Công nghệ có phải giữ bí mật không"),
        ("ho phai bao cao cho ai", "Bộ Khoa học và Công nghệ phai bao cao cho ai"),
    ],
)
def test_they_is_the_body_the_previous_question_named(condenser, follow_up, start):
    assert condenser.condense(follow_up, chat(BO_KHCN)).startswith(start)


def test_they_stays_when_the_previous_question_names_no_body(condenser):
    assert condenser.condense("họ là ai?", chat("Nghị quyết 57 ban hành ngày nào?")).startswith("Họ là ai")


def test_help_typed_without_marks_is_no_they(condenser):
    assert "Bộ Khoa học" not in condenser.condense("ho tro doanh nghiep the nao", chat(BO_KHCN))


def test_when_they_report_is_answered_for_that_body(corpus_app):
    follow = corpus_app.ask(
        "họ phải báo cáo vào ngày nào?", [Message("user", QUOC_HOI), Message("assistant", QUOC_HOI_A)]
    )
    assert "Đảng ủy Quốc hội" in follow.standalone_question
    assert "ngày 25 hằng tháng" in follow.answer
