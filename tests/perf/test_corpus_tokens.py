"""issue 13 (scale): the ingest's one-pass analysis (retrieval/corpus_tokens.py), the BM25
matrix built from its ids (retrieval/bm25_build.py) and the profiles built from them
(retrieval/profile_build.py) give what the plain code gives, to the element. No timing."""

from __future__ import annotations

import dataclasses

import bm25s
import numpy as np

from retrieval import features
from retrieval.corpus_tokens import TokenIds
from retrieval.lexical import Analyzer, LexicalIndex, _Numbering

ODD = [
    "",
    "   ",
    "Điều 1. Phạm vi điều chỉnh",
    "KH,CN&ĐMST và CĐS: đẩy mạnh R&D, AI cho DN",
    "ai là người ký? AI",
    "Cafe\u0301 and x\u0301y: marks",  # one that composes, one that stays (analyzed whole)
    "năm 2030 đạt 30% GDP, 007 và 0",
    "snake_case tên_biến và a_b",
    "và của về",  # stop words only
]


def _plain_tokens(analyzer: Analyzer, texts: list[tuple[str, ...]]) -> list[list[str]]:
    return [analyzer.tokens("\n".join(parts)) for parts in texts]


def _parts(chunks) -> list[tuple[str, ...]]:
    return [(" › ".join(c.breadcrumb), c.context, c.text) for c in chunks]


def test_token_ids_are_the_analyzers_tokens_in_order(corpus_app):
    analyzer = corpus_app.searcher.lexical.analyzer
    chunks = corpus_app.table.chunks
    texts = _parts(chunks) + [(t,) for t in ODD] + [(a, b) for a in ODD[:4] for b in ODD]
    fresh = Analyzer.from_json(analyzer.to_json())
    tokenizer = TokenIds(fresh)
    flat, indptr = tokenizer.texts(texts)
    got = [[tokenizer.strings[j] for j in flat[indptr[i] : indptr[i + 1]].tolist()] for i in range(len(texts))]
    assert got == _plain_tokens(analyzer, texts)
    # the parts joined are the clause's embedding_text (what the ingest indexed before)
    assert ["\n".join(p for p in parts if p) for parts in _parts(chunks)] == [c.embedding_text() for c in chunks]


def test_token_ids_in_small_batches_are_the_same(corpus_app):
    analyzer = corpus_app.searcher.lexical.analyzer
    texts = _parts(corpus_app.table.chunks[:300]) + [(t,) for t in ODD]
    whole = TokenIds(Analyzer.from_json(analyzer.to_json()))
    flat, indptr = whole.texts(texts)
    small = TokenIds(Analyzer.from_json(analyzer.to_json()))
    got = [(f.copy(), n.copy()) for f, n in small.batches(texts, size=7)]
    assert len(got) == -(-len(texts) // 7)
    tokens = [small.strings[j] for f, _ in got for j in f.tolist()]
    assert tokens == [whole.strings[j] for j in flat.tolist()]
    assert np.concatenate([n for _, n in got]).tolist() == np.diff(indptr).tolist()


def test_a_subclass_of_the_analyzer_is_asked_for_its_own_tokens():
    class Shouting(Analyzer):
        def tokens(self, text: str, query: bool = False) -> list[str]:
            return [t.upper() for t in super().tokens(text, query)]

    tokenizer = TokenIds(Shouting())
    flat, indptr = tokenizer.texts([("a b", "c"), ("Điều 1",)])
    assert [tokenizer.strings[j] for j in flat.tolist()] == Shouting().tokens("a b\nc") + Shouting().tokens("Điều 1")


def _bm25s_index(analyzer: Analyzer, texts: list[tuple[str, ...]]):
    numbering = _Numbering()
    ids = [list(map(numbering.__getitem__, t or ["∅"])) for t in _plain_tokens(analyzer, texts)]
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    bm25.index((ids, dict(numbering)), show_progress=False)
    return bm25


def test_bm25_matrix_is_bm25s_own_to_the_bit(corpus_app):
    analyzer = corpus_app.searcher.lexical.analyzer
    texts = _parts(corpus_app.table.chunks) + [(t,) for t in ODD]
    want = _bm25s_index(analyzer, texts)
    got = LexicalIndex.build_parts(texts, Analyzer.from_json(analyzer.to_json()))
    for name in ("data", "indices", "indptr"):
        a, b = want.scores[name], got.bm25.scores[name]
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name
    assert want.scores["num_docs"] == got.bm25.scores["num_docs"]
    assert list(want.vocab_dict.items()) == list(got.bm25.vocab_dict.items())  # the same ids, in order
    query = analyzer.tokens("quy mô kinh tế số 30% GDP năm 2030", query=True)
    kept = [t for t in query if t in want.vocab_dict]
    assert want.get_scores(kept).tobytes() == got.bm25.get_scores(kept).tobytes()


def test_bm25_matrix_built_in_small_batches_is_bm25s_own(corpus_app):
    from retrieval.bm25_build import index_of

    analyzer = corpus_app.searcher.lexical.analyzer
    texts = [(t,) for t in ODD] + _parts(corpus_app.table.chunks[:400]) + [("",), ("và",)]
    want = _bm25s_index(analyzer, texts)
    tokenizer = TokenIds(Analyzer.from_json(analyzer.to_json()))
    scores, vocab = index_of(tokenizer.batches(texts, size=37), tokenizer.strings, tokenizer.token)
    for name in ("data", "indices", "indptr"):
        assert want.scores[name].tobytes() == scores[name].tobytes(), name
    vocab[""] = len(vocab)  # (bm25s's empty token, added after)
    assert list(want.vocab_dict.items()) == list(vocab.items())


def test_bm25_of_texts_without_tokens_holds_the_empty_token():
    analyzer = Analyzer()
    texts = [("",), ("và",), ("Điều 1 mục tiêu",), ("  ",)]
    want = _bm25s_index(analyzer, texts)
    got = LexicalIndex.build_parts(texts, Analyzer())
    assert list(want.vocab_dict.items()) == list(got.bm25.vocab_dict.items())
    for name in ("data", "indices", "indptr"):
        assert want.scores[name].tobytes() == got.bm25.scores[name].tobytes()


def _plain_profiles(table, analyzer):
    return features.Profiles(
        table.chunks, table.children, table.by_id, lambda t, query=False: analyzer.tokens(t, query)
    )


def _same_profiles(a, b) -> None:
    assert a.vocab.terms.dtype == b.vocab.terms.dtype and np.array_equal(a.vocab.terms, b.vocab.terms)
    for f in features.FIELDS:
        for x, y in zip(a.packed[f], b.packed[f]):
            assert x.dtype == y.dtype and np.array_equal(x, y), f
    for name in ("n_tokens", "has_items"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    for name in ("numbers", "heading_numbers", "item_leads"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.values.dtype == y.values.dtype and np.array_equal(x.values, y.values), name
        assert np.array_equal(x.indptr, y.indptr) and x.as_set == y.as_set


def test_profiles_from_token_ids_are_the_term_by_term_profiles(corpus_app):
    from retrieval.profile_build import fast_profile

    table = corpus_app.table
    analyzer = corpus_app.searcher.lexical.analyzer
    fresh = Analyzer.from_json(analyzer.to_json())
    assert fast_profile(table.chunks, table.children, table.by_id, fresh.tokens) is not None  # the fast way taken
    _same_profiles(
        _plain_profiles(table, analyzer), features.Profiles(table.chunks, table.children, table.by_id, fresh.tokens)
    )


def test_profiles_packed_in_small_batches_are_the_term_by_term_profiles(corpus_app, monkeypatch):
    from retrieval import profile_build

    monkeypatch.setattr(profile_build, "ROWS", 33)
    monkeypatch.setattr(profile_build._packed_rows, "__defaults__", (33,))  # noqa: SLF001
    test_profiles_from_token_ids_are_the_term_by_term_profiles(corpus_app)


def test_profiles_of_odd_clauses_are_the_term_by_term_profiles(corpus_app):
    from retrieval.store import ChunkTable

    live = corpus_app.table
    base = live.chunks[:60]
    odd = [
        dataclasses.replace(c, id=f"{c.id}#odd{k}", text=text, context=ODD[(k + 3) % len(ODD)] if k % 2 else "")
        for k, (c, text) in enumerate(zip(base, ODD * 7))
    ]
    table = ChunkTable(live.generation, live.manifest, base + odd)
    analyzer = corpus_app.searcher.lexical.analyzer
    _same_profiles(
        _plain_profiles(table, analyzer),
        features.Profiles(table.chunks, table.children, table.by_id, Analyzer.from_json(analyzer.to_json()).tokens),
    )


def test_strings_numbered_at_once_get_the_ids_one_at_a_time_gives(corpus_app):
    analyzer = corpus_app.searcher.lexical.analyzer
    batches = [["a_b", "c_d"], ["e_f", "a_b"], ["g_h", "g_h", "i_j"], ["k_l"]]  # fresh, known, repeated
    one, many = TokenIds(analyzer), TokenIds(analyzer)
    for tokens in (one, many):
        tokens.token("c_d")
    for batch in batches:
        want = [one.token(t) for t in batch]
        assert many._tokens_of(batch).tolist() == want  # noqa: SLF001
    assert many.strings == one.strings and many.ids == one.ids
