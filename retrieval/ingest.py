"""Ingest: source files → normalized text → structure → chunks → vectors, into a new
index generation, incrementally (only changed files are re-chunked and re-embedded) and
atomically (see index.py).

Nothing indexed is lost by a bad input: a file that fails to load keeps its previous
chunks (re-embedded if the embedder changed), a new version that shrinks to a small
fraction of the old one or loses all its numbered structure is held back unless forced,
an extra file never overwrites a source of the same name unless asked to, and an ingest
that would empty the index is refused. Files are read, parsed and embedded before the
ingest lock is taken, so a slow parse never blocks another ingest; under the lock the
plan is checked against the live generation again, then the new generation is written
and published.
"""

from __future__ import annotations

import bisect
import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import chunking, lexical, normalize, structure
from .catalog import Catalog
from .chunking import chunk_document
from .errors import BadInputError, DocumentError, IndexMismatchError
from .index import (
    CHROMA_DIR, COLLECTION, LEXICAL, MANIFEST, TEXTS, IndexDir, Manifest, check_embedder, chroma_client,
    chunk_metadata, collection_metadata, forget_chroma, index_unavailable, read_chunks, read_vectors, write_chunks,
    write_vectors,
)
from .lexical import Analyzer, LexicalIndex
from .loading import SUPPORTED, load, read_bytes
from .normalize import normalize as normalize_text
from .structure import parse
from .types import Chunk, DocumentInfo

# Kinds of node that carry a number or letter of the document's own structure.
NUMBERED = {"part", "chapter", "section", "article", "appendix", "roman", "upper", "number", "subnumber",
            "paren", "letter", "row", "group"}


@dataclass
class IngestReport:
    """What one ingest did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    kept: list[str] = field(default_factory=list)  # documents whose previous version was kept
    notices: list[str] = field(default_factory=list)  # worth saying, not errors
    chunks: int = 0
    generation: str = ""
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class ChunkingOptions:
    max_tokens: int = 400
    min_tokens: int = 12


@dataclass(frozen=True)
class Guards:
    """When a new version of a document is held back (unless ``--force``)."""

    min_ratio: float = 0.2  # its text under this share of the indexed version's length...
    min_chars: int = 2000  # ...when the indexed version had at least this many characters
    min_numbered: int = 3  # the indexed version had this many numbered clauses, the new one none


def pipeline_version(options: ChunkingOptions) -> str:
    """Changes when the code or settings that shape chunks change, so chunks are rebuilt."""
    h = hashlib.sha256(f"{options.max_tokens}/{options.min_tokens}".encode())
    for module in (normalize, structure, chunking, lexical):
        h.update(Path(module.__file__).read_bytes())
    for name in ("junk_lines.txt", "stopwords_vi.txt", "abbreviations.tsv"):
        h.update(resources.files("retrieval.resources").joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def file_digest(data: bytes, doc: DocumentInfo, version: str) -> str:
    h = hashlib.sha256(data)
    h.update(repr(sorted(doc.__dict__.items())).encode())
    h.update(version.encode())
    return h.hexdigest()


def chunk_file(path: Path, doc: DocumentInfo, options: ChunkingOptions, max_bytes: int | None = None) -> list[Chunk]:
    """Load, normalize, parse and chunk one file."""
    return parse_file(path, doc, options, max_bytes)[0]


def parse_file(
    path: Path, doc: DocumentInfo, options: ChunkingOptions, max_bytes: int | None = None,
    data: bytes | None = None, progress: Callable[[float], None] | None = None,
) -> tuple[list[Chunk], str]:
    """Load, normalize, parse and chunk one file (or its bytes); also return its normalized
    text. progress receives the share of the work done (0..1) as it goes."""
    tick = progress or (lambda share: None)
    loaded = load(path, max_bytes, data)
    norm = normalize_text(loaded.text)
    if not norm.text.strip():
        raise DocumentError(str(path), "sau khi làm sạch, tệp không còn nội dung chữ")
    tick(0.2)
    page_of = None
    if loaded.page_lines:
        line_starts = [0]
        for i, ch in enumerate(norm.text):
            if ch == "\n":
                line_starts.append(i + 1)
        page_offsets = [line_starts[min(norm.line_of(n), len(line_starts) - 1)] for n in loaded.page_lines]

        def page_of(offset: int) -> int:
            return bisect.bisect_right(page_offsets, offset)

    root = parse(norm, progress=lambda share: tick(0.2 + 0.4 * share))
    chunks = chunk_document(doc, root, norm.text, page_of, options.max_tokens, options.min_tokens,
                            progress=lambda share: tick(0.6 + 0.4 * share))
    if not chunks:
        raise DocumentError(str(path), "không tách được đoạn nào có nội dung")
    return chunks, norm.text


def source_files(sources: Path) -> list[Path]:
    """The files of the sources folder (a sub-folder, even one named x.txt, is no file)."""
    try:
        return sorted(p for p in sources.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError as exc:
        raise BadInputError(f"không đọc được thư mục nguồn {sources} ({exc.strerror})") from None


@dataclass
class _Source:
    """One file the sources folder holds (or will hold, for an extra file copied in)."""

    name: str
    origin: Path  # where its bytes are read from
    target: Path  # where it lives in the sources folder
    doc: DocumentInfo | None = None
    data_sha: str = ""
    digest: str = ""
    error: str = ""
    chunks: list[Chunk] | None = None
    text: str = ""
    size: int = 0

    @property
    def is_copy(self) -> bool:
        return self.origin.resolve() != self.target.resolve()


class _Work:
    """Files read, parsed and embedded once, whatever the lock's wait brings."""

    def __init__(self, options: ChunkingOptions, max_bytes: int | None, embedder, progress: bool):
        self.options, self.max_bytes, self.embedder, self.progress = options, max_bytes, embedder, progress
        self.version = pipeline_version(options)
        self._parsed: dict[str, tuple[list[Chunk] | None, str, str]] = {}  # digest -> (chunks, text, error)
        self._vectors: dict[str, np.ndarray] = {}  # embedding text -> vector

    def read(self, src: _Source) -> None:
        """Fill in the file's digest (and the error that keeps it from being read)."""
        try:
            if src.origin.is_dir():
                raise DocumentError(str(src.origin), "đây là một thư mục, không phải tệp")
            data = read_bytes(src.origin)
        except DocumentError as exc:
            src.error, src.digest = str(exc), ""
            return
        src.size = len(data)
        src.data_sha = hashlib.sha256(data).hexdigest()
        src.digest = file_digest(data, src.doc, self.version)
        src._data = data  # type: ignore[attr-defined]  # kept only until parsed

    def parse(self, sources: list[_Source]) -> None:
        """Parse every file not parsed yet, with a bar that moves by the bytes parsed."""
        todo = [s for s in sources if s.digest and s.digest not in self._parsed]
        total = sum(s.size for s in todo)
        with tqdm(total=total, desc="Đọc và phân tích văn bản", unit="B", unit_scale=True,
                  disable=not self.progress or not todo, leave=False) as bar:
            for src in todo:
                done = [0.0]

                def tick(share: float, src=src, done=done) -> None:
                    bar.update(src.size * (share - done[0]))
                    done[0] = share

                try:
                    chunks, text = parse_file(src.target, src.doc, self.options, self.max_bytes,
                                              data=getattr(src, "_data", None), progress=tick)
                    self._parsed[src.digest] = (chunks, text, "")
                except DocumentError as exc:
                    self._parsed[src.digest] = (None, "", _at(exc, src))
                tick(1.0)
                src.__dict__.pop("_data", None)
        for src in sources:
            if src.digest in self._parsed:
                src.chunks, src.text, error = self._parsed[src.digest]
                src.error = src.error or error

    def vectors(self, chunks: list[Chunk]) -> np.ndarray:
        """Vectors of the chunks' embedding texts, each text embedded once per ingest."""
        texts = [c.embedding_text() for c in chunks]
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        batch = 256
        with tqdm(total=len(missing), desc="Nhúng văn bản", unit="đoạn",
                  disable=not self.progress or not missing, leave=False) as bar:
            for i in range(0, len(missing), batch):
                part = missing[i:i + batch]
                for text, vector in zip(part, np.asarray(self.embedder.embed_documents(part), dtype=np.float32)):
                    self._vectors[text] = vector
                bar.update(len(part))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])


def _at(exc: DocumentError, src: _Source) -> str:
    """The error named after the file the user gave (an extra file, not its future copy)."""
    return str(exc).replace(str(src.target), str(src.origin)) if src.is_copy else str(exc)


def _plan(sources: Path, extra: list[Path], catalog: Catalog, manifest: Manifest | None, replace: bool,
          report: IngestReport) -> list[_Source]:
    """The files the sources folder holds after the extra files are copied in."""
    planned = {p.name: _Source(p.name, p, p) for p in source_files(sources)}
    for path in extra:
        target = sources / path.name
        if path.is_dir():
            report.errors.append((str(path), str(DocumentError(str(path), "đây là một thư mục, không phải tệp"))))
            continue
        if not path.exists():
            report.errors.append((str(path), str(DocumentError(str(path), "không tìm thấy tệp; hãy kiểm tra lại đường dẫn"))))
            continue
        if path.suffix.lower() not in SUPPORTED:
            reason = f"định dạng '{path.suffix or '(không có đuôi)'}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"
            report.errors.append((str(path), str(DocumentError(str(path), reason))))
            continue
        src = _Source(path.name, path, target)
        if src.is_copy and target.exists() and not replace and not _same_bytes(path, target):
            report.errors.append((str(path), (
                f"không chép tệp {path} vào thư mục nguồn: đã có tệp {target.name} với nội dung khác, không ghi đè; "
                "dùng `troly ingest --replace` để thay tệp cũ, hoặc đổi tên tệp mới")))
            continue
        planned[path.name] = src
    previous = {e.get("file"): d for d, e in (manifest.documents if manifest else {}).items()}
    docs = catalog.resolve(sorted(planned), previous)
    out = []
    for name in sorted(planned):
        src = planned[name]
        if Path(name).suffix.lower() not in SUPPORTED:
            reason = f"định dạng '{Path(name).suffix}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"
            report.errors.append((str(src.origin), str(DocumentError(str(src.origin), reason))))
            continue
        src.doc = docs[name]
        out.append(src)
    return out


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _live(index: IndexDir) -> tuple[Path | None, Manifest | None]:
    live = index.current()
    return live, (Manifest.read(live / MANIFEST) if live else None)


def _held_back(src: _Source, old_text: str, old_chunks: list[Chunk], guards: Guards) -> str:
    """Why a new version looks like a damaged copy of the indexed one ('' when it does not)."""
    if len(old_text) >= guards.min_chars and len(src.text) < guards.min_ratio * len(old_text):
        return (f"bản mới chỉ còn {len(src.text):,} ký tự so với {len(old_text):,} ký tự của bản đã lập chỉ mục"
                .replace(",", "."))
    old_numbered = sum(c.kind in NUMBERED for c in old_chunks)
    if old_numbered >= guards.min_numbered and not any(c.kind in NUMBERED for c in src.chunks or []):
        return f"bản mới mất hết cấu trúc điều khoản (bản đã lập chỉ mục có {old_numbered} đoạn đánh số)"
    return ""


def ingest(
    sources: Path,
    catalog: Catalog,
    index: IndexDir,
    embedder,
    *,
    extra: list[Path] | None = None,
    options: ChunkingOptions = ChunkingOptions(),
    max_bytes: int | None = None,
    rebuild: bool = False,
    force: bool = False,
    replace: bool = False,
    guards: Guards = Guards(),
    progress: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Bring the index in step with the sources folder (plus extra files, copied in)."""
    t0 = time.perf_counter()
    report = IngestReport()
    try:
        sources.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"không tạo được thư mục nguồn {sources} ({exc.strerror})") from None
    work = _Work(options, max_bytes, embedder, progress)

    # 1. read, parse and embed what changed since the live generation, without the lock
    _, seen_manifest = _live(index)
    planned = _plan(sources, list(extra or []), catalog, seen_manifest, replace, IngestReport())
    for src in planned:
        work.read(src)
    work.parse([s for s in planned if _needs_parse(s, seen_manifest, rebuild)])
    work.vectors([c for s in planned if s.chunks for c in s.chunks])

    # 2. under the lock: the same plan against the generation live now, then publish
    try:
        with index.lock(on_wait=on_wait):
            return _publish(sources, list(extra or []), catalog, index, embedder, work, report,
                            rebuild=rebuild, force=force, replace=replace, guards=guards, t0=t0)
    except OSError as exc:
        raise index_unavailable(index.root, exc, "ghi") from None


def _needs_parse(src: _Source, manifest: Manifest | None, rebuild: bool) -> bool:
    previous = (manifest.documents if manifest else {}).get(src.doc.id) if src.doc else None
    return bool(src.digest) and (rebuild or not previous or previous.get("sha256") != src.digest)


def _publish(sources, extra, catalog, index: IndexDir, embedder, work: _Work, report: IngestReport, *,
             rebuild: bool, force: bool, replace: bool, guards: Guards, t0: float) -> IngestReport:
    live, manifest = _live(index)
    reuse = live is not None and not rebuild
    if manifest is not None and reuse:
        try:
            check_embedder(manifest, embedder)
        except IndexMismatchError:
            reuse = False  # never mix vectors: every chunk is embedded again with the new embedder
    old_docs = dict(manifest.documents) if manifest else {}
    old_chunks = read_chunks(live) if live else []
    old_by_doc: dict[str, list[Chunk]] = {}
    for c in old_chunks:
        old_by_doc.setdefault(c.doc_id, []).append(c)

    planned = _plan(sources, extra, catalog, manifest, replace, report)
    for src in planned:
        work.read(src)
    work.parse([s for s in planned if _needs_parse(s, manifest, not reuse)])

    fresh: dict[str, _Source] = {}  # doc id -> new version to index
    keep: set[str] = set()  # doc ids whose indexed version stays
    seen: set[str] = set()
    for src in planned:
        doc = src.doc
        seen.add(doc.id)
        previous = old_docs.get(doc.id)
        if reuse and previous and previous.get("sha256") == src.digest and src.digest:
            report.unchanged.append(doc.id)
            keep.add(doc.id)
            continue
        why = src.error
        if not why and previous and not force:
            why = _held_back(src, _old_text(live, doc.id), old_by_doc.get(doc.id, []), guards)
            if why:
                why = f"tệp {src.origin}: {why}; giữ bản đã lập chỉ mục — nếu đúng là bản mới, chạy lại với --force"
        if why:
            report.errors.append((str(src.origin), why))
            if previous and doc.id in old_by_doc:
                keep.add(doc.id)
                report.kept.append(doc.id)
            continue
        fresh[doc.id] = src
        (report.updated if previous and reuse else report.added).append(doc.id)  # a rebuild adds all
        if doc.id not in catalog.ids and not previous:
            report.notices.append(_unlisted_notice(src, catalog, old_docs, seen_files={s.name for s in planned}))
    report.removed = sorted(d for d in old_docs if d not in seen)
    if report.removed and not force and old_docs and not (set(old_docs) & (seen | keep)):
        raise BadInputError(
            f"thư mục nguồn {sources} không còn văn bản nào trong {len(old_docs)} văn bản đã lập chỉ mục; "
            "không gỡ hết chỉ mục — hãy kiểm tra TROLY_SOURCES_DIR, hoặc chạy lại với --force nếu thật sự muốn"
        )

    if not report.changed and reuse:  # the live generation already holds what stays
        return _finish(report, sum(e["chunks"] for e in old_docs.values()), live.name, t0)

    for src in fresh.values():  # copy the accepted extra files into the sources folder
        if src.is_copy:
            try:
                shutil.copyfile(src.origin, src.target)
            except OSError as exc:
                raise BadInputError(f"không chép được {src.origin} vào {sources} ({exc.strerror})") from None

    chunks, texts = _assemble(planned, fresh, keep, old_chunks, old_by_doc, live, reuse)
    if not chunks:
        raise BadInputError(f"không có văn bản nào nạp được trong {sources}; chỉ mục không thay đổi")
    # a new folder, never a copy: the live one is being read, and copying files others read
    # (or that a reader's library rewrites) could tear them
    gen = index.new_generation(copy_from=None)
    _write_vectors(gen, embedder, work, chunks, live if reuse else None, fresh)
    write_chunks(gen, chunks)
    texts_dir = gen / TEXTS
    texts_dir.mkdir(exist_ok=True)
    for doc_id, text in texts.items():
        (texts_dir / f"{doc_id}.txt").write_text(text, "utf-8")
    embedded = [c.embedding_text() for c in chunks]
    LexicalIndex.build(embedded, Analyzer.for_corpus(embedded)).save(gen / LEXICAL)
    documents = {d: e for d, e in old_docs.items() if d in keep}
    for doc_id, src in fresh.items():
        documents[doc_id] = {"file": src.name, "sha256": src.digest, "bytes_sha256": src.data_sha,
                             "chunks": len(src.chunks)}
    Manifest(embedder.name, embedder.version, documents, time.time()).write(gen / MANIFEST)
    index.publish(gen)
    return _finish(report, len(chunks), gen.name, t0)


def _finish(report: IngestReport, chunks: int, generation: str, t0: float) -> IngestReport:
    report.chunks, report.generation, report.seconds = chunks, generation, time.perf_counter() - t0
    return report


def _old_text(live: Path | None, doc_id: str) -> str:
    if live is None:
        return ""
    try:
        return (live / TEXTS / f"{doc_id}.txt").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _unlisted_notice(src: _Source, catalog: Catalog, old_docs: dict, seen_files: set[str]) -> str:
    """Say that a file is not in the catalog, and which one it may have been renamed from."""
    doc = src.doc
    text = (f"tệp {src.name} không có trong danh mục văn bản; đã nạp với mã '{doc.id}' "
            f"(xem bằng `troly show {doc.id}`)")
    for old_id, entry in old_docs.items():
        if entry.get("bytes_sha256") == src.data_sha and entry.get("file") not in seen_files:
            listed = catalog.by_id(old_id)
            name = f"{listed.short} ({entry.get('file')})" if listed else str(entry.get("file"))
            return text + f"; có vẻ là {name} đổi tên — hãy sửa mục `file` trong danh mục nếu đúng vậy"
    return text


def _assemble(planned, fresh, keep, old_chunks, old_by_doc, live, reuse) -> tuple[list[Chunk], dict[str, str]]:
    """The new generation's chunks in a stable order, and every document's text.

    Incremental: the kept chunks in their previous order, then the new ones in file order.
    Rebuilt: every document in file order, kept ones with their previous chunks."""
    texts = {doc_id: src.text for doc_id, src in fresh.items()}
    for doc_id in keep - set(fresh):
        texts[doc_id] = _old_text(live, doc_id)
    if reuse:
        chunks = [c for c in old_chunks if c.doc_id in keep and c.doc_id not in fresh]
        chunks += [c for src in planned if src.doc.id in fresh and fresh[src.doc.id] is src for c in src.chunks]
        return chunks, texts
    chunks = []
    for src in planned:
        doc_id = src.doc.id
        if doc_id in fresh and fresh[doc_id] is src:
            chunks += src.chunks
        elif doc_id in keep:
            chunks += old_by_doc.get(doc_id, [])
    return chunks, texts


def _write_vectors(gen: Path, embedder, work: _Work, chunks: list[Chunk], live: Path | None, fresh) -> None:
    """The generation's vectors: in its Chroma collection and, in chunk order, in the file
    readers use for the exact search. A kept chunk's vector comes from the live generation
    (same embedder), a new one from this ingest's embedding."""
    known = read_vectors(live) if live is not None else {}
    vectors = {c.id: known[c.id] for c in chunks if c.doc_id not in fresh and c.id in known}
    todo = [c for c in chunks if c.id not in vectors]
    vectors.update(zip((c.id for c in todo), work.vectors(todo)))
    matrix = np.stack([vectors[c.id] for c in chunks]) if chunks else np.zeros((0, 1), dtype=np.float32)
    client = chroma_client(gen / CHROMA_DIR)
    collection = client.get_or_create_collection(COLLECTION, metadata=collection_metadata(embedder),
                                                 embedding_function=None)
    batch = 1000
    for i in range(0, len(chunks), batch):
        part = chunks[i:i + batch]
        collection.add(ids=[c.id for c in part], embeddings=matrix[i:i + batch],
                       metadatas=[chunk_metadata(c) for c in part], documents=[c.embedding_text() for c in part])
    forget_chroma(gen / CHROMA_DIR)
    write_vectors(gen, matrix)
