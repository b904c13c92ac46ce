""" "Bao nhiêu X" with X a one-syllable everyday noun ("viện", "hãng"): what it counts is also
looked up in the synonym resource as the question writes it, with its tone marks (folded,
"vien" matches no member on its own), so "bao nhiêu viện" is answered by "40 - 50 tổ chức
khoa học và công nghệ" and not refused for holding no count of "viện" (assistant/intent.py
_counted_names)."""

from __future__ import annotations

from assistant import intent
from retrieval.text import fold

from .test_answers import assert_well_cited

CLAUSE = "Có từ 40 - 50 tổ chức khoa học và công nghệ được xếp hạng khu vực và thế giới."


def test_a_one_syllable_counted_noun_is_read_with_its_marks():
    question = "Đến năm 2030 cần bao nhiêu viện được xếp hạng khu vực và thế giới?"
    assert intent.has_asked_value(fold(question), [fold(CLAUSE)], marked=question)
    assert not intent.has_asked_value(fold(question), [fold(CLAUSE)])  # folded alone: no synonym


def test_a_count_asked_in_everyday_words_is_answered(corpus_app):
    a = corpus_app.ask("Kế hoạch 01 đặt mục tiêu đến năm 2030 có bao nhiêu viện được xếp hạng khu vực và thế giới?")
    assert not a.abstained
    assert "40 - 50" in a.answer
    assert_well_cited(a)
