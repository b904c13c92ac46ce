"""A question naming a document is ranked within it alone when no other document's clause
can lead (retrieval/search.py, ``_none_elsewhere``): the hits are those of the ranking that
also ranks all the documents. No timing is asserted (figures: scripts/bench_perf.py)."""

from __future__ import annotations

import numpy as np

from eval.dataset import load_questions
from retrieval.search import HybridSearcher, _NamedOnly


def _plain(app) -> HybridSearcher:
    s = app.searcher
    return HybridSearcher(
        s.table,
        s.lexical,
        s.dense,
        s.recognizer,
        s.config,
        profiles=s.profiles,
        twins=s._twins,  # noqa: SLF001
    )


def _hits(searcher: HybridSearcher, question: str) -> list:
    return [(h.chunk.id, h.score, sorted(h.ranks.items())) for h in searcher.search(question, 8)]


def test_named_questions_get_the_hits_of_the_full_ranking(corpus_app):
    alone, full = _plain(corpus_app), _plain(corpus_app)
    full._none_elsewhere = lambda *a: False  # noqa: SLF001 - the ranking over all the documents, always
    seen = {"alone": 0, "full": 0}
    bound = alone._none_elsewhere  # noqa: SLF001

    def counted(*args) -> bool:
        got = bound(*args)
        seen["alone" if got else "full"] += 1
        return got

    alone._none_elsewhere = counted  # noqa: SLF001
    questions = [q.question for q in load_questions(split="dev") if corpus_app.searcher.recognizer.targets(q.question)]
    assert len(questions) > 100
    for q in questions[:160]:
        assert _hits(alone, q) == _hits(full, q), q
    assert seen["alone"] > 50 and seen["full"] > 5  # both ways were taken


def test_term_shares_are_every_rows_shares(corpus_app):
    profiles = corpus_app.searcher.profiles
    rng = np.random.default_rng(13)
    for _ in range(10):
        weights = np.zeros(len(profiles.vocab) + 1)
        weights[rng.choice(np.arange(1, len(weights)), 25, replace=False)] = rng.random(25)
        rows = list(range(len(profiles)))
        want = profiles.shares("all", rows, weights)
        rows_of = profiles.postings("all")  # read by the later calls; the first ones gather
        assert np.allclose(profiles.term_shares("all", weights), want, atol=1e-12)
        profiles.__dict__["_postings"] = {}
        profiles.__dict__["_term_share_calls"] = 0
        assert np.allclose(profiles.term_shares("all", weights), want, atol=1e-12)
        profiles.__dict__["_postings"] = {"all": rows_of}


def test_named_only_scores_note_a_row_they_lack():
    scored = _NamedOnly({1: 0.5})
    assert scored[1] == 0.5 and scored.get(1) == 0.5 and 1 in scored and not scored.missed
    assert scored.get(2, 0.0) == 0.0 and scored.missed
    for probe in (lambda s: s[3], lambda s: 3 in s):
        fresh = _NamedOnly({1: 0.5})
        probe(fresh)
        assert fresh.missed
