"""Read a Vietnamese administrative header: what the first lines of a document say about it.

The header of an official document names its issuing body (top left, above "Số: …"), its
number ("Số: 12/KH-UBND"), place and date ("Bắc Ninh, ngày 15 tháng 3 năm 2025"), its kind
in capitals (KẾ HOẠCH, QUYẾT ĐỊNH, …) with the title line(s) under it, and, for a plan
attached to a decision, "(Kèm theo Quyết định số …)". Documents without such a header
(the text of a resolution reprinted under its name) are read from their first line
("Nghị quyết số 57-NQ/TW …") and the sentence that names them again. The "Căn cứ" and
"Thực hiện" lines name the documents this one rests on. Every pattern lives in
resources/rules/header.toml; this module only decides which reading wins. proposal.py
turns a Header into a catalog entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from .rules import RULES_DIR, RuleSet, load_rules
from .text import fold
from .truecase import is_caps, truecase

MAX_LINES = 160  # the header, and an attached plan's heading, sit in the first lines
_SEPARATOR = re.compile(r"^[\s\-–—_=*|.]*$")


@dataclass
class _Tables:
    kinds: dict[str, str]
    kind_codes: dict[str, str]
    issuer_codes: dict[str, str]
    expansions: dict[str, str]
    promulgating: tuple[str, ...]
    names: str  # spellings of common bodies, one a line (see spelling_corpus)


@lru_cache(maxsize=None)
def header_tables() -> _Tables:
    """The lookup tables of header.toml (constants shipped with the package)."""
    with (RULES_DIR / "header.toml").open("rb") as f:
        data = tomllib.load(f)
    return _Tables(
        data["kinds"],
        data["kind_codes"],
        data["issuer_codes"],
        data["expansions"],
        tuple(data["attachment"]["promulgating"]),
        "\n".join([*data["casing"]["names"], *data["issuer_codes"].values()]),
    )


def header_rules() -> RuleSet:
    """The compiled pattern families of header.toml."""
    return load_rules("header")


# -- small readers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Number:
    """A document number split into its parts: 12 / KH-UBND, 15 / 2025 / TT-BKHCN."""

    num: str
    year: str
    codes: tuple[str, ...]
    text: str  # as a civil servant writes it, without spaces: "12/KH-UBND"

    @property
    def valid(self) -> bool:
        return self.num.isdigit()

    @property
    def kind(self) -> str:
        """The kind its code names ("" for a Công văn's number, which has none)."""
        return header_tables().kind_codes.get(self.codes[0], "") if self.codes else ""

    @property
    def issuer_code(self) -> str:
        rest = self.codes[1:] if self.kind else self.codes
        return rest[0] if rest else ""


def _number(m: re.Match[str]) -> Number:
    codes = tuple(c for c in re.split(r"\s*[-/]\s*", m.group("codes").strip()) if c)
    raw = re.sub(r"\s+", "", m.string[m.start("num") : m.end("codes")])
    return Number(m.group("num"), m.group("year") or "", codes, raw)


def _date(m: re.Match[str] | None) -> str:
    """ISO date from a match with groups d, m, y ("" when absent or impossible)."""
    if m is None:
        return ""
    d, mo, y = (int(m.group(g)) if m.group(g) else 0 for g in ("d", "m", "y"))
    if not (1 <= mo <= 12 and 1900 <= y <= 2100 and 0 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}" if d else f"{y:04d}-{mo:02d}"


def _cells(line: str) -> list[str]:
    """A header line split into its layout cells ("A | B", tab-separated), separators dropped."""
    return [c.strip() for c in re.split(r"\t|\|", line) if c.strip() and not _SEPARATOR.match(c)]


def search_folded(rules: RuleSet, family: str, text: str) -> re.Match[str] | None:
    """Search a folded family; offsets of the match are offsets into text (NFC)."""
    return rules.pattern(family).search(fold(text))


def _strip_motto(cell: str) -> str:
    folded = fold(cell)
    spans = [m.span() for m in header_rules().pattern("motto").finditer(folded)]
    for a, b in reversed(spans):
        cell = cell[:a] + " " + cell[b:]
    return " ".join(cell.split()).strip(" -–|")


def _strip_position(name: str) -> str:
    """'Chủ tịch Viện Hàn lâm …' → 'Viện Hàn lâm …' (kept when no body name follows)."""
    rules = header_rules()
    m = search_folded(rules, "position", name)
    if m and m.end() < len(name) and search_folded(rules, "org_head", name[m.end() :].strip()):
        return name[m.end() :].strip()
    return name


def _expand(name: str) -> str:
    for short, long in header_tables().expansions.items():
        name = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", long.upper() if is_caps(name) else long, name)
    return name


def spelling_corpus(text: str) -> str:
    """Where truecase looks for spellings: the document, then the names of common bodies."""
    return text + "\n" + header_tables().names


def _initials(name: str) -> str:
    """'Ban Chỉ đạo Trung ương về …' → 'bcdtw' (up to 'về', 'của' or a comma)."""
    head = re.split(r",|\bve\b|\bcua\b|\(", fold(name))[0]
    head = re.sub(r"\btrung uong\b", "tw", head)
    return "".join(w if w == "tw" else w[0] for w in head.split() if w not in ("va",))


# -- the header ------------------------------------------------------------------------------
@dataclass
class Header:
    """What the first lines of a document say about it."""

    number: Number | None = None
    number_source: str = ""
    kind: str = ""
    kind_source: str = ""
    kind_rest: str = ""  # words after the kind in its heading ("THỰC HIỆN")
    issuer: str = ""
    issuer_source: str = ""
    issuer_alias: str = ""  # "(sau đây gọi tắt là …)"
    date: str = ""
    date_source: str = ""
    place: str = ""
    subject: str = ""
    attached_to: str = ""  # "Quyết định số 116/QĐ-VHL" for a plan attached to a decision
    attached_kind: str = ""  # "Quyết định"
    refs: list[str] = field(default_factory=list)  # numbers of the documents named in Căn cứ/Thực hiện lines
    official: bool = False


@dataclass
class _Candidate:
    name: str
    source: str


def read_header(text: str, raw: str = "") -> Header:
    """Read the header of a document's normalized text (raw: the text before
    normalization, for front matter that normalization removes)."""
    rules = header_rules()
    lines = text.split("\n")[:MAX_LINES]
    h = Header()
    issuers: list[_Candidate] = []
    _read_zone(_zone(lines, 0), h, issuers, text, attached=False)
    _read_attachment(lines, h, issuers, text)
    if h.number is None:
        _read_own_title(lines, h, issuers)
    if not h.date:
        m = rules.pattern("meta_date").search(fold((raw or text)[:300]))
        if m:
            h.date, h.date_source = _date(m), f"dòng ngày đăng “{m.group(0).strip()}”"
    if h.number is not None or h.kind:  # an administrative document, not an article about one
        _choose_issuer(h, issuers, text)
    if not h.kind and h.number is not None:
        if h.number.kind:
            h.kind, h.kind_source = h.number.kind, f"mã loại trong số hiệu {h.number.text}"
        else:  # "Số: 123/UBND-KT": a number with no kind code is a Công văn's
            h.kind, h.kind_source = "Công văn", f"số hiệu {h.number.text} không có mã loại văn bản"
    h.official = bool(h.number and h.number.valid and h.kind and h.issuer)
    return h


def _zone(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Lines from start up to the first line where the body begins."""
    rules = header_rules()
    out = []
    for i in range(start, len(lines)):
        line = lines[i]
        if i > start and search_folded(rules, "body_start", line):
            break
        out.append((i, line))
    return out


def _read_zone(zone: list[tuple[int, str]], h: Header, issuers: list[_Candidate], text: str, attached: bool) -> None:
    """The number, date, kind, subject, issuer candidates and references of one header."""
    rules = header_rules()
    kind_line = -1
    header_bodies: list[str] = []
    designated: list[_Candidate] = []  # "NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ": the issuer itself
    subject: list[str] = []
    subject_open = False
    for i, line in zone:
        for cell in _cells(line):
            folded = fold(cell)
            m = rules.pattern("number_line").match(cell)
            if m:
                if h.number is None or (not h.number.valid and _number(m).valid):
                    h.number, h.number_source = _number(m), f"dòng “{cell}”"
                cell = cell[m.end() :].strip()  # OCR puts the date cell on the same line
                folded = fold(cell)
                if not cell:
                    continue
            m = rules.pattern("place_date").match(folded)
            if m:
                if not h.date and _date(m):
                    h.date, h.date_source = _date(m), f"dòng “{cell}”"
                    h.place = cell[: m.end("place")].strip()
                continue
            m = rules.pattern("kind_heading").match(cell)
            if m and kind_line < 0:
                kind_line = i
                kind = next(k for k in header_tables().kinds if fold(k) == fold(m.group("kind")))
                rest = m.group("rest") or ""
                of = rules.pattern("of_body").match(fold(rest))
                if of and search_folded(rules, "org_head", rest[of.start("body") :]):
                    designated.append(_Candidate(rest[of.start("body") :], f"dòng tên loại “{cell}”"))
                    rest = ""
                if not h.kind or attached:
                    h.kind, h.kind_source = kind, f"dòng tên loại “{cell}”"
                    h.kind_rest = rest
                subject_open = True
                continue
            of = rules.pattern("of_body").match(folded)
            if subject_open and not subject and of and search_folded(rules, "org_head", cell[of.start("body") :]):
                designated.append(_Candidate(cell[of.start("body") :], f"dòng “{cell}” dưới tên loại"))
                continue
            m = rules.pattern("vv_line").match(folded)
            if m and not h.subject:
                h.subject = "về việc " + cell[m.start("subject") :].strip()
                h.refs += [_number(r).text for r in rules.pattern("doc_ref").finditer(cell)]
                if not h.kind:
                    h.kind, h.kind_source = "Công văn", f"dòng trích yếu “{cell[:60]}”"
                continue
            if kind_line < 0 and not h.number:
                body = _strip_motto(cell)  # OCR puts the motto cell on the same line
                if body and is_caps(body):  # a body's name, or the rest of one ("TỈNH BẮC NINH")
                    header_bodies.append(body)
                    continue
            if subject_open and not _subject_done(subject, cell, rules):
                subject.append(cell)
                continue
            subject_open = False
            if is_caps(cell) and kind_line >= 0:
                name = _strip_position(_strip_motto(cell))
                if search_folded(rules, "org_head", name):
                    issuers.append(_Candidate(name, f"dòng thẩm quyền ban hành “{cell}”"))
                continue
        if rules.pattern("basis").match(fold(line)):
            h.refs += [_number(r).text for r in rules.pattern("doc_ref").finditer(_paragraph(zone, i))]
        _read_enacting(line, issuers)
    front = list(designated)
    if header_bodies and _header_body(header_bodies):
        front.append(_Candidate(_header_body(header_bodies), "phần đầu văn bản (cơ quan ban hành)"))
    issuers[:0] = front
    if subject and (not h.subject or attached):
        cased = [truecase(s, spelling_corpus(text)) for s in subject]
        h.subject = " ".join(
            [cased[0]] + [c[:1].lower() + c[1:] if is_caps(s) else c for s, c in zip(subject[1:], cased[1:])]
        )
        h.refs += [_number(r).text for s in subject for r in rules.pattern("doc_ref").finditer(s)]


def _paragraph(zone: list[tuple[int, str]], i: int) -> str:
    """Line i and the lines continuing it (a scan breaks "Nghị quyết số / 03/NQ-CP")."""
    rules = header_rules()
    out: list[str] = []
    for k, line in zone:
        if k < i:
            continue
        if out and (not line.strip() or rules.pattern("basis").match(fold(line))):
            break
        out.append(line.strip())
    return " ".join(out)


def _subject_done(subject: list[str], cell: str, rules: RuleSet) -> bool:
    """The title under the kind heading ends at a basis line, an attachment line, the
    issuing authority's line in capitals, or after three lines."""
    folded = fold(cell)
    if len(subject) >= 3 or rules.pattern("attachment").match(folded):
        return True
    if rules.pattern("basis").match(folded) and (subject or folded.lstrip("-+• ").startswith("can cu")):
        return True  # a title may itself start "Thực hiện …"; it never starts "Căn cứ"
    if rules.pattern("vv_line").match(folded):
        return True
    if subject and is_caps(cell) and not is_caps(subject[-1]):
        return True
    if is_caps(cell):
        name = _strip_position(cell)
        return bool(search_folded(rules, "org_head", name)) and (name != cell or bool(subject))
    return False


def _header_body(bodies: list[str]) -> str:
    """The issuing body among the header's body lines: the last one that starts a name
    (the one above it is its superior); lines that do not start one continue it."""
    rules = header_rules()
    names: list[str] = []
    for body in bodies:
        body = _expand(body)
        if search_folded(rules, "org_head", body):
            names.append(body)
        elif names:
            names[-1] += " " + body
    return names[-1] if names else ""


def _read_enacting(line: str, issuers: list[_Candidate]) -> None:
    """'<body> (sau đây gọi tắt là <alias>) ban hành Kế hoạch …' → the body."""
    rules = header_rules()
    folded = fold(line)
    for m in rules.pattern("enacting").finditer(folded):
        prefix = line[: m.start()].rstrip()
        alias = rules.pattern("alias_def").search(fold(prefix))
        short = prefix[alias.start("alias") : alias.end("alias")].strip() if alias else ""
        if alias:
            prefix = (prefix[: alias.start()] + prefix[alias.end() :]).rstrip()
        starts = [0] + [k.end() for k in re.finditer(r",\s*", prefix)]
        for s in starts:  # the longest tail of the sentence that is a body's name
            name = _strip_position(prefix[s:].strip(" ,;-"))
            if name and name[0].isupper() and search_folded(rules, "org_head", name):
                issuers.append(
                    _Candidate(name, f"câu ban hành “{name[:60]} … ban hành {line[m.start('kind') : m.end('kind')]}”")
                )
                if short:
                    issuers[-1].source += f" (gọi tắt: {short})"
                    issuers[-1].name += f"\x00{short}"
                break


def _read_attachment(lines: list[str], h: Header, issuers: list[_Candidate], text: str) -> None:
    """A plan attached to a decision: the plan's kind and title, the decision's number,
    date and signer, and the plan's own Căn cứ/Thực hiện lines."""
    rules = header_rules()
    for i, line in enumerate(lines):
        m = rules.pattern("attachment").match(fold(line))
        if not m:
            continue
        rest = line[m.start("rest") :]
        kind = next(k for k in header_tables().kinds if fold(k) == m.group("kind"))
        num = rules.pattern("number").match(rest)
        if num is None:
            return
        number = _number(num)
        if kind not in header_tables().promulgating:
            # a resolution that adopts a programme stays the entry; only a garbled number is mended
            if h.number is not None and not h.number.valid and number.codes == h.number.codes:
                h.number, h.number_source = number, f"dòng “{line.strip()[:80]}”"
            return
        h.attached_to, h.attached_kind = f"{kind} số {number.text}", kind
        tail = rest[num.end() :]
        when = rules.pattern("ref_date").match(fold(tail))
        if h.number is None or not h.number.valid:
            h.number, h.number_source = number, f"dòng “{line.strip()[:80]}”"
        if not h.date and _date(when):
            h.date, h.date_source = _date(when), f"dòng “{line.strip()[:80]}”"
        tail = tail[when.end() :] if when else tail
        who = rules.pattern("ref_issuer").match(fold(tail))
        if who:
            name = _strip_position(tail[who.start("issuer") : who.end("issuer")].strip())
            issuers.insert(0, _Candidate(name, f"dòng “{line.strip()[:80]}”"))
        start = max(0, i - 4)
        while start < i and not rules.pattern("kind_heading").match(lines[start].strip()):
            start += 1
        if start < i:  # the plan's own heading and title, just above the attachment line
            h.subject = ""
            _read_zone([(k, lines[k]) for k in range(start, i)] + _zone(lines, i + 1), h, issuers, text, attached=True)
        return


def _read_own_title(lines: list[str], h: Header, issuers: list[_Candidate]) -> None:
    """A document with no header, opening with its own name ("Nghị quyết số 57-NQ/TW");
    the first sentence naming it again gives its date and issuer."""
    rules = header_rules()
    first = [(i, ln.strip()) for i, ln in enumerate(lines[:12]) if ln.strip()][:2]
    for _, line in first:
        m = rules.pattern("doc_ref").match(line)
        if m:
            break
    else:
        return
    own = _number(m)
    h.number, h.number_source = own, f"dòng đầu “{line[:60]}”"
    h.kind, h.kind_source = m.group("kind"), f"dòng đầu “{line[:60]}”"
    for ln in lines[:12]:
        for ref in rules.pattern("doc_ref").finditer(ln):
            if _number(ref).text != own.text:
                continue
            tail = ln[ref.end() :]
            when = rules.pattern("ref_date").match(fold(tail))
            if when and not h.date:
                h.date, h.date_source = _date(when), f"câu “{ln[ref.start() : ref.end() + 40].strip()}…”"
                tail = tail[when.end() :]
            who = rules.pattern("ref_issuer").match(fold(tail))
            if who and not issuers:
                name = tail[who.start("issuer") : who.end("issuer")].strip()
                issuers.append(_Candidate(name, f"câu “{ln[ref.start() : ref.end() + 60].strip()}…”"))
            if ln.strip() != line:  # the sentence after the first line also gives the subject
                rest = tail[who.end() :] if who else tail
                if not h.subject and rest.strip():
                    h.subject = rest.strip().rstrip(".")
            rest = ln[ref.end() :]
            h.refs += [_number(r).text for r in rules.pattern("doc_ref").finditer(rest)]


def _choose_issuer(h: Header, issuers: list[_Candidate], text: str) -> None:
    """The first candidate whose initials agree with the number's issuer code ("BCĐTW"
    for 'Ban Chỉ đạo Trung ương'), else the first one, else the code's own body."""
    code = fold(h.number.issuer_code) if h.number else ""
    chosen = None
    if code:
        chosen = next((c for c in issuers if _initials(c.name.split("\x00")[0]).startswith(code)), None)
    if chosen is None and issuers:
        chosen = issuers[0]
    if chosen is None and h.number and h.number.issuer_code in header_tables().issuer_codes:
        chosen = _Candidate(
            header_tables().issuer_codes[h.number.issuer_code], f"mã cơ quan trong số hiệu {h.number.text}"
        )
    if chosen is None:
        return
    name, _, alias = chosen.name.partition("\x00")
    if not alias:  # the short form the enacting sentence defines for the same body
        alias = next(
            (
                c.name.partition("\x00")[2]
                for c in issuers
                if "\x00" in c.name and fold(c.name.partition("\x00")[0]) == fold(name)
            ),
            "",
        )
    name = _qualified(truecase(_expand(name), spelling_corpus(text)), text)
    h.issuer, h.issuer_source, h.issuer_alias = name, chosen.source, alias


def _qualified(name: str, text: str) -> str:
    """A Party body named in full where the header continues it: 'Ban Chấp hành Trung
    ương' + ' Đảng khoá XI'."""
    folded = fold(text[:20000])
    key = fold(name)
    start = folded.find(key)
    while start >= 0:
        end = start + len(key)
        m = header_rules().pattern("issuer_qualifier").match(folded[end : end + 40])
        if m:
            return name + " " + truecase(text[end : end + m.end()].strip(), spelling_corpus(text))
        start = folded.find(key, end)
    return name
