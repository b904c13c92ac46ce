"""Recognize the documents a question names ("Nghị quyết 57", "NQ57", "nghi quyet so 03",
"Chương trình hành động của Chính phủ", "kế hoạch của Viện Hàn lâm", "Kế hoạch 01"),
accent- and case-insensitively, from the catalog's short names and aliases.

A mention that only qualifies another document ("Chương trình hành động ... thực hiện
Nghị quyết 57") is returned as a qualifier, not as a target. The question with every
mention removed is what the search scores, so clauses that merely repeat a document's
name ("Kèm theo Nghị quyết số 03/NQ-CP ...") are not favoured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold, nfc
from .types import DocumentInfo

# kind words as typed (folded) -> the catalog kind they name
_KINDS = {
    "nghi quyet": "Nghị quyết", "nq": "Nghị quyết", "ket luan": "Kết luận", "kl": "Kết luận",
    "ke hoach": "Kế hoạch", "kh": "Kế hoạch", "quyet dinh": "Kế hoạch", "qd": "Kế hoạch",
}
_NUMBERED = re.compile(
    r"\b(nghi quyet|ket luan|ke hoach|quyet dinh|nq|kl|kh|qd)\s*(?:so\s*)?[-.]?\s*0*(\d{1,3})(?:\s*[-/][a-z]+(?:[-/][a-z]+)*)?\b"
)
_BARE = re.compile(r"\b0*(\d{1,3})\s*[-/]\s*(nq|kl|kh|qd)(?:\s*[-/][a-z]+)*\b")
_QUALIFIER = re.compile(r"(thuc hien|trien khai|cu the hoa|theo|cua|ve viec thuc hien)\s*$")


@dataclass(frozen=True)
class Mention:
    doc_id: str
    start: int
    end: int
    qualifier: bool


def _number(doc: DocumentInfo) -> str | None:
    m = re.match(r"0*(\d{1,3})", doc.short)
    return m.group(1) if m else None


class DocumentRecognizer:
    """Finds document mentions in a question."""

    def __init__(self, documents: list[DocumentInfo]):
        self.documents = [d for d in documents if d.authority == "official"] + [
            d for d in documents if d.authority != "official"
        ]
        self.aliases: list[tuple[str, str]] = []
        for d in self.documents:
            for name in (d.short, *d.aliases):
                key = " ".join(re.findall(r"\w+", fold(name)))
                if len(key) >= 3:
                    self.aliases.append((key, d.id))
        self.aliases.sort(key=lambda a: len(a[0]), reverse=True)

    def _by_number(self, kind: str, number: str) -> str | None:
        wanted = _KINDS.get(kind)
        candidates = [d for d in self.documents if _number(d) == number]
        exact = [d for d in candidates if d.kind == wanted]
        pick = exact or candidates
        return pick[0].id if pick else None

    def mentions(self, question: str) -> list[Mention]:
        """Document mentions in reading order, with offsets into the question."""
        text = _aligned_fold(question)
        found: list[Mention] = []
        taken = [False] * len(text)

        def add(doc_id: str | None, a: int, b: int) -> None:
            if doc_id is None or any(taken[a:b]):
                return
            for i in range(a, b):
                taken[i] = True
            found.append(Mention(doc_id, a, b, False))

        for m in _NUMBERED.finditer(text):
            add(self._by_number(m.group(1), m.group(2)), m.start(), m.end())
        for m in _BARE.finditer(text):
            add(self._by_number(m.group(2), m.group(1)), m.start(), m.end())
        plain = text.replace("-", " ").replace("/", " ")
        for key, doc_id in self.aliases:
            pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in key.split()) + r"(?!\w)"
            for m in re.finditer(pattern, plain):
                add(doc_id, m.start(), m.end())
        found.sort(key=lambda x: x.start)
        # a later mention right after "thực hiện / triển khai / theo" qualifies an earlier one
        return [
            Mention(m.doc_id, m.start, m.end, i > 0 and bool(_QUALIFIER.search(text[max(0, m.start - 30):m.start].rstrip())))
            for i, m in enumerate(found)
        ]

    def targets(self, question: str) -> list[str]:
        """Documents the question asks about (qualifiers dropped unless nothing else)."""
        ms = self.mentions(question)
        main = [m.doc_id for m in ms if not m.qualifier] or [m.doc_id for m in ms]
        return list(dict.fromkeys(main))

    def strip(self, question: str) -> str:
        """The question with document mentions removed (original spelling kept)."""
        out, pos = [], 0
        for m in self.mentions(question):
            out.append(question[pos:m.start])
            pos = m.end
        out.append(question[pos:])
        return " ".join("".join(out).split())


def _aligned_fold(text: str) -> str:
    """Folded text with the same length as text: one output character per input one."""
    out = []
    for c in nfc(text):
        f = fold(c)
        out.append(f if len(f) == 1 else c.lower())
    s = "".join(out)
    return re.sub(r"[^\w/-]", " ", s)
