"""Cleaning removes markup and OCR artifacts and never changes the wording."""

from __future__ import annotations

import re

from retrieval.normalize import normalize
from retrieval.text import nfc, words
from tests.support.corpus import SOURCES


def test_markdown_artifacts_removed_wording_kept():
    raw = (SOURCES / "nq-57-tw.md").read_text("utf-8")
    text = normalize(raw).text
    assert "**" not in text and "\\-" not in text and "\\." not in text and "\\&" not in text
    assert "1. Phát triển khoa học" in text
    assert "(R&D) đạt 2% GDP" in text
    assert words(raw) == words(text)  # the same syllables in the same order


def test_text_is_nfc_even_when_the_source_is_not():
    raw = (SOURCES / "nq-20-tw.md").read_text("utf-8")
    assert nfc(raw) != raw
    text = normalize(raw).text
    assert nfc(text) == text


def test_latex_and_ocr_junk_lines_cleaned():
    text = normalize((SOURCES / "kh-vhl.txt").read_text("utf-8")).text
    assert "\\geq" not in text and "IF ≥ 1" in text
    lines = {line.strip() for line in text.splitlines()}
    assert not {"MML", "ml", "NGHỆ MIỀN"} & lines
    five = normalize((SOURCES / "phan-tich-5w1h-nq57.md").read_text("utf-8")).text
    assert "ChatGPT" not in five and "4o" not in {line.strip() for line in five.splitlines()}


def test_news_header_artifacts_stripped():
    text = normalize((SOURCES / "tin-nq-03-cp.txt").read_text("utf-8")).text
    assert text.lstrip().startswith("Chính phủ đã ban hành")
    head = normalize((SOURCES / "kh-01-bcdtw.txt").read_text("utf-8")).text
    assert head.startswith("BAN CHẤP HÀNH TRUNG ƯƠNG")
    assert not re.search(r"^\s*[-_]{5,}\s*$", head, re.M)
