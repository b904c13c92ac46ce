"""The assessment's per-chunk postings, summed shares and remembered readings (issue 13:
assistant/evidence.py Terms and _statics, abstention._context_years, tree.ask_of) give
what the plain code gives, bit for bit, on real questions of the corpus."""

from __future__ import annotations

from assistant import abstention
from assistant.api import Assistant
from assistant.evidence import Terms
from eval.dataset import load_questions
from tests.support.assess import captured_requests

_requests = captured_requests


def test_coverage_shares_and_confidence_sum_as_the_plain_code(corpus_app):
    app = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    requests = _requests(app, [q.question for q in load_questions(split="dev")[:120]])
    scorer = app.answerer.scorer
    checked = 0
    for r in requests:
        ev = scorer.assess(r)
        total = sum(ev.weights.values())
        terms = Terms(ev.weights)
        for u in ev.units:
            present = scorer.token_set(u.scope)
            plain = sum([w for t, w in ev.weights.items() if t in present])
            assert u.coverage == (plain / total if total else 0.0)
            assert terms.held(present) == plain
            heading = u.source.chunk.text.split("\n", 1)[0]
            assert scorer.share(heading, ev.weights, total, terms) == scorer.share(heading, ev.weights, total)
            checked += 1
        unigrams = {t: w for t, w in ev.weights.items() if "_" not in t and scorer.known(t)}
        plain_conf = max(
            (scorer.coverage(ev.question, u.source.chunk.embedding_text(), unigrams) for u in ev.ranked[:5]),
            default=0.0,
        )
        assert scorer.confidence(ev) == plain_conf
        assert ev.ranked == sorted(ev.units, key=lambda u: -u.score)
    assert checked > 1000


def test_context_years_remembered_are_the_units_own_and_a_fresh_set(corpus_app):
    app = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    requests = _requests(app, [q.question for q in load_questions(split="dev")[:40]])
    dated = 0
    for r in requests:
        for u in app.answerer.scorer.assess(r).units:
            got = abstention._context_years(u)
            assert got == abstention._context_years_of(u)
            got.add("1900")  # a caller's change stays its own
            assert abstention._context_years(u) == abstention._context_years_of(u)
            dated += bool(got - {"1900"})
    assert dated


def test_an_ask_read_again_is_the_ask_read_afresh(corpus_app):
    tree = corpus_app.answerer.tree
    for q in load_questions(split="dev")[:200]:
        first = tree.ask_of(q.question)
        assert tree.ask_of(q.question) is first
        assert first == tree._ask_of(q.question)  # noqa: SLF001 - the reading itself
