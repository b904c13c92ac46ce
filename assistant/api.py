"""The public API every shell (CLI, Streamlit, eval) uses: one ``Assistant`` built from
``Settings``. It wires the retrieval and answering parts in one visible place.

The Assistant reads one index generation at a time and holds a lease on it (see
retrieval/index.py), so an ingest never removes what it is reading. Between questions it
checks whether an ingest published a new generation and, if so, switches to it; the old
one is let go once no question in flight uses it (and a short grace period has passed, for
pages that still show its clauses), so a long-lived process (the UI, a server) follows the
index without a restart and without a failed read.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from retrieval.catalog import Catalog
from retrieval.errors import BadInputError, TrolyError
from retrieval.index import Generations, Lease
from retrieval.store import ChunkTable
from retrieval.types import Chunk, DocumentInfo, Hit

from .prompting import PromptLibrary
from .registry import CONDENSERS, GENERATORS, make_embedder, make_generator, make_vector_store
from .types import Answer, Message

if TYPE_CHECKING:  # retrieval.ingest (tqdm, parsers), intake and library are imported only by the
    # operations that use them: a cold `troly ask` skips them (issue 13); the search and the
    # answering (numpy, bm25s, the answer modules) only once a question is asked, so that
    # `troly docs` and the other listings start without them
    from retrieval.ingest import IngestReport, Progress
    from retrieval.search import HybridSearcher

    from . import library
    from .answering import Answerer
    from .generation.base import Generator
    from .settings import Settings

RETIRE_GRACE_S = 30.0  # an old generation stays held this long after the switch


@dataclass
class DocumentStats:
    """A catalog entry with its number of indexed chunks."""

    doc: DocumentInfo
    chunks: int

    def as_dict(self) -> dict[str, object]:
        """The entry as `troly docs --json` and the API's /v1/documents list it."""
        d = self.doc
        return {
            "id": d.id,
            "short": d.short,
            "title": d.title,
            "issuer": d.issuer,
            "date": d.date,
            "kind": d.kind,
            "authority": d.authority,
            "chunks": self.chunks,
        }


@dataclass
class ClauseView:
    """A clause to display: its own chunks and everything below it."""

    doc: DocumentInfo
    path: str
    chunks: list[Chunk]

    @property
    def breadcrumb(self) -> list[str]:
        return self.chunks[0].breadcrumb if self.chunks else []


_T = TypeVar("_T")


@dataclass(eq=False)
class _Loaded:
    """One generation as this process reads it: its lease and what was built over it."""

    lease: Lease
    table: ChunkTable
    searcher: HybridSearcher | None = None
    answerer: Answerer | None = None
    studio: Any = None  # assistant.studio.studio.Studio, built on first use
    answers: Any = None  # assistant.answer_cache.AnswerCache (perf, issue 13), built on first use
    users: int = 0  # questions in flight
    retired_at: float | None = None

    def close(self) -> None:
        from retrieval.searcher import close_generation

        self.lease.release()
        close_generation(self.table.generation)


def check_text(text: str, what: str = "câu hỏi") -> str:
    """Refuse text that cannot be written as UTF-8 (invalid bytes on the command line or in
    a file come in as lone surrogates) instead of printing broken JSON later."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInputError(f"{what} chứa byte không phải UTF-8 hợp lệ; hãy gõ hoặc lưu lại bằng UTF-8") from None
    return text


class Assistant:
    """Facade over ingestion, search and answering."""

    def __init__(self, settings: Settings | None = None, retire_grace_s: float = RETIRE_GRACE_S):
        if settings is None:
            from .settings import Settings  # pydantic-settings: only when no settings are given

            settings = Settings()
        self.settings = settings
        self.retire_grace_s = retire_grace_s
        self._loaded: _Loaded | None = None
        self._retired: list[_Loaded] = []
        self._guard = threading.RLock()

    # -- wiring ----------------------------------------------------------------------
    @cached_property
    def catalog(self) -> Catalog:
        return Catalog.load(self.settings.catalog)

    @cached_property
    def index_dir(self) -> Generations:
        """Where the index generations live: the local folder, or a Chroma server shared by
        every replica (TROLY_CHROMA_URL; the folder then keeps local copies)."""
        return make_vector_store(self.settings)

    @cached_property
    def embedder(self):
        from retrieval.embedding import EmbedderSpec

        s = self.settings
        spec = EmbedderSpec(
            model=s.embedding_model,
            base_url=s.openai_base_url,
            api_key=s.openai_api_key.get_secret_value() if s.openai_api_key else None,
            batch_size=s.embedding_batch_size,
            timeout=s.request_timeout,
            max_retries=s.max_retries,
        )
        return make_embedder(s.embedder, spec)

    @property
    def table(self) -> ChunkTable:
        """The chunks of the generation this Assistant reads."""
        return self._current().table

    @property
    def searcher(self) -> HybridSearcher:
        return self._searcher_of(self._current())

    @property
    def answerer(self) -> Answerer:
        return self._answerer_of(self._current())

    @cached_property
    def prompts(self) -> PromptLibrary:
        return PromptLibrary(self.settings.prompts_dir)

    def _build_searcher(self, table: ChunkTable) -> HybridSearcher:
        from retrieval.threads import load_numpy

        load_numpy(self.settings.blas_threads)  # before the searcher's modules load it; see retrieval/threads.py
        from retrieval.searcher import open_searcher

        return open_searcher(self.index_dir, table, self.embedder, self.catalog.documents)

    def _build_answerer(self, searcher: HybridSearcher) -> Answerer:
        from .answering import AnswerConfig, Answerer
        from .generation.extractive import ExtractiveGenerator

        lexical = searcher.lexical
        tokens = lambda text: lexical.analyzer.tokens(text, query=True)  # noqa: E731
        # the offline generator itself, not one chosen by name: the answerer falls back on it
        # and reads its evidence scorer
        extractive = ExtractiveGenerator(
            self.prompts, tokens, lexical.idf, known=lambda t: t in lexical.doc_freq, foreign=lexical.foreign_folds
        )
        generator: Generator
        if GENERATORS.is_offline(self.settings.generator):
            generator = extractive
        else:
            generator = make_generator(self.settings.generator, prompts=self.prompts, settings=self.settings)
        config = AnswerConfig(
            top_k=self.settings.top_k,
            abstain_threshold=self.abstain_threshold,
            abstain_detail_check=self.settings.abstain_detail_check,
        )
        condenser = CONDENSERS.make(
            self.settings.condenser, searcher.recognizer, prompts=self.prompts, settings=self.settings
        )
        return Answerer(searcher, condenser, generator, extractive, self.prompts, self.embedder.name, config)

    @property
    def studio(self):
        """The trainer toolkit (targets, timeline, outline, quiz, roles, map) over the live
        generation (built once per generation)."""
        loaded = self._current()
        with self._guard:
            if loaded.studio is None:
                from .studio.studio import Studio

                loaded.studio = Studio(loaded.table, list(self.catalog.documents), self.prompts.render, self.settings)
            return loaded.studio

    @property
    def abstain_threshold(self) -> float:
        """Configured, else the value calibrated on the evaluation set, else 0.45."""
        if self.settings.abstain_threshold is not None:
            return self.settings.abstain_threshold
        path = self.settings.calibration
        if path.exists():
            return float(json.loads(path.read_text("utf-8"))["abstain_threshold"])
        return 0.45

    # -- the generation read ---------------------------------------------------------
    def _current(self) -> _Loaded:
        with self._guard:
            if self._loaded is None:
                self._loaded = self._open()
            return self._loaded

    def _open(self) -> _Loaded:
        lease = self.index_dir.lease_current()
        try:
            return _Loaded(lease, ChunkTable.at(lease.path))
        except BaseException:
            lease.release()
            raise

    @property
    def generation(self) -> str:
        """The name of the generation being read."""
        return self._current().lease.name

    def refresh(self) -> bool:
        """Switch to the live generation if an ingest published a newer one (call between
        questions; a question in flight keeps the generation it started on). True when it
        switched. A live generation that cannot be opened leaves the current one in use."""
        with self._guard:
            self._release_retired()
            loaded = self._loaded
            if loaded is None:
                return False
            try:
                name = self.index_dir.current_name()
                if name is None or name == loaded.lease.name:
                    return False
                fresh = self._open()
            except TrolyError:
                return False
            self._loaded = fresh
            self._retire(loaded)
            self.__dict__.pop("catalog", None)  # an ingest writes the catalog before it publishes
            return True

    def reload(self) -> None:
        """Forget the generation read (after an ingest): the next use opens the live one."""
        with self._guard:
            if self._loaded is not None:
                self._retire(self._loaded)
                self._loaded = None
            self.__dict__.pop("catalog", None)

    def close(self) -> None:
        """Let go of every generation held (the process may go on without the index)."""
        with self._guard:
            self.reload()
            for loaded in self._retired:
                loaded.retired_at = float("-inf")
            self._release_retired()

    def _retire(self, loaded: _Loaded) -> None:
        loaded.retired_at = time.monotonic()
        self._retired.append(loaded)
        self._release_retired()

    def _release_retired(self) -> None:
        now = time.monotonic()
        for loaded in list(self._retired):
            retired_at = loaded.retired_at
            if loaded.users == 0 and retired_at is not None and now - retired_at >= self.retire_grace_s:
                self._retired.remove(loaded)
                loaded.close()

    def _searcher_of(self, loaded: _Loaded) -> HybridSearcher:
        """The searcher over a loaded generation, built once."""
        with self._guard:
            if loaded.searcher is None:
                loaded.searcher = self._build_searcher(loaded.table)
            return loaded.searcher

    def _answerer_of(self, loaded: _Loaded) -> Answerer:
        """The answerer over a loaded generation (and its searcher), built once."""
        with self._guard:
            if loaded.answerer is None:
                loaded.answerer = self._build_answerer(self._searcher_of(loaded))
            return loaded.answerer

    def _using(self, ready: Callable[[_Loaded], _T]) -> tuple[_T, Callable[[], None]]:
        """What ``ready`` builds over the live generation (its searcher or answerer), the
        generation counted as in use until the returned release is called."""
        self.refresh()
        with self._guard:
            loaded = self._current()
            loaded.users += 1

        def release() -> None:
            with self._guard:
                loaded.users -= 1
                self._release_retired()

        try:
            return ready(loaded), release
        except BaseException:
            release()
            raise

    # -- questions -------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: list[Message] | None = None,
        doc: str | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer a question (with its conversation) citing the clauses behind it.
        on_text receives the answer's text as it is produced (streaming)."""
        if not question or not question.strip():
            raise BadInputError(self.prompts.render("empty_question"))
        check_text(question)
        for message in history or []:
            check_text(message.content, "lịch sử hội thoại")
        docs = [self.document(doc).id] if doc else None
        # perf (issue 13): an exactly repeated request gets the answer computed before
        (answerer, answers), release = self._using(lambda g: (self._answerer_of(g), self._answers_of(g)))
        try:
            if answers is None or on_text is not None:
                return answerer.ask(question.strip(), history or [], docs, on_text)
            from .answer_cache import request_key

            t0 = time.perf_counter()
            key = request_key(question.strip(), history or [], docs, answerer)
            answer = answers.get(key)
            if answer is None:
                answer = answerer.ask(question.strip(), history or [], docs)
                answers.put(key, answer)
            else:
                total = (time.perf_counter() - t0) * 1000
                answer.timings_ms = {"retrieve": 0.0, "generate": total, "total": total}
            return answer
        finally:
            release()

    def _answers_of(self, loaded: _Loaded):
        """The answer cache of a loaded generation (None when off or with a backend that is
        not offline: an LLM's answers are not replayed)."""
        s = self.settings
        if s.answer_cache <= 0 or not (GENERATORS.is_offline(s.generator) and CONDENSERS.is_offline(s.condenser)):
            return None
        with self._guard:
            if loaded.answers is None:
                from .answer_cache import AnswerCache

                loaded.answers = AnswerCache(s.answer_cache)
            return loaded.answers

    def condense(self, question: str, history: list[Message]) -> str:
        """The standalone form of a follow-up question."""
        from .condense import Turn

        return self.answerer.condenser.condense(question, [Turn(m.role, m.content) for m in history])

    # -- operations ------------------------------------------------------------------
    def ingest(
        self,
        paths: list[Path] | None = None,
        rebuild: bool = False,
        progress: bool = True,
        force: bool = False,
        replace: bool = False,
        on_wait: Callable[[str], None] | None = None,
        on_progress: Progress | None = None,
        catalog: Catalog | None = None,
        before_publish: Callable[[IngestReport], None] | None = None,
    ) -> IngestReport:
        """Bring the index in step with the sources folder (plus extra files, copied in);
        force accepts new versions that look damaged, replace lets an extra file overwrite a
        source of the same name; on_wait hears why the ingest waits for another one,
        on_progress each stage and its share done; catalog: the documents as they will be
        listed (default: the catalog file); before_publish: see retrieval.ingest.ingest."""
        s = self.settings
        from retrieval.ingest import ChunkingOptions, ingest

        report = ingest(
            s.sources,
            catalog or self.catalog,
            self.index_dir,
            self.embedder,
            extra=paths,
            options=ChunkingOptions(s.chunk_max_tokens, s.chunk_min_tokens),
            max_bytes=int(s.max_file_mb * 1e6),
            rebuild=rebuild,
            force=force,
            replace=replace,
            progress=progress,
            on_wait=on_wait,
            on_progress=on_progress,
            before_publish=before_publish,
            blas_threads=s.blas_threads,
            derive=self._derive,
        )
        self.reload()
        return report

    def _derive(self, table: ChunkTable, lexical) -> None:
        """What the answers derive from a new generation, kept beside it by the ingest
        (issue 13, scale): the heading index of a large one (assistant/tree.py; a smaller
        one's is made on first use: the ingest does not even import the module)."""
        from retrieval.heading_index import LARGE

        if len(table.chunks) < LARGE:
            return
        from .tree import keep_heading_index

        keep_heading_index(table, lexical, self.prompts)

    def propose_entries(self, paths: list[Path], on_page: Callable[[int, int], None] | None = None):
        """Catalog entries read from the headers of files the catalog does not list yet,
        and the files that could not be read (see assistant/intake.py); on_page hears the
        scanned pages read by OCR."""
        unlisted = [d for d in self.indexed_catalog().documents if d.id not in self.catalog.ids]
        from . import intake

        return intake.propose_entries(paths, self.catalog, int(self.settings.max_file_mb * 1e6), on_page, unlisted)

    def propose_upload(
        self, name: str, data: bytes, replacing: str | None = None, on_page: Callable[[int, int], None] | None = None
    ):
        """The catalog entry an uploaded file's header proposes (DocumentError, naming the
        file, when it cannot be read); replacing: the id of the document it would replace,
        whose names the proposal may take again. on_page hears the pages OCR reads."""
        known = self.indexed_catalog()
        catalog = Catalog([d for d in known.documents if d.id != replacing])
        from . import intake

        return intake.propose_file(
            Path(name), catalog, int(self.settings.max_file_mb * 1e6), data=data, on_page=on_page
        )

    def check_entry(self, entry: DocumentInfo, replacing: str | None = None) -> list[str]:
        """What is wrong with a catalog entry a user edited (Vietnamese; empty when none)."""
        from . import intake

        return intake.check_entry(entry, self.indexed_catalog(), keep=replacing)

    def ingest_new(
        self,
        paths: list[Path],
        proposals,
        rebuild: bool = False,
        progress: bool = True,
        force: bool = False,
        replace: bool = False,
        on_wait: Callable[[str], None] | None = None,
        on_progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest files with their proposed entries; the entries of the documents indexed are
        written to the catalog file as the new generation goes live (assistant/library.py)."""
        from . import library

        return library.ingest_new(
            self,
            paths,
            proposals,
            rebuild=rebuild,
            progress=progress,
            force=force,
            replace=replace,
            on_wait=on_wait,
            on_progress=on_progress,
        )

    def review_replacements(self, paths: list[Path]):
        """For extra files replacing listed sources of the same name: the entry kept, the
        one the new header proposes, and where they differ (see assistant/intake.py)."""
        from . import intake

        return intake.review_replacements(
            paths, self.catalog, self.settings.sources, int(self.settings.max_file_mb * 1e6)
        )

    def remove(
        self,
        name: str,
        force: bool = False,
        progress: bool = True,
        on_wait: Callable[[str], None] | None = None,
        on_progress: Progress | None = None,
    ) -> library.Removal:
        """Take a document out of the index and the catalog; the others keep their chunk
        ids and labels (assistant/library.py)."""
        from . import library

        return library.remove(self, name, force=force, progress=progress, on_wait=on_wait, on_progress=on_progress)

    def replace_document(
        self,
        name: str,
        path: Path,
        entry: DocumentInfo | None = None,
        force: bool = False,
        progress: bool = True,
        on_wait: Callable[[str], None] | None = None,
        on_progress: Progress | None = None,
    ) -> library.Replacement:
        """Put a new file in a document's place, keeping its id (assistant/library.py)."""
        from . import library

        return library.replace_document(
            self, name, path, entry, force=force, progress=progress, on_wait=on_wait, on_progress=on_progress
        )

    def indexed_catalog(self) -> Catalog:
        """The catalog plus the documents the index holds that it does not list."""
        try:
            manifest = self.table.manifest
        except TrolyError:
            return self.catalog
        return self.catalog.with_indexed({d: str(e.get("file", d)) for d, e in manifest.documents.items()})

    def documents(self) -> list[DocumentStats]:
        self.refresh()
        counts: dict[str, int] = {}
        for c in self.table.chunks:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        return [DocumentStats(d, counts.get(d.id, 0)) for d in self.indexed_catalog().documents]

    def document(self, name: str) -> DocumentInfo:
        check_text(name, "tên văn bản")
        catalog = self.catalog
        doc = catalog.find(name)
        if doc is None:
            catalog = self.indexed_catalog()
            doc = catalog.find(name)
        if doc is None:
            valid = ", ".join(d.short for d in catalog.documents)
            raise BadInputError(f"không có văn bản '{name}'; các văn bản: {valid}")
        return doc

    def search(self, query: str, k: int | None = None, doc: str | None = None) -> list[Hit]:
        """Ranked clauses for a query; doc (short name or id) restricts to one document."""
        if not query or not query.strip():
            raise BadInputError("câu hỏi trống; hãy nhập nội dung cần tìm")
        check_text(query)
        docs = [self.document(doc).id] if doc else None
        searcher, release = self._using(self._searcher_of)
        try:
            return searcher.search(query.strip(), k or self.settings.top_k, docs)
        finally:
            release()

    def show(self, doc_name: str, path: str) -> ClauseView:
        doc = self.document(doc_name)
        chunks = self.table.at_path(doc.id, check_text(path, "đường dẫn điều khoản"))
        if not chunks:
            raise BadInputError(
                f"không tìm thấy điều khoản '{path}' trong {doc.short}; xem mục lục bằng `troly show {doc.short}`"
            )
        return ClauseView(doc, path, chunks)

    # -- what the UI reads (it never reaches past the Assistant) -------------------------
    def open(self) -> None:
        """Open the live index now (IndexMissingError when none was built yet)."""
        _ = self.table

    @property
    def built_at(self) -> float:
        """When the index generation read was built (seconds since the epoch)."""
        return self.table.manifest.created

    def table_of_contents(self, doc_id: str) -> list[Chunk]:
        """Every chunk of one document (catalog id), in document order."""
        return self.table.of_document(doc_id)

    def clause_chunks(self, doc_id: str, path: str) -> list[Chunk]:
        """The chunks of one clause (catalog id, path as `troly show` prints it) and everything
        below it; empty when the document has no such clause."""
        return self.table.at_path(doc_id, check_text(path, "đường dẫn điều khoản"))
