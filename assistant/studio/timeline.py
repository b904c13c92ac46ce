"""Timeline: every dated milestone, deadline and phase of the official documents, in time
order, recurring dates ("định kỳ 6 tháng … trước ngày 15 tháng 6") shown as recurring.
How dates are written lives in resources/timeline.toml."""

from __future__ import annotations

import re

from retrieval.types import Chunk

from .corpus import Corpus, finditer, rules, squash
from .types import Milestone

_RECURRING_WORDS = {
    "hang nam": "hằng năm",
    "moi nam": "hằng năm",
    "hang thang": "hằng tháng",
    "moi thang": "hằng tháng",
    "hang quy": "hằng quý",
    "hang tuan": "hằng tuần",
}


def _recurring_label(raw: str, folded: str) -> str:
    """'định kỳ 6 tháng' as written; 'hàng năm' spelled the standard way."""
    key = re.sub(r"^dinh ky\s+", "", folded)
    return _RECURRING_WORDS.get(key, squash(raw))


class TimelineFinder:
    """Finds the milestones of the official documents in a Corpus."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._chunks: dict[str, list[Milestone]] = {}

    def all(self, doc_id: str | None = None) -> list[Milestone]:
        out: list[Milestone] = []
        for doc in self.corpus.official():
            if doc_id and doc.id != doc_id:
                continue
            root = self.corpus.roots[doc.id]
            for c in self.corpus.readable([c for n in root.walk() for c in n.chunks]):
                out += self.of_chunk(c)
        return sorted(out, key=lambda m: m.sort_key)

    def of_chunk(self, chunk: Chunk) -> list[Milestone]:
        if chunk.id not in self._chunks:
            out: list[Milestone] = []
            for a, b in self.corpus.sentences(chunk):
                out += self.of_sentence(chunk, a, b)
            self._chunks[chunk.id] = out
        return list(self._chunks[chunk.id])

    def of_sentence(self, chunk: Chunk, a: int, b: int) -> list[Milestone]:
        sentence = chunk.text[a:b]
        if not re.search(r"\d|hang|hàng|hằng|mỗi", sentence):
            return []
        r = rules("timeline")
        folded = self.corpus.folded(chunk)[a:b]
        taken = [m.span() for m in finditer(r, "titled_reference", sentence)]
        rec = next(finditer(r, "recurring", sentence, folded), None)
        recurring = _recurring_label(sentence[rec.start() : rec.end()], rec.group(0)) if rec else ""
        found: list[tuple[int, int, dict]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= x or s >= y for x, y in taken)

        def add(s: int, e: int, **kw) -> None:
            if free(s, e):
                taken.append((s, e))
                found.append((s, e, kw))

        for m in finditer(r, "phase", sentence, folded):
            if not r.pattern("baseline").search(folded[: m.start()]):
                y1, y2 = int(m["y1"]), int(m["y2"])
                add(m.start(), m.end(), when=f"{y1} – {y2}", kind="phase", year=y1, end_year=y2)
        for m in finditer(r, "deadline", sentence, folded):
            self._dates(sentence, folded, m, recurring, add)
        for m in finditer(r, "monthly_day", sentence, folded):
            add(
                m.start(),
                m.end(),
                when=f"ngày {int(m['d'])} hằng tháng",
                kind="recurring",
                day=int(m["d"]),
                recurring="hằng tháng",
            )
        for m in finditer(r, "month", sentence, folded):
            add(
                m.start(),
                m.end(),
                when=f"{int(m['m']):02d}/{m['y']}",
                kind="deadline",
                year=int(m["y"]),
                month=int(m["m"]),
            )
        for m in finditer(r, "year", sentence, folded):
            deadline = re.match(r"(trong|truoc)\b", m.group(0))
            add(m.start(), m.end(), when=m["y"], kind="deadline" if deadline else "milestone", year=int(m["y"]))
        if not found and rec and free(*rec.span()) and r.pattern("report").search(folded):
            add(rec.start(), rec.end(), when=recurring, kind="recurring", recurring=recurring)
        out, seen = [], set()
        for s, e, kw in sorted(found, key=lambda f: f[0]):
            key = (kw["when"], kw["kind"])
            if key in seen:
                continue
            seen.add(key)
            ts, te = self._description(sentence, s, e)
            kw.setdefault("recurring", recurring if kw["kind"] == "recurring" else "")
            out.append(
                Milestone(
                    when=kw["when"],
                    kind=kw["kind"],
                    year=kw.get("year"),
                    month=kw.get("month"),
                    day=kw.get("day"),
                    end_year=kw.get("end_year"),
                    recurring=kw["recurring"],
                    text=squash(sentence[ts:te]),
                    cite=self.corpus.cite(chunk, a, b),
                )
            )
        return out

    @staticmethod
    def _dates(sentence: str, folded: str, m: re.Match[str] | _Shifted | None, recurring: str, add) -> None:
        """A deadline and the dates chained to it ("trước ngày 15 tháng 6 và trước ngày 01 tháng 12")."""
        r = rules("timeline")
        while m is not None:
            d, mo, y = int(m["d"]), int(m["m"]), m["y"]
            if y:
                add(m.start(), m.end(), when=f"{d:02d}/{mo:02d}/{y}", kind="deadline", year=int(y), month=mo, day=d)
            else:
                label = recurring or "hằng năm"
                add(
                    m.start(),
                    m.end(),
                    when=f"{d:02d}/{mo:02d} ({label})",
                    kind="recurring",
                    month=mo,
                    day=d,
                    recurring=label,
                )
            end = m.end()
            nxt = r.pattern("next_date").match(folded[end:])
            m = _Shifted(nxt, end) if nxt else None

    @staticmethod
    def _description(sentence: str, s: int, e: int) -> tuple[int, int]:
        """What the date is about: the text after "Giai đoạn …:" in a heading, else the
        part of the sentence (between semicolons) that holds the date."""
        colon = sentence.find(":", e)
        if colon >= 0 and not sentence[e:colon].strip(" ,") and colon + 1 < len(sentence):
            return colon + 1, len(sentence)
        start = sentence.rfind(";", 0, s) + 1
        end = sentence.find(";", e)
        return start, len(sentence) if end < 0 else end


class _Shifted:
    """A match of a pattern run on a suffix, with offsets into the whole string."""

    def __init__(self, m: re.Match, shift: int):
        self._m, self._shift = m, shift

    def __getitem__(self, key):
        return self._m[key]

    def start(self) -> int:
        return self._m.start("d") + self._shift

    def end(self) -> int:
        return self._m.end() + self._shift
