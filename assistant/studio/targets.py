"""Targets table: every quantitative target of the official documents, one row per target
(a sentence holding two figures gives two rows), with its indicator, value, unit, target
year and the exact sentence it comes from. The figure patterns live in
resources/targets.toml; the target year is the one written next to the figure, else the one
framing the sentence or a heading above it ("1. Đến năm 2030")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.text import fold, fold_aligned
from retrieval.types import Chunk

from .corpus import Corpus, Node, finditer, rules, squash
from .types import Target

KINDS = ("percent", "rank", "money", "count", "index")  # earlier wins when two figures overlap
_DIGIT = re.compile(r"\d")
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+")
_LEADING = re.compile(r"^(?:[\s,;:.()\-–]|và\b|trong đó\b|đồng thời\b)+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:.(\-–]+$")
LONG = 16  # words: a longer lead-in is cut at its last indicator word
_VE = re.compile(r"\bve\s+")


@dataclass
class _Figure:
    kind: str
    start: int
    end: int
    num: tuple[int, int]
    unit: tuple[int, int]
    cmp: tuple[int, int]


def _number(text: str, kind: str) -> float | None:
    if kind == "count" and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")  # 5.000 người
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _figures(sentence: str, folded: str) -> list[_Figure]:
    """Every figure of a sentence, overlaps resolved by family order then length."""
    found: list[_Figure] = []
    if not _DIGIT.search(sentence):
        return found
    r = rules("targets")
    for kind in KINDS:
        for m in finditer(r, kind, sentence, folded):
            if m.start("num") > 0 and sentence[m.start("num") - 1].isalnum():
                continue  # part of a word or code ("QĐ-116")
            found.append(_Figure(kind, m.start(), m.end(), m.span("num"), m.span("unit"), m.span("cmp")))
    kept: list[_Figure] = []
    for f in found:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _clean(text: str) -> str:
    text = _LEADING.sub("", squash(text))
    folded = fold_aligned(text)
    for family in ("frame_year",):  # a leading "Đến năm 2030," frames, it is not the indicator
        m = rules("targets").pattern(family).match(folded)
        if m:
            text, folded = text[m.end() :], folded[m.end() :]
    text = _LEADING.sub("", text)
    m = rules("targets").pattern("link").search(fold_aligned(text))
    if m:
        text = text[: m.start()]
    return _TRAILING.sub("", text).strip()


def _phrase(sentence: str, start: int, end: int) -> str:
    """The phrase from start up to a comma, carried past commas that only join short
    items ("đổi mới sáng tạo, chuyển đổi số")."""
    pieces = re.split(r"(?<=[,;.])", sentence[start:end])
    out = pieces[0]
    for piece in pieces[1:]:
        if out.endswith((";", ".")) or _words(piece) > 3:
            break
        out += piece
    return out


class TargetFinder:
    """Finds the targets of the official documents in a Corpus."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus

    def all(self) -> list[Target]:
        out: list[Target] = []
        for doc in self.corpus.official():
            out += self.of_document(doc.id)
        return out

    def of_document(self, doc_id: str) -> list[Target]:
        root = self.corpus.roots.get(doc_id)
        if root is None:
            return []
        chunks = [c for n in root.walk() for c in n.chunks]
        return [t for c in self.corpus.readable(chunks) for t in self.of_chunk(c)]

    def of_chunk(self, chunk: Chunk) -> list[Target]:
        node = self.corpus.chunk_node(chunk)
        out: list[Target] = []
        for a, b in self.corpus.sentences(chunk):
            out += self._of_sentence(chunk, node, a, b)
        return out

    # -- one sentence ------------------------------------------------------------------
    def _of_sentence(self, chunk: Chunk, node: Node, a: int, b: int) -> list[Target]:
        sentence = chunk.text[a:b]
        if not _DIGIT.search(sentence):
            return []
        folded = self.corpus.folded(chunk)[a:b]
        figures = _figures(sentence, folded)
        if not figures:
            return []
        bounds = [m.span() for m in finditer(rules("targets"), "split", sentence, folded)]
        out: list[Target] = []
        previous = ""
        for i, f in enumerate(figures):
            seg_start = max([e for s, e in bounds if e <= f.start] + [0])
            seg_end = min([s for s, e in bounds if s >= f.end] + [len(sentence)])
            prev_end = figures[i - 1].end if i and figures[i - 1].end > seg_start else seg_start
            next_start = figures[i + 1].start if i + 1 < len(figures) and figures[i + 1].start < seg_end else seg_end
            indicator = self._indicator(sentence, folded, f, prev_end, next_start, seg_end) or previous
            if indicator and indicator != previous and node.parent is not None and node.parent.kind == "row":
                indicator = f"{squash(node.parent.heading.replace(chr(9), ' '))} — {indicator}"  # a sub-row
            previous = indicator
            value = sentence[f.start : f.end]
            skip = re.match(r"(?:(?:dat|co|thuoc|nam trong|trong)\s+)+", folded[f.start : f.end])
            if skip:
                value = value[skip.end() :]
            nums = [_number(n, f.kind) for n in _NUM.findall(sentence[f.num[0] : f.num[1]])]
            nums = [n for n in nums if n is not None]
            out.append(
                Target(
                    indicator=indicator or _clean(sentence[seg_start:seg_end]),
                    value=value.strip(),
                    low=nums[0] if nums else None,
                    high=nums[1] if len(nums) > 1 and "/" not in sentence[f.num[0] : f.num[1]] else None,
                    unit=self._unit(sentence, folded, f),
                    kind=f.kind,
                    year=self._year(chunk, node, folded, f, next_start, seg_start),
                    cite=self.corpus.cite(chunk, a, b),
                )
            )
        return out

    def _indicator(self, sentence: str, folded: str, f: _Figure, prev_end: int, next_start: int, seg_end: int) -> str:
        if "\t" in sentence:  # a table row: the cells before the value's cell
            cells = sentence[: f.start].split("\t")
            named = [c.strip() for c in cells[:-1] if c.strip() and not c.strip().isdigit()]
            if named:
                return squash(" — ".join(named))
        if f.kind == "rank":  # "nhóm 3 nước dẫn đầu Đông Nam Á ... về <indicator>"
            m = _VE.search(folded, f.end, seg_end)
            if m:
                return _clean(_phrase(sentence, m.end(), seg_end))
        before = _clean(sentence[prev_end : f.start])
        if _words(before) > LONG and "," in before:  # "…, đóng góp vào chỉ số phát triển con người (HDI)"
            heads = list(rules("targets").pattern("indicator_head").finditer(fold_aligned(before)))
            if heads:
                before = before[heads[-1].start() :]
        tail = f.kind == "count" or (f.kind == "percent" and _words(sentence[f.unit[0] : f.unit[1]]) >= 2)
        after = _clean(sentence[f.unit[0] : next_start]) if tail else ""
        beyond = _words(after) - _words(sentence[f.unit[0] : f.unit[1]])
        if _words(before) >= 3 and not (f.kind == "count" and beyond >= 3):
            return before
        if _words(after) >= 2 and (f.kind == "count" or beyond >= 2):
            return after  # "tối thiểu có 5 doanh nghiệp công nghệ số ngang tầm…"
        return before if _words(before) >= 2 else ""

    @staticmethod
    def _unit(sentence: str, folded: str, f: _Figure) -> str:
        unit = squash(sentence[f.unit[0] : f.unit[1]])
        if f.kind == "percent":
            return "%" + (unit if unit.startswith("/") else f" {unit}" if unit else "")
        if f.kind == "rank":
            return "xếp hạng"
        if f.kind == "index":
            return "chỉ số"
        return unit

    def _year(self, chunk: Chunk, node: Node, folded: str, f: _Figure, next_start: int, seg_start: int) -> int | None:
        r = rules("targets")
        m = r.pattern("year").search(folded, f.end, min(next_start, f.end + 40))
        if m:  # "… 1,5% GDP vào năm 2015, trên 2% GDP vào năm 2020"
            return int(m.group("year"))
        earlier = [m for m in r.pattern("frame_year").finditer(folded, 0, f.start)]
        if earlier:  # "Đến năm 2020, … đóng góp khoảng 35%"
            return int(earlier[-1].group("year"))
        for text in [
            chunk.context,
            *(n.heading for n in [node, *node.ancestors()] if n.chunks),
            *reversed(chunk.breadcrumb),
        ]:
            m = r.pattern("frame_year").search(fold(text or ""))
            if m:
                return int(m.group("year"))
        return None


def select(targets: list[Target], doc_id: str | None = None, year: int | None = None, topic: str = "") -> list[Target]:
    """The rows of one document, one target year and/or mentioning a topic (accent-insensitive)."""
    words = fold(topic).split()
    out = []
    for t in targets:
        if doc_id and t.cite.doc_id != doc_id:
            continue
        if year and t.year != year:
            continue
        if words:
            hay = fold(f"{t.indicator} {t.cite.quote}")
            if not all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", hay) for w in words):
                continue
        out.append(t)
    return out
