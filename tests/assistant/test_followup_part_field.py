"""A follow-up opening with a field of a numbered part's items ("nội dung cụ thể …", "mục tiêu …",
the "- Nội dung: …" and "- Mục tiêu: …" of each Sáng kiến of Kế hoạch 01) and naming no part of
its own asks that field of the part the last question named (assistant/condense.py
RuleCondenser._field_of_part; rule part_fields in retrieval/resources/rules/condense.toml), on
the real documents (it was asked of the document only, and answered from another initiative's
"Nội dung")."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser, Turn
from assistant.types import Message
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def condenser() -> RuleCondenser:
    return RuleCondenser(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


def test_the_field_is_asked_of_the_part_named_before(condenser):
    history = [Turn("user", "Sáng kiến 18 trong KH01 nhằm đạt được điều gì?"), Turn("assistant", "…")]
    standalone = condenser.condense("nội dung cụ thể phát triển nền tảng kết nối nào?", history)
    assert "Sáng kiến 18" in standalone, standalone


def test_a_follow_up_naming_its_own_part_keeps_it(condenser):
    history = [Turn("user", "Sáng kiến 18 trong KH01 nhằm đạt được điều gì?"), Turn("assistant", "…")]
    standalone = condenser.condense("nội dung của Sáng kiến 20 gồm những công nghệ nào?", history)
    assert "Sáng kiến 20" in standalone and "Sáng kiến 18" not in standalone, standalone


def test_the_field_of_the_initiative_is_answered(corpus_app):
    question = "Mục tiêu của Sáng kiến 24 trong Kế hoạch 01 là gì?"
    first = corpus_app.ask(question)
    history = [Message("user", question), Message("assistant", first.answer)]
    follow = corpus_app.ask("nội dung cụ thể phát triển những nền tảng nào?", history)
    assert "Thư viện số khoa học và công nghệ quốc gia" in follow.answer, follow.answer
    assert any(c.chunk_id.startswith("kh01:PL1.III.E.24") for c in follow.citations), follow.citations
