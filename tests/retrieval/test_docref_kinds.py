"""A document that is no official text and alone of its kind in the catalog is named by its
kind (retrieval/docref.py): "bài bình luận …" is the commentary, "bài phân tích" the 5W1H
analysis; the kinds that several documents share, or an official text's, name none."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("Bài bình luận so sánh cho rằng Nghị quyết 57 đổi mới ở điểm nào?", "so-sanh"),
        ("Theo bài phân tích, ai là chủ thể thực hiện?", "5w1h"),
        ("bai binh luan noi gi ve ket luan 69", "so-sanh"),
    ],
)
def test_a_lone_kind_names_its_document(corpus_app, question, doc):
    assert doc in corpus_app.searcher.recognizer.targets(question)


def test_shared_or_official_kinds_name_no_document(corpus_app):
    recognizer = corpus_app.searcher.recognizer
    assert recognizer.targets("Kế hoạch nào giao nhiệm vụ này?") == []  # two plans
    assert "kl69" not in recognizer.targets("Kết luận của bài này là gì?")  # an official text's kind


def test_the_commentary_named_by_its_kind_is_searched(corpus_app):
    hits = corpus_app.search("Bài bình luận so sánh cho rằng Nghị quyết 57 biến dữ liệu thành cái gì?", 5)
    assert any(h.chunk.doc_id == "so-sanh" for h in hits[:3])
