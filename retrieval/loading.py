"""Read a source file (.md, .txt, .pdf, .docx, .html) into plain text with page starts.

Every failure becomes a ``DocumentError`` with a one-line Vietnamese reason that says what
to do; nothing here decides whether the rest of an ingest goes on. Decoded text must look
like a document (few control characters, Latin letters, and, for a guessed encoding,
Vietnamese syllables), so a binary file or a wrong guess is refused rather than indexed.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import ocr, tables
from .errors import DocumentError
from .text import fold

SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
# Legacy Vietnamese encodings Python can decode, tried in order after UTF-8.
LEGACY_ENCODINGS = ("cp1258",)

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ud800-\udfff\ue000-\uf8ff]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")
_WORD = re.compile(r"[^\W\d_]+")
# One Vietnamese syllable, accents folded: onset, one to three vowels, coda.
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")
MAX_CONTROL = 0.01  # share of control / replacement / private-use characters
MIN_LETTERS = 0.25  # share of letters among the non-space characters
MIN_LATIN = 0.9  # share of Latin-script letters among the letters
MIN_SYLLABLES = 0.6  # share of words shaped like Vietnamese syllables (guessed encodings)


@dataclass
class LoadedDocument:
    """Raw text of one file; ``page_lines[i]`` is the first line of page i+1 (PDF only)."""

    path: Path
    text: str
    page_lines: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by OCR (scans)


def load(
    path: Path,
    max_bytes: int | None = None,
    data: bytes | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> LoadedDocument:
    """Load one file (or its bytes, already read), raising DocumentError with a clear reason
    when it cannot be used. on_page hears each scanned page read by OCR (done, to read)."""
    suffix = path.suffix.lower()
    if data is None:
        if path.is_dir():
            raise DocumentError(str(path), "đây là một thư mục, không phải tệp")
        if not path.exists():
            raise DocumentError(str(path), "không tìm thấy tệp; hãy kiểm tra lại đường dẫn")
    if suffix not in SUPPORTED:
        raise DocumentError(
            str(path), f"định dạng '{suffix or '(không có đuôi)'}' không được hỗ trợ; hỗ trợ: {', '.join(SUPPORTED)}"
        )
    if data is None:
        check_size(path, path.stat().st_size, max_bytes)
        data = read_bytes(path)
    check_size(path, len(data), max_bytes)
    if suffix == ".pdf":
        doc = _load_pdf(path, data, on_page)
    elif suffix == ".docx":
        doc = LoadedDocument(path, _load_docx(path, data))
    elif suffix in (".html", ".htm"):
        doc = LoadedDocument(path, _load_html(path, _decode(path, data)))
    else:
        doc = LoadedDocument(path, _decode(path, data))
    if not doc.text.strip():
        raise DocumentError(str(path), "tệp không có nội dung chữ")
    return doc


def check_size(path: Path, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise DocumentError(
            str(path),
            f"tệp {size / 1e6:.2f} MB vượt giới hạn {max_bytes / 1e6:.2f} MB; tăng TROLY_MAX_FILE_MB nếu cần",
        )
    if size == 0:
        raise DocumentError(str(path), "tệp rỗng")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DocumentError saying why they cannot be read."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise DocumentError(str(path), "đây là một thư mục, không phải tệp") from None
    except OSError as exc:
        raise DocumentError(str(path), f"không mở được tệp ({exc.strerror or type(exc).__name__})") from None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then the legacy Vietnamese encodings.
    A guess (UTF-16, legacy) is kept only if the text reads as Vietnamese."""
    tried: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
        if text is not None and text_problem(text, guessed=True) is None:
            return text
        tried.append("UTF-16")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        tried.append("UTF-8")
    else:
        problem = text_problem(text)
        if problem:
            raise DocumentError(str(path), f"nội dung không giống văn bản ({problem}); hãy kiểm tra lại tệp")
        return text
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            tried.append(encoding)
            continue
        if _looks_vietnamese(text) and text_problem(text, guessed=True) is None:
            return text
        tried.append(encoding)
    raise DocumentError(
        str(path),
        "không phải UTF-8 và không nhận ra bảng mã nào cho ra chữ tiếng Việt (đã thử "
        + ", ".join(tried)
        + "); hãy lưu lại tệp dưới dạng UTF-8",
    )


def text_problem(text: str, guessed: bool = False) -> str | None:
    """Why decoded text is not plausible document text (None when it is): control or
    replacement characters, too few letters, letters of another script, or, for a guessed
    encoding, words that are not shaped like Vietnamese syllables."""
    if not text.strip():
        return None  # empty text has its own message
    # perf (issue 13, scale): each class's characters counted from the count of each distinct
    # character (the patterns match one character each: the counts findall's lists had)
    counts = Counter(text)
    control, letters, latin = (
        sum(n for c, n in counts.items() if pattern.match(c)) for pattern in (_CONTROL, _LETTER, _LATIN)
    )
    if control > MAX_CONTROL * len(text):
        return "có nhiều ký tự điều khiển hoặc nhị phân"
    visible = len(text) - sum(counts.get(c, 0) for c in " \t\n\r\f\v")
    if letters < MIN_LETTERS * max(visible, 1):
        return "quá ít chữ cái"
    if latin < MIN_LATIN * letters:
        return "phần lớn chữ cái không phải chữ Latinh/tiếng Việt"
    if guessed:
        words = _WORD.findall(fold(text))
        shaped = sum(1 for w in words if _SYLLABLE.fullmatch(w))
        if words and shaped < MIN_SYLLABLES * len(words):
            return "các từ không có dạng âm tiết tiếng Việt"
    return None


def _looks_vietnamese(text: str) -> bool:
    """Plausibility check for a legacy decoding: mostly letters, with Vietnamese marks."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return False
    plain = sum(c.isalnum() or c.isspace() or c in ".,;:()-–/%\"'!?" for c in text)
    marked = sum(unicodedata.normalize("NFD", c) != c or c in "đĐ" for c in text)
    return plain / len(text) > 0.97 and marked / max(1, sum(c.isalpha() for c in text)) > 0.05


@contextmanager
def _quiet_parsers():
    """Parsers of hostile files log warnings ("EOF marker not found") to stderr: keep them
    out of the user's terminal; the DocumentError says what happened."""
    loggers = [logging.getLogger(name) for name in ("pypdf", "docx", "bs4")]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
        lg.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level, propagate in saved:
            lg.setLevel(level)
            lg.propagate = propagate


def _load_pdf(path: Path, data: bytes, on_page: Callable[[int, int], None] | None = None) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    encrypted = DocumentError(str(path), "tệp PDF bị mã hoá; hãy gỡ mật khẩu rồi nạp lại")
    try:
        with _quiet_parsers():
            reader = PdfReader(io.BytesIO(data))
            # An empty user password still opens some "encrypted" files; anything else cannot.
            if reader.is_encrypted and not reader.decrypt(""):
                raise encrypted
            pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (FileNotDecryptedError, DependencyError, NotImplementedError):
        raise encrypted from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on a damaged file
        raise DocumentError(str(path), f"tệp PDF hỏng hoặc không đầy đủ ({type(exc).__name__})") from None
    pages, continued = tables.pdf_pages_with_tables(path, pages, data)  # ruled tables: one line per row
    pages, ocr_pages = ocr.fill_image_pages(path, pages, data=data, on_page=on_page)  # pages without a text layer: OCR
    problem = text_problem("\n".join(pages))
    if problem:
        raise DocumentError(str(path), f"lớp chữ của PDF không đọc được ({problem}); có thể cần nhận dạng chữ (OCR)")
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


def _load_docx(path: Path, data: bytes) -> str:
    try:
        with _quiet_parsers():
            return _docx_lines(data)
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx each raise their own
        raise DocumentError(str(path), f"tệp DOCX hỏng hoặc không đúng định dạng ({type(exc).__name__})") from None


def _docx_lines(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
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


def _load_html(path: Path, html: str) -> str:
    try:
        with _quiet_parsers():
            return _html_text(html)
    except RecursionError:
        raise DocumentError(str(path), "tệp HTML lồng quá sâu, không đọc được") from None


def _html_text(html: str) -> str:
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
