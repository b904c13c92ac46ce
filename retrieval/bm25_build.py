"""The BM25 matrix built with array operations from every text's token ids (issue 13,
scale: bm25s counts each clause's tokens with a Counter and scores them clause by
clause, a third of a 100,000-clause ingest).

The result is the index ``bm25s.BM25(k1, b).index((ids, vocab))`` builds (method and idf
"lucene", float32 scores, int32 rows), to the bit: the same vocabulary ids (tokens
numbered as first met), the same CSC arrays (columns by token id, rows in order), each
score computed with the same operations in the same precision (float64 term frequency
component, idf from ``math.log`` rounded to float32, the product rounded to float32).
tests/perf/test_bm25_build.py compares the arrays with bm25s's own. It is saved by bm25s
(the same files).
"""

from __future__ import annotations

import math

import numpy as np

K1, B = 1.2, 0.75
EMPTY = "∅"  # the token of a text without any (LexicalIndex.build's)


def numbered(flat: np.ndarray, indptr: np.ndarray, strings: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Provisional token ids renumbered as first met in text order (``_Numbering``'s ids),
    texts without any token given ``EMPTY``; the ids, and the vocabulary."""
    lengths = np.diff(indptr)
    empty = np.flatnonzero(lengths == 0)
    if len(empty):
        strings = [*strings, EMPTY] if EMPTY not in strings else strings
        at = strings.index(EMPTY)
        flat = np.insert(flat, indptr[:-1][empty], np.int32(at))
    seen, first = np.unique(flat, return_index=True)
    order = seen[np.argsort(first, kind="stable")]
    remap = np.zeros(len(strings), dtype=np.int32)
    remap[order] = np.arange(len(order), dtype=np.int32)
    vocab = {strings[p]: i for i, p in enumerate(order.tolist())}
    return remap[flat], vocab


def scores(ids: np.ndarray, lengths: np.ndarray, n_vocab: int) -> dict:
    """The ``scores`` of a bm25s index over texts of ``lengths`` tokens whose ids lie end to
    end in ``ids``."""
    n_docs = len(lengths)
    lengths = np.asarray(lengths, dtype=np.int64)
    avg = np.array(lengths.tolist()).mean()  # = bm25s: np.array([len(d) for d in docs]).mean()
    owner = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    key = ids.astype(np.int64) * max(n_docs, 1) + owner
    del owner
    key, tf = np.unique(key, return_counts=True)  # by token, then text: the CSC order
    column, row = np.divmod(key, max(n_docs, 1))
    del key
    df = np.bincount(column, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=np.float32)
    values, where = np.unique(df, return_inverse=True)
    logs = np.array(
        [math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) if d else 0.0 for d in values.tolist()], dtype=np.float64
    )
    idf[:] = logs[where.ravel()]  # (a Python float rounded to float32, as bm25s assigns it)
    # bm25s per text: tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf), tf float32, the rest float64
    length_part = K1 * ((1 - B) + B * lengths.astype(np.float64) / avg)
    tf32 = tf.astype(np.float32)
    tfc = tf32 / (length_part[row] + tf32)
    data = (idf[column] * tfc).astype(np.float32)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": data, "indices": row.astype(np.int32), "indptr": indptr, "num_docs": n_docs}


def bm25_of(ids: np.ndarray, lengths: np.ndarray, vocab: dict[str, int]):
    """A ``bm25s.BM25`` holding the index built here (saved by bm25s)."""
    import bm25s

    bm25 = bm25s.BM25(k1=K1, b=B)
    bm25.scores = scores(ids, lengths, len(vocab))
    if "" not in vocab:  # bm25s's create_empty_token, added once the scores are made
        vocab[""] = max(vocab.values()) + 1
    bm25.vocab_dict = vocab
    bm25.nonoccurrence_array = None
    bm25.unique_token_ids_set = set(vocab.values())
    return bm25
