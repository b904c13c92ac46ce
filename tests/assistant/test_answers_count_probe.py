"""Counts checked on every heading of the documents (scripts/probe_counts.py): each heading
with items asked for its count by its own noun, its items' noun, a synonym, its period, the
groups of its items or its place ("Mục III", "điểm 4 Mục II"), and typed as in a chat; the
answer states the tree's count in its opening lines and cites the items."""

from __future__ import annotations

import pytest

from assistant.doctree import DocumentTree
from scripts.probe_counts import Probe, build, judge
from scripts.probe_tree import doc_name


@pytest.fixture(scope="module")
def probes(corpus_app) -> list[Probe]:
    tree = DocumentTree(corpus_app.table)
    official = [d for d in corpus_app.searcher.recognizer.documents if d.authority == "official"]
    names = {d.id: doc_name(d.cite_as or d.short, d.id) for d in official}
    cites = {d.id: next((c.label.split(",")[0] for c in tree.of_document(d.id)), "") for d in official}
    return build(tree, names, cites)


@pytest.mark.parametrize(
    "family, least, every",
    [
        ("own", 20, 1),
        ("child", 6, 1),
        ("period", 4, 1),
        ("groups", 3, 1),
        ("each", 3, 1),
        ("part", 100, 6),
        ("chat", 100, 6),
    ],
)
def test_a_count_states_the_items_of_the_heading_and_cites_them(corpus_app, probes, family, least, every):
    chosen = [p for p in probes if p.family == family]
    assert len(chosen) >= least  # every heading of the family: a real sample
    outcomes = [judge(p, corpus_app.ask(p.question)) for p in chosen[::every]]
    missed = [f"{o.probe.question} -> {o.opening[:80]}" for o in outcomes if not (o.count_ok and o.cited >= 0.999)]
    assert len(missed) <= 0.05 * len(outcomes), missed[:8]
