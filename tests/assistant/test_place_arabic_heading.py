"""A part asked with an Arabic number ("mục 3", "muc 5") beside a heading's words, with no
document place of the form "Mục 3 của Kế hoạch 01", is the part its label numbers in Roman
(Nghị quyết 03's "III. TỔ CHỨC THỰC HIỆN", Kế hoạch 01's "V- TỔ CHỨC THỰC HIỆN"): the
number is said by the heading's Roman numeral (assistant/intent.py _roman_place_said) and a
list asked of the part keeps it as the subject (assistant/tree.py _says_subject)."""

from __future__ import annotations

import pytest

from assistant import intent


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("chương trình hành động của chính phủ mục 3 tổ chức thực hiện gồm những gì", "Mục III gồm 6"),
        ("muc 5 to chuc thuc hien ke hoach 01 co may diem", "Mục V gồm 2"),
        ("mục 4 lộ trình triển khai có những giai đoạn nào", "Mục IV gồm 3 giai đoạn"),
    ],
)
def test_an_arabic_part_beside_a_heading_is_its_roman_part(corpus_app, question, first):
    answer = corpus_app.ask(question)
    assert not answer.abstained, answer.answer
    assert first in answer.answer.split("\n")[0], answer.answer


class _Chunk:
    def __init__(self, text: str):
        self.text = text

    def embedding_text(self) -> str:
        return self.text


def test_a_roman_heading_numeral_says_the_arabic_part():
    heading = [_Chunk("III. TỔ CHỨC THỰC HIỆN\n1. Các bộ, ngành tổ chức thực hiện")]
    assert intent.missing_anchor("mục 3 tổ chức thực hiện gồm gì", heading) is None
    assert intent.missing_anchor("mục 4 tổ chức thực hiện gồm gì", heading) == "4"
    assert intent.missing_anchor("có 3 bộ nào tổ chức thực hiện", heading) == "3"  # no part named
