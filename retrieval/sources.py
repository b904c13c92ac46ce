"""The files an ingest works on: the sources folder plus extra files to copy in, each with
its document (from the catalog, or made up with an id of its own), and the checks that keep
an indexed document from being replaced by what looks like a damaged copy of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .errors import BadInputError, DocumentError
from .index import Manifest
from .loading import SUPPORTED
from .types import Chunk, DocumentInfo

# Kinds of node that carry a number or letter of the document's own structure.
NUMBERED = {
    "part",
    "chapter",
    "section",
    "article",
    "appendix",
    "roman",
    "upper",
    "number",
    "subnumber",
    "paren",
    "letter",
    "row",
    "group",
}


@dataclass(frozen=True)
class Guards:
    """When a new version of a document is held back (unless ``--force``)."""

    min_ratio: float = 0.2  # its text under this share of the indexed version's length...
    min_chars: int = 2000  # ...when the indexed version had at least this many characters
    min_numbered: int = 3  # the indexed version had this many numbered clauses, the new one none


def source_files(sources: Path) -> list[Path]:
    """The files of the sources folder (a sub-folder, even one named x.txt, is no file)."""
    try:
        return sorted(p for p in sources.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError as exc:
        raise BadInputError(f"không đọc được thư mục nguồn {sources} ({exc.strerror})") from None


@dataclass
class SourceFile:
    """One file the sources folder holds (or will hold, for an extra file copied in)."""

    name: str
    origin: Path  # where its bytes are read from
    target: Path  # where it lives in the sources folder
    doc: DocumentInfo | None = None
    data_sha: str = ""
    digest: str = ""
    error: str = ""
    chunks: list[Chunk] | None = None
    text: str = ""
    size: int = 0
    data: bytes | None = field(default=None, repr=False)  # its bytes, kept from reading to parsing

    @property
    def is_copy(self) -> bool:
        return self.origin.resolve() != self.target.resolve()


def named_for_user(exc: DocumentError, src: SourceFile) -> str:
    """The error named after the file the user gave (an extra file, not its future copy)."""
    return str(exc).replace(str(src.target), str(src.origin)) if src.is_copy else str(exc)


def plan_sources(
    sources: Path,
    extra: list[Path],
    catalog: Catalog,
    manifest: Manifest | None,
    replace: bool,
    errors: list[tuple[str, str]],
) -> list[SourceFile]:
    """The files the sources folder holds after the extra files are copied in."""
    planned = {p.name: SourceFile(p.name, p, p) for p in source_files(sources)}
    for path in extra:
        target = sources / path.name
        if path.is_dir():
            errors.append((str(path), str(DocumentError(str(path), "đây là một thư mục, không phải tệp"))))
            continue
        if not path.exists():
            errors.append((str(path), str(DocumentError(str(path), "không tìm thấy tệp; hãy kiểm tra lại đường dẫn"))))
            continue
        if path.suffix.lower() not in SUPPORTED:
            reason = f"định dạng '{path.suffix or '(không có đuôi)'}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"
            errors.append((str(path), str(DocumentError(str(path), reason))))
            continue
        src = SourceFile(path.name, path, target)
        if src.is_copy and target.exists() and not replace and not _same_bytes(path, target):
            errors.append(
                (
                    str(path),
                    (
                        f"không chép tệp {path} vào thư mục nguồn: đã có tệp {target.name} với nội dung khác, không ghi đè; "
                        "dùng `troly ingest --replace` để thay tệp cũ, hoặc đổi tên tệp mới"
                    ),
                )
            )
            continue
        planned[path.name] = src
    previous: dict[str, str] = {}  # file name -> the id it was indexed under
    for doc_id, entry in (manifest.documents if manifest else {}).items():
        if isinstance(entry.get("file"), str):
            previous[entry["file"]] = doc_id
    docs = catalog.resolve(sorted(planned), previous)
    out = []
    for name in sorted(planned):
        src = planned[name]
        if Path(name).suffix.lower() not in SUPPORTED:
            reason = f"định dạng '{Path(name).suffix}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"
            errors.append((str(src.origin), str(DocumentError(str(src.origin), reason))))
            continue
        src.doc = docs[name]
        out.append(src)
    return out


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def held_back(src: SourceFile, old_text: str, old_chunks: list[Chunk], guards: Guards) -> str:
    """Why a new version looks like a damaged copy of the indexed one ('' when it does not)."""
    if len(old_text) >= guards.min_chars and len(src.text) < guards.min_ratio * len(old_text):
        return f"bản mới chỉ còn {len(src.text):,} ký tự so với {len(old_text):,} ký tự của bản đã lập chỉ mục".replace(
            ",", "."
        )
    old_numbered = sum(c.kind in NUMBERED for c in old_chunks)
    if old_numbered >= guards.min_numbered and not any(c.kind in NUMBERED for c in src.chunks or []):
        return f"bản mới mất hết cấu trúc điều khoản (bản đã lập chỉ mục có {old_numbered} đoạn đánh số)"
    return ""


def unlisted_notice(src: SourceFile, catalog: Catalog, old_docs: dict, seen_files: set[str]) -> str:
    """Say that a file is not in the catalog, and which one it may have been renamed from."""
    doc = src.doc
    assert doc is not None, "a planned source has its document"
    text = f"tệp {src.name} không có trong danh mục văn bản; đã nạp với mã '{doc.id}' (xem bằng `troly show {doc.id}`)"
    for old_id, entry in old_docs.items():
        if entry.get("bytes_sha256") == src.data_sha and entry.get("file") not in seen_files:
            listed = catalog.by_id(old_id)
            name = f"{listed.short} ({entry.get('file')})" if listed else str(entry.get("file"))
            return text + f"; có vẻ là {name} đổi tên — hãy sửa mục `file` trong danh mục nếu đúng vậy"
    return text
