"""The evidence's per-unit sums and facts kept between questions (assistant/evidence.py,
issue 13) give what the plain per-unit code gives, bit for bit."""

from __future__ import annotations

from assistant.api import Assistant
from assistant.evidence import EvidenceScorer
from eval.dataset import load_questions
from tests.support.assess import captured_requests


def _plain_distinct(scorer: EvidenceScorer, units, weights: dict[str, float], total: float) -> list[float]:
    """The distinct shares as the code before the perf work summed them."""
    sets = [scorer.token_set(u.scope) for u in units]
    kept = [(t, w) for t, w in weights.items() if w]
    held = {t: sum([t in s for s in sets]) for t, _ in kept}
    n = len(units)
    return [sum([w * (n - held[t]) for t, w in kept if t in present]) / (n * total) for present in sets]


_requests = captured_requests


def _scored(scorer: EvidenceScorer, request) -> list[tuple]:
    ev = scorer.assess(request)
    return [(u.source.number, u.start, u.end, u.score, u.coverage, u.scope, u.distinct) for u in ev.units]


def test_units_score_alike_with_their_facts_kept_or_found_afresh(corpus_app):
    plain = corpus_app.settings.model_copy(update={"answer_cache": 0})
    app = Assistant(plain)
    questions = [q.question for q in load_questions(split="dev")[:120]]
    requests = _requests(app, questions)
    warmed = app.answerer.scorer  # its memos filled by the asks
    got = [_scored(warmed, r) for r in requests]
    again = [_scored(warmed, r) for r in requests]
    fresh = Assistant(plain).answerer.scorer
    assert got == again == [_scored(fresh, r) for r in reversed(requests)][::-1]
    for r in requests:
        ev = warmed.assess(r)
        if len(ev.units) >= 2 and sum(ev.weights.values()):
            want = _plain_distinct(warmed, ev.units, ev.weights, sum(ev.weights.values()))
            assert [u.distinct for u in ev.units] == want
