"""The public API every shell (CLI, Streamlit, eval) uses: one ``Assistant`` built from
``Settings``. It wires the retrieval and answering parts in one visible place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from retrieval.catalog import Catalog
from retrieval.embedding import EmbedderSpec, make_embedder
from retrieval.errors import BadInputError
from retrieval.index import IndexDir
from retrieval.ingest import ChunkingOptions, IngestReport, ingest
from retrieval.store import ChunkTable
from retrieval.types import Chunk, DocumentInfo

from .settings import Settings


@dataclass
class DocumentStats:
    """A catalog entry with its number of indexed chunks."""

    doc: DocumentInfo
    chunks: int


@dataclass
class ClauseView:
    """A clause to display: its own chunks and everything below it."""

    doc: DocumentInfo
    path: str
    chunks: list[Chunk]

    @property
    def breadcrumb(self) -> list[str]:
        return self.chunks[0].breadcrumb if self.chunks else []


class Assistant:
    """Facade over ingestion, search and answering."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()

    # -- wiring ----------------------------------------------------------------------
    @cached_property
    def catalog(self) -> Catalog:
        return Catalog.load(self.settings.catalog)

    @cached_property
    def index_dir(self) -> IndexDir:
        return IndexDir(self.settings.index)

    @cached_property
    def embedder(self):
        s = self.settings
        spec = EmbedderSpec(
            model=s.embedding_model, base_url=s.openai_base_url,
            api_key=s.openai_api_key.get_secret_value() if s.openai_api_key else None,
            batch_size=s.embedding_batch_size, timeout=s.request_timeout, max_retries=s.max_retries,
        )
        return make_embedder(s.embedder, spec)

    @cached_property
    def table(self) -> ChunkTable:
        return ChunkTable.open(self.index_dir)

    def reload(self) -> None:
        """Forget cached index data (after an ingest)."""
        for name in ("table",):
            self.__dict__.pop(name, None)

    # -- operations ------------------------------------------------------------------
    def ingest(self, paths: list[Path] | None = None, rebuild: bool = False, progress: bool = True) -> IngestReport:
        s = self.settings
        report = ingest(
            s.sources, self.catalog, self.index_dir, self.embedder, extra=paths,
            options=ChunkingOptions(s.chunk_max_tokens, s.chunk_min_tokens),
            max_bytes=int(s.max_file_mb * 1e6), rebuild=rebuild, progress=progress,
        )
        self.reload()
        return report

    def documents(self) -> list[DocumentStats]:
        counts: dict[str, int] = {}
        for c in self.table.chunks:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        docs = list(self.catalog.documents)
        known = {d.id for d in docs}
        docs += [self.catalog.for_unlisted(Path(doc_id)) for doc_id in counts if doc_id not in known]
        return [DocumentStats(d, counts.get(d.id, 0)) for d in docs]

    def document(self, name: str) -> DocumentInfo:
        doc = self.catalog.find(name)
        if doc is None:
            valid = ", ".join(d.short for d in self.catalog.documents)
            raise BadInputError(f"không có văn bản '{name}'; các văn bản: {valid}")
        return doc

    def show(self, doc_name: str, path: str) -> ClauseView:
        doc = self.document(doc_name)
        chunks = self.table.at_path(doc.id, path)
        if not chunks:
            raise BadInputError(f"không tìm thấy điều khoản '{path}' trong {doc.short}; xem mục lục bằng `troly show {doc.short}`")
        return ClauseView(doc, path, chunks)
