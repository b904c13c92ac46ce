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


def test_dense_cells_find_most_of_the_exact_top_k(corpus_app, tmp_path):
    """The IVF of retrieval/cells.py, reading about a third of the corpus's vectors a query,
    finds most of what the exact search finds (it reads them all: the same top 8)."""
    import shutil

    from retrieval.cells import DenseCells, build_cells
    from retrieval.vectors import VectorFile

    shutil.copyfile(corpus_app.table.generation / "vectors.npy", tmp_path / "vectors.npy")
    build_cells(tmp_path, VectorFile(tmp_path / "vectors.npy"))
    exact = _dense(corpus_app, 10**9)
    every = DenseCells(tmp_path, probe_rows=10**9)
    some = DenseCells(tmp_path, probe_rows=300, min_cells=4)
    assert len(some.centroids) == 30 and sorted(some.rows.tolist()) == list(range(len(corpus_app.table.chunks)))
    found = []
    for q in QUERIES:
        want = exact.ranking(q, 8)
        vector = exact._query_vector(q)  # noqa: SLF001
        assert every.search(vector, 8)[0].tolist() == want  # every cell read: the exact ranking
        got = some.search(vector, 8)[0].tolist()
        assert len(set(got)) == 8
        found.append(len(set(want) & set(got)) / 8)
    assert np.mean(found) >= 0.8, found


def test_an_index_above_the_exact_limit_is_searched_by_its_cells(tmp_path):
    """Above TROLY_DENSE_EXACT_LIMIT the ingest builds the dense cells instead of a Chroma
    collection, the search reads them, and a search within documents stays exact."""
    app = Assistant(make_settings(tmp_path, dense_exact_limit=100))
    report = app.ingest(progress=False)
    assert report.chunks > 800 and not report.errors
    gen = app.table.generation
    assert (gen / "cells.npz").exists() and (gen / "cells.npy").exists() and not (gen / "chroma").exists()
    dense = app.searcher.dense
    assert dense is not None and dense._cells is not None and dense._matrix is None  # noqa: SLF001
    exact = _dense(app, 10**9)
    found = []
    for q in QUERIES:
        got = dense.ranking(q, 8)
        assert len(got) == 8 and len(set(got)) == 8
        found.append(len(set(exact.ranking(q, 8)) & set(got)) / 8)
        doc = app.table.chunks[got[0]].doc_id
        assert dense.ranking(q, 5, docs=[doc]) == exact.ranking(q, 5, docs=[doc])
    assert np.mean(found) >= 0.8, found
    answer = app.ask("Quy mô kinh tế số đạt bao nhiêu phần trăm GDP?")
    assert answer.citations


def test_the_chroma_child_starts_only_for_a_generation_that_gets_a_collection(tmp_path, monkeypatch):
    """Issue 13: over the exact limit a generation has dense cells and no collection, so the
    ingest starts no Chroma child (it was started before parsing, then cancelled: 0.6 s at
    100,000 chunks); under it the child starts before parsing, as before, and writes it."""
    import retrieval.chroma_writer as chroma_writer
    import retrieval.prepare as prepare

    started: list[bool] = []  # (whether anything was parsed yet when it started)
    real = chroma_writer.ChromaWriter.__init__
    real_parse = prepare.Preparation.parse
    parsed: list[bool] = []

    def spy(self) -> None:
        started.append(bool(parsed))
        real(self)

    def parse(self, sources) -> None:
        parsed.append(True)
        real_parse(self, sources)

    monkeypatch.setattr(chroma_writer.ChromaWriter, "__init__", spy)
    monkeypatch.setattr(prepare.Preparation, "parse", parse)
    over = Assistant(make_settings(tmp_path / "over", dense_exact_limit=100))
    report = over.ingest(progress=False)
    assert report.chunks > 800 and not report.errors and started == []
    assert (over.table.generation / "cells.npz").exists() and not (over.table.generation / "chroma").exists()
    parsed.clear()
    under = Assistant(make_settings(tmp_path / "under"))
    report = under.ingest(progress=False)
    assert not report.errors and started == [False]  # before the first parse
    assert (under.table.generation / "chroma").is_dir()
