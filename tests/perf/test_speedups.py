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


# -- fast9 (issue 13): a fresh answer's work, each faster path against the plain code ------
def _plain_synonym_matches(syn, text, expand):
    """Synonyms.matches as it was written before its per-text memo (reads the text each call)."""
    from retrieval.synonyms import _WORD, _in_capitals
    from retrieval.text import has_diacritics, modern_tones, nfc

    subject = modern_tones(" ".join(words(text)))  # tone marks placed one way (wave 11)
    index, matcher = syn._accented if has_diacritics(text) else syn._folded  # noqa: SLF001
    if not has_diacritics(text):
        subject = fold(subject)
    if matcher is None:
        return []
    written = {w.lower() for w in _WORD.findall(nfc(text)) if _in_capitals(w)}
    acronyms = {m for m, _ in syn.capitals}

    def meant(member, g):
        if (member, g) in syn.capitals:
            return member in written
        return member not in acronyms or member not in written

    phrases = matcher.findall(subject)
    said = {}
    for m in phrases:
        if expand(m):
            for g in index[m]:
                if meant(m, g):
                    said.setdefault(g, m)
    present = set(phrases)
    return [
        (said[g], tuple(m for m in syn.groups[g] if m not in present and fold(m) not in present)) for g in sorted(said)
    ]


def test_synonym_matches_read_once_per_text_are_the_plain_matches(corpus_app):
    from eval.dataset import load_questions

    syn = default_synonyms()
    searcher = corpus_app.searcher
    texts = QUESTIONS + [q.question for q in load_questions()[:300]] + ["AI là gì", "ai là người ký", "IoT và AI"]
    texts += [" ".join(g) for g in syn.groups[:100]]
    for expand in (lambda m: True, searcher._rare, searcher._absent, lambda m: " " in m):  # noqa: SLF001
        for _ in range(2):  # the second time from the memo
            for text in texts:
                assert syn.matches(text, expand) == _plain_synonym_matches(syn, text, expand), text


def _plain_query_terms(tokens, idf, vocab):
    """features.QueryTerms.of as written before (a keep() predicate per vector)."""
    from retrieval import features

    weights = {t: idf(t) for t in dict.fromkeys(tokens)}
    plain = sorted((t for t in weights if not t.startswith("~")), key=lambda t: -weights[t])

    def vector(keep):
        v = np.zeros(len(vocab) + 1)
        kept = [(t, w) for t, w in weights.items() if keep(t)]
        total = sum(w for _, w in kept)
        for t, w in kept:
            j = vocab.get(t)
            if total and j is not None:
                v[j] = w / total
        return v

    rare = set(plain[:3])
    return features.QueryTerms(
        vector(lambda t: True),
        vector(lambda t: "_" in t),
        vector(lambda t: t.startswith("~")),
        vector(lambda t: t in rare) if rare else np.zeros(len(vocab) + 1),
    )


def test_query_terms_vectors_are_the_plain_ones_to_the_bit(corpus_app):
    from eval.dataset import load_questions
    from retrieval import features

    searcher = corpus_app.searcher
    lexical, vocab = searcher.lexical, searcher.profiles.vocab
    for q in QUESTIONS + [q.question for q in load_questions()[:200]] + ["", "và của"]:
        tokens = lexical.analyzer.tokens(q, query=True)
        got, want = features.QueryTerms.of(tokens, lexical.idf, vocab), _plain_query_terms(tokens, lexical.idf, vocab)
        for name in ("weights", "pairs", "marked", "rare"):
            assert np.array_equal(getattr(got, name), getattr(want, name)), (q, name)


def test_field_shares_in_one_gather_are_each_fields_shares(corpus_app):
    searcher = corpus_app.searcher
    prof = searcher.profiles
    terms = searcher._query_terms(searcher.lexical.analyzer.tokens(QUESTIONS[0], query=True))  # noqa: SLF001
    rng = np.random.default_rng(7)
    for n in (1, 5, 40):
        rows = rng.choice(len(prof), size=n, replace=False).tolist()
        fields = ("text", "crumb", "parent", "items", "lead")
        got = prof.shares_by_field(fields, rows, terms.weights).reshape(len(fields), n)
        for f, row in zip(fields, got):
            assert np.array_equal(row, prof.shares(f, rows, terms.weights))
        vectors = [terms.weights, terms.pairs, terms.marked]
        many = prof.shares_of("all", rows, vectors)
        for v, row in zip(vectors, many):
            assert np.array_equal(row, prof.shares("all", rows, v))


def test_stored_bm25_scores_are_the_same_from_plain_arrays_and_from_the_mapped_files(corpus_app):
    lexical = corpus_app.searcher.lexical
    bm25 = lexical.bm25
    for q in QUESTIONS:
        tokens = [t for t in lexical.analyzer.tokens(q, query=True) if t in lexical._vocab]  # noqa: SLF001
        want = np.zeros(bm25.scores["num_docs"], dtype=np.float32)
        for t in tokens:  # bm25s's own order: one term's column after the other
            i = bm25.vocab_dict[t]
            a, b = int(bm25.scores["indptr"][i]), int(bm25.scores["indptr"][i + 1])
            np.add.at(want, bm25.scores["indices"][a:b], bm25.scores["data"][a:b])
        assert np.array_equal(bm25.get_scores(tokens), want)


def test_the_lexical_memo_follows_a_swapped_config(corpus_app):
    import dataclasses

    cached = corpus_app.searcher
    searcher = HybridSearcher(cached.table, cached.lexical, cached.dense, cached.recognizer, cached.config)
    q = "kéo cáp quang về vùng sâu thì sao"
    lex, syns = searcher._lexical(q)  # noqa: SLF001
    searcher.config = dataclasses.replace(searcher.config, synonym_weight=0.0)
    off, none = searcher._lexical(q)  # noqa: SLF001
    assert none == [] and np.array_equal(off, searcher.lexical.scores(q))
    searcher.config = cached.config
    again, syns_again = searcher._lexical(q)  # noqa: SLF001
    assert np.array_equal(again, lex) and syns_again == syns


# -- fast10 (issue 13): the learned stage's inputs and the per-question file read ----------
def _plain_matrix(rows, sig, prof, chunks, scope, signature, subject_lead, answering=frozenset()):
    """features.matrix as written before fast10 (every column filled on every call)."""
    from retrieval import features

    n = len(rows)
    X = np.zeros((n, len(features.NAMES)), dtype=np.float64)
    if not n:
        return X
    q = sig.terms
    idx = np.array(rows)
    top = max(sig.fused[i] for i in rows) or 1.0
    best_lex = float(sig.lexical.max()) if sig.lexical.size else 0.0
    X[:, 0] = 1.0
    X[:, 1] = [sig.fused[i] / top for i in rows]
    X[:, 2] = 1.0 / np.arange(1, n + 1)
    X[:, 3] = [1.0 / sig.lexical_ranks[i] if i in sig.lexical_ranks else 0.0 for i in rows]
    X[:, 4] = sig.lexical[idx] / best_lex if best_lex > 0 else 0.0
    X[:, 5] = [1.0 / sig.dense_ranks[i] if i in sig.dense_ranks else 0.0 for i in rows]
    X[:, 6] = prof.shares("all", rows, q.weights)
    X[:, 7] = prof.shares("text", rows, q.weights)
    X[:, 8] = prof.shares("crumb", rows, q.weights)
    X[:, 9] = prof.shares("parent", rows, q.weights)
    if sig.listing:
        X[:, 10] = prof.shares("items", rows, q.weights)
    X[:, 11] = prof.shares("all", rows, q.pairs) if q.pairs.any() else X[:, 6]
    X[:, 12] = prof.shares("all", rows, q.marked) if q.marked.any() else X[:, 6]
    for r, i in enumerate(rows):
        if i in answering:
            X[r, 6:13] = 1.0
    X[:, 13] = sig.prior[idx]
    X[:, 14] = np.log1p(prof.n_tokens[idx])
    X[:, 15] = [chunks[i].kind == "title" for i in rows]
    X[:, 16] = [bool(chunks[i].boilerplate) for i in rows]
    X[:, 17] = [chunks[i].kind == "row" for i in rows]
    X[:, 18] = prof.has_items[idx]
    X[:, 19] = sig.listing and prof.has_items[idx]
    X[:, 20] = X[:, 15] * sig.metadata
    X[:, 21] = [sig.signer and i in signature for i in rows]
    X[:, 22] = [i in subject_lead for i in rows]
    if sig.years:
        X[:, 23] = [bool(sig.years & scope[i]) for i in rows]
        X[:, 24] = [bool(scope[i]) and not sig.years & scope[i] for i in rows]
        X[:, 25] = [any(y in chunks[i].text for y in sig.years) for i in rows]
    if q.rare.any():
        X[:, 26] = prof.shares("all", rows, q.rare)
    X[:, 27] = [len(q.numbers & prof.numbers[i]) / len(q.numbers) for i in rows] if q.numbers else 1.0
    X[:, 28] = [len(q.numbers & prof.heading_numbers[i]) / len(q.numbers) for i in rows] if q.numbers else 1.0
    X[:, 29] = prof.shares("lead", rows, q.weights)
    if sig.synonyms is not None and sig.synonyms.any():
        X[:, 30] = prof.shares("all", rows, sig.synonyms)
    if sig.stated:
        X[:, 31] = [i in sig.stated for i in rows]
    if sig.units:
        X[:, 32] = [features.named_share(prof.item_leads[i], sig.units) for i in rows]
    return X


def test_learned_features_are_the_plain_columns_to_the_bit(corpus_app, monkeypatch):
    """Every feature matrix the searches of many questions build (listing, signer, years,
    numbers, counts, synonyms among them) equals the plain column-by-column code."""
    import copy

    from eval.dataset import load_questions
    from retrieval import features

    cached = corpus_app.searcher
    searcher = HybridSearcher(cached.table, cached.lexical, cached.dense, cached.recognizer, cached.config)
    built = features.matrix
    seen: list[tuple] = []

    def spy(rows, sig, *rest, **kw):
        X = built(rows, sig, *rest, **kw)
        frozen = copy.copy(sig)
        frozen.fused = dict(sig.fused)  # the caller rescores its dict afterwards
        seen.append((rows, frozen, rest, kw, X.copy()))
        return X

    monkeypatch.setattr(features, "matrix", spy)
    extra = ["Ai ký Nghị quyết 57?", "Kế hoạch 01 có mấy hệ thống chiến lược?", "Nghị quyết 57 gồm những nhiệm vụ nào?"]
    for q in QUESTIONS + extra + [q.question for q in load_questions()[:150]]:
        searcher.search(q)
    assert len(seen) > 150
    kinds = {"listing": False, "signer": False, "years": False, "numbers": False, "units": False, "synonyms": False}
    for rows, sig, rest, kw, X in seen:
        assert np.array_equal(X, _plain_matrix(rows, sig, searcher.profiles, *rest[1:], **kw))
        kinds["listing"] |= sig.listing
        kinds["signer"] |= sig.signer
        kinds["years"] |= bool(sig.years)
        kinds["numbers"] |= bool(sig.terms.numbers)
        kinds["units"] |= bool(sig.units)
        kinds["synonyms"] |= sig.synonyms is not None
    assert all(kinds.values()), kinds  # every optional column was exercised


def test_ragged_rows_are_each_rows_value_kept_once(corpus_app):
    prof = corpus_app.searcher.profiles
    rows = [5, 0, 5, len(prof) - 1, 3]
    for ragged in (prof.numbers, prof.heading_numbers, prof.item_leads):
        want = [ragged[i] for i in rows]
        assert ragged.rows(rows) == want
        again = ragged.rows(rows)
        assert again == want and all(a is b for a, b in zip(again, ragged.rows(rows)))
        assert ragged == list(ragged)  # the memo is no part of what the rows are


def test_the_searchers_document_ids_are_the_array_as_a_list(corpus_app):
    searcher = corpus_app.searcher
    assert searcher._doc_ids == searcher._doc_of.tolist()  # noqa: SLF001
    assert searcher._doc_ids == [c.doc_id for c in searcher.table.chunks]  # noqa: SLF001


def test_query_terms_held_flags_over_many_questions(corpus_app):
    from eval.dataset import load_questions
    from retrieval import features

    lexical, vocab = corpus_app.searcher.lexical, corpus_app.searcher.profiles.vocab
    for q in QUESTIONS + [q.question for q in load_questions()[:300]] + ["", "và của", "xyzzy quux"]:
        terms = features.QueryTerms.of(lexical.analyzer.tokens(q, query=True), lexical.idf, vocab)
        assert terms.held() == tuple(features.QueryTerms.has(v) for v in (terms.pairs, terms.marked, terms.rare)), q


def test_current_generation_name_is_read_again_only_when_the_pointer_changed(tmp_path, monkeypatch):
    from pathlib import Path

    from retrieval import index as index_module
    from retrieval.index import IndexDir

    index = IndexDir(tmp_path / "index")
    index.root.mkdir()
    assert index.current_name() is None
    index_module._write_atomic(index.current_file, "gen-a")  # noqa: SLF001
    reads: list[Path] = []
    read_text = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: reads.append(self) or read_text(self, *a, **k))
    assert index.current_name() == "gen-a" and index.current_name() == "gen-a"
    assert len(reads) == 2  # written just now: read every time (a timestamp's grain)
    old = 1_000_000_000
    os.utime(index.current_file, ns=(old, old))
    assert [index.current_name() for _ in range(3)] == ["gen-a"] * 3
    assert len(reads) == 3  # settled: read once, then its stat stands for it
    index_module._write_atomic(index.current_file, "gen-b")  # noqa: SLF001 (a publish: a new file)
    os.utime(index.current_file, ns=(old, old))
    assert index.current_name() == "gen-b" and len(reads) == 4
    index.current_file.write_text("gen-c", "utf-8")  # rewritten in place, same size: just now
    assert index.current_name() == "gen-c"
    index.current_file.unlink()
    assert index.current_name() is None
