"""Issue 13: twins.find_twins, made near-linear (a set beside each row's twin list, the
pairs compared only within their block), finds exactly the twins of the plain algorithm
(kept here as the reference) on the corpus and on synthetic copies of it: the same rows,
the same twins in the same order. No timing is asserted (figures: scripts/bench_twins.py)."""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata

import pytest

from retrieval import twins as twins_mod
from retrieval.features import LIST_MARK
from retrieval.text import fold

_WORD = re.compile(r"\w+")


def reference_twins(chunks, leads, words, lead_words=8, shared=0.6, inside=0.9, statement_words=8, common=None):
    """The plain algorithm as it stood before the speed-up (main c58b88c); with ``common``,
    a statement's block of more than that many longer clauses holding its rarest word and
    its figures keeps those holding its next two rarest words too (twins.COMMON)."""
    twins: dict[int, list[int]] = {}

    def add(i, j):
        if j not in twins.setdefault(i, []):
            twins[i].append(j)
        if i not in twins.setdefault(j, []):
            twins[j].append(i)

    eligible = [not c.boilerplate and c.kind != "title" for c in chunks]
    by_lead: dict = {}
    for i, lead in enumerate(leads):
        opening = _WORD.findall(lead)
        if len(opening) >= lead_words and eligible[i]:
            by_lead.setdefault(tuple(opening[:lead_words]), []).append(i)
    for rows in by_lead.values():
        for a, i in enumerate(rows):
            for j in rows[a + 1 :]:
                if twins_mod._related(chunks[i], chunks[j]):
                    continue
                small, big = sorted((words[i], words[j]), key=len)
                if len(small & big) >= shared * len(small) and twins_mod._figures(small) <= big:
                    add(i, j)
    holders: dict = {}
    for i, ws in enumerate(words):
        if eligible[i]:
            for w in ws:
                holders.setdefault(w, []).append(i)
    for i, ws in enumerate(words):
        if not eligible[i] or len(ws) < statement_words or chunks[i].kind in ("row", "table"):
            continue
        if common is None:  # (ties in the order the set gives them)
            by_rarity = sorted(ws, key=lambda w: len(holders.get(w, ())))
        else:  # ties by the word (twins.find_twins: the same rarest word in every process)
            by_rarity = sorted(ws, key=lambda w: (len(holders.get(w, ())), w))
        block = holders.get(by_rarity[0], ())
        if common is not None:
            figs = twins_mod._figures(ws)
            block = [j for j in block if len(words[j]) > len(ws) and figs <= words[j]]
            for w in by_rarity[1:3]:
                if len(block) > common:
                    block = [j for j in block if w in words[j]]
        for j in block:
            if j != i and len(words[j]) > len(ws) and not twins_mod._related(chunks[i], chunks[j]):
                if len(ws & words[j]) >= inside * len(ws) and twins_mod._figures(ws) <= words[j]:
                    add(i, j)
    return twins


def _inputs(chunks):
    leads = [fold(LIST_MARK.sub("", c.text[:120])) for c in chunks]
    words = [frozenset(_WORD.findall(fold(c.text))) for c in chunks]
    return leads, words


def copies(base, n_copies: int, shuffle: int | None = None):
    """n copies of the corpus under new ids (as scripts/bench_perf.py builds them); with
    shuffle, each copy's clauses in a random order and some words of some clauses dropped,
    so that blocks and rarest words differ from copy to copy."""
    rng = random.Random(shuffle)
    out = list(base)
    for k in range(1, n_copies):
        block = []
        for c in base:
            text = c.text
            if shuffle is not None and rng.random() < 0.3:
                parts = text.split(" ")
                if len(parts) > 4:
                    del parts[rng.randrange(len(parts))]
                text = " ".join(parts)
            parent = f"{c.parent_id}@{k}" if c.parent_id else ""
            block.append(
                dataclasses.replace(c, id=f"{c.id}@{k}", doc_id=f"{c.doc_id}-{k}", parent_id=parent, text=text)
            )
        if shuffle is not None:
            rng.shuffle(block)
        out.extend(block)
    return out


@pytest.mark.parametrize("n_copies,shuffle", [(1, None), (3, None), (4, 7), (2, 11)])
def test_blocked_twins_are_exactly_the_plain_ones(corpus_app, n_copies, shuffle):
    chunks = copies(corpus_app.table.chunks, n_copies, shuffle)
    leads, words = _inputs(chunks)
    want = reference_twins(chunks, leads, words, common=twins_mod.COMMON)
    got = twins_mod.find_twins(chunks, leads, words)
    assert want  # the corpus has twins (plan items restated in appendices, targets restated)
    assert list(got.items()) == list(want.items())  # same rows, same twins, same order
    if n_copies == 1:  # on the corpus no block is common: the very twins of the plain algorithm
        assert list(reference_twins(chunks, leads, words).items()) == list(want.items())


@pytest.mark.parametrize("n_copies,shuffle", [(1, None), (3, None), (4, 7)])
def test_lead_blocks_tested_as_matrices_give_the_very_pairs(corpus_app, monkeypatch, n_copies, shuffle):
    """Every lead block of two rows or more through ``_lead_block`` (the matrix of its
    pairs): the same twins, in the same order, as the plain algorithm."""
    monkeypatch.setattr(twins_mod, "_MATRIX_BLOCK", 2)
    chunks = copies(corpus_app.table.chunks, n_copies, shuffle)
    leads, words = _inputs(chunks)
    want = reference_twins(chunks, leads, words, common=twins_mod.COMMON)
    assert list(twins_mod.find_twins(chunks, leads, words).items()) == list(want.items())


def test_a_common_rarest_word_narrows_the_block_to_its_next_rarest_words(corpus_app):
    """Copies whose words are permuted (as scripts/bench_scale.py builds them) have no rare
    word: the blocks are narrowed, and stay small, instead of growing with the copies."""
    chunks = permuted_copies(corpus_app.table.chunks, 12)
    leads, words = _inputs(chunks)
    want = reference_twins(chunks, leads, words, common=twins_mod.COMMON)
    assert list(twins_mod.find_twins(chunks, leads, words).items()) == list(want.items())


def permuted_copies(base, n_copies: int):
    """n copies of the corpus, each copy's lowercase words mapped by a seeded permutation
    of the corpus vocabulary (the structure kept, the words all as common as each other)."""
    vocabulary = sorted({w for c in base for w in _WORD.findall(c.text) if w == w.lower() and not w.isdigit()})
    out = list(base)
    for k in range(1, n_copies):
        shuffled = vocabulary[:]
        random.Random(k).shuffle(shuffled)
        image = dict(zip(vocabulary, shuffled))
        for c in base:
            text = _WORD.sub(lambda m: image.get(m.group(0), m.group(0)), c.text)
            parent = f"{c.parent_id}@{k}" if c.parent_id else ""
            out.append(dataclasses.replace(c, id=f"{c.id}@{k}", doc_id=f"{c.doc_id}-{k}", parent_id=parent, text=text))
    return out


def test_word_sets_are_the_folded_texts_words_in_the_same_order(corpus_app):
    """twins.word_sets (each text split lower-cased, each distinct word folded once: perf,
    issue 13) gives the very sets of the folded texts' words, iterated in the same order
    (find_twins numbers the words as its sets' iteration meets them), decomposed text too."""
    base = list(corpus_app.table.chunks)
    decomposed = [dataclasses.replace(c, text=unicodedata.normalize("NFD", c.text)) for c in base[:50]]
    chunks = base + decomposed
    got = twins_mod.word_sets(chunks)
    want = [frozenset(_WORD.findall(fold(c.text))) for c in chunks]
    assert got == want
    assert [list(s) for s in got] == [list(s) for s in want]
