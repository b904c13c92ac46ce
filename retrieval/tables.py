"""Tables of PDF and DOCX files as the rows the structure parser knows: one line per row,
cells separated by tabs, each table set off by blank lines. structure.py then makes one
node (one chunk) per row carrying the header row, as for the text files' tables.

PDF: pdfplumber finds ruled tables on pages that have a text layer; such a page's text is
rebuilt as the text above, the table's rows, the text below. A table broken over a page
goes on as one table on the next page (the loader joins the two pages' rows), so every
row still carries its header and its group.
DOCX: python-docx tables; a cell merged across columns is written once.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

PAGE_FOOT = 0.85
MIN_RULES = 4  # a ruled table draws at least its four borders  # a table ending below this fraction of the page height may continue


def row_line(cells: list[str | None]) -> str:
    """One table row as a tab-separated line ("" for a row with no text). A row of one
    cell starts with a tab so that it stays inside its table."""
    texts = [" ".join((c or "").split()) for c in cells]
    if not any(texts):
        return ""
    if not any(texts[1:]):  # one cell, or one spanning the row: the trailing tabs would be trimmed
        return "\t" + texts[0]
    return "\t".join(texts)


def docx_rows(table) -> list[str]:
    """The rows of a python-docx table (merged cells once, empty rows left out)."""
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # python-docx lists a merged cell once per column it spans
                continue
            last = cell._tc
            cells.append(cell.text)
        line = row_line(cells)
        if line:
            rows.append(line)
    return rows


def pdf_pages_with_tables(path: Path, texts: list[str], data: bytes | None = None) -> tuple[list[str], set[int]]:
    """Page texts, those of pages holding ruled tables rebuilt with one line per row, and
    the (0-based) pages whose text continues the table the previous page ends with (the
    loader joins them without a blank line, so the rows stay in one table). Pages without
    a text layer, and any page pdfplumber cannot read, keep their text. data: the file's
    bytes when already read (the file itself may not be in place yet)."""
    import io

    import pdfplumber

    data = path.read_bytes() if data is None else data

    out = list(texts)
    continued: set[int] = set()
    carry: tuple[int, str] | None = None  # (columns, header line) of a table reaching the page foot
    try:
        ruled = _ruled_pages(data)
        if not ruled:
            return out, continued
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages):
                if i >= len(texts) or not texts[i].strip() or i not in ruled:
                    carry = None
                    continue
                tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
                if not tables:
                    carry = None
                    continue
                out[i], carry, joins = _page_text(page, tables, carry)
                if joins:
                    continued.add(i)
    except Exception as exc:  # noqa: BLE001 - a table reader's failure must not lose the text layer
        log.warning("%s: không đọc được bảng (%s); giữ văn bản thường", path, type(exc).__name__)
        return list(texts), set()
    return out, continued


def _ruled_pages(data: bytes) -> set[int]:
    """Pages drawing enough lines or boxes to hold a ruled table (pypdfium2 counts them in
    a few milliseconds; pdfplumber's table finder costs a tenth of a second a page)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(data)
    try:
        ruled = set()
        for i in range(len(pdf)):
            page = pdf[i]
            paths = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2))
            page.close()
            if paths >= MIN_RULES:
                ruled.add(i)
        return ruled
    finally:
        pdf.close()


def _rows(table) -> list[list[str | None]]:
    return [r for r in (table.extract() or []) if any(c and c.strip() for c in r)]


def _page_text(page, tables, carry: tuple[int, str] | None) -> tuple[str, tuple[int, str] | None, bool]:
    """The page's text with its tables as rows; the header to carry to the next page; and
    whether the page opens by continuing the previous page's table."""
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    parts: list[str] = []
    top = 0.0
    joins = False
    header = ""
    for n, table in enumerate(tables):
        above = _text_between(page, top, table.bbox[1], outside)
        rows = _rows(table)
        lines = [ln for ln in (row_line(r) for r in rows) if ln]
        header = lines[0] if lines else ""
        if n == 0 and carry is not None and not above.strip() and rows and len(rows[0]) == carry[0]:
            joins, header = True, carry[1]  # the table the previous page ends with goes on
            if lines and lines[0] == carry[1]:
                lines = lines[1:]  # its header, repeated by the writer
        parts += [above, "\n".join(lines)]
        top = table.bbox[3]
    below = _text_between(page, top, page.height, outside)
    parts.append(below)
    rows = _rows(tables[-1])
    reaches_foot = tables[-1].bbox[3] >= PAGE_FOOT * page.height and not below.strip()
    carry = (len(rows[0]), header) if reaches_foot and rows and header else None
    text = "\n\n".join(p.strip("\n") for p in parts if p.strip())
    return text, carry, joins


def _text_between(page, top: float, bottom: float, keep) -> str:
    if bottom - top < 1:
        return ""
    band = page.crop((0, max(0.0, top), page.width, min(page.height, bottom)), strict=False)
    return band.filter(keep).extract_text() or ""
