"""Plain data passed between layers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class DocumentInfo:
    """One catalog entry."""

    id: str
    file: str
    short: str
    title: str
    issuer: str
    date: str
    kind: str
    authority: str  # official | secondary | commentary
    cite_as: str
    seed: str = ""
    aliases: tuple[str, ...] = ()
    implements: tuple[str, ...] = ()  # catalog ids of the documents it implements or rests on


@dataclass
class Chunk:
    """The smallest citable unit: a point, a clause, a table row, or part of a long one."""

    id: str
    doc_id: str
    doc_short: str
    path: str
    label: str
    kind: str
    text: str
    start: int
    end: int
    breadcrumb: list[str] = field(default_factory=list)
    page: int | None = None
    authority: str = "official"
    context: str = ""  # e.g. a table header carried with its row
    part: int = 0  # 1..n when a long clause was split, else 0
    parent_id: str = ""
    order: int = 0
    boilerplate: bool = False
    ocr: bool = False  # its text was read from a scanned page (its label says the page)

    def embedding_text(self) -> str:
        """What gets embedded and indexed: breadcrumb and context, then the text."""
        head = " › ".join(self.breadcrumb)
        parts = [p for p in (head, self.context, self.text) if p]
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    """A chunk found by a search, with its fused score and per-retriever ranks."""

    chunk: Chunk
    score: float
    ranks: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class Retriever(Protocol):
    """Ranked clauses for a query; docs (catalog ids) restricts the search to them."""

    def search(self, query: str, k: int = 8, docs: list[str] | None = None) -> list[Hit]: ...
