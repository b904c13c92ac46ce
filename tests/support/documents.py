"""Generate real PDF and DOCX files with Vietnamese text for round-trip tests."""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

CLAUSES = [
    "I- MỤC TIÊU",
    "1. Đến năm 2030, kinh phí chi cho nghiên cứu phát triển đạt 2% GDP.",
    "2. Quy mô kinh tế số đạt tối thiểu 30% GDP.",
    "II- NHIỆM VỤ",
    "1. Hoàn thiện thể chế về khoa học, công nghệ và đổi mới sáng tạo.",
    "a) Rà soát, sửa đổi các quy định pháp luật còn chồng chéo.",
    "b) Đẩy mạnh chuyển đổi số trong cơ quan nhà nước.",
]


def write_pdf(path: Path, pages: list[list[str]], encrypt: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for lines in pages:
        y = 800
        if not lines:
            c.rect(100, 500, 200, 100, fill=1)  # a picture, no text layer
        c.setFont("DejaVu", 11)
        for line in lines:
            c.drawString(50, y, line)
            y -= 20
        c.showPage()
    c.save()
    return path


def write_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("KẾ HOẠCH THỬ NGHIỆM", level=1)
    for line in lines:
        d.add_paragraph(line)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for k, cell in enumerate(row):
                t.cell(r, k).text = cell
    d.save(str(path))
    return path
