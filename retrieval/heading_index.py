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
heads, parent, folded, words, numbered), so retrieval knows nothing of the answers.

Kept beside the generation (``saved``; issue 13, scale: at a million clauses the build
took ~5 s): written by the ingest for a large table, or by the first process that builds
it, under a key of the generation's chunks, the code that builds it and what its two
callables make of the table's first headings; read back by the next processes (chunks
named by their place in the table, resolved against the table the reader holds). A new
generation (a re-ingest) has another key: the old file is never read and is let go when
the new one is written; a damaged file is built again, with a one-line warning."""

from __future__ import annotations

import bisect
import gc
import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, overload

import numpy as np

from .types import Chunk

K = TypeVar("K", int, float)
log = logging.getLogger(__name__)
NAME = "headings"  # the file's name in the derived folder: headings-<key>.marshal
FORMAT = 1  # bump when the saved layout changes
# clauses from which a table's heading index is kept by the ingest and made with the tree
# (assistant/tree.py): below, made on first use (and kept then)
LARGE = 5_000
PROBE_HEADINGS = 64  # headings whose text and tokens stand in the key for the two callables


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
        entries: list[tuple[str, Chunk, list[Chunk]]] = []  # (doc, heading, its items)
        self.entries: Sequence[tuple[str, Chunk, list[Chunk]]] = entries
        self._by_id: dict[str, int] | None = {}  # heading id -> entry
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
                e = len(entries)
                self.by_id[head.id] = e
                entries.append((doc, head, kids))
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

    # -- kept on disk ----------------------------------------------------------------------
    def state(self, chunks: Sequence[Chunk]) -> dict[str, Any]:
        """What ``restore`` makes the index of again over the same table (``chunks``, in
        table order): marshal-able values, every chunk by its place in the table."""
        place = {c.id: i for i, c in enumerate(chunks)}
        kids: list[int] = []
        offsets = [0]
        for _, _, items in self.entries:
            kids.extend(place[c.id] for c in items)
            offsets.append(len(kids))
        return {
            "heads": [place[head.id] for _, head, _ in self.entries],
            "offsets": offsets,
            "kids": kids,
            "klass": np.ascontiguousarray(self.klass, dtype=np.int64).tobytes(),
            "members": self.members,
            "depth": self.depth,
            "postings": self.postings,
            "texts": self.texts,
            "numbered": self.numbered,
            "first": self.first,
            "by_depth": self.by_depth,
            "joined": self._joined,
            "starts": np.ascontiguousarray(self._starts, dtype=np.int64).tobytes(),
            "row_class": self._row_class,
        }

    @classmethod
    def restore(cls, state: dict[str, Any], chunks: Sequence[Chunk]) -> HeadingIndex:
        """The index ``state`` was taken of, its chunks those of ``chunks`` (the same table)."""
        index = cls.__new__(cls)
        heads, offsets, kids = state["heads"], state["offsets"], state["kids"]
        if len(offsets) != len(heads) + 1 or (heads and max(heads) >= len(chunks)):
            raise ValueError("the saved headings are not of this table")
        if kids and max(kids) >= len(chunks):
            raise ValueError("the saved headings are not of this table")
        index.entries = _Entries(chunks, heads, offsets, kids)
        index._by_id = None
        index.klass = np.frombuffer(state["klass"], dtype=np.int64)
        index.members = state["members"]
        index.depth = state["depth"]
        index.postings = state["postings"]
        index.texts = state["texts"]
        index.numbered = state["numbered"]
        index.first = state["first"]
        index.by_depth = state["by_depth"]
        index._joined = state["joined"]
        index._starts = np.frombuffer(state["starts"], dtype=np.int64)
        index._row_class = state["row_class"]
        index._posted = {}
        if not (len(index.klass) == len(heads) and len(index.members) == len(index.depth) == len(index.first)):
            raise ValueError("the saved headings do not hold together")
        return index

    @property
    def by_id(self) -> dict[str, int]:
        """Heading id -> its entry (of a restored index: made on first use)."""
        got = self.__dict__.get("_by_id")
        if got is None:
            got = self._by_id = {head.id: e for e, (_, head, _) in enumerate(self.entries)}
        return got

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
        entries = self.entries
        # scale (issue 13): a restored index's document of an entry without making the entry
        # (its items' list: most of a question's time at 100,000 clauses)
        doc = entries.doc if isinstance(entries, _Entries) else (lambda e: entries[e][0])
        for e in self.members[k]:
            if e not in hit and doc(e) not in skip:
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


class _Entries(Sequence[tuple[str, Chunk, list[Chunk]]]):
    """A restored index's entries, (document, heading, its items), made as they are read
    (at a million clauses, making them all took longer than reading the file)."""

    def __init__(self, chunks: Sequence[Chunk], heads: list[int], offsets: list[int], kids: list[int]):
        self._chunks, self._heads, self._offsets, self._kids = chunks, heads, offsets, kids

    def __len__(self) -> int:
        return len(self._heads)

    @overload
    def __getitem__(self, e: int) -> tuple[str, Chunk, list[Chunk]]: ...

    @overload
    def __getitem__(self, e: slice) -> list[tuple[str, Chunk, list[Chunk]]]: ...

    def __getitem__(self, e):
        if isinstance(e, slice):
            return [self[i] for i in range(*e.indices(len(self)))]
        chunks = self._chunks
        head = chunks[self._heads[e]]
        return head.doc_id, head, [chunks[k] for k in self._kids[self._offsets[e] : self._offsets[e + 1]]]

    def __iter__(self) -> Iterator[tuple[str, Chunk, list[Chunk]]]:
        return (self[e] for e in range(len(self)))

    def doc(self, e: int) -> str:
        """``self[e][0]``: the entry's document, its items' list not made."""
        return self._chunks[self._heads[e]].doc_id


def key_of(
    tree: Any,
    heading_text: Callable[[Chunk, Chunk], str],
    token_set: Callable[[str], Iterable[str]],
    modules: Iterable[ModuleType] = (),
) -> str:
    """The saved index's key: the table's chunks (their file's digest), the source of this
    module, of the analyzer's (retrieval/lexical.py, text.py) and of the callers' ``modules``,
    the analyzer's resource files, and what heading_text and token_set make of the first
    headings of the table (another scorer's tokens over the same table: another key)."""
    from . import derived, lexical, text
    from .searcher import chunks_digest

    probe: list[str] = []
    for doc in tree.documents():
        for head, _ in tree.heads(doc):
            words = heading_text(head, tree.parts(head)[-1])
            probe.append(words + "\x1f" + " ".join(sorted(token_set(words))))
            if len(probe) >= PROBE_HEADINGS:
                break
        if len(probe) >= PROBE_HEADINGS:
            break
    resources = Path(lexical.__file__).resolve().parent / "resources"
    files = sorted(p for p in resources.iterdir() if p.suffix in (".tsv", ".txt") and p.is_file())
    inputs = [chunks_digest(tree.table), str(len(tree.table.chunks)), *probe, *(p.read_text("utf-8") for p in files)]
    return derived.key_of(inputs, [sys.modules[__name__], lexical, text, *modules])


def path_of(table: Any, key: str) -> Path:
    from . import derived

    return derived.folder_of(table.generation) / f"{NAME}-{key}.marshal"


def is_saved(table: Any, key: str) -> bool:
    """Whether a saved index under this key is there (read or not)."""
    return path_of(table, key).is_file()


def saved(table: Any, key: str, build: Callable[[], HeadingIndex]) -> HeadingIndex:
    """The index kept for ``table``'s generation under ``key``, or ``build()`` kept there
    (best effort: a read-only index folder builds it each time). A damaged or foreign file
    is built again, with a one-line warning."""
    path = path_of(table, key)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = None
    except OSError as exc:
        log.warning("không đọc được chỉ mục đề mục %s (%s); dựng lại", path.name, exc.strerror)
        data = None
    if data is not None:
        try:
            stamp, state = _loads(data)
            if stamp != (FORMAT, key):
                raise ValueError("another key")
            return HeadingIndex.restore(state, table.chunks)
        except Exception as exc:  # noqa: BLE001 - damaged, truncated, another layout: built again
            log.warning("chỉ mục đề mục %s hỏng (%s); dựng lại", path.name, type(exc).__name__)
    index = build()
    save(index, table, key)
    return index


def _loads(data: bytes) -> Any:
    """marshal.loads without the collector: the file is a few hundred thousand lists and
    strings, and the collections their making set off walk every object of a process
    holding a large table (at 100,000 clauses 2.1 s instead of 0.18 s; nothing it makes
    is garbage)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(data)
    finally:
        if enabled:
            gc.enable()


def save(index: HeadingIndex, table: Any, key: str) -> None:
    """Keep the index for the next processes (atomic; one file a folder: another
    generation's or older code's is let go)."""
    path = path_of(table, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            tmp.write_bytes(marshal.dumps(((FORMAT, key), index.state(table.chunks))))
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        for old in path.parent.glob(f"{NAME}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):  # a read-only index folder, a full disk
        pass
