"""The checkable facts of a Vietnamese sentence ("slots"), for the offline judge.

A slot is a span of tokens with a kind and a comparable key:

* ``quantity``: a number with its unit or the noun it counts and the word qualifying it
  ("tối thiểu 30% GDP" → 30, "%", at_least; "12 người" → 12, "người"; "8/12 tạp chí");
  ranges share their unit ("16 - 18%/năm");
* ``year`` (1900–2100) and ``date`` ("22/12/2024", "ngày 02 tháng 6 năm 2025",
  "tháng 01 năm 2025" → day-month-year, missing parts "?");
* ``document``: "57-NQ/TW", "Nghị quyết số 57", "NQ57" → ``nq57``;
* ``body``: named bodies and positions ("Bộ Khoa học và Công nghệ", "Bộ Chính trị",
  "Tổng Bí thư") and ``place`` ("Việt Nam", "Đông Nam Á");
* ``negation``: polarity words ("không", "chưa", "không được", "cấm", "bãi bỏ").

The word lists live in eval/resources/ (units.toml, names.toml, polarity.toml); nothing
here is written for a particular document or question.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from .lang import PhraseSet, Token, fold, nfc, resource, stopwords, tokenize, units

KINDS = ("quantity", "year", "date", "document", "body", "place", "negation")


@dataclass(frozen=True)
class Slot:
    kind: str
    key: str
    start: int  # token indices [start, end)
    end: int
    unit: str = ""  # quantity: folded unit or counted noun ("%", "nguoi", "%/nam")
    qual: str = ""  # quantity: qualifier family ("at_least", "above", "about"…)
    qual_len: int = 0  # tokens of the qualifier, written just before start
    text: str = ""  # as written


@dataclass(frozen=True)
class Parsed:
    """A text read once: tokens, sentence units (token ranges) and slots."""

    text: str
    tokens: tuple[Token, ...]
    norms: tuple[str, ...]  # folded
    lowers: tuple[str, ...]  # lower-cased, accents kept
    units: tuple[tuple[int, int], ...]
    slots: tuple[Slot, ...]

    def slots_in(self, lo: int, hi: int, kind: str | None = None) -> list[Slot]:
        return [s for s in self.slots if lo <= s.start < hi and (kind is None or s.kind == kind)]


# -- word lists -------------------------------------------------------------------------
@cache
def _lists() -> dict:
    units_toml, names, polarity = resource("units"), resource("names"), resource("polarity")
    unit_phrases = [u for fam in units_toml["families"].values() for u in fam]
    quals = {p: fam for fam, ps in units_toml["qualifiers"].items() for p in ps}
    kinds = names["documents"]["kinds"]
    return {
        "units": PhraseSet(unit_phrases),
        "not_units": {fold(w) for w in units_toml["not_units"]["words"]} | set(stopwords()),
        "quals": PhraseSet(quals, value=lambda p: quals[p]),
        "doc_kinds": PhraseSet(kinds, value=lambda p: fold(kinds[p])),
        # names and polarity words are matched with their accents: "Tổ" is not "Tô",
        # "thiếu" is not "(tối) thiểu"
        "heads": PhraseSet(names["bodies"]["heads"], exact=True),
        "bodies": PhraseSet(names["bodies"]["names"], exact=True),
        "places": PhraseSet(names["places"]["names"], value=lambda p: p, exact=True),
        "negation": PhraseSet(polarity["negation"]["words"], value=fold, exact=True),
        "not_negation": PhraseSet(polarity["not_negation"]["phrases"], exact=True),
        "codes": {fold(c) for c in kinds.values()} | {"nq", "kl", "kh", "qd", "ct", "qc", "nd", "tt"},
    }


def number_key(text: str) -> str:
    """1,5 → 1.5; 02 → 2; 0,7 → 0.7 (thousands separators kept: 1.000)."""
    t = text.replace(",", ".")
    head, dot, tail = t.partition(".")
    head = head.lstrip("0") or "0"
    return head + dot + tail


def _glued(toks: tuple[Token, ...], i: int) -> bool:
    """A number written inside a code ("5G", "5W1H", "NQ57"), not a quantity."""
    before = i > 0 and toks[i - 1].end == toks[i].start and toks[i - 1].kind == "word"
    after = i + 1 < len(toks) and toks[i + 1].start == toks[i].end and toks[i + 1].kind == "word"
    return before or after


# -- extraction ---------------------------------------------------------------------------
@lru_cache(maxsize=16384)
def parse(text: str) -> Parsed:
    """Tokens, units and slots of text (cached: evidence is read once per run)."""
    text = nfc(text)
    toks = tokenize(text)
    norms = tuple(t.norm for t in toks)
    lowers = tuple(t.text.lower() for t in toks)
    used = [False] * len(toks)
    slots: list[Slot] = []
    for finder in (_documents, _dates, _years, _quantities):
        slots += finder(toks, norms, used)
    # a name ends at its line: a heading's last words are not the next line's first ones
    breaks = frozenset(i for i in range(1, len(toks)) if "\n" in text[toks[i - 1].end : toks[i].start])
    slots += _bodies(toks, lowers, used, breaks)
    for finder in (_places, _negations):
        slots += finder(toks, lowers, used)
    slots.sort(key=lambda s: (s.start, s.end))
    return Parsed(text, toks, norms, lowers, _unit_ranges(text, toks), tuple(slots))


def _unit_ranges(text: str, toks: tuple[Token, ...]) -> tuple[tuple[int, int], ...]:
    out, i = [], 0
    for a, b in units(text):
        while i < len(toks) and toks[i].end <= a:
            i += 1
        j = i
        while j < len(toks) and toks[j].start < b:
            j += 1
        if j > i:
            out.append((i, j))
        i = j
    return tuple(out)


def _take(used: list[bool], a: int, b: int) -> None:
    for k in range(a, b):
        used[k] = True


def _mk(toks, kind, key, a, b, **kw) -> Slot:
    return Slot(kind, key, a, b, text=" ".join(t.text for t in toks[a:b]), **kw)


def _code_at(toks, norms, i: int) -> tuple[int, str] | None:
    """'57-NQ/TW' or '03/NQ-CP' starting at token i: (end, key)."""
    if toks[i].kind != "num" or i + 2 >= len(toks) or norms[i + 1] not in ("-", "/"):
        return None
    code = toks[i + 2]
    if code.kind != "word" or not code.text.isupper() or len(code.text) > 6:
        return None
    end = i + 3
    while (
        end + 1 < len(toks)
        and norms[end] in ("-", "/")
        and toks[end + 1].kind == "word"
        and toks[end + 1].text.isupper()
    ):
        end += 2
    return end, f"{code.norm}{int(toks[i].text)}"


def _documents(toks, norms, used) -> list[Slot]:
    L, out, i = _lists(), [], 0
    while i < len(toks):
        hit = L["doc_kinds"].match(norms, i)
        if hit and toks[i].capitalized:
            n, code = hit
            j = i + n + (1 if i + n < len(toks) and norms[i + n] == "so" else 0)
            if j < len(toks) and toks[j].kind == "num":
                coded = _code_at(toks, norms, j)
                end, key = coded if coded else (j + 1, f"{code}{int(toks[j].text)}")
                out.append(_mk(toks, "document", key, i, end))
                _take(used, i, end)
                i = end
                continue
        coded = _code_at(toks, norms, i) if not used[i] else None
        if coded:
            out.append(_mk(toks, "document", coded[1], i, coded[0]))
            _take(used, i, coded[0])
            i = coded[0]
            continue
        # "NQ57", "NQ 57", "NQ-57"
        if toks[i].kind == "word" and norms[i] in L["codes"] and toks[i].text.isupper():
            j = i + 1 + (1 if i + 1 < len(toks) and norms[i + 1] == "-" else 0)
            if j < len(toks) and toks[j].kind == "num" and len(toks[j].text) <= 3:
                out.append(_mk(toks, "document", f"{norms[i]}{int(toks[j].text)}", i, j + 1))
                _take(used, i, j + 1)
                i = j + 1
                continue
        i += 1
    return out


def _num(toks, i: int, lo: int, hi: int) -> int | None:
    if 0 <= i < len(toks) and toks[i].kind == "num" and toks[i].text.isdigit():
        v = int(toks[i].text)
        if lo <= v <= hi:
            return v
    return None


def _year(toks, i) -> int | None:
    return _num(toks, i, 1900, 2100) if 0 <= i < len(toks) and len(toks[i].text) == 4 else None


def _dates(toks, norms, used) -> list[Slot]:
    out, i = [], 0
    while i < len(toks):
        found: tuple[int, int | None, int | None, int | None] | None = None  # (end, d, m, y)
        if not used[i]:
            d, m = _num(toks, i, 1, 31), _num(toks, i + 2, 1, 12)
            sep = i + 1 < len(toks) and norms[i + 1] in ("/", "-")
            if d and m and sep and i + 4 < len(toks) and norms[i + 3] == norms[i + 1] and _year(toks, i + 4):
                found = (i + 5, d, m, _year(toks, i + 4))
            elif (
                norms[i] == "ngay"
                and _num(toks, i + 1, 1, 31)
                and not (i + 5 < len(toks) and norms[i + 2] == norms[i + 4] == "/" and _year(toks, i + 5))
            ):
                d = _num(toks, i + 1, 1, 31)
                if i + 2 < len(toks) and norms[i + 2] == "/" and _num(toks, i + 3, 1, 12):
                    found = (i + 4, d, _num(toks, i + 3, 1, 12), None)
                elif i + 2 < len(toks) and norms[i + 2] == "thang" and _num(toks, i + 3, 1, 12):
                    end, y = i + 4, None
                    if end + 1 < len(toks) and norms[end] in ("nam", "/") and _year(toks, end + 1):
                        end, y = end + 2, _year(toks, end + 1)
                    found = (end, d, _num(toks, i + 3, 1, 12), y)
            elif norms[i] == "thang" and _num(toks, i + 1, 1, 12):
                end, y = i + 2, None
                if end + 1 < len(toks) and norms[end] in ("nam", "/") and _year(toks, end + 1):
                    end, y = end + 2, _year(toks, end + 1)
                found = (end, None, _num(toks, i + 1, 1, 12), y) if y or (i > 0 and norms[i - 1] != "hang") else None
            elif _num(toks, i, 1, 12) and sep and norms[i + 1] == "/" and _year(toks, i + 2):
                found = (i + 3, None, _num(toks, i, 1, 12), _year(toks, i + 2))
        if found:
            end, d, m, y = found
            key = "-".join(str(v) if v else "?" for v in (d, m, y))
            out.append(_mk(toks, "date", key, i, end))
            _take(used, i, end)
            i = end
            continue
        i += 1
    return out


def _years(toks, norms, used) -> list[Slot]:
    out = []
    for i in range(len(toks)):
        if not used[i] and _year(toks, i) and not _glued(toks, i):
            out.append(_mk(toks, "year", str(_year(toks, i)), i, i + 1))
            used[i] = True
    return out


def _quantities(toks, norms, used) -> list[Slot]:
    L = _lists()
    found: list[list] = []  # [start, end, key, unit, qual]
    i = 0
    while i < len(toks):
        if used[i] or toks[i].kind != "num" or _glued(toks, i):
            i += 1
            continue
        start, key, j = i, number_key(toks[i].text), i + 1
        if j + 1 < len(toks) and norms[j] == "/" and toks[j + 1].kind == "num" and not used[j + 1]:
            key, j = f"{key}/{number_key(toks[j + 1].text)}", j + 2  # a fraction: 8/12
        unit, hit = "", L["units"].match(norms, j) if j < len(toks) else None
        if j < len(toks) and norms[j] == "%":
            unit, j = "%", j + 1
        elif hit:
            unit, j = hit[1], j + hit[0]
        elif (
            j < len(toks)
            and toks[j].kind == "word"
            and toks[j].start > toks[j - 1].end
            and norms[j] not in L["not_units"]
        ):
            unit, j = norms[j], j + 1  # the noun it counts
        if unit and j + 1 < len(toks) and norms[j] == "/" and toks[j + 1].kind == "word":
            unit, j = f"{unit}/{norms[j + 1]}", j + 2
        found.append([start, j, key, unit, *_qualifier(norms, start)])
        i = j
    # a range shares its unit: "16 - 18%/năm", "từ 10 đến 15%"
    for a, b in zip(found, found[1:]):
        between = norms[a[1] : b[0]]
        if not a[3] and between in (("-",), ("–",), ("den",), ("toi",)):
            a[3] = b[3]
    out = []
    for start, end, key, unit, qual, qual_len in found:
        out.append(_mk(toks, "quantity", key, start, end, unit=unit, qual=qual, qual_len=qual_len))
        _take(used, start, end)
    return out


def _qualifier(norms, i: int) -> tuple[str, int]:
    L = _lists()
    for n in (3, 2, 1):
        if i - n >= 0:
            hit = L["quals"].match(norms[i - n : i], 0)
            if hit and hit[0] == n:
                return hit[1], n
    return "", 0


def _bodies(toks, norms, used, breaks: frozenset[int] = frozenset()) -> list[Slot]:
    """Named bodies, each inside one line (breaks: the tokens that start a line)."""
    L, out, i = _lists(), [], 0
    while i < len(toks):
        if used[i] or toks[i].kind != "word":
            i += 1
            continue
        fixed = L["bodies"].match(norms, i)
        end = i + fixed[0] if fixed else i
        head = L["heads"].match(norms, i) if toks[i].capitalized else None
        if head:
            j = _name_end(toks, i + head[0])
            end = max(end, j if j > i + head[0] else i)
        end = min([end, *(k for k in breaks if i < k < end)])
        if end > i:
            out.append(_mk(toks, "body", " ".join(t.norm for t in toks[i:end]), i, end))
            _take(used, i, end)
            i = end
            continue
        i += 1
    return out


def _name_end(toks, j: int) -> int:
    """End of the capitalised name after a body's head word ("Khoa học và Công nghệ"):
    each capitalised syllable may be closed by one lower-case one; "và" or "-" joins the
    next capitalised word."""
    end = j
    while j < len(toks) and toks[j].capitalized:
        j += 1
        if j < len(toks) and toks[j].kind == "word" and not toks[j].capitalized and toks[j].norm != "va":
            j += 1
        end = j
        if _connector(toks, j):
            j += 1
    return end


def _connector(toks, j: int) -> bool:
    return j + 1 < len(toks) and toks[j].norm in ("va", "-") and toks[j + 1].capitalized


def _places(toks, norms, used) -> list[Slot]:
    L, out = _lists(), []
    for i in range(len(toks)):
        if used[i] or toks[i].kind != "word":
            continue
        hit = L["places"].match(norms, i)
        # written as listed: "Việt Nam" with its capital, "châu Á" without
        if hit and toks[i].text[:1].isupper() == hit[1][:1].isupper():
            out.append(_mk(toks, "place", fold(hit[1]), i, i + hit[0]))
            _take(used, i, i + hit[0])
    return out


def _negations(toks, norms, used) -> list[Slot]:
    L, out = _lists(), []
    covered = [False] * len(toks)
    for i in range(len(toks)):
        hit = L["not_negation"].match(norms, i)
        if hit:
            for k in range(i, i + hit[0]):
                covered[k] = True
    i = 0
    while i < len(toks):
        hit = None if covered[i] else L["negation"].match(norms, i)
        if hit and not any(covered[i : i + hit[0]]):
            out.append(_mk(toks, "negation", hit[1], i, i + hit[0]))
            i += hit[0]
            continue
        i += 1
    return out
