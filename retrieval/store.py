"""Read access to the live index generation: chunks by id, by document, by path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import IndexCorruptError
from .index import MANIFEST, TEXTS, IndexDir, Manifest, index_unavailable, read_chunks
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
        self._by_doc: dict[str, list[Chunk]] = {}  # perf (issue 13): of_document without a scan of every chunk
        for c in self.chunks:
            if c.parent_id:
                self.children.setdefault(c.parent_id, []).append(c)
            self._by_doc.setdefault(c.doc_id, []).append(c)

    @classmethod
    def open(cls, index: IndexDir) -> ChunkTable:
        """The live generation's table (read without a lease: for one-off reads and tests)."""
        return cls.at(index.require_current())

    @classmethod
    def at(cls, gen: Path) -> ChunkTable:
        """The table of one generation folder."""
        try:
            return cls(gen, Manifest.read(gen / MANIFEST), read_chunks(gen))
        except OSError as exc:
            raise index_unavailable(gen.parent, exc) from None

    def document_text(self, doc_id: str) -> str:
        """The normalized text every chunk of the document is a substring of."""
        try:
            return (self.generation / TEXTS / f"{doc_id}.txt").read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise IndexCorruptError(
                f"không đọc được văn bản {doc_id} trong chỉ mục ({type(exc).__name__}); hãy chạy `troly ingest`"
            ) from None

    def of_document(self, doc_id: str) -> list[Chunk]:
        return list(self._by_doc.get(doc_id, ()))

    def at_path(self, doc_id: str, path: str) -> list[Chunk]:
        """The chunk(s) of a clause: its parts and, with its descendants, the whole clause."""
        path = path.strip().strip(".")
        return [c for c in self._by_doc.get(doc_id, ()) if c.path == path or c.path.startswith(path + ".")]
