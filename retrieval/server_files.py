"""A generation's folder (manifest, chunk table, texts, BM25 index) kept in a collection of
the Chroma server beside its vectors, so that a replica fetches exactly the files the
ingest wrote, byte for byte, with nothing shared on disk between machines.

Each file is stored base64-encoded in parts of at most ``PART_CHARS`` characters (records
``<path>#<n>``, the part in the metadata field ``data``: Chroma indexes a record's document
for full-text search, which costs ~2 s a megabyte, its metadata not), and a last record
``files`` lists every file with its size, SHA-256 and number of parts: a copy is accepted
only when every file matches it. Not stored: the
vectors (they are the collection of chunks itself) and the embedded mode's local Chroma
folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from .errors import IndexCorruptError
from .index import CHROMA_DIR, VECTORS

PART_CHARS = 1_000_000
PARTS_PER_REQUEST = 4
LISTING = "files"
SKIP = {VECTORS, VECTORS + ".tmp"}


def generation_files(gen: Path) -> list[Path]:
    """The files of a generation folder that readers need, in a stable order."""
    return sorted(
        p
        for p in gen.rglob("*")
        if p.is_file() and p.relative_to(gen).parts[0] != CHROMA_DIR and p.name not in SKIP and ".tmp-" not in p.name
    )


def upload_files(server, collection, gen: Path) -> None:
    """Write the folder's files into the collection, the listing last."""
    listing: dict[str, dict[str, object]] = {}
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        if pending:
            server.call(
                collection.add,
                ids=[i for i, _ in pending],
                embeddings=[[1.0]] * len(pending),
                metadatas=[{"data": d} for _, d in pending],
            )
            pending.clear()

    for path in generation_files(gen):
        rel = path.relative_to(gen).as_posix()
        data = path.read_bytes()
        text = base64.b64encode(data).decode("ascii")
        parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]
        listing[rel] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "parts": len(parts)}
        for n, part in enumerate(parts):
            pending.append((f"{rel}#{n}", part))
            if len(pending) >= PARTS_PER_REQUEST:
                flush()
    flush()
    server.call(collection.add, ids=[LISTING], embeddings=[[1.0]], metadatas=[{"data": json.dumps(listing)}])


def download_files(server, collection, dest: Path) -> None:
    """Recreate the folder under dest from the collection, checking every file."""
    got = server.call(collection.get, ids=[LISTING], include=["metadatas"])
    if not got["ids"]:
        raise IndexCorruptError("chỉ mục trên máy chủ Chroma thiếu danh sách tệp; hãy chạy lại `troly ingest`")
    listing = json.loads(got["metadatas"][0]["data"])
    ids = [f"{rel}#{n}" for rel, info in listing.items() for n in range(info["parts"])]
    parts: dict[str, str] = {}
    for i in range(0, len(ids), PARTS_PER_REQUEST):
        got = server.call(collection.get, ids=ids[i : i + PARTS_PER_REQUEST], include=["metadatas"])
        parts.update((i, m.get("data", "")) for i, m in zip(got["ids"], got["metadatas"]))
    for rel, info in listing.items():
        try:
            data = base64.b64decode("".join(parts[f"{rel}#{n}"] for n in range(info["parts"])))
        except (KeyError, ValueError):
            data = None
        if data is None or len(data) != info["bytes"] or hashlib.sha256(data).hexdigest() != info["sha256"]:
            raise IndexCorruptError(
                f"tệp {rel} của chỉ mục trên máy chủ Chroma bị thiếu hoặc hỏng; hãy chạy lại `troly ingest`"
            )
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise IndexCorruptError(f"tên tệp không hợp lệ trong chỉ mục trên máy chủ Chroma: {rel}")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
