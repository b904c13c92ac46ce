"""One file → chunks: load its bytes, normalize the text, parse the structure, cut the
chunks. Also the version of this pipeline and a file's digest, which decide when a file
indexed before must be parsed again."""

from __future__ import annotations

import bisect
import hashlib
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import chunking, normalize, ocr, structure, tables
from .chunking import chunk_document
from .errors import DocumentError
from .loading import load
from .normalize import normalize as normalize_text
from .structure import parse
from .types import Chunk, DocumentInfo


@dataclass(frozen=True)
class ChunkingOptions:
    max_tokens: int = 400
    min_tokens: int = 12


def pipeline_version(options: ChunkingOptions) -> str:
    """Changes when the code or settings that shape chunks change, so chunks are rebuilt."""
    h = hashlib.sha256(f"{options.max_tokens}/{options.min_tokens}".encode())
    # the analyzer's source read without importing it (perf, issue 13: it loads numpy, which
    # an ingest needs only once the Chroma writer is started)
    spec = importlib.util.find_spec(f"{__package__}.lexical")
    assert spec is not None and spec.origin is not None
    lexical_source = spec.origin
    for source in (
        normalize.__file__,
        structure.__file__,
        chunking.__file__,
        lexical_source,
        tables.__file__,
        ocr.__file__,
    ):
        h.update(Path(str(source)).read_bytes())
    for name in ("junk_lines.txt", "stopwords_vi.txt", "abbreviations.tsv"):
        h.update(resources.files("retrieval.resources").joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def file_digest(data: bytes, doc: DocumentInfo, version: str) -> str:
    """What a file's chunks depend on: its bytes, its catalog entry, the pipeline version."""
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
        line_starts = [0] + [m.end() for m in re.finditer("\n", norm.text)]
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
