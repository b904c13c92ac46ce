"""Twins: clauses that state the same thing twice, so that either may be the one a reader
cites — a plan's item and its appendix entry ("Sáng kiến 14: …" in Mục II and again in
Phụ lục I), a target a plan restates word for word from its resolution ("Quy mô kinh tế
số đạt tối thiểu 30% GDP" in Kế hoạch 01 and inside a longer point of Nghị quyết 57).

Two clauses are twins when they hold the same figures (all of the shorter one's: "30%
GDP" is no twin of "50% GDP") and either open with the same words (list markers aside)
and share most of the shorter one's words, or the shorter one — a full statement, not a
heading — stands almost whole inside the other. Computed once per index, from the text,
by the ingest that writes it (kept beside the generations: retrieval/derived.py), so that
a searcher over a million clauses does not compare them at every start (issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .types import Chunk

_WORD = re.compile(r"\w+")


def twins_of(chunks: Sequence[Chunk]) -> dict[int, list[int]]:
    """``find_twins`` over the chunks' folded openings (list markers aside) and word sets."""
    from .features import LIST_MARK
    from .text import fold

    leads = [fold(LIST_MARK.sub("", c.text[:120])) for c in chunks]
    words = [frozenset(_WORD.findall(fold(c.text))) for c in chunks]
    return find_twins(chunks, leads, words)


def clause_twins(table) -> dict[int, list[int]]:
    """The twins of a generation's chunk table (a ``ChunkTable``), computed by the first
    process that asks (the ingest) and read back by the next ones."""
    import sys

    from . import derived, features, text

    inputs = [repr((c.id, c.doc_id, c.parent_id, c.path, c.kind, c.boilerplate, c.text)) for c in table.chunks]
    key = derived.key_of(inputs, [sys.modules[__name__], features, text])
    return derived.cached(derived.folder_of(table.generation), "twins", key, lambda: twins_of(table.chunks))


def find_twins(
    chunks: Sequence[Chunk],
    leads: Sequence[str],
    words: Sequence[frozenset[str]],
    lead_words: int = 8,
    shared: float = 0.6,
    inside: float = 0.9,
    statement_words: int = 8,
) -> dict[int, list[int]]:
    """Row -> its twins' rows. ``leads`` are the folded openings of the texts without their
    list markers, ``words`` the folded word sets of the texts."""
    twins: dict[int, list[int]] = {}

    def add(i: int, j: int) -> None:
        if j not in twins.setdefault(i, []):
            twins[i].append(j)
        if i not in twins.setdefault(j, []):
            twins[j].append(i)

    eligible = [not c.boilerplate and c.kind != "title" for c in chunks]
    by_lead: dict[tuple[str, ...], list[int]] = {}
    for i, lead in enumerate(leads):
        opening = _WORD.findall(lead)
        if len(opening) >= lead_words and eligible[i]:
            by_lead.setdefault(tuple(opening[:lead_words]), []).append(i)
    for rows in by_lead.values():
        for a, i in enumerate(rows):
            for j in rows[a + 1 :]:
                if _related(chunks[i], chunks[j]):
                    continue
                small, big = sorted((words[i], words[j]), key=len)
                if len(small & big) >= shared * len(small) and _figures(small) <= big:
                    add(i, j)
    # a whole statement inside another clause: look only at clauses sharing its rarest word
    holders: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        if eligible[i]:
            for w in ws:
                holders.setdefault(w, []).append(i)
    for i, ws in enumerate(words):
        if not eligible[i] or len(ws) < statement_words or chunks[i].kind in ("row", "table"):
            continue
        rarest = min(ws, key=lambda w: len(holders.get(w, ())))
        for j in holders.get(rarest, ()):
            if j != i and len(words[j]) > len(ws) and not _related(chunks[i], chunks[j]):
                if len(ws & words[j]) >= inside * len(ws) and _figures(ws) <= words[j]:
                    add(i, j)
    return twins


def _figures(ws: frozenset[str]) -> set[str]:
    return {w for w in ws if w.isdigit()}


def _related(a: Chunk, b: Chunk) -> bool:
    """Siblings, or one stands under the other: the same list, not a restatement."""
    return (
        a.parent_id == b.parent_id
        or b.id == a.parent_id
        or a.id == b.parent_id
        or (a.doc_id == b.doc_id and (a.path.startswith(b.path + ".") or b.path.startswith(a.path + ".")))
    )
