"""Facets: the labelled parts an item of a plan is written in ("- Mục tiêu: …", "- Nội
dung: …", "a) Nội dung chính", "b) Vai trò chiến lược"), and the questions that ask for one
in other words ("… bằng cách nào?" asks for the content, "… sao phải dồn lực cho nó?" for
the role). A paraphrase shares few words with the labelled part it asks for; the document
tree says which part that is.

The search brings the asked part of one of its best hits in at the top (``bring_in``:
that of the item the question names by number, "Sáng kiến 4", first), and likewise a part
the question names by its own label ("văn hóa đổi mới sáng tạo" -> "(3) Văn hóa đổi mới
sáng tạo: …", ``named``); the evidence scorer prefers the sentences of such parts
(``unit_facet``, ``names_label``). The asks and the labels are data:
retrieval/resources/rules/facets.toml. Switched by SearchConfig.facet_depth / label_depth
and EvidenceScorer.facet_bonus (0: off)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from .rules import load_rules
from .text import fold

# a clause's or a line's opening label: after its list markers, the words before ":" or the line's end
_DIGIT = re.compile(r"\d")
_WORDS = re.compile(r"[\w/()-]+")
_LABEL = re.compile(
    r"^(?:\s*(?:[-+•–]|[a-zđ]\)|\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})*\.|[ivx]{1,5}\s*[-.])\s*)*([^:\n]{2,40}?)\s*(?::|\n|$)"
)


@lru_cache(maxsize=1)
def _facets() -> tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]:
    """(facet, its ask pattern, its labels) of every facet of the rules file."""
    rules = load_rules("facets")
    names = [f.removeprefix("ask_") for f in rules.patterns if f.startswith("ask_")]
    return tuple((n, rules.pattern(f"ask_{n}"), rules.word_set(f"label_{n}")) for n in names)


def asked_facet(question: str) -> str | None:
    """The facet a question asks for ("bằng cách nào" -> "content"), or None."""
    folded = fold(question)
    return next((name for name, ask, _ in _facets() if ask.search(folded)), None)


@lru_cache(maxsize=65536)
def label_facet(text: str) -> str | None:
    """The facet whose label opens ``text`` ("- Nội dung: Sử dụng …" -> "content"), or None."""
    m = _LABEL.match(fold(text[:80]))
    if not m:
        return None
    label = " ".join(m.group(1).split())
    return next((name for name, _, labels in _facets() if label in labels), None)


def unit_facet(text: str, heading: str = "") -> str | None:
    """The facet of a sentence: the label opening it, else the one opening the line it stands under."""
    return label_facet(text) or (label_facet(heading) if heading else None)


@lru_cache(maxsize=65536)
def named_label(text: str) -> str | None:
    """The label that opens ``text`` as a name for what follows ("(3) Văn hóa đổi mới sáng
    tạo: Hình thành …" -> "van hoa doi moi sang tao"), folded: three words or more before a
    colon, no number; None otherwise."""
    m = _LABEL.match(fold(text[:80]))
    if not m or not m.group(0).endswith(":"):
        return None
    label = " ".join(_WORDS.findall(m.group(1)))
    if _DIGIT.search(label) or len(label.split()) < 3:
        return None
    return label


_NUMBERED = re.compile(r"(?<!\w)([a-z]+ [a-z]+) 0*(\d{1,3})(?![\d.,/])")


def numbered_names(text: str) -> frozenset[str]:
    """The numbered names in a text, folded ("Sáng kiến 04" -> "sang kien 4", "Hệ thống 6")."""
    return frozenset(f"{m.group(1)} {m.group(2)}" for m in _NUMBERED.finditer(fold(text)))


def spoken(question: str) -> str:
    """The question's folded words, space-separated and space-framed: where a label is looked for."""
    return " " + " ".join(_WORDS.findall(fold(question))) + " "


def names_label(spoken_question: str, text: str) -> bool:
    """The question (``spoken``) names the label opening ``text``."""
    label = named_label(text)
    return label is not None and f" {label} " in spoken_question


def row_labels(chunks: Sequence) -> tuple[list[str | None], list[str | None]]:
    """The facet and the named label opening each chunk's text (``label_facet``, ``named_label``)."""
    return [label_facet(c.text) for c in chunks], [named_label(c.text) for c in chunks]


def rules_text() -> str:
    """The facets rules file's text (what the labels are read with)."""
    from .rules import RULES_DIR

    return (RULES_DIR / "facets.toml").read_text("utf-8")


class FacetRows:
    """The facet of every row of a chunk table, and the rows under each row."""

    def __init__(
        self,
        chunks: Sequence,
        children: Mapping[str, Sequence],
        row: Mapping[str, int],
        labels: tuple[list[str | None], list[str | None]] | None = None,
    ):
        # labels: (facets, named labels) of the rows as ``row_labels`` gives them (kept
        # beside the generation by the searcher: issue 13, scale)
        self.facet, self.label = labels if labels is not None else row_labels(chunks)
        self._kids = {
            at: [row[k.id] for k in kids if k.id in row]
            for p, kids in children.items()
            if (at := row.get(p)) is not None
        }
        self._parent = [row.get(c.parent_id) if c.parent_id else None for c in chunks]
        self._first = [c.text.partition("\n")[0][:160] for c in chunks]
        self._names: dict[int, frozenset[str]] = {}
        self._below: dict[int, list[int]] = {}
        for parent, kids in children.items():
            at = row.get(parent)
            rows = [row[k.id] for k in kids if k.id in row]
            if at is not None and any(self.facet[r] for r in rows):
                self._below[at] = rows

    def part_of(self, i: int, facet: str) -> int | None:
        """The row of the ``facet`` part of row i: an item under it, or, when row i is itself
        a part of its item, its sibling; None when there is none."""
        rows = self._below.get(i, [])
        if not rows and self.facet[i]:
            parent = self._parent[i]
            rows = self._below.get(parent, []) if parent is not None else []
        return next((r for r in rows if self.facet[r] == facet), None)

    def bring_in(
        self, facet: str, ranked: list[int], scored: dict[int, float], depth: int, question: str = ""
    ) -> list[int]:
        """``ranked`` with the asked part of one of its first ``depth`` rows (of those that
        have one, the part of an item the question names by number, "Sáng kiến 4", else
        the part scored best) put second, or first when it is a part of the first row itself,
        of the item the first row is another part of, or of the item named while the first
        row is not; unless it already stands there or above. Its score follows its place."""
        parts = [p for i in ranked[:depth] if (p := self.part_of(i, facet)) is not None and p != i]
        if ranked and self.facet[ranked[0]] == facet:
            parts.append(ranked[0])  # the first row is itself such a part: it may be the one
        if not parts:
            return ranked
        asked = numbered_names(question)
        named = lambda r: bool(asked & self._item_names(r))  # noqa: E731
        part = max(parts, key=lambda p: (named(p), scored.get(p, 0.0)))  # (the first of equals: the best ranked row's)
        top = ranked[0]
        first = self._parent[part] in (top, self._parent[top]) or (named(part) and not named(top))
        return self._placed(part, ranked, scored, first)

    def _item_names(self, i: int) -> frozenset[str]:
        """The numbered names ("sang kien 4") of the item row i is a part of (or is)."""
        got = self._names.get(i)
        if got is None:
            parent = self._parent[i]
            item = parent if self.facet[i] and parent is not None else i
            got = self._names[i] = numbered_names(self._first[item])
        return got

    def named(self, question: str, ranked: list[int], scored: dict[int, float], depth: int) -> list[int]:
        """``ranked`` with the part that the question names by its label ("… "văn hóa đổi mới
        sáng tạo" … được hiểu là gì": "(3) Văn hóa đổi mới sáng tạo: …"), among the first
        ``depth`` rows and the rows under them, put first when it stands under the first
        row or beside it, else second. The longest label named wins."""
        folded = spoken(question)
        pool = [r for i in ranked[:depth] for r in (i, *self._kids.get(i, ()))]
        named = [r for r in dict.fromkeys(pool) if self.label[r] and f" {self.label[r]} " in folded]
        if not named:
            return ranked
        part = max(named, key=lambda r: (len(self.label[r] or ""), scored.get(r, 0.0)))
        return self._placed(part, ranked, scored, self._under(part, ranked[0]))

    def _under(self, part: int, top: int) -> bool:
        """Row ``part`` stands under row ``top`` or under the heading ``top`` stands under."""
        heads = {top, self._parent[top]}
        up = self._parent[part]
        for _ in range(8):
            if up is None:
                return False
            if up in heads:
                return True
            up = self._parent[up]
        return False

    @staticmethod
    def _placed(part: int, ranked: list[int], scored: dict[int, float], first: bool) -> list[int]:
        """``ranked`` with row ``part`` first (``first``) or second, unless it stands there or
        above; its score following its place."""
        place = 0 if first else 1
        if part in ranked[: place + 1]:
            return ranked
        out = [r for r in ranked if r != part]
        out.insert(place, part)
        neighbour = scored[out[place + 1]] if place + 1 < len(out) else 0.0
        scored[part] = max(scored.get(part, 0.0), neighbour * (1.01 if first else 0.99))
        return out
