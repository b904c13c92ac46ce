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

import itertools
import re
from collections.abc import Sequence

from .types import Chunk

_WORD = re.compile(r"\w+")
# a statement's rarest word held by more than this many longer clauses (with its figures)
# is no block of its own: the twins must hold its next rarest words too (see find_twins)
COMMON = 128


def twins_of(chunks: Sequence[Chunk]) -> dict[int, list[int]]:
    """``find_twins`` over the chunks' folded openings (list markers aside) and word sets."""
    from .features import LIST_MARK
    from .text import fold

    leads = [fold(LIST_MARK.sub("", c.text[:120])) for c in chunks]
    return find_twins(chunks, leads, word_sets(chunks))


def word_sets(chunks: Sequence[Chunk]) -> list[frozenset[str]]:
    """Each chunk's folded words, ``frozenset(_WORD.findall(fold(c.text)))``."""
    import sys

    from .text import _COMBINING, _FOLD_TABLE, fold

    # each distinct word one string (interned): at 100,000 clauses the sets' own copies of
    # their words took 200 MB, and a shared string's hash is computed once (issue 13).
    # perf (issue 13): a text without combining marks is split lower-cased and each
    # distinct word folded once (the fold maps a letter to one letter, so the words of the
    # folded text are the folds of the lower-cased text's words; the whole texts are not
    # folded, nor kept in fold's cache, which they only flushed)
    # (each set built from its words in the text's order, duplicates and all, as before:
    # the same iteration order of every set, which find_twins's numbering follows)
    folded: dict[str, str] = {}
    words: list[frozenset[str]] = []
    for c in chunks:
        lower = c.text.lower()
        if _COMBINING.search(lower) is not None:  # decomposed text: folded whole
            words.append(frozenset(map(sys.intern, _WORD.findall(fold(c.text)))))
            continue
        split = _WORD.findall(lower)
        got: list[str | None] = list(map(folded.get, split))
        if None in got:
            for k, w in enumerate(split):
                if got[k] is None:
                    f = folded.get(w)
                    if f is None:
                        f = folded[w] = sys.intern(w.translate(_FOLD_TABLE))
                    got[k] = f
        words.append(frozenset(got))  # type: ignore[arg-type]  # (no None left)
    return words


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
    the plain pairwise algorithm (tests/perf/test_twins_blocking.py keeps it and compares).
    No pair is looked up: a row opens one lead block only, so a block's pairs are each met
    once, and a statement's pair with a longer clause is met once too, the same pair
    opening alike being the one to skip (at 100,000 clauses a set of every pair held half
    a gigabyte); a long lead block is tested as a matrix (``_lead_block``) and a statement's
    clauses at once (``_Relations``). Each distinct word set's figures are read once and
    its block of holding clauses found once, and a long list of the clauses holding a
    statement's rarest word is narrowed with arrays (``_Holders``: every word's rows) to
    the longer clauses holding its figures before any word set is compared, and the
    distinct word sets of a long list are compared with the statement in a few array
    operations (``_WordSets``). A block of more than ``common`` such clauses keeps those
    holding the statement's next ``common_words`` rarest words too (the module's
    docstring): the one place where this differs from the plain algorithm, never on the
    corpus."""
    import numpy as np

    twins: dict[int, list[int]] = {}
    eligible = [not c.boilerplate and c.kind != "title" for c in chunks]
    by_lead: dict[tuple[str, ...], list[int]] = {}
    for i, lead in enumerate(leads):
        opening = _WORD.findall(lead)
        if len(opening) >= lead_words and eligible[i]:
            by_lead.setdefault(tuple(opening[:lead_words]), []).append(i)
    # the clauses' word sets, each distinct one numbered: a test of two word sets is made
    # once per pair of distinct sets (copies of a clause hold the same set)
    kinds: dict[frozenset[str], int] = dict.fromkeys(words, 0)  # (numbered as first met: at C speed)
    for k, ws in enumerate(kinds):
        kinds[ws] = k
    kind = list(map(kinds.__getitem__, words))
    first = {k: i for i, k in reversed(list(enumerate(kind)))}  # a row holding each set
    of_set = [_figures(ws) for ws in kinds]  # each set's figures, read once
    figures = [of_set[k] for k in kind]
    lead_test: dict[tuple[int, int], bool] = {}

    def leads_agree(i: int, j: int) -> bool:
        """The test of two clauses opening alike (i the earlier): they share most of the
        shorter one's words, and it holds no figure the other lacks."""
        key = (kind[i], kind[j])
        ok = lead_test.get(key)
        if ok is None:
            if len(words[j]) < len(words[i]):  # sorted((words[i], words[j]), key=len): stable
                small, big, figs = words[j], words[i], figures[j]
            else:
                small, big, figs = words[i], words[j], figures[i]
            ok = lead_test[key] = len(small & big) >= shared * len(small) and figs <= big
        return ok

    related = _Relations(chunks)
    kind_of = np.asarray(kind, dtype=np.int64)
    lead_of = [-1] * len(chunks)  # row -> its lead block (-1: none)
    for b, rows in enumerate(by_lead.values()):
        for i in rows:
            lead_of[i] = b
        # perf (issue 13): a block's pairs are each met once (a row opens one block only),
        # so no pair is looked up; a long block (copies of a clause) is tested as a matrix
        if len(rows) >= _MATRIX_BLOCK:
            _lead_block(np.asarray(rows, dtype=np.int64), kind_of, leads_agree, related, twins)
            continue
        for a, i in enumerate(rows):
            for j in rows[a + 1 :]:
                if leads_agree(i, j) and not related(i, j):
                    twins.setdefault(i, []).append(j)
                    twins.setdefault(j, []).append(i)

    # a whole statement inside another clause: look only at clauses sharing its rarest word
    sets = _WordSets(list(kinds))
    holders = _Holders(sets, kind_of, np.asarray(eligible, dtype=bool))
    word_id = sets.ids
    count = holders.count.tolist()
    sizes = np.fromiter((len(ws) for ws in words), dtype=np.int64, count=len(words))

    def holding(got: np.ndarray, word: int) -> np.ndarray:
        """The rows of got that hold word (in got's order). perf (issue 13, scale): looked up
        in the word's rows (ascending: numbered in row order) by binary search, rather than
        by ``np.isin``, which sorts every row of a common word again at each call."""
        have = holders.of(word)
        if not len(have):
            return got[:0]
        at = np.searchsorted(have, got)
        np.minimum(at, len(have) - 1, out=at)
        return got[have[at] == got]

    def narrowed(by_rarity: list[int], size: int, figs: set[str]) -> np.ndarray:
        """The rows holding the rarest word (in row order), longer than size and holding
        figs; where more than ``common`` of them are left, only those also holding the
        next rarest words (at most ``common_words`` of them)."""
        got = holders.of(by_rarity[0])
        if len(got) < 64:
            return got
        got = got[sizes[got] > size]
        for f in sorted((word_id[f] for f in figs), key=count.__getitem__):
            if len(got) < 64:  # (below ``common``: the words below narrow nothing)
                break
            got = holding(got, f)
        for w in by_rarity[1 : 1 + common_words]:
            if len(got) <= common:
                break
            got = holding(got, w)
        return got

    inside_test: dict[tuple[int, int], bool] = {}

    def holds(i: int, kj: int) -> bool:
        """Clause i's statement stands almost whole, figures and all, in the word set kj."""
        ok = inside_test.get((kind[i], kj))
        if ok is None:
            ws, wj = words[i], words[first[kj]]
            ok = len(wj) > len(ws) and len(ws & wj) >= inside * len(ws) and figures[i] <= wj
            inside_test[(kind[i], kj)] = ok
        return ok

    # a word by how many clauses hold it, ties by the word itself (the same rarest word in every process)
    held_by = {w: (count[k], w) for w, k in word_id.items()}.__getitem__
    lead_at = np.asarray(lead_of, dtype=np.int64)
    # a word set -> the rows whose word sets hold it: the test is the set's, so clauses
    # holding the same set (copies, repeated boilerplate) look their block up once
    holding_rows: dict[int, np.ndarray] = {}
    for i, ws in enumerate(words):
        if not eligible[i] or len(ws) < statement_words or chunks[i].kind in ("row", "table"):
            continue
        got = holding_rows.get(kind[i])
        if got is None:
            # (= heapq.nsmallest(1 + common_words, ws, key=held_by): the keys are distinct; a
            # sort at C speed rather than a heap kept in Python; perf, issue 13)
            by_rarity = [word_id[w] for w in sorted(ws, key=held_by)[: 1 + common_words]]
            got = narrowed(by_rarity, len(ws), figures[i])
            if len(got) >= 16:  # the distinct word sets among them tested at once, then their rows kept
                candidates = _distinct(kind_of[got])
                passing = candidates[sets.hold(candidates, kind[i], figures[i], inside)]
                for k in passing.tolist():
                    inside_test[(kind[i], k)] = True
                got = got[np.isin(kind_of[got], passing)]
            got = holding_rows[kind[i]] = np.asarray([j for j in got.tolist() if holds(i, kind[j])], dtype=np.int64)
        if not len(got):
            continue
        # (its own row never: a set does not hold itself) perf (issue 13): the rows tested
        # and added at once; a pair that opens alike was added with its lead block
        got = got[~related.row(i, got)]
        b = lead_of[i]
        if b >= 0:
            same = lead_at[got] == b
            if same.any():
                again = [bool(s) and leads_agree(min(i, j), max(i, j)) for s, j in zip(same.tolist(), got.tolist())]
                got = got[~np.asarray(again, dtype=bool)]
        if len(got):
            rows = got.tolist()
            twins.setdefault(i, []).extend(rows)
            for j in rows:
                twins.setdefault(j, []).append(i)
    return twins


class _Holders:
    """The eligible rows holding each word (by its id in ``_WordSets``), ascending: every
    row's words end to end, sorted by word (stable), in one array."""

    def __init__(self, sets: _WordSets, kind_of, eligible):
        import numpy as np

        rows = np.flatnonzero(eligible)
        kinds = kind_of[rows]
        lengths = sets.lengths[kinds]
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        at = np.arange(total, dtype=np.int64) - np.repeat(ends - lengths - sets.indptr[kinds], lengths)
        flat = sets.flat[at].astype(np.int32)
        del at
        order = np.argsort(flat, kind="stable")
        self.rows = np.repeat(rows, lengths)[order]
        del order
        self.count = np.bincount(flat, minlength=len(sets.ids)).astype(np.int64)
        self.start = np.zeros(len(self.count) + 1, dtype=np.int64)
        np.cumsum(self.count, out=self.start[1:])

    def of(self, word: int):
        return self.rows[self.start[word] : self.start[word + 1]]


class _WordSets:
    """Distinct word sets as arrays of word ids (end to end), so that a statement is
    tested against many of them in a few array operations."""

    def __init__(self, sets: list[frozenset[str]]):
        import numpy as np

        lengths = np.fromiter((len(ws) for ws in sets), dtype=np.int64, count=len(sets))
        self.indptr = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.indptr[1:])
        # each word numbered as first met, the sets in order (perf, issue 13: the distinct
        # words gathered by dict.fromkeys and looked up by map, at C speed, not a
        # setdefault per word in a generator; the same numbers)
        every = list(itertools.chain.from_iterable(sets))
        ids = self.ids = dict.fromkeys(every, 0)
        for k, w in enumerate(ids):
            ids[w] = k
        self.flat = np.fromiter(map(ids.__getitem__, every), dtype=np.int64, count=int(self.indptr[-1]))
        del every
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


_MATRIX_BLOCK = 24  # a lead block of this many rows or more is tested as a matrix


def _lead_block(rows, kind_of, leads_agree, related: _Relations, twins: dict[int, list[int]]) -> None:
    """The pairs of one lead block, as the pair loop makes them: (a, b) for a < b in row
    order, each pair that passes the test appended to both rows' lists. Row r's list is
    then the block's other rows that pair with it, in row order, and the rows enter the
    dict in the order of their first pair: what the loop gives, made with arrays."""
    import numpy as np

    n = len(rows)
    listed = rows.tolist()
    index: dict[int, int] = {}  # a word set -> its number in the block
    at: list[int] = []  # a row holding each
    inverse = []
    for r, k in zip(listed, kind_of[rows].tolist()):
        x = index.get(k)
        if x is None:
            x = index[k] = len(at)
            at.append(r)
        inverse.append(x)
    agree = np.ones((len(at), len(at)), dtype=bool)  # (a set and itself always agree)
    for x, y in itertools.permutations(range(len(at)), 2):
        agree[x, y] = leads_agree(at[x], at[y])
    of = np.asarray(inverse, dtype=np.int64)
    pairs = agree[of[:, None], of[None, :]] & ~related.matrix(rows)
    pairs &= np.triu(np.ones((n, n), dtype=bool), 1)  # (a, b) with a < b, as the loop meets them
    if int(pairs.sum()) == n * (n - 1) // 2:  # every two (copies of one clause): in row order
        for b in range(n):
            twins[listed[b]] = listed[:b] + listed[b + 1 :]
        return
    both = pairs | pairs.T
    has_earlier = pairs.any(axis=0)  # row b's first pair (a, b) with the least a, else (b, c)
    has_later = pairs.any(axis=1)
    earlier, later = pairs.argmax(axis=0).tolist(), pairs.argmax(axis=1).tolist()
    order = []
    for b, (e, lt) in enumerate(zip(has_earlier.tolist(), has_later.tolist())):
        if e:
            order.append((earlier[b], b, 1))
        elif lt:
            order.append((b, later[b], 0))
    order.sort()
    for first_pair in order:
        b = first_pair[1] if first_pair[2] else first_pair[0]
        twins[listed[b]] = rows[both[b]].tolist()


class _Relations:
    """``_related`` over rows, the ids as integers: one pair, or a block's matrix."""

    def __init__(self, chunks: Sequence[Chunk]):
        import numpy as np

        self.chunks = chunks
        codes: dict[str, int] = {}
        self.parent = np.fromiter((codes.setdefault(c.parent_id, len(codes)) for c in chunks), np.int64, len(chunks))
        self.id = np.fromiter((codes.setdefault(c.id, len(codes)) for c in chunks), np.int64, len(chunks))
        docs: dict[str, int] = {}
        self.doc = np.fromiter((docs.setdefault(c.doc_id, len(docs)) for c in chunks), np.int64, len(chunks))

    def __call__(self, i: int, j: int) -> bool:
        return _related(self.chunks[i], self.chunks[j])

    def row(self, i: int, rows):
        """Whether row i is related to each of rows (``_related``)."""
        p, c, d = self.parent[i], self.id[i], self.doc[i]
        out = (self.parent[rows] == p) | (self.id[rows] == p) | (self.parent[rows] == c)
        for x in (~out & (self.doc[rows] == d)).nonzero()[0].tolist():  # the paths told in Python
            out[x] = _related(self.chunks[i], self.chunks[int(rows[x])])
        return out

    def matrix(self, rows):
        """rows × rows: whether each two are related (``_related``)."""
        import numpy as np

        p, c, d = self.parent[rows], self.id[rows], self.doc[rows]
        out = (p[:, None] == p[None, :]) | (c[:, None] == p[None, :]) | (p[:, None] == c[None, :])
        same_doc = (d[:, None] == d[None, :]) & ~out  # the paths told in Python: one document's rows
        for a, b in zip(*np.nonzero(same_doc)):
            out[a, b] = _related(self.chunks[int(rows[a])], self.chunks[int(rows[b])])
        return out


def _distinct(values):
    """The distinct values of an integer array, ascending (``np.unique``'s, without its
    per-call checks: perf, issue 13)."""
    import numpy as np

    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _ints(rows) -> list[int]:
    """A list of rows as Python ints (from an array or a list)."""
    return rows if isinstance(rows, list) else rows.tolist()


def _figures(ws: frozenset[str]) -> set[str]:
    return set(filter(str.isdigit, ws))  # (= {w for w in ws if w.isdigit()}, at C speed)


def _related(a: Chunk, b: Chunk) -> bool:
    """Siblings, or one stands under the other: the same list, not a restatement."""
    return (
        a.parent_id == b.parent_id
        or b.id == a.parent_id
        or a.id == b.parent_id
        or (a.doc_id == b.doc_id and (a.path.startswith(b.path + ".") or b.path.startswith(a.path + ".")))
    )
