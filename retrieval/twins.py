"""Twins: clauses that state the same thing twice, so that either may be the one a reader
cites — a plan's item and its appendix entry ("Sáng kiến 14: …" in Mục II and again in
Phụ lục I), a target a plan restates word for word from its resolution ("Quy mô kinh tế
số đạt tối thiểu 30% GDP" in Kế hoạch 01 and inside a longer point of Nghị quyết 57).

Two clauses are twins when they hold the same figures (all of the shorter one's: "30%
GDP" is no twin of "50% GDP") and either open with the same words (list markers aside)
and share most of the shorter one's words, or the shorter one — a full statement, not a
heading — stands almost whole inside the other. Computed once per index, from the text,
by the ingest that writes it (kept beside the generations: retrieval/derived.py), so that
a searcher over a million clauses does not compare them at every start (issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .types import Chunk

_WORD = re.compile(r"\w+")


def twins_of(chunks: Sequence[Chunk]) -> dict[int, list[int]]:
    """``find_twins`` over the chunks' folded openings (list markers aside) and word sets."""
    from .features import LIST_MARK
    from .text import fold

    leads = [fold(LIST_MARK.sub("", c.text[:120])) for c in chunks]
    words = [frozenset(_WORD.findall(fold(c.text))) for c in chunks]
    return find_twins(chunks, leads, words)


def clause_twins(table) -> dict[int, list[int]]:
    """The twins of a generation's chunk table (a ``ChunkTable``), computed by the first
    process that asks (the ingest) and read back by the next ones."""
    import sys

    from . import derived, features, text

    inputs = [repr((c.id, c.doc_id, c.parent_id, c.path, c.kind, c.boilerplate, c.text)) for c in table.chunks]
    key = derived.key_of(inputs, [sys.modules[__name__], features, text])
    return derived.cached(derived.folder_of(table.generation), "twins", key, lambda: twins_of(table.chunks))


def find_twins(
    chunks: Sequence[Chunk],
    leads: Sequence[str],
    words: Sequence[frozenset[str]],
    lead_words: int = 8,
    shared: float = 0.6,
    inside: float = 0.9,
    statement_words: int = 8,
) -> dict[int, list[int]]:
    """Row -> its twins' rows. ``leads`` are the folded openings of the texts without their
    list markers, ``words`` the folded word sets of the texts.

    perf (issue 13): near-linear in the clauses, with the very twins, in the very order, of
    the plain pairwise algorithm (tests/perf/test_twins_blocking.py keeps it and compares):
    a pair is remembered in a set rather than looked up in the row's twin list (a clause
    with a hundred copies made the lookups cubic), each clause's figures are read once, and
    a long list of the clauses holding a statement's rarest word is narrowed with arrays to
    the longer clauses holding its figures before any word set is compared."""
    import numpy as np

    twins: dict[int, list[int]] = {}
    seen: set[tuple[int, int]] = set()

    def add(i: int, j: int) -> None:
        pair = (i, j) if i < j else (j, i)
        if pair not in seen:
            seen.add(pair)
            twins.setdefault(i, []).append(j)
            twins.setdefault(j, []).append(i)

    eligible = [not c.boilerplate and c.kind != "title" for c in chunks]
    figures = [_figures(ws) for ws in words]
    by_lead: dict[tuple[str, ...], list[int]] = {}
    for i, lead in enumerate(leads):
        opening = _WORD.findall(lead)
        if len(opening) >= lead_words and eligible[i]:
            by_lead.setdefault(tuple(opening[:lead_words]), []).append(i)
    # the clauses' word sets, each distinct one numbered: a test of two word sets is made
    # once per pair of distinct sets (copies of a clause hold the same set)
    kinds: dict[frozenset[str], int] = {}
    kind = [kinds.setdefault(ws, len(kinds)) for ws in words]
    first = {k: i for i, k in reversed(list(enumerate(kind)))}  # a row holding each set
    lead_test: dict[tuple[int, int], bool] = {}
    for rows in by_lead.values():
        for a, i in enumerate(rows):
            for j in rows[a + 1 :]:
                key = (kind[i], kind[j])
                ok = lead_test.get(key)
                if ok is None:
                    if len(words[j]) < len(words[i]):  # sorted((words[i], words[j]), key=len): stable
                        small, big, figs = words[j], words[i], figures[j]
                    else:
                        small, big, figs = words[i], words[j], figures[i]
                    ok = lead_test[key] = len(small & big) >= shared * len(small) and figs <= big
                if ok and not _related(chunks[i], chunks[j]):
                    add(i, j)
    # a whole statement inside another clause: look only at clauses sharing its rarest word
    holders: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        if eligible[i]:
            for w in ws:
                holders.setdefault(w, []).append(i)
    sizes = np.fromiter((len(ws) for ws in words), dtype=np.int64, count=len(words))
    arrays: dict[str, np.ndarray] = {}

    def narrowed(word: str, size: int, figs: set[str]) -> list[int]:
        """The rows holding word (in row order), longer than size and holding figs."""
        rows = holders.get(word, [])
        if len(rows) < 64:
            return rows
        got = arrays.get(word)
        if got is None:
            got = arrays[word] = np.asarray(rows, dtype=np.int64)
        got = got[sizes[got] > size]
        for f in sorted(figs, key=lambda f: len(holders.get(f, ())))[:2]:
            if len(got) < 64:
                break
            have = arrays.get(f)
            if have is None:
                have = arrays[f] = np.asarray(holders.get(f, []), dtype=np.int64)
            got = got[np.isin(got, have, assume_unique=True)]
        return got.tolist()

    kind_of = np.asarray(kind, dtype=np.int64)
    inside_test: dict[tuple[int, int], bool] = {}

    def holds(i: int, kj: int) -> bool:
        """Clause i's statement stands almost whole, figures and all, in the word set kj."""
        ok = inside_test.get((kind[i], kj))
        if ok is None:
            ws, wj = words[i], words[first[kj]]
            ok = len(wj) > len(ws) and len(ws & wj) >= inside * len(ws) and figures[i] <= wj
            inside_test[(kind[i], kj)] = ok
        return ok

    for i, ws in enumerate(words):
        if not eligible[i] or len(ws) < statement_words or chunks[i].kind in ("row", "table"):
            continue
        rarest = min(ws, key=lambda w: len(holders.get(w, ())))
        rows = narrowed(rarest, len(ws), figures[i])
        if len(rows) >= 64:  # the distinct word sets among them tested, then their rows kept
            got = np.asarray(rows, dtype=np.int64)
            passing = [k for k in np.unique(kind_of[got]).tolist() if holds(i, k)]
            rows = got[np.isin(kind_of[got], passing)].tolist() if passing else []
        for j in rows:
            if j != i and holds(i, kind[j]) and not _related(chunks[i], chunks[j]):
                add(i, j)
    return twins


def _figures(ws: frozenset[str]) -> set[str]:
    return {w for w in ws if w.isdigit()}


def _related(a: Chunk, b: Chunk) -> bool:
    """Siblings, or one stands under the other: the same list, not a restatement."""
    return (
        a.parent_id == b.parent_id
        or b.id == a.parent_id
        or a.id == b.parent_id
        or (a.doc_id == b.doc_id and (a.path.startswith(b.path + ".") or b.path.startswith(a.path + ".")))
    )
