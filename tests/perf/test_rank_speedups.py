"""The ranking's faster paths of issue 13 (perf15) give what the plain code gives, to the
bit: the fusion's shares made once, the duplicate check kept per pair of rows, the
synonyms' weights made alone. No timing is asserted (scripts/bench_perf.py measures)."""

from __future__ import annotations

import numpy as np

from retrieval import features
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.search import HybridSearcher, _jaccard

QUESTIONS = [
    "Đến năm 2030, quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?",
    "Bộ Khoa học và Công nghệ có trách nhiệm gì theo Nghị quyết 57?",
    "nghi quyet 03 giao nhiem vu gi cho bo tai chinh",
    "Kế hoạch 01 có mấy hệ thống chiến lược?",
]


def _plain_fusion(rankings, weights, k):
    scores: dict = {}
    for name, ranking in rankings.items():
        w = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return scores


def test_fusion_with_shares_made_once_is_the_plain_sum_to_the_bit():
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(0, 600))  # past the 256 shares made at first
        rankings = {
            "lexical": rng.permutation(900)[:n].tolist(),
            "dense": rng.permutation(900)[: int(rng.integers(0, 120))].tolist(),
            "count": [5, 5, 7],  # a repeated row keeps adding
        }
        for weights, k in ((None, 60.0), ({"lexical": 1.3, "dense": 0.7}, 60.0), ({"dense": 0.45}, 12)):
            got = reciprocal_rank_fusion(rankings, weights, k)
            want = _plain_fusion(rankings, weights, k)
            assert list(got) == list(want)  # the same order of first appearance
            assert all(got[i] == want[i] for i in want)


def test_duplicates_collapse_as_with_every_pair_compared(corpus_app):
    cached = corpus_app.searcher
    searcher = HybridSearcher(cached.table, cached.lexical, cached.dense, cached.recognizer, cached.config)
    threshold = searcher.config.duplicate_jaccard

    def plain(ranked, limit):
        kept, sets = [], []
        for i in ranked:
            words = searcher._words(i)  # noqa: SLF001
            if any(_jaccard(words, other) >= threshold for other in sets):
                continue
            kept.append(i)
            sets.append(words)
            if len(kept) >= limit:
                break
        return kept

    rng = np.random.default_rng(5)
    lists = [rng.permutation(len(searcher.table.chunks))[:60].tolist() for _ in range(30)]
    for q in QUESTIONS:
        ranked, _, _ = searcher._ranked(q, 8, None)  # noqa: SLF001
        lists.append(ranked)
    # rows of the same text one after the other, and every row once: near duplicates among them
    by_text: dict[str, list[int]] = {}
    for i, c in enumerate(searcher.table.chunks):
        by_text.setdefault(" ".join(sorted(searcher._words(i)))[:200], []).append(i)  # noqa: SLF001
    lists.append([i for rows in by_text.values() for i in rows])
    for _ in range(2):  # the second time from the pairs kept
        for ranked in lists:
            for limit in (8, len(ranked)):
                assert searcher._collapse_duplicates(ranked, limit) == plain(ranked, limit)  # noqa: SLF001
    # some list did drop a near duplicate (the check is exercised, not vacuous)
    assert any(len(plain(r, len(r))) < len(r) for r in lists)


def test_synonym_weights_alone_are_the_query_terms_weights_to_the_bit(corpus_app):
    from eval.dataset import load_questions

    searcher = corpus_app.searcher
    lexical, vocab = searcher.lexical, searcher.profiles.vocab
    for q in QUESTIONS + [q.question for q in load_questions()[:200]] + ["", "và của", "xyzzy không có"]:
        tokens = lexical.analyzer.tokens(q, query=True)
        want = features.QueryTerms.of(tokens, lexical.idf, vocab).weights
        assert np.array_equal(features.QueryTerms.weights_of(tokens, lexical.idf, vocab), want), q
        as_dict = dict(vocab.items())  # a plain dict vocabulary, as the tools pass
        assert np.array_equal(features.QueryTerms.weights_of(tokens, lexical.idf, as_dict), want), q
