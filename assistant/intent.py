"""What a Vietnamese question asks for, read with patterns over its accent-folded text:
a list, a figure, a date, an amount of money, a count of something, a ranking, who is
responsible; and whether the evidence holds that kind of value or the question's anchors
(its numbers, years, named ministries, provinces, articles). Used to pick sentences and
to decide when to abstain."""

from __future__ import annotations

import re

from retrieval.text import fold

LIST = re.compile(
    r"\b(nhung|cac)\b.*\b(nao|gi)\b|\bgom\b|liet ke"
    r"|\b(cac|nhung) (nhiem vu|muc tieu|giai phap|sang kien|quan diem|chi tieu|he thong|giai doan|noi dung|nhom)\b"
)
FIGURE = re.compile(r"bao nhieu|\bmay\b|ty le|ti le|phan tram|\bngay nao\b|\bnam nao\b|khi nao|bao gio|muc nao|chi tieu|toi thieu|it nhat")
WHO = re.compile(r"\bai\b|co quan nao|\bbo nao\b|don vi nao|trach nhiem|chu tri|giao cho|phu trach|nhiem vu gi|lam gi")
BODY = re.compile(r"\b(Bộ|Ban|Ủy ban|Uỷ ban|Văn phòng|Chính phủ|Quốc hội|Đảng đoàn|Ban cán sự|Mặt trận|Thủ tướng|Viện|Hội đồng|Tổ Giúp việc|Cơ quan)\b")
UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
# A ministry, province or city, or an article: what a near-miss question swaps in.
ENTITY = re.compile(rf"\b(?:Bộ|[Tt]ỉnh|[Tt]hành phố|Sở)\s+[{UPPER}]\w*(?:\s+[{UPPER}]\w*)*|\bĐiều\s+\d+")
FIGURE_ASKED = re.compile(r"bao nhieu|\bmay\b|ty le|ti le|phan tram|nam nao|muc luong|tra luong|\bmuc\b.*\bcu the\b")
DAY_ASKED = re.compile(r"ngay nao")
ABOUT_THE_TEXT = re.compile(r"ngay nao|ban hanh|\bky\b|hieu luc|kem theo|so hieu|\bai\b.*\bky\b")
DAY = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|ngay \d{1,2}|ngay ky")
DATE_ASKED = re.compile(r"khi nao|bao gio|thoi diem nao")
YEAR_ASKED = re.compile(r"\bnam nao\b")
DEADLINE = re.compile(r"khi nao|bao gio|thoi diem nao|ngay nao|thoi han|han chot|truoc ngay|hoan thanh")
RANK_ASKED = re.compile(r"xep hang|dung thu|thu may|vi tri|nhom bao nhieu|nhom may|thuoc nhom")
RANK = re.compile(r"nhom (?:\d+|cac)|thu \d+|top \d+|dan dau")
# a price, salary, fine or capital (folded; "lương" only where typed without marks is lost)
MONEY_ASKED = re.compile(
    r"\b(gia cuoc|gia ban|muc gia|tien luong|tra luong|muc luong|von dieu le|muc phat|chi phi|hoc phi|hoc bong"
    r"|bao nhieu tien|trieu dong|ty dong)\b.*\b(bao nhieu|muc nao|cu the)\b|\b(bao nhieu|muc nao)\b.*\b(trieu|ty) dong\b"
)
AMOUNT = re.compile(r"\d[\d.,]*\s*(?:trieu|ty|nghin)?\s*(?:dong|usd|vnd)\b")
DATE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|ngay \d{1,2}|thang \d{1,2}|\b(?:19|20)\d{2}\b|ngay ky|hang nam|dinh ky|hang thang|hang quy")
HOW_MANY_NOUN = re.compile(r"bao nhieu\s+(\w+)")
NOT_A_UNIT = {"la", "phan", "nam", "muc", "ty", "ti", "va", "trong", "theo", "so", "de", "tren", "o", "cua", "con", "thi",
               "moi", "lan", "nuoc", "quoc"}
FRAME_WORDS = set(
    "trach nhiem trach_nhiem nhiem vu nhiem_vu vai tro vai_tro noi dung noi_dung quy dinh quy_dinh de cap de_cap "
    "neu noi yeu cau yeu_cau dat ra dat_ra cu the cu_the chinh the_nao ra_sao lam_gi gi nao trong".split()
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*\s*%?")


def missing_anchor(question: str, chunks, known_years: set[str] = frozenset()) -> str | None:
    """A number or year of the question, or a named ministry, province or article
    ("Bộ Nội vụ", "tỉnh Thanh Hóa", "Điều 15"), that no top clause contains."""
    evidence = fold(" ".join(c.embedding_text() for c in chunks))
    evidence_numbers = {e.lstrip("0") for e in re.findall(r"\d+", evidence)}
    for n in re.findall(r"\d+", question):
        if n.lstrip("0") not in evidence_numbers and n not in known_years:
            return n
    for m in ENTITY.finditer(question):
        if fold(m.group(0)) not in evidence:
            return m.group(0)
    return None

def has_asked_value(folded_q: str, texts: list[str]) -> bool:
    """A question asking for a date needs a date in the evidence; one asking "how many
    X" needs a number next to X; one asking for a figure needs a number."""
    folded = [fold(t) for t in texts]
    if DAY_ASKED.search(folded_q):
        return any(DAY.search(t) for t in folded)
    if DATE_ASKED.search(folded_q):
        return any(DATE.search(t) for t in folded)
    if YEAR_ASKED.search(folded_q):  # "từ năm nào": the sentence that answers carries the year
        return bool(folded) and bool(DATE.search(folded[0]))
    if MONEY_ASKED.search(folded_q):  # a price, salary, fine or capital needs an amount
        return any(AMOUNT.search(t) for t in folded)
    noun = HOW_MANY_NOUN.search(folded_q)
    if noun and noun.group(1) not in NOT_A_UNIT and any(re.search(rf"\b{noun.group(1)}\b", t) for t in folded):
        unit = re.escape(noun.group(1))  # "bao nhiêu tiến sĩ": a number must count the doctors
        near = re.compile(rf"\d[\d.,]*\s*(?:\S+\s+){{0,2}}{unit}|\b{unit}\s+(?:\S+\s+){{0,3}}\d")
        return any(near.search(t) for t in folded)
    if FIGURE_ASKED.search(folded_q):
        return any(re.search(r"\d", t) for t in texts)
    return True


# "Hệ thống 4", "sáng kiến 28", "giai đoạn 2": a numbered part of a plan the question points at
NUMBERED_PART = re.compile(r"\b(he thong|sang kien|giai doan|nhom|phu luc|chuong|dieu) (\d{1,2}|[ivx]{1,4})\b")


def numbered_parts(folded_q: str) -> list[str]:
    """The numbered parts the question names, folded ("he thong 4")."""
    return [f"{m.group(1)} {m.group(2)}" for m in NUMBERED_PART.finditer(folded_q)]

