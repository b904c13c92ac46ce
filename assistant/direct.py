"""The direct answer: the part of the best sentence that answers what was asked.

A sentence of these documents often strings several targets together with semicolons
("Kinh phí chi cho R&D đạt 2% GDP …; bố trí ít nhất 3% tổng chi ngân sách …"), or several
years ("đến năm 2030 …; đến năm 2045 …"). The direct answer quotes only the clause that
carries the asked value: an exact sub-span of the sentence, so it stays a verbatim quote.
It also names the heading a sentence stands under when that heading holds the year the
sentence itself does not state ("1. Đến năm 2030" › "Quy mô kinh tế số đạt …").
"""

from __future__ import annotations

import re

from retrieval.rules import load_rules
from retrieval.text import fold

from . import intent
from .evidence import YEAR, Evidence, EvidenceScorer, Unit

_CLAUSE_END = re.compile(r";\s+")
MIN_CLAUSE = 25


_DATE_DIGITS = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\b|\bngay \d{1,2}\b")
_FOOTNOTE = re.compile(r"\s?\[\d{1,3}\](?=[\s\w.,;:)]|$)")


def shown_text(quote: str) -> str:
    """A quote as the answer shows it: the document's footnote markers ("trọng yếu[1]")
    left out, so they are not read as citation markers; the quote itself stays exact."""
    return _FOOTNOTE.sub("", quote)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ;-separated clauses of text[start:end] (outside parentheses), trimmed."""
    spans, pos, depth = [], start, 0
    for i in range(start, end):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            spans.append((pos, i))
            pos = i + 1
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1] in " \t.;":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def asked_span(unit: Unit, evidence: Evidence, scorer: EvidenceScorer) -> tuple[int, int]:
    """The span of the unit to quote as the direct answer: the whole sentence, or the one
    clause of it that says what is asked when the others say something else."""
    text = unit.source.chunk.text
    clauses = clause_spans(text, unit.start, unit.end)
    figure = bool(intent.FIGURE.search(evidence.folded))
    if len(clauses) < 2 or not (figure or intent.DEADLINE.search(evidence.folded) or evidence.years):
        return unit.start, unit.end  # only a figure, a date or a year is quoted part by part
    heading = unit.heading
    whole = scorer.coverage(evidence.question, f"{heading} {unit.text}", evidence.weights)
    q_numbers = set(re.findall(r"\d+", evidence.question)) - evidence.years

    def score(span: tuple[int, int]) -> float:
        piece = text[span[0] : span[1]]
        s = scorer.coverage(evidence.question, f"{heading} {piece}", evidence.weights)
        years = set(YEAR.findall(piece))
        if evidence.years and years:
            s += 0.2 if years & evidence.years else -0.4
        if figure and re.search(r"\d", piece):
            s += 0.05
        if q_numbers and q_numbers & set(re.findall(r"\d+", piece)):
            s += 0.1
        return s

    best = max(clauses, key=score)
    kind = value_kind(evidence.folded)
    if kind in ("date", "duration") and not _states(text[best[0] : best[1]], kind):
        if any(_states(text[a:b], kind) for a, b in clauses if (a, b) != best):
            return unit.start, unit.end  # "… thời hạn nào": the clause naming the task, the next its deadline
    if best[1] - best[0] < MIN_CLAUSE or (figure and not set(re.findall(r"\d+", text[best[0] : best[1]])) - q_numbers):
        return unit.start, unit.end  # a figure was asked and the clause holds none but the question's own
    others = [c for c in clauses if c != best]
    # the clause alone carries (nearly) all that the sentence covers, and the rest adds other targets
    if score(best) >= whole - 0.05 and all(score(c) < score(best) - 0.05 for c in others):
        return best
    return unit.start, unit.end


_BODY_ASKED = re.compile(r"\bai\b|co quan nao|\bbo nao\b|don vi nao|\bban nao\b")


def asks_body(folded_question: str) -> bool:
    """The question asks which body ("ai", "cơ quan nào", "bộ nào")."""
    return bool(_BODY_ASKED.search(folded_question))


def asks_value(folded_question: str) -> bool:
    """The question asks for one value: a figure, a date or deadline, a body, a rank
    (not "nhiệm vụ gì", "trách nhiệm gì": those ask for a description)."""
    return bool(
        intent.FIGURE.search(folded_question)
        or intent.DEADLINE.search(folded_question)
        or _BODY_ASKED.search(folded_question)
        or intent.RANK_ASKED.search(folded_question)
        or value_kind(folded_question) in ("duration", "ordinal")
    )


def value_kind(folded_question: str) -> str:
    """The kind of value a question asks for: "date" (khi nào, thời hạn nào), "duration"
    (bao lâu), "ordinal" (lần thứ mấy, khoá mấy), "number" (bao nhiêu, tỷ lệ), or "" (a
    description, a body, a list). The value rules: retrieval/resources/rules/values.toml."""
    if intent.DEADLINE.search(folded_question) or intent.DATE_ASKED.search(folded_question):
        return "date"
    values = load_rules("values")
    if values.search("duration_asked", folded_question):
        return "duration"
    if values.search("ordinal_asked", folded_question):
        return "ordinal"
    if intent.FIGURE_ASKED.search(folded_question):
        return "number"
    return ""


def _states(text: str, kind: str) -> bool:
    """The text states a date (a written date, a deadline, a year) or a length of time."""
    folded = fold(text)
    if kind == "date":
        return bool(
            _DATE_DIGITS.search(folded)
            or load_rules("answers").pattern("deadline_value").search(folded)
            or YEAR.search(folded)
        )
    return bool(load_rules("values").pattern("duration_value").search(folded))


def holds_value(unit: Unit, kind: str, evidence: Evidence) -> bool:
    """The unit states a value of that kind (not merely the question's own numbers)."""
    folded = fold(unit.text)
    rules = load_rules("answers")
    if kind == "date":  # a written date, not "kể từ ngày ký"
        return bool(
            _DATE_DIGITS.search(folded) or rules.pattern("deadline_value").search(folded) or YEAR.search(folded)
        )
    if kind == "duration":  # "sau 5-10 năm", "trong 3 tháng"
        return bool(load_rules("values").pattern("duration_value").search(folded))
    if kind == "ordinal" and load_rules("values").pattern("ordinal_value").search(folded):
        return True  # "lần thứ sáu", "khoá XI"; else a figure, as for a number
    if kind in ("number", "ordinal"):
        asked = set(re.findall(r"\d+", evidence.question))
        if set(re.findall(r"\d+", unit.text)) - asked:
            return True
        noun = intent.HOW_MANY_NOUN.search(evidence.folded)  # "ba khu công nghệ cao", "hàng tỉ thiết bị"
        return noun is not None and intent.counted_in_words(unit.text, noun.group(1), rules.pattern("count_words"))
    return True


_WHICH = re.compile(r"\b(\w+(?: \w+)?) (?:nao|gi|so may|thu may|may)\b")
_NUMBERED = re.compile(r"^(?:\d{1,2}\s*[.)-]\s*)?(\w+(?: \w+){0,2}) (\d{1,3})\b")


def heading_note(unit: Unit, folded_question: str = "") -> str:
    """The heading to name beside a sentence's label: the numbered part the question asks
    which of ("sáng kiến nào" -> "Sáng kiến 30", when the sentence stands under "30.
    Sáng kiến 30: …" and does not say it), else the year (or period) the sentence does not
    state: "Đến năm 2030", "Tầm nhìn đến năm 2045"."""
    named = numbered_part(unit, folded_question)
    if named:
        return named
    heading = unit.heading.strip()
    if not heading or len(heading) > 120 or not YEAR.search(heading) or YEAR.search(unit.text):
        return ""
    heading = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*\s*[.)-]\s*|[IVX]{1,5}\s*[-.]\s*|[a-zđ]\)\s*)", "", heading)
    return heading.rstrip(" :.")


def numbered_part(unit: Unit, folded_question: str) -> str:
    """ "Sáng kiến 30" of a heading "30. Sáng kiến 30: …" the unit stands under, when the
    question asks which of such parts ("thuộc sáng kiến nào", "nhiệm vụ số mấy") and the
    unit's own text does not name it."""
    if not folded_question:
        return ""
    heading = unit.heading.strip()
    m = _NUMBERED.match(heading)
    if not m:
        return ""
    noun = fold(m.group(1)).lower()
    asked = {fold(w.group(1)).split()[-1] for w in _WHICH.finditer(folded_question)}
    asked |= {fold(w.group(1)) for w in _WHICH.finditer(folded_question)}
    if not (asked & {noun, noun.split()[-1]}) or len(noun.split()[-1]) < 3:
        return ""
    said = f"{m.group(1)} {m.group(2)}"
    if fold(said).lower() in fold(unit.text).lower():
        return ""
    return said


def conflicting_year(unit: Unit, years: set[str]) -> bool:
    """The unit is about another year than the one asked."""
    if not years:
        return False
    own = set(YEAR.findall(unit.text)) or set(YEAR.findall(unit.heading))
    return bool(own) and not own & years


def same_topic(a: str, b: str) -> bool:
    wa, wb = set(fold(a).split()), set(fold(b).split())
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.7
