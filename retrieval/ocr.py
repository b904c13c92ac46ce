"""Text for PDF pages that have none (scans): each such page is rendered (pypdfium2) and
read with Tesseract's Vietnamese model (pytesseract, Debian's tesseract-ocr-vie).

The text read goes through the same normalization and structure parser as any other; the
pages it came from are returned so their chunks can be marked (``Chunk.ocr``) and their
labels say the page. Without Tesseract a scanned PDF is refused with a Vietnamese message
saying what to install; a PDF that has text on some pages keeps those. Results are kept per
file content in memory, so proposing the catalog entry and ingesting read a scan once.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from .errors import DocumentError
from .types import Chunk

LANG = "vie"
DPI = 300  # Tesseract reads best at about 300 dpi; scans are rendered at that resolution
PAGE_TIMEOUT_S = 300  # one page; generous for a busy machine
MIN_LETTERS = 12  # fewer letters than this is a stamp, a picture or noise, not text
BLANK_LEVEL = 245  # a page whose darkest pixel is lighter than this is empty
INSTALL_HINT = (
    "hãy cài Tesseract và gói tiếng Việt (Debian/Ubuntu: sudo apt-get install tesseract-ocr "
    "tesseract-ocr-vie, hoặc chạy bash scripts/ocr_setup.sh) rồi nạp lại"
)

log = logging.getLogger(__name__)


def unavailable_reason() -> str | None:
    """Why OCR cannot run here (a Vietnamese sentence), or None when it can."""
    if shutil.which("tesseract") is None:
        return "máy chưa cài Tesseract để nhận dạng chữ (OCR); " + INSTALL_HINT
    import pytesseract

    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractError, OSError, RuntimeError):
        return "không chạy được Tesseract; " + INSTALL_HINT
    if LANG not in languages:
        return "Tesseract chưa có gói tiếng Việt (tesseract-ocr-vie); " + INSTALL_HINT
    return None


def fill_image_pages(
    path: Path,
    texts: list[str],
    progress: bool | None = None,
    data: bytes | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> tuple[list[str], list[int]]:
    """Page texts with the empty pages read by OCR, and the (1-based) pages so read.

    data: the file's bytes when already read (the file itself may not be in place yet).
    progress: True shows a bar per page, False hides it, None shows it on a terminal;
    on_page hears each page read (pages done, pages to read), e.g. for a UI's bar."""
    missing = tuple(i for i, t in enumerate(texts) if not t.strip())
    if not missing:
        return texts, []
    reason = unavailable_reason()
    if reason is not None:
        if len(missing) == len(texts):
            raise DocumentError(
                str(path), f"PDF không có lớp chữ (có thể là ảnh quét); cần nhận dạng chữ (OCR) nhưng {reason}"
            )
        log.warning("%s: %d trang không có lớp chữ bị bỏ qua: %s", path, len(missing), reason)
        return texts, []
    from tqdm import tqdm

    data = path.read_bytes() if data is None else data
    digest = hashlib.sha256(data).hexdigest()
    bar = tqdm(
        missing,
        desc="Nhận dạng chữ (OCR)",
        unit="trang",
        leave=False,
        disable=None if progress is None else not progress,
    )
    read = []
    for i in bar:
        read.append(_page_text(digest, data, str(path), i))
        if on_page is not None:
            on_page(len(read), len(missing))
    out = list(texts)
    pages: list[int] = []
    for i, text in zip(missing, read):
        if sum(c.isalpha() for c in text) >= MIN_LETTERS:
            out[i] = text
            pages.append(i + 1)
    if not any(t.strip() for t in out):
        listed = ", ".join(str(i + 1) for i in missing[:10]) + ("…" if len(missing) > 10 else "")
        raise DocumentError(
            str(path),
            f"PDF không có lớp chữ và nhận dạng chữ (OCR) không đọc được chữ nào "
            f"(trang {listed}); hãy quét lại rõ hơn (khoảng 300 dpi, không nghiêng) rồi nạp lại",
        )
    return out, pages


_READ: OrderedDict[tuple[str, int, int, str], str] = OrderedDict()  # OCR results kept per file content
_READ_MAX = 256


def _page_text(digest: str, data: bytes, path: str, index: int) -> str:
    """OCR of one 0-based page, kept per file content (digest), resolution and language."""
    key = (digest, index, DPI, LANG)
    if key in _READ:
        _READ.move_to_end(key)
        return _READ[key]
    text = _READ[key] = _read_page(data, path, index, DPI, LANG)
    while len(_READ) > _READ_MAX:
        _READ.popitem(last=False)
    return text


def _read_page(data: bytes, path: str, index: int, dpi: int, lang: str) -> str:
    """OCR of one 0-based page of the PDF bytes (path only names the file in messages)."""
    import pypdfium2 as pdfium
    import pytesseract

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentError(path, f"không mở được PDF để nhận dạng chữ ({exc})") from None
    try:
        page = pdf[index]
        try:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        finally:
            page.close()
    finally:
        pdf.close()
    if image.getextrema()[0] > BLANK_LEVEL:
        return ""
    try:
        return pytesseract.image_to_string(image, lang=lang, timeout=PAGE_TIMEOUT_S)
    except RuntimeError:  # pytesseract's timeout
        raise DocumentError(
            path, f"nhận dạng chữ trang {index + 1} quá {PAGE_TIMEOUT_S} giây; hãy tách tệp nhỏ hơn"
        ) from None
    except pytesseract.TesseractError as exc:
        raise DocumentError(
            path, f"Tesseract không đọc được trang {index + 1} ({str(exc.message).strip()[:120]})"
        ) from None


def mark_chunks(chunks: list[Chunk], ocr_pages: list[int]) -> None:
    """Mark the chunks read by OCR; their labels say the page ('…, điểm 1 (trang 3, bản quét)')."""
    pages = set(ocr_pages)
    for chunk in chunks:
        if chunk.page in pages:
            chunk.ocr = True
            chunk.label = f"{chunk.label} (trang {chunk.page}, bản quét)"
