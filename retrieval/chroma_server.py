"""Chroma server mode (``TROLY_CHROMA_URL``): every replica reads the index from one Chroma
server (``chroma run``) instead of a folder of its own.

On the server, with the prefix p (``TROLY_COLLECTION_PREFIX``, default ``troly``):

    p-pointer        record ``current`` names the live generation; ``retired:<G>`` says when
                     G stopped being live
    p-<G>            generation G's chunks: ids, vectors, flat metadata, embedding text; the
                     dense search sends every query here
    p-<G>-files      the rest of G's folder (manifest, chunk table, texts, BM25 index) as
                     parts (see server_files.py)

An ingest builds G in a local staging folder exactly as the embedded mode does, writes both
collections, checks them, and only then switches the pointer: no replica ever reads a
half-written generation, and an ingest killed halfway leaves the previous one served (its
leftovers are deleted by a later ingest). A replica fetches the live generation's files
once into a local cache (``<index>/chroma-<key>/<G>``, the layout of a local generation,
leased with the same shared flock), so its chunk table and BM25 index are those of the
generation its dense queries go to; between questions it reads the pointer again (at most
once every ``POLL_S``) and switches to a new generation without a restart
(``Assistant.refresh``).

Across machines there are no leases: an ingest deletes a generation (both collections) once
it has been retired for longer than the grace period (``TROLY_CHROMA_GRACE_S``, default
600 s). A replica reads a retired generation's collection only for the questions in flight
when it switched (it switches at its next question, at most ``POLL_S`` after the switch), so
the grace must exceed the longest question (``TROLY_LLM_DEADLINE``, 15 s by default) plus
``POLL_S`` plus the clock skew between the machines that ingest; leftovers of a killed
ingest (never live) are deleted once their creation is older than the grace too, which also
leaves an upload still running elsewhere alone. Ingests are serialized per machine by the
local lock; run them from one place (the ingest job of deploy/), since two machines
ingesting at once would each publish and the later pointer would win.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import BackendUnavailableError, BadInputError, IndexCorruptError, IndexMissingError
from .index import (
    LEASE_TRIES,
    MANIFEST,
    IndexDir,
    Lease,
    _remove_if_unheld,
    chunk_metadata,
    lease_folder,
    read_chunks,
)
from .types import Chunk

POLL_S = 1.0  # a replica reads the pointer at most this often
BATCH = 256  # chunks per request when writing or reading vectors
POINTER = "pointer"
CURRENT = "current"
_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$")
STALE_FETCH_S = 3600.0  # a half-fetched copy left by a killed reader is removed after this


class GenerationGone(Exception):
    """A generation's collections are not (or no longer) on the server."""


class ChromaServer:
    """One Chroma server: a client made on first use, with a timeout on every request, and
    its failures turned into one-line Vietnamese errors."""

    def __init__(self, url: str, timeout: float = 10.0):
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadInputError(
                f"TROLY_CHROMA_URL={url!r} không hợp lệ: cần dạng http://máy:cổng, ví dụ http://127.0.0.1:8000"
            )
        if parts.username or parts.password:
            raise BadInputError(
                "TROLY_CHROMA_URL không được chứa tên người dùng hay mật khẩu; hãy đặt máy chủ Chroma trong mạng nội bộ"
            )
        try:
            port = parts.port or (443 if parts.scheme == "https" else 8000)
        except ValueError:
            raise BadInputError(f"TROLY_CHROMA_URL={url!r} có cổng không hợp lệ") from None
        self.host, self.port, self.ssl = parts.hostname, port, parts.scheme == "https"
        self.url = f"{parts.scheme}://{parts.hostname}:{port}"
        self.timeout = timeout
        self._client = None
        self._lock = threading.Lock()

    def client(self):
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self):
        import chromadb
        import httpx

        settings = chromadb.Settings(anonymized_telemetry=False)
        before = set(_systems())
        try:
            client = chromadb.HttpClient(host=self.host, port=self.port, ssl=self.ssl, settings=settings)
        except Exception as exc:  # noqa: BLE001 - httpx, chromadb and ValueError from its checks
            _drop_systems(set(_systems()) - before)  # each try registers a client system of its own
            raise self.unavailable(exc) from None
        session = getattr(getattr(client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):  # chromadb leaves its requests without a timeout
            session.timeout = httpx.Timeout(self.timeout)
        return client

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One request. A transport failure is tried once more (a kept-alive connection that
        a restarted server closed), then raised as BackendUnavailableError; a collection the
        server does not have as GenerationGone."""
        import httpx
        from chromadb.errors import ChromaError, NotFoundError

        for attempt in (0, 1):
            try:
                return fn(*args, **kwargs)
            except NotFoundError as exc:
                raise GenerationGone(str(exc)) from None
            except httpx.TimeoutException as exc:
                raise self.unavailable(exc) from None
            except httpx.TransportError as exc:
                if attempt == 0:
                    continue
                raise self.unavailable(exc) from None
            except ChromaError as exc:
                raise self.unavailable(exc) from None
        raise AssertionError("unreachable")

    def collection(self, name: str):
        return self.call(lambda: self.client().get_collection(name))

    def ping(self) -> None:
        self.call(lambda: self.client().heartbeat())

    def unavailable(self, exc: Exception) -> BackendUnavailableError:
        import httpx

        if isinstance(exc, httpx.ConnectError) or "Could not connect to a Chroma server" in str(exc):
            reason = "không kết nối được"
        elif isinstance(exc, httpx.TimeoutException):
            reason = f"quá {self.timeout:g} giây không trả lời"
        else:
            reason = f"lỗi {type(exc).__name__}"
        return BackendUnavailableError(
            f"máy chủ Chroma {self.url} đang không phục vụ được ({reason}); hãy kiểm tra máy chủ Chroma "
            "(`chroma run`) rồi thử lại sau ít giây"
        )


def _systems() -> dict:
    """chromadb's registry of client systems (one per HttpClient made)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    return SharedSystemClient._identifier_to_system  # noqa: SLF001


def _drop_systems(identifiers: set[str]) -> None:
    """Stop and forget the systems of clients that never connected (a retry every question
    while the server is down would otherwise keep one each)."""
    for identifier in identifiers:
        system = _systems().pop(identifier, None)
        with contextlib.suppress(Exception):
            if system is not None:
                system.stop()


class ServerVectors:
    """A generation's collection on the server in the shape the dense search reads (count,
    get, query): the count is known from the chunk table, every query goes to the server."""

    def __init__(self, server: ChromaServer, collection, ids: list[str]):
        self.server, self.collection, self.ids = server, collection, ids

    def count(self) -> int:
        return len(self.ids)

    def get(self, include=("embeddings",), **_: Any) -> dict[str, Any]:
        vectors = fetch_vectors(self.server, self.collection, self.ids)
        return {"ids": list(self.ids), "embeddings": [vectors[i] for i in self.ids]}

    def query(self, **kwargs: Any) -> dict[str, Any]:
        try:
            return self.server.call(self.collection.query, **kwargs)
        except GenerationGone:
            raise BackendUnavailableError(
                f"thế hệ chỉ mục đang đọc không còn trên máy chủ Chroma {self.server.url}; hãy thử lại"
            ) from None


def fetch_vectors(server: ChromaServer, collection, ids: list[str]) -> dict[str, Any]:
    import numpy as np

    out: dict[str, Any] = {}
    for i in range(0, len(ids), BATCH):
        got = server.call(collection.get, ids=ids[i : i + BATCH], include=["embeddings"])
        out.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
    return out


class ChromaServerIndex:
    """The Generations of an index kept on a Chroma server (see the module docstring)."""

    exact_limit = 0  # every dense query is answered by the server

    def __init__(
        self,
        url: str,
        cache: Path,
        prefix: str = "troly",
        grace_s: float = 600.0,
        timeout: float = 10.0,
        poll_s: float = POLL_S,
    ):
        if not _PREFIX.match(prefix or ""):
            raise BadInputError(f"TROLY_COLLECTION_PREFIX={prefix!r} không hợp lệ: 1–41 ký tự chữ, số, '-' hoặc '_'")
        self.server = ChromaServer(url, timeout)
        self.prefix, self.grace_s, self.poll_s = prefix, grace_s, poll_s
        key = hashlib.sha256(f"{self.server.url}|{prefix}".encode()).hexdigest()[:8]
        self.root = cache / f"chroma-{key}"  # cached copies, the staging of an ingest, its lock
        self.local = IndexDir(self.root)
        self._known: tuple[str | None, float] = (None, float("-inf"))  # (pointer, when read)
        self._guard = threading.Lock()

    # -- names ---------------------------------------------------------------------------
    def chunks_name(self, gen: str) -> str:
        return f"{self.prefix}-{gen}"

    def files_name(self, gen: str) -> str:
        return f"{self.prefix}-{gen}-files"

    @property
    def pointer_name(self) -> str:
        return f"{self.prefix}-{POINTER}"

    # -- the pointer ---------------------------------------------------------------------
    def _read_pointer(self) -> str | None:
        try:
            pointer = self.server.collection(self.pointer_name)
        except GenerationGone:
            return None
        got = self.server.call(pointer.get, ids=[CURRENT], include=["metadatas"])
        name = got["metadatas"][0].get("generation") if got["ids"] else None
        return name if isinstance(name, str) and name.startswith("gen-") else None

    def current_name(self) -> str | None:
        """The live generation as the pointer says, read at most every poll_s seconds (a
        failed read is not repeated sooner either: a question then goes on with the
        generation it has, and fails by itself if the server is down)."""
        with self._guard:
            name, when = self._known
            if time.monotonic() - when < self.poll_s:
                return name
            self._known = (name, time.monotonic())
        name = self._read_pointer()
        with self._guard:
            self._known = (name, time.monotonic())
        return name

    def _fresh_name(self) -> str:
        name = self._read_pointer()
        with self._guard:
            self._known = (name, time.monotonic())
        if name is None:
            raise IndexMissingError(
                f"máy chủ Chroma {self.server.url} chưa có chỉ mục (tiền tố '{self.prefix}'); "
                "hãy chạy `troly ingest` với cùng TROLY_CHROMA_URL"
            )
        return name

    # -- reading -------------------------------------------------------------------------
    def current(self) -> Path | None:
        """The local copy of the live generation (fetched when missing), or None."""
        try:
            return self._cached(self._fresh_name())
        except (IndexMissingError, GenerationGone):
            return None  # nothing live (an ingest then builds the index anew)

    def lease_current(self) -> Lease:
        """Hold the local copy of the live generation (fetched first when missing)."""
        last = None
        for _ in range(LEASE_TRIES):
            name = self._fresh_name()
            try:
                gen = self._cached(name)
            except GenerationGone:
                if name == last:  # not a switch under us: the pointer names what is not there
                    raise IndexCorruptError(
                        f"con trỏ chỉ mục trên máy chủ Chroma {self.server.url} chỉ tới {name} nhưng máy chủ không "
                        "còn thế hệ này; hãy chạy `troly ingest`"
                    ) from None
                last = name
                continue
            lease = lease_folder(gen, on_release=lambda lease: self.collect())
            if lease is not None:
                return lease
        raise IndexCorruptError(
            f"chỉ mục trên máy chủ Chroma {self.server.url} thay đổi liên tục, không đọc được; hãy thử lại"
        )

    def _cached(self, name: str) -> Path:
        from .server_files import download_files

        gen = self.root / name
        if (gen / MANIFEST).exists():
            return gen
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".fetch-{name}-{uuid.uuid4().hex[:6]}"
        try:
            download_files(self.server, self.server.collection(self.files_name(name)), tmp)
            try:
                tmp.rename(gen)
            except OSError:  # another process on this machine fetched it first
                if not (gen / MANIFEST).exists():
                    raise IndexCorruptError(
                        f"không chép được chỉ mục {name} từ máy chủ Chroma vào {self.root}"
                    ) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return gen

    def open_dense(self, gen: Path, ids: list[str]) -> ServerVectors:
        try:
            return ServerVectors(self.server, self.server.collection(self.chunks_name(gen.name)), ids)
        except GenerationGone:
            raise BackendUnavailableError(
                f"thế hệ chỉ mục {gen.name} không còn trên máy chủ Chroma {self.server.url}; hãy thử lại"
            ) from None

    def vectors_of(self, gen: Path) -> dict[str, Any]:
        """The vectors of a generation on the server (its kept chunks reuse them)."""
        try:
            collection = self.server.collection(self.chunks_name(gen.name))
        except GenerationGone:
            return {}
        return fetch_vectors(self.server, collection, [c.id for c in read_chunks(gen)])

    def ping(self) -> None:
        self.server.ping()

    def write_stamp(self, name: str, text: str) -> Path:
        """A small record about the index (the gate's gate.json) kept on the server, for every
        replica, and in the local folder."""
        client = self.server.client()
        pointer = self.server.call(client.get_or_create_collection, self.pointer_name, embedding_function=None)
        self.server.call(pointer.upsert, ids=[f"stamp:{name}"], embeddings=[[1.0]], metadatas=[{"data": text}])
        return self.local.write_stamp(name, text)

    def read_stamp(self, name: str) -> str | None:
        try:
            pointer = self.server.collection(self.pointer_name)
        except GenerationGone:
            return None
        got = self.server.call(pointer.get, ids=[f"stamp:{name}"], include=["metadatas"])
        return got["metadatas"][0].get("data") if got["ids"] else None

    # -- writing -------------------------------------------------------------------------
    def lock(self, on_wait: Callable[[str], None] | None = None, wait: bool = True):
        return self.local.lock(on_wait=on_wait, wait=wait)

    def new_generation(self, copy_from: Path | None) -> Path:
        return self.local.new_generation(copy_from)

    def write_collection(self, gen: Path, chunks: list[Chunk], matrix, embedder, progress: bool) -> None:
        """The generation's chunks and vectors into a new collection on the server."""
        from tqdm import tqdm

        client = self.server.client()
        collection = self.server.call(
            client.create_collection,
            self.chunks_name(gen.name),
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": 256, "ef_construction": 200}},
            metadata={
                "generation": gen.name,
                "created": time.time(),
                "embedder": embedder.name,
                "embedder_version": embedder.version,
            },
        )
        with tqdm(
            total=len(chunks),
            desc="Ghi chỉ mục lên máy chủ Chroma",
            unit="đoạn",
            disable=not progress or not chunks,
            leave=False,
        ) as bar:
            for i in range(0, len(chunks), BATCH):
                part = chunks[i : i + BATCH]
                self.server.call(
                    collection.add,
                    ids=[c.id for c in part],
                    embeddings=matrix[i : i + BATCH],
                    metadatas=[chunk_metadata(c) for c in part],
                    documents=[c.embedding_text() for c in part],
                )
                bar.update(len(part))

    def publish(self, gen: Path) -> None:
        """Upload the generation's files, check both collections, then switch the pointer."""
        from .server_files import upload_files

        client = self.server.client()
        chunks = self.server.collection(self.chunks_name(gen.name))
        expected = len(read_chunks(gen))
        if self.server.call(chunks.count) != expected:
            raise BackendUnavailableError(
                f"máy chủ Chroma {self.server.url} không nhận đủ {expected} đoạn của chỉ mục "
                "mới; chỉ mục đang dùng giữ nguyên, hãy chạy lại `troly ingest`"
            )
        files = self.server.call(
            client.create_collection,
            self.files_name(gen.name),
            embedding_function=None,
            metadata={"generation": gen.name, "created": time.time()},
        )
        upload_files(self.server, files, gen)
        pointer = self.server.call(client.get_or_create_collection, self.pointer_name, embedding_function=None)
        old = self._read_pointer()
        now = time.time()
        if old and old != gen.name:  # retired first: a crash before the switch only starts its grace early
            self.server.call(
                pointer.upsert,
                ids=[f"retired:{old}"],
                embeddings=[[1.0]],
                metadatas=[{"generation": old, "retired": now}],
            )
        self.server.call(
            pointer.upsert, ids=[CURRENT], embeddings=[[1.0]], metadatas=[{"generation": gen.name, "published": now}]
        )
        with self._guard:
            self._known = (gen.name, time.monotonic())
        self.cleanup(keep=gen)

    # -- cleanup -------------------------------------------------------------------------
    def cleanup(self, keep: Path | None = None) -> list[str]:
        """Delete from the server the generations retired (or, never published, created)
        longer than the grace period ago, and the local copies nobody here holds; call with
        the ingest lock held. Returns what was removed."""
        live = keep.name if keep is not None else self._read_pointer()
        return self._cleanup_server(live) + self._cleanup_local(live)

    def collect(self) -> list[str]:
        """Remove local copies nobody here holds, if no ingest runs here (never waits)."""
        try:
            with self.lock(wait=False):
                return self._cleanup_local(self._known[0])
        except OSError:
            return []

    def _cleanup_local(self, live: str | None) -> list[str]:
        removed = []
        for child in self.root.glob("gen-*"):
            if child.name != live and _remove_if_unheld(child):
                removed.append(child.name)
        for child in self.root.glob(".fetch-*"):
            with contextlib.suppress(OSError):
                if time.time() - child.stat().st_mtime > STALE_FETCH_S:
                    shutil.rmtree(child, ignore_errors=True)
        return removed

    def _cleanup_server(self, live: str | None) -> list[str]:
        client = self.server.client()
        pointer = self.server.call(client.get_or_create_collection, self.pointer_name, embedding_function=None)
        records = self.server.call(pointer.get, include=["metadatas"])
        retired = {
            m.get("generation"): float(m.get("retired", 0))
            for i, m in zip(records["ids"], records["metadatas"])
            if i.startswith("retired:")
        }
        mine = re.compile(rf"^{re.escape(self.prefix)}-(gen-[A-Za-z0-9-]+?)(-files)?$")
        gens: dict[str, list[tuple[str, float]]] = {}
        for col in self.server.call(client.list_collections):
            m = mine.match(col.name)
            if m:
                created = float((col.metadata or {}).get("created", 0))
                gens.setdefault(m.group(1), []).append((col.name, created))
        now, removed = time.time(), []
        for gen, cols in gens.items():
            if gen == live:
                continue
            since = retired.get(gen, max(created for _, created in cols))
            if now - since < self.grace_s:
                continue  # a replica may still be answering from it, or an upload is running
            for name, _ in cols:
                with contextlib.suppress(GenerationGone):
                    self.server.call(client.delete_collection, name)
            removed.append(gen)
        gone = [f"retired:{g}" for g in retired if g not in gens or g in removed]
        if gone:
            self.server.call(pointer.delete, ids=gone)
        return removed
