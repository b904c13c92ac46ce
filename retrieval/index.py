"""The on-disk index: generations of (Chroma collection + chunk table + manifest).

``<index>/CURRENT`` names the live generation folder. An ingest writes a new generation
beside it (a copy of the live one, changed incrementally) and only then swaps CURRENT with
an atomic rename, so a reader never sees a half-built index and an ingest killed halfway
leaves the previous one fully usable.

Readers hold a *lease* on the generation they read: a shared ``flock`` on its folder, taken
before anything in it is opened and dropped when the reader is done (or dies: the kernel
drops it). An old generation is removed only by whoever gets an exclusive lock on it
without waiting, so a generation in use is never deleted under its reader; it is removed
by a later ingest (or by the reader itself, when it lets go) once nobody holds it.

``Generations`` is the small interface the rest of the code relies on; ``IndexDir`` is the
local implementation (a Chroma server mode can keep its generations as collections).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import json
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Protocol, runtime_checkable

from .errors import IndexCorruptError, IndexMismatchError, IndexMissingError, IndexUnavailableError
from .types import Chunk

if TYPE_CHECKING:
    from .chroma_writer import ChromaWriter

MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
CHROMA_DIR = "chroma"
# vectors up to which the dense search is exact (TROLY_DENSE_EXACT_LIMIT; retrieval/cells.py):
# above it a generation has dense cells, no Chroma collection. Here, not in cells.py, so that
# the ingest can read it before it loads numpy
EXACT_LIMIT = 20_000
LEXICAL = "lexical"  # the bm25s index and its analyzer
VECTORS = "vectors.npy"  # every chunk's vector, in chunk order (float32), for the exact search
TEXTS = "texts"  # normalized text of each document, <doc_id>.txt
COLLECTION = "troly-chunks"
FORMAT_VERSION = 2  # bump when the generation layout changes
LOCK_FILE = ".lock"
LEASE_TRIES = 20  # a reader retries this often when generations change under it
WRITE_BATCH = 5000  # chunks per Chroma add (capped by the client's own limit)


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
        try:
            return cls(**json.loads(path.read_text("utf-8")))
        except (ValueError, TypeError) as exc:  # not JSON, not UTF-8, or not shaped like a manifest
            raise IndexCorruptError(
                f"chỉ mục hỏng ({path.name}: {type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
            ) from None

    def write(self, path: Path) -> None:
        _write_atomic(path, json.dumps(self.__dict__, ensure_ascii=False, indent=1))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.urandom(4).hex()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def chroma_client(path: Path):
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=chromadb.Settings(anonymized_telemetry=False))


def collection_metadata(embedder) -> dict[str, Any]:
    return {"hnsw:space": "cosine", "embedder": embedder.name, "embedder_version": embedder.version}


def vector_store(path: Path, embedder):
    """The langchain-chroma store of one generation (collection created if missing)."""
    from langchain_chroma import Chroma

    from .embedding import as_langchain

    return Chroma(
        collection_name=COLLECTION,
        embedding_function=as_langchain(embedder),
        client=chroma_client(path / CHROMA_DIR),
        collection_metadata=collection_metadata(embedder),
    )


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Flat Chroma metadata for a chunk (no None, no empty list)."""
    meta = {
        "doc_id": chunk.doc_id,
        "doc_short": chunk.doc_short,
        "path": chunk.path,
        "label": chunk.label,
        "kind": chunk.kind,
        "authority": chunk.authority,
        "start": chunk.start,
        "end": chunk.end,
        "part": chunk.part,
        "parent_id": chunk.parent_id,
        "order": chunk.order,
        "boilerplate": chunk.boilerplate,
        "breadcrumb": " › ".join(chunk.breadcrumb),
        "context": chunk.context,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    return meta


class Lease:
    """A reader's hold on one generation; ``release`` (or the end of the process) lets it go."""

    def __init__(self, path: Path, fd: int | None, on_release: Callable[[Lease], object] | None = None):
        self.path = path
        self._fd = fd
        self._on_release = on_release
        self._lock = threading.Lock()
        # a lease dropped without release() still lets go when it is garbage-collected
        self._finalizer = weakref.finalize(self, os.close, fd) if fd is not None else None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        with self._lock:
            fd, self._fd = self._fd, None
        if fd is None:
            return
        if self._finalizer is not None:
            self._finalizer.detach()
        os.close(fd)  # closing the last descriptor drops the flock
        if self._on_release is not None:
            self._on_release(self)

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"Lease({self.name!r}, held={self.held})"


@runtime_checkable
class Generations(Protocol):
    """Where the generations of an index live, which one is live, and who holds which.

    IndexDir keeps them as folders beside a CURRENT file, leases as shared flocks.
    ChromaServerIndex (retrieval/chroma_server.py, ``TROLY_CHROMA_URL``) keeps each
    generation's vectors as a collection of a Chroma server and the rest of its folder
    beside it, CURRENT as a pointer record, and hands readers a local copy of the folder
    leased the same way. The ingest and the Assistant use only this."""

    root: Path  # the local folder: generations or their cached copies, the writer's lock
    exact_limit: int | None  # vectors up to which the dense search is exact (None: its default)

    def current_name(self) -> str | None: ...  # cheap: read between two questions

    def current(self) -> Path | None: ...  # the live generation's folder (for the writer)

    def lease_current(self) -> Lease: ...  # the live generation, held until released

    def lock(self, on_wait: Callable[[str], None] | None = None, wait: bool = True): ...  # one writer

    def new_generation(self, copy_from: Path | None) -> Path: ...

    def write_collection(self, gen: Path, chunks: list[Chunk], matrix, embedder, progress: bool) -> None: ...

    def vectors_of(self, gen: Path) -> dict[str, Any]: ...  # chunk id -> vector (kept chunks reuse them)

    def open_dense(self, gen: Path, ids: list[str]): ...  # what the dense search reads (count, get, query)

    def publish(self, gen: Path) -> None: ...  # atomic switch, then cleanup

    def cleanup(self, keep: Path | None = None) -> list[str]: ...  # remove the unheld old ones

    def collect(self) -> list[str]: ...  # cleanup when no writer runs (never waits)

    def ping(self) -> None: ...  # raises when the store cannot be reached

    def write_stamp(self, name: str, text: str) -> Path: ...  # a small record every reader sees (gate.json)

    def read_stamp(self, name: str) -> str | None: ...


def lease_folder(gen: Path, on_release: Callable[[Lease], object] | None = None) -> Lease | None:
    """A shared lock on a generation folder, or None when it was removed before we held it
    (a writer removes a generation only while holding it exclusively)."""
    try:
        fd = os.open(gen, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    # once we hold it, it is either still whole, or gone (its folder unlinked)
    if os.fstat(fd).st_nlink > 0 and (gen / MANIFEST).exists():
        return Lease(gen, fd, on_release=on_release)
    os.close(fd)
    return None


_CURRENT_SETTLED_NS = 3_000_000_000  # CURRENT unchanged this long: its stat stands for its text


class IndexDir:
    """The index folder: finds the live generation, leases it to readers, manages new ones."""

    def __init__(self, root: Path, exact_limit: int | None = None):
        self.root = root
        self.exact_limit = exact_limit  # None: the dense search's own limit (retrieval/cells.EXACT_LIMIT)

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    # -- reading -----------------------------------------------------------------------
    def current_name(self) -> str | None:
        """The live generation's name as CURRENT says it (cheap: one small file read).
        perf (issue 13): asked before every question, so the file is read again only when
        its stat changed (a publish replaces it: a new inode) or it was written in the last
        few seconds (a timestamp's grain, an inode number used again)."""
        path = self.current_file
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._unavailable(exc, "đọc") from None
        stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        seen = self.__dict__.get("_current_seen")
        if seen is not None and seen[0] == stamp and time.time_ns() - st.st_mtime_ns > _CURRENT_SETTLED_NS:
            return seen[1]
        try:
            name = path.read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise self._unavailable(exc, "đọc") from None
        self.__dict__["_current_seen"] = (stamp, name or None)
        return name or None

    def current(self) -> Path | None:
        name = self.current_name()
        if name is None or "/" in name or name.startswith("."):
            return None
        gen = self.root / name
        return gen if (gen / MANIFEST).exists() else None

    def require_current(self) -> Path:
        gen = self.current()
        if gen is None:
            raise self._missing()
        return gen

    def lease_current(self) -> Lease:
        """Hold the live generation so that no ingest removes it while it is read."""
        for _ in range(LEASE_TRIES):
            gen = self.require_current()
            try:
                lease = lease_folder(gen, on_release=lambda lease: self.collect())
            except OSError as exc:
                raise self._unavailable(exc, "đọc") from None
            if lease is not None:
                return lease
            # removed between reading CURRENT and holding it: read CURRENT again
        raise IndexCorruptError(f"chỉ mục trong {self.root} thay đổi liên tục, không đọc được; hãy thử lại")

    # -- writing -----------------------------------------------------------------------
    def new_generation(self, copy_from: Path | None) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self.root / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(3).hex()}"
        if copy_from is not None:
            shutil.copytree(copy_from, gen)
        else:
            gen.mkdir()
        return gen

    def write_collection(
        self, gen: Path, chunks: list[Chunk], matrix, embedder, progress: bool, writer: ChromaWriter | None = None
    ) -> None:
        """The generation's Chroma collection, in its own folder (readers use vectors.npy):
        each chunk's id and vector. The chunk's text and fields stay in the chunk table (by
        id): one copy on disk, and nothing for Chroma's SQLite to index and journal per
        field or per word (its metadata rows cost six times the index in writes, its
        full-text index 40% of the ingest time at 10,000 chunks; issue 13). Above the
        dense search's exact limit, the generation's dense cells instead. With a ``writer``
        (retrieval/chroma_writer.py), its child process reads vectors.npy back and writes
        the collection while the caller goes on; the caller waits for it before publishing."""
        from .cells import build_cells

        if not self.writes_collection(len(chunks)):
            # above the exact limit the dense search reads the generation's cells (an IVF,
            # retrieval/cells.py), not Chroma: no collection to build (issue 13)
            build_cells(gen, matrix)
            return
        if writer is not None:  # a child process writes it meanwhile (retrieval/chroma_writer.py)
            metadata = collection_metadata(embedder)
            writer.write(gen / CHROMA_DIR, gen / VECTORS, [c.id for c in chunks], COLLECTION, metadata, WRITE_BATCH)
            return
        import numpy as np
        from tqdm import tqdm  # (not imported where a child writes it: perf, issue 13)

        from .vectors import forget_chroma

        client = chroma_client(gen / CHROMA_DIR)
        collection = client.get_or_create_collection(
            COLLECTION, metadata=collection_metadata(embedder), embedding_function=None
        )
        batch = max(1, min(WRITE_BATCH, client.get_max_batch_size()))
        with tqdm(
            total=len(chunks), desc="Ghi chỉ mục", unit="đoạn", disable=not progress or not chunks, leave=False
        ) as bar:
            for i in range(0, len(chunks), batch):
                part = chunks[i : i + batch]
                collection.add(
                    ids=[c.id for c in part],
                    embeddings=np.asarray(matrix[i : i + batch], dtype=np.float32),
                )
                bar.update(len(part))
        forget_chroma(gen / CHROMA_DIR)

    def writes_collection(self, chunks: int) -> bool:
        """Whether a generation of this many chunks gets a Chroma collection (above the dense
        search's exact limit it gets dense cells instead)."""
        return chunks <= (EXACT_LIMIT if self.exact_limit is None else self.exact_limit)

    def vectors_of(self, gen: Path) -> dict[str, Any]:
        from .vectors import read_vectors

        return read_vectors(gen)

    def open_dense(self, gen: Path, ids: list[str]):
        from .vectors import open_vectors

        return open_vectors(gen, ids)

    def ping(self) -> None:
        """A local folder is always there (a broken one fails when it is read)."""

    def write_stamp(self, name: str, text: str) -> Path:
        """A small record about the index beside it (the evaluation gate's gate.json)."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / name
        path.write_text(text, "utf-8")
        return path

    def read_stamp(self, name: str) -> str | None:
        try:
            return (self.root / name).read_text("utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise IndexCorruptError(f"không đọc được {self.root / name} ({type(exc).__name__})") from None

    def publish(self, gen: Path) -> None:
        """Make gen the live generation (atomic), then remove the old ones nobody reads."""
        _write_atomic(self.current_file, gen.name)
        self.cleanup(keep=gen)

    def cleanup(self, keep: Path | None = None) -> list[str]:
        """Remove every generation but the live one (leftovers of killed ingests too), except
        those a reader still holds; call with the ingest lock held. Returns the removed names."""
        live = keep or self.current()
        removed = []
        for child in self.root.glob("gen-*"):
            if live is not None and child.resolve() == live.resolve():
                continue
            if _remove_if_unheld(child):
                removed.append(child.name)
        return removed

    def collect(self) -> list[str]:
        """Remove unheld old generations if no ingest is running (never waits, never fails)."""
        try:
            with self.lock(wait=False):
                return self.cleanup()
        except (BlockingIOError, OSError, IndexUnavailableError):
            return []

    @contextlib.contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None, wait: bool = True) -> Iterator[None]:
        """One ingest at a time per index folder. When another holds the lock, on_wait is told
        who (its process id and since when) before this one waits; wait=False raises
        BlockingIOError instead of waiting."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise self._unavailable(exc, "ghi") from None
        try:
            if not _try_lock(fd, patience=1.0 if wait else 0.0):  # a reader's cleanup takes milliseconds
                if not wait:
                    raise BlockingIOError(errno.EWOULDBLOCK, "index locked")
                if on_wait is not None:
                    on_wait(self._holder_message(fd))
                fcntl.flock(fd, fcntl.LOCK_EX)
            holder = json.dumps({"pid": os.getpid(), "since": time.time()})
            os.ftruncate(fd, 0)
            os.pwrite(fd, holder.encode(), 0)
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _holder_message(self, fd: int) -> str:
        try:
            info = json.loads(os.pread(fd, 200, 0).decode() or "{}")
            since = time.strftime("%H:%M:%S", time.localtime(float(info["since"])))
            who = f"tiến trình {int(info['pid'])}, bắt đầu lúc {since}"
        except (ValueError, KeyError, TypeError, OSError):
            who = "một tiến trình khác"
        return f"đang chờ lần nạp khác kết thúc ({who}) để ghi chỉ mục {self.root}…"

    # -- errors ------------------------------------------------------------------------
    def _missing(self) -> IndexMissingError:
        return IndexMissingError(f"chưa có chỉ mục trong {self.root}; hãy chạy `troly ingest` trước")

    def _unavailable(self, exc: OSError | UnicodeDecodeError, verb: str) -> IndexUnavailableError:
        return index_unavailable(self.root, exc, verb)


def index_unavailable(root: Path, exc: OSError | UnicodeDecodeError, verb: str = "đọc") -> IndexUnavailableError:
    """A one-line message for an index folder that cannot be read or written."""
    reasons = {
        errno.EACCES: "không có quyền",
        errno.EPERM: "không có quyền",
        errno.EROFS: "ổ đĩa chỉ đọc",
        errno.ENOTDIR: "đường dẫn không phải thư mục",
        errno.EEXIST: "đã có một tệp trùng tên",
        errno.ENOSPC: "ổ đĩa đầy",
        errno.ENOENT: "thư mục cha không tồn tại",
    }
    # a CURRENT file that is not UTF-8 carries no errno (it used to raise AttributeError here)
    code = getattr(exc, "errno", None)
    reason = (reasons.get(code) if code is not None else None) or getattr(exc, "strerror", None) or type(exc).__name__
    return IndexUnavailableError(
        f"không {verb} được thư mục chỉ mục {root} ({reason}); hãy kiểm tra quyền {verb} hoặc đặt TROLY_INDEX_DIR"
    )


def _try_lock(fd: int, patience: float) -> bool:
    """Take the exclusive lock, trying for up to patience seconds without blocking."""
    end = time.monotonic() + patience
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= end:
                return False
            time.sleep(0.05)


def _remove_if_unheld(gen: Path) -> bool:
    """Remove a generation folder unless a reader holds it (checked without waiting)."""
    try:
        fd = os.open(gen, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False  # in use: a later ingest removes it
    try:
        shutil.rmtree(gen, ignore_errors=True)
        return not gen.exists()
    finally:
        os.close(fd)


def read_chunks(gen: Path) -> list[Chunk]:
    try:
        with open(gen / CHUNKS, encoding="utf-8") as f:
            return [Chunk(**json.loads(line)) for line in f if line.strip()]
    except (ValueError, TypeError) as exc:
        raise IndexCorruptError(
            f"chỉ mục hỏng ({CHUNKS}: {type(exc).__name__}); hãy chạy `troly ingest --rebuild`"
        ) from None


def write_chunks(gen: Path, chunks: list[Chunk]) -> None:
    """The chunk table, one JSON object a line (a chunk's fields are flat: read from its
    __dict__ they are what asdict gives, without asdict's deep copy)."""
    names = [f.name for f in dataclasses.fields(Chunk)]
    # (one encoder for every line: json.dumps with an option builds one per call; the same text)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = (encode({n: d[n] for d in (vars(c),) for n in names}) + "\n" for c in chunks)
    _write_atomic(gen / CHUNKS, "".join(lines))


def check_embedder(manifest: Manifest, embedder) -> None:
    """Refuse to mix vectors of two embedders, or to read an index of an older layout."""
    if manifest.format != FORMAT_VERSION:
        raise IndexMismatchError("chỉ mục được tạo bởi phiên bản cũ; hãy chạy lại `troly ingest` để tạo lại chỉ mục")
    if (manifest.embedder, manifest.embedder_version) != (embedder.name, embedder.version):
        raise IndexMismatchError(
            f"chỉ mục được tạo bằng embedder '{manifest.embedder}' ({manifest.embedder_version}) nhưng cấu hình "
            f"đang dùng '{embedder.name}' ({embedder.version}); hãy chạy lại `troly ingest` để tạo lại chỉ mục"
        )
