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

The steps live by concept: file_pipeline (load, normalize, structure, chunk one file),
prepare (read, parse and embed each piece once), ingest_plan (what the next generation
holds), generation_writer (its files), index (the atomic switch). This module runs them.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import BadInputError
from .file_pipeline import ChunkingOptions, chunk_file, file_digest, parse_file, pipeline_version
from .index import MANIFEST, Generations, IndexDir, Manifest, index_unavailable
from .ingest_plan import LiveState, Plan, assemble, decide, needs_parse, reusable
from .memory import release
from .prepare import Preparation, Progress
from .sources import Guards, SourceFile, plan_sources
from .threads import load_numpy

__all__ = [
    "ChunkingOptions",
    "IngestReport",
    "Progress",
    "chunk_file",
    "file_digest",
    "ingest",
    "parse_file",
    "pipeline_version",
]


DEFAULT_OPTIONS = ChunkingOptions()
# bytes of a source file per chunk, to tell before parsing whether a new generation will be
# over the dense search's exact limit (dense cells, no Chroma collection): the corpus has 351
# (312,551 bytes, 891 chunks); a guess either way costs time only, never what is written
BYTES_PER_CHUNK = 350


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
class _Request:
    """What the caller asked of this ingest."""

    sources: Path
    extra: list[Path]
    catalog: Catalog
    embedder: object
    rebuild: bool
    force: bool
    replace: bool
    guards: Guards
    blas_threads: int = 0
    derive: Callable[[Any, Any], None] | None = None


def ingest(
    sources: Path,
    catalog: Catalog,
    index: Generations,
    embedder,
    *,
    extra: list[Path] | None = None,
    options: ChunkingOptions = DEFAULT_OPTIONS,
    max_bytes: int | None = None,
    rebuild: bool = False,
    force: bool = False,
    replace: bool = False,
    guards: Guards = Guards(),
    progress: bool = True,
    on_wait: Callable[[str], None] | None = None,
    on_progress: Progress | None = None,
    before_publish: Callable[[IngestReport], None] | None = None,
    blas_threads: int = 0,
    derive: Callable[[Any, Any], None] | None = None,
) -> IngestReport:
    """Bring the index in step with the sources folder (plus extra files, copied in).

    on_progress hears the stage and its share done (for a UI's bar); before_publish is
    called under the lock with the report once the new generation is written and before it
    goes live (report.generation names it): the place to write what must change with it
    (the catalog entry); if it raises, nothing is published. blas_threads: the BLAS
    threads numpy loads with, when this ingest loads it (retrieval/threads.py; 0: the
    libraries' own choice). derive: called with the new generation's chunk table and its
    BM25 index once its files are written, before it goes live: the place to keep beside it
    what the upper layers derive from it (the assistant's heading index)."""
    t0 = time.perf_counter()
    _make_sources_folder(sources)
    request = _Request(
        sources, list(extra or []), catalog, embedder, rebuild, force, replace, guards, blas_threads, derive
    )
    work = Preparation(options, max_bytes, embedder, progress, on_progress)
    try:
        _prepare(request, index, work)
        with index.lock(on_wait=on_wait):
            return _publish(request, index, work, IngestReport(), t0, before_publish)
    except OSError as exc:
        raise index_unavailable(index.root, exc, "ghi") from None
    finally:
        work.cancel_collection_writer()  # nothing written, or the ingest failed


def _make_sources_folder(sources: Path) -> None:
    try:
        sources.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"không tạo được thư mục nguồn {sources} ({exc.strerror})") from None


def _live(index: Generations) -> tuple[Path | None, Manifest | None]:
    live = index.current()
    return live, (Manifest.read(live / MANIFEST) if live else None)


def _prepare(request: _Request, index: Generations, work: Preparation) -> None:
    """Step 1, without the lock: read, parse and embed what changed since the live generation."""
    live, manifest = _live(index)
    rebuild = not reusable(live, manifest, request.embedder, request.rebuild)
    planned = plan_sources(request.sources, request.extra, request.catalog, manifest, request.replace, [])
    for src in planned:
        work.read(src)
    changed = [s for s in planned if needs_parse(s, manifest, rebuild)]
    # a generation will be written (issue 13), with a Chroma collection unless it will be over
    # the exact limit (then its child would be started only to be cancelled: 0.6 s of CPU at
    # 100,000 chunks); a wrong guess of a collection starts the child later, as it is written
    if (
        changed
        and isinstance(index, IndexDir)
        and index.writes_collection(_expected_chunks(planned, changed, manifest))
    ):
        work.start_collection_writer()
    # perf (issue 13): nothing before this point loads numpy (the writer above starts
    # sooner), which the embedding and the index files then need
    if changed:
        load_numpy(request.blas_threads)
    work.parse(changed)
    release()  # (the parse's temporaries handed back: retrieval/memory.py)
    work.embed([c for s in planned if s.chunks for c in s.chunks])


def _expected_chunks(planned: list[SourceFile], changed: list[SourceFile], manifest: Manifest | None) -> int:
    """About how many chunks the next generation will hold, before anything is parsed: a
    kept document's count from the live manifest, a changed file's from its previous
    version there, or from its bytes."""
    documents = manifest.documents if manifest else {}
    parsed = {id(s) for s in changed}
    total = 0
    for src in planned:
        previous = documents.get(src.doc.id) if src.doc else None
        if previous is not None and "chunks" in previous:
            total += int(previous["chunks"])
        elif id(src) in parsed:
            total += max(1, src.size // BYTES_PER_CHUNK)
    return total


def _publish(
    request: _Request,
    index: Generations,
    work: Preparation,
    report: IngestReport,
    t0: float,
    before_publish: Callable[[IngestReport], None] | None,
) -> IngestReport:
    """Step 2, under the lock: the same plan against the generation live now (reading only
    what changed since step 1), then a new generation written and switched to."""
    path, manifest = _live(index)
    live = LiveState.read(path, manifest, request.embedder, request.rebuild)
    planned = plan_sources(request.sources, request.extra, request.catalog, manifest, request.replace, report.errors)
    for src in planned:
        work.read(src)
    work.parse([s for s in planned if needs_parse(s, manifest, not live.reuse)])
    plan = decide(planned, live, request.catalog, request.guards, request.force, report, request.sources)
    if not report.changed and live.reuse and path is not None:  # the live generation already holds what stays
        return _finish(report, sum(e["chunks"] for e in live.documents.values()), path.name, t0)

    from .generation_writer import write_generation  # (numpy, the analyzer: once a generation is written)

    new_files = _copy_extras(plan, request.sources)
    chunks, texts = assemble(planned, plan, live)
    if not chunks:
        raise BadInputError(f"không có văn bản nào nạp được trong {request.sources}; chỉ mục không thay đổi")
    # a new folder, never a copy: the live one is being read, and copying files others read
    # (or that a reader's library rewrites) could tear them
    gen = index.new_generation(copy_from=None)
    lexical = write_generation(index, gen, request.embedder, work, chunks, texts, plan, live)
    _derive(gen, chunks, work, request.catalog.documents, lexical, request.derive)
    del lexical
    work.finish_collection_writer()  # the collection whole before the generation goes live
    _switch(index, gen, report, before_publish, new_files)
    return _finish(report, len(chunks), gen.name, t0)


def _derive(gen: Path, chunks: list, work: Preparation, documents: list, lexical, derive=None) -> None:
    """The searcher's per-clause values of the new generation (the reranker's profiles, the
    twins, the headings' years and the folded openings), computed now and kept beside it
    (retrieval/derived.py), so that the first question after an ingest does not compute
    them over every clause (issue 13). ``lexical``: the BM25 index just written, whose
    analyzer is the one a reader loads (the same tokens; its syllables already folded)."""
    from .index import CHUNKS
    from .searcher import chunks_digest, clause_profiles, clause_values
    from .store import ChunkTable, chunks_file_digest
    from .twins import clause_twins

    work.report("Chuẩn bị tìm kiếm", 0.0)
    # the chunks as a reader reads them back: keyed by the bytes of the file just written
    source = chunks_file_digest((gen / CHUNKS).read_bytes())
    table = ChunkTable(gen, Manifest.read(gen / MANIFEST), chunks, source)
    digest = chunks_digest(table)
    # perf (issue 13, memory): what each step let go handed back before the next one
    clause_profiles(table, lexical, digest)
    lexical.token_ids = None  # (the BM25 build's splits, read by the profiles: let go)
    release()
    clause_values(table, digest)
    release()
    clause_twins(table)
    release()
    from . import regex_cache

    # the rules' compiled patterns, and those a searcher over these documents builds when it
    # opens, when one changed (best effort)
    regex_cache.refresh(regex_cache.open_path_sources(documents))
    if derive is not None:  # the caller's (the assistant's heading index: issue 13, scale)
        derive(table, lexical)
        release()
    work.report("Chuẩn bị tìm kiếm", 1.0)


def _copy_extras(plan: Plan, sources: Path) -> list[Path]:
    """Copy the accepted extra files into the sources folder; the ones new there."""
    fresh: list[SourceFile] = list(plan.fresh.values())
    new_files = [s.target for s in fresh if s.is_copy and not s.target.exists()]
    for src in fresh:
        if src.is_copy:
            try:
                shutil.copyfile(src.origin, src.target)
            except OSError as exc:
                raise BadInputError(f"không chép được {src.origin} vào {sources} ({exc.strerror})") from None
    return new_files


def _switch(
    index: Generations,
    gen: Path,
    report: IngestReport,
    before_publish: Callable[[IngestReport], None] | None,
    new_files: list[Path],
) -> None:
    """Make gen the live generation (atomic), after the caller's before_publish; if that
    raises, nothing goes live and the files just copied in go too."""
    if before_publish is not None:
        report.generation = gen.name
        try:
            before_publish(report)
        except BaseException:
            for path in new_files:
                path.unlink(missing_ok=True)
            raise
    index.publish(gen)


def _finish(report: IngestReport, chunks: int, generation: str, t0: float) -> IngestReport:
    report.chunks, report.generation, report.seconds = chunks, generation, time.perf_counter() - t0
    return report
