"""Implementation map: for each task group of a resolution (the sections under its
"Nhiệm vụ, giải pháp" heading), the sections and tasks of the plans that carry it out,
with the evidence of each link — shared numbering, shared wording (tf-idf cosine over
syllables and syllable pairs), an explicit reference — and a score; then the gap analysis:
the resolution's tasks no plan carries out. A plan is any official document that says it
implements the resolution, so a plan added later is mapped too. Cue patterns and score
weights live in resources/map.toml."""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from retrieval.text import fold, fold_aligned
from retrieval.types import DocumentInfo

from .corpus import RESOURCES, Corpus, Node, rules
from .outline import key_point
from .types import Cite, Evidence, ImplementationMap, ItemLink, MapGroup, MapLink

_WORD = re.compile(r"\w+")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


@lru_cache(maxsize=1)
def scores() -> dict[str, float]:
    with (RESOURCES / "map.toml").open("rb") as f:
        return tomllib.load(f)["scores"]


class Vectors:
    """tf-idf vectors over accent-folded syllables and syllable pairs, idf from every clause
    of the official documents; remembers how each term is written, to show it."""

    def __init__(self, texts: list[str]):
        self.stop = rules("map").word_set("stop")
        self.shown: dict[str, str] = {}
        self._cache: dict[str, dict[str, float]] = {}
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(self.terms(text)))
        n = max(1, len(texts))
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}

    def terms(self, text: str) -> list[str]:
        folded = fold_aligned(text)
        words = [(folded[m.start() : m.end()], m.group(0)) for m in _WORD.finditer(text)]
        words = [(f, w) for f, w in words if f not in self.stop and not f.isdigit()]
        out = [f for f, _ in words]
        for (f1, w1), (f2, w2) in zip(words, words[1:]):
            term = f"{f1} {f2}"
            if term not in self.shown:
                self.shown[term] = f"{w1} {w2}".lower()
            out.append(term)
        return out

    def vector(self, text: str) -> dict[str, float]:
        if text in self._cache:
            return self._cache[text]
        tf = Counter(self.terms(text))
        vec = {t: (1 + math.log(c)) * self.idf.get(t, 0.0) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        self._cache[text] = {t: v / norm for t, v in vec.items()}
        return self._cache[text]

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(t, 0.0) for t, v in a.items())

    def shared(self, a: dict[str, float], b: dict[str, float], k: int) -> list[str]:
        """The pairs of words weighing most in both texts (single words when none)."""
        common = sorted(((a[t] * b[t], t) for t in a.keys() & b.keys()), reverse=True)
        pairs = [self.shown.get(t, t) for _, t in common if " " in t]
        return pairs[:k] or [t for _, t in common[:k]]


@dataclass
class _Unit:
    node: Node
    head: dict[str, float]
    body: dict[str, float]
    parts: list[dict[str, float]] | None = None  # a task group's own tasks


class MapBuilder:
    """Builds the implementation map of one resolution over a Corpus."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        official = [c for d in corpus.official() for n in corpus.roots[d.id].walk() for c in n.chunks]
        self.vectors = Vectors([c.text for c in official])

    # -- which documents -------------------------------------------------------------------
    def plans_of(self, source: DocumentInfo) -> dict[str, Cite]:
        """Official documents saying they implement source, with the sentence saying so."""
        names = [fold(n) for n in (source.short, *source.aliases) if len(n) >= 5]
        out: dict[str, Cite] = {}
        for doc in self.corpus.official():
            if doc.id == source.id:
                continue
            for chunk in list(self.corpus.readable([c for n in self.corpus.roots[doc.id].walk() for c in n.chunks]))[
                :8
            ]:
                cite = self._says_implements(chunk, names)
                if cite:
                    out[doc.id] = cite
                    break
        return out

    def _says_implements(self, chunk, names: list[str]) -> Cite | None:
        folded = fold_aligned(chunk.text)
        for m in rules("map").pattern("implements").finditer(folded):
            window = folded[m.end() : m.end() + 40]
            if any(n in window for n in names):
                for a, b in self.corpus.sentences(chunk):
                    if a <= m.start() < b:
                        return self.corpus.cite(chunk, a, b)
        return None

    def default_source(self) -> DocumentInfo:
        """The official document most other official documents say they implement."""
        counts = {d.id: len(self.plans_of(d)) for d in self.corpus.official()}
        best = max(counts, key=lambda k: (counts[k], k))
        return self.corpus.documents[best]

    def task_sections(self, doc_id: str) -> list[Node]:
        return [
            n
            for n in self.corpus.roots[doc_id].children
            if n.chunks and rules("map").search("tasks_heading", n.heading)
        ]

    # -- the map ---------------------------------------------------------------------------
    def build(self, source: DocumentInfo | None = None) -> ImplementationMap:
        source = source or self.default_source()
        plans = self.plans_of(source)
        groups = [g for sec in self.task_sections(source.id) for g in sec.children if g.chunks]
        gvec = [
            _Unit(
                g,
                self.vectors.vector(g.heading),
                self.vectors.vector(g.full_text()),
                [self.vectors.vector(i.full_text()) for i in g.leaves() if i is not g],
            )
            for g in groups
        ]
        links: dict[str, list[MapLink]] = {g.node.path: [] for g in gvec}
        item_links: dict[str, list[ItemLink]] = {}
        for plan_id in plans:
            units = self._units(plan_id)
            parallel = self._parallel(units, gvec)
            for u in units:
                for link in self._link(u, gvec, parallel, source):
                    links[link.group].append(link)
            self._items(plan_id, gvec, item_links)
        out = []
        for g in gvec:
            items = [n for n in g.node.leaves()]
            linked = [l for n in items for l in item_links.get(n.path, [])]
            for link in links[g.node.path]:
                link.items = [
                    l for l in linked if l.plan_doc == link.plan_doc and self._inside(l.plan_clause, link.plan_clause)
                ]
            covered = {l.item for l in linked}
            if not g.node.children and links[g.node.path]:  # a group without items: its links cover it
                covered.add(g.node.path)
            out.append(
                MapGroup(
                    clause=g.node.path,
                    heading=g.node.heading,
                    cite=self.corpus.heading_cite(g.node),
                    links=sorted(links[g.node.path], key=lambda l: (l.plan_doc, -l.score)),
                    items=[key_point(self.corpus, n) for n in items],
                    uncovered=[key_point(self.corpus, n) for n in items if n.path not in covered],
                    missing_plans=[
                        self.corpus.documents[p].short
                        for p in plans
                        if not any(l.plan_doc == self.corpus.documents[p].short for l in links[g.node.path])
                    ],
                )
            )
        return ImplementationMap(
            source.short,
            [self.corpus.documents[p].short for p in plans],
            {self.corpus.documents[p].short: c for p, c in plans.items()},
            out,
        )

    @staticmethod
    def _inside(clause: str, section: str) -> bool:
        return clause == section or clause.startswith(section + ".")

    def _units(self, doc_id: str) -> list[_Unit]:
        """A plan's numbered task sections, and the units below them named as initiatives."""
        out = []
        for sec in self.task_sections(doc_id):
            for node in sec.children:
                if not node.chunks:
                    continue
                out.append(_Unit(node, self.vectors.vector(node.heading), self.vectors.vector(node.full_text())))
                for sub in node.walk():
                    if sub is not node and sub.chunks and rules("map").search("unit_heading", sub.heading):
                        out.append(_Unit(sub, self.vectors.vector(sub.heading), self.vectors.vector(sub.full_text())))
        return out

    def _wording(self, u: _Unit, g: _Unit) -> float:
        """How close a plan unit's words are to a task group's: its heading, its whole text,
        or one of the group's own tasks."""
        parts = [self.vectors.cosine(u.body, p) for p in g.parts or []]
        return max(self.vectors.cosine(u.head, g.head), self.vectors.cosine(u.body, g.body), *parts)

    def _parallel(self, units: list[_Unit], groups: list[_Unit]) -> bool:
        """Does the plan follow the resolution's numbering (its sections' best groups mostly
        carry their own number)?"""
        top = [u for u in units if u.node.depth == 2]
        if not top or not groups:
            return False
        same = sum(max(groups, key=lambda g: self._wording(u, g)).node.number == u.node.number for u in top)
        return same / len(top) >= scores()["parallel"]

    def _link(self, u: _Unit, groups: list[_Unit], parallel: bool, source: DocumentInfo) -> list[MapLink]:
        s = scores()
        scored = []
        refs = self._references(u.node, source)
        for g in groups:
            wording = self._wording(u, g)
            evidence = []
            score = wording
            if wording >= s["link"]:
                shared = self.vectors.shared(u.body, g.body, int(s["shared_terms"]))
                evidence.append(Evidence("wording", f"{wording:.2f}: " + ", ".join(shared)))
            if parallel and u.node.depth == 2 and u.node.number == g.node.number and wording >= s["sure"]:
                score += s["numbering"]
                evidence.append(Evidence("numbering", f"{u.node.path} ↔ {g.node.path}"))
            for ref in refs:
                if ref[0] == g.node.path:
                    score = 1.0
                    evidence.append(Evidence("reference", ref[1].quote))
            scored.append((min(1.0, score), g, evidence))
        scored.sort(key=lambda x: -x[0])
        if not scored or scored[0][0] < s["link"]:
            return []
        best = scored[0][0]
        second = scored[1][0] if len(scored) > 1 else 0.0
        if best < s["sure"] and best < second * s["margin"]:
            return []  # no group stands out: no link rather than a guess
        keep = scored[:1] + [x for x in scored[1:] if x[0] >= s["sure"] and x[0] >= best * s["secondary"]]
        cite = self.corpus.heading_cite(u.node)
        return [
            MapLink(g.node.path, u.node.doc.short, u.node.path, u.node.heading, score, evidence, cite)
            for score, g, evidence in keep
        ]

    def _references(self, node: Node, source: DocumentInfo) -> list[tuple[str, Cite]]:
        """Clauses of the resolution a unit names explicitly ("điểm 3 Mục III Nghị quyết số 57-NQ/TW")."""
        names = [fold(n) for n in (source.short, *source.aliases) if len(n) >= 5]
        out = []
        for sub in node.walk():
            for chunk in self.corpus.readable(sub.chunks):
                folded = fold_aligned(chunk.text)
                for m in rules("map").pattern("explicit_ref").finditer(folded):
                    if any(n in folded[m.end() : m.end() + 30] for n in names):
                        sec = m["sec"]
                        path = f"{sec.upper()}.{m['num']}" if sec else m["num"]
                        for a, b in self.corpus.sentences(chunk):
                            if a <= m.start() < b:
                                out.append((path, self.corpus.cite(chunk, a, b)))
        return out

    def _items(self, plan_id: str, groups: list[_Unit], out: dict[str, list[ItemLink]]) -> None:
        """For each task of the resolution, the most similar task of this plan (if similar enough)."""
        leaves = [n for sec in self.task_sections(plan_id) for n in sec.walk() if n.chunks and not n.children]
        if not leaves:
            return
        plan_vecs = [(n, self.vectors.vector(n.full_text())) for n in leaves]
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, (_, vec) in enumerate(plan_vecs):
            for term, value in vec.items():
                postings.setdefault(term, []).append((i, value))
        threshold = scores()["item"]
        for g in groups:
            for item in g.node.leaves():
                chunks = list(self.corpus.readable(item.chunks))
                pieces = [self.vectors.vector(c.text[a:b]) for c in chunks for a, b in self.corpus.sentences(c)]
                pieces.append(self.vectors.vector(item.full_text()))
                sims = [0.0] * len(plan_vecs)  # best sentence of the item, per plan task
                for piece in pieces:
                    dots: dict[int, float] = {}
                    for term, value in piece.items():
                        for i, w in postings.get(term, ()):
                            dots[i] = dots.get(i, 0.0) + value * w
                    for i, d in dots.items():
                        if d > sims[i]:
                            sims[i] = d
                i = max(range(len(sims)), key=sims.__getitem__)
                best, score = plan_vecs[i], sims[i]
                if score >= threshold:
                    whole = self.vectors.vector(item.full_text())
                    out.setdefault(item.path, []).append(
                        ItemLink(
                            item.path,
                            best[0].doc.short,
                            best[0].path,
                            score,
                            self.vectors.shared(whole, best[1], int(scores()["shared_terms"])),
                            key_point(self.corpus, best[0]),
                        )
                    )
