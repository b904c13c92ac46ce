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

from . import chunking, lexical, normalize, ocr, structure, tables
from .catalog import Catalog
from .chunking import chunk_document
from .errors import BadInputError, DocumentError, IndexMismatchError
from .index import (
    LEXICAL,
    MANIFEST,
    TEXTS,
    Generations,
    Manifest,
    check_embedder,
    index_unavailable,
    read_chunks,
    write_chunks,
)
from .lexical import Analyzer, LexicalIndex
from .loading import load, read_bytes
from .normalize import normalize as normalize_text
from .sources import Guards, SourceFile, held_back, named_for_user, plan_sources, unlisted_notice
from .structure import parse
from .types import Chunk, DocumentInfo
from .vectors import write_vectors

Progress = Callable[[str, float], None]  # (what is being done, in Vietnamese; its share done 0..1)


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


def pipeline_version(options: ChunkingOptions) -> str:
    """Changes when the code or settings that shape chunks change, so chunks are rebuilt."""
    h = hashlib.sha256(f"{options.max_tokens}/{options.min_tokens}".encode())
    for module in (normalize, structure, chunking, lexical, tables, ocr):
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
    path: Path,
    doc: DocumentInfo,
    options: ChunkingOptions,
    max_bytes: int | None = None,
    data: bytes | None = None,
    progress: Callable[[float], None] | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> tuple[list[Chunk], str]:
    """Load, normalize, parse and chunk one file (or its bytes); also return its normalized
    text. progress receives the share of the work done (0..1) as it goes; on_page hears
    each scanned page read by OCR (pages done, pages to read)."""
    tick = progress or (lambda share: None)
    loaded = load(path, max_bytes, data, on_page=on_page)
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
    chunks = chunk_document(
        doc,
        root,
        norm.text,
        page_of,
        options.max_tokens,
        options.min_tokens,
        progress=lambda share: tick(0.6 + 0.4 * share),
    )
    ocr.mark_chunks(chunks, loaded.ocr_pages)
    if not chunks:
        raise DocumentError(str(path), "không tách được đoạn nào có nội dung")
    return chunks, norm.text


class _Work:
    """Files read, parsed and embedded once, whatever the lock's wait brings."""

    def __init__(
        self,
        options: ChunkingOptions,
        max_bytes: int | None,
        embedder,
        progress: bool,
        on_progress: Progress | None = None,
    ):
        self.options, self.max_bytes, self.embedder, self.progress = options, max_bytes, embedder, progress
        self.report = on_progress or (lambda stage, share: None)
        self.version = pipeline_version(options)
        self._parsed: dict[str, tuple[list[Chunk] | None, str, str]] = {}  # digest -> (chunks, text, error)
        self._vectors: dict[str, np.ndarray] = {}  # embedding text -> vector

    def read(self, src: SourceFile) -> None:
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
        src.data = data

    def parse(self, sources: list[SourceFile]) -> None:
        """Parse every file not parsed yet, with a bar that moves by the bytes parsed."""
        todo = [s for s in sources if s.digest and s.digest not in self._parsed]
        total = sum(s.size for s in todo)
        with tqdm(
            total=total,
            desc="Đọc và phân tích văn bản",
            unit="B",
            unit_scale=True,
            disable=not self.progress or not todo,
            leave=False,
        ) as bar:
            before = 0  # bytes of the files parsed before this one
            for src in todo:
                done = [0.0]

                def tick(share: float, src=src, done=done, before=before) -> None:
                    bar.update(src.size * (share - done[0]))
                    done[0] = share
                    self.report(f"Đọc và phân tích {src.name}", (before + src.size * share) / max(total, 1))

                def page(n: int, pages: int, src=src) -> None:
                    self.report(f"Nhận dạng chữ (OCR) {src.name}: trang {n}/{pages}", n / pages)

                try:
                    chunks, text = parse_file(
                        src.target, src.doc, self.options, self.max_bytes, data=src.data, progress=tick, on_page=page
                    )
                    self._parsed[src.digest] = (chunks, text, "")
                except DocumentError as exc:
                    self._parsed[src.digest] = (None, "", named_for_user(exc, src))
                tick(1.0)
                before += src.size
                src.data = None
        for src in sources:
            if src.digest in self._parsed:
                src.chunks, src.text, error = self._parsed[src.digest]
                src.error = src.error or error

    def vectors(self, chunks: list[Chunk]) -> np.ndarray:
        """Vectors of the chunks' embedding texts, each text embedded once per ingest."""
        texts = [c.embedding_text() for c in chunks]
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        batch = 256
        with tqdm(
            total=len(missing), desc="Nhúng văn bản", unit="đoạn", disable=not self.progress or not missing, leave=False
        ) as bar:
            for i in range(0, len(missing), batch):
                part = missing[i : i + batch]
                for text, vector in zip(part, np.asarray(self.embedder.embed_documents(part), dtype=np.float32)):
                    self._vectors[text] = vector
                bar.update(len(part))
                self.report("Nhúng văn bản", min(i + batch, len(missing)) / len(missing))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])


def _live(index: Generations) -> tuple[Path | None, Manifest | None]:
    live = index.current()
    return live, (Manifest.read(live / MANIFEST) if live else None)


def ingest(
    sources: Path,
    catalog: Catalog,
    index: Generations,
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
    on_progress: Progress | None = None,
    before_publish: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Bring the index in step with the sources folder (plus extra files, copied in).

    on_progress hears the stage and its share done (for a UI's bar); before_publish is
    called under the lock with the report once the new generation is written and before it
    goes live (report.generation names it): the place to write what must change with it
    (the catalog entry); if it raises, nothing is published."""
    t0 = time.perf_counter()
    report = IngestReport()
    try:
        sources.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"không tạo được thư mục nguồn {sources} ({exc.strerror})") from None
    work = _Work(options, max_bytes, embedder, progress, on_progress)

    # 1. read, parse and embed what changed since the live generation, without the lock
    seen_live, seen_manifest = _live(index)
    planned = plan_sources(sources, list(extra or []), catalog, seen_manifest, replace, [])
    for src in planned:
        work.read(src)
    work.parse(
        [
            s
            for s in planned
            if _needs_parse(s, seen_manifest, not _reusable(seen_live, seen_manifest, embedder, rebuild))
        ]
    )
    work.vectors([c for s in planned if s.chunks for c in s.chunks])

    # 2. under the lock: the same plan against the generation live now, then publish
    try:
        with index.lock(on_wait=on_wait):
            return _publish(
                sources,
                list(extra or []),
                catalog,
                index,
                embedder,
                work,
                report,
                rebuild=rebuild,
                force=force,
                replace=replace,
                guards=guards,
                t0=t0,
                before_publish=before_publish,
            )
    except OSError as exc:
        raise index_unavailable(index.root, exc, "ghi") from None


def _reusable(live: Path | None, manifest: Manifest | None, embedder, rebuild: bool) -> bool:
    """Whether the live generation's chunks and vectors can be kept (else everything is built
    again: never mix the vectors of two embedders)."""
    if live is None or manifest is None or rebuild:
        return False
    try:
        check_embedder(manifest, embedder)
    except IndexMismatchError:
        return False
    return True


def _needs_parse(src: SourceFile, manifest: Manifest | None, rebuild: bool) -> bool:
    previous = (manifest.documents if manifest else {}).get(src.doc.id) if src.doc else None
    return bool(src.digest) and (rebuild or not previous or previous.get("sha256") != src.digest)


def _publish(
    sources,
    extra,
    catalog,
    index: Generations,
    embedder,
    work: _Work,
    report: IngestReport,
    *,
    rebuild: bool,
    force: bool,
    replace: bool,
    guards: Guards,
    t0: float,
    before_publish: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    live, manifest = _live(index)
    reuse = _reusable(live, manifest, embedder, rebuild)
    old_docs = dict(manifest.documents) if manifest else {}
    old_chunks = read_chunks(live) if live else []
    old_by_doc: dict[str, list[Chunk]] = {}
    for c in old_chunks:
        old_by_doc.setdefault(c.doc_id, []).append(c)

    planned = plan_sources(sources, extra, catalog, manifest, replace, report.errors)
    for src in planned:
        work.read(src)
    work.parse([s for s in planned if _needs_parse(s, manifest, not reuse)])

    fresh: dict[str, SourceFile] = {}  # doc id -> new version to index
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
            why = held_back(src, _old_text(live, doc.id), old_by_doc.get(doc.id, []), guards)
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
            report.notices.append(unlisted_notice(src, catalog, old_docs, seen_files={s.name for s in planned}))
    report.removed = sorted(d for d in old_docs if d not in seen)
    if report.removed and not force and old_docs and not (set(old_docs) & (seen | keep)):
        raise BadInputError(
            f"thư mục nguồn {sources} không còn văn bản nào trong {len(old_docs)} văn bản đã lập chỉ mục; "
            "không gỡ hết chỉ mục — hãy kiểm tra TROLY_SOURCES_DIR, hoặc chạy lại với --force nếu thật sự muốn"
        )

    if not report.changed and reuse:  # the live generation already holds what stays
        return _finish(report, sum(e["chunks"] for e in old_docs.values()), live.name, t0)

    new_files = [s.target for s in fresh.values() if s.is_copy and not s.target.exists()]
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
    _write_vectors(index, gen, embedder, work, chunks, live if reuse else None, fresh)
    write_chunks(gen, chunks)
    texts_dir = gen / TEXTS
    texts_dir.mkdir(exist_ok=True)
    for doc_id, text in texts.items():
        (texts_dir / f"{doc_id}.txt").write_text(text, "utf-8")
    embedded = [c.embedding_text() for c in chunks]
    LexicalIndex.build(embedded, Analyzer.for_corpus(embedded)).save(gen / LEXICAL)
    documents = {d: e for d, e in old_docs.items() if d in keep}
    for doc_id, src in fresh.items():
        documents[doc_id] = {
            "file": src.name,
            "sha256": src.digest,
            "bytes_sha256": src.data_sha,
            "chunks": len(src.chunks),
        }
    Manifest(embedder.name, embedder.version, documents, time.time()).write(gen / MANIFEST)
    if before_publish is not None:
        report.generation = gen.name
        try:
            before_publish(report)
        except BaseException:  # nothing goes live: the files just copied in go too
            for path in new_files:
                path.unlink(missing_ok=True)
            raise
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


def _write_vectors(
    index: Generations, gen: Path, embedder, work: _Work, chunks: list[Chunk], live: Path | None, fresh
) -> None:
    """The generation's vectors: in its Chroma collection (local, or on the Chroma server)
    and, in chunk order, in the file readers use for the exact search. A kept chunk's vector
    comes from the live generation (same embedder), a new one from this ingest's embedding."""
    known = index.vectors_of(live) if live is not None else {}
    vectors = {c.id: known[c.id] for c in chunks if c.doc_id not in fresh and c.id in known}
    todo = [c for c in chunks if c.id not in vectors]
    vectors.update(zip((c.id for c in todo), work.vectors(todo)))
    matrix = np.stack([vectors[c.id] for c in chunks]) if chunks else np.zeros((0, 1), dtype=np.float32)
    work.report("Ghi chỉ mục", 0.0)
    index.write_collection(gen, chunks, matrix, embedder, work.progress)
    work.report("Ghi chỉ mục", 1.0)
    write_vectors(gen, matrix)
