"""A place ("cái thứ hai") after an answer that names its parts in running prose ("Hệ
thống 6 gồm Sáng kiến 26 (…), Sáng kiến 27 (…) …") is that part of the answer's list, not
the part numbered by the place (Sáng kiến 2)."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, Turn
from assistant.types import Message
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA

SYSTEM6_Q = "Hệ thống 6 trong Kế hoạch 01 có những sáng kiến nào?"
SYSTEM6_PROSE = (
    "Hệ thống 6 gồm Sáng kiến 26 (AI quốc gia), Sáng kiến 27 (công nghệ gen), Sáng kiến 28 (năng lượng "
    "nguyên tử) và Sáng kiến 29 (đường sắt cao tốc) (Mục II, điểm 6)."
)


@pytest.fixture(scope="module")
def condenser() -> RuleCondenser:
    return RuleCondenser(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


@pytest.mark.parametrize(
    "follow_up, part",
    [
        ("cái thứ hai nhằm mục đích gì?", "Sáng kiến 27"),
        ("cái thứ ba do ai chủ trì?", "Sáng kiến 28"),
        ("cái thứ tư hoàn thành khi nào?", "Sáng kiến 29"),
    ],
)
def test_a_place_is_the_part_the_prose_answer_named_in_turn(condenser, follow_up, part):
    history = [Turn("user", SYSTEM6_Q), Turn("assistant", SYSTEM6_PROSE)]
    assert condenser.condense(follow_up, history).startswith(part + " ")


def test_a_place_past_the_named_parts_keeps_its_number(condenser):
    history = [Turn("user", SYSTEM6_Q), Turn("assistant", SYSTEM6_PROSE)]
    assert condenser.condense("cái thứ năm là gì?", history).startswith("Sáng kiến 5 ")


def test_the_picked_part_is_answered_from_the_plan(corpus_app):
    follow = corpus_app.ask("cái thứ ba là gì?", [Message("user", SYSTEM6_Q), Message("assistant", SYSTEM6_PROSE)])
    assert "Sáng kiến 28" in follow.standalone_question
    assert "lò phản ứng nguyên tử cỡ nhỏ" in follow.answer
