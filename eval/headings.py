"""The heading lines above a cited clause, for the offline judge.

An answer's lead line names its source and often the heading the clause stands under
("Theo Nghị quyết 57-NQ/TW, Mục II, điểm 2 (Tầm nhìn đến năm 2045):"). What that line
says is checked against the document tree, never against the answerer's own reading:
with an index, a chunk's breadcrumb (the headings of the clauses above it), the first
lines of its parent chunks, its table context and its own first line when it is a
heading. Without an index (``troly eval --score``) there is no tree: the clauses an
answer carries lack most headings above them, so lead lines' labels alone are checked.

Only the index's data is read (the chunk table's fields), no code of retrieval/.
"""

from __future__ import annotations

from collections.abc import Callable

Headings = Callable[[object], list[str]]  # a citation → its heading lines, nearest last

MAX_HEADING = 160  # a first line longer than this is body text, not a heading


def first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= MAX_HEADING else ""


def table_headings(table) -> Headings:
    """Heading lines of a cited clause from an index's chunk table (retrieval.store.ChunkTable)."""
    cache: dict[str, list[str]] = {}

    def headings(cit) -> list[str]:
        key = cit.chunk_id
        if key in cache:
            return cache[key]
        ch = table.by_id.get(key)
        if ch is None:
            out = [first_line(cit.text)]
        else:
            parents: list[str] = []
            p = table.by_id.get(ch.parent_id) if ch.parent_id else None
            while p is not None and len(parents) < 8:
                parents.append(first_line(p.text))
                p = table.by_id.get(p.parent_id) if p.parent_id else None
            out = [*ch.breadcrumb, *reversed(parents), ch.context, first_line(ch.text)]
        cache[key] = [h for h in dict.fromkeys(out) if h]
        return cache[key]

    return headings
