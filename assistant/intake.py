"""Bring a document in, swap it for a new version, or take it out, without touching any
other document: read a new file's header and propose its catalog entry, check an entry a
user edited, put aside the file a removal or replacement takes out of the sources folder
(so nothing is lost), and say how a replacement's header differs from the entry it keeps.
The catalog file itself is changed by the Assistant at the one moment the new index
generation is ready to go live (see Assistant.ingest_new / remove / replace_document).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from retrieval.catalog import AUTHORITIES, Catalog
from retrieval.catalog_edit import append_entries
from retrieval.errors import DocumentError
from retrieval.loading import load
from retrieval.normalize import normalize
from retrieval.proposal import Proposal, propose
from retrieval.types import DocumentInfo

# The fields a user sees and edits, with their Vietnamese names.
FIELD_NAMES = {
    "id": "mã",
    "short": "số hiệu",
    "title": "tiêu đề",
    "kind": "loại văn bản",
    "issuer": "cơ quan ban hành",
    "date": "ngày ban hành",
    "authority": "loại nguồn",
    "cite_as": "cách trích dẫn",
    "aliases": "tên gọi khác",
    "implements": "thực hiện / căn cứ",
}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def propose_entries(
    paths: list[Path],
    catalog: Catalog,
    max_bytes: int | None = None,
    on_page: Callable[[int, int], None] | None = None,
    unlisted: Sequence[DocumentInfo] = (),
) -> tuple[list[Proposal], list[tuple[str, str]]]:
    """Proposals for the files the catalog does not list yet (ids kept apart from each
    other too, and from the ids of the unlisted documents indexed, so none of those is
    renamed), and the files that could not be read, with their reasons."""
    proposals: list[Proposal] = []
    errors: list[tuple[str, str]] = []
    known = Catalog(list(catalog.documents))
    for path in paths:
        if known.by_file(path.name) is not None:
            continue
        clear = Catalog(known.documents + [d for d in unlisted if d.file != path.name])
        try:
            proposal = propose_file(path, clear, max_bytes, on_page=on_page)
        except DocumentError as exc:
            errors.append((str(path), str(exc)))
            continue
        proposals.append(proposal)
        known.documents.append(proposal.entry)
    return proposals, errors


def propose_file(
    path: Path,
    catalog: Catalog,
    max_bytes: int | None = None,
    data: bytes | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> Proposal:
    """The proposal for one file (or its bytes, e.g. an upload named path.name); a file
    that cannot be read raises DocumentError. on_page hears the scanned pages OCR reads."""
    loaded = load(path, max_bytes, data, on_page=on_page)
    text = normalize(loaded.text).text
    if not text.strip():
        raise DocumentError(str(path), "sau khi làm sạch, tệp không còn nội dung chữ")
    proposal = propose(text, path.name, catalog, raw=loaded.text)
    proposal.path = path
    return proposal


def with_entries(catalog: Catalog, proposals: list[Proposal]) -> Catalog:
    """The catalog as it will be once the proposals are written."""
    return Catalog([*catalog.documents, *(replace(p.entry) for p in proposals)])


def write_entries(catalog_path: Path, proposals: list[Proposal], indexed: set[str]) -> list[Proposal]:
    """Append to the catalog file the entries of the documents indexed (ids in indexed);
    return those written."""
    done = [p for p in proposals if p.entry.id in indexed]
    append_entries(catalog_path, [p.entry for p in done])
    return done


def check_entry(entry: DocumentInfo, catalog: Catalog, keep: str | None = None) -> list[str]:
    """What is wrong with an entry a user wrote or edited (Vietnamese, one item per
    problem; empty when it can be written). catalog: every document known (listed or only
    indexed); keep: the id of the document this entry stands for (a replacement), whose
    own names it may reuse."""
    problems = []
    others = [d for d in catalog.documents if d.id != keep]
    for key in ("id", "short", "title", "kind", "cite_as"):
        if not str(getattr(entry, key)).strip():
            problems.append(f"{FIELD_NAMES[key]} không được để trống")
    for key in ("id", "short", "title", "kind", "issuer", "date", "cite_as"):
        if _CONTROL.search(str(getattr(entry, key))):
            problems.append(f"{FIELD_NAMES[key]} phải nằm trên một dòng")
    if entry.id and not _ID.fullmatch(entry.id):
        problems.append(f"mã '{entry.id}' chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới (tối đa 64 ký tự)")
    if any(d.id == entry.id for d in others):
        problems.append(f"mã '{entry.id}' đã là mã của văn bản khác")
    if any(d.file == entry.file for d in others):
        problems.append(f"tệp {entry.file} đã thuộc văn bản khác; hãy đổi tên tệp")
    if entry.date and not _valid_date(entry.date):
        problems.append(f"ngày ban hành '{entry.date}' phải có dạng NNNN-TT-NN (ví dụ 2025-03-15), NNNN-TT hoặc NNNN")
    if entry.authority not in AUTHORITIES:
        problems.append(f"loại nguồn phải là một trong: {', '.join(AUTHORITIES)}")
    names = {n.casefold(): d for d in others for n in (d.id, d.short, *d.aliases)}
    for name in (entry.short, *entry.aliases):
        if name.strip() and name.casefold() in names:
            problems.append(f"tên '{name}' đã dùng cho văn bản {names[name.casefold()].short}")
    known = {d.id for d in others}
    for ref in entry.implements:
        if ref == entry.id:
            problems.append("văn bản không thể thực hiện chính nó")
        elif ref not in known:
            problems.append(f"'thực hiện / căn cứ' nêu mã '{ref}' không có trong danh mục")
    return problems


def _valid_date(text: str) -> bool:
    m = _DATE.fullmatch(text)
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def differences(kept: DocumentInfo, proposed: DocumentInfo) -> list[tuple[str, str, str]]:
    """(field name, kept value, value read from the new file's header) for the fields a
    replacement's header gives otherwise (only those the header can tell; empty guesses
    are no difference)."""
    out = []
    for key in ("short", "kind", "issuer", "date", "authority"):
        old, new = getattr(kept, key), getattr(proposed, key)
        if new and new != old:
            out.append((FIELD_NAMES[key], old, new))
    return out


def review_replacements(
    paths: list[Path], catalog: Catalog, sources: Path, max_bytes: int | None = None
) -> list[tuple[DocumentInfo, Proposal, list[tuple[str, str, str]]]]:
    """For each extra file that will replace a listed source of the same name (`--replace`):
    its entry (kept), the entry its header proposes, and where they differ."""
    out = []
    for path in paths:
        doc = catalog.by_file(path.name)
        target = sources / path.name
        if doc is None or not target.is_file() or path.resolve() == target.resolve():
            continue
        others = Catalog([d for d in catalog.documents if d.id != doc.id])
        try:
            proposal = propose_file(path, others, max_bytes)
        except DocumentError:
            continue  # the ingest says why it cannot be read
        out.append((doc, proposal, differences(doc, proposal.entry)))
    return out


def set_aside(source: Path, trash: Path, keep_original: bool = False) -> Path:
    """Move (or, keep_original, copy) a source file into the trash folder under a name
    that says when; returns where it went."""
    trash.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest, n = trash / f"{stamp}-{source.name}", 2
    while dest.exists():
        dest, n = trash / f"{stamp}-{n}-{source.name}", n + 1
    (shutil.copy2 if keep_original else shutil.move)(source, dest)
    return dest


def put_back(aside: Path, source: Path) -> None:
    """Undo set_aside (the source's place is free again, or holds the copy kept)."""
    shutil.move(aside, source)
