"""retrieval/readings.py: a syllable typed without tone marks read by its neighbours, from the
documents' own writing (the real corpus)."""

from __future__ import annotations

import dataclasses

import pytest

from retrieval.readings import Readings
from retrieval.text import fold


@pytest.fixture(scope="module")
def readings(corpus_app) -> Readings:
    return Readings(c.text for c in corpus_app.table.chunks)


def _meant(readings: Readings, question: str, word: str):
    folded = fold(question).split()
    return readings.meant(folded, folded.index(word))


def test_a_reading_written_only_in_its_collocation_is_not_meant_elsewhere(readings):
    # the documents write "Hàn" only in "Viện Hàn lâm": "han trinh" is hạn (a deadline)
    assert _meant(readings, "bo khcn han trinh chinh phu", "han") == ["hạn"]
    assert _meant(readings, "nghi quyet 20 khoa may", "khoa") is not None  # khoá XI, not khoa học
    assert "khoa" not in _meant(readings, "nghi quyet 20 khoa may", "khoa")
    # beside either neighbour of its collocation, nothing is ruled out
    for question in ("vien han lam co bao nhieu nha khoa hoc", "han lam khcn co bao nhieu nha khoa hoc"):
        assert _meant(readings, question, "han") is None, question
    assert _meant(readings, "phat trien khoa hoc cong nghe", "khoa") is None


def test_the_folded_token_is_searched_as_the_remaining_readings_only_when_all_uses_agree(corpus_app, readings):
    analyzer = corpus_app.searcher.lexical.analyzer
    question = "bo khcn han trinh chinh phu"
    tokens = readings.tokens(question, analyzer.tokens(question, query=True))
    assert "~hạn" in tokens and "han" not in tokens and "han_trinh" in tokens
    both = "vien han lam han trinh bao cao"  # one "han" is Hàn lâm: the folded token stays
    assert readings.tokens(both, analyzer.tokens(both, query=True)) == analyzer.tokens(both, query=True)


def test_a_deadline_typed_without_marks_does_not_go_to_the_vien_han_lam_plan(corpus_app):
    searcher = corpus_app.searcher
    question = "bo khcn han trinh chinh phu"
    assert searcher.search(question, 2)[0].chunk.doc_id != "kh-vhl"
    kept = searcher.config
    try:
        searcher.config = dataclasses.replace(kept, plain_readings=False)
        assert searcher.search(question, 2)[0].chunk.doc_id == "kh-vhl"  # the folded "han" matched Hàn
    finally:
        searcher.config = kept
