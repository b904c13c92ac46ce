"""The learned second stage of the search on the real documents: its features
(retrieval/features.py), the linear model and its fitting (retrieval/rerank.py), the
shipped weights, and twins (retrieval/twins.py)."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from retrieval import features
from retrieval.rerank import LinearReranker, default_reranker, fit
from retrieval.search import HybridSearcher, SearchConfig


def observed(searcher: HybridSearcher, query: str) -> dict[tuple[str, str], np.ndarray]:
    """The learned stage's feature rows of the first search a query makes, by clause
    (document id, clause path; a clause split in parts: its first part)."""
    seen = []
    old = searcher.observe
    searcher.observe = lambda q, rows, X: seen.append((list(rows), X.copy()))
    try:
        searcher.search(query, 10)
    finally:
        searcher.observe = old
    rows, X = seen[0]
    out: dict[tuple[str, str], np.ndarray] = {}
    for i, x in zip(rows, X):
        out.setdefault(clause_key(searcher.table.chunks[i]), x)
    return out


def clause_key(chunk) -> tuple[str, str]:
    return chunk.doc_id, chunk.path


def value(row: np.ndarray, name: str) -> float:
    return float(row[features.INDEX[name]])


def test_shipped_weights_name_known_features_and_were_fitted_on_dev():
    data = json.loads(resources.files("retrieval.resources").joinpath("rerank.json").read_text("utf-8"))
    assert set(data["features"]) <= set(features.NAMES)
    assert data["fitted_on"] == "dev" and data["cv_folds"] >= 2
    model = default_reranker()
    assert model is not None and model.names == features.NAMES
    # coverage of the question and the fused rank carry the model (it stays near the hand rerank)
    w = dict(zip(model.names, model.weights))
    assert w["coverage"] > 0 and w["fused"] > 0


def test_weights_file_missing_a_feature_weighs_it_nothing_and_unknown_ones_are_refused():
    model = LinearReranker.from_json({"features": ["fused"], "mean": [0.5], "scale": [2.0], "weights": [1.0]})
    X = np.zeros((2, len(features.NAMES)))
    X[0, features.INDEX["fused"]] = 1.0
    X[:, features.INDEX["coverage"]] = [0.0, 5.0]
    assert model.score(X).tolist() == pytest.approx([0.25, -0.25])
    with pytest.raises(ValueError, match="unknown features"):
        LinearReranker.from_json({"features": ["no_such"], "mean": [0], "scale": [1], "weights": [1]})


def test_fit_learns_the_feature_that_separates_and_is_deterministic():
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(40):
        X = rng.random((10, len(features.NAMES)))
        X[:, 0] = 1.0
        y = np.zeros(10)
        y[rng.integers(10)] = 1.0
        X[y > 0, features.INDEX["numbers"]] += 1.0  # the relevant row holds the asked number
        groups.append((X, y))
    a, b = fit(groups, l2=1.0), fit(groups, l2=1.0)
    assert np.array_equal(a.weights, b.weights)
    w = dict(zip(a.names, a.weights))
    assert w["numbers"] == max(w.values()) > 0
    # stronger regularization pulls the weights toward the prior (here zero)
    assert np.abs(fit(groups, l2=100.0).weights).sum() < np.abs(a.weights).sum()


def test_coverage_features_are_shares(corpus_app):
    rows = observed(
        corpus_app.searcher, "Kinh phí chi cho nghiên cứu phát triển đạt bao nhiêu phần trăm GDP đến năm 2030?"
    )
    for name in ("coverage", "coverage_text", "coverage_crumb", "coverage_lead", "coverage_rare", "numbers"):
        vals = [value(r, name) for r in rows.values()]
        assert all(-1e-9 <= v <= 1 + 1e-9 for v in vals), name
    target = rows["nq57", "II.1.-3"]  # "Kinh phí chi cho nghiên cứu phát triển (R&D) đạt 2% GDP"
    assert value(target, "coverage") == pytest.approx(max(value(r, "coverage") for r in rows.values()))
    assert value(target, "year_agrees") == 1.0  # it stands under "Đến năm 2030"


def test_a_number_in_the_heading_counts_for_the_items_under_it(corpus_app):
    rows = observed(corpus_app.searcher, "Sáng kiến 3 phát triển UAV để làm gì?")
    bullet = rows["kh01", "PL1.III.A.3.-2"]  # "- Nội dung: … UAV tuần tra …" under "3. Sáng kiến 3: …"
    assert value(bullet, "numbers") == 0.0 and value(bullet, "numbers_heading") == 1.0
    other = rows["kh01", "PL1.III.B.9"]  # "9. Sáng kiến 9: …"
    assert value(other, "numbers_heading") == 0.0


def test_the_opening_words_of_a_clause_are_its_subject(corpus_app):
    rows = observed(corpus_app.searcher, "Theo bài phân tích 5W1H, nhà khoa học có vai trò gì?")
    lead = rows["5w1h", "3.-1.-2"]  # "- Nhà khoa học: Nhân tố then chốt, …"
    assert value(lead, "coverage_lead") > 0
    assert value(lead, "coverage_lead") == pytest.approx(value(lead, "coverage_text"), abs=0.02)
    deep = rows["5w1h", "6.-1.4.-1"]  # "- Đào tạo nhân lực … thu hút chuyên gia và nhà khoa học."
    assert value(deep, "coverage_lead") < value(deep, "coverage_text")


def test_synonym_coverage_is_zero_without_synonyms_and_counts_their_terms(corpus_app):
    assert not corpus_app.searcher.expansions("Hội đồng quốc gia có nhiệm vụ gì?")
    plain = observed(corpus_app.searcher, "Hội đồng quốc gia có nhiệm vụ gì?")
    assert all(value(r, "coverage_synonyms") == 0.0 for r in plain.values())
    chat = observed(corpus_app.searcher, "mấy bạn trẻ khởi nghiệp có chỗ nào rót vốn không")
    assert corpus_app.searcher.expansions("mấy bạn trẻ khởi nghiệp có chỗ nào rót vốn không")
    assert max(value(r, "coverage_synonyms") for r in chat.values()) > 0


def test_profiles_are_built_once_per_searcher(corpus_app):
    searcher = corpus_app.searcher
    profiles = searcher.profiles
    assert len(profiles) == len(searcher.table.chunks)
    searcher.search("quỹ đầu tư mạo hiểm cho khởi nghiệp", 5)
    assert searcher.profiles is profiles


def test_learned_stage_is_what_orders_the_head(corpus_app):
    base = corpus_app.searcher
    hand = HybridSearcher(
        base.table,
        base.lexical,
        base.dense,
        base.recognizer,
        SearchConfig(learned_rerank=False),
        profiles=base.profiles,
    )
    q = "Kế hoạch 01 có những sáng kiến nào trong nhóm hạ tầng và dữ liệu?"
    learned = [clause_key(h.chunk) for h in base.search(q, 5)]
    assert learned[0] == ("kh01", "PL1.III.D")  # "D- Nhóm sáng kiến hạ tầng và dữ liệu": its items are the list
    assert base.reranker is not None  # the shipped fitted weights
    assert [clause_key(h.chunk) for h in hand.search(q, 5)] != learned


def test_twins_follow_a_hit_but_stay_in_a_named_document(corpus_app):
    searcher = corpus_app.searcher
    row: dict[tuple[str, str], int] = {}
    for i, c in enumerate(searcher.table.chunks):
        row.setdefault(clause_key(c), i)
    item, appendix = row["kh01", "II.4.c.-2"], row["kh01", "PL1.III.D.17"]  # "Sáng kiến 17" in Mục II and Phụ lục I
    assert appendix in searcher._twins.get(item, [])  # and the other way round, as all twins (below)
    for i, twins in searcher._twins.items():
        for j in twins:
            assert i in searcher._twins[j]  # symmetric
    hits = searcher.search("Sáng kiến 17 điện toán đám mây và trung tâm dữ liệu quốc gia", 5)
    ids = [clause_key(h.chunk) for h in hits]
    assert ("kh01", "II.4.c.-2") in ids and ("kh01", "PL1.III.D.17") in ids
    named = searcher.search("Nghị quyết 57 nói gì về quy mô kinh tế số đạt 30% GDP", 5)
    assert named and all(h.chunk.doc_id == "nq57" for h in named[:2])
