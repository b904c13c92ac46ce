"""What the next generation holds, decided under the ingest lock against the live one:
which documents are new or changed (fresh), which keep their indexed version (kept),
which went away; then its chunks in a stable order and every document's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .errors import BadInputError, IndexMismatchError
from .index import TEXTS, Manifest, check_embedder, read_chunks
from .sources import Guards, SourceFile, held_back, unlisted_notice
from .types import Chunk, DocumentInfo


@dataclass
class LiveState:
    """The generation live when the plan is made (nothing when there is none yet)."""

    path: Path | None
    manifest: Manifest | None
    reuse: bool  # its chunks and vectors can be kept (same embedder, no rebuild asked)
    chunks: list[Chunk] = field(default_factory=list)
    by_doc: dict[str, list[Chunk]] = field(default_factory=dict)

    @property
    def documents(self) -> dict[str, dict]:
        return dict(self.manifest.documents) if self.manifest else {}

    @classmethod
    def read(cls, path: Path | None, manifest: Manifest | None, embedder, rebuild: bool) -> LiveState:
        chunks = read_chunks(path) if path else []
        by_doc: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_doc.setdefault(c.doc_id, []).append(c)
        return cls(path, manifest, reusable(path, manifest, embedder, rebuild), chunks, by_doc)

    def text(self, doc_id: str) -> str:
        """A kept document's normalized text, as the live generation holds it."""
        return old_text(self.path, doc_id)


@dataclass
class Plan:
    """The documents of the next generation, by what happens to them."""

    fresh: dict[str, SourceFile] = field(default_factory=dict)  # doc id -> new version to index
    keep: set[str] = field(default_factory=set)  # doc ids whose indexed version stays


def reusable(live: Path | None, manifest: Manifest | None, embedder, rebuild: bool) -> bool:
    """Whether the live generation's chunks and vectors can be kept (else everything is built
    again: never mix the vectors of two embedders)."""
    if live is None or manifest is None or rebuild:
        return False
    try:
        check_embedder(manifest, embedder)
    except IndexMismatchError:
        return False
    return True


def document_of(src: SourceFile) -> DocumentInfo:
    """A planned file's document (plan_sources gives every file one)."""
    if src.doc is None:
        raise ValueError(f"{src.name}: a planned file without a document")
    return src.doc


def needs_parse(src: SourceFile, manifest: Manifest | None, rebuild: bool) -> bool:
    """Whether a file must be parsed: new, changed, or everything is rebuilt."""
    previous = (manifest.documents if manifest else {}).get(src.doc.id) if src.doc else None
    return bool(src.digest) and (rebuild or not previous or previous.get("sha256") != src.digest)


def decide(
    planned: list[SourceFile], live: LiveState, catalog: Catalog, guards: Guards, force: bool, report, sources: Path
) -> Plan:
    """Sort every planned file into unchanged, fresh (added or updated) or held back (its
    indexed version kept), filling the report's lists; the documents no file names any
    more are removed, unless that would empty the index."""
    plan = Plan()
    old_docs = live.documents
    seen: set[str] = set()
    for src in planned:
        doc = document_of(src)
        seen.add(doc.id)
        previous = old_docs.get(doc.id)
        if live.reuse and previous and previous.get("sha256") == src.digest and src.digest:
            report.unchanged.append(doc.id)
            plan.keep.add(doc.id)
            continue
        why = src.error
        if not why and previous and not force:
            why = held_back(src, live.text(doc.id), live.by_doc.get(doc.id, []), guards)
            if why:
                why = f"tệp {src.origin}: {why}; giữ bản đã lập chỉ mục — nếu đúng là bản mới, chạy lại với --force"
        if why:
            report.errors.append((str(src.origin), why))
            if previous and doc.id in live.by_doc:
                plan.keep.add(doc.id)
                report.kept.append(doc.id)
            continue
        plan.fresh[doc.id] = src
        (report.updated if previous and live.reuse else report.added).append(doc.id)  # a rebuild adds all
        if doc.id not in catalog.ids and not previous:
            report.notices.append(unlisted_notice(src, catalog, old_docs, seen_files={s.name for s in planned}))
    report.removed = sorted(d for d in old_docs if d not in seen)
    if report.removed and not force and old_docs and not (set(old_docs) & (seen | plan.keep)):
        raise BadInputError(
            f"thư mục nguồn {sources} không còn văn bản nào trong {len(old_docs)} văn bản đã lập chỉ mục; "
            "không gỡ hết chỉ mục — hãy kiểm tra TROLY_SOURCES_DIR, hoặc chạy lại với --force nếu thật sự muốn"
        )
    return plan


def assemble(planned: list[SourceFile], plan: Plan, live: LiveState) -> tuple[list[Chunk], dict[str, str | None]]:
    """The new generation's chunks in a stable order, and every document's text (None for
    a kept document: its text file is the live one's, linked rather than rewritten).

    Incremental: the kept chunks in their previous order, then the new ones in file order.
    Rebuilt: every document in file order, kept ones with their previous chunks."""
    fresh, keep = plan.fresh, plan.keep
    texts: dict[str, str | None] = {doc_id: src.text for doc_id, src in fresh.items()}
    for doc_id in keep - set(fresh):
        texts[doc_id] = None
    if live.reuse:
        chunks = [c for c in live.chunks if c.doc_id in keep and c.doc_id not in fresh]
        chunks += [c for src in planned if fresh.get(document_of(src).id) is src for c in src.chunks or []]
        return chunks, texts
    chunks = []
    for src in planned:
        doc_id = document_of(src).id
        if fresh.get(doc_id) is src:
            chunks += src.chunks or []
        elif doc_id in keep:
            chunks += live.by_doc.get(doc_id, [])
    return chunks, texts


def old_text(live: Path | None, doc_id: str) -> str:
    """A document's normalized text in a generation ("" when it has none)."""
    if live is None:
        return ""
    try:
        return (live / TEXTS / f"{doc_id}.txt").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
