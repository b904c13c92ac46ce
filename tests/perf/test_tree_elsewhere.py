"""Issue 13: the tree answer's look at the other documents (tree.TreeAnswerer
._best_elsewhere: the headings a question touches scored, the rest by their score for
the noun alone, kept best first) picks the very heading, at the very score, of the plain
scan of every heading of every other document (_best), on the corpus and on copies of it.
No timing is asserted."""

from __future__ import annotations

import dataclasses
import random

import pytest

from assistant.doctree import DocumentTree
from assistant.tree import TreeAnswerer
from retrieval.store import ChunkTable

NOUNS = ["sang kien", "nhiem vu", "giai phap", "he thong", "muc tieu", "diem", "nhom", "chuong trinh", ""]
FOCUSES = [
    "Nghị quyết 57 có bao nhiêu sáng kiến đột phá?",
    "Kế hoạch có mấy nhiệm vụ trọng tâm về hạ tầng số?",
    "có bao nhiêu giải pháp về nhân lực chất lượng cao",
    "Chương trình hành động gồm mấy nhóm nhiệm vụ",
    "mục tiêu đến năm 2030 về kinh tế số gồm bao nhiêu điểm",
    "bao nhiêu hệ thống chiến lược",
]


def _plain(answerer: TreeAnswerer, near, focus, weights, noun_head, above, preferred, structural):
    others = [d for d in answerer.tree.documents() if d not in near]
    return answerer._best(others, focus, weights, noun_head, above, preferred, structural)  # noqa: SLF001


def _same(got, want) -> None:
    if want is None:
        assert got is None
        return
    assert got is not None and got.head.id == want.head.id and got.score == want.score
    assert got.noun_match == want.noun_match and got.numbered == want.numbered
    assert [c.id for c in got.items] == [c.id for c in want.items] and got.statement == want.statement


def _check(answerer: TreeAnswerer, seed: int) -> int:
    rng = random.Random(seed)
    docs = answerer.tree.documents()
    chunks = answerer.tree.table.chunks
    checked = 0
    for noun in NOUNS:
        structural = noun in ("diem", "nhom")
        for focus in FOCUSES:
            weights = answerer._weights(focus)  # noqa: SLF001
            for _ in range(3):
                near = rng.sample(docs, min(len(docs), rng.randint(1, 3)))
                above = {c.id: rng.choice((0.12, 0.06, 0.03)) for c in rng.sample(chunks, 5)}
                preferred = set(near[:1])
                got = answerer._best_elsewhere(near, focus, weights, noun, above, preferred, structural)  # noqa: SLF001
                _same(got, _plain(answerer, near, focus, weights, noun, above, preferred, structural))
                checked += 1
    return checked


def test_elsewhere_is_the_plain_scan_on_the_corpus(corpus_app):
    assert _check(corpus_app.answerer.tree, 1) > 100


@pytest.mark.parametrize("n_copies", [3])
def test_elsewhere_is_the_plain_scan_on_copies(corpus_app, n_copies):
    base = corpus_app.table.chunks
    chunks = list(base)
    for k in range(1, n_copies):
        for c in base:
            parent = f"{c.parent_id}@{k}" if c.parent_id else ""
            chunks.append(dataclasses.replace(c, id=f"{c.id}@{k}", doc_id=f"{c.doc_id}-{k}", parent_id=parent))
    table = ChunkTable(corpus_app.table.generation, corpus_app.table.manifest, chunks)
    plain = corpus_app.answerer.tree
    answerer = TreeAnswerer(DocumentTree(table), plain.scorer, plain.prompts, plain.rules)
    assert _check(answerer, 2) > 100
