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
from pathlib import Path

import numpy as np

K1, B = 1.2, 0.75
EMPTY = "∅"  # the token of a text without any (LexicalIndex.build's)


def index_of(batches, strings: list[str], token) -> tuple[dict, dict[str, int]]:
    """The ``scores`` and vocabulary of a bm25s index over texts given a batch at a time
    (``TokenIds.batches``: each batch's provisional token ids end to end and each text's
    count of them; ``strings`` the provisional ids' tokens, ``token`` numbers a new one).

    A batch's tokens are renumbered as first met (``_Numbering``'s ids: the texts in
    order) and reduced to its (token, text, count) triples, sorted by token then text;
    once every batch is read, the triples are scored into the columns, batch after batch
    (each column's texts in order). perf (issue 13, memory): no array of every token
    occurrence of the corpus at once."""
    final = np.zeros(0, dtype=np.int32)  # provisional id -> id (-1: not met yet)
    order: list[np.ndarray] = []
    met = 0
    triples: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    sizes: list[np.ndarray] = []
    first_text = 0
    for flat, lengths in batches:
        empty = np.flatnonzero(lengths == 0)
        if len(empty):  # a text without tokens holds the empty token
            starts = np.cumsum(lengths) - lengths
            flat = np.insert(flat, starts[empty], np.int32(token(EMPTY)))
            lengths = np.maximum(lengths, 1)
        if len(final) < len(strings):
            final = np.concatenate((final, np.full(len(strings) - len(final), -1, dtype=np.int32)))
        # the tokens not numbered yet, as first met: each one's first place by a scatter
        # of the places (perf, issue 13: ``np.unique(flat, return_index=True)``'s stable
        # argsort of every token occurrence cost 25x more; the same order)
        place = np.flatnonzero(final[flat] < 0)
        first = np.full(len(final), len(flat), dtype=np.int64)
        np.minimum.at(first, flat[place], place)
        del place
        met_here = np.flatnonzero(first < len(flat))
        fresh = met_here[np.argsort(first[met_here], kind="stable")]
        del first, met_here
        final[fresh] = np.arange(met, met + len(fresh), dtype=np.int32)
        met += len(fresh)
        order.append(fresh)
        n = len(lengths)
        key = final[flat].astype(np.int64) * n
        key += np.repeat(np.arange(n, dtype=np.int64), lengths)
        key, tf = np.unique(key, return_counts=True)  # by token, then text
        column, row = np.divmod(key, n)
        del key
        triples.append((column.astype(np.int32), (row + first_text).astype(np.int32), tf.astype(np.int32)))
        sizes.append(np.asarray(lengths, dtype=np.int64))
        first_text += n
    ids = np.concatenate(order) if order else np.zeros(0, dtype=np.int32)
    vocab = {strings[p]: i for i, p in enumerate(ids.tolist())}
    lengths = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)
    return _scores(triples, lengths, met), vocab


def _scores(triples, lengths: np.ndarray, n_vocab: int) -> dict:
    """The CSC arrays of the (token, text, count) triples of each batch."""
    n_docs = len(lengths)
    avg = lengths.mean() if n_docs else np.float64(0)  # = bm25s: np.array([len(d) for d in docs]).mean()
    df = np.zeros(n_vocab, dtype=np.int64)
    for column, _, _ in triples:
        df += np.bincount(column, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=np.float32)
    values, where = np.unique(df, return_inverse=True)
    logs = np.array(
        [math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) if d else 0.0 for d in values.tolist()], dtype=np.float64
    )
    idf[:] = logs[where.ravel()]  # (a Python float rounded to float32, as bm25s assigns it)
    # bm25s per text: tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf), tf float32, the rest float64
    length_part = K1 * ((1 - B) + B * lengths.astype(np.float64) / avg) if n_docs else np.zeros(0)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    data = np.empty(int(indptr[-1]), dtype=np.float32)
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    filled = indptr[:-1].copy()  # where each column's next text goes
    while triples:
        column, row, tf = triples.pop(0)
        counts = np.bincount(column, minlength=n_vocab)
        group = np.cumsum(counts) - counts  # where each column's triples start in the batch
        place = np.arange(len(column), dtype=np.int64) - group[column] + filled[column]
        tf32 = tf.astype(np.float32)
        data[place] = (idf[column] * (tf32 / (length_part[row] + tf32))).astype(np.float32)
        indices[place] = row
        filled += counts
    return {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}


def bm25_of(scores: dict, vocab: dict[str, int]):
    """The index built here, as ``bm25s.BM25`` would hold and save it (its files: the same
    bytes), without importing bm25s (perf, issue 13: ~70 ms of an ingest's CPU for its
    imports, tqdm's among them): retrieval/bm25_files.py's StoredBM25, which the reader
    loads it as."""
    from .bm25_files import StoredBM25

    if "" not in vocab:  # bm25s's create_empty_token, added once the scores are made
        vocab[""] = max(vocab.values()) + 1
    params = {
        # bm25s.BM25(k1=K1, b=B)'s parameters, in the order its save writes them
        "k1": K1,
        "b": B,
        "delta": 0.5,
        "method": "lucene",
        "idf_method": "lucene",
        "dtype": "float32",
        "int_dtype": "int32",
        "num_docs": int(scores["num_docs"]),
        "version": bm25s_version(),
        "backend": "numpy",
    }
    return StoredBM25(params, vocab, {name: scores[name] for name in ("data", "indices", "indptr")})


def bm25s_version() -> str:
    """The installed bm25s's version (its save writes it), read from its distribution's
    folder name: importlib.metadata, as bm25s reads it, costs more than the rest of this."""
    import importlib.util

    spec = importlib.util.find_spec("bm25s")
    if spec is not None and spec.origin:
        site = Path(spec.origin).resolve().parent.parent
        for info in sorted(site.glob("bm25s-*.dist-info")):
            return info.name[len("bm25s-") : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bm25s")
    except PackageNotFoundError:
        return "0.0.0"  # (bm25s's own fallback)
