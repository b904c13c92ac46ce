"""A syllable of a question typed with tone marks that the documents never write so ("bọn",
"chứ", "cô" of a chat question) is not searched by its fold, which the documents use only
for other words ("bốn", "chủ", "có"); issue 10, colloquial and chat questions, on the real
documents."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.evidence import EvidenceScorer

CHATTY = "Bọn mình hỏi về phong trào bình dân học vụ số"


@pytest.fixture
def lexical(corpus_app):
    return corpus_app.searcher.lexical


def test_the_folds_of_words_the_documents_never_write_are_found(lexical):
    assert "bon" in lexical.foreign_folds(CHATTY)  # "bọn": the documents say "bốn" only
    assert "chuyen" in lexical.foreign_folds("Cô dạy đại học, có chuyện gì mới không?")
    # the documents' own words are not, whatever the tone placement ("hoá" / "hóa")
    assert lexical.foreign_folds("Có bốn nhóm nhiệm vụ về văn hoá số không") <= {"co", "ve", "khong"}
    assert "hoa" not in lexical.foreign_folds("văn hóa số")
    # typed without marks, a fold is the word itself
    assert lexical.foreign_folds("bon nhom nhiem vu") == frozenset()
    # a fold the question also says as the documents do stays: "chuyện" beside "chuyển đổi số"
    assert "chuyen" not in lexical.foreign_folds("chuyện chuyển đổi số")


def test_their_fold_adds_nothing_to_the_lexical_scores(lexical):
    bare = lexical.scores("mình hỏi về phong trào bình dân học vụ số")
    assert lexical.doc_freq.get("bon", 0) > 0  # "bốn" somewhere: the fold would match it
    assert np.abs(lexical.scores(CHATTY, None, 1.0) - bare).max() > 0
    assert np.allclose(lexical.scores(CHATTY, None, 0.0), bare)
    half = lexical.scores(CHATTY, None, 0.5)
    assert np.all(half <= lexical.scores(CHATTY, None, 1.0) + 1e-6) and np.all(half >= bare - 1e-6)


def test_the_search_drops_them_by_default(corpus_app):
    assert corpus_app.searcher.config.foreign_fold_weight == 0.0


def test_the_evidence_scorer_weighs_them_nothing(corpus_app, lexical):
    def scorer(foreign) -> EvidenceScorer:
        return EvidenceScorer(
            lambda text: lexical.analyzer.tokens(text, query=True),
            lexical.idf,
            lambda t: t in lexical.doc_freq,
            foreign=foreign,
        )

    assert scorer(lexical.foreign_folds).weights(CHATTY)["bon"] == 0.0
    assert scorer(lambda q: frozenset()).weights(CHATTY)["bon"] > 0.0
    assert corpus_app.answerer.scorer.weights(CHATTY)["bon"] == 0.0  # as the assistant builds it


def test_both_tone_placements_are_looked_up():
    from retrieval.text import tone_placements

    assert set(tone_placements("hoá")) == {"hoá", "hóa"} == set(tone_placements("hóa"))
    assert set(tone_placements("thuỷ")) == {"thuỷ", "thủy"}
    assert tone_placements("quý") == ("quý",) and tone_placements("bọn") == ("bọn",)


def test_the_first_question_does_not_scan_the_vocabulary(lexical):
    import time

    t = time.process_time()
    for _ in range(50):
        lexical.foreign_folds(CHATTY + " chuyện kiểu gì")
    assert (time.process_time() - t) / 50 < 0.005  # a lookup per syllable, no table to build
