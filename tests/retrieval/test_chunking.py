"""retrieval/chunking.py: a parsed document becomes citable clause chunks (ids, paths,
labels a civil servant would write, breadcrumbs, exact offsets)."""

from __future__ import annotations

from retrieval.chunking import chunk_document
from retrieval.normalize import normalize
from retrieval.structure import parse
from retrieval.types import DocumentInfo

DOC = DocumentInfo(
    id="kh",
    file="kh.txt",
    short="12/KH-UBND",
    title="Kế hoạch thử",
    issuer="UBND",
    date="2025-03-15",
    kind="Kế hoạch",
    authority="official",
    cite_as="Kế hoạch 12/KH-UBND",
)
TEXT = """KẾ HOẠCH
Thực hiện chuyển đổi số

I. MỤC TIÊU
1. Đến năm 2030, kinh tế số đạt 30% GDP.
2. Phát triển hạ tầng số:
a) Phủ sóng 5G toàn tỉnh;
b) Xây dựng trung tâm dữ liệu.
II. NHIỆM VỤ
1. Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành triển khai kế hoạch này.
"""


def _chunks():
    norm = normalize(TEXT)
    return norm.text, chunk_document(DOC, parse(norm), norm.text)


def test_one_chunk_per_clause_with_its_path_and_label():
    _, chunks = _chunks()
    by_path = {c.path: c for c in chunks}
    assert ["I", "I.1", "I.2", "I.2.a", "I.2.b", "II", "II.1"] == [p for p in by_path if p[0] in "I"]
    assert by_path["I.2.a"].label == "Kế hoạch 12/KH-UBND, Mục I, điểm 2, tiết a"
    assert by_path["II.1"].label == "Kế hoạch 12/KH-UBND, Mục II, điểm 1"
    assert by_path["I.2.b"].breadcrumb[-2:] == ["I. MỤC TIÊU", "2. Phát triển hạ tầng số:"]


def test_chunks_are_exact_spans_of_the_text_with_unique_ids():
    text, chunks = _chunks()
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)
    assert all(c.id.startswith("kh:") and c.doc_id == "kh" and c.doc_short == "12/KH-UBND" for c in chunks)
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)  # document order


def test_a_small_budget_never_loses_text():
    norm = normalize(TEXT)
    chunks = chunk_document(DOC, parse(norm), norm.text, max_tokens=8, min_tokens=0)
    covered = "".join(c.text for c in chunks)
    for word in ("30% GDP", "5G", "trung tâm dữ liệu", "Sở Khoa học và Công nghệ chủ trì"):
        assert word in covered
