"""The search on probe questions generated from the documents themselves (retrieval/probes.py):
a clause's words typed the ways people type in a chat (without tone marks, keywords only,
after a preamble about the asker's job, naming the wrong document, a heading asked for its
items) still find that clause in the top 5. General: no written question is involved."""

from __future__ import annotations

import re

import pytest

from retrieval.probes import KINDS, Probe, ProbeMaker, run_probes
from retrieval.text import fold


@pytest.fixture(scope="module")
def probed(corpus_app):
    searcher = corpus_app.searcher
    names = {d.id: d.cite_as for d in corpus_app.catalog.documents if d.authority == "official"}
    maker = ProbeMaker(
        corpus_app.table, names, searcher.lexical.idf, lambda t: searcher.lexical.doc_freq.get(t, 0), seed=0
    )
    probes = maker.make(40)
    return probes, run_probes(lambda q, k: searcher.search(q, k), corpus_app.table, probes)


def test_probes_are_made_of_every_kind_and_deterministic(corpus_app, probed):
    probes, _ = probed
    assert {p.kind for p in probes} == set(KINDS)
    searcher = corpus_app.searcher
    names = {d.id: d.cite_as for d in corpus_app.catalog.documents if d.authority == "official"}
    again = ProbeMaker(
        corpus_app.table, names, searcher.lexical.idf, lambda t: searcher.lexical.doc_freq.get(t, 0), seed=0
    ).make(40)
    assert again == probes
    assert all(p.query == p.query.lower() for p in probes if p.kind.startswith("folded"))


def test_probe_questions_find_their_clause(probed):
    _, report = probed
    recall = report.recall()
    assert recall["all"] >= 0.95, report.show()
    # Each kind finds 85% of its clauses; a kind with few probes (english: about 5, drawn after
    # the synonym kinds, so a new synonym group redraws them) may miss one of them.
    for kind in KINDS:
        found = report.found[kind]
        assert sum(found) >= min(0.85 * len(found), len(found) - 1), (kind, len(found), report.show())


def test_a_probe_of_another_clause_is_not_found(corpus_app):
    """The check can fail: a probe whose target is a clause its words are not from."""
    table = corpus_app.table
    far = next(c for c in table.chunks if c.doc_id == "kh-vhl" and not c.boilerplate and c.kind != "title")
    probe = Probe("plain", "Quy mô kinh tế số đạt tối thiểu 30% GDP là gì?", far.id)
    report = run_probes(lambda q, k: corpus_app.searcher.search(q, k), table, [probe])
    assert report.recall()["all"] == 0.0


def test_chat_typing_kinds_type_as_people_do(probed):
    """The later kinds: a slip in a folded word, some tone marks kept and some dropped, the
    clause's document glued short ("nq57", "kh01"), an English term, a question word, a year."""
    probes, _ = probed
    by_kind: dict[str, list[Probe]] = {}
    for p in probes:
        by_kind.setdefault(p.kind, []).append(p)
    assert all(p.query == p.query.lower() for p in by_kind["typo"])
    assert all(re.search(r"\b(?:nq|kh|kl|qd)\d+\b", p.query) for p in by_kind["glued_doc"])
    assert all(re.search(r"\b(?:19|20)\d{2}\b", p.query) for p in by_kind["year_only"])
    mixed = by_kind["mixed_marks"]
    assert any(
        fold(p.query) != p.query and any(fold(w) == w and w.isalpha() and len(w) > 2 for w in p.query.split())
        for p in mixed
    )


def test_harder_chat_kinds_are_made_as_described(corpus_app, probed):
    """The kinds after them: another document glued short (one that writes none of the
    keywords' word pairs), keywords after two or three sentences about the asker's work,
    the keywords in another order, a few words of the clause's heading before them."""
    probes, _ = probed
    table = corpus_app.table
    by_kind: dict[str, list[Probe]] = {}
    for p in probes:
        by_kind.setdefault(p.kind, []).append(p)
    for p in by_kind["wrong_glued"]:
        short = re.search(r"\b(?:nq|kh|kl|qd)\d+\b", p.query).group(0)
        named = corpus_app.searcher.recognizer.targets(p.query)
        assert named and table.by_id[p.target].doc_id not in named, (short, p.query)
    assert all(len(re.findall(r"[.]\s", p.query)) >= 2 for p in by_kind["long_preamble"])
    assert all("?" not in p.query for p in by_kind["shuffled"])
    for p in by_kind["heading_path"]:
        head = fold(table.by_id[table.by_id[p.target].parent_id].text.partition("\n")[0])
        assert all(w in head for w in p.query.partition(",")[0].split()), p.query


def test_the_ask_after_the_askers_context_finds_its_clause(probed):
    """Keywords after two or three sentences about the asker's work (greeting included),
    with no "cho hỏi" to mark where the ask starts."""
    _, report = probed
    assert report.recall()["long_preamble"] >= 0.85, report.show()
