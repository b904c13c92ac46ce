"""Issue 13 (scale): the corpus-wide counts the first questions read (the word pairs, the
readings of syllables typed without marks, the runs of words, the signed documents, the
counted words, the facets of the rows) are kept beside the generation by the first
process that computes them and read back by the next ones; what is read back is what a
fresh count over the real documents gives. The word pairs keep only what ``is_word`` can
read, with the same answers as the whole counts. No timing is asserted."""

from __future__ import annotations

import pytest

from assistant import abstention
from assistant.abstention import WordPairs, signed_documents, written_in, written_runs
from assistant.answering import _kept, _word_pairs
from retrieval import derived, facets
from retrieval.readings import Readings


def _texts(app):
    return [c.text for c in app.searcher.table.chunks]


def test_word_pairs_keep_what_is_word_reads(corpus_app):
    texts = _texts(corpus_app)
    whole = WordPairs(texts, floor=1)  # every pair kept
    kept = WordPairs(texts)
    assert kept.floor == min(abstention.PAIR_LEAST, abstention.ABOUT_LEAST)
    assert kept.total == whole.total
    assert 0 < len(kept.pairs[0]) < len(whole.pairs[0])  # the pairs written once are let go
    for i, folded in ((0, False), (1, True)):
        for a, b in whole.pairs[i]:
            for least in (None, abstention.ABOUT_LEAST, abstention.PAIR_LEAST):
                assert kept.is_word(a, b, folded, least) == whole.is_word(a, b, folded, least), (a, b, least)
    with pytest.raises(ValueError):
        kept.is_word("co", "ban", True, least=1)


def test_counts_read_back_are_the_fresh_counts(corpus_app):
    searcher = corpus_app.searcher
    table = searcher.table
    assert table.source_digest is not None  # read from the chunks file: its values are kept
    texts = _texts(corpus_app)
    fresh_pairs = WordPairs(texts)
    fresh_runs = written_runs(texts)
    fresh_signed = signed_documents(table.chunks)
    fresh_readings = Readings(texts)
    for _ in range(2):  # computed and kept, then read back from the file
        pairs = _word_pairs(table)
        assert (pairs.pairs, pairs.syllables, pairs.total) == (
            fresh_pairs.pairs,
            fresh_pairs.syllables,
            fresh_pairs.total,
        )
        assert _kept(table, "written", lambda: written_runs(texts)) == fresh_runs
        assert _kept(table, "signed", lambda: signed_documents(table.chunks), ("intent", "search")) == fresh_signed
        from retrieval import readings, text

        got = derived.of_table(table, "readings", [readings, text], lambda: Readings(texts))
        assert (got.uses, got.bound) == (fresh_readings.uses, fresh_readings.bound)
    kept_files = {p.name.split("-")[0] for p in derived.folder_of(table.generation).iterdir()}
    assert {"pairs", "written", "signed", "readings"} <= kept_files
    written = written_in(fresh_runs)
    assert written("nghị quyết") and not written("nghị quyết không có ở đâu cả")


def test_searcher_counts_are_the_scan(corpus_app):
    searcher = corpus_app.searcher
    chunks = searcher.table.chunks
    searcher.__dict__.pop("_counted", None)
    assert searcher._counted_words() == searcher._count_words()  # noqa: SLF001
    assert (searcher.facet_rows.facet, searcher.facet_rows.label) == facets.row_labels(chunks)


def test_count_statements_fold_only_rows_read(corpus_app):
    """The rows stating a count, found without every clause's text held folded, are those
    found over the folded list."""
    searcher = corpus_app.searcher
    questions = ["Kế hoạch có mấy hệ thống chiến lược?", "Có bao nhiêu nhiệm vụ trọng tâm?", "mấy sáng kiến"]
    units = [u for q in questions if (u := searcher.count_units(q))]
    assert units
    searcher._folded = None  # noqa: SLF001
    lazily = [searcher._stating_rows(u) for u in units]  # noqa: SLF001
    searcher._folded_texts()  # noqa: SLF001
    listed = [searcher._stating_rows(u) for u in units]  # noqa: SLF001
    assert lazily == listed
    assert any(lazily)


def test_counted_words_read_back_fold_no_clause(corpus_app):
    """Once kept, the counted words are read back without folding every clause's text (the
    list of folded texts is made only when a scan needs it)."""
    searcher = corpus_app.searcher
    searcher.__dict__.pop("_counted", None)
    expected = searcher._counted_words()  # noqa: SLF001 - computed, or read back, and kept
    searcher.__dict__.pop("_counted", None)
    searcher._folded, searcher._distinct_folded = None, None  # noqa: SLF001
    assert searcher._counted_words() == expected  # noqa: SLF001
    assert searcher._folded is None  # noqa: SLF001
