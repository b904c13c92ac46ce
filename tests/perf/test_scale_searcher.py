"""Issue 13 (scale): the searcher's per-unit scans read only what can match: the items
whose opening starts with a unit (``_series``, by the opening's first word) and each
distinct folded text once (``_written``); on the real documents they give what the scan
of every clause gives. No timing is asserted."""

from __future__ import annotations

import re

from retrieval.text import fold

UNITS = ["giai doan", "sang kien", "he thong", "nhiem vu", "muc tieu", "nhom", "diem", "khong co gi"]


def _series_plain(searcher, unit):
    by_parent: dict[str, list[int]] = {}
    for i, c in enumerate(searcher.table.chunks):
        if c.parent_id and searcher._lead[i].startswith(unit + " "):  # noqa: SLF001
            by_parent.setdefault(c.parent_id, []).append(i)
    order = searcher.table.chunks
    return [sorted(rows, key=lambda i: order[i].order) for rows in by_parent.values() if len(rows) >= 2]


def _written_plain(searcher, unit, n):
    written = re.compile(
        rf"(?:^|\n|\()\s*(?:[-+•–]\s*|\d{{1,2}}\.\s*)?{re.escape(unit)}\s+0*{n}(?![\w/.,-])", re.MULTILINE
    )
    return any(written.search(fold(c.text)) for c in searcher.table.chunks)


def test_series_and_written_are_the_scan(corpus_app):
    searcher = corpus_app.searcher
    leads = {" ".join(lead.split()[:k]) for lead in searcher._lead for k in (1, 2) if lead.split()}  # noqa: SLF001
    units = UNITS + sorted(leads)[:300]
    for unit in units:
        assert searcher._series(unit) == _series_plain(searcher, unit), unit  # noqa: SLF001
    for unit in UNITS:
        for n in (1, 2, 3, 4, 6, 30, 99):
            assert searcher._written(unit, n) == _written_plain(searcher, unit, n), (unit, n)  # noqa: SLF001
