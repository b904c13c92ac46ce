"""Issue 13's speed-ups keep behaviour: every cache and faster path gives what the plain
code gives. No timing is asserted here (figures come from scripts/bench_perf.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.search import HybridSearcher
from retrieval.search_cache import CachedSearcher
from retrieval.synonyms import _Phrases, default_synonyms
from retrieval.text import fold, words

QUESTIONS = [
    "Đến năm 2030, quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?",
    "Bộ Khoa học và Công nghệ có trách nhiệm gì theo Nghị quyết 57?",
    "nghi quyet 03 giao nhiem vu gi cho bo tai chinh",
    "Sáng kiến 6 là gì? Sáng kiến 7 là gì?",
]


def _regex_phrases(phrases: list[str]) -> re.Pattern[str]:
    """What the synonyms were matched with before: one alternation, longest first."""
    keys = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")


def test_synonym_phrases_match_what_the_alternation_regex_matched():
    syn = default_synonyms()
    for index, matcher in (syn._accented, syn._folded):  # noqa: SLF001
        regex = _regex_phrases(list(index))
        for q in QUESTIONS + [" ".join(g) for g in syn.groups[:200]]:
            for subject in (" ".join(words(q)), fold(" ".join(words(q)))):
                assert matcher.findall(subject) == regex.findall(subject)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b", "ab", "c", "a b", "b c", "a b c", "đ", "d"]), min_size=1, max_size=6, unique=True
    ),
    st.lists(st.sampled_from(["a", "b", "ab", "c", "đ", "d", "x"]), max_size=12),
)
def test_phrase_matcher_is_leftmost_longest_like_the_regex(phrases, subject_words):
    subject = " ".join(subject_words)
    assert _Phrases(phrases).findall(subject) == _regex_phrases(phrases).findall(subject)


def test_cached_search_gives_the_plain_search_results_as_fresh_objects(corpus_app):
    cached = corpus_app.searcher
    assert isinstance(cached, CachedSearcher)
    plain = HybridSearcher(cached.table, cached.lexical, cached.dense, cached.recognizer, cached.config)
    for q in QUESTIONS:
        for docs in (None, ["nq57"]):
            want = plain.search(q, 8, docs)
            first, again = cached.search(q, 8, docs), cached.search(q, 8, docs)
            for got in (first, again):
                assert [(h.chunk.id, h.score, h.ranks) for h in got] == [(h.chunk.id, h.score, h.ranks) for h in want]
            assert all(a is not b for a, b in zip(first, again))
            first[0].ranks["lexical"] = -1  # a caller changing its hits changes nobody else's
            assert cached.search(q, 8, docs)[0].ranks == want[0].ranks


def test_dense_ranking_with_a_document_filter_keeps_to_it(corpus_app):
    dense = corpus_app.searcher.dense
    table = corpus_app.table
    rows = dense.ranking(QUESTIONS[1], 20, ["nq57"])
    assert rows and all(table.chunks[i].doc_id == "nq57" for i in rows)
    assert dense.ranking(QUESTIONS[1], 20, ["no-such-document"]) == []
    assert dense.ranking(QUESTIONS[0], 5) == dense.ranking(QUESTIONS[0], 5)  # the remembered query vector


def test_blas_threads_are_limited_without_touching_the_environment(corpus_app):
    from threadpoolctl import threadpool_info

    before = dict(os.environ)
    corpus_app.search(QUESTIONS[0])
    assert corpus_app.settings.blas_threads == 1
    assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")
    assert dict(os.environ) == before


def test_cold_cli_imports_nothing_heavy():
    """`troly ask` starts without langchain, chromadb or tiktoken (imported when used)."""
    code = "import json,sys,assistant.cli;print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    loaded = set(
        json.loads(
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300).stdout
        )
    )
    assert not loaded & {"langchain_core", "langchain_chroma", "chromadb", "tiktoken"}


def test_troly_docs_starts_without_the_search_the_answering_and_the_plugins(corpus_app):
    """`troly docs` lists the documents without numpy, bm25s, the answer modules, the
    studio or the entry points' commands (they load with the commands that use them)."""
    code = (
        "import json,sys,contextlib,io;from assistant.cli import main;out=io.StringIO()\n"
        "with contextlib.redirect_stdout(out): rc=main(['docs'])\n"
        "print(json.dumps([rc,out.getvalue(),sorted(sys.modules)]))"
    )
    s = corpus_app.settings
    env = dict(
        os.environ,
        TROLY_DATA_DIR=str(s.data_dir),
        TROLY_INDEX_DIR=str(s.index_dir),
        TROLY_CATALOG_PATH=str(s.catalog_path),
        TROLY_SOURCES_DIR=str(s.sources_dir),
    )
    rc, listing, modules = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300, env=env
        ).stdout.splitlines()[-1]
    )
    top = {m.split(".")[0] for m in modules}
    assert not top & {"numpy", "bm25s", "eval", "chromadb"}
    assert not {m for m in modules if m.startswith(("assistant.answering", "assistant.studio.", "retrieval.search"))}
    assert rc == 0 and "57-NQ/TW" in listing


def test_the_hashing_embedder_still_serves_langchain():
    from langchain_core.embeddings import Embeddings

    from retrieval.embedding import HashingEmbedder, as_langchain

    e = as_langchain(HashingEmbedder(dim=64))
    assert isinstance(e, Embeddings)
    assert e.embed_query("kinh tế số") == e.embed_documents(["kinh tế số"])[0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.5, -0.25, 1.0, float("inf"), 0.125]), min_size=0, max_size=40),
    st.integers(min_value=0, max_value=45),
)
def test_top_rows_are_the_stable_sort_head(values, n):
    import numpy as np

    from retrieval.search import _top

    neg = np.array(values, dtype=np.float32)
    assert _top(neg, n).tolist() == np.argsort(neg, kind="stable")[:n].tolist()


def test_table_lookups_by_document(corpus_app):
    table = corpus_app.table
    assert table.of_document("nq57") == [c for c in table.chunks if c.doc_id == "nq57"]
    assert table.at_path("nq57", "II.1") == [
        c for c in table.chunks if c.doc_id == "nq57" and (c.path == "II.1" or c.path.startswith("II.1."))
    ]
    assert table.of_document("no-such-document") == []


def _reference_vector(e, text: str):
    """The hashing embedder's vector added feature by feature, as before issue 13."""
    import numpy as np

    from retrieval.embedding import _bucket

    vec = np.zeros(e.dim, dtype=np.float32)
    prev = None
    for syl in words(text):
        f = fold(syl)
        feats = [_bucket("u:" + f, e.dim)]
        if f != syl:
            b, w = _bucket("a:" + syl, e.dim)
            feats.append((b, 0.5 * w))
        padded = f"<{f}>"
        feats += [
            (b, 0.25 * w) for b, w in (_bucket("c:" + padded[i : i + 4], e.dim) for i in range(max(1, len(padded) - 3)))
        ]
        for b, w in feats:
            vec[b] += w
        if prev is not None:
            b, w = _bucket("b:" + prev + "_" + f, e.dim)
            vec[b] += w
        prev = f
    vec = np.sign(vec) * np.sqrt(np.abs(vec))
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def test_hashing_vectors_are_bit_identical_to_adding_features_one_by_one(corpus_app):
    import numpy as np

    from retrieval.embedding import HashingEmbedder

    e = HashingEmbedder()
    texts = QUESTIONS + ["", "!!!", "Đ"] + [c.embedding_text() for c in corpus_app.table.chunks[:200]]
    for t in texts:
        assert np.array_equal(e._vector(t).view(np.uint32), _reference_vector(e, t).view(np.uint32))  # noqa: SLF001


def test_clause_profiles_are_read_back_as_computed_and_recomputed_for_other_inputs(corpus_app, tmp_path, monkeypatch):
    """The reranker's per-clause profiles: the first open of a generation writes them, the
    next read them back equal to a fresh computation; another table never reads them."""
    import dataclasses

    import numpy as np

    from retrieval import derived, features
    from retrieval.searcher import clause_profiles
    from retrieval.store import ChunkTable

    live = corpus_app.table
    gen = tmp_path / "gen-x"
    table = ChunkTable(gen, live.manifest, live.chunks)  # the generation's chunks, an index folder of its own
    lexical = corpus_app.searcher.lexical
    fresh = features.Profiles(live.chunks, live.children, live.by_id, lexical.analyzer.tokens)
    built = []
    real = features.Profiles.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(features.Profiles, "__init__", counting)
    first = clause_profiles(table, lexical)
    again = clause_profiles(table, lexical)
    assert len(built) == 1 and list((tmp_path / derived.DERIVED_DIR).glob("profiles-*/DONE"))
    rows = list(range(len(live.chunks)))
    for got in (first, again):
        assert got.all_terms == fresh.all_terms and got.item_leads == fresh.item_leads
        assert got.numbers == fresh.numbers and np.array_equal(got.n_tokens, fresh.n_tokens)
        for field in features.FIELDS:  # the same term sets, whatever ids the vocabulary gave them
            assert _terms(got, field) == _terms(fresh, field)
        assert got.shares("all", rows, np.zeros(len(got.vocab) + 1)).tolist() == [0.0] * len(rows)
    changed = ChunkTable(gen, live.manifest, [dataclasses.replace(live.chunks[0], text="khác"), *live.chunks[1:]])
    clause_profiles(changed, lexical)
    assert len(built) == 2  # another text: computed, not read
    assert len(list((tmp_path / derived.DERIVED_DIR).glob("profiles-*"))) == 1  # the old value let go


def _terms(prof, field: str) -> list[frozenset[str]]:
    by_id = {v: t for t, v in prof.vocab.items()}
    return [frozenset(by_id[int(j)] for j in ids[1:]) for ids in prof.ids[field]]


def test_a_damaged_derived_file_is_computed_again(tmp_path):
    from retrieval import derived

    (tmp_path / "x-k.pickle").write_bytes(b"not a pickle")
    assert derived.cached(tmp_path, "x", "k", lambda: {"a": 1}) == {"a": 1}
    assert derived.cached(tmp_path, "x", "k", lambda: {"a": 2}) == {"a": 1}  # written back, read next time


def test_a_damaged_derived_folder_is_computed_again(tmp_path):
    """A folder value (mapped arrays) that fails to load is built again and written back."""
    import numpy as np

    from retrieval import derived

    def save(value, folder):
        np.save(folder / "a.npy", value)

    def load(folder):
        return np.load(folder / "a.npy", mmap_mode="r")

    (tmp_path / "y-k").mkdir()
    (tmp_path / "y-k" / "DONE").write_text("k")
    (tmp_path / "y-k" / "a.npy").write_bytes(b"not an array")
    got = derived.cached_folder(tmp_path, "y", "k", lambda: np.arange(3), save, load)
    assert got.tolist() == [0, 1, 2]
    again = derived.cached_folder(tmp_path, "y", "k", lambda: np.arange(5), save, load)
    assert again.tolist() == [0, 1, 2] and isinstance(again, np.memmap)


def test_the_clause_kind_columns_are_each_clauses_own_and_follow_the_chunk_list(corpus_app):
    from retrieval import features

    searcher = corpus_app.searcher
    chunks = searcher.table.chunks
    table = features._kinds(searcher.profiles, chunks)  # noqa: SLF001
    assert table.tolist() == [[c.kind == "title", bool(c.boilerplate), c.kind == "row"] for c in chunks]
    assert features._kinds(searcher.profiles, chunks) is table  # noqa: SLF001
    other = list(reversed(chunks))  # another list: its own table
    assert features._kinds(searcher.profiles, other).tolist() == table[::-1].tolist()  # noqa: SLF001


def test_document_masks_are_the_plain_isin_and_found_once_per_document_list(corpus_app, monkeypatch):
    plain = HybridSearcher(
        corpus_app.searcher.table,
        corpus_app.searcher.lexical,
        corpus_app.searcher.dense,
        corpus_app.searcher.recognizer,
        corpus_app.searcher.config,
    )
    isin = np.isin
    calls: list[tuple] = []
    monkeypatch.setattr(np, "isin", lambda a, b, **kw: calls.append(tuple(b)) or isin(a, b, **kw))
    for _ in range(3):
        for docs in (["nq57"], ["nq57", "kh01"]):
            got = plain._in_docs(docs)  # noqa: SLF001
            assert np.array_equal(got, isin(plain._doc_of, docs))  # noqa: SLF001
    assert calls == [("nq57",), ("nq57", "kh01")]
    assert plain._prior_list() == [float(p) for p in plain._prior]  # noqa: SLF001


def test_query_terms_held_flags_are_has_of_each_vector(corpus_app):
    from retrieval import features

    searcher = corpus_app.searcher
    for q in QUESTIONS:
        terms = features.QueryTerms.of(
            searcher.lexical.analyzer.tokens(q, query=True), searcher.lexical.idf, searcher.profiles.vocab
        )
        assert terms.held() == tuple(features.QueryTerms.has(v) for v in (terms.pairs, terms.marked, terms.rare))
        ids, _ = searcher.profiles._gather("all", [0, 1, 2])  # noqa: SLF001
        assert ids.dtype == np.intp
