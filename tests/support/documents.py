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


def write_scanned_pdf(
    path: Path, blocks: list[str | tuple[str, str]], dpi: int = 150, skew: float = 0.4, jpeg_quality: int = 75
) -> list[str]:
    """An image-only PDF of one page, as a scanner makes one: typeset with reportlab and
    DejaVuSans on A4, rasterized with pypdfium2 at ``dpi``, turned by ``skew`` degrees and
    JPEG-compressed, then the image written into a PDF without a text layer (Pillow).

    blocks: a paragraph (str, 12 pt from the left margin, wrapped), a two-column header row
    ((left, right), 11 pt) or a centred line (("", text)). Returns the page's lines in
    reading order (a header row as "left right"): the ground truth."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    typeset = io.BytesIO()
    c = canvas.Canvas(typeset, pagesize=A4)
    lines: list[str] = []
    y = 800
    for block in blocks:
        if isinstance(block, tuple):
            left, right = block
            c.setFont("DejaVu", 11)
            if left:
                c.drawCentredString(150, y, left)
            c.drawCentredString(420 if left else 297, y, right)
            lines.append(f"{left} {right}".strip())
            y -= 16
            continue
        c.setFont("DejaVu", 12)
        y -= 8
        for line in simpleSplit(block, "DejaVu", 12, 495):
            c.drawString(50, y, line)
            lines.append(line)
            y -= 17
    c.showPage()
    c.save()
    page = pdfium.PdfDocument(typeset.getvalue())[0]
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=jpeg_quality)
    Image.open(jpeg).save(path, "PDF", resolution=dpi)
    return lines
