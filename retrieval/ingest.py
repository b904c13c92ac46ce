"""Ingest: source files → normalized text → structure → chunks → vectors, into a new
index generation, incrementally (only changed files are re-chunked and re-embedded) and
atomically (see index.py). Bad files are reported one line each; the rest goes on and
nothing already indexed is lost.
"""

from __future__ import annotations

import bisect
import hashlib
import shutil
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tqdm import tqdm

from . import chunking, lexical, normalize, ocr, structure, tables
from .catalog import Catalog
from .chunking import chunk_document
from .errors import DocumentError, IndexMismatchError
from .index import LEXICAL, TEXTS, IndexDir, Manifest, check_embedder, chunk_metadata, read_chunks, vector_store, write_chunks
from .lexical import Analyzer, LexicalIndex
from .loading import SUPPORTED, load
from .normalize import normalize as normalize_text
from .structure import parse
from .types import Chunk, DocumentInfo


@dataclass
class IngestReport:
    """What one ingest did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
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


def file_digest(path: Path, doc: DocumentInfo, version: str) -> str:
    h = hashlib.sha256(path.read_bytes())
    h.update(repr(sorted(doc.__dict__.items())).encode())
    h.update(version.encode())
    return h.hexdigest()


def chunk_file(path: Path, doc: DocumentInfo, options: ChunkingOptions, max_bytes: int | None = None) -> list[Chunk]:
    """Load, normalize, parse and chunk one file."""
    return parse_file(path, doc, options, max_bytes)[0]


def parse_file(
    path: Path, doc: DocumentInfo, options: ChunkingOptions, max_bytes: int | None = None
) -> tuple[list[Chunk], str]:
    """Load, normalize, parse and chunk one file; also return its normalized text."""
    loaded = load(path, max_bytes)
    norm = normalize_text(loaded.text)
    if not norm.text.strip():
        raise DocumentError(str(path), "sau khi làm sạch, tệp không còn nội dung chữ")
    page_of = None
    if loaded.page_lines:
        line_starts = [0]
        for i, ch in enumerate(norm.text):
            if ch == "\n":
                line_starts.append(i + 1)
        page_offsets = [line_starts[min(norm.line_of(n), len(line_starts) - 1)] for n in loaded.page_lines]

        def page_of(offset: int) -> int:
            return bisect.bisect_right(page_offsets, offset)

    root = parse(norm)
    chunks = chunk_document(doc, root, norm.text, page_of, options.max_tokens, options.min_tokens)
    ocr.mark_chunks(chunks, loaded.ocr_pages)
    if not chunks:
        raise DocumentError(str(path), "không tách được đoạn nào có nội dung")
    return chunks, norm.text


def source_files(sources: Path) -> list[Path]:
    return sorted(p for p in sources.iterdir() if p.is_file() and not p.name.startswith("."))


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
    progress: bool = True,
) -> IngestReport:
    """Bring the index in step with the sources folder (plus extra files, copied in)."""
    t0 = time.perf_counter()
    report = IngestReport()
    sources.mkdir(parents=True, exist_ok=True)
    with index.lock():
        for path in extra or []:
            try:
                doc = catalog.by_file(path.name) or catalog.for_unlisted(path)
                chunk_file(path, doc, options, max_bytes)  # validate before copying in
                if path.resolve().parent != sources.resolve():
                    shutil.copyfile(path, sources / path.name)
            except DocumentError as exc:
                report.errors.append((str(path), str(exc)))

        live = index.current()
        manifest = Manifest.read(live / "manifest.json") if live else None
        if manifest is not None and not rebuild:
            try:
                check_embedder(manifest, embedder)
            except IndexMismatchError:
                rebuild = True  # never mix vectors: rebuild everything with the new embedder
        old_docs = {} if (manifest is None or rebuild) else dict(manifest.documents)
        version = pipeline_version(options)

        new_chunks: dict[str, list[Chunk]] = {}
        new_texts: dict[str, str] = {}
        new_entries: dict[str, dict] = {}
        seen: set[str] = set()
        files = source_files(sources)
        for path in tqdm(files, desc="Đọc văn bản", unit="tệp", disable=not progress, leave=False):
            if path.suffix.lower() not in SUPPORTED:
                report.errors.append((str(path), str(DocumentError(str(path), f"định dạng '{path.suffix}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"))))
                continue
            doc = catalog.by_file(path.name) or catalog.for_unlisted(path)
            seen.add(doc.id)
            try:
                digest = file_digest(path, doc, version)
            except OSError as exc:
                report.errors.append((str(path), f"không đọc được tệp {path}: {exc.strerror}"))
                continue
            previous = old_docs.get(doc.id)
            if previous and previous.get("sha256") == digest:
                report.unchanged.append(doc.id)
                continue
            try:
                chunks, new_texts[doc.id] = parse_file(path, doc, options, max_bytes)
            except DocumentError as exc:
                report.errors.append((str(path), str(exc)))
                continue  # its previous chunks, if any, stay in the index
            new_chunks[doc.id] = chunks
            new_entries[doc.id] = {"file": path.name, "sha256": digest, "chunks": len(chunks)}
            (report.updated if previous else report.added).append(doc.id)
        report.removed = sorted(d for d in old_docs if d not in seen)

        if not report.changed and live is not None and not rebuild:
            report.chunks = sum(e["chunks"] for e in old_docs.values())
            report.generation = live.name
            report.seconds = time.perf_counter() - t0
            return report

        gen = index.new_generation(copy_from=None if (live is None or rebuild) else live)
        kept = [] if (live is None or rebuild) else read_chunks(live)
        drop = set(new_chunks) | set(report.removed)
        store = vector_store(gen, embedder)
        stale_ids = [c.id for c in kept if c.doc_id in drop]
        if stale_ids:
            store.delete(ids=stale_ids)
        chunks = [c for c in kept if c.doc_id not in drop]
        fresh = [c for doc_chunks in new_chunks.values() for c in doc_chunks]
        batch = 256
        with tqdm(total=len(fresh), desc="Nhúng và lập chỉ mục", unit="đoạn", disable=not progress, leave=False) as bar:
            for i in range(0, len(fresh), batch):
                part = fresh[i:i + batch]
                store.add_texts(
                    texts=[c.embedding_text() for c in part],
                    metadatas=[chunk_metadata(c) for c in part],
                    ids=[c.id for c in part],
                )
                bar.update(len(part))
        chunks.extend(fresh)
        write_chunks(gen, chunks)
        texts_dir = gen / TEXTS
        texts_dir.mkdir(exist_ok=True)
        for doc_id in drop:
            (texts_dir / f"{doc_id}.txt").unlink(missing_ok=True)
        for doc_id, text in new_texts.items():
            (texts_dir / f"{doc_id}.txt").write_text(text, "utf-8")
        shutil.rmtree(gen / LEXICAL, ignore_errors=True)
        embedded = [c.embedding_text() for c in chunks]
        LexicalIndex.build(embedded, Analyzer.for_corpus(embedded)).save(gen / LEXICAL)
        documents = {d: e for d, e in old_docs.items() if d not in drop}
        documents.update(new_entries)
        Manifest(embedder.name, embedder.version, documents, time.time()).write(gen / "manifest.json")
        index.publish(gen)
        report.chunks = len(chunks)
        report.generation = gen.name
        report.seconds = time.perf_counter() - t0
        return report
