"""The reranker's profiles (``features.Profiles``) built from every text's token ids at
once (issue 13, scale: at 100,000 clauses the profiles took a third of the ingest, a
Python set and a dict lookup per term of every field of every clause).

The clauses' texts, their context + text, their distinct breadcrumbs, heading lines and
parent lines, and their openings are analyzed in one pass (retrieval/corpus_tokens.py);
each field's rows are then gathered, numbered and packed with array operations. The
arrays are those ``Profiles`` builds term by term, to the element
(tests/perf/test_profile_build.py compares them).
"""

from __future__ import annotations

import numpy as np

from .types import Chunk

ROWS = 8192  # rows packed at a time


def _packed_rows(provisional: np.ndarray, lengths: np.ndarray, remap: np.ndarray, rows: int = ROWS):
    """``features._packed_flat`` a batch of rows at a time, end to end (each row is packed
    on its own: the same arrays; perf (issue 13, memory): its int64 keys and their sort
    for a batch, not for every term of the field at once)."""
    from .features import _packed_flat

    n = len(lengths)
    if n <= rows:
        return _packed_flat(provisional, lengths, remap)
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    outs, ptrs, done = [], [np.zeros(1, dtype=np.int64)], 0
    for a in range(0, n, rows):
        b = min(n, a + rows)
        out, indptr = _packed_flat(provisional[starts[a] : starts[b]], lengths[a:b], remap)
        outs.append(out)
        ptrs.append(indptr[1:] + done)
        done += len(out)
    return np.concatenate(outs), np.concatenate(ptrs)


def fast_profile(
    chunks: list[Chunk], children: dict[str, list[Chunk]], by_id: dict[str, Chunk], tokens, token_ids=None
):
    """The attributes of ``Profiles(chunks, children, by_id, tokens)``, or None when
    ``tokens`` is not a plain ``Analyzer.tokens`` (the term-by-term build then).
    ``token_ids``: a ``TokenIds`` of the same analyzer that split the clauses' texts
    already (the ingest's BM25 build): its numbering goes on, its splits are read (the
    arrays do not depend on the numbering: the vocabulary is sorted)."""
    from .corpus_tokens import TokenIds
    from .features import _WORDS, LEAD_CHARS, LIST_MARK, Ragged, Vocabulary, _cut
    from .lexical import Analyzer
    from .text import fold

    analyzer = getattr(tokens, "__self__", None)
    if type(analyzer) is not Analyzer or getattr(tokens, "__func__", None) is not Analyzer.tokens:
        return None
    n = len(chunks)
    texts: list[tuple[str, ...]] = []
    own_at = []  # clause -> its own terms' text (context + text, or text)
    count_at = []  # clause -> the text whose tokens are counted (its text)
    for c in chunks:
        own_at.append(len(texts))
        if c.context:
            texts.append((c.context, c.text))
            count_at.append(len(texts))
            texts.append((c.text,))
        else:
            count_at.append(len(texts))
            texts.append((c.text,))
    shared: dict[str, int] = {}

    def shared_at(text: str) -> int:
        got = shared.get(text)
        if got is None:
            got = shared[text] = len(texts)
            texts.append((text,))
        return got

    heading_at = [shared_at(c.breadcrumb[-1]) if len(c.breadcrumb) > 1 else -1 for c in chunks]
    crumb_at = [shared_at(" › ".join(c.breadcrumb[1:])) for c in chunks]
    parents = [by_id.get(c.parent_id) for c in chunks]
    parent_at = [shared_at(p.text.partition("\n")[0][:200]) if p is not None else -1 for p in parents]
    lead_at = []
    for c in chunks:
        lead_at.append(len(texts))
        texts.append((LIST_MARK.sub("", c.text[: LEAD_CHARS + 20])[:LEAD_CHARS],))
    shared.clear()
    tokenizer = token_ids if token_ids is not None and token_ids.analyzer is analyzer else TokenIds(analyzer)
    flat, indptr = tokenizer.texts(texts)
    tokenizer.forget_texts()
    n_texts = len(texts)
    texts.clear()
    lengths = np.diff(indptr)

    # the vocabulary: every term of a text a field reads (the counted texts aside), sorted
    used = np.ones(n_texts, dtype=bool)
    used[np.asarray([k for i, k in enumerate(count_at) if k != own_at[i]], dtype=np.int64)] = False
    present = np.zeros(len(tokenizer.strings), dtype=bool)
    present[flat[np.repeat(used, lengths)]] = True
    terms = np.flatnonzero(present)
    strings = tokenizer.strings
    ordered = sorted(range(len(terms)), key=[strings[p] for p in terms.tolist()].__getitem__)
    terms = terms[np.asarray(ordered, dtype=np.int64)] if len(terms) else terms
    remap = np.zeros(len(strings), dtype=np.int64)
    remap[terms] = np.arange(1, len(terms) + 1)
    vocab = np.array([strings[p].encode("utf-8") for p in terms.tolist()]) if len(terms) else np.zeros(0, dtype="S1")

    analyzed = [flat, indptr]  # (let go once every field's rows are gathered)

    def rows_of(at: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The token ids of the texts ``at`` (-1: none) one after the other, and their lengths."""
        at_a = np.asarray(at, dtype=np.int64)
        real = at_a >= 0
        got = _cut(analyzed[0], analyzed[1], at_a[real], np.int32)[0]  # (ids below 2**31: half the memory)
        sizes = np.zeros(len(at_a), dtype=np.int64)
        sizes[real] = lengths[at_a[real]]
        return got, sizes

    # perf (issue 13, memory): each field packed as soon as its rows are gathered and its
    # rows let go then (at 100,000 clauses they all lived at once, beside every text's
    # tokens: the ingest's peak); the same arrays
    parent, parent_sizes = rows_of(parent_at)
    packed_parent = _packed_rows(parent, parent_sizes, remap)
    del parent
    lead, lead_sizes = rows_of(lead_at)
    packed_lead = _packed_rows(lead, lead_sizes, remap)
    del lead
    digit = {p: t.lstrip("0") or "0" for p, t in enumerate(tokenizer.strings) if t.isdigit()}
    heading_digits = {  # each heading line's numbers
        k: frozenset(digit[p] for p in flat[indptr[k] : indptr[k + 1]].tolist() if p in digit)
        for k in dict.fromkeys(heading_at)
        if k >= 0
    }
    own, own_sizes = rows_of(own_at)
    crumb, crumb_sizes = rows_of(crumb_at)
    analyzed.clear()
    del flat, indptr  # (every field's rows gathered)
    own_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(own_sizes, out=own_ptr[1:])
    crumb_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(crumb_sizes, out=crumb_ptr[1:])
    # "all": each row its own terms then its breadcrumb's
    both = np.empty(len(own) + len(crumb), dtype=own.dtype)
    starts = own_ptr[:-1] + crumb_ptr[:-1]
    place = np.arange(len(own), dtype=np.int64) + np.repeat(starts - own_ptr[:-1], own_sizes)
    both[place] = own
    place = np.arange(len(crumb), dtype=np.int64) + np.repeat(starts + own_sizes - crumb_ptr[:-1], crumb_sizes)
    both[place] = crumb
    del place
    packed_all = _packed_rows(both, own_sizes + crumb_sizes, remap)
    del both
    packed_crumb = _packed_rows(crumb, crumb_sizes, remap)
    del crumb
    row = {c.id: i for i, c in enumerate(chunks)}
    kid_rows: list[int] = []
    kid_counts = np.zeros(n, dtype=np.int64)
    item_leads: list[tuple[str, ...]] = []
    lead4: dict[int, str] = {}

    def opening(k: int) -> str:
        got = lead4.get(k)
        if got is None:
            got = lead4[k] = " ".join(_WORDS.findall(fold(LIST_MARK.sub("", chunks[k].text[:80]).lower()))[:4])
        return got

    for i, c in enumerate(chunks):
        kids = [row[k.id] for k in children.get(c.id, []) if k.id in row]
        kid_rows += kids
        kid_counts[i] = len(kids)
        item_leads.append(tuple(opening(k) for k in kids))
    items = _cut(own, own_ptr, kid_rows, np.int32)[0]
    item_sizes = np.bincount(
        np.repeat(np.arange(n, dtype=np.int64), kid_counts), weights=own_sizes[kid_rows], minlength=n
    ).astype(np.int64)
    packed_items = _packed_rows(items, item_sizes, remap)
    del items
    packed = {
        "all": packed_all,
        "text": _packed_rows(own, own_sizes, remap),
        "crumb": packed_crumb,
        "parent": packed_parent,
        "items": packed_items,
        "lead": packed_lead,
    }

    # the numbers: a row's digit terms, without leading zeros
    own_owner = np.repeat(np.arange(n, dtype=np.int64), own_sizes)
    is_digit = np.zeros(len(strings), dtype=bool)
    is_digit[np.fromiter(digit, dtype=np.int64, count=len(digit))] = True
    hit = is_digit[own]
    numbers: list[frozenset[str]] = [frozenset()] * n
    by_row: dict[int, set[str]] = {}
    for i, p in zip(own_owner[hit].tolist(), own[hit].tolist()):
        by_row.setdefault(i, set()).add(digit[p])
    for i, got in by_row.items():
        numbers[i] = frozenset(got)
    heading_numbers = [numbers[i] | heading_digits[k] if k >= 0 else numbers[i] for i, k in enumerate(heading_at)]
    n_tokens = lengths[np.asarray(count_at, dtype=np.int64)].astype(np.float64)
    return {
        "vocab": Vocabulary(vocab),
        "packed": packed,
        "n_tokens": n_tokens,
        "has_items": kid_counts > 0,
        "numbers": Ragged.of(numbers, as_set=True),
        "heading_numbers": Ragged.of(heading_numbers, as_set=True),
        "item_leads": Ragged.of(item_leads, as_set=False),
    }
