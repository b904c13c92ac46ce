"""Broken answers, to prove what the metrics catch (the detection table of the report).

Each operator takes a real answer and breaks one claim the way answerers go wrong, or
returns None when the answer offers nothing to break that way:

| kind | what changes |
|---|---|
| ``number`` | a figure of the claim is changed (30% → 37%) |
| ``number_nearby`` | a figure is replaced by another figure of the same cited clause |
| ``unit`` | a unit is swapped for another of its family (% → lần, người → doanh nghiệp) |
| ``year`` | a year is changed (2030 → 2035, or another year of the clause) |
| ``negation`` | the claim is negated ("không" put before its predicate), or its "không" dropped |
| ``body`` | a named body is replaced (Bộ Chính trị → Quốc hội) |
| ``document`` | the document the claim names is replaced, or another one is named in front |
| ``repoint`` | the claim's marker points to a sibling clause (the clause next to the cited one) that does not itself hold the claim's sentence |
| ``invented`` | a sentence from another clause of the same document is added, citing the claim's clause |
| ``drop_item`` | one item of a list answer that the question's gold asks for is left out (with its citation) |
| ``year_multi`` | one year of a claim that names several is changed (to another of its years, or shifted) |
| ``heading`` | a year, figure or word of a lead line's heading is changed ("(Tầm nhìn đến năm 2045):" → 2040) |
| ``unit_times`` | a percentage becomes a multiple (30% → 30 lần) |
| ``body_corpus`` | a named body is replaced by another body the cited document itself names |
| ``negation_inside`` | "không" is put before a predicate inside the claim, not at its start |
| ``list_number`` | a figure of one list item is changed |
| ``date`` | the day or month of a date is changed (ngày 22/12/2024 → 23/12/2024) |
| ``qualifier`` | a number's qualifier is turned round ("tối thiểu 30%" → "tối đa 30%", "trên" → "dưới") |
| ``lead_label`` | a lead line names the clause next to the cited one ("…, điểm 1:" → "…, điểm 2:") |

Choices are random but seeded by the question id and the kind, so a run is repeatable.
``siblings(citation)`` and ``others(citation)`` give clauses next to the cited one and
other clauses of its document; without an index they come from the answer's contexts.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from assistant.types import Answer, Citation

from .claims import Claim, parse_answer
from .lang import fold, resource, units
from .slots import parse

KINDS = (
    "number",
    "number_nearby",
    "unit",
    "year",
    "negation",
    "body",
    "document",
    "repoint",
    "invented",
    "drop_item",
    "year_multi",
    "heading",
    "unit_times",
    "body_corpus",
    "negation_inside",
    "list_number",
    "date",
    "qualifier",
    "lead_label",
)
LABELS = {
    "number": "đổi một con số (30% → 37%)",
    "number_nearby": "lấy con số khác của chính điều khoản đó",
    "unit": "đổi đơn vị (người → doanh nghiệp, % → lần)",
    "year": "đổi năm (2030 → 2035)",
    "negation": "đảo nghĩa (thêm hoặc bỏ «không»)",
    "body": "đổi cơ quan (Bộ Chính trị → Quốc hội)",
    "document": "đổi văn bản (57-NQ/TW → 52-NQ/TW)",
    "repoint": "trỏ dấu trích dẫn sang điều khoản bên cạnh",
    "invented": "thêm một câu không có trong điều khoản được trích",
    "drop_item": "bỏ một mục của danh sách",
    "year_multi": "đổi một năm trong câu nêu nhiều năm",
    "heading": "đổi năm, con số hay chữ ở tiêu đề của dòng dẫn",
    "unit_times": "đổi phần trăm thành lần (30% → 30 lần)",
    "body_corpus": "đổi cơ quan sang cơ quan khác của chính văn bản",
    "negation_inside": "thêm «không» trước vị ngữ giữa câu",
    "list_number": "đổi con số của một mục danh sách",
    "date": "đổi ngày hoặc tháng (22/12/2024 → 23/12/2024)",
    "qualifier": "đảo từ chỉ mức (tối thiểu → tối đa, trên → dưới)",
    "lead_label": "dòng dẫn nêu điều khoản bên cạnh (điểm 1 → điểm 2)",
}


@dataclass
class Mutant:
    kind: str
    answer: Answer
    what: str  # the change, in a few words


Clauses = Callable[[Citation], list[Citation]]


def rng(qid: str, kind: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{qid}/{kind}".encode()).hexdigest()[:12], 16))


def mutate(
    answer: Answer,
    kind: str,
    qid: str,
    siblings: Clauses | None = None,
    others: Clauses | None = None,
    expected: Callable[[str, list[Citation]], bool] | None = None,
) -> Mutant | None:
    """The answer broken one way (kind), or None when it cannot be broken that way.
    expected(item text, its citations): what of the expected answer (the question's key
    facts and gold clauses) a list item carries; only an item that alone carries some of
    it is dropped, since leaving out an item nobody asked for, or one whose content another
    item repeats, is no error. Without it no item is dropped."""
    if answer.abstained or kind not in KINDS:
        return None
    asked = kind
    r = rng(qid, kind)
    claims = [c for c in parse_answer(answer.answer) if not c.framing and c.markers]
    if kind == "drop_item":
        return _drop_item(answer, r, expected) if expected else None
    if kind == "repoint":
        return _repoint(answer, claims, r, siblings or _context_siblings(answer))
    if kind == "invented":
        return _invent(answer, claims, r, others or _context_others(answer))
    if kind == "heading":
        return _heading(answer, r)
    if kind == "lead_label":
        return _lead_label(answer, r)
    if kind == "body_corpus":
        return _body_corpus(answer, claims, r, others or _context_others(answer))
    if kind == "list_number":
        claims = [c for c in claims if c.bullet]
        kind = "number"
    order = claims[:]
    r.shuffle(order)
    for claim in order:
        new = _OPS[kind](claim, _cited(answer, claim), r)
        if new and new[0] != claim.text:
            text = _replace_claim(answer.answer, claim, new[0])
            if text is not None:
                return Mutant(asked, _with_text(answer, text), new[1])
    return None


def _replace_claim(text: str, claim: Claim, new: str) -> str | None:
    """text with the claim's sentence replaced on its own line (the same words may stand
    earlier, in a lead line's heading: that one is left alone)."""
    lines = text.split("\n")
    if claim.line < len(lines) and claim.text in lines[claim.line]:
        lines[claim.line] = lines[claim.line].replace(claim.text, new, 1)
        return "\n".join(lines)
    return text.replace(claim.text, new, 1) if claim.text in text else None


def _cited(answer: Answer, claim: Claim) -> list[Citation]:
    by = {c.marker: c for c in answer.citations}
    return [by[m] for m in claim.markers if m in by]


def _with_text(answer: Answer, text: str, citations: list[Citation] | None = None) -> Answer:
    return replace(
        answer, answer=text, citations=list(answer.citations if citations is None else citations), checked=None
    )


def _splice(text: str, a: int, b: int, new: str) -> str:
    return text[:a] + new + text[b:]


# -- slot operators (claim text → (new text, what)) -------------------------------------
def _number(claim: Claim, cited, r, nearby: bool = False):
    p = parse(claim.text)
    qs = [s for s in p.slots if s.kind == "quantity" and "/" not in s.key]
    r.shuffle(qs)
    for s in qs:
        tok = p.tokens[s.start]
        if nearby:
            pool = [
                x
                for c in cited
                for x in parse(c.text).slots
                if x.kind == "quantity" and "/" not in x.key and x.key != s.key
            ]
            if not pool:
                continue
            new = parse_text_of(r.choice(pool))
        else:
            new = _shift(tok.text, r)
        return _splice(claim.text, tok.start, tok.end, new), f"{tok.text} → {new}"
    return None


def parse_text_of(slot) -> str:
    return slot.text.split()[0]


def _shift(number: str, r) -> str:
    if re.fullmatch(r"\d+", number):
        v = int(number)
        step = r.choice([d for d in (-5, -3, -2, -1, 1, 2, 3, 5, 7, 10) if v + d > 0])
        return str(v + step).zfill(len(number)) if number.startswith("0") else str(v + step)
    sep = "," if "," in number else "."
    head, _, tail = number.partition(sep)
    return (
        f"{head}{sep}{(int(tail) + r.choice([1, 2, 3])) % (10 ** len(tail)):0{len(tail)}d}"
        if tail.isdigit()
        else number + "1"
    )


@cache
def _families() -> list[list[str]]:
    return [list(v) for v in resource("units")["families"].values()]


def _unit(claim: Claim, cited, r):
    p = parse(claim.text)
    qs = [s for s in p.slots if s.kind == "quantity" and s.unit]
    r.shuffle(qs)
    for s in qs:
        base = s.unit.split("/")[0]
        fam = next((f for f in _families() if base in {fold(u) for u in f}), None)
        if not fam:
            continue
        n = len(base.split()) if base != "%" else 1
        first = s.start + 1 + (2 if p.tokens[s.start + 1].text == "/" and "/" in s.key else 0)
        toks = p.tokens[first : first + n]
        if not toks or " ".join(t.norm for t in toks) != base:
            continue
        new = r.choice([u for u in fam if fold(u) != base])
        a, b = toks[0].start, toks[-1].end
        space = "" if new == "%" else " "
        lead = claim.text[:a].rstrip() if new == "%" else claim.text[:a].rstrip() + space
        return lead + new + claim.text[b:], f"{claim.text[a:b]} → {new}"
    return None


def _year(claim: Claim, cited, r):
    p = parse(claim.text)
    years = [s for s in p.slots if s.kind == "year"]
    dates = [s for s in p.slots if s.kind == "date" and not s.key.endswith("?")]
    targets = [(p.tokens[s.start], int(s.key)) for s in years]
    targets += [
        (t, int(t.text)) for s in dates for t in p.tokens[s.start : s.end] if len(t.text) == 4 and t.text.isdigit()
    ]
    if not targets:
        return None
    tok, year = r.choice(targets)
    pool = sorted({int(s.key) for c in cited for s in parse(c.text).slots if s.kind == "year"} - {year})
    new = r.choice(pool) if pool and r.random() < 0.5 else year + r.choice([-5, -3, -2, -1, 1, 2, 3, 5])
    return _splice(claim.text, tok.start, tok.end, str(new)), f"{year} → {new}"


@cache
def _negatable() -> list[str]:
    return resource("polarity")["mutation"]["negatable"]


def _negation(claim: Claim, cited, r):
    p = parse(claim.text)
    negs = [s for s in p.slots if s.kind == "negation"]
    if negs:
        s = r.choice(negs)
        a, b = p.tokens[s.start].start, p.tokens[s.end - 1].end
        text = (claim.text[:a] + claim.text[b:].lstrip()) if a else claim.text[b:].lstrip()
        text = text[:1].upper() + text[1:] if not a else text
        return text, f"bỏ «{claim.text[a:b]}»"
    lower = claim.text.lower()
    for word in _negatable():
        m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lower)
        if m:
            a = m.start()
            neg = "Không " if a == 0 else "không "
            rest = claim.text[a:]
            rest = rest[:1].lower() + rest[1:] if a == 0 else rest
            return claim.text[:a] + neg + rest, f"thêm «không» trước «{claim.text[a : m.end()]}»"
    return "Không " + claim.text[:1].lower() + claim.text[1:], "thêm «Không» ở đầu câu"


def _body(claim: Claim, cited, r):
    p = parse(claim.text)
    bodies = [s for s in p.slots if s.kind == "body"]
    if not bodies:
        return None
    s = r.choice(bodies)
    pool = [b for b in resource("mutations")["bodies"] if fold(b) != s.key and fold(b) not in s.key]
    new = r.choice(pool)
    a, b = p.tokens[s.start].start, p.tokens[s.end - 1].end
    return _splice(claim.text, a, b, new), f"{claim.text[a:b]} → {new}"


def _document(claim: Claim, cited, r):
    p = parse(claim.text)
    cited_docs = {s.key for c in cited for s in parse(f"{c.doc_short} {c.label}").slots if s.kind == "document"}
    docs = [s for s in p.slots if s.kind == "document"]
    pool = [
        d
        for d in resource("mutations")["documents"]
        if not {s.key for s in parse(d).slots if s.kind == "document"} & (cited_docs | {s.key for s in docs})
    ]
    if not pool:
        return None
    new = r.choice(pool)
    if docs:
        s = r.choice(docs)
        a, b = p.tokens[s.start].start, p.tokens[s.end - 1].end
        return _splice(claim.text, a, b, new), f"{claim.text[a:b]} → {new}"
    text = claim.text
    return f"Theo {new}, {text[:1].lower() + text[1:]}", f"thêm «Theo {new}»"


def _year_tokens(p) -> list[tuple]:
    """(token, year) of every year a parsed text writes, inside dates too."""
    out = [(p.tokens[s.start], int(s.key)) for s in p.slots if s.kind == "year"]
    out += [
        (t, int(t.text))
        for s in p.slots
        if s.kind == "date"
        for t in p.tokens[s.start : s.end]
        if len(t.text) == 4 and t.text.isdigit()
    ]
    return sorted(out, key=lambda x: x[0].start)


def _year_multi(claim: Claim, cited, r):
    targets = _year_tokens(parse(claim.text))
    years = sorted({y for _, y in targets})
    if len(targets) < 2:
        return None
    tok, year = r.choice(targets)
    pool = [y for y in years if y != year]
    new = r.choice(pool) if pool and r.random() < 0.7 else year + r.choice([-5, -3, -2, -1, 1, 2, 3, 5])
    return _splice(claim.text, tok.start, tok.end, str(new)), f"{year} → {new} (câu nêu {len(targets)} năm)"


def _unit_times(claim: Claim, cited, r):
    p = parse(claim.text)
    qs = [s for s in p.slots if s.kind == "quantity" and _base_unit(s.unit) == "%" and "/" not in s.key]
    if not qs:
        return None
    s = r.choice(qs)
    tok = next((t for t in p.tokens[s.start + 1 : s.end] if t.text == "%"), None)
    if tok is None:
        return None
    return claim.text[: tok.start].rstrip() + " lần" + claim.text[tok.end :], f"{s.text} → {s.key} lần"


def _base_unit(unit: str) -> str:
    return unit.split("/")[0]


def _negation_inside(claim: Claim, cited, r):
    p = parse(claim.text)
    if any(s.kind == "negation" for s in p.slots):
        return None
    lower = claim.text.lower()
    spots = []
    for word in _negatable():
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", lower):
            if m.start() > 0 and lower[: m.start()].rstrip()[-1:] not in ("", ":"):
                spots.append(m.start())
    if not spots:
        return None
    a = r.choice(sorted(set(spots)))
    word = claim.text[a:].split()[0]
    return claim.text[:a] + "không " + claim.text[a:], f"thêm «không» trước «{word}» giữa câu"


def _date(claim: Claim, cited, r):
    p = parse(claim.text)
    dates = [s for s in p.slots if s.kind == "date"]
    if not dates:
        return None
    s = r.choice(dates)
    d, m, _ = s.key.split("-")
    nums = [t for t in p.tokens[s.start : s.end] if t.kind == "num" and len(t.text) <= 2]
    if not nums:
        return None
    # the day when the date has one, else the month
    tok = nums[0]
    v = int(tok.text)
    hi = 28 if d != "?" else 12
    new = r.choice([x for x in (v - 2, v - 1, v + 1, v + 2, v + 3) if 1 <= x <= hi and x != v])
    out = f"{new:02d}" if len(tok.text) == 2 else str(new)
    a, b = p.tokens[s.start].start, p.tokens[s.end - 1].end
    new_text = _splice(claim.text, tok.start, tok.end, out)
    return new_text, f"{claim.text[a:b]} → {new_text[a : b + len(out) - len(tok.text)]}"


@cache
def _qualifier_phrases() -> dict[str, list[str]]:
    return resource("units")["qualifiers"]


def _qualifier(claim: Claim, cited, r):
    p = parse(claim.text)
    qs = [s for s in p.slots if s.kind == "quantity" and s.qual and s.qual_len]
    if not qs:
        return None
    s = r.choice(qs)
    opposite = resource("mutations")["qualifiers"]["opposite"].get(s.qual)
    if not opposite:
        return None
    new = r.choice([w for w in _qualifier_phrases()[opposite] if not w.startswith("không")])
    a, b = p.tokens[s.start - s.qual_len].start, p.tokens[s.start - 1].end
    old = claim.text[a:b]
    new = new[:1].upper() + new[1:] if old[:1].isupper() else new
    return _splice(claim.text, a, b, new), f"{old} {s.key} → {new} {s.key}"


_OPS = {
    "number": _number,
    "number_nearby": lambda c, cited, r: _number(c, cited, r, nearby=True),
    "unit": _unit,
    "year": _year,
    "negation": _negation,
    "body": _body,
    "document": _document,
    "year_multi": _year_multi,
    "unit_times": _unit_times,
    "negation_inside": _negation_inside,
    "date": _date,
    "qualifier": _qualifier,
}


# -- structural operators ---------------------------------------------------------------
def _repoint(answer: Answer, claims: list[Claim], r, siblings: Clauses) -> Mutant | None:
    order = claims[:]
    r.shuffle(order)
    by = {c.marker: c for c in answer.citations}
    for claim in order:
        cit = by.get(claim.markers[0])
        if cit is None:
            continue
        said = fold(claim.text).rstrip(" .;:")
        # a sibling that itself holds the claim's sentence makes no wrong citation (an equivalent mutant)
        cands = [
            s
            for s in siblings(cit)
            if s.chunk_id != cit.chunk_id and fold(s.text) != fold(cit.text) and said not in fold(s.text)
        ]
        if not cands:
            continue
        sib = r.choice(cands)
        marker = max(c.marker for c in answer.citations) + 1
        first = units(sib.text)[0] if sib.text.strip() else (0, 0)
        new_cit = replace(sib, marker=marker, quote=sib.text[first[0] : first[1]], quote_start=first[0])
        line = _line_with(answer.answer, claim)
        if line is None:
            continue
        a, b = line
        cut = a + len(claim.text)  # the claim's own markers follow its text
        fixed = answer.answer[cut:b].replace(f"[{cit.marker}]", f"[{marker}]", 1)
        if fixed == answer.answer[cut:b]:
            continue
        return Mutant(
            "repoint",
            _with_text(answer, answer.answer[:cut] + fixed + answer.answer[b:], list(answer.citations) + [new_cit]),
            f"[{cit.marker}] {cit.label} → {sib.label}",
        )
    return None


def _line_with(text: str, claim: Claim) -> tuple[int, int] | None:
    """Span from the claim's start to its last marker in text."""
    a = text.find(claim.text)
    if a < 0:
        return None
    m = re.compile(r"(?:\s*\[\d+\])+").search(text, a + len(claim.text))
    end = m.end() if m and m.start() - (a + len(claim.text)) <= 2 else a + len(claim.text)
    return a, end


def _invent(answer: Answer, claims: list[Claim], r, others: Clauses) -> Mutant | None:
    if not claims:
        return None
    claim = r.choice(claims)
    cited = _cited(answer, claim)
    if not cited:
        return None
    cited_text = " ".join(fold(c.text) for c in answer.citations)
    pool = []
    for other in others(cited[0]):
        for a, b in units(other.text):
            s = other.text[a:b].strip().rstrip(";:,")
            words = s.split()
            if 8 <= len(words) <= 40 and not re.search(r"\d", s) and fold(s) not in cited_text and s[:1].isupper():
                pool.append(s)
    if not pool:
        return None
    sentence = r.choice(sorted(set(pool)))
    sentence = sentence if sentence.endswith(".") else sentence + "."
    text = answer.answer.rstrip() + f"\n{sentence} [{claim.markers[0]}]"
    return Mutant("invented", _with_text(answer, text), f"thêm «{sentence[:60]}…» [{claim.markers[0]}]")


def _heading(answer: Answer, r) -> Mutant | None:
    """A lead line's bracketed heading ("Theo …, Mục II, điểm 2 (Tầm nhìn đến năm 2045):")
    with one year or figure changed, or else its last content word dropped."""
    lines = answer.answer.split("\n")
    spots = []
    for i, line in enumerate(lines):
        m = re.match(r"^(Theo .*?\()([^()]*)(\):\s*)$", line)
        if m and not re.fullmatch(r"phần \d+/\d+", m.group(2)):
            spots.append((i, m))
    r.shuffle(spots)
    for i, m in spots:
        head = m.group(2)
        p = parse(head)
        years = _year_tokens(p)
        nums = [s for s in p.slots if s.kind == "quantity" and "/" not in s.key]
        if years:
            tok, year = r.choice(years)
            new = str(year + r.choice([-5, -3, -2, -1, 1, 2, 3, 5]))
        elif nums:
            tok = p.tokens[r.choice(nums).start]
            new = _shift(tok.text, r)
        else:
            continue
        head2 = _splice(head, tok.start, tok.end, new)
        lines[i] = m.group(1) + head2 + m.group(3)
        return Mutant("heading", _with_text(answer, "\n".join(lines)), f"«{head}» → «{head2}»")
    return None


_LEAD_NUMBER = re.compile(r"\b(?:thứ|điểm|Điều|đoạn|khoản) (\d+)\b")


def _lead_label(answer: Answer, r) -> Mutant | None:
    """A lead line ("Theo Nghị quyết 57-NQ/TW, Mục II, điểm 1, gạch đầu dòng thứ 3:") naming
    the clause next to the cited one: its last clause number moved by one."""
    lines = answer.answer.split("\n")
    spots = [i for i, line in enumerate(lines) if line.startswith("Theo ") and line.rstrip().endswith(":")]
    r.shuffle(spots)
    for i in spots:
        line = lines[i]
        head = line.find(" (", len("Theo "))
        label = line[: head if head > 0 and not line[head:].startswith(" (Quyết định") else len(line)]
        nums = list(_LEAD_NUMBER.finditer(label))
        if not nums:
            continue
        m = nums[-1]
        v = int(m.group(1))
        new = v + 1 if v == 1 or r.random() < 0.5 else v - 1
        lines[i] = line[: m.start(1)] + str(new) + line[m.end(1) :]
        return Mutant("lead_label", _with_text(answer, "\n".join(lines)), f"«{line[: m.end()][-40:]}» → {new}")
    return None


def _body_corpus(answer: Answer, claims: list[Claim], r, others: Clauses) -> Mutant | None:
    """A named body replaced by another body that the cited clause or its document names
    (a real body of the corpus, so the swap reads true)."""
    order = claims[:]
    r.shuffle(order)
    for claim in order:
        cited = _cited(answer, claim)
        if not cited:
            continue
        p = parse(claim.text)
        bodies = [s for s in p.slots if s.kind == "body" and len(s.key.split()) >= 2]
        if not bodies:
            continue
        s = r.choice(bodies)
        named = {x.key for x in bodies}
        near = {x.text: x.key for c in cited for x in parse(c.text).slots if x.kind == "body"}
        far = {x.text: x.key for c in others(cited[0])[:60] for x in parse(c.text).slots if x.kind == "body"}
        for pool in (near, far):
            cands = sorted(
                t
                for t, k in pool.items()
                if len(k.split()) >= 2
                and k != s.key
                and not k.startswith(s.key)
                and not s.key.startswith(k)
                and k not in named  # a body the claim already names would only repeat it
            )
            if cands:
                new = r.choice(cands)
                a, b = p.tokens[s.start].start, p.tokens[s.end - 1].end
                text = _replace_claim(answer.answer, claim, _splice(claim.text, a, b, new))
                if text is not None:
                    return Mutant("body_corpus", _with_text(answer, text), f"{claim.text[a:b]} → {new}")
    return None


def _drop_item(answer: Answer, r, expected) -> Mutant | None:
    lines = answer.answer.split("\n")
    by = {c.marker: c for c in answer.citations}
    items = [
        i
        for i, line in enumerate(lines)
        if re.match(r"^\s*(?:[-*•+–]|\d{1,2}[.)])\s+\S", line) and re.search(r"\[\d+\]", line)
    ]
    if len(items) < 2:
        return None
    carried = {
        i: frozenset(expected(lines[i], [by[int(m)] for m in re.findall(r"\[(\d+)\]", lines[i]) if int(m) in by]) or ())
        for i in items
    }
    # an item whose expected content another item also carries is no loss when left out
    # (an equivalent mutant): drop only one that alone carries a key fact or a gold clause
    wanted = [i for i in items if carried[i] - frozenset().union(*(carried[j] for j in items if j != i))]
    if not wanted:
        return None
    i = r.choice(wanted)
    kept = lines[:i] + lines[i + 1 :]
    text = "\n".join(kept)
    used = {int(m) for m in re.findall(r"\[(\d+)\]", text)}
    cits = [c for c in answer.citations if c.marker in used]
    return Mutant("drop_item", _with_text(answer, text, cits), f"bỏ mục «{lines[i].strip()[:60]}»")


# -- clauses next to a cited one, from the answer alone ---------------------------------
def _parent(clause: str) -> str:
    return clause.rsplit(".", 1)[0] if "." in clause else ""


def _as_citation(ctx) -> Citation:
    return Citation(
        marker=0,
        chunk_id=ctx.chunk_id,
        doc_id=ctx.doc_id,
        doc_short=ctx.doc_short,
        clause=ctx.clause,
        label=ctx.label,
        quote="",
        text=ctx.text,
    )


def _context_siblings(answer: Answer) -> Clauses:
    """Retrieved clauses under the same parent as the cited one, else of its document."""

    def siblings(cit: Citation) -> list[Citation]:
        same = [c for c in answer.contexts if c.doc_id == cit.doc_id and c.chunk_id != cit.chunk_id]
        close = [c for c in same if _parent(c.clause) == _parent(cit.clause)]
        return [_as_citation(c) for c in (close or same)]

    return siblings


def _context_others(answer: Answer) -> Clauses:
    cited = {c.chunk_id for c in answer.citations}

    def others(cit: Citation) -> list[Citation]:
        return [_as_citation(c) for c in answer.contexts if c.chunk_id not in cited and c.doc_id == cit.doc_id]

    return others


def table_clauses(table) -> tuple[Clauses, Clauses]:
    """siblings and others from an index's chunk table (retrieval.store.ChunkTable)."""

    def as_cit(ch) -> Citation:
        return Citation(
            marker=0,
            chunk_id=ch.id,
            doc_id=ch.doc_id,
            doc_short=ch.doc_short,
            clause=ch.path,
            label=ch.label,
            quote="",
            text=ch.text,
        )

    def siblings(cit: Citation) -> list[Citation]:
        ch = table.by_id.get(cit.chunk_id)
        if ch is None:
            return []
        kids = table.children.get(ch.parent_id, []) if ch.parent_id else []
        return [as_cit(k) for k in kids if k.path != ch.path]

    def others(cit: Citation) -> list[Citation]:
        ch = table.by_id.get(cit.chunk_id)
        if ch is None:
            return []
        return [as_cit(k) for k in table.of_document(ch.doc_id) if k.path != ch.path and not k.boilerplate]

    return siblings, others
