"""The saved BM25 index read without bm25s (retrieval/bm25_files.py, issue 13) scores every
query exactly as bm25s itself does over the same files, on the real corpus."""

from __future__ import annotations

import json

import bm25s
import numpy as np

from retrieval.bm25_files import StoredBM25
from retrieval.index import LEXICAL
from retrieval.lexical import LexicalIndex

QUESTIONS = "eval/questions.jsonl"


def _generation(app):
    return app.index_dir.current()


def test_the_reader_scores_every_dev_question_as_bm25s_does(corpus_app):
    folder = _generation(corpus_app) / LEXICAL
    ours = LexicalIndex.load(folder)
    assert isinstance(ours.bm25, StoredBM25)
    theirs = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
    assert ours.bm25.vocab_dict == theirs.vocab_dict and ours.num_docs == int(theirs.scores["num_docs"])
    with open(QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f if '"dev"' in line][:150]
    assert len(questions) > 50
    compared = 0
    for q in questions:
        tokens = [t for t in ours.analyzer.tokens(q, query=True) if t in ours.bm25.vocab_dict]
        if not tokens:
            continue
        got, want = ours.bm25.get_scores(tokens), theirs.get_scores(tokens)
        assert got.dtype == want.dtype and np.array_equal(got, want)
        # repeated and shuffled terms (the synonym expansion's weighted sums)
        assert np.array_equal(ours.bm25.get_scores(tokens[::-1] * 2), theirs.get_scores(tokens[::-1] * 2))
        compared += 1
    assert compared > 50
    assert np.array_equal(ours.bm25.get_scores(["khong-co-tu-nay"]), np.zeros(ours.num_docs, dtype=np.float32))


def test_an_index_the_reader_does_not_know_is_loaded_by_bm25s(corpus_app, tmp_path):
    import shutil

    folder = tmp_path / LEXICAL
    shutil.copytree(_generation(corpus_app) / LEXICAL, folder)
    params = json.loads((folder / "params.index.json").read_text("utf-8"))
    params["backend"] = "auto"  # numba when installed: its sums may come in another order
    (folder / "params.index.json").write_text(json.dumps(params), "utf-8")
    assert StoredBM25.load(folder) is None
    loaded = LexicalIndex.load(folder)
    assert isinstance(loaded.bm25, bm25s.BM25)


def test_a_loaded_index_saved_elsewhere_reads_back_the_same(corpus_app, tmp_path):
    loaded = LexicalIndex.load(_generation(corpus_app) / LEXICAL)
    loaded.save(tmp_path / "copy")
    again = LexicalIndex.load(tmp_path / "copy")
    tokens = loaded.analyzer.tokens("Mục tiêu đến năm 2030 của Nghị quyết 57 là gì?", query=True)
    assert np.array_equal(again.scores("Mục tiêu đến năm 2030"), loaded.scores("Mục tiêu đến năm 2030"))
    assert np.array_equal(again.bm25.get_scores(tokens), loaded.bm25.get_scores(tokens))
    assert (
        bm25s.BM25.load(str(tmp_path / "copy"), show_progress=False, verbosity=0).vocab_dict == loaded.bm25.vocab_dict
    )


def test_the_ingest_writes_the_files_bm25s_writes(corpus_app, tmp_path):
    """The ingest builds and saves its BM25 index without bm25s (retrieval/bm25_build.py):
    the files are those bm25s.BM25, holding the same scores, saves, byte for byte."""
    from retrieval.bm25_build import K1, B
    from retrieval.lexical import Analyzer

    parts = [(" › ".join(c.breadcrumb), c.context, c.text) for c in corpus_app.table.chunks]
    ours = LexicalIndex.build_parts(parts, Analyzer.for_corpus_parts(parts))
    assert isinstance(ours.bm25, StoredBM25)
    ours.save(tmp_path / "ours")
    theirs = bm25s.BM25(k1=K1, b=B)
    theirs.scores = dict(ours.bm25.scores)
    theirs.vocab_dict = ours.bm25.vocab_dict
    theirs.nonoccurrence_array = None  # (as bm25s's index leaves it for lucene)
    theirs.save(str(tmp_path / "theirs"), show_progress=False)
    names = sorted(p.name for p in (tmp_path / "theirs").iterdir())
    assert "vocab.index.json" in names and "params.index.json" in names and "data.csc.index.npy" in names
    for name in names:
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "theirs" / name).read_bytes(), name
    live = _generation(corpus_app) / LEXICAL  # and the live generation's, written by the ingest
    for name in names:
        assert (live / name).read_bytes() == (tmp_path / "theirs" / name).read_bytes(), name
