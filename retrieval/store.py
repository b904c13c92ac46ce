"""Read access to the live index generation: chunks by id, by document, by path."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import derived
from .errors import IndexCorruptError
from .index import CHUNKS, MANIFEST, TEXTS, IndexDir, Manifest, index_unavailable
from .types import Chunk

_FIELDS = tuple(f.name for f in dataclasses.fields(Chunk))


@dataclass
class ChunkTable:
    """All chunks of one generation, with the lookups the upper layers need.
    ``source_digest``: a digest of the bytes of the chunks file the chunks were read from
    (or just written to), which then stands for the chunks in the keys of the values
    derived from them (retrieval/derived.py; perf, issue 13: hashing the chunks' fields
    cost a cold `troly ask` ~12 ms); None for chunks held only in memory."""

    generation: Path
    manifest: Manifest
    chunks: list[Chunk]
    source_digest: str | None = field(default=None, compare=False, repr=False)

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
            manifest = Manifest.read(gen / MANIFEST)
            data = (gen / CHUNKS).read_bytes()
        except OSError as exc:
            raise index_unavailable(gen.parent, exc) from None
        digest = chunks_file_digest(data)
        return cls(gen, manifest, _chunks_of(gen, data, digest), digest)

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


def chunks_file_digest(data: bytes) -> str:
    """The digest of a chunks file's bytes (``ChunkTable.source_digest``)."""
    return "jsonl-" + hashlib.sha256(data).hexdigest()[:24]


def _chunks_of(gen: Path, data: bytes, digest: str) -> list[Chunk]:
    """The chunks of a chunks file's bytes: from the rows kept for these bytes, else parsed
    (each line a chunk's fields, as ``index.read_chunks`` reads them) and kept."""
    folder = derived.folder_of(gen)
    rows = derived.kept_rows(folder, digest, _FIELDS)
    if rows is not None:
        try:
            return [Chunk(*row) for row in rows]
        except TypeError:  # rows of other fields: parsed below
            pass
    try:
        # (split at "\n" only, as a file is read by lines: a text may hold U+2028 unescaped)
        chunks = [Chunk(**json.loads(line)) for line in data.decode("utf-8").split("\n") if line.strip()]
    except (ValueError, TypeError) as exc:
        raise IndexCorruptError(
            f"chỉ mục hỏng ({CHUNKS}: {type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
        ) from None
    derived.keep_rows(folder, digest, _FIELDS, [tuple(vars(c)[n] for n in _FIELDS) for c in chunks])
    return chunks
