"""Issue 13: count_statements reads only the clauses where a number stands before the
counted word (an index built once) and finds exactly the rows the plain scan of every
clause finds. No timing is asserted."""

from __future__ import annotations

import re

from retrieval.text import fold

QUERIES = [
    "Kế hoạch chia ra mấy hệ thống chiến lược?",
    "Nghị quyết 57 có bao nhiêu sáng kiến?",
    "có mấy nhóm nhiệm vụ và bao nhiêu giải pháp",
    "bao nhiêu tầng cấp độ",
    "gồm mấy mục tiêu",
]


def _plain(searcher, units):
    pattern = re.compile(r"(?<![\w.,])0*\d{1,3}\s+(?:" + "|".join(re.escape(u) for u in units) + r")(?!\w)")
    chunks = searcher.table.chunks
    return [
        i
        for i, c in enumerate(chunks)
        if not c.boilerplate and any(u in (t := fold(c.text)) for u in units) and pattern.search(t)
    ]


def test_count_statements_read_the_rows_the_plain_scan_reads(corpus_app):
    searcher = corpus_app.searcher
    asked = [searcher.count_units(q) for q in QUERIES]
    assert all(asked) and any(searcher.count_statements(q) for q in QUERIES)
    # every word a count stands before in the corpus, alone and with the word after it
    texts = [fold(c.text) for c in searcher.table.chunks]
    after = re.compile(r"(?<![\w.,])0*\d{1,3}\s+(\w+(?:\s+\w+)?)")
    phrases = sorted({m.group(1) for t in texts for m in after.finditer(t)})
    units = [*asked, *((p,) for p in phrases), *((p.split()[0],) for p in phrases), ("-x", "he thong"), ("e-gov",)]
    found = 0
    for u in units:
        want = _plain(searcher, u)
        assert searcher._stating_rows(u) == want, u  # noqa: SLF001
        found += bool(want)
    assert found > 50
