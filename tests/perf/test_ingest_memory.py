"""Issue 13 (scale, an ingest's peak memory): the ingest's vectors are rows of one matrix
per embedding call, let go at once (retrieval/prepare.py), the allocator's free pages are
handed back between its steps (retrieval/memory.py), and the profiles' build packs each
field as soon as its rows are gathered (retrieval/profile_build.py). None of it changes
what is computed: the same vectors, the same arrays, the same generation files."""

from __future__ import annotations

import numpy as np

from retrieval import memory
from retrieval.embedding import HashingEmbedder
from retrieval.features import _cut
from retrieval.file_pipeline import ChunkingOptions
from retrieval.prepare import EMBED_BATCH, Preparation
from retrieval.vectors import VectorFile


def _texts(corpus_app, n: int) -> list[str]:
    return [c.embedding_text() for c in corpus_app.table.chunks[:n]]


def test_the_vectors_are_rows_of_one_matrix_with_the_embedders_values(corpus_app):
    embedder = HashingEmbedder()
    work = Preparation(ChunkingOptions(), None, embedder, progress=False)
    texts = _texts(corpus_app, 2 * EMBED_BATCH + 17)  # three batches, the last one short
    work._embed(texts)
    work._embed(texts[:40] + ["một câu chưa nhúng", texts[5]])  # only the new text embedded, in a block of its own
    assert len(work._blocks) == 2 and work._blocks[0].shape == (len(dict.fromkeys(texts)), embedder.dim)
    for text in dict.fromkeys(texts):
        row = work._vectors[text]
        assert row.base is work._blocks[0] and row.dtype == np.float32
    want = np.concatenate([embedder.embed_array(texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)])
    got = np.stack([work._vectors[t] for t in texts])
    assert np.array_equal(got, want)  # bit for bit
    assert np.array_equal(work._vectors["một câu chưa nhúng"], embedder.embed_array(["một câu chưa nhúng"])[0])
    work.forget_vectors()
    assert not work._vectors and not work._blocks


def test_an_embedder_without_arrays_gives_the_same_rows(corpus_app):
    class Lists:  # an embedder that answers lists only (as a remote one does)
        name, version = "lists", "1"

        def __init__(self):
            self.inner = HashingEmbedder()

        def embed_documents(self, texts):
            return self.inner.embed_documents(texts)

    texts = _texts(corpus_app, EMBED_BATCH + 3)
    work = Preparation(ChunkingOptions(), None, Lists(), progress=False)
    work._embed(texts)
    want = np.asarray(HashingEmbedder().embed_documents(texts), dtype=np.float32)
    assert np.array_equal(np.stack([work._vectors[t] for t in texts]), want)


def test_an_ingest_writes_the_vectors_its_embedder_makes(corpus_app):
    table = corpus_app.table
    matrix = VectorFile(table.generation / "vectors.npy")[0 : len(table.chunks)]
    want = corpus_app.embedder.embed_array([c.embedding_text() for c in table.chunks])
    assert np.array_equal(np.asarray(matrix), want)


def test_release_hands_back_only_what_is_free():
    kept = np.arange(1_000_000, dtype=np.int64)
    garbage = [bytes(1000) for _ in range(20_000)]
    del garbage
    assert isinstance(memory.release(), bool)
    assert isinstance(memory.release(), bool)  # (found once, called again)
    assert int(kept.sum()) == 999_999 * 1_000_000 // 2


def test_cut_as_int32_is_the_cut_as_intp():
    rng = np.random.default_rng(13)
    lengths = rng.integers(0, 9, size=300)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    flat = rng.integers(0, 2**31 - 1, size=int(indptr[-1])).astype(np.int32)
    rows = rng.integers(0, len(lengths), size=500)
    wide, at = _cut(flat, indptr, rows)
    narrow, at32 = _cut(flat, indptr, rows, np.int32)
    assert wide.dtype == np.intp and narrow.dtype == np.int32
    assert np.array_equal(wide, narrow) and np.array_equal(at, at32)
    assert narrow.tolist() == [v for r in rows for v in flat[indptr[r] : indptr[r + 1]].tolist()]


def test_the_ingest_lets_go_of_the_embedders_memo_and_its_vectors_do_not_change(corpus_app):
    embedder = HashingEmbedder()
    texts = _texts(corpus_app, 50)
    work = Preparation(ChunkingOptions(), None, embedder, progress=False)
    work._embed(texts)
    first = np.stack([work._vectors[t] for t in texts]).copy()
    assert embedder._table is not None and len(embedder._table.bigram_keys) and embedder._syllable_cache
    work.forget_vectors()
    assert embedder._table is None and not embedder._pair_cache and not embedder._syllable_cache
    assert np.array_equal(embedder.embed_array(texts), first)  # made again: the same values
    assert embedder.embed_query(texts[0]) == first[0].tolist()
