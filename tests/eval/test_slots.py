"""Each family of the judge's language resources (eval/resources/*.toml) finds what it
should, and only that, on sentences written the way the documents write them."""

from __future__ import annotations

import pytest

from eval.claims import claims_of, parse_answer
from eval.lang import fold, tokenize, units
from eval.slots import parse


def slots(text: str, kind: str) -> list[tuple]:
    return [(s.key, s.unit, s.qual) if kind == "quantity" else s.key for s in parse(text).slots if s.kind == kind]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Quy mô kinh tế số đạt tối thiểu 30% GDP", [("30", "%", "at_least")]),
        ("đạt 12 người trên một vạn dân", [("12", "nguoi", "")]),
        ("tăng trung bình 16 - 18%/năm", [("16", "%/nam", ""), ("18", "%/nam", "")]),
        ("đạt 1,5% GDP, trên 2% GDP", [("1.5", "%", ""), ("2", "%", "above")]),
        ("8/12 tạp chí đạt chuẩn", [("8/12", "tap chi", "")]),
        ("tối thiểu có 5 doanh nghiệp công nghệ số", [("5", "doanh nghiep", "")]),
        ("tổ chức thành 6 Hệ thống", [("6", "he thong", "")]),
        ("ít nhất 02 bài báo, trong đó 01 bài", [("2", "bai bao", "at_least"), ("1", "bai", "")]),
        ("khoảng 3% GDP vào năm 2030", [("3", "%", "about")]),
        ("thông tin di động 5G, 6G và mô hình 5W1H", []),  # numbers inside codes are no quantities
    ],
)
def test_quantities_with_units_and_qualifiers(text, expected):
    assert slots(text, "quantity") == expected


@pytest.mark.parametrize(
    "text, years, dates",
    [
        ("ngày 22/12/2024 của Bộ Chính trị", [], ["22-12-2024"]),
        ("Hà Nội, ngày 02 tháng 6 năm 2025", [], ["2-6-2025"]),
        ("trong tháng 01 năm 2025", [], ["?-1-2025"]),
        ("trước ngày 15 tháng 6 và ngày 09/01", [], ["15-6-?", "9-1-?"]),
        ("vào năm 2030, tầm nhìn đến năm 2045; giai đoạn 2021-2025", ["2030", "2045", "2021", "2025"], []),
    ],
)
def test_years_and_dates(text, years, dates):
    assert slots(text, "year") == years
    assert slots(text, "date") == dates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nghị quyết số 57-NQ/TW ngày 22/12/2024", ["nq57"]),
        ("Nghị quyết 03/NQ-CP và Kế hoạch số 01-KH/BCĐTW", ["nq3", "kh1"]),
        ("theo NQ57, Nghị quyết 20 và Kết luận 69", ["nq57", "nq20", "kl69"]),
        ("Quyết định 116/QĐ-VHL của Viện", ["qd116"]),
        ("nghị quyết này", []),
    ],
)
def test_documents(text, expected):
    assert slots(text, "document") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông chủ trì",
            ["bo khoa hoc va cong nghe", "bo thong tin va truyen thong"],
        ),
        ("Ban Tuyên giáo Trung ương chủ trì, phối hợp với các bộ, ngành", ["ban tuyen giao trung uong"]),
        ("Thay mặt Bộ Chính trị, Tổng Bí thư Tô Lâm đã ký", ["bo chinh tri", "tong bi thu"]),
        ("Đảng ủy Quốc hội có trách nhiệm; Bộ Y tế phối hợp", ["dang uy quoc hoi", "bo y te"]),
        ("Ban hành chương trình; Tổ chức thực hiện; Hội nhập quốc tế", []),  # verbs written with a capital
        (  # a name stops at its line: a heading's last words do not run into the next line
            "4. Công cụ điều phối của Ban Chỉ đạo Trung ương\nBan Chỉ đạo Trung ương, Cơ quan Thường trực và Tổ Giúp việc",
            ["ban chi dao trung uong", "ban chi dao trung uong", "co quan thuong truc va to giup viec"],
        ),
    ],
)
def test_bodies(text, expected):
    assert slots(text, "body") == expected


def test_places():
    assert slots("đưa Việt Nam vào nhóm 3 nước dẫn đầu Đông Nam Á", "place") == ["viet nam", "dong nam a"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Không bố trí ngân sách", ["khong"]),
        ("không được chậm trễ, nghiêm cấm lãng phí; bãi bỏ quy định", ["khong duoc", "nghiem cam", "bai bo"]),
        ("chưa có cơ chế", ["chua co"]),
        ("bảo đảm chủ quyền trên không gian mạng, hàng không vũ trụ", []),  # not negations
        ("đạt tối thiểu 30%", []),  # "thiểu" is not "thiếu"
    ],
)
def test_polarity(text, expected):
    assert slots(text, "negation") == expected


def test_folding_tokens_and_units():
    assert fold("Đổi mới sáng tạo, Ủy ban") == "doi moi sang tao, uy ban"
    assert [t.text for t in tokenize("trọng yếu[1] và 1,5% GDP")] == ["trọng", "yếu", "và", "1,5", "%", "GDP"]
    text = "2. Tầm nhìn đến năm 2045\n\nViệt Nam đạt 50% GDP; là trung tâm. Mục 1. tiếp"
    assert [text[a:b] for a, b in units(text)] == [
        "2. Tầm nhìn đến năm 2045",
        "Việt Nam đạt 50% GDP;",
        "là trung tâm.",
        "Mục 1. tiếp",
    ]


def test_claims_are_read_from_the_text():
    text = (
        "Các văn bản nêu như sau:\nQuy mô đạt 30% GDP [1]. Tỉ lệ đạt 80%. [2][3]\n"
        "- gồm 5 Hệ thống Chiến lược trọng yếu[1] và Hệ thống dự án. [4]\n- Mục hai[5]"
    )
    all_ = parse_answer(text)
    assert [(c.text, c.markers, c.framing, c.bullet) for c in all_] == [
        ("Các văn bản nêu như sau:", [], True, False),
        ("Quy mô đạt 30% GDP.", [1], False, False),
        ("Tỉ lệ đạt 80%.", [2, 3], False, False),
        ("gồm 5 Hệ thống Chiến lược trọng yếu[1] và Hệ thống dự án.", [4], False, True),  # a footnote stays text
        ("Mục hai", [5], False, True),
    ]
    assert len(claims_of(text)) == 4
    # sentences before one marker group share it
    assert [c.markers for c in claims_of("Dòng 9 đạt chuẩn. Trong đó có 5 tạp chí [1]")] == [[1], [1]]
    # a signer's "KT." / "TM." ends no sentence
    assert [c.text for c in claims_of("- TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / Nguyễn Hòa Bình [1]")] == [
        "TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / Nguyễn Hòa Bình"
    ]
