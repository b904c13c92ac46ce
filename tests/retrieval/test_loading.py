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


# -- decoding must be plausible (issue 11, item 2) ----------------------------------------


def test_utf16_with_bom_is_decoded_when_it_reads_as_vietnamese(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("\n".join(CLAUSES).encode("utf-16"))
    assert load(path).text == "\n".join(CLAUSES)


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("ff-fe.md", b"\xff\xfe\x00" + bytes(range(201)), "không nhận ra bảng mã"),  # even length: "UTF-16" CJK
        ("cjk.txt", ("学习贯彻" * 200).encode("utf-16"), "không nhận ra bảng mã"),
        ("dieu-khien.txt", bytes(range(1, 128)) * 20, "ký tự điều khiển"),
        ("so.txt", ("12.345 | 67 ; " * 300).encode(), "quá ít chữ cái"),
        ("han.txt", ("研究与开发经费达到国内生产总值的百分之二。" * 50).encode(), "không phải chữ Latinh"),
    ],
)
def test_implausible_decodings_are_refused(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=reason):
        load(path)


def test_an_english_utf8_text_is_still_accepted(tmp_path):
    path = tmp_path / "en.md"
    path.write_text("1. The research budget shall reach 2% of GDP by 2030.\n", "utf-8")
    assert "research budget" in load(path).text


def test_a_folder_named_like_a_file(tmp_path):
    (tmp_path / "thu-muc.txt").mkdir()
    with pytest.raises(DocumentError, match="thư mục, không phải tệp"):
        load(tmp_path / "thu-muc.txt")


def test_damaged_pdf_and_docx_say_so_and_print_nothing(tmp_path, capfd):
    pdf = tmp_path / "hong.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"garbage" * 50)
    docx = tmp_path / "hong.docx"
    docx.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    for path, reason in ((pdf, "PDF hỏng"), (docx, "DOCX hỏng")):
        with pytest.raises(DocumentError, match=reason):
            load(path)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # pypdf's "EOF marker not found" stays quiet
