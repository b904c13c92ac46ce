"""Issue 13 (wave 4b): the per-question and per-heading work kept between questions gives
what working it out afresh gives: the same answers whatever was asked before, and the
several-weightings shares equal to the one-at-a-time shares, bit for bit."""

from __future__ import annotations

import numpy as np

from assistant.api import Assistant
from assistant.evidence import EvidenceScorer, units_of
from assistant.generation.base import Source

QUESTIONS = [
    "Nghị quyết 57 có bao nhiêu sáng kiến đột phá?",  # a count: the tree's headings
    "Kế hoạch 01-KH/BCĐTW có mấy hệ thống chiến lược?",
    "Đến năm 2030, quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?",  # a figure and a year
    "Nghị quyết 03/NQ-CP do ai ký?",  # a signer, a named document: ranked within it, then over all
    "Bộ Khoa học và Công nghệ có trách nhiệm gì theo Nghị quyết 57?",
    "Sáng kiến 6 là gì? Sáng kiến 7 là gì?",  # numbered parts
    "Nghị quyết 57 gồm những phần nào?",
]


def _answers(app: Assistant, questions: list[str]) -> dict[str, dict]:
    out = {}
    for q in questions:
        got = app.ask(q, []).to_json()
        got.pop("timings_ms", None)
        out[q] = got
    return out


def test_answers_do_not_depend_on_what_was_asked_before(corpus_app):
    # the answer cache off: the memos under it are what is checked
    plain = corpus_app.settings.model_copy(update={"answer_cache": 0})
    warmed = _answers(Assistant(plain), QUESTIONS + QUESTIONS)  # every memo filled, then read
    fresh = _answers(Assistant(plain), list(reversed(QUESTIONS)))
    assert fresh == warmed


def test_evidence_units_are_those_of_the_plain_split(corpus_app):
    lexical = corpus_app.searcher.lexical
    scorer = EvidenceScorer(lexical.analyzer.tokens, lexical.idf)
    for i, chunk in enumerate(corpus_app.table.chunks):
        source = Source(number=1, chunk=chunk, rank=1 + i % 3)
        plain = [(u.start, u.end) for u in units_of(source)]
        for _ in range(2):  # computed, then remembered
            got = scorer.units(source)
            assert [(u.start, u.end) for u in got] == plain
            assert all(u.source is source and u.score == 0.0 for u in got)


def test_shares_of_several_weightings_equal_the_shares_of_each(corpus_app):
    profiles = corpus_app.searcher.profiles
    rng = np.random.default_rng(13)
    size = len(profiles.vocab) + 1
    rows_sets = [list(range(len(profiles))), list(rng.permutation(len(profiles))[:40]), [0], [5, 5, 3]]
    for rows in rows_sets:
        vectors = [np.where(rng.random(size) < p, rng.random(size), 0.0) for p in (0.001, 0.01, 0.2)]
        for field in ("all", "text", "items"):
            together = profiles.shares_of(field, rows, vectors)
            for k, v in enumerate(vectors):
                assert np.array_equal(together[k], profiles.shares(field, rows, v))


def test_gathered_term_ids_are_the_rows_arrays_end_to_end(corpus_app):
    profiles = corpus_app.searcher.profiles
    rng = np.random.default_rng(7)
    for rows in ([0], list(range(len(profiles))), [int(i) for i in rng.integers(0, len(profiles), 60)]):
        for field in ("all", "lead", "items"):
            ids, starts = profiles._gather(field, rows)  # noqa: SLF001
            parts = [profiles.ids[field][i] for i in rows]
            assert np.array_equal(ids, np.concatenate(parts))
            assert starts.tolist() == np.cumsum([0] + [len(p) for p in parts[:-1]]).tolist()
