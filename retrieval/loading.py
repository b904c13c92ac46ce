"""Read a source file (.md, .txt, .pdf, .docx, .html) into plain text with page starts.

Every failure becomes a ``DocumentError`` with a one-line Vietnamese reason that says what
to do; nothing here decides whether the rest of an ingest goes on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import ocr, tables
from .errors import DocumentError

SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
# Legacy Vietnamese encodings Python can decode, tried in order after UTF-8.
LEGACY_ENCODINGS = ("cp1258",)


@dataclass
class LoadedDocument:
    """Raw text of one file; ``page_lines[i]`` is the first line of page i+1 (PDF only)."""

    path: Path
    text: str
    page_lines: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by OCR (scans)


def load(path: Path, max_bytes: int | None = None) -> LoadedDocument:
    """Load one file, raising DocumentError with a clear reason when it cannot be used."""
    if not path.exists():
        raise DocumentError(str(path), "không tìm thấy tệp; hãy kiểm tra lại đường dẫn")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(
            str(path), f"định dạng '{suffix or '(không có đuôi)'}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"
        )
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise DocumentError(
            str(path),
            f"tệp {size / 1e6:.1f} MB vượt giới hạn {max_bytes / 1e6:.1f} MB; tăng TROLY_MAX_FILE_MB nếu cần",
        )
    if size == 0:
        raise DocumentError(str(path), "tệp rỗng")
    if suffix == ".pdf":
        doc = _load_pdf(path)
    elif suffix == ".docx":
        doc = LoadedDocument(path, _load_docx(path))
    elif suffix in (".html", ".htm"):
        doc = LoadedDocument(path, _load_html(_decode(path, path.read_bytes())))
    else:
        doc = LoadedDocument(path, _decode(path, path.read_bytes()))
    if not doc.text.strip():
        raise DocumentError(str(path), "tệp không có nội dung chữ")
    return doc


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then the legacy Vietnamese encodings."""
    for encoding in ("utf-16", "utf-8-sig") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_vietnamese(text):
            return text
    raise DocumentError(
        str(path),
        "không phải UTF-8 và không nhận ra bảng mã cũ (đã thử " + ", ".join(LEGACY_ENCODINGS)
        + "); hãy lưu lại tệp dưới dạng UTF-8",
    )


def _looks_vietnamese(text: str) -> bool:
    """Plausibility check for a legacy decoding: mostly letters, with Vietnamese marks."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return False
    plain = sum(c.isalnum() or c.isspace() or c in ".,;:()-–/%\"'!?" for c in text)
    marked = sum(unicodedata.normalize("NFD", c) != c or c in "đĐ" for c in text)
    return plain / len(text) > 0.97 and marked / max(1, sum(c.isalpha() for c in text)) > 0.05


def _load_pdf(path: Path) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    encrypted = DocumentError(str(path), "tệp PDF bị mã hoá; hãy gỡ mật khẩu rồi nạp lại")
    try:
        reader = PdfReader(str(path))
        # An empty user password still opens some "encrypted" files; anything else cannot.
        if reader.is_encrypted and not reader.decrypt(""):
            raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (FileNotDecryptedError, DependencyError, NotImplementedError):
        raise encrypted from None
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(str(path), f"tệp PDF hỏng hoặc không đầy đủ ({type(exc).__name__})") from None
    pages, continued = tables.pdf_pages_with_tables(path, pages)  # ruled tables: one line per row
    pages, ocr_pages = ocr.fill_image_pages(path, pages)  # pages without a text layer: OCR
    if not any(p.strip() for p in pages):
        raise DocumentError(
            str(path), "PDF không có lớp chữ (có thể là ảnh quét); cần nhận dạng chữ (OCR) trước khi nạp"
        )
    lines: list[str] = []
    starts: list[int] = []
    for i, page in enumerate(pages):
        starts.append(len(lines))
        lines.extend(page.split("\n"))
        if i + 1 not in continued:  # a table going on over the page break stays one table
            lines.append("")
    return LoadedDocument(path, "\n".join(lines), starts, ocr_pages)


def _load_docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(str(path), f"tệp DOCX hỏng hoặc không đúng định dạng ({type(exc).__name__})") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, document)
            style = (para.style.name if para.style is not None else "") or ""
            prefix = "# " if style.lower().startswith(("heading", "title")) and para.text.strip() else ""
            lines.append(prefix + para.text)
            lines.append("")
        elif tag == "tbl":
            lines.extend(tables.docx_rows(Table(block, document)))
            lines.append("")
    return "\n".join(lines)


def _load_html(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for table in soup.find_all("table"):
        rows = []
        for tr in table.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            rows.append("\t".join(cells))
        table.replace_with("\n" + "\n".join(rows) + "\n")
    for level in range(1, 7):
        for h in soup.find_all(f"h{level}"):
            h.insert(0, "# ")
    for block in soup.find_all(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"]):
        block.insert_after("\n")
    for li in soup.find_all("li"):
        li.insert(0, "- ")
    text = soup.get_text()
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines)
