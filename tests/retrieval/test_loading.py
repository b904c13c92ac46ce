"""Loaders: PDF, DOCX, HTML round trips with Vietnamese text, and every bad input."""

from __future__ import annotations

import unicodedata

import pytest

from retrieval.catalog import Catalog
from retrieval.errors import DocumentError
from retrieval.ingest import ChunkingOptions, chunk_file
from retrieval.loading import load
from tests.support.documents import CLAUSES, write_docx, write_pdf

DOC = Catalog([]).for_unlisted


def clauses(chunks):
    return {c.path: c.text for c in chunks}


def test_pdf_round_trip_keeps_clauses_and_pages(tmp_path):
    pdf = write_pdf(tmp_path / "kh.pdf", [CLAUSES[:3], CLAUSES[3:]])
    chunks = chunk_file(pdf, DOC(pdf), ChunkingOptions())
    got = clauses(chunks)
    assert got["I.1"] == CLAUSES[1] and got["II.1.a"] == CLAUSES[5] and got["II.1.b"] == CLAUSES[6]
    pages = {c.path: c.page for c in chunks}
    assert pages["I.1"] == 1 and pages["II.1.a"] == 2


def test_docx_round_trip_with_table(tmp_path):
    table = [["TT", "Chỉ tiêu", "Kết quả"], ["1", "Số công bố quốc tế", "Tăng 50%"], ["2", "Số sáng chế", "Tăng 30%"]]
    path = write_docx(tmp_path / "kh.docx", CLAUSES, table)
    chunks = chunk_file(path, DOC(path), ChunkingOptions())
    got = clauses(chunks)
    assert got["II.1.a"] == CLAUSES[5] and got["I.2"] == CLAUSES[2]
    rows = [c for c in chunks if c.kind == "row"]
    assert [r.text.split("\t")[1] for r in rows] == ["Số công bố quốc tế", "Số sáng chế"]
    assert all(r.context == "TT | Chỉ tiêu | Kết quả" for r in rows)


def test_html_loader(tmp_path):
    path = tmp_path / "tin.html"
    body = "".join(f"<p>{c}</p>" for c in CLAUSES)
    path.write_text(f"<html><head><script>x()</script></head><body><h1>Kế hoạch</h1>{body}</body></html>", "utf-8")
    got = clauses(chunk_file(path, DOC(path), ChunkingOptions()))
    assert got["II.1.b"] == CLAUSES[6]


def to_cp1258(text: str) -> bytes:
    """Windows-1258 spells tones as combining marks after a precomposed base letter."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_legacy_vietnamese_encoding_is_decoded(tmp_path):
    path = tmp_path / "cu.txt"
    path.write_bytes(to_cp1258("\n".join(CLAUSES)))
    assert unicodedata.normalize("NFC", load(path).text) == "\n".join(CLAUSES)
    got = clauses(chunk_file(path, DOC(path), ChunkingOptions()))
    assert got["II.1.a"] == CLAUSES[5]


@pytest.mark.parametrize(
    "name, make, reason",
    [
        ("missing.txt", None, "không tìm thấy tệp"),
        ("bang.xlsx", lambda p: p.write_bytes(b"PK\x03\x04"), "không được hỗ trợ"),
        ("rong.txt", lambda p: p.write_bytes(b""), "tệp rỗng"),
        ("trang.md", lambda p: p.write_text("   \n\n  ", "utf-8"), "không có nội dung"),
        ("nhiphan.txt", lambda p: p.write_bytes(bytes(range(256)) * 4), "không phải UTF-8"),
        ("hong.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog"), "PDF hỏng"),
        ("khoa.pdf", lambda p: write_pdf(p, [CLAUSES], encrypt="matkhau"), "mã hoá"),
        ("anh.pdf", lambda p: write_pdf(p, [[]]), "nhận dạng chữ (OCR)"),
    ],
)
def test_bad_inputs_give_one_clear_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    if make:
        make(path)
    with pytest.raises(DocumentError) as err:
        chunk_file(path, DOC(path), ChunkingOptions())
    message = str(err.value)
    assert reason in message and name in message and "\n" not in message


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "lon.txt"
    path.write_text("\n".join(CLAUSES) * 100, "utf-8")
    with pytest.raises(DocumentError, match="vượt giới hạn"):
        load(path, max_bytes=1000)
