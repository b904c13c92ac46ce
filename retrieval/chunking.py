"""Turn a structure tree into citable chunks.

Each node's own text (heading and own body) becomes one chunk; runs of tiny leaf siblings
(bullets, paragraphs) are merged; a chunk over the token budget is split at paragraph,
then sentence boundaries. Every chunk's text is ``normalized_text[start:end]``.
"""

from __future__ import annotations

from collections.abc import Callable

from .structure import TRANSPARENT, Node
from .text import sentence_spans
from .tokens import at_most
from .types import Chunk, DocumentInfo

_MERGEABLE = {"bullet", "paragraph"}


def label_part(node: Node) -> str:
    """How a civil servant names this level, e.g. 'Mục III', 'điểm 2', 'tiết a'."""
    parent = node.parent
    in_article = any(a.kind == "article" for a in node.ancestors())
    names = {
        "part": f"Phần {node.marker}",
        "chapter": f"Chương {node.marker}",
        "section": f"Mục {node.marker}",
        "article": f"Điều {node.marker}",
        "appendix": f"Phụ lục {node.marker}".strip(),
        "roman": f"Mục {node.marker}",
        "upper": f"Phần {node.marker}",
        "number": f"{'khoản' if in_article else 'điểm'} {node.marker}",
        "subnumber": f"điểm {node.marker}",
        "paren": f"ý ({node.marker})",
        "letter": f"{'điểm' if in_article else 'tiết'} {node.marker}",
        "footnote": f"chú thích [{node.marker}]",
        "recipients": "phần Nơi nhận",
        "signature": "phần chữ ký",
        "group": f"mục {node.marker}",
        "table": "bảng",
    }
    if node.kind in names:
        return names[node.kind]
    if node.kind == "bullet":
        return f"gạch đầu dòng thứ {node.segment.lstrip('-').split('~')[0]}"
    if node.kind == "paragraph":
        return f"đoạn {node.segment.lstrip('p').split('~')[0]}"
    if node.kind == "row":
        if parent is not None and parent.kind == "row":
            return f"dòng {parent.marker}.{node.marker}"
        return f"dòng {node.marker.lstrip('r')}"
    if node.kind == "title":
        return "phần đầu" if _is_first_title(node) else f"phần “{_short(node.heading, 50)}”"
    return node.segment


def _is_first_title(node: Node) -> bool:
    return node.parent is not None and node.segment == "t1"  # titles are numbered t1, t2… among siblings


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def make_label(doc: DocumentInfo, node: Node) -> str:
    chain = [a for a in node.ancestors() if a.kind not in TRANSPARENT] + [node]
    return ", ".join([doc.cite_as] + [label_part(n) for n in chain])


def breadcrumb(node: Node) -> list[str]:
    return [_short(a.heading, 90) for a in node.ancestors() if a.kind not in ("table",)]


class _Names:
    """``label_part`` and the breadcrumb's short heading of each node of one document, each
    made once (perf, issue 13: a node's ancestors were named again for every chunk below
    it): the same strings ``make_label`` and ``breadcrumb`` give."""

    def __init__(self, doc: DocumentInfo):
        self.doc = doc
        self._parts: dict[Node, str] = {}
        self._shorts: dict[Node, str] = {}

    def part(self, node: Node) -> str:
        got = self._parts.get(node)
        if got is None:
            got = self._parts[node] = label_part(node)
        return got

    def label(self, node: Node) -> str:
        chain = [a for a in node.ancestors() if a.kind not in TRANSPARENT] + [node]
        return ", ".join([self.doc.cite_as] + [self.part(n) for n in chain])

    def breadcrumb(self, node: Node) -> list[str]:
        out = []
        for a in node.ancestors():
            if a.kind != "table":
                got = self._shorts.get(a)
                if got is None:
                    got = self._shorts[a] = _short(a.heading, 90)
                out.append(got)
        return out


def chunk_document(
    doc: DocumentInfo,
    root: Node,
    text: str,
    page_of_offset=None,
    max_tokens: int = 400,
    min_tokens: int = 12,
    progress: Callable[[float], None] | None = None,
) -> list[Chunk]:
    """All chunks of one parsed document, in document order; progress receives the share
    of the work done, now and then."""
    chunks: list[Chunk] = []
    ids: dict[Node, str] = {}
    used: set[str] = set()
    names = _Names(doc)
    groups = _groups(root, text, min_tokens)
    for n_group, group in enumerate(groups):
        if progress is not None and n_group % 500 == 0:
            progress(n_group / len(groups))
        first, last = group[0], group[-1]
        start, end = first.start, last.end
        if not text[start:end].strip():
            continue
        path = first.path if len(group) == 1 else f"{first.path}..{last.segment}"
        label = names.label(first)
        if len(group) > 1:
            label += f" đến {names.part(last).split()[-1]}"
        base_id = f"{doc.id}:{path}"
        if base_id in used:  # the same path under two unnumbered titles: ids stay unique
            n = 2
            while f"{base_id}@{n}" in used:
                n += 1
            base_id = f"{base_id}@{n}"
        used.add(base_id)
        parent = first.parent
        while parent is not None and parent.kind in TRANSPARENT and parent.kind != "title":
            parent = parent.parent
        parent_id = ids.get(parent, "") if parent is not None else ""
        pieces = _split(text, start, end, max_tokens)
        for n, (a, b) in enumerate(pieces, 1):
            part = n if len(pieces) > 1 else 0
            chunk = Chunk(
                id=base_id + (f"#{part}" if part else ""),
                doc_id=doc.id,
                doc_short=doc.short,
                path=path,
                label=label + (f" (phần {part}/{len(pieces)})" if part else ""),
                kind=first.kind,
                text=text[a:b],
                start=a,
                end=b,
                breadcrumb=names.breadcrumb(first),
                page=page_of_offset(a) if page_of_offset else None,
                authority=doc.authority,
                context=first.context,
                part=part,
                parent_id=parent_id,
                order=len(chunks),
                boilerplate=first.boilerplate,
            )
            chunks.append(chunk)
        for node in group:
            ids[node] = base_id + ("#1" if len(pieces) > 1 else "")
    return chunks


def _groups(root: Node, text: str, min_tokens: int) -> list[list[Node]]:
    """Nodes in document order; consecutive tiny leaf siblings grouped together."""
    groups: list[list[Node]] = []

    def visit(node: Node) -> None:
        run: list[Node] = []

        def flush() -> None:
            if run:
                groups.append(list(run))
                run.clear()

        for child in node.children:
            tiny = (
                child.kind in _MERGEABLE
                and not child.children
                and at_most(text[child.start : child.end], min_tokens - 1)
            )
            if tiny and run and run[-1].kind == child.kind:
                run.append(child)
                continue
            flush()
            if tiny:
                run.append(child)
                continue
            groups.append([child])
            visit(child)
        flush()

    visit(root)
    return groups


def _split(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Spans covering text[start:end], each under max_tokens where sentences allow."""
    if at_most(text[start:end], max_tokens):
        return [(start, end)]
    units: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        if at_most(line, max_tokens):
            units.append((a, b))
        else:
            units.extend(sentence_spans(text, a, b))
    pieces: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for a, b in units:
        if cur is None:
            cur = (a, b)
        elif at_most(text[cur[0] : b], max_tokens):
            cur = (cur[0], b)
        else:
            pieces.append(cur)
            cur = (a, b)
    if cur is not None:
        pieces.append(cur)
    return pieces
