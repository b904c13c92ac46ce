"""A count or list of the legal bases of one named document ("căn cứ vào mấy văn bản", "căn cứ
những văn bản nào", "có bao nhiêu căn cứ": answers.toml based_on) is answered from the
"Căn cứ <Văn bản> …" lines of its preamble (assistant/tree.py _bases), each cited: on the real
documents Kế hoạch 01 (5, as bullets), Nghị quyết 03/NQ-CP (3, lines of its heading part) and
the Viện Hàn lâm plan (2). A "Căn cứ vào chức năng …" in the body is no basis."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("question", "first", "said", "count"),
    [
        ("kh01 dua tren bao nhieu can cu", "căn cứ 5 văn bản", "Quy chế làm việc số 01-QC/BCĐTW", 5),
        ("Nghị quyết 03/NQ-CP có mấy căn cứ pháp lý?", "căn cứ 3 văn bản", "Luật Tổ chức Chính phủ", 3),
        (
            "Kế hoạch của Viện Hàn lâm căn cứ vào bao nhiêu văn bản?",
            "căn cứ 2 văn bản",
            "Nghị định số 106/2022/NĐ-CP",
            2,
        ),
        ("ke hoach 01 can cu nhung van ban nao", "căn cứ các văn bản", "Quyết định số 259-QĐ/TW", 5),
    ],
)
def test_the_legal_bases_of_a_document_are_its_preamble_lines(corpus_app, question, first, said, count):
    answer = corpus_app.ask(question)
    assert not answer.abstained, answer.answer
    lines = answer.answer.split("\n")
    assert first in lines[0], answer.answer
    assert said in answer.answer, answer.answer
    bullets = [line for line in lines[1:] if line.startswith("- Căn cứ")]
    assert len(bullets) == count, answer.answer
    assert not any("Căn cứ vào chức năng" in line for line in bullets)


def test_a_question_opening_with_can_cu_asks_something_else(corpus_app):
    answer = corpus_app.ask("Căn cứ Kế hoạch 01, có mấy sáng kiến đột phá?")
    assert "30 sáng kiến" in answer.answer.split("\n")[0], answer.answer
