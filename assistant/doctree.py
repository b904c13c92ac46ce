"""The document tree of an index generation: the parent and children of every clause
(from the chunk table), and how a clause reads as an item of a list: its heading words,
its title, whether its heading is about a noun ("NHIỆM VỤ CỤ THỂ" is about nhiệm vụ).
Used by the list and count answers (assistant/tree.py) and the abstention step (a numbered
part the texts do not have)."""

from __future__ import annotations

import re

from retrieval.regex_cache import compiled
from retrieval.rules import load_rules
from retrieval.store import ChunkTable
from retrieval.structure import roman_to_int
from retrieval.text import fold, fold_aligned, sentence_spans
from retrieval.types import Chunk

_ITEM_MARKER = re.compile(  # ("2- Mục tiêu cụ thể": a number with a dash, as Nghị quyết 20 numbers its points)
    r"^(?:[-+•–]\s+|[a-zđ]\)\s*|\(\d{1,2}\)\s*|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s+|\d{1,2}\s*-\s+|[IVX]{1,5}\s*[-.]\s+|[A-ZĐ]\s*-\s+)"
)
NUMBERED_NOUN = re.compile(r"^(\w+(?:\s+\w+)?)\s+(\d{1,3})\b")
_TITLE_CUT = re.compile(r"\s+[-–]\s+")
TITLE_CHARS = 220
SHORT_LIST_CHARS = 400  # an item of a short list (SHORT_LIST items or fewer) is shown up to this long
SHORT_LIST = 5
NAME_DASH_WORDS = 3  # a dash this few words before the colon ending a title joins two words of its name
SECTION_KINDS = ("roman", "upper", "article", "appendix", "group")  # what a document's main parts are
GROUP_KINDS = ("number", "roman", "upper", "group")  # numbered items that can be a list's groups
LISTED_BOILERPLATE = ("recipients",)  # boilerplate whose items are asked for ("Nơi nhận gồm những ai")


class DocumentTree:
    """Parent and children of the clauses of one index generation."""

    def __init__(self, table: ChunkTable):
        self.table = table
        self.by_id = table.by_id
        self._docs: dict[str, list[Chunk]] = {}
        self._words: dict[str, list[str]] = {}
        self._numbered: dict[str, dict[str, list[Chunk]]] = {}
        self._heads: dict[str, list[tuple[Chunk, list[Chunk]]]] = {}
        self._labels: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._parts: dict[str, list[Chunk]] = {}
        self._places: dict[str, tuple[str, ...]] = {}

    def folded(self, chunk: Chunk) -> str:
        """The chunk's text folded, offsets kept."""
        got = self._folded.get(chunk.id)
        if got is None:
            got = self._folded[chunk.id] = fold_aligned(chunk.text)
        return got

    def words(self, chunk: Chunk) -> list[str]:
        """The folded words of an item's first line, its list marker left out."""
        got = self._words.get(chunk.id)
        if got is None:
            got = self._words[chunk.id] = re.findall(r"\w+", fold(item_body(chunk)[1] + appendix_title(chunk)))
        return got

    def numbered(self, doc_id: str) -> dict[str, list[Chunk]]:
        """The clauses of a document that start "Noun N" ("Sáng kiến 4: …"), by noun."""
        if doc_id not in self._numbered:
            found: dict[str, list[Chunk]] = {}
            for c in self.of_document(doc_id):
                if c.part > 1:
                    continue
                w = self.words(c)
                for size in (1, 2):  # "Sáng kiến 4", "Hệ thống 6"; not "Giai đoạn 2025 - 2027" (a period)
                    if len(w) > size and w[size].isdigit() and len(w[size]) <= 3:
                        found.setdefault(" ".join(w[:size]), []).append(c)
            self._numbered[doc_id] = found
        return self._numbered[doc_id]

    def heads(self, doc_id: str) -> list[tuple[Chunk, list[Chunk]]]:
        """The headings of a document that have at least two items, with their items (the
        recipient list "Nơi nhận:" is one; a signature block is not)."""
        if doc_id not in self._heads:
            self._heads[doc_id] = [
                (c, kids)
                for c in self.of_document(doc_id)
                if c.part <= 1
                and (not c.boilerplate or c.kind in LISTED_BOILERPLATE)
                and len(kids := self.children(c)) >= 2
            ]
        return self._heads[doc_id]

    def children(self, chunk: Chunk) -> list[Chunk]:
        """Its items in document order (a long item split in parts counts once; a paragraph
        between or after the items is not one of them)."""
        kids = sorted((c for c in self.table.children.get(chunk.id, []) if c.part <= 1), key=lambda c: c.order)
        items = [c for c in kids if c.kind not in ("paragraph", "footnote")]
        return items if len(items) >= 2 else kids

    def parent(self, chunk: Chunk) -> Chunk | None:
        return self.by_id.get(chunk.parent_id) if chunk.parent_id else None

    def ancestors(self, chunk: Chunk) -> list[Chunk]:
        out, seen = [], {chunk.id}
        node = self.parent(chunk)
        while node is not None and node.id not in seen:
            out.append(node)
            seen.add(node.id)
            node = self.parent(node)
        return out

    def descendants(self, chunk: Chunk, limit: int = 2000) -> list[Chunk]:
        out: list[Chunk] = []
        stack = list(reversed(self.children(chunk)))
        while stack and len(out) < limit:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.children(node)))
        return out

    def outline(self, doc_id: str) -> list[Chunk]:
        """A document's main parts: the section headings under its title blocks, then its
        appendices ("I- QUAN ĐIỂM CHỈ ĐẠO" … "IV- TỔ CHỨC THỰC HIỆN"; "PHỤ LỤC I")."""
        tops = [c for c in self.of_document(doc_id) if not c.parent_id and c.part <= 1 and not c.boilerplate]
        out = [k for t in tops if t.kind == "title" for k in self.children(t) if k.kind in SECTION_KINDS]
        if not out:  # a text without sections (Kết luận 69): its numbered points are its parts
            out = [k for t in tops if t.kind == "title" for k in self.children(t) if k.kind == "number"]
        return out + [t for t in tops if t.kind == "appendix"]

    def has_part(self, part: str, docs: list[str]) -> bool:
        """A numbered part ("phu luc iii", "sang kien 31", folded) is named by a clause's
        label or heading in those documents (all documents when none is given). perf (issue
        13): each answer is kept with the tree (one index generation): the scan reads every
        clause of the documents."""
        memo: dict[tuple[str, tuple[str, ...]], bool] = self.__dict__.setdefault("_has_part_memo", {})
        key = (part, tuple(docs))
        got = memo.get(key)
        if got is None:
            if len(memo) >= 65536:  # the keys come from questions: full, it starts over
                memo.clear()
            got = memo[key] = self._has_part(part, docs)
        return got

    def _has_part(self, part: str, docs: list[str]) -> bool:
        pattern = compiled(rf"\b{re.escape(part)}\b")  # perf (issue 13): kept across questions
        noun, _, number = part.rpartition(" ")
        group = noun in load_rules("answers").word_set("group_nouns") and number.isdigit()
        # "giai đoạn 2" is also the second of the items "1. Giai đoạn 2025 - 2027", "2. Giai đoạn 2028 - 2030"
        nth = (
            re.compile(rf"^0*{re.escape(number)}\s*[.)-]\s*{re.escape(noun)}\b") if number.isdigit() and noun else None
        )
        for doc in docs or self.documents():
            for c in self.of_document(doc):
                if pattern.search(self._label(c)):
                    return True
                if nth is not None and c.part <= 1 and nth.match(fold(first_line(c))):
                    return True
            # "nhóm 5" is how people name the fifth numbered group of a list ("5. Chuyển đổi số …"
            # under "II. NHIỆM VỤ CỤ THỂ"); the text itself never writes "nhóm 5"
            if group and any(self.group_of(kids, int(number)) is not None for _, kids in self.heads(doc)):
                return True
        return False

    def group_of(self, kids: list[Chunk], number: int) -> Chunk | None:
        """The number-th of a heading's items when they are groups: numbered items that
        each hold items of their own ("nhóm 5" of "II. NHIỆM VỤ CỤ THỂ" is "5. Chuyển đổi số …")."""
        if not 1 <= number <= len(kids) or any(k.kind not in GROUP_KINDS for k in kids):
            return None
        group = kids[number - 1]
        return group if len(self.children(group)) >= 2 else None

    def _label(self, chunk: Chunk) -> str:
        got = self._labels.get(chunk.id)
        if got is None:
            got = self._labels[chunk.id] = fold(f"{chunk.label} {first_line(chunk)}")
        return got

    def place(self, chunk: Chunk) -> tuple[str, ...]:
        """The parts of a clause's label after its document's name, folded, largest first
        ("…, Mục II, điểm 1 (phần 1/2)" → ("muc ii", "diem 1"))."""
        got = self._places.get(chunk.id)
        if got is None:
            label = re.sub(r"\s*\(phần \d+/\d+\)$", "", chunk.label)
            got = self._places[chunk.id] = tuple(fold(p).strip() for p in label.split(",")[1:] if p.strip())
        return got

    def named_places(self, doc_id: str, asked: set[str]) -> list[Chunk]:
        """The clauses of a document that a question names by their place (asked: folded
        parts, "muc iii", "diem 2"): every asked part in the clause's label, its own part
        (the last) among them; of those, the ones with the fewest other parts ("Mục III" is
        the body's Mục III, not Phụ lục I's)."""
        asked = {arabic_place(a) for a in asked}  # "Phụ lục 1", "mục 2": Phụ lục I, Mục II
        found = [
            c
            for c in self.of_document(doc_id)
            if c.part <= 1
            and (p := tuple(arabic_place(x) for x in self.place(c)))
            and p[-1] in asked
            and asked <= set(p)
        ]
        fewest = min((len(self.place(c)) for c in found), default=0)
        return [c for c in found if len(self.place(c)) == fewest]

    def documents(self) -> list[str]:
        return list(dict.fromkeys(c.doc_id for c in self.table.chunks))

    def parts(self, chunk: Chunk) -> list[Chunk]:
        """The chunk and the later parts of the same clause (a long clause split in parts)."""
        if not chunk.part:
            return [chunk]
        got = self._parts.get(chunk.id)
        if got is None:  # (kept: read for each heading's lead-in and count sentence)
            got = self._parts[chunk.id] = [
                c for c in self.of_document(chunk.doc_id) if c.path == chunk.path and c.part >= chunk.part
            ]
        return got

    def of_document(self, doc_id: str) -> list[Chunk]:
        if doc_id not in self._docs:
            self._docs[doc_id] = sorted(self.table.of_document(doc_id), key=lambda c: c.order)
        return self._docs[doc_id]


_APPENDIX_LINE = re.compile(r"(?i)phụ lục\s+[ivx\d]{1,5}\.?")


def appendix_title(chunk: Chunk) -> str:
    """The title line of an appendix headed by its number alone ("Phụ lục I" over "Danh
    mục các chỉ tiêu cụ thể"), with a space before it; "" for any other clause."""
    if chunk.kind != "appendix":
        return ""
    lines = [ln.strip() for ln in chunk.text.split("\n") if ln.strip()]
    if len(lines) < 2 or not _APPENDIX_LINE.fullmatch(lines[0]) or lines[1].startswith("("):
        return ""
    return " " + lines[1]


def first_line(chunk: Chunk) -> str:
    return chunk.text.split("\n", 1)[0].strip()


def item_body(chunk: Chunk) -> tuple[int, str]:
    """Offset and text of an item's first line without its list marker."""
    line = chunk.text.split("\n", 1)[0]
    lead = len(line) - len(line.lstrip())
    m = _ITEM_MARKER.match(line.lstrip())
    start = lead + (m.end() if m else 0)
    return start, line[start:].rstrip()


def _title_dash(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first dash between a title and its text ("Bán dẫn và vật liệu tiên tiến - Tập
    trung …"): one before a capital; a dash before a small letter joins two words of a name
    ("hợp tác dân sự - quốc phòng", "kinh tế - xã hội")."""
    for m in _TITLE_CUT.finditer(text, start, end):
        if m.end() < len(text) and text[m.end()].isupper():
            return m
    return None


ROMAN_KINDS = ("phu luc", "muc", "phan")  # the parts numbered I, II, III … in the documents' labels


def arabic_place(part: str) -> str:
    """A folded place part with its Roman number as a number ("phu luc ii" → "phu luc 2"), for
    the parts the documents number so; any other part as it is ("tiet i", "diem 3")."""
    kind, _, value = part.rpartition(" ")
    if kind not in ROMAN_KINDS or not value or set(value) - set("ivx"):
        return part
    return f"{kind} {roman_to_int(value.upper())}"


def heads_with(words: list[str], noun: str, member: bool = False) -> bool:
    """A heading (its folded words) is about the noun: it starts with it ("NHIỆM VỤ CỤ
    THỂ", "c) Sáng kiến đột phá") or lists it ("DANH SÁCH … CÁC SÁNG KIẾN"), rather than
    merely naming it ("KHUNG ĐỀ XUẤT SÁNG KIẾN": a template). A heading numbering the noun
    ("Sáng kiến 4: …", "Giai đoạn 2025 - 2027") is one of them: about the noun as a member
    (member=True), not as the heading of their list."""
    n = noun.split()
    if not n or n[0] not in words[:20]:
        return False
    size = len(n)
    words = words[:20]
    hits = [i for i in range(len(words) - size + 1) if words[i] == n[0] and words[i : i + size] == n]
    if not hits:
        return False
    if not member and any(i + size < len(words) and words[i + size].isdigit() for i in hits):
        return False  # "… (Hệ thống 3)", "Sáng kiến 4: …", "Giai đoạn 2025 - 2027": one of them, not their list
    if hits[0] == 0:
        return True
    if any(i <= AND_HEAD and words[i - 1] == "va" for i in hits):
        return True  # "Đột phá và lý do …", "NHIỆM VỤ VÀ GIẢI PHÁP": the second of two head nouns
    return any(i <= 8 and (words[i - 1] in _LISTING or words[max(0, i - 2) : i] == ["danh", "sach"]) for i in hits)


_LISTING = {"cac", "nhung", "nhom"}
AND_HEAD = 3  # a noun after "và" this early in a heading is one of its head nouns (a first one of two syllables)


def title_span(chunk: Chunk, limit: int = TITLE_CHARS) -> tuple[int, int]:
    """The span of an item as a list shows it: its first line, its marker kept, cut to
    the title when long ("Sáng kiến 4: Bán dẫn và vật liệu tiên tiến - Tập trung …" →
    "Sáng kiến 4: Bán dẫn và vật liệu tiên tiến"); an item with no title (one sentence)
    to its first sentence, then to a clause boundary, within limit characters."""
    line = chunk.text.split("\n", 1)[0]
    start = len(line) - len(line.lstrip(" |"))  # (a pipe table's bar is no part of it: "|   Nơi nhận:")
    body_start, body = item_body(chunk)
    m = NUMBERED_NOUN.match(body)
    if (m and re.match(r"\d", line.lstrip())) or re.match(r"[-+•–]\s", line.lstrip()):
        start = body_start  # "4. Sáng kiến 4: …": the number once; a dash is the list's own bullet
    end = len(line.rstrip(" |")) if len(line.rstrip(" |")) > start else len(line.rstrip())
    if end - body_start > TITLE_CHARS // 2:
        cut = _TITLE_CUT.search(chunk.text, body_start + 12, end)
        colon = chunk.text.find(": ", body_start + 15, min(end, body_start + 80))
        if cut and colon > cut.end() and len(chunk.text[cut.end() : colon].split()) <= NAME_DASH_WORDS:
            end = colon  # "Nâng cao năng lực an ninh - quốc phòng: Đạt …": the dash is inside the name
        elif (cut := _title_dash(chunk.text, body_start + 12, end)) and cut.start() - body_start >= 12:
            end = cut.start()
        elif colon > 0 and end - body_start > 160 and not NUMBERED_NOUN.match(chunk.text[body_start:colon] + " 0"):
            end = colon  # "Thứ ba, chỉ số đo lường hệ thống (KPIs): Là các chỉ số …"
    if end - start > limit:
        spans = sentence_spans(chunk.text, body_start, end)
        end = spans[0][1] if spans else end
        if end - start > limit:  # one long sentence: up to a clause boundary
            window = chunk.text[start : start + limit]
            stop = max(window.rfind(";"), window.rfind(","))
            end = start + (stop if stop > limit // 3 else len(window.rstrip()))
    return start, end
