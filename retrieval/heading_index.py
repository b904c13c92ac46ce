"""Heading index: every heading of a document tree that has items, grouped by what it
says, for the count answer's look at every other document (assistant/tree.py,
``TreeAnswerer._best_elsewhere``). Issue 13 (scale): a question touches only the
headings that hold its words, and each distinct heading is read once.

A heading's class is a digest of everything its score for a question reads: its own
clause and later parts, its parent, its items, and every clause below it by path (the
numbered items of a noun, their parents), each clause by its kind, part, path,
breadcrumb, boilerplate flag, text and its parent's path; never its ids or document.
Headings of one class score the same for any question (a hit's bonus aside), so the
first of them in document order stands for the rest: ties go to the first.

Per class: the tokens of its heading text (postings), the folded words of its lines (its
own, its items', its parent's: ``posted``), its folded text, and the nouns numbered
below it ("Sáng kiến 4"). The tree is read through a few methods (documents, of_document,
heads, parent, folded, words, numbered), so retrieval knows nothing of the answers."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

K = TypeVar("K", int, float)

import numpy as np

from .types import Chunk


def _clause_key(c: Chunk, parent_path: str) -> bytes:
    """What a clause says, without its ids: a digest."""
    raw = "\x1f".join(
        (c.kind, str(c.part), c.path, "\x1e".join(c.breadcrumb), "1" if c.boilerplate else "0", parent_path, c.text)
    )
    return hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class HeadingIndex:
    """The headings of a tree (document order) and their classes."""

    def __init__(
        self,
        tree: Any,
        heading_text: Callable[[Chunk, Chunk], str],
        token_set: Callable[[str], Iterable[str]],
    ):
        self.entries: list[tuple[str, Chunk, list[Chunk]]] = []  # (doc, heading, its items)
        self.by_id: dict[str, int] = {}  # heading id -> entry
        klass: list[int] = []  # entry -> class
        self.members: list[list[int]] = []  # class -> its entries, document order
        self.depth: list[int] = []  # class -> len(breadcrumb)
        self.postings: dict[str, list[int]] = {}  # token of the heading text -> classes
        self.texts: list[str] = []  # class -> its heading's parts folded
        self.numbered: dict[str, list[int]] = {}  # noun -> classes with items "noun N" below
        rows: list[str] = []  # the words of each class's lines, a line a row
        row_class: list[int] = []
        classes: dict[bytes, int] = {}
        for doc in tree.documents():
            chunks = tree.of_document(doc)
            position = {c.id: i for i, c in enumerate(chunks)}
            keys = [_clause_key(c, p.path if (p := tree.parent(c)) is not None else "\x00") for c in chunks]
            by_path = sorted(range(len(chunks)), key=lambda i: chunks[i].path)
            paths = [chunks[i].path for i in by_path]
            split: dict[str, list[Chunk]] = {}  # the parts of the document's long clauses, by path
            for c in chunks:
                if c.part:
                    split.setdefault(c.path, []).append(c)
            numbered: dict[str, list[Chunk]] | None = None  # (read only for a document with a new class)
            for head, kids in tree.heads(doc):
                e = len(self.entries)
                self.by_id[head.id] = e
                self.entries.append((doc, head, kids))
                parts = [c for c in split.get(head.path, ()) if c.part >= head.part] if head.part else [head]
                parent = tree.parent(head)
                under = head.path + "."
                a = bisect.bisect_left(paths, under)
                b = bisect.bisect_left(paths, under + "\U0010ffff")
                below = sorted(by_path[a:b])  # the clauses below it by path, document order
                digest = hashlib.blake2b(digest_size=16)
                for group in (parts, [parent] if parent is not None else [], kids):
                    digest.update(b"|")
                    for c in group:
                        digest.update(keys[position[c.id]] if c.id in position else _clause_key(c, "\x01"))
                digest.update(b"|" + keys[position[head.id]] + b"|")
                for i in below:
                    digest.update(keys[i])
                key = digest.digest()
                k = classes.get(key)
                if k is None:
                    k = classes[key] = len(self.members)
                    self.members.append([])
                    self.depth.append(len(head.breadcrumb))
                    for t in token_set(heading_text(head, parts[-1])):
                        self.postings.setdefault(t, []).append(k)
                    for line in [head, *kids, *([parent] if parent is not None else [])]:
                        rows.append(" ".join(tree.words(line)))
                        row_class.append(k)
                    self.texts.append("\n".join(tree.folded(c) for c in parts))
                    if numbered is None:
                        numbered = tree.numbered(doc)
                    for noun, items in numbered.items():
                        if any(c.path.startswith(under) for c in items):
                            self.numbered.setdefault(noun, []).append(k)
                self.members[k].append(e)
                klass.append(k)
        self.klass = np.asarray(klass, dtype=np.int64)
        self.first = [m[0] for m in self.members]  # class -> its first entry
        self.by_depth = sorted(range(len(self.members)), key=lambda k: (self.depth[k], self.first[k]))
        self._joined = "\n".join(rows)
        lengths = np.fromiter((len(r) + 1 for r in rows), np.int64, len(rows))
        self._starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(rows) else lengths
        self._row_class = row_class
        self._posted: dict[str, frozenset[int]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def classes(self) -> int:
        return len(self.members)

    def posted(self, words: str) -> frozenset[int]:
        """The classes holding ``words`` (a folded word, or words in a row, one space
        apart) in a line: their heading's, an item's or their parent's."""
        got = self._posted.get(words)
        if got is None:
            found: set[int] = set()
            if words and words == " ".join(words.split()):  # (any other spacing is no word or pair)
                joined, starts = self._joined, self._starts
                at = joined.find(words)
                while at >= 0:  # each occurrence as whole words; a line found, on to the next line
                    end = at + len(words)
                    if (at == 0 or joined[at - 1] in " \n") and (end == len(joined) or joined[end] in " \n"):
                        row = int(np.searchsorted(starts, at, side="right")) - 1
                        found.add(self._row_class[row])
                        at = joined.find(words, int(starts[row + 1]) if row + 1 < len(starts) else len(joined))
                    else:
                        at = joined.find(words, at + 1)
            if len(self._posted) > 64:
                self._posted.clear()
            got = self._posted[words] = frozenset(found)
        return got

    def containing(self, folded: str) -> list[int]:
        """The classes whose folded text holds ``folded``."""
        return [k for k, text in enumerate(self.texts) if folded in text]

    def first_eligible(self, k: int, skip: set[str], hit: set[int]) -> int:
        """The first entry of class k outside the documents ``skip`` and the entries ``hit``; -1 if none."""
        for e in self.members[k]:
            if e not in hit and self.entries[e][0] not in skip:
                return e
        return -1

    def least(
        self, ranked: Iterable[tuple[K, int]], skip: set[str], hit: set[int], *leave: Collection[int]
    ) -> tuple[K, int] | None:
        """The least (key, entry) over the classes ``ranked`` (key, class), given in (key, the
        class's first entry) order, of their first entry outside ``skip`` and ``hit``,
        classes in ``leave`` left out; None when there is none. A class's eligible entry is
        never before its first, so the walk stops at the first class that cannot beat it."""
        best: tuple[K, int] | None = None
        for key, k in ranked:
            if best is not None and (key, self.first[k]) > best:
                break
            if any(k in group for group in leave):
                continue
            e = self.first_eligible(k, skip, hit)
            if e >= 0 and (best is None or (key, e) < best):
                best = (key, e)
        return best
