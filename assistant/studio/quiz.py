"""Quizzes from the clauses: figures, deadlines, responsible bodies and list membership,
as multiple choice (wrong options taken from sibling clauses) and fill-in questions, each
with its answer key and citation. Every candidate passes two checks before it is kept: its
answer is written in its clause, and no wrong option is (so no question has two defensible
answers); those that fail are counted as rejected. Stems are templates in prompts/."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from retrieval.text import fold, sentence_spans

from .bodies import BodyIndex
from .corpus import Corpus, Node
from .outline import key_point
from .types import Cite, Milestone, Question, Quiz, Target, Task

OPTIONS = 4  # one answer and up to three wrong options
MIN_OPTIONS = 3
STATED = 0.6  # share of an option's content words found in the clause: it is stated there
ECHOED = 0.4  # a wrong option sharing this share of its words with the clause is too close to it
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+")
_FUNCTION = set(
    "va cua cac la co duoc cho trong ve nhung mot nay do theo de tu khi thi ma nhu voi tai o da se dang".split()
)
BLANK = "_____"


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def content(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(text)) if w not in _FUNCTION and not w.isdigit())


def numbers(text: str) -> set[str]:
    """The numbers of a text, written one way ("05" = "5", "0,7" = "0.7")."""
    out = set()
    for n in _NUM.findall(text):
        n = n.replace(",", ".")
        out.add((n.lstrip("0") or "0") if re.fullmatch(r"\d+", n) else n)
    return out


_DAY_MONTH = re.compile(r"(\d{1,2})(?:\s+tháng\s+|/)(\d{1,2})\b")
_YEAR = re.compile(r"(?:năm\s+|/)((?:19|20)\d{2})\b")


def dates(text: str) -> set[str]:
    """The dates of a text as 'd/m' and 'yyyy' tokens."""
    out = {f"{int(d)}/{int(m)}" for d, m in _DAY_MONTH.findall(text) if 1 <= int(d) <= 31 and 1 <= int(m) <= 12}
    return out | set(_YEAR.findall(text))


@lru_cache(maxsize=512)
def _sentences(text: str) -> tuple[str, ...]:
    """The sentences of a clause's text (a list item is said by one of them)."""
    out, pos = [], 0
    for line in text.split("\n"):
        out += [text[a:b] for a, b in sentence_spans(text, pos, pos + len(line))]
        pos += len(line) + 1
    return tuple(out)


def when_option(m: Milestone) -> str:
    """A milestone's date as an option: '15/6', '15/6/2025', 'tháng 01/2025', 'năm 2030'."""
    if m.day and m.month:
        return f"{m.day}/{m.month}" + (f"/{m.year}" if m.year else "")
    if m.month and m.year:
        return f"tháng {m.month:02d}/{m.year}"
    return f"năm {m.year}"


class QuizMaker:
    """Builds and checks the questions of a section."""

    def __init__(
        self,
        corpus: Corpus,
        targets: list[Target],
        milestones: list[Milestone],
        tasks: list[Task],
        bodies: BodyIndex,
        render: Callable[..., str],
    ):
        self.corpus, self.targets, self.milestones, self.tasks = corpus, targets, milestones, tasks
        self.bodies, self.render = bodies, render
        self._names_cache: dict[str, set[str]] = {}

    def make(self, node: Node, n: int | None = 10) -> Quiz:
        """Up to n questions (None: all) from a section, kinds taken in turn."""
        candidates = self.candidates(node)
        kept: list[Question] = []
        reasons: Counter[str] = Counter()
        for q in candidates:
            problem = self.check(q)
            if problem:
                reasons[problem] += 1
            else:
                kept.append(q)
        by_kind: dict[str, list[Question]] = {}
        for q in sorted(kept, key=lambda q: _key(q.kind, q.stem)):
            by_kind.setdefault(q.kind, []).append(q)
        chosen: list[Question] = []
        while any(by_kind.values()) and (n is None or len(chosen) < n):
            for kind in sorted(by_kind):
                if by_kind[kind] and (n is None or len(chosen) < n):
                    chosen.append(by_kind[kind].pop(0))
        order = {id(q): i for i, q in enumerate(candidates)}
        chosen.sort(key=lambda q: order[id(q)])
        title = node.heading if node.chunks else node.doc.title
        return Quiz(node.doc.short, node.path, title, chosen, len(candidates), sum(reasons.values()), dict(reasons))

    # -- the checks --------------------------------------------------------------------
    def _names(self, text: str) -> set[str]:
        if text not in self._names_cache:
            self._names_cache[text] = {m.body.name for m in self.bodies.mentions(text)}
        return self._names_cache[text]

    def stated(self, option: str, scope: str, kind: str, any_part: bool = False) -> bool:
        """Is this option written in the clause? A figure by its numbers, a date by its day
        and month or year, a body by its name (any_part: one of the bodies listed is
        enough), a list item by most of its content words."""
        if kind in ("figure", "fill"):
            return bool(numbers(option)) and numbers(option) <= numbers(scope)
        if kind == "deadline":
            return bool(dates(option)) and dates(option) <= dates(scope)
        if kind == "body":
            names, found = set(option.split("; ")), self._names(scope)
            return bool(names & found) if any_part else names <= found
        words = content(option)
        need = ECHOED if any_part else STATED
        return bool(words) and any(len(words & content(s)) / len(words) >= need for s in _sentences(scope))

    def scope_text(self, q: Question) -> str:
        return "\n".join(self.corpus.by_id[i].text for i in q.scope)

    def check(self, q: Question) -> str:
        """'' when the question is sound, else why it is rejected."""
        chunk = self.corpus.by_id.get(q.cite.chunk_id)
        if chunk is None or chunk.text[q.cite.quote_start : q.cite.quote_start + len(q.cite.quote)] != q.cite.quote:
            return "trích dẫn không khớp văn bản"
        if q.answer_text not in q.cite.quote:
            return "đáp án không có trong điều khoản"
        if q.answer < 0:
            return "" if q.stem.count(BLANK) == 1 else "chỗ trống không duy nhất"
        if len(q.options) < MIN_OPTIONS:
            return "thiếu phương án nhiễu"
        if len({fold(o) for o in q.options}) < len(q.options):
            return "phương án trùng nhau"
        if q.kind in ("figure", "deadline") and not all(numbers(o) for o in q.options):
            return "phương án không có số liệu"
        scope = self.scope_text(q)
        if not self.stated(q.options[q.answer], scope, q.kind):
            return "đáp án không có trong điều khoản"
        if any(self.stated(o, scope, q.kind, any_part=True) for i, o in enumerate(q.options) if i != q.answer):
            return "phương án nhiễu cũng đúng theo điều khoản"
        return ""

    # -- candidates --------------------------------------------------------------------
    def candidates(self, node: Node) -> list[Question]:
        ids = {c.id for n in node.walk() for c in n.chunks}
        out: list[Question | None] = []
        for t in self.targets:
            if t.cite.chunk_id in ids:
                out += [self._figure(t), self._fill(t)]
        for m in self.milestones:
            if m.cite.chunk_id in ids and m.kind in ("deadline", "recurring") and ((m.day and m.month) or m.year):
                out.append(self._deadline(m))
        for task in self.tasks:
            if task.cite.chunk_id in ids and task.lead and not task.general and not task.assigned_by:
                out.append(self._body(task))
        for sec in node.walk():
            items = [c for c in sec.children if c.chunks]
            if len(items) >= 2 and sec.chunks:
                out += [self._member(sec, item) for item in items]
        return [q for q in out if q is not None]

    def _options(
        self, answer: str, pool: list[tuple[str, Cite]], scope: str, kind: str
    ) -> tuple[list[str], int, list[Cite]]:
        """The answer and up to three wrong options drawn from the pool (in a stable order),
        skipping any the clause itself states."""
        wrong, cites, seen = [], [], {fold(answer)}
        for text, cite in sorted(pool, key=lambda p: _key(answer, p[0])):
            if fold(text) in seen or self.stated(text, scope, kind, any_part=True):
                continue
            seen.add(fold(text))
            wrong.append(text)
            cites.append(cite)
            if len(wrong) == OPTIONS - 1:
                break
        options = sorted([answer, *wrong], key=lambda o: _key(scope[:64], o))
        return options, options.index(answer), cites

    def _siblings_first(self, cite: Cite, pool: list[tuple[str, Cite]]) -> list[tuple[str, Cite]]:
        """Wrong options from the same document first (sibling clauses), then the others."""
        same = [p for p in pool if p[1].doc_id == cite.doc_id and p[1].chunk_id != cite.chunk_id]
        other = [p for p in pool if p[1].doc_id != cite.doc_id]
        return same if len(same) >= OPTIONS - 1 else same + other

    def _figure(self, t: Target) -> Question:
        scope = self.corpus.by_id[t.cite.chunk_id].text
        pool = [(x.value, x.cite) for x in self.targets if x.unit == t.unit and x.cite.chunk_id != t.cite.chunk_id]
        if len(pool) < OPTIONS - 1:
            pool += [(x.value, x.cite) for x in self.targets if x.kind == t.kind and x.unit != t.unit]
        options, answer, cites = self._options(t.value, self._siblings_first(t.cite, pool), scope, "figure")
        year = f" đến năm {t.year}" if t.year else ""
        stem = self.render("studio_quiz_figure", label=t.cite.label, indicator=t.indicator, year=year)
        return Question("figure", stem, options, answer, t.value, t.cite, cites, [t.cite.chunk_id])

    def _fill(self, t: Target) -> Question | None:
        m = _NUM.search(t.value)
        if not m:
            return None
        figure = _figure_core(t.value)
        if t.cite.quote.count(figure) != 1:
            return None
        sentence = t.cite.quote.replace(figure, BLANK)
        stem = self.render("studio_quiz_fill", label=t.cite.label, sentence=sentence)
        return Question("fill", stem, [], -1, figure, t.cite, [], [t.cite.chunk_id])

    def _deadline(self, m: Milestone) -> Question | None:
        scope = self.corpus.by_id[m.cite.chunk_id].text
        phrase = _date_phrase(m, m.cite.quote)
        if phrase is None:
            return None
        pool = [
            (when_option(x), x.cite)
            for x in self.milestones
            if x.kind == m.kind
            and x.cite.chunk_id != m.cite.chunk_id
            and (x.day is None) == (m.day is None)
            and ((x.day and x.month) or x.year)
        ]
        answer = when_option(m)
        options, idx, cites = self._options(answer, self._siblings_first(m.cite, pool), scope, "deadline")
        sentence = m.cite.quote.replace(phrase, BLANK, 1)
        stem = self.render("studio_quiz_deadline", label=m.cite.label, sentence=sentence)
        return Question("deadline", stem, options, idx, phrase, m.cite, cites, [m.cite.chunk_id])

    def _body(self, t: Task) -> Question | None:
        mentions = [x for x in self.bodies.mentions(t.cite.quote) if x.body.name in t.lead]
        if not mentions:
            return None
        a, b = mentions[0].start, mentions[-1].end
        answer_text = t.cite.quote[a:b]
        sentence = t.cite.quote[:a] + BLANK + t.cite.quote[b:]
        scope = self.corpus.by_id[t.cite.chunk_id].text
        answer = "; ".join(t.lead)
        pool = [
            ("; ".join(x.lead), x.cite)
            for x in self.tasks
            if x.lead and not x.general and x is not t and not set(x.lead) & set(t.lead)
        ]
        options, idx, cites = self._options(answer, self._siblings_first(t.cite, pool), scope, "body")
        role = "chủ trì" if "chu tri" in fold(t.cite.quote) else "được giao thực hiện"
        stem = self.render("studio_quiz_body", label=t.cite.label, role=role, sentence=sentence)
        return Question("body", stem, options, idx, answer_text, t.cite, cites, [t.cite.chunk_id])

    def _member(self, sec: Node, item: Node) -> Question:
        answer = key_point(self.corpus, item)
        scope_ids = [c.id for n in sec.walk() for c in n.chunks]
        scope = "\n".join(self.corpus.by_id[i].text for i in scope_ids)
        pool = []
        parent = sec.parent
        cousins = [c for c in (parent.children if parent else []) if c is not sec]
        for other in cousins:
            for leaf in other.children:
                if leaf.chunks:
                    pool.append((key_point(self.corpus, leaf).quote, key_point(self.corpus, leaf)))
        options, idx, cites = self._options(answer.quote, pool, scope, "member")
        stem = self.render("studio_quiz_member", label=sec.label, heading=sec.heading)
        return Question("member", stem, options, idx, answer.quote, answer, cites, scope_ids)


def _figure_core(value: str) -> str:
    """The figure of a value, without its comparator: 'tối thiểu 30% GDP' -> '30%'."""
    m = re.search(r"\d+(?:[.,]\d+)*(?:\s*%?\s*(?:-|–)\s*\d+(?:[.,]\d+)*)?\s*%?(?:/\d+)?", value)
    return m.group(0).strip() if m else value


def _date_phrase(m: Milestone, quote: str) -> str | None:
    """The words of the quote that give the milestone's date ("15 tháng 6", "năm 2025")."""
    if m.day and m.month:
        for pat in (rf"0?{m.day}\s+tháng\s+0?{m.month}(?:\s+năm\s+\d{{4}})?", rf"0?{m.day}/0?{m.month}(?:/\d{{4}})?"):
            found = re.search(pat, quote)
            if found:
                return found.group(0)
        return None
    if m.year:
        found = re.search(rf"năm\s+{m.year}", quote)
        return found.group(0) if found and quote.count(found.group(0)) == 1 else None
    return None
