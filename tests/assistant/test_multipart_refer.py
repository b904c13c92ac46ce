"""A later ask of a multi-part question that points back at an earlier one ("quyết định
đó", "nó", "văn bản đó") is searched with its antecedent (assistant/multipart.py with the
condenser's references, assistant/condense.py)."""

from __future__ import annotations

import pytest

from assistant.condense import RuleCondenser
from assistant.multipart import split_asks
from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


@pytest.mark.parametrize(
    "question, second",
    [
        (
            "Ai ký quyết định ban hành kế hoạch của Viện Hàn lâm, và quyết định đó có hiệu lực từ khi nào?",
            "Quyết định 116 có hiệu lực từ khi nào?",
        ),
        ("Sáng kiến 26 của KH01 là gì và nó do ai chủ trì?", "Sáng kiến 26 do ai chủ trì (theo KH01)?"),
        ("Nghị quyết 57 ban hành ngày nào và văn bản đó do ai ký?", "Nghị quyết 57 do ai ký?"),
    ],
)
def test_a_later_ask_is_searched_with_what_it_points_back_at(recognizer, question, second):
    parts = split_asks(question, recognizer.mentions, refer=RuleCondenser(recognizer).refer)
    assert len(parts) == 2
    assert parts[1].query == second
    assert parts[1].text != second  # shown as the user wrote it


def test_without_a_reference_the_ask_is_told_its_context_as_before(recognizer):
    question = "Sáng kiến 26 của KH01 là gì, và ai chủ trì thực hiện?"
    with_refer = split_asks(question, recognizer.mentions, refer=RuleCondenser(recognizer).refer)
    assert with_refer == split_asks(question, recognizer.mentions)


def test_the_decision_that_issued_a_plan_is_cited_for_its_date_of_effect(corpus_app):
    a = corpus_app.ask("Ai ký quyết định ban hành kế hoạch của Viện Hàn lâm, và quyết định đó có hiệu lực từ khi nào?")
    assert "Lê Trường Giang" in a.answer and "kể từ ngày ký" in a.answer
