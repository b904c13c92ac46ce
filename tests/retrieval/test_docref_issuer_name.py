"""retrieval/docref.py: the issuer written after "của" right after a document's own name
("Kế hoạch 01 của Ban Chỉ đạo Trung ương", "Nghị quyết 57 của Bộ Chính trị") is part of
that name (the search leaves it out with the name), except when the question is about the
text itself (when or on what grounds it was issued: its issuer may be what is asked)."""

from __future__ import annotations

import pytest

from retrieval.catalog import Catalog
from retrieval.docref import DocumentRecognizer
from tests.support.corpus import DATA


@pytest.fixture(scope="module")
def recognizer() -> DocumentRecognizer:
    return DocumentRecognizer(Catalog.load(DATA / "catalog.toml").documents)


def spans(recognizer: DocumentRecognizer, question: str) -> list[tuple[str, str]]:
    return [(m.doc_id, question[m.start : m.end]) for m in recognizer.mentions(question)]


@pytest.mark.parametrize(
    "question, doc, name",
    [
        (
            "Kế hoạch 01 của Ban Chỉ đạo Trung ương đặt mục tiêu gì về R&D?",
            "kh01",
            "Kế hoạch 01 của Ban Chỉ đạo Trung ương",
        ),
        ("Nghị quyết 57 của Bộ Chính trị đặt mục tiêu gì về kinh tế số?", "nq57", "Nghị quyết 57 của Bộ Chính trị"),
    ],
)
def test_the_issuer_after_the_name_is_part_of_the_name(recognizer, question, doc, name):
    assert spans(recognizer, question) == [(doc, name)]
    assert recognizer.targets(question) == [doc]


@pytest.mark.parametrize(
    "question, doc, name",
    [
        ("Kế hoạch 01 của Ban Chỉ đạo Trung ương ban hành ngày nào?", "kh01", "Kế hoạch 01"),
        ("Nghị quyết 57 của Bộ Chính trị được ban hành căn cứ vào đâu?", "nq57", "Nghị quyết 57"),
        # a body that is not the text's issuer stays a subject of the question
        ("Kế hoạch 01 của Bộ Khoa học và Công nghệ?", "kh01", "Kế hoạch 01"),
    ],
)
def test_the_issuer_stays_when_the_text_itself_is_asked_about_or_is_another_body(recognizer, question, doc, name):
    assert spans(recognizer, question) == [(doc, name)]


def test_the_named_plan_is_still_answered(corpus_app):
    answer = corpus_app.ask("Kế hoạch 01 của Ban Chỉ đạo Trung ương đặt mục tiêu chi cho R&D bao nhiêu?", [])
    assert "2% GDP" in answer.answer
