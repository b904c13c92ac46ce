"""The answer's sentences are picked by what tells a unit apart from the other candidates
(assistant/evidence.py ``Unit.distinct``, assistant/generation/extractive.py ``merit``):
a question term that every candidate holds (the heading they all stand under) does not
choose among them, a term only one holds does (issue 10: paraphrased questions)."""

from __future__ import annotations

from assistant.generation.base import GenerationRequest
from assistant.generation.extractive import DISTINCT_WEIGHT, merit

WEB = "Hệ thống giám sát, đánh giá việc triển khai Nghị quyết 57 đặt ở địa chỉ trang mạng nào?"


def _evidence(corpus_app, question: str):
    sources = corpus_app.answerer.sources(corpus_app.search(question, 5), 1)
    return corpus_app.answerer.scorer.assess(GenerationRequest(question, sources))


def test_a_term_every_candidate_holds_tells_none_apart(corpus_app):
    evidence = _evidence(corpus_app, WEB)
    scorer = corpus_app.answerer.scorer
    sets = [scorer.token_set(u.scope) for u in evidence.units]
    everywhere = set.intersection(*map(set, sets)) & set(evidence.weights)
    for unit, present in zip(evidence.units, sets, strict=True):
        assert 0.0 <= unit.distinct <= unit.coverage + 1e-9
        if present & set(evidence.weights) <= everywhere:
            assert unit.distinct == 0.0
    # the score the abstention step and the tree read is the plain one
    assert all(merit(u) == u.score + DISTINCT_WEIGHT * u.distinct for u in evidence.units)


def test_the_sentence_that_alone_says_the_asked_detail_starts_the_answer(corpus_app):
    # every candidate speaks of monitoring and evaluation; only one names the address
    answer = corpus_app.ask(WEB)
    assert not answer.abstained
    first = next(line for line in answer.answer.splitlines()[1:] if line.strip())
    assert "nq57.vn" in first
