"""Issue 13 (scale): what a question leaves in memory is bounded by bytes, and the
corpus-wide scans that answer one question read only what can change their answer. On the
real documents they give what the plain scans give. No timing is asserted."""

from __future__ import annotations

from assistant import intent
from assistant.abstention import signed_documents
from assistant.evidence import is_signature
from retrieval import search
from retrieval.text import fold


def _signed_plain(chunks):
    return frozenset(
        c.doc_id
        for c in chunks
        if c.id.partition(":")[2].startswith("ky.") or intent.SIGNED.search(fold(c.text)) or is_signature(c.text)
    )


def test_signed_documents_is_the_scan(corpus_app):
    chunks = corpus_app.searcher.table.chunks
    signed = signed_documents(chunks)
    assert signed == _signed_plain(chunks)
    assert signed  # the corpus's decisions carry their signature
    # any order of the chunks gives the same documents (only membership is asked)
    assert signed_documents(chunks[::-1]) == signed


def test_terms_memo_bounded_by_bytes(corpus_app):
    searcher = corpus_app.searcher
    questions = ["thời hạn nộp hồ sơ", "ai ký quyết định", "mức hỗ trợ bao nhiêu", "đối tượng áp dụng"]
    got = [searcher._query_terms(searcher.lexical.analyzer.tokens(q, query=True)) for q in questions]  # noqa: SLF001
    again = [searcher._query_terms(searcher.lexical.analyzer.tokens(q, query=True)) for q in questions]  # noqa: SLF001
    assert all(a is b for a, b in zip(got, again))  # remembered within a question's few searches
    memo = searcher.__dict__["_terms_memo"]
    entry = 4 * 8 * (len(searcher.profiles.vocab) + 1)
    assert got[0].weights.nbytes * 4 == entry
    assert 4 <= memo.limit <= max(4, search.TERMS_MEMO_BYTES // entry)
    assert memo.limit * entry <= max(4 * entry, search.TERMS_MEMO_BYTES)
