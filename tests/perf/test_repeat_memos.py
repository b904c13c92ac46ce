"""Work kept per reading of a question for a batch that asks the same questions again
(issue 13: evidence.assess's per-chunk scores and distinct shares, tree._best's winning
heading, abstention.detail_terms, the readings of more than a handful of questions): the
kept work is done once, and what is given back is what the plain computation gives, in
fresh objects."""

from __future__ import annotations

from dataclasses import replace

from assistant import abstention
from assistant.api import Assistant
from assistant.evidence import ASKED_MEMO, EvidenceScorer
from assistant.tree import ASKS_MEMO, TreeAnswerer
from eval.dataset import load_questions
from tests.support.assess import captured_requests


def _unit_rows(ev):
    return [(u.source.chunk.id, u.start, u.end, u.score, u.coverage, u.scope, u.distinct) for u in ev.units]


def test_a_request_assessed_again_scores_its_chunks_once_and_as_afresh(corpus_app, monkeypatch):
    app = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    requests = captured_requests(app, [q.question for q in load_questions(split="dev")[:80]])
    scorer = app.answerer.scorer
    first = [_unit_rows(scorer.assess(r)) for r in requests]
    calls = []
    work = EvidenceScorer._score_chunk  # noqa: SLF001 - the kept work itself is counted

    def counted(self, *args):
        calls.append(1)
        return work(self, *args)

    monkeypatch.setattr(EvidenceScorer, "_score_chunk", counted)
    again = [scorer.assess(r) for r in requests]
    assert not calls  # every chunk of every request was kept
    assert [_unit_rows(ev) for ev in again] == first
    # fresh units each time: a caller's change stays its own
    assert all(a is not b for a, b in zip(again[0].units, scorer.assess(requests[0]).units, strict=True))
    # … and what was kept is what a scorer with nothing kept gives
    for name in ("_scored_memo", "_distinct_memo", "_asked_memo"):
        scorer.__dict__.pop(name, None)
    monkeypatch.setattr(EvidenceScorer, "_score_chunk", work)
    assert [_unit_rows(scorer.assess(r)) for r in requests] == first
    assert sum(len(rows) for rows in first) > 1000


def test_a_changed_setting_is_not_read_from_what_was_kept(corpus_app):
    app = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    requests = captured_requests(app, [q.question for q in load_questions(split="dev")[:30]])
    scorer = app.answerer.scorer
    before = [_unit_rows(scorer.assess(r)) for r in requests]
    bonus = scorer.named_doc_bonus
    scorer.named_doc_bonus = bonus + 1.0
    try:
        after = [_unit_rows(scorer.assess(r)) for r in requests]
    finally:
        scorer.named_doc_bonus = bonus
    assert after != before
    assert [_unit_rows(scorer.assess(r)) for r in requests] == before


def test_the_best_heading_is_found_once_per_reading_and_planned_afresh(corpus_app, monkeypatch):
    app = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    tree = app.answerer.tree
    questions = [q.question for q in load_questions(split="dev")]
    calls = []
    work = TreeAnswerer._work_best  # noqa: SLF001

    def counted(self, *args):
        calls.append(args)
        return work(self, *args)

    monkeypatch.setattr(TreeAnswerer, "_work_best", counted)
    plans: list = []
    best = TreeAnswerer._best  # noqa: SLF001

    def kept(self, *args):
        plan = best(self, *args)  # (kept as given: its callers change it)
        plans.append((args, None if plan is None else replace(plan, items=list(plan.items), groups=list(plan.groups))))
        return plan

    monkeypatch.setattr(TreeAnswerer, "_best", kept)
    for q in questions[:300]:
        app.ask(q, [])
    assert plans and calls
    found = len(calls)
    first = [(args, plan) for args, plan in plans]
    plans.clear()
    for args, plan in first:
        again = TreeAnswerer._best(tree, *args)
        assert again == plan and (plan is None or again is not plan)
    assert len(calls) == found  # nothing worked out again
    tree.__dict__.pop("_best_memo")
    for args, plan in first:
        assert TreeAnswerer._best(tree, *args) == plan  # as with nothing kept


def test_detail_terms_are_read_once_per_question_as_a_fresh_dict(corpus_app, monkeypatch):
    answerer = corpus_app.answerer
    scorer, pairs = answerer.scorer, answerer.policy.word_pairs()
    questions = [q.question for q in load_questions(split="dev")[:200]]
    first = [abstention.detail_terms(q, scorer, pairs) for q in questions]
    assert any(first)
    monkeypatch.setattr(abstention, "_detail_terms", lambda *a: (_ for _ in ()).throw(AssertionError("again")))
    again = [abstention.detail_terms(q, scorer, pairs) for q in questions]
    assert again == first and all(a is not b for a, b in zip(again, first, strict=True))
    monkeypatch.undo()
    assert [abstention._detail_terms(q, scorer, pairs) for q in questions] == first  # noqa: SLF001


def test_the_readings_of_a_batch_of_sixty_questions_are_all_kept(corpus_app):
    tree = corpus_app.answerer.tree
    questions = [q.question for q in load_questions(split="dev")[:60]]
    assert ASKED_MEMO >= 60 and ASKS_MEMO >= 60
    for q in questions:
        tree.ask_of(q)
    kept = {q: tree.ask_of(q) for q in questions}
    assert all(tree.ask_of(q) is kept[q] for q in questions)  # none read again


def test_a_missing_anchor_is_read_once_per_question_and_clauses(corpus_app, monkeypatch):
    from assistant import intent

    app = Assistant(corpus_app.settings.model_copy(update={"answer_cache": 0}))
    requests = captured_requests(app, [q.question for q in load_questions(split="dev")[:120]])
    asked = [(r.question, [s.chunk for s in r.sources[:5]], frozenset(r.known_years)) for r in requests]
    first = [intent.missing_anchor(q, chunks, years) for q, chunks, years in asked]
    assert any(first) and not all(first)
    monkeypatch.setattr(intent, "_missing_anchor", lambda *a: (_ for _ in ()).throw(AssertionError("again")))
    assert [intent.missing_anchor(q, iter(chunks), years) for q, chunks, years in asked] == first
    monkeypatch.undo()
    plain = [
        intent._missing_anchor(q, tuple(c.embedding_text() for c in chunks), years, frozenset())
        for q, chunks, years in asked
    ]  # noqa: SLF001
    assert plain == first
