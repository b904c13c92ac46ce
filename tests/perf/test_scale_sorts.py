"""issue 13 (scale): the ingest's sorts made cheaper keep their results to the element:
the BM25 vocabulary numbered as first met with a scatter of first places (no stable
argsort of every token occurrence: retrieval/bm25_build.py) and the profiles' rows
sorted with numpy's "stable" sort (retrieval/features.py's ``_packed_flat``), against
plain Python references. No timing."""

from __future__ import annotations

import numpy as np

from retrieval.bm25_build import EMPTY, index_of
from retrieval.features import _packed, _packed_flat


def _batches(rows: list[list[int]], size: int):
    for a in range(0, len(rows), size):
        batch = rows[a : a + size]
        flat = np.asarray([p for r in batch for p in r], dtype=np.int32)
        yield flat, np.asarray([len(r) for r in batch], dtype=np.int64)


def test_vocabulary_is_numbered_as_first_met_across_batches():
    rng = np.random.default_rng(13)
    base = [f"t{i}" for i in range(300)]

    # repeated ids, ids met again in later batches, late first meetings, empty texts
    rows = [rng.integers(0, 60 + 8 * k, rng.integers(0, 12)).tolist() for k in range(30)]
    rows[3], rows[17] = [], []
    rows[20] = [299, 299, 0, 298]
    want: dict[str, int] = {}
    for r in rows:
        for p in r or [None]:
            t = EMPTY if p is None else base[p]
            want.setdefault(t, len(want))
    for size in (1, 4, 7, 100):
        strings = list(base)

        def token(t: str) -> int:
            if t not in strings:
                strings.append(t)
            return strings.index(t)

        _, vocab = index_of(_batches(rows, size), strings, token)
        assert vocab == want, size
        assert list(vocab) == list(want)  # (the order too)


def test_term_frequencies_follow_the_numbering():
    strings = ["a", "b", "c", "d"]
    rows = [[3, 3, 1], [1, 2], [3]]
    scores, vocab = index_of(_batches(rows, 2), strings, lambda t: strings.index(t))
    assert vocab == {"d": 0, "b": 1, "c": 2}
    # columns by token id, each column's texts in order
    assert scores["indptr"].tolist() == [0, 2, 4, 5]
    assert scores["indices"].tolist() == [0, 2, 0, 1, 1]


def test_packed_rows_are_each_rows_sorted_distinct_ids():
    rng = np.random.default_rng(7)
    remap = np.concatenate(([0], rng.permutation(np.arange(1, 500)))).astype(np.int64)
    rows = [rng.integers(0, 500, rng.integers(0, 40)) for _ in range(300)]
    rows[5] = np.zeros(0, dtype=np.int64)
    rows[6] = np.full(9, 42)
    out, indptr = _packed(rows, remap)
    for i, r in enumerate(rows):
        assert out[indptr[i] : indptr[i + 1]].tolist() == [0] + sorted({int(remap[p]) for p in r})
    lengths = np.asarray([len(r) for r in rows], dtype=np.int64)
    flat_out, flat_ptr = _packed_flat(np.concatenate(rows), lengths, remap)
    assert flat_out.tobytes() == out.tobytes() and flat_ptr.tobytes() == indptr.tobytes()


def test_bigrams_met_again_in_later_batches_keep_their_token():
    from retrieval.corpus_tokens import TokenIds
    from retrieval.lexical import Analyzer

    analyzer = Analyzer()
    texts = [
        ("Điều 1. Phạm vi điều chỉnh",),
        ("phạm vi áp dụng và đối tượng",),
        ("Chương II", "Điều 2. Đối tượng áp dụng của nghị quyết"),
        ("",),
        ("điều chỉnh phạm vi điều chỉnh",),
        ("nghị quyết về phạm vi",),
    ] * 3
    want = [analyzer.tokens("\n".join(parts)) for parts in texts]
    for size in (1, 2, 5, 100):
        tokenizer = TokenIds(analyzer)
        flat, indptr = tokenizer.texts(texts)
        got = [[tokenizer.strings[p] for p in flat[indptr[i] : indptr[i + 1]].tolist()] for i in range(len(texts))]
        assert got == want, size
        assert len(set(tokenizer.strings)) == len(tokenizer.strings)  # each token made once
        keys = tokenizer._bigram_keys  # noqa: SLF001 - the lookup table's order
        assert (np.diff(keys) > 0).all()
        bigrams = [t for t in tokenizer.strings if "_" in t]
        assert len(keys) == len(bigrams) > 0
