"""Measure (not a test): how long adding a document takes, as the upload page does it
(Assistant.propose_upload, then ingest_new), on a copy of the corpus index: a text PDF, a
DOCX and a scanned page (OCR) of the synthetic province plan, and the longest seed document
(01-KH/BCĐTW's text, under another number) as a multi-page text PDF and a DOCX; then
replacing it by a new version (one more line) and removing it.

    .venv/bin/python scripts/measure_upload.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from retrieval import ocr  # noqa: E402
from tests.support.documents import FONT, write_scanned_pdf  # noqa: E402

PLAN = ROOT / "tests" / "retrieval" / "headers" / "kh-ubnd-bac-ninh.txt"
LONG = ROOT / "data" / "sources" / "kh-01-bcdtw.txt"
REVISED = "Kế hoạch này thay thế bản đã gửi trước đó; các nội dung khác giữ nguyên."  # the new version's extra line


def text_pdf(path: Path, lines: list[str]) -> Path:
    """A typed PDF (DejaVuSans 11 pt on A4, lines wrapped, as many pages as it takes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        for piece in simpleSplit(line.replace("\t", "    "), "DejaVu", 11, 495) or [""]:
            if y < 50:
                c.showPage()
                y = 800
            c.setFont("DejaVu", 11)
            c.drawString(50, y, piece)
            y -= 15
    c.save()
    return path


def docx_file(path: Path, lines: list[str]) -> Path:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def scan(path: Path, lines: list[str]) -> Path:
    """One scanned page: the header's two-column rows, the kind line centred, paragraphs."""
    blocks: list = []
    for line in lines:
        if "\t" in line:
            blocks.append(tuple(line.split("\t", 1)))
        elif line.isupper() and len(line) < 40:
            blocks.append(("", line))
        elif line.strip():
            blocks.append(line)
    write_scanned_pdf(path, blocks)
    return path


def corpus(tmp: Path) -> Assistant:
    shutil.copytree(ROOT / "data" / "sources", tmp / "sources")
    shutil.copyfile(ROOT / "data" / "catalog.toml", tmp / "catalog.toml")
    app = Assistant(
        Settings(
            data_dir=tmp,
            sources_dir=tmp / "sources",
            catalog_path=tmp / "catalog.toml",
            index_dir=tmp / "index",
            abstain_threshold=0.45,
        )
    )
    app.ingest(progress=False)
    return app


def measure(name: str, path: Path, newer: Path, base: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        shutil.copytree(base / "seed", Path(tmp), dirs_exist_ok=True)
        app = Assistant(
            Settings(
                data_dir=Path(tmp),
                sources_dir=Path(tmp) / "sources",
                catalog_path=Path(tmp) / "catalog.toml",
                index_dir=Path(tmp) / "index",
                abstain_threshold=0.45,
            )
        )
        ocr._READ.clear()  # noqa: SLF001 - time the OCR, not its cache
        t0 = time.perf_counter()
        proposal = app.propose_upload(path.name, path.read_bytes())
        t1 = time.perf_counter()
        report = app.ingest_new([path], [proposal], progress=False)
        t2 = time.perf_counter()
        assert proposal.entry.id in report.added, report.errors
        chunks = sum(1 for c in app.table.chunks if c.doc_id == proposal.entry.id)
        t3 = time.perf_counter()
        done = app.replace_document(proposal.entry.id, newer, progress=False)
        assert done.accepted, done.report.errors
        t4 = time.perf_counter()
        app.remove(proposal.entry.id, progress=False)
        t5 = time.perf_counter()
        app.close()
        return {
            "file": name,
            "bytes": path.stat().st_size,
            "chunks": chunks,
            "propose": t1 - t0,
            "ingest": t2 - t1,
            "replace": t4 - t3,
            "remove": t5 - t4,
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    plan = PLAN.read_text("utf-8").splitlines()
    # a long plan: 01-KH/BCĐTW's text under another number (a copy of a listed document
    # would be refused by the page: its number is that document's)
    long = LONG.read_text("utf-8").replace("01-KH/BCĐTW", "02-KH/BCĐTW").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        corpus(base / "seed").close()
        print(f"corpus indexed once in {time.perf_counter() - t0:.1f} s (copied for each file)")
        files = {}
        for name, make, lines, file in (
            ("plan, text PDF (1 page)", text_pdf, plan, "kh-bac-ninh.pdf"),
            ("plan, DOCX", docx_file, plan, "kh-bac-ninh.docx"),
            ("plan, scanned PDF (1 page, OCR)", scan, plan, "kh-bac-ninh-quet.pdf"),
            ("long plan, text PDF", text_pdf, long, "kh02-ban-in.pdf"),
            ("long plan, DOCX", docx_file, long, "kh02-ban-word.docx"),
        ):
            (base / "new").mkdir(exist_ok=True)
            files[name] = make(base / file, lines), make(base / "new" / file, lines + [REVISED])
        print(
            f"{'file':<34} {'KB':>6} {'chunks':>6} {'propose s':>9} {'ingest s':>8} {'total s':>7} "
            f"{'replace s':>9} {'remove s':>8}"
        )
        for name, (path, newer) in files.items():
            for _ in range(args.repeat):
                r = measure(name, path, newer, base)
                print(
                    f"{r['file']:<34} {r['bytes'] / 1e3:>6.0f} {r['chunks']:>6} {r['propose']:>9.2f} "
                    f"{r['ingest']:>8.2f} {r['propose'] + r['ingest']:>7.2f} {r['replace']:>9.2f} {r['remove']:>8.2f}"
                )


if __name__ == "__main__":
    main()
