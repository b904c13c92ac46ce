"""Answer precision: the share of an answer's claims that are relevant to the question
and needed by it, read from the question and the answer alone (no gold).

* **Relevant**: when the question names a year (or a period), a claim about another year
  is not relevant; when it names a document, a claim citing and naming only other
  documents is not, unless the answer says the named document does not state it and
  names the one that does ("Nghị quyết 20-NQ/TW không nêu nội dung này; Nghị quyết
  57-NQ/TW nêu:": the named document is a preference, not a filter). A claim that states no year takes the year of its clause's heading
  ("2. Tầm nhìn đến năm 2045", or the heading of a cited or retrieved parent clause).
* **Needed**: a question that asks for a figure or a date needs a claim that states one;
  and a claim must carry the question's topic about as well as the answer's closest
  claim does: its share of the topic words (the question's words minus question words,
  names of documents and years; eval/resources/question.toml), weighted by how rare each
  is among the clauses the answer retrieved and cited, is at least ``TOPIC`` times the
  best claim's. A claim's words include its clause's headings and, for a list item, the
  list it stands in (the line introducing it and its items). So precision scores what an
  answer adds beside its closest claim; a one-claim answer is never imprecise by topic.

So an answer to "Đến năm 2030, quy mô kinh tế số phải đạt bao nhiêu phần trăm GDP?" that
first states another text's "3% GDP" for investment in science, then the 2030 figure,
then the 2045 target, has one claim in three that is relevant and needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from .claims import Claim, _absence, parse_answer
from .lang import PhraseSet, fold, resource, stopwords
from .slots import Parsed, parse

TOPIC = 0.4  # a claim carrying under 40% of the closest claim's topic weight adds what was not asked
_RANGE = (("-",), ("–",), ("den",), ("toi",), ("den", "nam"))


@dataclass
class Focus:
    """What a question asks."""

    years: list[tuple[int, int]] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    asks: set[str] = field(default_factory=set)  # "quantity" | "date" | "body" | "document"
    topic: list[str] = field(default_factory=list)  # folded topic words


@dataclass
class Judged:
    relevant: bool
    needed: bool
    reason: str


@cache
def _lists():
    q = resource("question")
    src = q["source"]
    return {
        "asks": {k: PhraseSet(v) for k, v in q["asks"].items()},
        "not_topic": {fold(w) for w in q["not_topic"]["words"]} | set(stopwords()),
        "before": PhraseSet(src["before"]),
        "after": PhraseSet(src["after"]),
        "not_before": PhraseSet(src["not_before"]),
    }


def years_of(p: Parsed) -> list[tuple[int, int]]:
    """The years and periods a text names ("2021-2025" is one period)."""
    ys = [s for s in p.slots if s.kind == "year"]
    out, i = [], 0
    while i < len(ys):
        a = b = int(ys[i].key)
        if i + 1 < len(ys) and tuple(p.norms[ys[i].end : ys[i + 1].start]) in _RANGE:
            b = int(ys[i + 1].key)
            i += 1
        out.append((min(a, b), max(a, b)))
        i += 1
    return out


def docs_of(p: Parsed) -> set[str]:
    return {s.key for s in p.slots if s.kind == "document"}


def _ends_with(phrases: PhraseSet, norms, i: int) -> bool:
    return any(
        i - n >= 0 and phrases.match(norms[i - n : i], 0) == (n, " ".join(norms[i - n : i]))
        for n in range(1, phrases.longest + 1)
    )


def source_docs(p: Parsed) -> set[str]:
    """Documents a question names as the source of its answer (question.toml [source])."""
    L, out = _lists(), set()
    for s in p.slots:
        if s.kind != "document":
            continue
        if _ends_with(L["not_before"], p.norms, s.start):
            continue
        if s.start == 0 or _ends_with(L["before"], p.norms, s.start) or L["after"].match(p.norms, s.end):
            out.add(s.key)
    return out


def _topic(p: Parsed) -> list[str]:
    L = _lists()
    inside = {k for s in p.slots if s.kind in ("document", "year", "date") for k in range(s.start, s.end)}
    return list(
        dict.fromkeys(
            t.norm
            for i, t in enumerate(p.tokens)
            if t.kind == "word" and i not in inside and t.norm not in L["not_topic"]
        )
    )


def focus_of(question: str, history: list[dict] | None = None) -> Focus:
    """Years, source documents, the kind of value and the topic a question asks about; a
    follow-up takes the years and topic it leaves out from the user's earlier turns."""
    p = parse(question)
    f = Focus(years_of(p), source_docs(p), set(), _topic(p))
    padded = f" {fold(question)} "
    for kind, phrases in _lists()["asks"].items():
        if any(
            f" {' '.join(k)} " in padded or " ".join(k).endswith(" ")
            for k in phrases.keys
            if f" {' '.join(k)} " in padded
        ):
            f.asks.add(kind)
    for turn in reversed([m for m in (history or []) if m.get("role") == "user"]):
        hp = parse(turn.get("content", ""))
        f.years = f.years or years_of(hp)
        if len(f.topic) < 3:
            f.topic = list(dict.fromkeys(f.topic + _topic(hp)))
    return f


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= 160 else ""


def _headings(cit, answer) -> list[str]:
    """The heading lines above a cited clause found in the answer: the clause's own first
    line when it is a heading, and the first lines of cited or retrieved parent clauses."""
    out = []
    if "\n" in cit.text.strip():
        out.append(_first_line(cit.text))
    for c in list(answer.citations) + list(answer.contexts):
        if c.doc_id == cit.doc_id and c.clause and cit.clause.startswith(c.clause + "."):
            out.append(_first_line(c.text))
    return [h for h in out if h]


def ancestor_headings(answer) -> dict[str, list[str]]:
    """chunk id → the first lines of the clauses above it that the answer cites or
    retrieved (a heading such as "1. Mục tiêu đến năm 2030" over its points)."""
    known = list(answer.citations) + list(answer.contexts)
    out = {}
    for c in known:
        heads = [
            _first_line(p.text)
            for p in known
            if p.doc_id == c.doc_id and p.clause and c.clause.startswith(p.clause + ".")
        ]
        out[c.chunk_id] = list(dict.fromkeys(h for h in heads if h))
    return out


def topic_weights(topic: list[str], answer) -> dict[str, float]:
    """How much each topic word tells the clauses the answer retrieved or cited apart:
    log((N + 1) / (df + 0.5)), df = clauses holding it; a word found in none (a
    paraphrase's own wording) weighs nothing."""
    texts = {c.text for c in list(answer.contexts) + list(answer.citations)}
    sets = [set(parse(t).norms) for t in texts]
    n = len(sets)
    out = {}
    for w in topic:
        df = sum(w in s for s in sets)
        out[w] = math.log((n + 1) / (df + 0.5)) if df else 0.0  # a word no clause uses tells nothing
    return out


def _groups(claims: list[Claim], framing: dict[int, str]) -> dict[int, set[str]]:
    """Words of the list each bullet claim stands in: the line introducing it and all its
    items (claim index → words)."""
    out: dict[int, set[str]] = {}
    group: list[int] = []
    intro = ""
    for k, c in enumerate(claims + [Claim("", bullet=False, line=-1)]):
        if c.bullet:
            group.append(k)
            continue
        if group:
            words = set(parse(intro).norms) | set(parse(framing.get(claims[group[0]].line, "")).norms)
            for g in group:
                words |= set(parse(claims[g].text).norms)
            out.update({g: words for g in group})
            group = []
        intro = c.text
    return out


def _group_kinds(claims: list[Claim], groups: dict[int, set[str]]) -> dict[int, set[str]]:
    """Slot kinds each list item's list states: its items' and its introducing line's;
    two items or more state their number ("quantity"). A lead-in claim ending with ":"
    states the same as the list it opens."""
    out: dict[int, set[str]] = {}
    members: dict[int, list[int]] = {}
    for k in groups:
        members.setdefault(id(groups[k]), []).append(k)
    for ks in members.values():
        kinds = {s.kind for k in ks for s in parse(claims[k].text).slots}
        first = min(ks)
        if first > 0 and not claims[first - 1].bullet:
            kinds |= {s.kind for s in parse(claims[first - 1].text).slots}
        if len(ks) >= 2:
            kinds.add("quantity")
        out.update({k: kinds for k in ks})
        if first > 0 and not claims[first - 1].bullet and claims[first - 1].text.rstrip().endswith(":"):
            out[first - 1] = kinds  # a cited lead-in ("… sử dụng hệ thống chỉ tiêu để:") states what its list states
    return out


def redirected_docs(text: str, asked: set[str]) -> set[str]:
    """The documents an answer's framing line names when it says an asked document does
    not state the thing ("Nghị quyết 20-NQ/TW không nêu nội dung này; Nghị quyết 57-NQ/TW
    nêu:"): the answer is about them too."""
    absent, out = _absence(), set()
    for c in parse_answer(text):
        if c.framing and absent(c.text):
            docs = docs_of(parse(c.text))
            if docs & asked:
                out |= docs
    return out


def judge_claims(
    question: str, history: list[dict] | None, answer, claims: list[Claim], framing: dict[int, str] | None = None
) -> list[Judged]:
    """Relevance and need of each claim (framing: line number → the framing line that
    introduces the list a bullet claim stands in)."""
    f = focus_of(question, history)
    if f.docs:
        f.docs |= redirected_docs(answer.answer, f.docs)
    weights = topic_weights(f.topic, answer)
    total = sum(weights.values())
    groups = _groups(claims, framing or {})
    group_kinds = _group_kinds(claims, groups)
    by_marker = {c.marker: c for c in answer.citations}
    heads_of = [[h for m in c.markers if m in by_marker for h in _headings(by_marker[m], answer)] for c in claims]
    shares = []
    for k, claim in enumerate(claims):
        words = set(parse(claim.text).norms) | groups.get(k, set())
        for h in heads_of[k]:
            words |= set(parse(h).norms)
        shares.append(sum(w for t, w in weights.items() if t in words) / total if total > 0 else 1.0)
    best = max(shares, default=0.0)
    out = []
    for k, claim in enumerate(claims):
        cits = [by_marker[m] for m in claim.markers if m in by_marker]
        cp = parse(claim.text)
        heads = heads_of[k]
        reasons = []
        # years: the claim's own, else those of its clause's headings
        years = years_of(cp) or [y for h in heads for y in years_of(parse(h))]
        if f.years and years and not _overlap(years, f.years):
            reasons.append(f"nói về năm {_fmt(years)}, câu hỏi hỏi năm {_fmt(f.years)}")
        if f.docs:
            docs = docs_of(cp) | {d for c in cits for d in docs_of(parse(f"{c.doc_short} {c.label}"))}
            docs |= {d for c in cits for d in docs_of(parse(c.text))}
            if not docs & f.docs:
                reasons.append("trích văn bản khác với văn bản câu hỏi hỏi tới")
        relevant = not reasons
        needed = True
        kinds = {s.kind for s in cp.slots}
        if k in group_kinds:  # a list item states what its list states; a list of items states their count
            kinds |= group_kinds[k]
        if "quantity" in f.asks and "quantity" not in kinds:
            needed = False
            reasons.append("câu hỏi hỏi con số mà câu không nêu con số nào")
        elif "date" in f.asks and not kinds & {"date", "year"} and "quantity" not in f.asks:
            needed = False
            reasons.append("câu hỏi hỏi thời hạn mà câu không nêu ngày tháng nào")
        if best > 0 and shares[k] < TOPIC * best:
            needed = False
            reasons.append(
                f"ít liên quan tới chủ đề câu hỏi hơn hẳn câu sát nhất ({shares[k]:.0%} so với {best:.0%} "
                f"trọng số từ chủ đề: {', '.join(sorted(weights, key=lambda w: weights[w], reverse=True)[:5])})"
            )
        out.append(Judged(relevant, needed, "; ".join(reasons) or "liên quan và cần cho câu hỏi"))
    return out


def _fmt(years: list[tuple[int, int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in years[:3])
