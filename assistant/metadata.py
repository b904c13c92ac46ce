"""Answers about a named document's own metadata: its date, signer, issuer, date of effect.

"Nghị quyết 03 ban hành ngày nào?", "ai ký nq 03 vậy", "kh01 do ai ban hành": the answer is
in the document's own header, signature block or effect clause, not in a clause that names
the date of another document it rests on ("… thực hiện Nghị quyết số 57-NQ/TW ngày
22/12/2024 …"). When the question names one document and, once that name is taken out,
asks nothing but one of these (rules: retrieval/resources/rules/metadata.toml), the one
span of that document that says it is quoted alone, cited once:

- date: the first line of the document that states its own date (the catalog's date, read
  from the header), not a line resting on another document ("Căn cứ …");
- signer: the signature block that ends with a name, else the sentence saying who signed;
- issuer: the sentence naming the issuer beside the document's own number or its enacting
  words ("… ban hành Kế hoạch …"), else the signature block or header line naming it;
- effect: the clause saying when "Nghị quyết này có hiệu lực";
- number: the first header line that states its number and symbol ("Số: 03/NQ-CP").

None when the question asks more, names no single document, or the document holds no such
span: then the usual answer stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.rules import load_rules
from retrieval.text import fold, sentence_spans
from retrieval.types import Chunk, DocumentInfo

from .generation.base import Draft, DraftSentence, GenerationRequest, Source

KINDS = ("date", "signer", "issuer", "effect", "number")
_DATES = re.compile(
    r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d)\b|\bngay (\d{1,2}) thang (\d{1,2}) nam ((?:19|20)\d\d)\b"
)
_NAME_END = re.compile(r"(?:[A-ZĐ][^\W\d_]*[ \t]+){1,3}[A-ZĐ][^\W\d_]*\s*$")


def ask_kind(focus: str) -> str:
    """The metadata asked by a question whose document names are taken out (focus): one of
    KINDS, or "" when it asks anything else."""
    rules = load_rules("metadata")
    focus = rules.pattern("context_tail").sub("", fold(focus).lower())
    text = " ".join(re.findall(r"\w+", focus))
    for _ in range(3):  # "cho mình hỏi … vậy ạ", "còn … thì ai ký"
        text = rules.pattern("filler_head").sub("", text)
        text = rules.pattern("filler_tail").sub("", text).strip()
    if not text:
        return ""
    for kind in KINDS:
        if rules.pattern(f"{kind}_ask").search(text):
            return kind
    return ""


def draft(request: GenerationRequest, chunks: Iterable[Chunk], doc: DocumentInfo, prompts=None) -> Draft | None:
    """The answer quoting the one span of the named document's chunks that says what is asked,
    under the line naming that clause ("Theo Nghị quyết 03/NQ-CP, phần đầu:"; prompts)."""
    if len(request.named_docs) != 1 or doc.authority != "official":
        return None
    kind = ask_kind(request.focus or request.question)
    if not kind:
        return None
    chunks = list(chunks)
    found = {"date": _date, "signer": _signer, "issuer": _issuer, "effect": _effect, "number": _number}[kind](
        chunks, doc
    )
    if found is None:
        return None
    chunk, quote = found
    numbers = {s.chunk.id: s.number for s in request.sources}
    added: list[Source] = []
    n = numbers.get(chunk.id)
    if n is None:
        n = max(numbers.values(), default=0) + 1
        added.append(Source(n, chunk, 1, 0.0, retrieved=False))
    from .direct import shown_text

    said = DraftSentence(shown_text(quote), [n], {n: quote})
    lines = [DraftSentence(prompts.render("intro_single", source=chunk.label), [], framing=True)] if prompts else []
    return Draft([*lines, said], sources=added, structured=True, confidence=1.0)


def _spans(chunk: Chunk) -> list[str]:
    """The lines of a chunk, long lines cut into sentences; each an exact sub-span."""
    out = []
    for line in chunk.text.split("\n"):
        line = line.strip().strip("|").strip()
        if not line:
            continue
        if len(line) <= 200:
            out.append(line)
        else:
            out += [line[a:b] for a, b in sentence_spans(line)]
    return out


def _own_line(span: str) -> bool:
    return not load_rules("metadata").search("other_document_line", span)


def _ordered(chunks: list[Chunk]) -> list[Chunk]:
    """The header first, then the rest in the document's order; a whole table after its
    rows, which say the same line by line."""
    rank = {"title": 0, "table": 2}
    return sorted(chunks, key=lambda c: rank.get(c.kind, 1))


def _date(chunks: list[Chunk], doc: DocumentInfo) -> tuple[Chunk, str] | None:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", doc.date or ""):
        return None
    own = tuple(int(x) for x in doc.date.split("-"))
    for chunk in _ordered(chunks):
        for span in _spans(chunk):
            if not _own_line(span):
                continue
            for m in _DATES.finditer(fold(span).lower()):
                d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
                if (int(y), int(mo), int(d)) == own:
                    return chunk, span  # the header's date line ("Hà Nội, ngày 09 tháng 01 năm 2025") comes first
    return None


def _signature(chunk: Chunk) -> bool:
    from .evidence import is_signature

    return chunk.id.partition(":")[2].startswith("ky.") or is_signature(chunk.text)


def _signer(chunks: list[Chunk], doc: DocumentInfo) -> tuple[Chunk, str] | None:
    """The signature block ending with a name, else the header sentence saying who signed,
    else the signature block as it is (a position only: "TRƯỞNG BAN")."""
    blocks = [c for c in _ordered(chunks) if _signature(c) and c.text.strip(" |\n")]
    for chunk in blocks:
        m = _NAME_END.search(chunk.text.replace("|", "\n").strip())
        if m and not m.group(0).isupper():
            return chunk, chunk.text.strip(" |\n\t")
    from . import intent

    for chunk in [c for c in chunks if c.kind == "title"]:
        for span in _spans(chunk):
            if intent.SIGNED.search(fold(span).lower()):
                return chunk, span
    return (blocks[0], blocks[0].text.strip(" |\n\t")) if blocks else None


def _issuer(chunks: list[Chunk], doc: DocumentInfo) -> tuple[Chunk, str] | None:
    if not doc.issuer:
        return None
    head = re.split(r" ve | khoa |,", fold(doc.issuer).lower())[0].strip()
    own_number = fold(doc.short).lower()
    kind = fold(doc.kind).lower()
    best: tuple[int, int, Chunk, str] | None = None
    for i, chunk in enumerate(_ordered(chunks)):
        signature = _signature(chunk)
        for span in _spans(chunk) if not signature else [chunk.text.strip()]:
            folded = " ".join(fold(span).lower().split())
            if head not in folded or not _own_line(span):
                continue
            score = 0
            if own_number and own_number in folded:
                score = 3  # "Kết luận số 69-KL/TW ngày 11/01/2024 của Bộ Chính trị …"
            elif kind and re.search(rf"\bban hanh {re.escape(kind)}\b", folded):
                score = 3  # "Ban Chỉ đạo Trung ương … ban hành Kế hoạch …"
            elif signature:
                score = 2  # "TM. CHÍNH PHỦ / …"
            elif chunk.kind == "title":
                score = 1  # a header line naming it ("HỘI NGHỊ LẦN THỨ SÁU BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHOÁ XI")
            if score and (best is None or (score, -i) > (best[0], best[1])):
                best = (score, -i, chunk, span)
    return None if best is None else (best[2], best[3])


def _effect(chunks: list[Chunk], doc: DocumentInfo) -> tuple[Chunk, str] | None:
    rules = load_rules("metadata")
    for chunk in chunks:
        for span in _spans(chunk):
            if rules.search("effect_clause", span):
                return chunk, span
    return None


def _number(chunks: list[Chunk], doc: DocumentInfo) -> tuple[Chunk, str] | None:
    own = fold(doc.short).lower()
    if not re.search(r"\d", own):
        return None
    for chunk in _ordered(chunks):
        for span in _spans(chunk):
            if own in fold(span).lower() and _own_line(span):
                return chunk, span
    return None
