"""Parse the structure of a Vietnamese administrative or legal document.

Recognized: Phần/Chương/Mục/Điều, Phụ lục, roman (I-, II.) and capital-letter (A-, B.)
headings, numbered items (1., 1-, 2.1-), (1), points a) … đ), dash and plus bullets,
footnotes [1], unnumbered titles, "Nơi nhận" and signature blocks, and tables (tab- or
pipe-separated, one node per row). Nesting is learnt from the order in which marker types
appear (a type already open becomes a sibling, a new one a child), which fits both the
Party's "A- / I- / 1-" documents and the Government's "I. / 1. / a)" programmes. The output
is a tree of ``Node`` with offsets into the normalized text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .normalize import NormalizedText

PROGRESS_EVERY = 2000  # lines between two progress reports
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

# (kind, regex) tried in order on a stripped line; group "m" is the marker, "rest" the text.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(r"^(?:PHẦN|Phần)\s+(?P<m>thứ\s+\w+|[IVXLC]+|\d+)\b[.:\-–]?\s*(?P<rest>.*)$")),
    ("chapter", re.compile(r"^(?:CHƯƠNG|Chương)\s+(?P<m>[IVXLC]+|\d+)\b[.:\-–]?\s*(?P<rest>.*)$")),
    ("section", re.compile(r"^(?:MỤC|Mục)\s+(?P<m>\d+|[IVX]+)\b[.:\-–]?\s*(?P<rest>.*)$")),
    ("article", re.compile(r"^Điều\s+(?P<m>\d+)\s*[.:]\s*(?P<rest>.*)$")),
    ("appendix", re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?P<m>[IVX]+|\d+))?\s*[.:]?\s*(?P<rest>)$")),
    ("roman", re.compile(r"^(?P<m>[IVX]{1,6})\s*[-.–]\s*(?P<rest>\S.*)$")),
    ("upper", re.compile(r"^(?P<m>[A-HK-UYZĐ])\s*[-.–]\s+(?P<rest>\S.*)$")),
    ("subnumber", re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2})+)\.?\s*[-.–)]?\s+(?P<rest>\S.*)$")),
    ("number", re.compile(r"^(?P<m>\d{1,2})(?:\s*[.\-–)]\s*|\.(?=[^\d\s]))(?P<rest>\S.*)$")),
    ("paren", re.compile(r"^\((?P<m>\d{1,2})\)\s*(?P<rest>\S.*)$")),
    ("letter", re.compile(r"^(?P<m>[a-zđ])\)\s*(?P<rest>\S.*)$")),
    ("bullet", re.compile(r"^(?P<m>[-+•–])\s+(?P<rest>\S.*)$")),
    ("footnote", re.compile(r"^\[(?P<m>\d{1,3})\]\s*(?P<rest>\S.*)$")),
]
_RECIPIENTS = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?$")
_SIGNATURE = re.compile(
    r"^(?:(?:TM|T/M|KT|TL|TUQ|Q)\.?\s+\S|\[?\(?(?:đã ký|Đã ký)\)?\]?$|(?:PHÓ\s+)?(?:CHỦ TỊCH|THỦ TƯỚNG|TRƯỞNG BAN|BỘ TRƯỞNG|TỔNG BÍ THƯ)$)"
)
_LEGAL_RANK = {"part": 0, "chapter": 1, "section": 2, "article": 3}
# Containers whose segment does not appear in their descendants' paths.
TRANSPARENT = {"title", "table"}
BOILERPLATE = {"recipients", "signature"}
# Kinds whose node may take a following unnumbered title line as its subtitle.
_HEADING_KINDS = {"title", "appendix", "roman", "upper", "part", "chapter", "section"}


@dataclass(eq=False)
class Node:
    """One structural unit. ``start:end`` is its own text (heading and own body)."""

    kind: str
    marker: str
    heading: str
    start: int
    end: int
    line: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    segment: str = ""
    indent: int = 0
    context: str = ""  # table header and enclosing rows, carried with a row
    # bookkeeping of the children's segments, so attaching a child costs O(1)
    _kinds: dict[str, int] = field(default_factory=dict, repr=False)
    _taken: set[str] = field(default_factory=set, repr=False)
    _suffix: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def type_key(self) -> tuple[str, ...]:
        level = str(min(self.indent, 12) // 2)
        if self.kind == "bullet":
            return ("bullet", self.marker, level)
        if self.kind == "subnumber":
            return ("subnumber", str(self.marker.count(".")), level)
        return (self.kind, level)

    @property
    def path(self) -> str:
        """Dotted path of segments, e.g. 'III.2.a' or 'PL1.I.3'."""
        parts: list[str] = []
        node: Node | None = self
        while node is not None and node.kind != "root":
            if node is self or node.kind not in TRANSPARENT:
                parts.append(node.segment)
            node = node.parent
        return ".".join(reversed(parts))

    @property
    def boilerplate(self) -> bool:
        node: Node | None = self
        while node is not None:
            if node.kind in BOILERPLATE:
                return True
            node = node.parent
        return False

    def ancestors(self) -> list[Node]:
        """From the outermost (below root) down to the parent."""
        out: list[Node] = []
        node = self.parent
        while node is not None and node.kind != "root":
            out.append(node)
            node = node.parent
        return list(reversed(out))

    def walk(self):
        """This node and all descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def roman_to_int(text: str) -> int:
    total = 0
    for a, b in zip(text, text[1:] + " "):
        value = _ROMAN[a]
        total += -value if b != " " and _ROMAN.get(b, 0) > value else value
    return total


def _is_title(stripped: str, flagged: bool) -> bool:
    """An unnumbered heading: marked as heading in the source, or an all-caps line."""
    if len(stripped) > 220 or stripped.endswith((".", ";", ",")):
        return False
    if flagged:
        return True
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 6 and len(stripped.split()) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.85


class _Parser:
    def __init__(self, norm: NormalizedText):
        self.text = norm.text
        self.flagged = norm.heading_lines
        self.root = Node("root", "", "", 0, 0, 0)
        self.stack: list[Node] = [self.root]

    # -- stack helpers ---------------------------------------------------------------
    @property
    def top(self) -> Node:
        return self.stack[-1]

    def pop_to_root(self) -> None:
        del self.stack[1:]

    def attach(self, node: Node) -> Node:
        parent = self.top
        _adopt(parent, node)
        self.stack.append(node)
        return node

    @staticmethod
    def _segment(parent: Node, node: Node) -> str:
        kind = node.kind
        nth = parent._kinds.get(kind, 0) + 1  # the node's rank among its parent's children of its kind
        if kind == "bullet":
            seg = f"-{nth}"
        elif kind == "paragraph":
            seg = f"p{nth}"
        elif kind in TRANSPARENT:
            seg = f"{'t' if kind == 'title' else 'bang'}{nth}"
        elif kind == "appendix":
            seg = "PL" + (str(roman_to_int(node.marker)) if node.marker.isalpha() else node.marker or "")
        elif kind == "article":
            seg = f"Đ{node.marker}"
        elif kind in ("part", "chapter", "section"):
            seg = {"part": "P", "chapter": "C", "section": "M"}[kind] + node.marker
        elif kind == "footnote":
            seg = f"fn{node.marker}"
        elif kind == "recipients":
            seg = "noi-nhan"
        elif kind == "signature":
            seg = "ky"
        elif kind == "subnumber":
            seg = node.marker.rsplit(".", 1)[-1]
        else:
            seg = node.marker
        # a repeated marker gets the first free "~n"; segments are never freed, so the search
        # resumes where it stopped last time (linear in the number of siblings overall)
        base, n = seg, parent._suffix.get(seg, 1)
        seg = base if n == 1 else f"{base}~{n}"
        while seg in parent._taken:
            n += 1
            seg = f"{base}~{n}"
        parent._suffix[base] = n
        return seg

    # -- lines -----------------------------------------------------------------------
    def parse(self, progress=None) -> Node:
        offsets = []
        pos = 0
        lines = self.text.split("\n")
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 1
        i = 0
        next_report = PROGRESS_EVERY
        while i < len(lines):
            if progress is not None and i >= next_report:
                progress(i / len(lines))
                next_report = i + PROGRESS_EVERY
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                i += 1
                continue
            start = offsets[i] + (len(line) - len(line.lstrip()))
            end = offsets[i] + len(line.rstrip())
            if "\t" in line or (stripped.startswith("|") and stripped.count("|") >= 2):
                j = i
                sep = "\t" if "\t" in line else "|"
                while (
                    j < len(lines)
                    and lines[j].strip()
                    and (sep in lines[j])
                    and (sep == "\t" or lines[j].strip().startswith("|"))
                ):
                    j += 1
                self.table(lines[i:j], offsets[i:j], sep, i)
                i = j
                continue
            self.line(stripped, start, end, i, len(line) - len(line.lstrip()))
            i += 1
        self.root.end = len(self.text)
        return self.root

    def line(self, s: str, start: int, end: int, lineno: int, indent: int) -> None:
        if _RECIPIENTS.match(s):
            self.pop_to_root()
            self.attach(Node("recipients", "", s, start, end, lineno))
            return
        if _SIGNATURE.match(s):
            if self.top.boilerplate:
                self.paragraph(s, start, end, lineno)
            else:
                self.pop_to_root()
                self.attach(Node("signature", "", s, start, end, lineno))
            return
        for kind, rx in _MARKERS:
            m = rx.match(s)
            if m:
                self.marker(kind, m.group("m") or "", s, start, end, lineno, indent)
                return
        if _is_title(s, lineno in self.flagged):
            self.title(s, start, end, lineno)
        else:
            self.paragraph(s, start, end, lineno)

    def marker(self, kind: str, mark: str, s: str, start: int, end: int, lineno: int, indent: int) -> None:
        node = Node(kind, mark, s, start, end, lineno, indent=indent)
        while self.top.kind == "paragraph":
            self.stack.pop()
        if self.top.boilerplate and kind not in ("bullet",):
            self.pop_to_root()
        if kind == "appendix":
            self.pop_to_root()
        elif kind in _LEGAL_RANK:
            rank = _LEGAL_RANK[kind]
            while len(self.stack) > 1 and (
                self.top.kind not in _LEGAL_RANK
                and self.top.kind != "title"
                or _LEGAL_RANK.get(self.top.kind, -1) >= rank
            ):
                self.stack.pop()
        elif kind == "footnote":
            while len(self.stack) > 1 and self.top.kind not in ("footnote", "appendix"):
                self.stack.pop()
            if self.top.kind == "footnote":
                self.stack.pop()
        else:
            key = node.type_key
            for depth in range(len(self.stack) - 1, 0, -1):
                if self.stack[depth].type_key == key:
                    del self.stack[depth:]
                    break
        self.attach(node)

    def title(self, s: str, start: int, end: int, lineno: int) -> None:
        top = self.top
        if top.kind in _HEADING_KINDS and not top.children:
            top.end = end  # a subtitle right under a heading stays in the heading's text
            return
        self.pop_to_root()
        self.attach(Node("title", "", s, start, end, lineno))

    def paragraph(self, s: str, start: int, end: int, lineno: int) -> None:
        while self.top.kind == "bullet" and len(self.stack) > 1:
            self.stack.pop()
        top = self.top
        if top.kind != "root" and not top.children:
            top.end = end
            return
        # stays on the stack, so the following paragraphs join it
        self.attach(Node("paragraph", "", s, start, end, lineno))

    def table(self, rows: list[str], offsets: list[int], sep: str, lineno: int) -> None:
        cells = [_cells(r, sep) for r in rows]
        flat = [c for row in cells for c in row]
        if sep == "|" and any(_SIGNATURE.match(c) or _RECIPIENTS.match(c) for c in flat):
            # a layout table holding a signature block or a recipient list
            self.pop_to_root()
            kind = "recipients" if any(_RECIPIENTS.match(c) for c in flat) else "signature"
            self.attach(Node(kind, "", rows[0].strip(), offsets[0], offsets[0], lineno))
        elif self.top.boilerplate:
            self.pop_to_root()
        while self.top.kind in ("paragraph", "bullet") and len(self.stack) > 1:
            self.stack.pop()
        has_header = sep == "\t" or len(rows) >= 3
        first = 1 if has_header else 0
        header = " | ".join(c for c in cells[0] if c) if has_header else ""
        table = self.attach(Node("table", "", rows[0].strip(), offsets[0], offsets[0] + len(rows[0].rstrip()), lineno))
        self.stack.pop()
        group: Node | None = None
        last_numbered: Node | None = None
        for k in range(first, len(rows)):
            row, row_cells = rows[k], cells[k]
            start = offsets[k] + (len(row) - len(row.lstrip()))
            node = Node("row", "", row.strip(), start, offsets[k] + len(row.rstrip()), lineno + k)
            lead = row_cells[0] if row_cells else ""
            rest_empty = not any(row_cells[2:])
            if sep == "\t" and re.fullmatch(r"[IVX]+", lead) and rest_empty:
                node.kind, node.marker, parent = "group", lead, table
                group, last_numbered = node, None
            elif sep == "\t" and not lead and last_numbered is not None:
                node.marker = str(len(last_numbered.children) + 1)
                parent = last_numbered
            else:
                node.marker = lead if sep == "\t" and re.fullmatch(r"\d{1,3}", lead) else f"r{k - first + 1}"
                parent = group or table
                last_numbered = node
            _adopt(parent, node)
            context = [header] if header else []
            for anc in reversed([n for n in _chain(parent) if n.kind in ("group", "row")]):
                context.append(" ".join(c for c in _cells(anc.heading, sep) if c))
            node.context = " › ".join(context)


def _adopt(parent: Node, node: Node) -> None:
    """Make node the last child of parent, with its segment."""
    node.parent = parent
    node.segment = _Parser._segment(parent, node)
    parent.children.append(node)
    parent._kinds[node.kind] = parent._kinds.get(node.kind, 0) + 1
    parent._taken.add(node.segment)


def _chain(node: Node):
    while node is not None and node.kind not in ("table", "root"):
        yield node
        node = node.parent


def _cells(row: str, sep: str) -> list[str]:
    parts = row.split(sep)
    if sep == "|":
        parts = parts[1:-1] if row.strip().endswith("|") else parts[1:]
    return [p.strip() for p in parts]


def parse(norm: NormalizedText, progress: Callable[[float], None] | None = None) -> Node:
    """Parse normalized text into a tree rooted at a 'root' node, in time linear in its
    length; progress receives the share of lines done, now and then."""
    return _Parser(norm).parse(progress)
