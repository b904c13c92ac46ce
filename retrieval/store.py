"""Read access to the live index generation: chunks by id, by document, by path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .index import TEXTS, IndexDir, Manifest, read_chunks
from .types import Chunk


@dataclass
class ChunkTable:
    """All chunks of one generation, with the lookups the upper layers need."""

    generation: Path
    manifest: Manifest
    chunks: list[Chunk]

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.chunks}
        self.children: dict[str, list[Chunk]] = {}
        for c in self.chunks:
            if c.parent_id:
                self.children.setdefault(c.parent_id, []).append(c)

    @classmethod
    def open(cls, index: IndexDir) -> ChunkTable:
        gen = index.require_current()
        return cls(gen, Manifest.read(gen / "manifest.json"), read_chunks(gen))

    def document_text(self, doc_id: str) -> str:
        """The normalized text every chunk of the document is a substring of."""
        return (self.generation / TEXTS / f"{doc_id}.txt").read_text("utf-8")

    def of_document(self, doc_id: str) -> list[Chunk]:
        return [c for c in self.chunks if c.doc_id == doc_id]

    def at_path(self, doc_id: str, path: str) -> list[Chunk]:
        """The chunk(s) of a clause: its parts and, with its descendants, the whole clause."""
        path = path.strip().strip(".")
        return [c for c in self.chunks if c.doc_id == doc_id and (c.path == path or c.path.startswith(path + "."))]

