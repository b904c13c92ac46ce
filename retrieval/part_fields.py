"""A field of a numbered part: "Mục tiêu cụ thể của Sáng kiến 7 là gì?", "nội dung của
sáng kiến 4 gồm những gì" ask for the item of "7. Sáng kiến 7: …" that opens with its label
("- Mục tiêu: …", "- Nội dung: …"), read from the document tree alone: the part is the clause
whose line opens with "<unit> <n>" (the units a list's items open with, query.toml
positional_units), the field the item whose label the question says."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .regex_cache import compiled
from .rules import RuleSet
from .store import ChunkTable
from .types import Chunk

# an item's label: a few words before a colon ("mục tiêu:", "- cơ quan chủ trì:"), folded
_LABEL = re.compile(r"^\W*([a-z][a-z ]{1,40}?)\s*:")


def says_label(folded_item: str, folded_question: str) -> bool:
    """The folded item opens with a label ("- Mục tiêu: …") that the folded question says."""
    label = _LABEL.match(folded_item)
    return (
        label is not None and compiled(rf"(?<!\w){re.escape(label.group(1))}(?!\w)").search(folded_question) is not None
    )


def part_fields(
    table: ChunkTable,
    leads: Sequence[str],
    rows: Mapping[str, int],
    folded: str,
    rules: RuleSet,
    docs: Sequence[str] = (),
) -> list[Chunk]:
    """The items of the parts the folded question names whose label it says (leads: each
    row's folded opening, its list mark dropped); several when it names several parts or
    labels (the caller then leaves the ranking alone)."""
    out: dict[str, Chunk] = {}
    for m in rules.pattern("numbered_item").finditer(folded):
        own = compiled(rf"^{re.escape(m.group('unit'))}\s+0*{m.group('n')}(?![\w/.,-])")
        for row, chunk in enumerate(table.chunks):
            if (docs and chunk.doc_id not in docs) or not own.match(leads[row]):
                continue
            for kid in table.children.get(chunk.id, []):
                if says_label(leads[rows[kid.id]], folded):
                    out[kid.id] = kid
    return list(out.values())
