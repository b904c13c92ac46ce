"""Issue 13's scaling work keeps behaviour: the approximate dense path (above the exact
limit, forced low here) finds what the exact path finds, a search within documents is
exact, and an ingest writes about as many bytes as the index it leaves. No timing is
asserted (figures come from scripts/bench_scale.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from retrieval.search import DenseIndex
from retrieval.vectors import open_vectors
from tests.support.corpus import make_settings

QUERIES = [
    "quy mô kinh tế số đạt bao nhiêu phần trăm GDP",
    "trách nhiệm của Bộ Khoa học và Công nghệ",
    "nhân lực chất lượng cao cho công nghệ chiến lược",
    "hạ tầng dữ liệu quốc gia",
    "cơ chế thử nghiệm có kiểm soát sandbox",
    "Ban Chỉ đạo Trung ương họp định kỳ",
]


def _dense(app: Assistant, exact_limit: int) -> DenseIndex:
    table = app.table
    vectors = open_vectors(table.generation, [c.id for c in table.chunks])
    return DenseIndex(vectors, app.embedder, table, exact_limit=exact_limit)


def test_approximate_path_finds_the_exact_top_k(corpus_app):
    exact, approximate = _dense(corpus_app, 10**9), _dense(corpus_app, 0)
    assert exact._matrix is not None and approximate._matrix is None  # noqa: SLF001 - the two paths
    found = []
    for q in QUERIES:
        want = exact.ranking(q, 8)
        got = approximate.ranking(q, 8)
        assert len(got) == 8 and len(set(got)) == 8
        found.append(len(set(want) & set(got)) / 8)
    assert np.mean(found) >= 0.9, found  # HNSW is approximate; on 890 vectors it finds nearly all


def test_search_within_documents_is_exact_on_the_approximate_path(corpus_app):
    exact, approximate = _dense(corpus_app, 10**9), _dense(corpus_app, 0)
    docs = sorted({c.doc_id for c in corpus_app.table.chunks})
    for q in QUERIES:
        for within in ([docs[0]], docs[1:3]):
            want = exact.ranking(q, 5, docs=within)
            assert want and approximate.ranking(q, 5, docs=within) == want
            assert all(corpus_app.table.chunks[r].doc_id in within for r in want)


def _written() -> int:
    io = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return max(int(io["wchar"]), int(io["write_bytes"]))


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.exists("/proc/self/io"), reason="Linux only")
def test_ingest_writes_at_most_one_and_a_half_times_the_index(tmp_path):
    app = Assistant(make_settings(tmp_path))
    before = _written()
    report = app.ingest(progress=False)
    written = _written() - before
    assert report.chunks > 800 and not report.errors
    size = _size(tmp_path / "index")
    assert 0 < written <= 1.5 * size, (written, size)


def test_chroma_holds_every_chunk_vector_as_the_matrix_does(corpus_app):
    from retrieval.vectors import open_collection

    table = corpus_app.table
    got = open_collection(table.generation).get(include=["embeddings"])
    matrix = np.load(table.generation / "vectors.npy")
    row = {c.id: i for i, c in enumerate(table.chunks)}
    assert sorted(got["ids"]) == sorted(row)
    for chunk_id, vector in zip(got["ids"], got["embeddings"]):
        assert np.allclose(vector, matrix[row[chunk_id]], atol=1e-6)
