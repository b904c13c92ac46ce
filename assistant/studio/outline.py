"""Section briefing: a section's headings, the key point of each item (its first sentence,
or its title when it has sub-items), its targets and the bodies responsible for it, every
line cited. When the section itself names no body, the bodies come from the document's
implementation section ("Tổ chức thực hiện")."""

from __future__ import annotations

import re

from .corpus import Corpus, Node, rules
from .types import Cite, Outline, OutlineLine, OutlineSection, Target, Task

MAX_POINT = 220  # characters: a longer first sentence is cut at its first ";" or ":"


def key_point(corpus: Corpus, node: Node) -> Cite:
    """An item's title (when it has sub-items) or its first sentence, kept short."""
    cite = corpus.heading_cite(node) if node.children else corpus.first_sentence(node)
    if len(cite.quote) > MAX_POINT:
        m = re.search(r"[;:]", cite.quote[40:])
        if m:
            chunk = corpus.by_id[cite.chunk_id]
            return corpus.cite(chunk, cite.quote_start, cite.quote_start + 40 + m.start())
    return cite


def _line(cite: Cite, level: int = 0) -> OutlineLine:
    return OutlineLine(cite.quote, cite, level)


def _points(corpus: Corpus, node: Node, level: int = 0) -> list[OutlineLine]:
    out = []
    for child in node.children:
        out.append(_line(key_point(corpus, child), level))
        if child.children and level == 0:
            out += [_line(key_point(corpus, g), 1) for g in child.children]
    return out


def _intro(corpus: Corpus, node: Node) -> list[OutlineLine]:
    """Sentences of the section's own text after its heading line ("Tập trung … các nội dung sau:")."""
    out = []
    for chunk in corpus.readable(node.chunks):
        first = chunk.text.find("\n")
        for a, b in corpus.sentences(chunk):
            if first >= 0 and a > first:
                out.append(_line(corpus.cite(chunk, a, b)))
    return out[:3]


def _sentences(corpus: Corpus, node: Node, limit: int = 6) -> list[OutlineLine]:
    """The sentences of a clause without items, after its heading line when it has one."""
    out = _intro(corpus, node) if "\n" in node.chunks[0].text else []
    if not out:
        out = [_line(corpus.cite(c, a, b)) for c in corpus.readable(node.chunks) for a, b in corpus.sentences(c)][1:]
    return out[:limit]


def build(corpus: Corpus, node: Node, targets: list[Target], tasks: list[Task]) -> Outline:
    """The briefing of one section (node)."""
    title = _line(corpus.heading_cite(node) if node.chunks else corpus.heading_cite(node.children[0]))
    subs = [c for c in node.children if c.children]
    sections: list[OutlineSection] = []
    if not subs:
        sections.append(OutlineSection(title, _intro(corpus, node) + _points(corpus, node)))
    else:  # every child is a sub-section (one slide); a child without items shows its sentences
        intro = _intro(corpus, node)
        if intro:
            sections.append(OutlineSection(title, intro))
        for sub in node.children:
            points = _intro(corpus, sub) + _points(corpus, sub) if sub.children else _sentences(corpus, sub)
            sections.append(OutlineSection(_line(corpus.heading_cite(sub)), points))
    ids = {c.id for n in node.walk() for c in n.chunks}
    mine = [t for t in tasks if t.cite.chunk_id in ids]
    if not mine:
        mine = [t for t in tasks if t.cite.doc_id == node.doc.id and not t.general and _in_implementation(corpus, t)]
    return Outline(
        doc_short=node.doc.short,
        doc_title=node.doc.title,
        clause=node.path,
        title=title,
        breadcrumb=[a.heading for a in reversed(list(node.ancestors())) if a.chunks],
        sections=sections,
        targets=[t for t in targets if t.cite.chunk_id in ids],
        tasks=mine,
    )


def _in_implementation(corpus: Corpus, task: Task) -> bool:
    node = corpus.chunk_node(corpus.by_id[task.cite.chunk_id])
    return any(
        rules("roles").search("implementation_heading", a.heading) for a in [node, *node.ancestors()] if a.chunks
    )


def task_line(task: Task) -> str:
    """'Chủ trì: …; phối hợp: …; báo cáo: …; thời hạn: …' for one task."""
    parts = []
    if task.lead:
        parts.append(("Thực hiện: " if task.general else "Chủ trì: ") + ", ".join(task.lead))
    if task.coordinate:
        parts.append("phối hợp: " + ", ".join(task.coordinate))
    if task.report_to:
        parts.append("báo cáo/gửi: " + ", ".join(task.report_to))
    if task.deadline:
        parts.append("thời hạn: " + task.deadline)
    return "; ".join(parts)
