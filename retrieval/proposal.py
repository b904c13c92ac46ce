"""Propose a document's catalog entry from its header (header.py): id, short name, kind,
issuer, date, authority, cite_as, title, aliases and the catalog documents it implements,
with what was guessed and from which line. Ids and aliases are kept clear of the catalog's
other documents; the catalog's conventions are followed (short = the number, "kh12",
"Kế hoạch 12/KH-UBND", aliases "KH 12", "Kế hoạch số 12" …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .header import Header, header_rules, header_tables, read_header, search_folded, spelling_corpus
from .text import fold
from .truecase import truecase
from .types import DocumentInfo


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


def propose(text: str, file_name: str, catalog: Catalog, raw: str = "") -> Proposal:
    """The catalog entry a document's header suggests, its ids and aliases kept clear of
    the catalog's other documents."""
    h = read_header(text, raw)
    kinds = header_tables().kinds
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
    guesses.append(
        Guess(
            "loại nguồn",
            authority,
            "có số hiệu, tên loại và cơ quan ban hành"
            if h.official
            else "không đủ số hiệu, tên loại và cơ quan ban hành của một văn bản chính thức",
        )
    )
    implements, unresolved = _resolve(h.refs, number, catalog)
    if implements:
        guesses.append(
            Guess("thực hiện / căn cứ", ", ".join(implements), "các dòng “Căn cứ”, “Thực hiện” và trích yếu")
        )
    cite_as = (
        f"{kind} kèm theo {h.attached_to.replace(' số ', ' ')}"
        if h.attached_to and number
        else f"{kind} {number}"
        if number
        else f"{kind} “{short}”"
    )
    aliases, dropped = _aliases(kind, abbr, number, h, short, catalog)
    entry = DocumentInfo(
        id=_doc_id(abbr, number, h, file_name, catalog),
        file=file_name,
        short=short,
        title=title,
        issuer=h.issuer,
        date=h.date,
        kind=kind,
        authority=authority,
        cite_as=cite_as,
        aliases=tuple(aliases),
        implements=tuple(implements),
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
        parts.append(truecase(h.kind_rest, spelling_corpus(text)).lower())
    if number and not h.attached_to:
        parts.append(f"số {number}")
    if h.date and len(h.date) == 10 and not h.attached_to:
        y, m, d = h.date.split("-")
        parts.append(f"ngày {d}/{m}/{y}")
    subject = " ".join(h.subject.split())
    verb = bool(subject) and bool(search_folded(header_rules(), "subject_verb", subject))
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
        kind, abbr = h.attached_kind, header_tables().kinds.get(h.attached_kind, "")
    if number and h.number is not None:
        n = h.number.num
        names += [f"{kind} {n}", f"{kind} số {n}", f"{kind} số {number}"]
        if abbr:
            names += [f"{abbr} {n}", f"{abbr}{n}", f"{abbr} {number}"]
        if n.lstrip("0") and n.lstrip("0") != n:
            names += [f"{kind} {n.lstrip('0')}"]
    used = {a.casefold() for d in catalog.documents for a in (d.short, d.id, *d.aliases)}
    kept: list[str] = []
    dropped: list[str] = []
    seen = {short.casefold()}
    for name in names:
        key = name.casefold()
        if key in seen:
            continue
        seen.add(key)
        (dropped if key in used else kept).append(name)
    return kept, dropped
