"""The on-disk index: generations of (Chroma collection + chunk table + manifest).

``<index>/CURRENT`` names the live generation folder. An ingest writes a new generation
beside it (a copy of the live one, changed incrementally) and only then swaps CURRENT with
an atomic rename, so a reader never sees a half-built index and an ingest killed halfway
leaves the previous one fully usable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import IndexMismatchError, IndexMissingError
from .types import Chunk

MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
CHROMA_DIR = "chroma"
LEXICAL = "lexical"  # the bm25s index and its analyzer
TEXTS = "texts"  # normalized text of each document, <doc_id>.txt
COLLECTION = "troly-chunks"
FORMAT_VERSION = 2  # bump when the generation layout changes


@dataclass
class Manifest:
    """What a generation holds: which embedder built it and which file versions."""

    embedder: str
    embedder_version: str
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_id -> {file, sha256, chunks}
    created: float = 0.0
    format: int = FORMAT_VERSION

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text("utf-8")))

    def write(self, path: Path) -> None:
        _write_atomic(path, json.dumps(self.__dict__, ensure_ascii=False, indent=1))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{uuid.uuid4().hex[:8]}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def chroma_client(path: Path):
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=chromadb.Settings(anonymized_telemetry=False))


def vector_store(path: Path, embedder):
    """The langchain-chroma store of one generation (collection created if missing)."""
    from langchain_chroma import Chroma

    return Chroma(
        collection_name=COLLECTION,
        embedding_function=embedder,
        client=chroma_client(path / CHROMA_DIR),
        collection_metadata={"hnsw:space": "cosine", "embedder": embedder.name, "embedder_version": embedder.version},
    )


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Flat Chroma metadata for a chunk (no None, no empty list)."""
    meta = {
        "doc_id": chunk.doc_id, "doc_short": chunk.doc_short, "path": chunk.path, "label": chunk.label,
        "kind": chunk.kind, "authority": chunk.authority, "start": chunk.start, "end": chunk.end,
        "part": chunk.part, "parent_id": chunk.parent_id, "order": chunk.order,
        "boilerplate": chunk.boilerplate, "breadcrumb": " › ".join(chunk.breadcrumb), "context": chunk.context,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    return meta


class IndexDir:
    """The index folder: finds the live generation and manages new ones."""

    def __init__(self, root: Path):
        self.root = root

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    def current(self) -> Path | None:
        if not self.current_file.exists():
            return None
        gen = self.root / self.current_file.read_text("utf-8").strip()
        return gen if (gen / MANIFEST).exists() else None

    def require_current(self) -> Path:
        gen = self.current()
        if gen is None:
            raise IndexMissingError(f"chưa có chỉ mục trong {self.root}; hãy chạy `troly ingest` trước")
        return gen

    def new_generation(self, copy_from: Path | None) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self.root / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        if copy_from is not None:
            shutil.copytree(copy_from, gen)
        else:
            gen.mkdir()
        return gen

    def publish(self, gen: Path) -> None:
        """Make gen the live generation (atomic), then remove the others."""
        _write_atomic(self.current_file, gen.name)
        self.cleanup(keep=gen)

    def cleanup(self, keep: Path | None = None) -> None:
        """Remove every generation but the live one (leftovers of killed ingests too)."""
        live = keep or self.current()
        for child in self.root.glob("gen-*"):
            if live is None or child.resolve() != live.resolve():
                shutil.rmtree(child, ignore_errors=True)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One ingest at a time per index folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


def read_chunks(gen: Path) -> list[Chunk]:
    with open(gen / CHUNKS, encoding="utf-8") as f:
        return [Chunk(**json.loads(line)) for line in f if line.strip()]


def write_chunks(gen: Path, chunks: list[Chunk]) -> None:
    _write_atomic(gen / CHUNKS, "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in chunks))


def check_embedder(manifest: Manifest, embedder) -> None:
    """Refuse to mix vectors of two embedders, or to read an index of an older layout."""
    if manifest.format != FORMAT_VERSION:
        raise IndexMismatchError("chỉ mục được tạo bởi phiên bản cũ; hãy chạy lại `troly ingest` để tạo lại chỉ mục")
    if (manifest.embedder, manifest.embedder_version) != (embedder.name, embedder.version):
        raise IndexMismatchError(
            f"chỉ mục được tạo bằng embedder '{manifest.embedder}' ({manifest.embedder_version}) nhưng cấu hình "
            f"đang dùng '{embedder.name}' ({embedder.version}); hãy chạy lại `troly ingest` để tạo lại chỉ mục"
        )
