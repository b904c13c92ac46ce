"""Scanned PDFs: the first page of 57-NQ/TW (its header and Mục I, points 1 and 2, the
text taken from data/sources) typeset, rasterized and put back into a PDF with no text
layer; read through Tesseract's Vietnamese model, its catalog entry proposed from the
header it shows, ingested, and the clause found with its label and page. One page, scanned
at 150 dpi, read once: the OCR is kept per file content, so later loads cost nothing."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from retrieval import ocr
from retrieval.catalog import Catalog
from retrieval.errors import DocumentError
from retrieval.ingest import ChunkingOptions, chunk_file
from retrieval.loading import load
from tests.support.corpus import DATA, SOURCES
from tests.support.documents import write_pdf, write_scanned_pdf

# scripts/measure_ocr.py measured 1.0000 on this page (1,294 characters; 150 dpi scan, 0.4°
# skew, JPEG 75, read at 300 dpi); the floor leaves a margin for other Tesseract builds.
ACCURACY_FLOOR = 0.97

needs_tesseract = pytest.mark.skipif(
    ocr.unavailable_reason() is not None, reason="Tesseract tiếng Việt chưa cài (bash scripts/ocr_setup.sh)"
)


def first_page() -> list[str | tuple[str, str]]:
    """The header of 57-NQ/TW, then Mục I and its points 1 and 2 as the parser cuts them."""
    nq57 = Catalog.load(DATA / "catalog.toml").by_id("nq57")
    chunks = {c.path: c.text for c in chunk_file(SOURCES / nq57.file, nq57, ChunkingOptions())}
    return [
        ("BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("Số 57-NQ/TW", "Hà Nội, ngày 22 tháng 12 năm 2024"),
        ("", "NGHỊ QUYẾT"),
        ("", "CỦA BỘ CHÍNH TRỊ"),
        ("", "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo"),
        ("", "và chuyển đổi số quốc gia"),
        chunks["I"],
        chunks["I.1"],
        chunks["I.2"],
    ]


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The scan and its ground truth, in a data folder with a copy of the catalog."""
    tmp = tmp_path_factory.mktemp("scan")
    (tmp / "sources").mkdir()
    pdf = tmp / "nq57-quet.pdf"
    truth = write_scanned_pdf(pdf, first_page())
    shutil.copyfile(DATA / "catalog.toml", tmp / "catalog.toml")
    app = Assistant(
        Settings(
            data_dir=tmp,
            sources_dir=tmp / "sources",
            catalog_path=tmp / "catalog.toml",
            index_dir=tmp / "index",
            abstain_threshold=0.45,
        )
    )
    return pdf, truth, app


def test_the_scan_has_no_text_layer(scanned):
    from pypdf import PdfReader

    assert all(not (page.extract_text() or "").strip() for page in PdfReader(str(scanned[0])).pages)


@needs_tesseract
def test_scan_is_catalogued_from_its_header_and_its_clause_found_with_label_and_page(scanned):
    pdf, _, app = scanned
    pages: list[tuple[int, int]] = []
    proposals, unreadable = app.propose_entries([pdf], on_page=lambda n, total: pages.append((n, total)))
    assert not unreadable and pages == [(1, 1)]  # the page read, as a progress bar hears it
    entry = proposals[0].entry
    assert (entry.short, entry.kind, entry.issuer, entry.date) == (
        "57-NQ/TW",
        "Nghị quyết",
        "Bộ Chính trị",
        "2024-12-22",
    )
    assert entry.id == "nq57-tw" and entry.cite_as == "Nghị quyết 57-NQ/TW"  # nq57 is the typed copy's
    report = app.ingest_new([pdf], proposals, progress=False)
    assert not report.errors, report.errors
    assert Catalog.load(app.settings.catalog).by_id("nq57-tw") == entry
    hit = app.search(
        "đột phá quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại",
        3,
        doc="nq57-tw",
    )[0]
    assert (hit.chunk.path, hit.chunk.page, hit.chunk.ocr) == ("I.1", 1, True)
    assert hit.chunk.label == "Nghị quyết 57-NQ/TW, Mục I, điểm 1 (trang 1, bản quét)"
    # the OCR text went through the same parser: the section and both points are there
    paths = [c.path for c in app.table.of_document("nq57-tw")]
    assert ["I", "I.1", "I.2"] == [p for p in paths if p.startswith("I")]


@needs_tesseract
def test_character_accuracy_of_the_scanned_page(scanned):
    pdf, truth, _ = scanned
    loaded = load(pdf)  # the OCR kept for this file's content
    assert loaded.ocr_pages == [1]
    from rapidfuzz.distance import Levenshtein

    accuracy = Levenshtein.normalized_similarity(flat(loaded.text), flat(" ".join(truth)))
    assert accuracy >= ACCURACY_FLOOR, f"character accuracy {accuracy:.4f}"


def test_without_tesseract_a_scan_is_refused_with_what_to_install(scanned, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(
        DocumentError, match="cần nhận dạng chữ \\(OCR\\) nhưng máy chưa cài Tesseract.*tesseract-ocr-vie"
    ):
        load(scanned[0])


def test_without_tesseract_the_text_pages_of_a_mixed_pdf_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    pdf = write_pdf(tmp_path / "mixed.pdf", [["1. Đến năm 2030, kinh phí cho nghiên cứu đạt 2% GDP."], []])
    loaded = load(pdf)
    assert "2% GDP" in loaded.text and loaded.ocr_pages == []
