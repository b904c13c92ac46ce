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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

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
# (also as the first cell of a pipe table a converter broke over lines: "|   *Nơi nhận:*")
_RECIPIENTS = re.compile(r"^(?:\|\s*)?(?:Nơi nhận|NƠI NHẬN)\s*:?(?:\s*\|)?$")
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

    def walk(self) -> Iterator[Node]:
        """This node and all descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def roman_to_int(text: str) -> int:
    """The value of a roman numeral (I, IV, XII …)."""
    total = 0
    for a, b in zip(text, text[1:] + " "):
        value = _ROMAN[a]
        total += -value if b != " " and _ROMAN.get(b, 0) > value else value
    return total


# -- lines: what a single line is -------------------------------------------------------


class _Line(NamedTuple):
    """One non-blank, non-table line: its stripped text, offsets into the text, number, indent."""

    text: str
    start: int
    end: int
    lineno: int
    indent: int


def _is_title(stripped: str, flagged: bool) -> bool:
    """An unnumbered heading: marked as heading in the source, or an all-caps line."""
    if len(stripped) > 220 or stripped.endswith((".", ";", ",")):
        return False
    if flagged:
        return True
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 6 and len(stripped.split()) >= 2 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _numbering(stripped: str) -> tuple[str, str] | None:
    """(kind, marker) of the first numbering pattern the line starts with, if any."""
    for kind, rx in _MARKERS:
        m = rx.match(stripped)
        if m:
            return kind, m.group("m") or ""
    return None


def _line_starts(lines: list[str]) -> list[int]:
    """The offset of each line in the text the lines were split from."""
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


def _table_separator(line: str, stripped: str) -> str | None:
    """The cell separator when the line opens a table: a tab, or '|' with two bars or more."""
    if "\t" in line:
        return "\t"
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return "|"
    return None


def _table_end(lines: list[str], i: int, sep: str) -> int:
    """Index just past the table that starts at line i: the run of non-blank lines that
    hold the separator (each starting with '|' in a pipe table)."""
    j = i
    while j < len(lines) and lines[j].strip() and sep in lines[j] and (sep == "\t" or lines[j].strip().startswith("|")):
        j += 1
    return j


# -- segments: each node's step in the dotted path --------------------------------------

_LEGAL_LETTER = {"part": "P", "chapter": "C", "section": "M"}
_FIXED_SEGMENT = {"recipients": "noi-nhan", "signature": "ky"}


def _base_segment(parent: Node, node: Node) -> str:
    """The node's segment before it is made unique among its siblings: from its marker, or
    for unnumbered kinds its rank among its parent's children of that kind."""
    kind = node.kind
    nth = parent._kinds.get(kind, 0) + 1
    if kind == "bullet":
        return f"-{nth}"
    if kind == "paragraph":
        return f"p{nth}"
    if kind in TRANSPARENT:
        return f"{'t' if kind == 'title' else 'bang'}{nth}"
    if kind == "appendix":
        return "PL" + (str(roman_to_int(node.marker)) if node.marker.isalpha() else node.marker or "")
    if kind == "article":
        return f"Đ{node.marker}"
    if kind in _LEGAL_LETTER:
        return _LEGAL_LETTER[kind] + node.marker
    if kind == "footnote":
        return f"fn{node.marker}"
    if kind in _FIXED_SEGMENT:
        return _FIXED_SEGMENT[kind]
    if kind == "subnumber":
        return node.marker.rsplit(".", 1)[-1]
    return node.marker


def _unique_segment(parent: Node, base: str) -> str:
    """base, or base~n with the first free n when a sibling already holds it. Segments are
    never freed, so the search resumes where it stopped last time (linear in the number of
    siblings overall)."""
    n = parent._suffix.get(base, 1)
    seg = base if n == 1 else f"{base}~{n}"
    while seg in parent._taken:
        n += 1
        seg = f"{base}~{n}"
    parent._suffix[base] = n
    return seg


def _adopt(parent: Node, node: Node) -> None:
    """Make node the last child of parent, with its segment."""
    node.parent = parent
    node.segment = _unique_segment(parent, _base_segment(parent, node))
    parent.children.append(node)
    parent._kinds[node.kind] = parent._kinds.get(node.kind, 0) + 1
    parent._taken.add(node.segment)


# -- tables: one node per row, under roman group rows and numbered rows -----------------


def _cells(row: str, sep: str) -> list[str]:
    """The stripped cells of a row (a pipe row's outer bars dropped)."""
    parts = row.split(sep)
    if sep == "|":
        parts = parts[1:-1] if row.strip().endswith("|") else parts[1:]
    return [p.strip() for p in parts]


def _layout_block(cells: list[list[str]]) -> str | None:
    """'recipients' or 'signature' when a pipe table lays out such a block, else None."""
    flat = [c for row in cells for c in row]
    if any(_RECIPIENTS.match(c) for c in flat):
        return "recipients"
    if any(_SIGNATURE.match(c) for c in flat):
        return "signature"
    return None


def _fill_table(table: Node, rows: list[str], cells: list[list[str]], offsets: list[int], sep: str) -> None:
    """Give the table one child per row below its header. In a tab table a row whose first
    cell is a roman numeral (and nothing after its second cell) opens a group, and a row
    with an empty first cell continues the last numbered row, as its child."""
    has_header = sep == "\t" or len(rows) >= 3
    first = 1 if has_header else 0
    header = " | ".join(c for c in cells[0] if c) if has_header else ""
    group: Node | None = None
    last_numbered: Node | None = None
    for k in range(first, len(rows)):
        row, row_cells = rows[k], cells[k]
        start = offsets[k] + (len(row) - len(row.lstrip()))
        node = Node("row", "", row.strip(), start, offsets[k] + len(row.rstrip()), table.line + k)
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
        node.context = _row_context(header, parent, sep)


def _row_context(header: str, parent: Node, sep: str) -> str:
    """The table header and the text of the rows that enclose a row, outermost first."""
    context = [header] if header else []
    for anc in reversed([n for n in _chain(parent) if n.kind in ("group", "row")]):
        context.append(" ".join(c for c in _cells(anc.heading, sep) if c))
    return " › ".join(context)


def _chain(node: Node | None) -> Iterator[Node]:
    """node and its ancestors, up to (not including) the table or the root."""
    while node is not None and node.kind not in ("table", "root"):
        yield node
        node = node.parent


# -- the parser: nesting by a stack of open nodes ---------------------------------------


class _Parser:
    """Reads the lines once, keeping the open nodes on a stack (the root at the bottom):
    each new node first closes what it cannot nest in, then is attached to the top."""

    def __init__(self, norm: NormalizedText):
        self.text = norm.text
        self.flagged = norm.heading_lines
        self.root = Node("root", "", "", 0, 0, 0)
        self.stack: list[Node] = [self.root]

    # -- stack helpers -----------------------------------------------------------------
    @property
    def top(self) -> Node:
        return self.stack[-1]

    def pop_to_root(self) -> None:
        del self.stack[1:]

    def pop_while(self, kinds: tuple[str, ...]) -> None:
        """Close the open nodes of these kinds on top of the stack (never the root)."""
        while self.top.kind in kinds and len(self.stack) > 1:
            self.stack.pop()

    def attach(self, node: Node) -> Node:
        _adopt(self.top, node)
        self.stack.append(node)
        return node

    # -- lines -------------------------------------------------------------------------
    def parse(self, progress: Callable[[float], None] | None = None) -> Node:
        lines = self.text.split("\n")
        offsets = _line_starts(lines)
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
            sep = _table_separator(line, stripped)
            if sep is not None:
                j = _table_end(lines, i, sep)
                self.table(lines[i:j], offsets[i:j], sep, i)
                i = j
                continue
            indent = len(line) - len(line.lstrip())
            self.line(_Line(stripped, offsets[i] + indent, offsets[i] + len(line.rstrip()), i, indent))
            i += 1
        self.root.end = len(self.text)
        return self.root

    def line(self, ln: _Line) -> None:
        """Place one line: boilerplate, a numbered line, a title or body text."""
        if _RECIPIENTS.match(ln.text):
            self.recipients(ln)
        elif _SIGNATURE.match(ln.text):
            self.signature(ln)
        elif (numbered := _numbering(ln.text)) is not None:
            self.numbered(numbered[0], numbered[1], ln)
        elif _is_title(ln.text, ln.lineno in self.flagged):
            self.title(ln)
        else:
            self.paragraph(ln)

    # -- boilerplate: the recipient list and the signature block ------------------------
    def recipients(self, ln: _Line) -> None:
        """'Nơi nhận:' opens the recipient list, at the top level."""
        self.pop_to_root()
        self.attach(Node("recipients", "", ln.text, ln.start, ln.end, ln.lineno))

    def signature(self, ln: _Line) -> None:
        """A signature line opens a signature block, unless a block is already open."""
        if self.top.boilerplate:
            self.paragraph(ln)
        else:
            self.pop_to_root()
            self.attach(Node("signature", "", ln.text, ln.start, ln.end, ln.lineno))

    # -- numbered headings and items ----------------------------------------------------
    def numbered(self, kind: str, mark: str, ln: _Line) -> None:
        """A numbered line: close what it cannot nest in, then attach it."""
        node = Node(kind, mark, ln.text, ln.start, ln.end, ln.lineno, indent=ln.indent)
        while self.top.kind == "paragraph":
            self.stack.pop()
        if self.top.boilerplate and kind != "bullet":
            self.pop_to_root()
        if kind == "appendix":
            self.pop_to_root()
        elif kind in _LEGAL_RANK:
            self.close_for_legal(_LEGAL_RANK[kind])
        elif kind == "footnote":
            self.close_for_footnote()
        else:
            self.close_same_type(node.type_key)
        self.attach(node)

    def close_for_legal(self, rank: int) -> None:
        """Phần/Chương/Mục/Điều nest only in a title or a legal unit of a higher rank."""
        while len(self.stack) > 1 and (
            self.top.kind not in _LEGAL_RANK and self.top.kind != "title" or _LEGAL_RANK.get(self.top.kind, -1) >= rank
        ):
            self.stack.pop()

    def close_for_footnote(self) -> None:
        """Footnotes sit at the top level (or in an appendix), one after another."""
        while len(self.stack) > 1 and self.top.kind not in ("footnote", "appendix"):
            self.stack.pop()
        if self.top.kind == "footnote":
            self.stack.pop()

    def close_same_type(self, key: tuple[str, ...]) -> None:
        """Nesting learnt from the order of marker types: an open node of the same type
        (and indent level) becomes a sibling, so it and everything above it close."""
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].type_key == key:
                del self.stack[depth:]
                break

    # -- unnumbered lines ----------------------------------------------------------------
    def title(self, ln: _Line) -> None:
        """An unnumbered heading: the subtitle of a fresh heading, or a new top-level title."""
        top = self.top
        if top.kind in _HEADING_KINDS and not top.children:
            top.end = ln.end  # a subtitle right under a heading stays in the heading's text
            return
        self.pop_to_root()
        self.attach(Node("title", "", ln.text, ln.start, ln.end, ln.lineno))

    def paragraph(self, ln: _Line) -> None:
        """Body text: extends a childless open node's text, or else opens a paragraph."""
        self.pop_while(("bullet",))
        top = self.top
        if top.kind != "root" and not top.children:
            top.end = ln.end
            return
        # stays on the stack, so the following paragraphs join it
        self.attach(Node("paragraph", "", ln.text, ln.start, ln.end, ln.lineno))

    # -- tables --------------------------------------------------------------------------
    def table(self, rows: list[str], offsets: list[int], sep: str, lineno: int) -> None:
        """A table block: a node for it (open paragraphs and bullets close) and one per row.
        A pipe table that lays out a signature or recipient list opens that block first."""
        cells = [_cells(r, sep) for r in rows]
        layout = _layout_block(cells) if sep == "|" else None
        if layout is not None:
            self.pop_to_root()
            self.attach(Node(layout, "", rows[0].strip(), offsets[0], offsets[0], lineno))
        elif self.top.boilerplate:
            self.pop_to_root()
        self.pop_while(("paragraph", "bullet"))
        table = self.attach(Node("table", "", rows[0].strip(), offsets[0], offsets[0] + len(rows[0].rstrip()), lineno))
        self.stack.pop()
        _fill_table(table, rows, cells, offsets, sep)


def parse(norm: NormalizedText, progress: Callable[[float], None] | None = None) -> Node:
    """Parse normalized text into a tree rooted at a 'root' node, in time linear in its
    length; progress receives the share of lines done, now and then."""
    return _Parser(norm).parse(progress)
