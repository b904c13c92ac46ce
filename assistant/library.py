"""Changes to the set of documents: add new files with their catalog entries, remove a
document, put a new file in a document's place. Every other document keeps its chunks,
chunk ids, labels and vectors (the ingest is incremental and a chunk id is
``<doc id>:<clause path>``), and nothing is lost: a file taken out of the sources folder is
set aside under ``<data>/removed/``, a refused file changes nothing.

The catalog file is written by the ingest's before_publish hook: under the ingest lock,
once the new generation is written and just before it goes live, so a reader that switches
to the generation reads the catalog that goes with it. If the ingest fails after the
write and before the switch, the catalog file is put back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.catalog import Catalog
from retrieval.catalog_edit import append_entries, remove_entry, restore, snapshot, update_entry
from retrieval.errors import BadInputError, TrolyError
from retrieval.ingest import IngestReport
from retrieval.types import DocumentInfo

from . import intake

if TYPE_CHECKING:
    from .api import Assistant

REMOVED_DIR = "removed"  # under the data folder: the source files a removal or replacement set aside


@dataclass
class Removal:
    """What a removal did: the document taken out, where its file went, the ingest."""

    doc: DocumentInfo
    aside: Path | None
    report: IngestReport
    dependents: list[DocumentInfo]  # listed documents whose `implements` names it (left as they are)


@dataclass
class Replacement:
    """What a replacement did: the document, its entry now, the ingest, where the old file
    went, and whether the new version was taken (else nothing changed)."""

    doc: DocumentInfo
    entry: DocumentInfo
    report: IngestReport
    aside: Path | None
    accepted: bool


def ingest_new(app: Assistant, paths: list[Path], proposals, **ingest_args) -> IngestReport:
    """Ingest files with their proposed entries; the entries of the documents indexed are
    written to the catalog file, a refused file's entry is not."""
    catalog = intake.with_entries(app.catalog, proposals)

    def write(report: IngestReport) -> None:
        intake.write_entries(app.settings.catalog, proposals, {*report.added, *report.updated})

    return _with_catalog_change(
        app, lambda hook: app.ingest(paths, catalog=catalog, before_publish=hook, **ingest_args), write
    )


def remove(app: Assistant, name: str, **ingest_args) -> Removal:
    """Take a document out: its source file set aside, its catalog entry removed (the
    others' comments and order kept), a new generation without its chunks published."""
    doc = app.document(name)
    s = app.settings
    listed = app.catalog.by_id(doc.id) is not None
    source = s.sources / indexed_file(app, doc)
    aside = intake.set_aside(source, s.data_dir / REMOVED_DIR) if source.is_file() else None
    catalog = Catalog([d for d in app.catalog.documents if d.id != doc.id])

    def write(report: IngestReport) -> None:
        if listed:
            remove_entry(s.catalog, doc.id)

    try:
        report = _with_catalog_change(
            app, lambda hook: app.ingest(catalog=catalog, before_publish=hook, **ingest_args), write
        )
        if listed and doc.id not in report.removed:  # listed but never indexed: only the entry goes
            remove_entry(s.catalog, doc.id)
            app.reload()
    except BaseException:
        if aside is not None:
            intake.put_back(aside, source)
        raise
    return Removal(doc, aside, report, [d for d in catalog.documents if doc.id in d.implements])


def replace_document(
    app: Assistant, name: str, path: Path, entry: DocumentInfo | None = None, **ingest_args
) -> Replacement:
    """Put a new file in a document's place. The document keeps its id; its entry is the
    one given (edited in the UI), else the catalog's (kept), else the one the new header
    proposes; its file is the new one. A new version that looks damaged is held back unless
    force=True, and then nothing changes."""
    doc = app.document(name)
    s = app.settings
    old_file, new_file = indexed_file(app, doc), path.name
    listed = app.catalog.by_id(doc.id)
    known = app.indexed_catalog()
    holder = known.by_file(new_file)
    if new_file != old_file and (holder is not None or (s.sources / new_file).exists()):
        owner = f" của văn bản {holder.short}" if holder is not None else ""
        raise BadInputError(f"thư mục nguồn đã có tệp {new_file}{owner}; hãy đổi tên tệp mới")
    base = entry or listed
    if base is None:
        base = intake.propose_file(path, app.catalog, int(s.max_file_mb * 1e6)).entry
    target = replace(base, id=doc.id, file=new_file)
    problems = intake.check_entry(target, known, keep=doc.id)
    if problems:
        raise BadInputError("mục danh mục chưa hợp lệ: " + "; ".join(problems))
    others = [target if d.id == doc.id else d for d in app.catalog.documents]
    catalog = Catalog(others if listed else [*others, target])
    source, same = s.sources / old_file, new_file == old_file
    aside = intake.set_aside(source, s.data_dir / REMOVED_DIR, keep_original=same) if source.is_file() else None

    def write(report: IngestReport) -> None:
        if doc.id in report.updated or doc.id in report.added:
            if listed:
                update_entry(s.catalog, doc.id, target)
            else:
                append_entries(s.catalog, [target])

    def undo() -> None:
        if aside is not None:
            aside.unlink() if same else intake.put_back(aside, source)

    try:
        report = _with_catalog_change(
            app,
            lambda hook: app.ingest([path], replace=same, catalog=catalog, before_publish=hook, **ingest_args),
            write,
        )
    except BaseException:
        undo()
        raise
    accepted = doc.id in report.updated or doc.id in report.added
    if not accepted:
        undo()
    return Replacement(doc, target, report, aside if accepted else None, accepted)


def indexed_file(app: Assistant, doc: DocumentInfo) -> str:
    """The file a document was indexed from (its catalog file when it is not indexed)."""
    try:
        entry = app.table.manifest.documents.get(doc.id)
    except TrolyError:
        entry = None
    return str(entry.get("file", doc.file)) if entry else doc.file


def _with_catalog_change(
    app: Assistant, run: Callable[[Callable[[IngestReport], None]], IngestReport], write: Callable[[IngestReport], None]
) -> IngestReport:
    """Run an ingest whose before_publish hook writes the catalog file; if it then fails
    before its generation goes live, the catalog file is put back."""
    before = snapshot(app.settings.catalog)
    written: list[str] = []

    def hook(report: IngestReport) -> None:
        write(report)
        written.append(report.generation)

    try:
        return run(hook)
    except BaseException:
        if written and app.index_dir.current_name() != written[0]:
            restore(app.settings.catalog, before)
        app.reload()  # the catalog is read again from the file
        raise
