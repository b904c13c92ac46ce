"""Probe questions generated from the documents themselves: a general check of the search
that needs no written questions (and so cannot be tuned to them).

Each probe takes a few words of one clause and types them the ways people type in a chat,
then asks whether that clause is among the first hits (a heading whose items hold it counts,
as in the evaluation, eval/retrieval.py):

- ``plain``: a window of the clause's words, asked ("… là gì?");
- ``folded``: the same typed without tone marks;
- ``keywords``: only the window's rarest words, without tone marks;
- ``dropped``: a third of the window's words left out;
- ``synonym``: words replaced by another member of their group in
  retrieval/resources/synonyms.tsv (a check of the mechanism, not of the resource);
- ``abbreviated``: the phrases people shorten written short ("khcn", "ubnd", "nq");
- ``preamble``: the ask after a sentence or two about the asker's job;
- ``wrong_doc``: the ask naming another document than the clause's;
- ``heading``: a heading with several items, asked for its items ("… gồm những gì?"):
  the heading itself is the target;
- ``typo``: typed fast without tone marks, a letter of a word or two dropped, doubled or
  swapped ("chuyn doi so");
- ``mixed_marks``: some words with their tone marks, the others without (a phone keyboard
  switched half-way);
- ``glued_doc``: keywords with the clause's own document glued short ("nq57", "kh01");
- ``english``: a phrase written as the English term people use ("startup", "R&D", "AI");
- ``question_word``: keywords and a question word only ("… bao nhieu", "ai …");
- ``year_only``: keywords and the year of the heading the clause stands under ("… 2030");
- ``wrong_glued``: keywords with another document than the clause's glued short ("nq03 …"):
  the named document is a preference, not a filter;
- ``long_preamble``: keywords after two or three sentences about the asker's work, with no
  "cho hỏi" to mark where the ask starts;
- ``shuffled``: the keywords in another order (a chat ask does not keep the text's order);
- ``heading_path``: a few words of the heading the clause stands under, then its keywords
  ("ha tang so, trung tam du lieu quoc gia"): the heading path as a field.

Deterministic for a seed. The kinds combine (``folded+preamble``) as chat does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .rules import load_rules
from .synonyms import default_synonyms
from .text import fold, sentence_spans

_WORD = re.compile(r"\w+")
_DOC_NAME = re.compile(r"\b(?:nghi quyet|ket luan|ke hoach|quyet dinh) so\b|\b(?:nq|kl|qd|tw|cp)\b")
_ROMAN_MARK = re.compile(r"^\s*[IVX]{1,5}\s*[-.]\s*")
_LIST_MARK = re.compile(r"^\s*(?:[-–+•*]|\(?[0-9IVXLCa-zđ]{1,4}[.)](?:\d+[.)])*)\s*")

KINDS = (
    "plain",
    "folded",
    "keywords",
    "dropped",
    "synonym",
    "abbreviated",
    "preamble",
    "wrong_doc",
    "heading",
    "heading_under",
    "ordinal",
    "folded+preamble",
    "folded+dropped",
    "folded+synonym",
    "typo",
    "mixed_marks",
    "glued_doc",
    "english",
    "question_word",
    "year_only",
    "wrong_glued",
    "long_preamble",
    "shuffled",
    "heading_path",
)

# the frames a question is put in ("{}" is the clause's words)
_FRAMES = (
    "{} là gì?",
    "Văn bản quy định thế nào về {}?",
    "{} như thế nào?",
    "cho hỏi về {}",
    "{}?",
    "Nội dung {} ra sao?",
)
_HEADING_FRAMES = (
    "{} gồm những gì?",
    "{} có những nội dung nào?",
    "Liệt kê {}",
    "{} bao gồm những nhiệm vụ nào?",
    "các nội dung của {} là gì",
)
# who asks, and what they are doing (general, not about any one clause)
_PREAMBLES = (
    "Tôi là chuyên viên phòng kế hoạch của Sở, đang soạn báo cáo tổng kết năm cho lãnh đạo.",
    "Em làm ở văn phòng Ủy ban nhân dân huyện, sếp giao em rà soát các văn bản mới. Cho em hỏi",
    "Tôi đang phụ trách mảng tổng hợp của đơn vị và cần trả lời văn bản của cấp trên gửi xuống.",
    "Mình là cán bộ một trường đại học, đang chuẩn bị tài liệu cho buổi họp chi bộ tuần sau. Xin hỏi",
    "Chào bạn, tôi công tác tại một doanh nghiệp nhà nước và đang tìm hiểu chính sách mới.",
    "Đơn vị tôi đang xây dựng kế hoạch thực hiện cho giai đoạn tới, tôi được giao viết phần căn cứ.",
)
_ORDINALS = (
    "thứ nhất",
    "thứ hai",
    "thứ ba",
    "thứ tư",
    "thứ năm",
    "thứ sáu",
    "thứ bảy",
    "thứ tám",
    "thứ chín",
    "thứ mười",
)
_ASKS = ("{}?", "Văn bản nói gì về {}?", "{} thì sao?", "vậy {} là thế nào?")
# the question words of a keyword-only chat ask, folded: before or after the keywords
_QUESTION_WORDS = (
    "{} la gi",
    "{} bao nhieu",
    "{} khi nao",
    "{} o dau",
    "{} ntn",
    "{} the nao",
    "ai {}",
    "{} gom gi",
    "{} ra sao",
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DOC_KIND = re.compile(r"\b(nghị quyết|kế hoạch|kết luận|quyết định)\s+(?:số\s+)?(\d{1,4})", re.IGNORECASE)


@dataclass(frozen=True)
class Probe:
    kind: str
    query: str
    target: str  # the id of the clause (or heading) that should be found
    also: tuple[str, ...] = ()  # other clauses that count as found (the same item elsewhere)


@dataclass
class ProbeReport:
    found: dict[str, list[bool]]
    outcome: dict[Probe, bool] = field(default_factory=dict)

    def recall(self) -> dict[str, float]:
        out = {kind: sum(v) / len(v) for kind, v in self.found.items() if v}
        every = [x for v in self.found.values() for x in v]
        out["all"] = sum(every) / len(every) if every else 0.0
        return out

    def show(self) -> str:
        r = self.recall()
        return "  ".join(f"{kind} {r[kind]:.3f}" for kind in [*self.found, "all"] if kind in r)


def _content(words: Sequence[str], stop: frozenset[str]) -> list[int]:
    return [i for i, w in enumerate(words) if w.lower() not in stop and not w.isdigit() and len(w) > 1]


class ProbeMaker:
    """Makes probes from a chunk table (retrieval.store.ChunkTable) and the catalog's
    documents (their citation names, for ``wrong_doc``)."""

    def __init__(
        self,
        table,
        doc_names: dict[str, str],
        idf: Callable[[str], float],
        doc_freq: Callable[[str], int],
        seed: int = 0,
    ):
        self.table = table
        self.doc_names = doc_names
        self.idf = idf
        self.doc_freq = doc_freq
        self._plain = [" ".join(_WORD.findall(fold(c.text))) for c in table.chunks]
        self.rng = random.Random(seed)
        self.chat = random.Random(seed + 1)  # the later kinds' own draws: the earlier kinds stay as they were
        self.more = random.Random(seed + 2)  # and those of the kinds after them
        self.synonyms = default_synonyms()
        abbreviations = load_rules("query").mapping("abbreviations")
        # the multi-word phrases people shorten ("khoa học công nghệ" -> "khcn"), folded
        self.shortened = sorted(
            ((fold(long), short) for short, long in abbreviations.items() if " " in long),
            key=lambda p: -len(p[0]),
        )
        self.stop = frozenset(w for w in _stopwords())
        # English terms people type for the documents' phrases, longest meaning first (folded)
        self.english_terms = sorted(
            ((term, fold(meaning)) for term, meaning in load_rules("query").mapping("english").items()),
            key=lambda p: -len(p[1]),
        )

    # -- the clauses probed ------------------------------------------------------------
    def sources(self) -> list:
        seen: set[str] = set()
        out = []
        for c in self.table.chunks:
            if c.boilerplate or c.kind == "title" or c.authority != "official":
                continue
            key = fold(c.text)
            if len(_WORD.findall(c.text)) < 12 or key in seen:
                continue
            seen.add(key)
            out.append(c)
        return out

    def headings(self) -> list:
        """Headings with three items or more whose line no other heading repeats (not the
        "c) Sáng kiến đột phá" of every Hệ thống)."""
        out: list = []
        lines: dict[str, int] = {}
        for c in self.table.chunks:
            kids = self.table.children.get(c.id, [])
            head = c.text.partition("\n")[0]
            if c.kind == "title" or c.boilerplate or len(kids) < 3 or not 3 <= len(_WORD.findall(head)) <= 20:
                continue
            if c.authority != "official" or head.isupper():
                continue
            out.append(c)
            key = fold(_LIST_MARK.sub("", head))
            lines[key] = lines.get(key, 0) + 1
        return [c for c in out if lines[fold(_LIST_MARK.sub("", c.text.partition("\n")[0]))] == 1]

    def repeated_headings(self) -> list[tuple]:
        """Headings whose line other headings repeat ("c) Sáng kiến đột phá" of each Hệ
        thống), each with the line of the heading it stands under: asked together."""
        heads = [
            c
            for c in self.table.chunks
            if c.kind != "title"
            and not c.boilerplate
            and c.authority == "official"
            and len(self.table.children.get(c.id, [])) >= 2
        ]

        def line(c) -> str:
            return _LIST_MARK.sub("", c.text.partition("\n")[0]).rstrip(" :.")

        counts: dict[str, int] = {}
        for c in heads:
            counts[fold(line(c))] = counts.get(fold(line(c)), 0) + 1
        out = []
        for c in heads:
            parent = self.table.by_id.get(c.parent_id)
            if counts[fold(line(c))] < 2 or parent is None or parent.kind == "title":
                continue
            up = line(parent)
            if 2 <= len(_WORD.findall(up)) <= 16 and not up.isupper():
                out.append((c, line(c), up))
        return out

    def window(self, chunk, size: tuple[int, int] = (7, 12), tries: int = 12) -> list[str] | None:
        """A run of words from one sentence of the clause (not its list mark) that says
        something of its own: found in at most two clauses, and holding a word pair that
        few clauses use (not only "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số").
        None when the clause has no such run."""
        text = chunk.text
        spans = [(a, b) for a, b in sentence_spans(text) if len(_WORD.findall(text[a:b])) >= 5] or [(0, len(text))]
        for _ in range(tries):
            a, b = self.rng.choice(spans)
            words = _WORD.findall(_LIST_MARK.sub("", text[a:b]))
            n = self.rng.randint(*size)
            if len(words) > n:
                start = self.rng.randint(0, len(words) - n)
                words = words[start : start + n]
            if self._distinctive(words):
                return words
        return None

    def _distinctive(self, words: Sequence[str]) -> bool:
        folded = [fold(w) for w in words]
        needle = " ".join(folded)
        if sum(needle in t for t in self._plain) > 2 or _DOC_NAME.search(needle):
            return False
        pairs = [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
        return any(0 < self.doc_freq(p) <= 8 for p in pairs)

    def ordinals(self) -> list[Probe]:
        """Items asked by their number spelled as an ordinal: a labelled one ("- Sáng kiến
        4: …" asked "sáng kiến thứ tư là gì?"; every clause labelled so counts), and one of
        a heading's items that share an unnumbered opening ("2. Giai đoạn 2028 - 2030"
        asked "giai đoạn thứ hai của <the heading>")."""
        rules = load_rules("query")
        units = sorted(rules.mapping("numbered_units"), key=len, reverse=True)
        positional = set(rules.mapping("positional_units"))
        opening = re.compile(r"^(" + "|".join(re.escape(u) for u in units) + r")(?:\s+(\d{1,2})(?![\d.,/-]))?\b")
        labelled: dict[tuple[str, int], list] = {}
        series: dict[tuple[str, str], list] = {}
        for c in self.table.chunks:
            if c.boilerplate or c.kind == "title" or c.authority != "official":
                continue
            m = opening.match(" ".join(_WORD.findall(fold(_LIST_MARK.sub("", c.text[:80])))))
            if not m:
                continue
            if m.group(2):
                labelled.setdefault((m.group(1), int(m.group(2))), []).append(c)
            elif c.parent_id and m.group(1) in positional:
                series.setdefault((c.parent_id, m.group(1)), []).append(c)
        out: list[Probe] = []
        for (unit, n), items in sorted(labelled.items()):
            if 1 <= n <= len(_ORDINALS):
                words = _WORD.findall(_LIST_MARK.sub("", items[0].text[:80]))[: len(unit.split())]
                name = " ".join(words)
                out.append(
                    Probe("ordinal", f"{name} {_ORDINALS[n - 1]} là gì?", items[0].id, tuple(c.id for c in items[1:]))
                )
        for (parent_id, _unit), items in sorted(series.items()):
            parent = self.table.by_id.get(parent_id)
            if parent is None or parent.kind == "title" or len(items) < 2:
                continue
            up = _ROMAN_MARK.sub("", _LIST_MARK.sub("", parent.text.partition("\n")[0])).rstrip(" :.")
            up = up.lower() if up.isupper() else up
            if not 2 <= len(_WORD.findall(up)) <= 16:
                continue
            items = sorted(items, key=lambda c: c.order)
            for n, c in enumerate(items[: len(_ORDINALS)], 1):
                name = " ".join(_WORD.findall(_LIST_MARK.sub("", c.text[:80]))[: len(_unit.split())])
                asked = f"{name} {_ORDINALS[n - 1]} của {up[:1].lower()}{up[1:]} là gì?"
                out.append(Probe("ordinal", asked, c.id))
        return out

    # -- the ways of typing ------------------------------------------------------------
    def typo(self, words: Sequence[str]) -> str:
        """The window's content words typed fast, without tone marks: one word of five
        letters or more (two in a long window) with a letter dropped, doubled or swapped
        with the next; never the first letter."""
        folded = [fold(w) for w in words]
        content = [i for i in _content(words, self.stop) if len(folded[i]) >= 5 and folded[i].isalpha()]
        picked = self.chat.sample(content, min(len(content), 2 if len(words) >= 10 else 1))
        for i in picked:
            w = folded[i]
            at = self.chat.randint(1, len(w) - 2)
            how = self.chat.choice(("drop", "double", "swap"))
            if how == "drop":
                w = w[:at] + w[at + 1 :]
            elif how == "double":
                w = w[:at] + w[at] + w[at:]
            else:
                w = w[:at] + w[at + 1] + w[at] + w[at + 2 :]
            folded[i] = w
        keep = set(_content(words, self.stop)) | set(picked)
        return " ".join(folded[i] for i in sorted(keep))

    def mixed_marks(self, words: Sequence[str]) -> str:
        """Every other word or so typed without its tone marks (at least one folded, one not)."""
        marked = [i for i, w in enumerate(words) if fold(w) != w.lower()]
        if len(marked) < 2:
            return self.ask(words, self.chat)
        bare = set(self.chat.sample(marked, max(1, len(marked) // 2)))
        return self.ask([fold(w) if i in bare else w for i, w in enumerate(words)], self.chat).lower()

    def glued_doc(self, chunk, words: Sequence[str]) -> str | None:
        """The keywords with the clause's own document glued short ("nq57 …", "… kh01")."""
        m = _DOC_KIND.search(self.doc_names.get(chunk.doc_id, ""))
        if m is None:
            return None
        short = "".join(w[0] for w in fold(m.group(1)).split()) + m.group(2)
        kw = self.keywords(words)
        return f"{short} {kw}" if self.chat.random() < 0.5 else f"{kw} {short}"

    def english(self, words: Sequence[str]) -> str | None:
        """The window with a phrase written as the English term people type
        (retrieval/resources/rules/query.toml ``english``: a check of the mechanism)."""
        text = " ".join(words)
        folded = fold(text)
        for term, meaning in self.english_terms:
            m = re.search(rf"(?<!\w){re.escape(meaning)}(?!\w)", folded)
            if m:
                return self.ask((text[: m.start()] + term + text[m.end() :]).split(), self.chat)
        return None

    def question_word(self, words: Sequence[str]) -> str:
        return self.chat.choice(_QUESTION_WORDS).format(self.keywords(words))

    def year_only(self, chunk, words: Sequence[str]) -> str | None:
        """The keywords and the year of the heading the clause stands under (not a year the
        window itself writes)."""
        years = sorted(set(_YEAR.findall(" ".join(chunk.breadcrumb[1:]))) - set(_YEAR.findall(" ".join(words))))
        if not years:
            return None
        year = self.chat.choice(years)
        kw = self.keywords(words)
        return self.chat.choice((f"{kw} {year}", f"{kw} nam {year}", f"{year} {kw} ?"))

    def wrong_glued(self, chunk, words: Sequence[str]) -> str | None:
        """The keywords with another document glued short ("nq03 …"), one where none of the
        keywords' word pairs is written."""
        kw = self.keywords(words)
        folded = kw.split()
        pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:])]
        holders = {c.doc_id for c, t in zip(self.table.chunks, self._plain) if any(p in t for p in pairs)}
        shorts = []
        for doc, name in sorted(self.doc_names.items()):
            m = _DOC_KIND.search(name)
            if m and doc != chunk.doc_id and doc not in holders:
                shorts.append("".join(w[0] for w in fold(m.group(1)).split()) + m.group(2))
        if not shorts:
            return None
        short = self.more.choice(shorts)
        return self.more.choice((f"{short} {kw}", f"{kw} trong {short}", f"{short} co noi {kw} k"))

    def long_preamble(self, words: Sequence[str]) -> str:
        """Two or three sentences about the asker's work, then the keywords (folded or not)."""
        plain = [p for p in _PREAMBLES if p.endswith(".")]  # no "Cho em hỏi" before the last
        lead = " ".join(self.more.sample(plain, self.more.randint(2, 3)))
        ask = f"{self.keywords(words)} {self.more.choice(('the nao', 'ra sao', 'la gi', 'nhu nao'))}"
        text = f"{lead} {ask}"
        return fold(text).lower() if self.more.random() < 0.5 else text

    def shuffled(self, words: Sequence[str]) -> str:
        """The window's content words, folded, in another order (pairs kept together)."""
        kw = self.keywords(words).split()
        pairs = [" ".join(kw[i : i + 2]) for i in range(0, len(kw), 2)]
        if len(pairs) < 2:
            return " ".join(kw)
        for _ in range(5):
            got = self.more.sample(pairs, len(pairs))
            if got != pairs:
                break
        return " ".join(got)

    def heading_path(self, chunk, words: Sequence[str]) -> str | None:
        """A few words of the heading the clause stands under, then its keywords, folded."""
        parent = self.table.by_id.get(chunk.parent_id)
        if parent is None or parent.kind == "title":
            return None
        head = _ROMAN_MARK.sub("", _LIST_MARK.sub("", parent.text.partition("\n")[0])).rstrip(" :.")
        hw = [w for w in _WORD.findall(fold(head)) if w not in self.stop and not w.isdigit()]
        if len(hw) < 2:
            return None
        n = min(len(hw), self.more.randint(2, 4))
        at = self.more.randint(0, len(hw) - n)
        return f"{' '.join(hw[at : at + n])}, {self.keywords(words)}"

    def ask(self, words: Sequence[str], rng: random.Random | None = None) -> str:
        return (rng or self.rng).choice(_FRAMES).format(" ".join(words))

    def keywords(self, words: Sequence[str]) -> str:
        """The window's two or three rarest words of two syllables (Vietnamese words are
        mostly two), in their order, without tone marks: "nen tang so an toan"."""
        folded = [fold(w) for w in words]
        content = set(_content(words, self.stop))
        pairs = [i for i in range(len(words) - 1) if i in content and i + 1 in content]
        if not pairs:
            return " ".join(folded[i] for i in sorted(content))
        best = sorted(pairs, key=lambda i: -self.idf(f"{folded[i]}_{folded[i + 1]}"))[:3]
        keep = sorted({j for i in best for j in (i, i + 1)})
        return " ".join(folded[i] for i in keep)

    def dropped(self, words: Sequence[str]) -> list[str]:
        """The window without its function words ("các", "của", "và") and one word more."""
        content = _content(words, self.stop)
        gone = set(range(len(words))) - set(content)
        if len(content) > 3:
            gone.add(self.rng.choice(content))
        return [w for i, w in enumerate(words) if i not in gone]

    def synonym(self, words: Sequence[str]) -> str | None:
        """The window with its phrases of a synonym group (longest first) written as another
        member; None when it holds none."""
        text = " ".join(words).lower()
        for members in self.rng.sample(self.synonyms.groups, len(self.synonyms.groups)):
            for m in sorted(members, key=len, reverse=True):
                if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", text):
                    other = self.rng.choice([o for o in members if o != m])
                    return re.sub(rf"(?<!\w){re.escape(m)}(?!\w)", other, text, count=1)
        return None

    def abbreviated(self, words: Sequence[str]) -> str | None:
        text = fold(" ".join(words))
        changed = text
        for long, short in self.shortened:
            changed = re.sub(rf"(?<!\w){re.escape(long)}(?!\w)", short, changed)
        return changed if changed != text else None

    def preamble(self, ask: str) -> str:
        return f"{self.rng.choice(_PREAMBLES)} {self.rng.choice(_ASKS).format(ask.rstrip('?'))}"

    def wrong_doc(self, chunk, words: Sequence[str]) -> str | None:
        """The ask naming a document that does not hold its rarer word pairs."""
        folded = [fold(w) for w in words]
        rare = [f"{a} {b}" for a, b in zip(folded, folded[1:]) if 0 < self.doc_freq(f"{a}_{b}") <= 8]
        holders = {c.doc_id for c, t in zip(self.table.chunks, self._plain) if any(p in t for p in rare)}
        others = [name for doc, name in self.doc_names.items() if doc != chunk.doc_id and doc not in holders]
        if not others:
            return None
        return f"Theo {self.rng.choice(others)}, {' '.join(words)} là gì?"

    # -- all of them -------------------------------------------------------------------
    def make(self, per_kind: int = 60) -> list[Probe]:
        sources = self.sources()
        picked = self.rng.sample(sources, min(per_kind, len(sources)))
        probes: list[Probe] = []
        for c in picked:
            w = self.window(c)
            if w is None:
                continue
            probes.append(Probe("plain", self.ask(w), c.id))
            probes.append(Probe("folded", fold(self.ask(w)), c.id))
            probes.append(Probe("keywords", self.keywords(w), c.id))
            probes.append(Probe("dropped", self.ask(self.dropped(w)), c.id))
            if (s := self.synonym(w)) is not None:
                probes.append(Probe("synonym", self.ask(s.split()), c.id))
                probes.append(Probe("folded+synonym", fold(self.ask(s.split())), c.id))
            if (s := self.abbreviated(w)) is not None:
                probes.append(Probe("abbreviated", s, c.id))
            probes.append(Probe("preamble", self.preamble(" ".join(w)), c.id))
            if (s := self.wrong_doc(c, w)) is not None:
                probes.append(Probe("wrong_doc", s, c.id))
            probes.append(Probe("folded+preamble", fold(self.preamble(" ".join(w))), c.id))
            probes.append(Probe("folded+dropped", fold(" ".join(self.dropped(w))), c.id))
            probes.append(Probe("typo", self.typo(w), c.id))
            probes.append(Probe("mixed_marks", self.mixed_marks(w), c.id))
            if (s := self.glued_doc(c, w)) is not None:
                probes.append(Probe("glued_doc", s, c.id))
            if (s := self.english(w)) is not None:
                probes.append(Probe("english", s, c.id))
            probes.append(Probe("question_word", self.question_word(w), c.id))
            if (s := self.year_only(c, w)) is not None:
                probes.append(Probe("year_only", s, c.id))
            if (s := self.wrong_glued(c, w)) is not None:
                probes.append(Probe("wrong_glued", s, c.id))
            probes.append(Probe("long_preamble", self.long_preamble(w), c.id))
            probes.append(Probe("shuffled", self.shuffled(w), c.id))
            if (s := self.heading_path(c, w)) is not None:
                probes.append(Probe("heading_path", s, c.id))
        heads = self.headings()
        for c in self.rng.sample(heads, min(per_kind, len(heads))):
            head = _LIST_MARK.sub("", c.text.partition("\n")[0]).rstrip(" :.")
            head = head[:1].lower() + head[1:]
            probes.append(Probe("heading", self.rng.choice(_HEADING_FRAMES).format(head), c.id))
        ordinals = self.ordinals()
        probes += self.rng.sample(ordinals, min(per_kind, len(ordinals)))
        repeated = self.repeated_headings()
        for c, head, up in self.rng.sample(repeated, min(per_kind, len(repeated))):
            asked = f"{head[:1].lower()}{head[1:]} của {up[:1].lower()}{up[1:]}"
            probes.append(Probe("heading_under", self.rng.choice(_HEADING_FRAMES).format(asked), c.id))
        return probes


def _stopwords() -> list[str]:
    from importlib import resources

    text = resources.files("retrieval.resources").joinpath("stopwords_vi.txt").read_text("utf-8")
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


def _same_content(a: str, b: str, at_least: float = 0.7) -> bool:
    """Two clauses saying the same (a plan's item and its appendix entry, a resolution's
    point repeated by the plan implementing it): their words overlap this much."""
    wa, wb = set(_WORD.findall(fold(a))), set(_WORD.findall(fold(b)))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= at_least


def run_probes(search, table, probes: Sequence[Probe], k: int = 5) -> ProbeReport:
    """search(query, k) -> hits. A probe is found when a hit within k is its target, a
    heading whose direct items include it, or a clause saying the same."""
    report = ProbeReport({})
    for p in probes:
        target = table.by_id[p.target]
        hits = search(p.query, k)[:k]
        ok = any(
            h.chunk.id == p.target
            or h.chunk.id in p.also
            or any(c.id == p.target for c in table.children.get(h.chunk.id, []))
            or _same_content(h.chunk.text, target.text)
            for h in hits
        )
        report.found.setdefault(p.kind, []).append(ok)
        report.outcome[p] = ok
    return report
