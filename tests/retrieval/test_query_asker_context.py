"""Of a long message, the asker's context is dropped before the ask even when it holds a word
that folds to an asking word: "xưởng may" (sewing) and "máy móc" are no "mấy" when the
message has its tone marks, and "mấy năm nay", "mấy hôm qua" tell a span of time, not a count
(retrieval/query.py QuestionReader.asks, retrieval/resources/rules/query.toml question_signal)."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from retrieval.query import QuestionReader
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def reader() -> QuestionReader:
    return QuestionReader(DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents))


@pytest.mark.parametrize(
    "sentence, asks",
    [
        ("Chị là chủ một xưởng may ở Long An, mấy năm nay muốn mua thêm máy.", False),
        ("Mấy hôm nay em đọc mãi nghị quyết.", False),
        ("Kế hoạch 01 có mấy hệ thống?", True),
        ("kh01 co may he thong", True),  # typed without marks: "may" may be "mấy"
        ("Nghị quyết 57 có hỗ trợ doanh nghiệp không", True),
    ],
)
def test_what_asks(reader, sentence, asks):
    assert reader.asks(sentence) is asks


def test_the_asker_context_before_the_ask_is_dropped(reader):
    typed = (
        "Tôi là chủ một xưởng may nhỏ ở Long An, mấy năm nay muốn đổi mới máy móc nhưng thiếu vốn. "
        "Nghị quyết 57 có chính sách gì cho doanh nghiệp nhỏ không?"
    )
    read = reader.read(typed)
    assert read.startswith("Nghị quyết 57 có chính sách gì")
    assert "xưởng" not in read and "vốn" not in read


def test_the_answer_quotes_the_policy_for_small_firms(corpus_app):
    a = corpus_app.ask(
        "Tôi là chủ một xưởng may nhỏ ở Long An, mấy năm nay muốn đổi mới máy móc nhưng thiếu vốn. "
        "Nghị quyết 57 có chính sách gì cho doanh nghiệp nhỏ không?"
    )
    assert "doanh nghiệp vừa và nhỏ" in a.answer
