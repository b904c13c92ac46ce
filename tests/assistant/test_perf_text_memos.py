"""perf (issue 13): the shortcuts the abstention step takes on question text answer what the
plain regexes answer: the evidence's numbers read piece by piece (also when a piece does not
fold on its own), plain words looked for before their pattern, and a question read once per
reader."""

from __future__ import annotations

import re
import unicodedata

import pytest

from assistant import intent
from retrieval.query import QuestionReader


class _Clause:
    def __init__(self, text: str):
        self.text = text

    def embedding_text(self) -> str:
        return self.text


@pytest.mark.parametrize(
    ("question", "texts", "missing"),
    [
        ("Đến năm 2030 tăng bao nhiêu phần trăm, 30% hay 45%?", ["Đến năm 2030", "tăng 30% GDP"], "45"),
        ("Đến năm 2030 tăng bao nhiêu, 030 hay 30?", ["Đến năm 2030", "tăng 30"], None),  # leading zeros
        ("Mục tiêu 2030 là 12 hay 3?", ["mục tiêu năm 20", "30 là 12 và 3"], "2030"),  # no number across pieces
        # a piece that does not fold on its own (decomposed marks): the evidence folded whole
        ("Nghị quyết 57 đặt mục tiêu 2045?", [unicodedata.normalize("NFD", "Nghị quyết 57 đến năm 2045")], None),
        ("Nghị quyết 57 đặt mục tiêu 2050?", [unicodedata.normalize("NFD", "Nghị quyết 57 đến năm 2045")], "2050"),
    ],
)
def test_missing_anchor_reads_the_evidence_numbers_piece_by_piece(question, texts, missing):
    assert intent.missing_anchor(question, [_Clause(t) for t in texts]) == missing


@pytest.mark.parametrize(
    ("words", "text"),
    [
        ("cap xa", "o cap xa nam 2025"),
        ("cap xa", "cap xanh"),  # not a whole word
        ("quy 3", "trong quy 3 nam nay"),
        ("quy 3", "quy 30"),
        ("het hieu luc", "van ban het hieu luc"),
        (r"quy \d", "quy 4"),  # a pattern, not plain words: the regex decides
        ("a.b", "axb"),
    ],
)
def test_plain_words_are_found_as_their_regex_finds_them(words, text):
    assert intent._says_words(words, text) == (re.search(rf"\b{words}\b", text) is not None)


def test_a_question_read_twice_reads_the_same():
    reader = QuestionReader()
    for question in ["  Nghị quyết 57   ctr hanh dong la gi ", "Cho mình hỏi: NQ57 có mấy nhiệm vụ?", ""]:
        first = reader.read(question)
        assert reader.read(question) == first == reader._read(question)
