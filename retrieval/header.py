"""Read a Vietnamese administrative header and propose the document's catalog entry.

The header of an official document names its issuing body (top left, above "Số: …"), its
number ("Số: 12/KH-UBND"), place and date ("Bắc Ninh, ngày 15 tháng 3 năm 2025"), its kind
in capitals (KẾ HOẠCH, QUYẾT ĐỊNH, …) with the title line(s) under it, and, for a plan
attached to a decision, "(Kèm theo Quyết định số …)". Documents without such a header
(a press release, the text of a resolution reprinted under its name) are read from their
first line ("Nghị quyết số 57-NQ/TW …") and the sentence that names them. The "Căn cứ" and
"Thực hiện" lines name the documents this one implements; they are resolved against the
catalog. Every pattern lives in resources/rules/header.toml; this module only decides
which reading wins. Capitals are turned back into the document's own spelling of the same
words ("CHÍNH PHỦ" → "Chính phủ"), so no list of body names is needed.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .catalog import Catalog
from .rules import RULES_DIR, RuleSet, load_rules
from .text import fold
from .types import DocumentInfo

MAX_LINES = 160  # the header, and an attached plan's heading, sit in the first lines
_SEPARATOR = re.compile(r"^[\s\-–—_=*|.]*$")
_ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass(frozen=True)
class Guess:
    """One proposed field and where in the document it was read."""

    field: str
    value: str
    source: str


@dataclass
class Proposal:
    """A catalog entry read from a document's header, with what was guessed and how."""

    entry: DocumentInfo
    path: Path | None = None  # the file it was read from
    guesses: list[Guess] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # referenced documents not in the catalog
    dropped_aliases: list[str] = field(default_factory=list)  # already another document's

    def describe(self) -> str:
        """What was guessed, one Vietnamese line per field (for the CLI and the UI)."""
        lines = [f"Đề xuất mục danh mục cho {self.entry.file} (mã {self.entry.id}):"]
        lines += [f"  - {g.field}: {g.value or '(không rõ)'} — {g.source}" for g in self.guesses]
        if self.unresolved:
            lines.append("  - văn bản được viện dẫn nhưng chưa có trong danh mục: " + "; ".join(self.unresolved))
        if self.dropped_aliases:
            lines.append("  - bỏ tên gọi trùng với văn bản khác: " + ", ".join(self.dropped_aliases))
        return "\n".join(lines)

    def toml(self) -> str:
        """The entry as it would be written to data/catalog.toml."""
        from .catalog_edit import entry_toml

        return entry_toml(self.entry)


@dataclass
class _Tables:
    kinds: dict[str, str]
    kind_codes: dict[str, str]
    issuer_codes: dict[str, str]
    expansions: dict[str, str]
    promulgating: tuple[str, ...]


@lru_cache(maxsize=None)
def _tables() -> _Tables:
    """The lookup tables of header.toml (constants shipped with the package)."""
    with (RULES_DIR / "header.toml").open("rb") as f:
        data = tomllib.load(f)
    return _Tables(data["kinds"], data["kind_codes"], data["issuer_codes"], data["expansions"],
                   tuple(data["attachment"]["promulgating"]))


def _rules() -> RuleSet:
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
        return _tables().kind_codes.get(self.codes[0], "") if self.codes else ""

    @property
    def issuer_code(self) -> str:
        rest = self.codes[1:] if self.kind else self.codes
        return rest[0] if rest else ""


def _number(m: re.Match[str]) -> Number:
    codes = tuple(c for c in re.split(r"\s*[-/]\s*", m.group("codes").strip()) if c)
    raw = re.sub(r"\s+", "", m.string[m.start("num"):m.end("codes")])
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


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _search_folded(rules: RuleSet, family: str, text: str) -> re.Match[str] | None:
    """Search a folded family; offsets of the match are offsets into text (NFC)."""
    return rules.pattern(family).search(fold(text))


def _strip_motto(cell: str) -> str:
    folded = fold(cell)
    spans = [m.span() for m in _rules().pattern("motto").finditer(folded)]
    for a, b in reversed(spans):
        cell = cell[:a] + " " + cell[b:]
    return " ".join(cell.split()).strip(" -–|")


def _strip_position(name: str) -> str:
    """'Chủ tịch Viện Hàn lâm …' → 'Viện Hàn lâm …' (kept when no body name follows)."""
    rules = _rules()
    m = _search_folded(rules, "position", name)
    if m and m.end() < len(name) and _search_folded(rules, "org_head", name[m.end():].strip()):
        return name[m.end():].strip()
    return name


def _expand(name: str) -> str:
    for short, long in _tables().expansions.items():
        name = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", long.upper() if _is_caps(name) else long, name)
    return name


def truecase(phrase: str, text: str) -> str:
    """A phrase written in capitals, spelled as the document itself writes those words
    elsewhere (longest runs first), else lower case; its first letter upper case."""
    if not _is_caps(phrase):
        return phrase
    words = phrase.split()
    low = text.lower()
    if len(low) != len(text):  # lower() changed lengths: offsets would not carry over
        low, text = text.lower(), text.lower()
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            spelled = _spelling(" ".join(words[i:j]).lower(), low, text)
            if spelled:
                out.append(spelled)
                i = j
                break
        else:
            w = words[i]
            out.append(w if _ROMAN.match(w) else w.lower())
            i += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def _spelling(needle: str, low: str, text: str) -> str:
    """The most frequent spelling of needle (lower-cased) in text that is not all capitals."""
    if " " not in needle and _ROMAN.match(needle.upper()):
        return needle.upper()
    variants: Counter[str] = Counter()
    start, looked = low.find(needle), 0
    while start >= 0 and looked < 400:
        end = start + len(needle)
        if (start == 0 or not low[start - 1].isalnum()) and (end == len(low) or not low[end].isalnum()):
            looked += 1
            seen = text[start:end]
            if not _is_caps(seen) and not seen.isupper():
                variants[seen] += 1
        start = low.find(needle, start + 1)
    if not variants:
        return ""
    if " " not in needle and any(v.islower() for v in variants):
        return needle  # a single word seen in lower case anywhere is an ordinary word
    return variants.most_common(1)[0][0]


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
    rules = _rules()
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
        elif h.subject and h.kind_source == "công văn":
            h.kind = "Công văn"
    h.official = bool(h.number and h.number.valid and h.kind and h.issuer)
    return h


def _zone(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Lines from start up to the first line where the body begins."""
    rules = _rules()
    out = []
    for i in range(start, len(lines)):
        line = lines[i]
        if i > start and _search_folded(rules, "body_start", line):
            break
        out.append((i, line))
    return out


def _read_zone(zone: list[tuple[int, str]], h: Header, issuers: list[_Candidate], text: str, attached: bool) -> None:
    """The number, date, kind, subject, issuer candidates and references of one header."""
    rules = _rules()
    kind_line = -1
    header_bodies: list[str] = []
    subject: list[str] = []
    subject_open = False
    for i, line in zone:
        for cell in _cells(line):
            folded = fold(cell)
            m = rules.pattern("number_line").match(cell)
            if m:
                if h.number is None or (not h.number.valid and _number(m).valid):
                    h.number, h.number_source = _number(m), f"dòng “{cell}”"
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
                kind = next(k for k in _tables().kinds if fold(k) == fold(m.group("kind")))
                if not h.kind or attached:
                    h.kind, h.kind_source = kind, f"dòng tên loại “{cell}”"
                    h.kind_rest = m.group("rest") or ""
                subject_open = True
                continue
            m = rules.pattern("vv_line").match(folded)
            if m and not h.subject:
                h.subject = "về việc " + cell[m.start("subject"):].strip()
                h.refs += [_number(r).text for r in rules.pattern("doc_ref").finditer(cell)]
                if not h.kind:
                    h.kind, h.kind_source = "Công văn", f"dòng trích yếu “{cell[:60]}”"
                continue
            if kind_line < 0 and not h.number and _is_caps(cell):
                body = _strip_motto(cell)
                if body:  # a body's name, or the rest of one ("TỈNH BẮC NINH")
                    header_bodies.append(body)
                continue
            if subject_open and not subject_done(subject, cell, rules):
                subject.append(cell)
                continue
            subject_open = False
            if _is_caps(cell) and kind_line >= 0:
                name = _strip_position(_strip_motto(cell))
                if _search_folded(rules, "org_head", name):
                    issuers.append(_Candidate(name, f"dòng thẩm quyền ban hành “{cell}”"))
                continue
        if rules.pattern("basis").match(fold(line)):
            h.refs += [_number(r).text for r in rules.pattern("doc_ref").finditer(line)]
        _read_enacting(line, issuers)
    if header_bodies and _header_body(header_bodies):
        issuers.insert(0, _Candidate(_header_body(header_bodies), "phần đầu văn bản (cơ quan ban hành)"))
    if subject and (not h.subject or attached):
        cased = [truecase(s, text) for s in subject]
        h.subject = " ".join([cased[0]] + [c[:1].lower() + c[1:] if _is_caps(s) else c for s, c in zip(subject[1:], cased[1:])])
        h.refs += [_number(r).text for s in subject for r in rules.pattern("doc_ref").finditer(s)]


def subject_done(subject: list[str], cell: str, rules: RuleSet) -> bool:
    """The title under the kind heading ends at a basis line, an attachment line, the
    issuing authority's line in capitals, or after three lines."""
    folded = fold(cell)
    if len(subject) >= 3 or rules.pattern("attachment").match(folded):
        return True
    if rules.pattern("basis").match(folded) and (subject or folded.lstrip("-+• ").startswith("can cu")):
        return True  # a title may itself start "Thực hiện …"; it never starts "Căn cứ"
    if rules.pattern("vv_line").match(folded):
        return True
    if subject and _is_caps(cell) and not _is_caps(subject[-1]):
        return True
    if _is_caps(cell):
        name = _strip_position(cell)
        return bool(_search_folded(rules, "org_head", name)) and (name != cell or bool(subject))
    return False


def _header_body(bodies: list[str]) -> str:
    """The issuing body among the header's body lines: the last one that starts a name
    (the one above it is its superior); lines that do not start one continue it."""
    rules = _rules()
    names: list[str] = []
    for body in bodies:
        body = _expand(body)
        if _search_folded(rules, "org_head", body):
            names.append(body)
        elif names:
            names[-1] += " " + body
    return names[-1] if names else ""


def _read_enacting(line: str, issuers: list[_Candidate]) -> None:
    """'<body> (sau đây gọi tắt là <alias>) ban hành Kế hoạch …' → the body."""
    rules = _rules()
    folded = fold(line)
    for m in rules.pattern("enacting").finditer(folded):
        prefix = line[: m.start()].rstrip()
        alias = rules.pattern("alias_def").search(fold(prefix))
        short = prefix[alias.start("alias"):alias.end("alias")].strip() if alias else ""
        if alias:
            prefix = (prefix[: alias.start()] + prefix[alias.end():]).rstrip()
        starts = [0] + [k.end() for k in re.finditer(r",\s*", prefix)]
        for s in starts:  # the longest tail of the sentence that is a body's name
            name = _strip_position(prefix[s:].strip(" ,;-"))
            if name and name[0].isupper() and _search_folded(rules, "org_head", name):
                issuers.append(_Candidate(name, f"câu ban hành “{name[:60]} … ban hành {line[m.start('kind'):m.end('kind')]}”"))
                if short:
                    issuers[-1].source += f" (gọi tắt: {short})"
                    issuers[-1].name += f"\x00{short}"
                break


def _read_attachment(lines: list[str], h: Header, issuers: list[_Candidate], text: str) -> None:
    """A plan attached to a decision: the plan's kind and title, the decision's number,
    date and signer, and the plan's own Căn cứ/Thực hiện lines."""
    rules = _rules()
    for i, line in enumerate(lines):
        m = rules.pattern("attachment").match(fold(line))
        if not m:
            continue
        rest = line[m.start("rest"):]
        kind = next(k for k in _tables().kinds if fold(k) == m.group("kind"))
        num = rules.pattern("number").match(rest)
        if num is None:
            return
        number = _number(num)
        if kind not in _tables().promulgating:
            # a resolution that adopts a programme stays the entry; only a garbled number is mended
            if h.number is not None and not h.number.valid and number.codes == h.number.codes:
                h.number, h.number_source = number, f"dòng “{line.strip()[:80]}”"
            return
        h.attached_to, h.attached_kind = f"{kind} số {number.text}", kind
        tail = rest[num.end():]
        when = rules.pattern("ref_date").match(fold(tail))
        if h.number is None or not h.number.valid:
            h.number, h.number_source = number, f"dòng “{line.strip()[:80]}”"
        if not h.date and _date(when):
            h.date, h.date_source = _date(when), f"dòng “{line.strip()[:80]}”"
        tail = tail[when.end():] if when else tail
        who = rules.pattern("ref_issuer").match(fold(tail))
        if who:
            name = _strip_position(tail[who.start("issuer"):who.end("issuer")].strip())
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
    rules = _rules()
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
            tail = ln[ref.end():]
            when = rules.pattern("ref_date").match(fold(tail))
            if when and not h.date:
                h.date, h.date_source = _date(when), f"câu “{ln[ref.start():ref.end() + 40].strip()}…”"
                tail = tail[when.end():]
            who = rules.pattern("ref_issuer").match(fold(tail))
            if who and not issuers:
                name = tail[who.start("issuer"):who.end("issuer")].strip()
                issuers.append(_Candidate(name, f"câu “{ln[ref.start():ref.end() + 60].strip()}…”"))
            if ln.strip() != line:  # the sentence after the first line also gives the subject
                rest = tail[who.end():] if who else tail
                if not h.subject and rest.strip():
                    h.subject = rest.strip().rstrip(".")
            rest = ln[ref.end():]
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
    if chosen is None and h.number and h.number.issuer_code in _tables().issuer_codes:
        chosen = _Candidate(_tables().issuer_codes[h.number.issuer_code], f"mã cơ quan trong số hiệu {h.number.text}")
    if chosen is None:
        return
    name, _, alias = chosen.name.partition("\x00")
    if not alias:  # the short form the enacting sentence defines for the same body
        alias = next((c.name.partition("\x00")[2] for c in issuers
                      if "\x00" in c.name and fold(c.name.partition("\x00")[0]) == fold(name)), "")
    name = _qualified(truecase(_expand(name), text), text)
    h.issuer, h.issuer_source, h.issuer_alias = name, chosen.source, alias


def _qualified(name: str, text: str) -> str:
    """A Party body named in full where the header continues it: 'Ban Chấp hành Trung
    ương' + ' Đảng khoá XI'."""
    folded = fold(text[:20000])
    key = fold(name)
    start = folded.find(key)
    while start >= 0:
        end = start + len(key)
        m = _rules().pattern("issuer_qualifier").match(folded[end:end + 40])
        if m:
            return name + " " + truecase(text[end:end + m.end()].strip(), text)
        start = folded.find(key, end)
    return name


# -- the proposal ----------------------------------------------------------------------------
def propose(text: str, file_name: str, catalog: Catalog, raw: str = "") -> Proposal:
    """The catalog entry a document's header suggests, its ids and aliases kept clear of
    the catalog's other documents."""
    h = read_header(text, raw)
    kinds = _tables().kinds
    kind = h.kind or "Tài liệu"
    abbr = kinds.get(kind, "")
    number = h.number.text if h.number and h.number.valid else ""
    title = _title(h, kind, number, text)
    short = number or _shorten(title, 40)
    guesses = [
        Guess("số hiệu", number, h.number_source if number else _no_number(h)),
        Guess("loại văn bản", kind, h.kind_source or "không thấy dòng tên loại; mặc định “Tài liệu”"),
        Guess("cơ quan ban hành", h.issuer, h.issuer_source or "không thấy trong phần đầu"),
        Guess("ngày ban hành", h.date, h.date_source or "không thấy dòng “…, ngày … tháng … năm …”"),
        Guess("trích yếu", h.subject, "các dòng dưới tên loại" if h.subject else "không thấy"),
    ]
    if h.attached_to:
        guesses.append(Guess("ban hành kèm theo", h.attached_to, "dòng “(Kèm theo …)”"))
    authority = "official" if h.official else "secondary"
    guesses.append(Guess("loại nguồn", authority, "có số hiệu, tên loại và cơ quan ban hành" if h.official
                         else "không đủ số hiệu, tên loại và cơ quan ban hành của một văn bản chính thức"))
    implements, unresolved = _resolve(h.refs, number, catalog)
    if implements:
        guesses.append(Guess("thực hiện / căn cứ", ", ".join(implements), "các dòng “Căn cứ”, “Thực hiện” và trích yếu"))
    cite_as = (f"{kind} kèm theo {h.attached_to.replace(' số ', ' ')}" if h.attached_to and number
               else f"{kind} {number}" if number else f"{kind} “{short}”")
    aliases, dropped = _aliases(kind, abbr, number, h, short, catalog)
    entry = DocumentInfo(
        id=_doc_id(abbr, number, h, file_name, catalog), file=file_name, short=short, title=title,
        issuer=h.issuer, date=h.date, kind=kind, authority=authority, cite_as=cite_as,
        aliases=tuple(aliases), implements=tuple(implements),
    )
    return Proposal(entry, None, guesses, unresolved, dropped)


def _no_number(h: Header) -> str:
    if h.number and not h.number.valid:
        return f"số hiệu ở phần đầu đọc không rõ ({h.number.text})"
    return "không thấy dòng “Số: …”"


def _title(h: Header, kind: str, number: str, text: str) -> str:
    """'Kế hoạch số 12/KH-UBND ngày 15/03/2025 của Ủy ban nhân dân tỉnh Bắc Ninh về …'."""
    if not number and not h.subject:
        first = next((ln.strip() for ln in text.split("\n") if ln.strip() and not ln.strip().endswith(":")), "")
        return _shorten(first, 200)
    parts = [kind]
    if h.kind_rest:
        parts.append(truecase(h.kind_rest, text).lower())
    if number and not h.attached_to:
        parts.append(f"số {number}")
    if h.date and len(h.date) == 10 and not h.attached_to:
        y, m, d = h.date.split("-")
        parts.append(f"ngày {d}/{m}/{y}")
    subject = " ".join(h.subject.split())
    verb = bool(subject) and bool(_search_folded(_rules(), "subject_verb", subject))
    head = fold(re.split(r"\s[Vv]ề\s", subject)[0])
    at = head.find(fold(h.issuer)) if h.issuer and not verb else -1
    # "Hội nghị lần thứ sáu Ban Chấp hành …" names the issuer itself; "… của Sở …" only mentions it
    designation = at >= 0 and not head[:at].rstrip().endswith("cua")
    if h.issuer and at < 0:  # a descriptive name ("… về …") by its short form
        parts.append(f"của {h.issuer_alias if h.issuer_alias and ' về ' in h.issuer else h.issuer}")
    if subject:
        if not designation:
            subject = subject[:1].lower() + subject[1:] if not subject[:2].isupper() else subject
        if not verb and not designation:
            subject = "về " + subject
        parts.append(subject)
    if h.attached_to:
        parts.append(f"(kèm theo {h.attached_to})")
    return " ".join(parts)


def _shorten(text: str, n: int) -> str:
    text = " ".join(text.split())
    if len(text) <= n:
        return text
    cut = text[: n - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _resolve(refs: list[str], own: str, catalog: Catalog) -> tuple[list[str], list[str]]:
    """Referenced numbers → catalog ids (in order, once), and those the catalog lacks."""
    ids: list[str] = []
    missing: list[str] = []
    for ref in refs:
        if ref == own:
            continue
        doc = _by_number(ref, catalog)
        if doc is not None:
            if doc.id not in ids:
                ids.append(doc.id)
        elif ref not in missing:
            missing.append(ref)
    return ids, missing


def _by_number(number: str, catalog: Catalog) -> DocumentInfo | None:
    key = number.casefold()
    for doc in catalog.documents:
        names = [doc.short, doc.cite_as, *doc.aliases]
        if any(n.casefold() == key or n.casefold().endswith(" " + key) for n in names):
            return doc
    return None


def _doc_id(abbr: str, number: str, h: Header, file_name: str, catalog: Catalog) -> str:
    """'kh12' as the catalog writes ids; '-<issuer code>', then '-2', '-3' when taken."""
    taken = {d.id for d in catalog.documents}
    if number and h.number is not None:
        base = fold(abbr) + h.number.num + (f"-{h.number.year}" if h.number.year else "")
        if not abbr:
            base = fold(h.number.issuer_code or "vb") + h.number.num
    else:
        base = fold(file_name.rsplit(".", 1)[0])
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "van-ban"
    candidates = [base]
    if h.number is not None and h.number.issuer_code:
        candidates.append(f"{base}-{re.sub(r'[^a-z0-9]+', '', fold(h.number.issuer_code))}")
    candidates += [f"{candidates[-1]}-{n}" for n in range(2, 100)]
    return next(c for c in candidates if c not in taken)


def _aliases(kind: str, abbr: str, number: str, h: Header, short: str, catalog: Catalog) -> tuple[list[str], list[str]]:
    """Ways users name the document, in the catalog's style ("Kế hoạch 12", "KH 12",
    "KH12", "Kế hoạch số 12", "KH 12/KH-UBND"); none another document already uses."""
    names: list[str] = []
    if h.issuer_alias:
        names.append(f"{kind.lower()} của {h.issuer_alias}")
    if h.attached_kind:  # otherwise named by the decision it comes with
        kind, abbr = h.attached_kind, _tables().kinds.get(h.attached_kind, "")
    if number and h.number is not None:
        n = h.number.num
        names += [f"{kind} {n}", f"{kind} số {n}", f"{kind} số {number}"]
        if abbr:
            names += [f"{abbr} {n}", f"{abbr}{n}", f"{abbr} {number}"]
        if n.lstrip("0") and n.lstrip("0") != n:
            names += [f"{kind} {n.lstrip('0')}"]
    used = {a.casefold() for d in catalog.documents for a in (d.short, d.id, *d.aliases)}
    kept, dropped, seen = [], [], {short.casefold()}
    for name in names:
        key = name.casefold()
        if key in seen:
            continue
        seen.add(key)
        (dropped if key in used else kept).append(name)
    return kept, dropped
