"""Tables of PDF (pdfplumber) and DOCX (python-docx) files keep their rows: one chunk per
row carrying the header row (and its group row), as the text files' tables do."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest import ChunkingOptions, chunk_file
from retrieval.loading import load
from retrieval.tables import row_line
from retrieval.types import DocumentInfo
from tests.support.documents import CLAUSES, FONT, write_pdf

HEADER = ["TT", "Chỉ tiêu", "Kết quả"]
N_ROWS = 40  # under "I - Đến năm 2030"; long enough to run over two page breaks


def _doc(path: Path) -> DocumentInfo:
    return DocumentInfo(
        id="pl",
        file=path.name,
        short="PL",
        title="Phụ lục",
        issuer="",
        date="",
        kind="Kế hoạch",
        authority="official",
        cite_as="Kế hoạch thử",
    )


def _indicator(k: int) -> str:
    extra = " trong giai đoạn 2025 - 2030, có đánh giá giữa kỳ" if k % 3 == 0 else ""
    return f"Chỉ tiêu số {k} về công bố quốc tế và văn bằng sở hữu trí tuệ của đơn vị{extra}"


def write_table_pdf(path: Path, repeat_header: bool) -> Path:
    """'Phụ lục I', a ruled table of 2 groups and 41 numbered rows over three pages (group
    cells spanning two columns; long cells wrapped), then a note."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("vi", fontName="DejaVu", fontSize=10, leading=13)
    data = [HEADER, ["I", "Đến năm 2030", ""]]
    data += [[str(k), Paragraph(_indicator(k), style), f"Tăng {k}%"] for k in range(1, N_ROWS + 1)]
    data += [["II", "Đến năm 2045", ""], ["41", "Hình thành các nhóm nghiên cứu mạnh", "20 nhóm"]]
    table = Table(data, colWidths=[30, 330, 100], repeatRows=1 if repeat_header else 0)
    spans = [("SPAN", (1, r), (2, r)) for r, row in enumerate(data) if row[0] in ("I", "II")]
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONTNAME", (0, 0), (-1, -1), "DejaVu"), *spans])
    )
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [
            Paragraph("Phụ lục I", style),
            Paragraph("Danh mục các chỉ tiêu cụ thể", style),
            table,
            Paragraph("Ghi chú: số liệu tạm tính theo báo cáo của các đơn vị.", style),
        ]
    )
    return path


@pytest.mark.parametrize("repeat_header", [False, True], ids=["header-once", "header-on-each-page"])
def test_pdf_table_keeps_one_chunk_per_row_across_pages(tmp_path, repeat_header):
    pdf = write_table_pdf(tmp_path / "pl.pdf", repeat_header)
    chunks = chunk_file(pdf, _doc(pdf), ChunkingOptions())
    rows = [c for c in chunks if c.kind == "row"]
    groups = [c for c in chunks if c.kind == "group"]
    assert len(rows) == N_ROWS + 1 and [g.path for g in groups] == ["PL1.I", "PL1.II"]
    assert all(r.context.startswith("TT | Chỉ tiêu | Kết quả") for r in rows)
    first_group = [r for r in rows if r.path.startswith("PL1.I.")]
    assert [r.path for r in first_group] == [f"PL1.I.{k}" for k in range(1, N_ROWS + 1)]
    assert all(r.context == "TT | Chỉ tiêu | Kết quả › I Đến năm 2030" for r in first_group)
    assert len({r.page for r in rows}) >= 2  # the table does run over a page break
    row = next(r for r in rows if r.path == "PL1.I.39")
    assert row.text == f"39\t{_indicator(39)}\tTăng 39%"  # the wrapped cell is one line
    assert row.label == "Kế hoạch thử, Phụ lục I, mục I, dòng 39"
    assert not any(c.text.startswith("TT\t") for c in chunks if c.kind != "table")  # the repeated header is no row
    assert (
        chunks[-1].text == "Ghi chú: số liệu tạm tính theo báo cáo của các đơn vị." and chunks[-1].kind == "paragraph"
    )


def test_pdf_without_tables_keeps_its_text_layer(tmp_path):
    from pypdf import PdfReader

    pdf = write_pdf(tmp_path / "kh.pdf", [CLAUSES[:3], CLAUSES[3:]])
    pages = [p.extract_text() for p in PdfReader(str(pdf)).pages]
    assert load(pdf).text == "\n".join(line for page in pages for line in [*page.split("\n"), ""])


def write_table_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("Phụ lục II")
    d.add_paragraph("Phân công nhiệm vụ")
    rows = [
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
        ["I", "Thể chế", "", ""],
        ["1", "Sửa đổi Luật Khoa học và Công nghệ", "Bộ Khoa học và Công nghệ", "2025"],
        ["2", "Ban hành cơ chế thử nghiệm có kiểm soát", "Bộ Tư pháp", "Quý IV/2025"],
        ["II", "Hạ tầng", "", ""],
        ["3", "Xây dựng trung tâm dữ liệu quốc gia", "Bộ Công an", "2026"],
    ]
    t = d.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            t.cell(r, k).text = cell
    for r, row in enumerate(rows):
        if row[0] in ("I", "II"):
            t.cell(r, 1).merge(t.cell(r, 3)).text = row[1]  # the group's name spans the row
    d.add_paragraph("Các bộ báo cáo kết quả trước ngày 15 tháng 12 hằng năm.")
    d.save(str(path))
    return path


def test_docx_table_rows_with_merged_cells(tmp_path):
    path = write_table_docx(tmp_path / "pl.docx")
    chunks = chunk_file(path, _doc(path), ChunkingOptions())
    rows = [c for c in chunks if c.kind == "row"]
    assert [r.path for r in rows] == ["PL2.I.1", "PL2.I.2", "PL2.II.3"]
    assert [c.text for c in chunks if c.kind == "group"] == ["I\tThể chế", "II\tHạ tầng"]  # merged cell once
    assert rows[1].context == "TT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn › I Thể chế"
    assert rows[1].text == "2\tBan hành cơ chế thử nghiệm có kiểm soát\tBộ Tư pháp\tQuý IV/2025"


def test_row_line_keeps_a_one_cell_row_inside_its_table():
    assert row_line(["1", "Nhiệm vụ", None]) == "1\tNhiệm vụ\t"
    assert row_line(["Ghi chú chung cho cả bảng", None, ""]) == "\tGhi chú chung cho cả bảng"
    assert row_line(["", None, " "]) == ""
    assert row_line(["Dòng\nxuống hàng", "x"]) == "Dòng xuống hàng\tx"
