"""The analyzer's per-syllable fast path (issue 13, scale: an ingest tokenizes every
clause three times) gives the very tokens of the general path, in the same order, on
the corpus's texts and the evaluation questions, for index and query texts alike."""

from __future__ import annotations

from eval.dataset import load_questions
from retrieval.lexical import Analyzer


class _General(Analyzer):
    """The same analyzer held to the general path (the fast path runs only for the
    analyzer's own ``_syllable_tokens``)."""

    def _syllable_tokens(self, syllables, accented, folded=None):
        return super()._syllable_tokens(syllables, accented, folded)


def _pair(analyzer: Analyzer) -> tuple[Analyzer, Analyzer]:
    fast = Analyzer(analyzer.abbreviations, analyzer.stop_accented, analyzer.stop_folded, analyzer.bigrams)
    general = _General(analyzer.abbreviations, analyzer.stop_accented, analyzer.stop_folded, analyzer.bigrams)
    return fast, general


def test_fast_tokens_equal_the_general_path_on_the_corpus(corpus_app):
    fast, general = _pair(corpus_app.searcher.lexical.analyzer)
    texts = []
    for c in corpus_app.table.chunks:
        texts += [c.embedding_text(), c.text, " › ".join(c.breadcrumb)]
    assert len(texts) > 2000
    for text in texts:
        assert fast.tokens(text) == general.tokens(text), text[:80]
    assert fast._syllables  # noqa: SLF001 - the fast path did run


def test_fast_tokens_equal_the_general_path_on_questions_and_odd_texts(corpus_app):
    fast, general = _pair(corpus_app.searcher.lexical.analyzer)
    odd = [
        "KH,CN&ĐMST và R&D",
        "muc tieu KHCN",
        "AI và ai",
        "ĐỀ ÁN",
        "Σίσυφος ΣΑΣ",
        "İstanbul",
        "ngu\u0301 (decomposed)",
        "",
        "   ",
        "30% GDP; 5 năm",
        "cds CĐS Cđs",
        "x_y a__b",
    ]
    for text in [q.question for q in load_questions()] + odd:
        for query in (False, True):
            assert fast.tokens(text, query=query) == general.tokens(text, query=query), text
