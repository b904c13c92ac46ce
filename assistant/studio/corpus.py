"""The document tree the trainer toolkit reads: clauses as nodes (a clause's parts and its
sub-clauses), their sentences, and exact citations. Built from the public chunk table, so
a document added later is read the same way as the seed ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.errors import BadInputError
from retrieval.rules import RuleSet, load_rules
from retrieval.text import fold, fold_aligned, sentence_spans
from retrieval.types import Chunk, DocumentInfo

from .types import Cite

RESOURCES = Path(__file__).resolve().parent / "resources"
# A list marker at the start of a clause: "- ", "+ ", "a) ", "1. ", "II- ", "(1) ", "2.1. "
_MARKER = re.compile(
    r"^(?:[-+•*]\s+|\(?[a-zđ]\)\s+|\(\d+\)\s+|\d+(?:\.\d+)*(?:[.)-]\s+|\t)|[IVXLC]+[.-]\s*|[A-Z][.-]\s+)"
)
_SPACE = re.compile(r"\s+")


def rules(name: str) -> RuleSet:
    """A rules file of the toolkit (assistant/studio/resources/<name>.toml)."""
    return load_rules(name, RESOURCES)


def finditer(ruleset: RuleSet, family: str, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
    """Matches of a family; offsets are offsets into text (folding keeps them). Pass the
    folded text when it is at hand (folding is the costly part)."""
    if family in ruleset.case_sensitive:
        return ruleset.pattern(family).finditer(text)
    return ruleset.pattern(family).finditer(fold_aligned(text) if folded is None else folded)


def marker_end(text: str, start: int = 0) -> int:
    """Where the text after a leading list marker begins."""
    m = _MARKER.match(text[start:])
    return start + (m.end() if m else 0)


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class Node:
    """A clause: its chunks (the parts of a long one) and its sub-clauses."""

    doc: DocumentInfo
    path: str
    chunks: list[Chunk]
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    @property
    def label(self) -> str:
        return self.chunks[0].label.split(" (phần")[0] if self.chunks else self.doc.cite_as

    @property
    def kind(self) -> str:
        return self.chunks[0].kind if self.chunks else "document"

    @property
    def heading(self) -> str:
        """The clause's first line without its list marker."""
        if not self.chunks:
            return self.doc.title
        first = self.chunks[0].text.strip().split("\n", 1)[0]
        return squash(first[marker_end(first) :]) or squash(first)

    @property
    def number(self) -> str:
        """The last part of the path ("III.3" -> "3")."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def depth(self) -> int:
        return self.path.count(".") + 1 if self.path else 0

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if not n.children and n is not self] or [self]

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self) -> str:
        return "\n".join(c.text for c in self.chunks)

    def full_text(self) -> str:
        return "\n".join(n.text() for n in self.walk())


class Corpus:
    """Documents as trees of clauses, with sentence spans and citations."""

    def __init__(self, chunks: list[Chunk], documents: list[DocumentInfo]):
        self.documents = {d.id: d for d in documents}
        self.chunks = [c for c in chunks if not c.boilerplate]
        self.by_id = {c.id: c for c in chunks}
        self.roots: dict[str, Node] = {}
        self.nodes: dict[tuple[str, str], Node] = {}
        for c in self.chunks:
            doc = self.documents.get(c.doc_id) or DocumentInfo(
                c.doc_id, "", c.doc_short, c.doc_short, "", "", "", c.authority, c.doc_short
            )
            self.documents.setdefault(c.doc_id, doc)
            key = (c.doc_id, c.path)
            if key in self.nodes:
                self.nodes[key].chunks.append(c)
                continue
            node = self.nodes[key] = Node(doc, c.path, [c])
            root = self.roots.setdefault(c.doc_id, Node(doc, "", []))
            parent = self._parent(c.doc_id, c.path) or root
            node.parent = parent
            parent.children.append(node)
        self._containers = self._find_containers()
        self._folded: dict[str, str] = {}
        self._sentences: dict[str, list[tuple[int, int]]] = {}

    def _parent(self, doc_id: str, path: str) -> Node | None:
        while "." in path:
            path = path.rsplit(".", 1)[0]
            if (doc_id, path) in self.nodes:
                return self.nodes[(doc_id, path)]
        return None

    def _find_containers(self) -> set[str]:
        """Chunks whose span holds other chunks (a table holding its rows): read the rows."""
        out: set[str] = set()
        by_doc: dict[str, list[Chunk]] = {}
        for c in self.chunks:
            by_doc.setdefault(c.doc_id, []).append(c)
        for chunks in by_doc.values():
            chunks.sort(key=lambda c: (c.start, -c.end))
            for a, b in zip(chunks, chunks[1:]):
                if b.start >= a.start and b.end <= a.end and b.id != a.id:
                    out.add(a.id)
        return out

    # -- documents and clauses ---------------------------------------------------------
    def official(self) -> list[DocumentInfo]:
        return [d for d in self.documents.values() if d.authority == "official" and d.id in self.roots]

    def document(self, name: str) -> DocumentInfo:
        """A document by id, short name, file name or alias (accent- and case-insensitive)."""
        key = fold(name.strip())
        for d in self.documents.values():
            if key in (fold(d.id), fold(d.short), fold(d.file), *(fold(a) for a in d.aliases)):
                return d
        valid = ", ".join(d.short for d in self.documents.values())
        raise BadInputError(f"không có văn bản '{name}'; các văn bản: {valid}")

    def node(self, doc_id: str, path: str) -> Node:
        if not path:
            return self.roots[doc_id]
        node = self.nodes.get((doc_id, path.strip().strip(".")))
        if node is None:
            short = self.documents[doc_id].short
            raise BadInputError(
                f"không tìm thấy điều khoản '{path}' trong {short}; xem mục lục bằng `troly show {short}`"
            )
        return node

    def resolve(self, ref: str) -> Node:
        """A clause named as '<document> <path>' ("57-NQ/TW III.3"), or a whole document."""
        ref = squash(ref or "")
        if not ref:
            raise BadInputError('thiếu điều khoản; ví dụ: "57-NQ/TW III.3" hoặc "03/NQ-CP II.1"')
        head, _, tail = ref.rpartition(" ")
        for doc_name, path in ((head, tail), (ref, "")):
            if not doc_name:
                continue
            try:
                doc = self.document(doc_name)
            except BadInputError:
                continue
            if doc.id in self.roots:
                return self.node(doc.id, path)
        self.document(head or ref)  # raises the message listing the documents
        raise BadInputError(f"văn bản '{head or ref}' chưa được lập chỉ mục; hãy chạy `troly ingest`")

    def chunk_node(self, chunk: Chunk) -> Node:
        return self.nodes[(chunk.doc_id, chunk.path)]

    def readable(self, chunks: list[Chunk] | None = None) -> Iterator[Chunk]:
        """Chunks whose own text is read (a table that holds its rows is read row by row)."""
        for c in self.chunks if chunks is None else chunks:
            if c.id not in self._containers:
                yield c

    # -- sentences and citations -------------------------------------------------------
    def folded(self, chunk: Chunk) -> str:
        """The chunk's text accent-folded, offsets kept (computed once per chunk)."""
        if chunk.id not in self._folded:
            self._folded[chunk.id] = fold_aligned(chunk.text)
        return self._folded[chunk.id]

    def sentences(self, chunk: Chunk) -> list[tuple[int, int]]:
        """Sentence spans of a chunk's text, line by line, list markers left out."""
        if chunk.id not in self._sentences:
            self._sentences[chunk.id] = self._split(chunk)
        return self._sentences[chunk.id]

    @staticmethod
    def _split(chunk: Chunk) -> list[tuple[int, int]]:
        out, pos = [], 0
        for line in chunk.text.split("\n"):
            for a, b in sentence_spans(chunk.text, pos, pos + len(line)):
                a = marker_end(chunk.text[:b], a) if a == pos + len(line) - len(line.lstrip()) else a
                while b > a and chunk.text[b - 1] in ";, ":
                    b -= 1
                if b > a:
                    out.append((a, b))
            pos += len(line) + 1
        return out

    @staticmethod
    def cite(chunk: Chunk, start: int = 0, end: int | None = None) -> Cite:
        end = len(chunk.text) if end is None else end
        while start < end and chunk.text[start].isspace():
            start += 1
        while end > start and chunk.text[end - 1].isspace():
            end -= 1
        return Cite(
            chunk.id,
            chunk.doc_id,
            chunk.doc_short,
            chunk.path,
            chunk.label.split(" (phần")[0],
            chunk.text[start:end],
            start,
            chunk.authority,
        )

    def heading_cite(self, node: Node) -> Cite:
        """The clause's first line (its heading), without the list marker."""
        chunk = node.chunks[0]
        first_end = chunk.text.find("\n")
        first_end = len(chunk.text) if first_end < 0 else first_end
        return self.cite(chunk, marker_end(chunk.text[:first_end]), first_end)

    def first_sentence(self, node: Node) -> Cite:
        chunk = node.chunks[0]
        spans = self.sentences(chunk)
        return self.cite(chunk, *spans[0]) if spans else self.cite(chunk)
