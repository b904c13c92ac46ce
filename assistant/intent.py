"""What a Vietnamese question asks for, read with patterns over its accent-folded text:
a list, a figure, a date, an amount of money, a count of something, a ranking, who is
responsible; and whether the evidence holds that kind of value or the question's anchors
(its numbers, years, named ministries, provinces, articles). Used to pick sentences and
to decide when to abstain. The patterns and word lists are data:
retrieval/resources/rules/intent.toml."""

from __future__ import annotations

import re

from retrieval.rules import load_rules
from retrieval.text import fold

_RULES = load_rules("intent")  # retrieval/resources/rules/intent.toml

LIST = _RULES.pattern("list")
FIGURE = _RULES.pattern("figure")
WHO = _RULES.pattern("who")
BODY = _RULES.pattern("body")  # as written, not folded
UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"  # Vietnamese capitals
# A ministry, province or city, or an article: what a near-miss question swaps in.
ENTITY = _RULES.pattern("entity")
FIGURE_ASKED = _RULES.pattern("figure_asked")
DAY_ASKED = _RULES.pattern("day_asked")
ABOUT_THE_TEXT = _RULES.pattern("about_the_text")
DAY = _RULES.pattern("day")
DATE_ASKED = _RULES.pattern("date_asked")
YEAR_ASKED = _RULES.pattern("year_asked")
DEADLINE = _RULES.pattern("deadline")
RANK_ASKED = _RULES.pattern("rank_asked")
RANK = _RULES.pattern("rank")
MONEY_ASKED = _RULES.pattern("money_asked")  # a price, salary, fine or capital
AMOUNT = _RULES.pattern("amount")
DATE = _RULES.pattern("date")
HOW_MANY_NOUN = _RULES.pattern("how_many_noun")
NOT_A_UNIT = _RULES.word_set("not_a_unit")
FRAME_WORDS = _RULES.word_set("frame")
NUMBER = _RULES.pattern("number")


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
NUMBERED_PART = _RULES.pattern("numbered_part")


def numbered_parts(folded_q: str) -> list[str]:
    """The numbered parts the question names, folded ("he thong 4")."""
    return [f"{m.group(1)} {m.group(2)}" for m in NUMBERED_PART.finditer(folded_q)]

