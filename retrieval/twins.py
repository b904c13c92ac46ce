"""Twins: clauses that state the same thing twice, so that either may be the one a reader
cites — a plan's item and its appendix entry ("Sáng kiến 14: …" in Mục II and again in
Phụ lục I), a target a plan restates word for word from its resolution ("Quy mô kinh tế
số đạt tối thiểu 30% GDP" in Kế hoạch 01 and inside a longer point of Nghị quyết 57).

Two clauses are twins when they hold the same figures (all of the shorter one's: "30%
GDP" is no twin of "50% GDP") and either open with the same words (list markers aside)
and share most of the shorter one's words, or the shorter one — a full statement, not a
heading — stands almost whole inside the other. A whole statement is looked for in the
clauses holding its rarest word; where that word is common (more than ``COMMON`` longer
clauses holding it and the statement's figures: never so in the corpus, whose largest such
block is 84 clauses), in those that also hold its next two rarest words: on a large corpus
whose words are all common (copies of the corpus with their words permuted, as
scripts/bench_scale.py builds them) the blocks would otherwise grow with the corpus and
the comparisons with its square (issue 13). Computed once per index, from the text,
by the ingest that writes it (kept beside the generations: retrieval/derived.py), so that
a searcher over a million clauses does not compare them at every start (issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .types import Chunk

_WORD = re.compile(r"\w+")
# a statement's rarest word held by more than this many longer clauses (with its figures)
# is no block of its own: the twins must hold its next rarest words too (see find_twins)
COMMON = 128


def twins_of(chunks: Sequence[Chunk]) -> dict[int, list[int]]:
    """``find_twins`` over the chunks' folded openings (list markers aside) and word sets."""
    import sys

    from .features import LIST_MARK
    from .text import fold

    leads = [fold(LIST_MARK.sub("", c.text[:120])) for c in chunks]
    # each distinct word one string (interned): at 100,000 clauses the sets' own copies of
    # their words took 200 MB, and a shared string's hash is computed once (issue 13)
    words = [frozenset(map(sys.intern, _WORD.findall(fold(c.text)))) for c in chunks]
    return find_twins(chunks, leads, words)


def clause_twins(table) -> dict[int, list[int]]:
    """The twins of a generation's chunk table (a ``ChunkTable``), computed by the first
    process that asks (the ingest) and read back by the next ones."""
    import sys

    from . import derived, features, text

    inputs = (  # the chunks, or the digest of the chunks file they were read from (perf, issue 13)
        [table.source_digest]
        if getattr(table, "source_digest", None) is not None
        else [repr((c.id, c.doc_id, c.parent_id, c.path, c.kind, c.boilerplate, c.text)) for c in table.chunks]
    )
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
    common: int = COMMON,
    common_words: int = 2,
) -> dict[int, list[int]]:
    """Row -> its twins' rows. ``leads`` are the folded openings of the texts without their
    list markers, ``words`` the folded word sets of the texts.

    perf (issue 13): near-linear in the clauses, with the very twins, in the very order, of
    the plain pairwise algorithm (tests/perf/test_twins_blocking.py keeps it and compares):
    a pair is remembered in a set rather than looked up in the row's twin list (a clause
    with a hundred copies made the lookups cubic), each clause's figures are read once, and
    a long list of the clauses holding a statement's rarest word is narrowed with arrays to
    the longer clauses holding its figures before any word set is compared, and the
    distinct word sets of a long list are compared with the statement in a few array
    operations (``_WordSets``). A block of more than ``common`` such clauses keeps those
    holding the statement's next ``common_words`` rarest words too (the module's
    docstring): the one place where this differs from the plain algorithm, never on the
    corpus."""
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

    def holding(got: np.ndarray, word: str) -> np.ndarray:
        """The rows of got that hold word (in got's order). perf (issue 13, scale): looked up
        in the word's rows (ascending: numbered in row order) by binary search, rather than
        by ``np.isin``, which sorts every row of a common word again at each call."""
        have = arrays.get(word)
        if have is None:
            have = arrays[word] = np.asarray(holders.get(word, []), dtype=np.int64)
        if not len(have):
            return got[:0]
        at = np.searchsorted(have, got)
        np.minimum(at, len(have) - 1, out=at)
        return got[have[at] == got]

    def narrowed(by_rarity: list[str], size: int, figs: set[str]) -> list[int]:
        """The rows holding the rarest word (in row order), longer than size and holding
        figs; where more than ``common`` of them are left, only those also holding the
        next rarest words (at most ``common_words`` of them)."""
        word = by_rarity[0]
        rows = holders.get(word, [])
        if len(rows) < 64:
            return rows
        got = arrays.get(word)
        if got is None:
            got = arrays[word] = np.asarray(rows, dtype=np.int64)
        got = got[sizes[got] > size]
        for f in sorted(figs, key=lambda f: len(holders.get(f, ()))):
            if len(got) < 64:  # (below ``common``: the words below narrow nothing)
                break
            got = holding(got, f)
        for w in by_rarity[1 : 1 + common_words]:
            if len(got) <= common:
                break
            got = holding(got, w)
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

    sets = _WordSets(list(kinds))
    # a word by how many clauses hold it, ties by the word itself (the same rarest word in every process)
    held_by = {w: (len(rows), w) for w, rows in holders.items()}.__getitem__

    for i, ws in enumerate(words):
        if not eligible[i] or len(ws) < statement_words or chunks[i].kind in ("row", "table"):
            continue
        # (= heapq.nsmallest(1 + common_words, ws, key=held_by): the keys are distinct; a
        # sort at C speed rather than a heap kept in Python; perf, issue 13)
        by_rarity = sorted(ws, key=held_by)[: 1 + common_words]
        rows = narrowed(by_rarity, len(ws), figures[i])
        if len(rows) >= 16:  # the distinct word sets among them tested at once, then their rows kept
            got = np.asarray(rows, dtype=np.int64)
            candidates = np.unique(kind_of[got])
            passing = candidates[sets.hold(candidates, kind[i], figures[i], inside)]
            for k in passing.tolist():
                inside_test[(kind[i], k)] = True
            rows = got[np.isin(kind_of[got], passing)].tolist() if len(passing) else []
        for j in rows:
            if j != i and holds(i, kind[j]) and not _related(chunks[i], chunks[j]):
                add(i, j)
    return twins


class _WordSets:
    """Distinct word sets as arrays of word ids (end to end), so that a statement is
    tested against many of them in a few array operations."""

    def __init__(self, sets: list[frozenset[str]]):
        import numpy as np

        self.ids: dict[str, int] = {}
        lengths = np.fromiter((len(ws) for ws in sets), dtype=np.int64, count=len(sets))
        self.indptr = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.indptr[1:])
        ids = self.ids
        self.flat = np.fromiter(
            (ids.setdefault(w, len(ids)) for ws in sets for w in ws), dtype=np.int64, count=int(self.indptr[-1])
        )
        self.lengths = lengths
        self._mark = np.zeros(len(ids) + 1, dtype=np.int64)

    def hold(self, kinds, own: int, figs: set[str], inside: float):
        """For each word set of ``kinds``: longer than the set ``own``, holding at least
        ``inside`` of its words and all of its figures (the test ``holds`` makes one pair at
        a time)."""
        import numpy as np

        mine = self.flat[self.indptr[own] : self.indptr[own + 1]]
        longer = self.lengths[kinds] > len(mine)  # (only a longer set can hold it: the others not gathered)
        if not longer.all():
            ok = np.zeros(len(kinds), dtype=bool)
            ok[longer] = self.hold(kinds[longer], own, figs, inside) if longer.any() else ok[:0]
            return ok
        starts, lengths = self.indptr[kinds], self.lengths[kinds]
        total = int(lengths.sum())
        owner = np.repeat(np.arange(len(kinds)), lengths)
        flat = self.flat[
            np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(starts, lengths)
        ]
        mark = self._mark
        mark[mine] = 1
        shared = np.bincount(owner, weights=mark[flat], minlength=len(kinds))
        mark[mine] = 0
        ok = (lengths > len(mine)) & (shared >= inside * len(mine))
        if figs:
            fig_ids = np.fromiter((self.ids[f] for f in figs), dtype=np.int64, count=len(figs))
            mark[fig_ids] = 1
            held = np.bincount(owner, weights=mark[flat], minlength=len(kinds))
            mark[fig_ids] = 0
            ok &= held == len(figs)
        return ok


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
