"""The public API every shell (CLI, Streamlit, eval) uses: one ``Assistant`` built from
``Settings``. It wires the retrieval and answering parts in one visible place."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from retrieval.catalog import Catalog
from retrieval.embedding import EmbedderSpec, make_embedder
from retrieval.errors import BadInputError
from retrieval.index import IndexDir
from retrieval.ingest import ChunkingOptions, IngestReport, ingest
from retrieval.store import ChunkTable
from retrieval.docref import DocumentRecognizer
from retrieval.index import CHROMA_DIR, COLLECTION, LEXICAL, check_embedder, chroma_client
from retrieval.lexical import LexicalIndex
from retrieval.search import DenseIndex, HybridSearcher
from retrieval.types import Chunk, DocumentInfo, Hit

from . import intake
from .answering import AnswerConfig, Answerer
from .condense import RuleCondenser, Turn
from .generation import extractive as _extractive  # noqa: F401 - registers the generator
from .generation.base import make_generator
from .prompting import PromptLibrary
from .settings import Settings
from .types import Answer, Message


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

    @cached_property
    def searcher(self) -> HybridSearcher:
        table = self.table
        check_embedder(table.manifest, self.embedder)
        collection = chroma_client(table.generation / CHROMA_DIR).get_collection(COLLECTION)
        return HybridSearcher(
            table, LexicalIndex.load(table.generation / LEXICAL), DenseIndex(collection, self.embedder, table),
            DocumentRecognizer(self.catalog.documents),
        )

    @cached_property
    def prompts(self) -> PromptLibrary:
        return PromptLibrary(self.settings.prompts_dir)

    @cached_property
    def answerer(self) -> Answerer:
        searcher = self.searcher
        lexical = searcher.lexical
        tokens = lambda text: lexical.analyzer.tokens(text, query=True)  # noqa: E731
        extractive = make_generator("extractive", prompts=self.prompts, tokens=tokens, idf=lexical.idf,
                                    known=lambda t: t in lexical.doc_freq)
        if self.settings.generator in ("extractive", "offline", "default"):
            generator = extractive
        else:
            generator = make_generator(self.settings.generator, prompts=self.prompts, settings=self.settings)
        config = AnswerConfig(top_k=self.settings.top_k, abstain_threshold=self.abstain_threshold)
        condenser = RuleCondenser(searcher.recognizer)
        if self.settings.condenser == "llm":
            from .llm_condense import LLMCondenser

            condenser = LLMCondenser(condenser, self.prompts, self.settings)
        return Answerer(searcher, condenser, generator, extractive, self.prompts, self.embedder.name, config)

    @cached_property
    def studio(self):
        """The trainer toolkit (targets, timeline, outline, quiz, roles, map) over the live index."""
        from .studio.studio import Studio

        return Studio(self.table, list(self.catalog.documents), self.prompts.render, self.settings)

    @property
    def abstain_threshold(self) -> float:
        """Configured, else the value calibrated on the evaluation set, else 0.45."""
        if self.settings.abstain_threshold is not None:
            return self.settings.abstain_threshold
        path = self.settings.data_dir / "calibration.json"
        if path.exists():
            return float(json.loads(path.read_text("utf-8"))["abstain_threshold"])
        return 0.45

    def reload(self) -> None:
        """Forget cached index data (after an ingest)."""
        for name in ("table", "searcher", "answerer", "studio"):
            self.__dict__.pop(name, None)

    def ask(self, question: str, history: list[Message] | None = None, doc: str | None = None,
            on_text: Callable[[str], None] | None = None) -> Answer:
        """Answer a question (with its conversation) citing the clauses behind it.
        on_text receives the answer's text as it is produced (streaming)."""
        if not question or not question.strip():
            raise BadInputError(self.prompts.render("empty_question"))
        docs = [self.document(doc).id] if doc else None
        return self.answerer.ask(question.strip(), history or [], docs, on_text)

    def condense(self, question: str, history: list[Message]) -> str:
        """The standalone form of a follow-up question."""
        return self.answerer.condenser.condense(question, [Turn(m.role, m.content) for m in history])

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

    def propose_entries(self, paths: list[Path]):
        """Catalog entries read from the headers of files the catalog does not list yet,
        and the files that could not be read (see assistant/intake.py)."""
        return intake.propose_entries(paths, self.catalog, int(self.settings.max_file_mb * 1e6))

    def ingest_new(self, paths: list[Path], proposals, rebuild: bool = False, progress: bool = True) -> IngestReport:
        """Ingest files with their proposed entries; the entries of the files indexed are
        then written to the catalog file, the others leave it as it was."""
        self.catalog = intake.with_entries(self.catalog, proposals)
        try:
            report = self.ingest(paths, rebuild=rebuild, progress=progress)
            intake.write_entries(self.settings.catalog, proposals, {p for p, _ in report.errors})
        finally:
            self.__dict__.pop("catalog", None)  # read again from the file
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

    def search(self, query: str, k: int | None = None, doc: str | None = None) -> list[Hit]:
        """Ranked clauses for a query; doc (short name or id) restricts to one document."""
        if not query or not query.strip():
            raise BadInputError("câu hỏi trống; hãy nhập nội dung cần tìm")
        docs = [self.document(doc).id] if doc else None
        return self.searcher.search(query.strip(), k or self.settings.top_k, docs)

    def show(self, doc_name: str, path: str) -> ClauseView:
        doc = self.document(doc_name)
        chunks = self.table.at_path(doc.id, path)
        if not chunks:
            raise BadInputError(f"không tìm thấy điều khoản '{path}' trong {doc.short}; xem mục lục bằng `troly show {doc.short}`")
        return ClauseView(doc, path, chunks)
