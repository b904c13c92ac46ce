"""Property-based tests (hypothesis) of the structure parser: whatever lines a document
holds (headings of every kind, numbered items, bullets, footnotes, boilerplate, tab and
pipe tables, blank lines, indents), the tree accounts for every line, keeps document
order, gives siblings distinct segments and builds each path from them.

Deterministic and bounded (derandomize, no deadline), so it does not flake on a busy machine.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.normalize import NormalizedText
from retrieval.structure import TRANSPARENT, Node, parse

MARKERS = [
    "PHẦN I",
    "Phần thứ hai",
    "Chương II",
    "Mục 1",
    "Điều 4.",
    "PHỤ LỤC",
    "Phụ lục II",
    "I-",
    "II.",
    "A-",
    "B.",
    "1.",
    "2-",
    "1.2-",
    "(1)",
    "a)",
    "đ)",
    "-",
    "+",
    "[1]",
    "Nơi nhận:",
    "TM. BAN CHẤP HÀNH",
    "(đã ký)",
    "THỦ TƯỚNG",
    "",
]
WORDS = ["MỤC TIÊU CHUNG", "Nhiệm vụ", "phát triển khoa học", "công nghệ.", "đổi mới sáng tạo;", "năm 2030", "30% GDP"]
TABLE_ROWS = ["I\tNhiệm vụ\t\t", "1\tViệc\tBộ\t2025", "\tphụ\tx\t", "TT\tNội dung\tCơ quan", "| a | b |", "| 1 | x |"]
KINDS = {
    "root",
    "part",
    "chapter",
    "section",
    "article",
    "appendix",
    "roman",
    "upper",
    "subnumber",
    "number",
    "paren",
    "letter",
    "bullet",
    "footnote",
    "title",
    "paragraph",
    "recipients",
    "signature",
    "table",
    "group",
    "row",
}

line = st.one_of(
    st.builds(
        lambda indent, marker, words: indent + " ".join(x for x in (marker, *words) if x),
        st.sampled_from(["", "", "  ", "    ", "        "]),
        st.sampled_from(MARKERS),
        st.lists(st.sampled_from(WORDS), max_size=3),
    ),
    st.sampled_from(TABLE_ROWS),
    st.just(""),
    st.text(alphabet="aăâ đĐ1I.-)(|\t[]", max_size=12),
)


@st.composite
def documents(draw) -> NormalizedText:
    lines = draw(st.lists(line, min_size=1, max_size=40))
    flagged = draw(st.sets(st.integers(0, len(lines) - 1), max_size=4))
    return NormalizedText("\n".join(lines), frozenset(flagged))


BOUNDED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def nodes(root: Node) -> list[Node]:
    return [n for n in root.walk() if n.kind != "root"]


@BOUNDED
@given(documents())
def test_every_line_is_in_the_tree_in_document_order(norm):
    root = parse(norm)
    text, lines = norm.text, norm.text.split("\n")
    assert root.kind == "root" and root.start == 0 and root.end == len(text)
    found = nodes(root)
    for n in found:
        assert n.kind in KINDS
        assert 0 <= n.start <= n.end <= len(text)
        assert lines[n.line].strip() == n.heading  # each node opens on its own line
    assert [n.line for n in found] == sorted(n.line for n in found)  # walk order is document order
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    for i, ln in enumerate(lines):
        if ln.strip():  # some node's span holds every non-blank line
            first = starts[i] + len(ln) - len(ln.lstrip())
            assert any(n.start <= first <= n.end for n in found), (i, ln)


@BOUNDED
@given(documents())
def test_children_follow_their_parent_with_distinct_segments_and_paths_built_from_them(norm):
    root = parse(norm)
    for n in root.walk():
        segments = [c.segment for c in n.children]
        assert len(set(segments)) == len(segments), segments
        for c in n.children:
            assert c.parent is n and c.line >= n.line and c.segment
            above = n.path if n.kind not in TRANSPARENT | {"root"} else _above(n)
            assert c.path == (f"{above}.{c.segment}" if above else c.segment)


def _above(node: Node) -> str:
    """The path a transparent node passes on to its children: that of its nearest
    non-transparent ancestor."""
    up: Node | None = node if node.kind != "root" else None
    while up is not None and up.kind in TRANSPARENT:
        up = up.parent
    return "" if up is None or up.kind == "root" else up.path


@BOUNDED
@given(documents())
def test_parsing_is_deterministic(norm):
    def shape(root: Node) -> list[tuple]:
        return [(n.kind, n.marker, n.path, n.start, n.end, n.line, n.context) for n in root.walk()]

    assert shape(parse(norm)) == shape(parse(norm))


def test_a_long_document_reports_progress_in_order():
    norm = NormalizedText("\n".join(f"{i % 9 + 1}. Nhiệm vụ {i}" for i in range(9000)), frozenset())
    shares: list[float] = []
    root = parse(norm, progress=shares.append)
    assert len(shares) == 4 and shares == sorted(shares) and all(0 < s < 1 for s in shares)
    assert len(root.children) == 9000  # numbered items of one type are siblings
