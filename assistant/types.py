"""Plain data returned by the public API (the JSON contract of `troly ask --json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrieval.catalog import AUTHORITIES, AUTHORITY_LABELS, authority_label
from retrieval.types import Chunk, DocumentInfo, Hit

if TYPE_CHECKING:
    from .citations import CheckedAnswer

__all__ = [
    "AUTHORITIES",
    "AUTHORITY_LABELS",
    "Answer",
    "Chunk",
    "Citation",
    "Context",
    "DocumentInfo",
    "Hit",
    "Message",
    "authority_label",
]


@dataclass
class Citation:
    """What an answer's [marker] points to: one chunk and the exact quoted span."""

    marker: int
    chunk_id: str
    doc_id: str
    doc_short: str
    clause: str
    label: str
    quote: str  # exact substring of text
    text: str  # the chunk's full text
    authority: str = "official"
    quote_start: int = 0  # offset of quote inside text

    def to_json(self) -> dict[str, Any]:
        return {
            "marker": self.marker,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "doc_short": self.doc_short,
            "clause": self.clause,
            "label": self.label,
            "quote": self.quote,
            "text": self.text,
        }


@dataclass
class Context:
    """A retrieved clause, as ranked."""

    chunk_id: str
    doc_id: str
    doc_short: str
    clause: str
    label: str
    text: str
    score: float
    authority: str = "official"

    @classmethod
    def from_hit(cls, hit: Hit) -> Context:
        c = hit.chunk
        return cls(c.id, c.doc_id, c.doc_short, c.path, c.label, c.text, round(float(hit.score), 6), c.authority)

    def to_json(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "doc_short": self.doc_short,
            "clause": self.clause,
            "label": self.label,
            "text": self.text,
            "score": self.score,
        }


@dataclass
class Message:
    """One turn of a conversation."""

    role: str  # "user" | "assistant"
    content: str


@dataclass
class Answer:
    """An answer whose every sentence carries [n] markers pointing to citations."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    backend: dict[str, str] = field(default_factory=dict)  # {"embedder": ..., "generator": ...}
    timings_ms: dict[str, float] = field(default_factory=dict)  # {"retrieve", "generate", "total"}
    notice: str = ""  # e.g. the LLM failed and the extractive answer is shown instead
    checked: CheckedAnswer | None = field(default=None, repr=False)  # per-sentence support; None when not checked

    def to_json(self) -> dict[str, Any]:
        """Exactly the fields of the contract in DESIGN.md, in order."""
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "contexts": [c.to_json() for c in self.contexts],
            "backend": {"embedder": self.backend.get("embedder", ""), "generator": self.backend.get("generator", "")},
            "timings_ms": {k: round(float(self.timings_ms.get(k, 0.0)), 2) for k in ("retrieve", "generate", "total")},
        }
