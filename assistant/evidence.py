"""The evidence of one question: the sentences and list items of its sources, each scored
by how well it answers what is asked.

A unit is a sentence (or table row, or list item) of a source's text, its list marker left
out. Its score is the IDF-weighted share of the question's terms it covers, read with the
headings it stands under, plus what the question's intent prefers: the figure of a "bao
nhiêu" question, the date of a "khi nào" one, the named body of an "ai" one; minus a year
the question does not ask about. Every generator, the abstention step and the direct
answer read the same scored units.
"""

from __future__ import annotations

import functools
import marshal
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

from retrieval.facets import asked_facet, names_label, spoken, unit_facet
from retrieval.memo import memo_of
from retrieval.part_fields import says_label
from retrieval.regex_cache import compiled
from retrieval.rules import load_rules
from retrieval.text import fold, sentence_spans

from . import intent
from .generation.base import GenerationRequest, Source

YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_LEAD_MARKER = re.compile(
    r"^(?:\[\d{1,3}\]\s*|[-+•–]\s+|[a-zđ]\)\s*|\(\d{1,2}\)\s*|\d{1,2}(?:\.\d{1,2})*\s*[.\-)]\s+|[IVX]{1,5}\s*[-.]\s+|[A-ZĐ]\s*-\s+)"
)


@dataclass(eq=False)
class Unit:
    """A sentence or list item of a source, with its span inside the chunk text."""

    source: Source
    start: int
    end: int
    score: float = 0.0
    coverage: float = 0.0  # the question's terms it covers, before any preference by intent
    scope: str = ""  # the text it is read with: its headings, its table header, itself
    # the question's terms it covers that few of the other units do (their IDF weight times
    # the share of units lacking them, over the question's weight): what tells it apart from
    # its neighbours when all of them stand under the heading the question names
    distinct: float = 0.0

    @property
    def text(self) -> str:
        return self.source.chunk.text[self.start : self.end]

    @property
    def heading(self) -> str:
        """The line the unit stands under inside its chunk ("2. Tầm nhìn đến năm 2045"), or
        the chunk's own parent heading."""
        chunk = self.source.chunk
        first = chunk.text.split("\n", 1)[0]
        if self.start > len(first) and len(first) <= 150:
            return first
        return chunk.breadcrumb[-1] if chunk.breadcrumb else ""


def _read_statics(kept: bytes) -> tuple[list[tuple], frozenset[str]]:
    """A chunk's statics as EvidenceScorer.all_statics kept them, each unit's _Said new."""
    out = [(*static, _Said()) for static in marshal.loads(kept)]
    return out, frozenset().union(*(static[7] for static in out))


def statics_key(chunk) -> tuple:
    """All the scorer's statics of a chunk read of it (EvidenceScorer._statics): its text,
    label, context and last heading."""
    return (chunk.text, chunk.label, chunk.context, *chunk.breadcrumb[-1:])


def units_of(source: Source) -> list[Unit]:
    """Sentences of the source's text, each line's list marker left out of the span. A
    signature block ("TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / … / [đã ký] / Nguyễn Hòa Bình") is
    one unit: its lines only mean something together."""
    text = source.chunk.text
    out: list[Unit] = []
    if is_signature(text):
        a = len(text) - len(text.lstrip())
        return [Unit(source, a, len(text.rstrip()))]
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        marker = _LEAD_MARKER.match(line.lstrip())
        if marker:
            a += len(line) - len(line.lstrip()) + marker.end()
        if "\t" in line:  # a table row is one unit
            out.append(Unit(source, a, b))
            continue
        out.extend(Unit(source, s, e) for s, e in sentence_spans(text, a, b))
    return out


def is_signature(text: str) -> bool:
    """A block of short lines that signs the text (search rules: signature_block)."""
    if len(text) > 400:
        return False
    lines = [line for line in text.split("\n") if line.strip()]
    return (
        bool(lines)
        and all(len(line) <= 80 for line in lines)
        and bool(load_rules("search").search("signature_block", fold(text)))
    )


_MAY = re.compile(r"\bmay\b")
_DIGIT = re.compile(r"\d")


def embedded_key(chunk) -> tuple:
    """All embedding_text reads of a chunk: its text, context and breadcrumb."""
    return (chunk.text, chunk.context, tuple(chunk.breadcrumb))


# perf (issue 13): the questions whose readings are kept (a batch cycling through more
# distinct questions than this read each again: 8 did, for a batch of 60)
ASKED_MEMO = 4096
DISTINCT_MEMO = 4096  # requests' units' distinct shares (EvidenceScorer.assess)
SCORED_MEMO = 20_000  # chunks scored for one reading of a question (EvidenceScorer.assess)
_DAY_OR_MONTH = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\b|\bngay \d{1,2}\b|\bthang \d{1,2}\b|\bquy (?:[ivx]{1,3}|[1-4])\b")


def question_cues(question: str) -> str:
    """The folded question the intent patterns read, with "mấy" kept only where it asks
    how many: a "máy" (machine) typed with its marks, or the everyday plural "mấy bạn
    trẻ", is not a count."""
    folded = fold(question)
    if not _MAY.search(folded):
        return folded
    rules = load_rules("answers")
    if rules.search("yes_no", folded):  # "có hỗ trợ mấy công ty … không?": a yes or no, not a count
        return _MAY.sub("___", folded)
    plural = rules.word_set("plural_may")
    accented = fold(question) != question.lower()
    lower = question.lower()
    if accented:  # the word as written: "mấy chú" is the plural, "mấy chủ thể" a count
        plural = rules.word_set("plural_may_marked")
    out, last = [], 0
    for m in _MAY.finditer(folded):
        written = lower[m.start() : m.end()]
        following = re.findall(r"\w+", (lower if accented else folded)[m.end() : m.end() + 40])[:3]
        # "có mấy cái nhiệm vụ", "… có mấy cái": the classifier of a counted list item (or of the
        # noun said before it), not the plural "mấy cái dự án ấy", "mấy cái này"
        after = [fold(w) for w in following[1:]]
        units = rules.word_set("unit_nouns")
        classified = bool(following) and fold(following[0]) in rules.word_set("classifier_may")
        ending = not after or after[0] in rules.word_set("question_words")  # "… có mấy cái vậy"
        classified = classified and (ending or "_".join(after) in units or after[0] in units)
        # … asked as a count ("có mấy cái", "gồm mấy cái"), no demonstrative after it ("mấy cái nhiệm vụ đó")
        before = re.findall(r"\w+", folded[max(0, m.start() - 12) : m.start()])[-1:]
        phrase = re.split(r"[,;?.]", folded[m.end() : m.end() + 50])[0].split()
        classified = classified and bool(before) and before[0] in rules.word_set("count_verbs")
        classified = classified and not set(phrase) & rules.word_set("demonstratives")
        if (accented and written != "mấy") or (following and following[0] in plural and not classified):
            out.append(folded[last : m.start()] + "___")
            last = m.end()
    out.append(folded[last:])
    return "".join(out)


def asked_years(question: str, known_years: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The target years a question names (not the year of a document it names)."""
    return {y for y in YEAR.findall(question) if y not in known_years}


def unit_years(unit: Unit) -> set[str]:
    """The years a unit is about: its own, else those of the heading it stands under."""
    own = set(YEAR.findall(unit.text))
    return own or set(YEAR.findall(unit.heading))


_SCORE = attrgetter("score")


@dataclass
class Evidence:
    """The scored units of a request, best first in ``ranked``."""

    question: str
    folded: str
    weights: dict[str, float]
    units: list[Unit] = field(default_factory=list)
    years: set[str] = field(default_factory=set)  # the target years asked about
    # what the units' coverage is multiplied by in their scores (EvidenceScorer.findable_scale):
    # a coverage compared with a unit's score is scaled so too
    scale: float = 1.0

    @property
    def ranked(self) -> list[Unit]:
        # perf (issue 13): = sorted(units, key=lambda u: -u.score); reverse keeps ties in order
        return sorted(self.units, key=_SCORE, reverse=True)

    @property
    def best(self) -> Unit | None:
        return max(self.units, key=_SCORE) if self.units else None  # = key=lambda u: u.score


class EvidenceScorer:
    """Scores units against a question with the lexical index's tokens and IDF."""

    def __init__(
        self,
        tokens: Callable[[str], list[str]],
        idf: Callable[[str], float],
        known: Callable[[str], bool] = lambda t: True,
        synonym_weight: float = 1.0,
        foreign: Callable[[str], frozenset[str]] = lambda question: frozenset(),
    ):
        self.tokens = tokens
        self.idf = idf
        self.known = known
        # the folded terms of a question's words the documents never write with those marks
        # ("bọn" -> "bon", said by the documents only as "bốn": LexicalIndex.foreign_folds)
        # weigh this much of their IDF (0: nothing; 1: as the other terms)
        self.foreign = foreign
        self.foreign_weight = 0.0
        # a word pair of the question no clause holds, of two words the clauses use, weighs
        # this much of its IDF (1: as any other term; it could never be found, and its
        # unseen-term IDF, the highest, thinned every sentence's share of the question)
        # (measured 0 / 0.3 / 0.5 / 1 on dev: key facts 0.9549 / 0.9556 / 0.9556 / 0.9549)
        self.new_pair_weight = 0.3
        # a question word no clause uses ("lỗi thời", "giấy tờ"): the sentence that says it as
        # the documents do ("lạc hậu", "quốc tịch": retrieval/resources/synonyms.tsv, as the
        # search reads them) covers it at synonym_weight of the synonym's IDF, on top of the
        # question's own coverage (which stays the question's: abstention reads it); 1.0: as
        # much as the word itself (measured against 0.5: dev key facts 0.911 -> 0.915, val held)
        self.synonym_weight = synonym_weight
        # … and a question word few clauses use (its IDF that of a word in at most this share
        # of them: 10 of the 891 clauses), which the search expands too (synonym_max_df): its
        # synonym covers it at this much of the weight a word no clause uses gets ("tự lực"
        # -> "tự chủ", "công khai, rõ ràng" -> "minh bạch"; 0: off). Measured on dev/val with
        # the w14p rows: share 0.012 and weight 0.5: dev 0.9407 -> 0.9420, val 0.8706 ->
        # 0.8743 (paraphrase 0.711 -> 0.735); without the part rule below: weight 1: val 0.8688; share 0.045 (40 clauses),
        # weight 0.5: dev 0.9407 held
        self.rare_synonym_share = 0.012
        self.rare_synonym_weight = 0.5
        self.other_year_penalty = 0.25
        # "… bằng cách nào", "… đóng vai trò gì": a sentence of the labelled part asked for
        # ("Nội dung: …", "Vai trò chiến lược"; retrieval/facets.py) gains this much (0: off)
        self.facet_bonus = 0.15
        self.named_doc_bonus = 0.12
        self.rules = load_rules("answers")
        self.search_rules = load_rules("search")
        self._token_sets: dict[str, frozenset[str]] = {}
        self._folded: dict[str, str] = {}

    def token_set(self, text: str) -> frozenset[str]:
        """The text's tokens (remembered: the same clauses come back question after question)."""
        got = self._token_sets.get(text)
        if got is None:
            if len(self._token_sets) > 50_000:
                self._token_sets.clear()
            got = self._token_sets[text] = frozenset(self.tokens(text))
        return got

    def embedded_tokens(self, chunk) -> frozenset[str]:
        """token_set(chunk.embedding_text()), remembered per chunk (its breadcrumb, context
        and text: all embedding_text reads), without joining that text again (perf, issue 13)."""
        memo: dict = self.__dict__.setdefault("_embedded", {})
        key = embedded_key(chunk)
        got = memo.get(key)
        if got is None:
            if len(memo) > 50_000:
                memo.clear()
            bulk = self.__dict__.get("_statics_bulk")
            kept = bulk[1].get(key) if bulk else None  # (kept beside the index: keep_statics)
            got = memo[key] = marshal.loads(kept) if kept is not None else self.token_set(chunk.embedding_text())
        return got

    def _remember(self, scope: str, tokens: frozenset[str], text: str, folded: str) -> None:
        """Keep a scope's tokens and a text's fold as token_set and folded would."""
        if scope not in self._token_sets:
            if len(self._token_sets) > 50_000:
                self._token_sets.clear()
            self._token_sets[scope] = tokens
        if text not in self._folded:
            if len(self._folded) > 50_000:
                self._folded.clear()
            self._folded[text] = folded

    def folded(self, text: str) -> str:
        """fold(text), remembered like the token sets."""
        got = self._folded.get(text)
        if got is None:
            if len(self._folded) > 50_000:
                self._folded.clear()
            got = self._folded[text] = fold(text)
        return got

    def weights(self, question: str) -> dict[str, float]:
        """IDF of the question's terms; the words that frame a question weigh less."""
        return dict(
            memo_of(self, "_weights_memo", 4096).get(question, lambda: self._weights(question))
        )  # perf (issue 13)

    def _weights(self, question: str) -> dict[str, float]:
        foreign = self.foreign(question) if self.foreign_weight != 1.0 else frozenset()
        return {
            t: self.idf(t)
            * (0.3 if t.lstrip("~") in intent.FRAME_WORDS else 1.0)
            * (self.foreign_weight if t in foreign else 1.0)
            for t in dict.fromkeys(self.tokens(question))
        }

    def findable_scale(self, weights: dict[str, float]) -> float:
        """The question's whole weight over the weight of what a clause could hold: its
        word pairs no clause holds (``_new_pair``) counted at ``new_pair_weight``. A unit's
        coverage times this ranks the units (its coverage itself, which abstention and
        the tree answers read, stays the question's)."""
        total = sum(weights.values())
        if self.new_pair_weight == 1.0 or not total:
            return 1.0
        new = sum(w for t, w in weights.items() if self._new_pair(t))
        return total / (total - (1.0 - self.new_pair_weight) * new) if new < total else 1.0

    def _new_pair(self, token: str) -> bool:
        """A word pair no clause holds, of two words the clauses do use ("cái sáng kiến",
        "định làm"): the asker's word order, not a concept the documents lack."""
        if "_" not in token or self.new_pair_weight == 1.0 or self.known(token):
            return False
        a, _, b = token.partition("_")
        return self.known(a) and self.known(b)

    def synonym_weights(self, question: str) -> tuple[tuple[dict[str, float], tuple[frozenset[str], ...]], ...]:
        """Per question word no clause uses that the synonym resource knows: the weights its
        tokens have in the question (times synonym_weight), and the token sets of its
        synonyms (a unit holding all of one set says the word as the documents do)."""
        if not self.synonym_weight:
            return ()
        return memo_of(self, "_synonym_memo", 4096).get(question, lambda: self._synonym_weights(question))

    def _synonym_weights(self, question: str) -> tuple[tuple[dict[str, float], tuple[frozenset[str], ...]], ...]:
        from retrieval.synonyms import default_synonyms
        from retrieval.text import has_diacritics

        if not has_diacritics(question):  # folded, "han lam thu hut" holds "lam thu" (làm thử)
            return ()
        weights = self.weights(question)
        out = []
        for member, others in default_synonyms().matches(question, self._expandable):
            absent = self._absent(member)
            weight = self.synonym_weight * (1.0 if absent else self.rare_synonym_weight)
            own = {t: weight * weights[t] for t in dict.fromkeys(self.tokens(member)) if weights.get(t)}
            sets = tuple(s for s in (self._phrase_tokens(m) for m in others) if s and all(map(self.known, s)))
            if not absent:  # a word the clauses use: a part of it does not say it ("thủ tục" of
                sets = tuple(s for s in sets if not s <= own.keys())  # "thủ tục hành chính")
            if own and sets:
                out.append((own, sets))
        return tuple(out)

    def _phrase_tokens(self, phrase: str) -> frozenset[str]:
        """The tokens that say a phrase: its two-syllable words, else its word as written
        with its marks ("mấy" is not "máy"). perf (issue 13: first-time questions): a
        synonym resource's phrases come back question after question; kept by phrase."""
        return memo_of(self, "_phrase_memo", 65536).get(phrase, lambda: self._work_phrase_tokens(phrase))

    def _work_phrase_tokens(self, phrase: str) -> frozenset[str]:
        tokens = self.tokens(phrase)
        return frozenset([t for t in tokens if "_" in t] or [t for t in tokens if t.startswith("~")] or tokens)

    def _expandable(self, phrase: str) -> bool:
        """A word or phrase no clause uses, or (``rare_synonym_weight`` on) one few clauses
        use: one of its two-syllable words (else of its words) has the IDF of a word in at
        most ``rare_synonym_share`` of the clauses."""
        if self._absent(phrase):
            return True
        if not self.rare_synonym_weight:
            return False
        kept = [t for t in self.tokens(phrase) if not t.startswith("~")]
        pairs = [t for t in kept if "_" in t] or kept
        return bool(pairs) and max(map(self.idf, pairs)) >= -math.log(self.rare_synonym_share)

    def _absent(self, phrase: str) -> bool:
        """A word or phrase no clause uses (its words never together in one clause), as the
        search's synonym expansion reads it."""
        from retrieval.synonyms import unused_phrase

        return unused_phrase(self.tokens(phrase), self.known)

    def coverage(self, question: str, text: str, weights: dict[str, float] | None = None) -> float:
        """IDF-weighted share of the question's terms found in text."""
        weights = weights if weights is not None else self.weights(question)
        total = sum(weights.values())
        if not total:
            return 0.0
        present = self.token_set(text)
        return sum([w for t, w in weights.items() if t in present]) / total

    def assess(self, request: GenerationRequest) -> Evidence:
        """Every unit of the request's sources, scored."""
        question = request.focus or request.question
        folded_q = question_cues(question)
        evidence = Evidence(
            question, folded_q, self.weights(question), years=asked_years(question, request.known_years)
        )
        shorts = frozenset(fold(s.chunk.doc_short) for s in request.sources if s.chunk.doc_id in request.named_docs)
        parts = tuple(intent.numbered_parts(folded_q))
        preferred = (*request.named_docs, *request.preferred_docs)
        asked = _Asked.of(self, evidence, shorts, parts, preferred)
        evidence.scale = asked.scale
        units = evidence.units
        # perf (issue 13): the question's terms each unit's scope holds, in the question's
        # order, looked for only among those the chunk holds (one intersection per chunk)
        keys, position = asked.terms.keys, asked.terms.position
        helds: list = []
        # perf (issue 13): a chunk's units scored for one reading of the question (all _score
        # reads of it and of the chunk: ``_Asked.key``, the chunk's fields) are kept, each
        # unit's score before its source's rank is taken off; a unit is made afresh each time
        scored = memo_of(self, "_scored_memo", SCORED_MEMO)
        asked_key = (asked.key, self._settings())
        chunks: list = []
        for source in request.sources:
            chunk = source.chunk
            key = (
                asked_key, chunk.id, chunk.text, chunk.label, chunk.context, tuple(chunk.breadcrumb),
                chunk.doc_id, chunk.kind, chunk.boilerplate,
            )  # fmt: skip
            got = scored.get(key, functools.partial(self._score_chunk, source, asked, keys, position))
            held, rows = got
            rank = 0.02 * source.rank
            for start, end, scope, coverage, score in rows:
                unit = Unit(source, start, end)
                unit.scope, unit.coverage, unit.score = scope, coverage, score - rank
                units.append(unit)
            helds.extend(held)
            chunks.append(key[1:])
        # … and the units' distinct shares per reading and the request's chunks in order
        distinct = memo_of(self, "_distinct_memo", DISTINCT_MEMO).get(
            (asked_key, tuple(chunks)), lambda: self._distinct(len(units), asked, helds)
        )
        if distinct is not None:
            for unit, value in zip(units, distinct, strict=True):
                unit.distinct = value
        return evidence

    def _score_chunk(self, source: Source, asked: _Asked, keys, position) -> tuple[list, list[tuple]]:
        """The question's terms each unit of a chunk holds (its scope's, in the question's
        order) and each unit's (span, scope, coverage, score before its source's rank)."""
        statics, union = self._statics(source)
        hits = keys.intersection(union)
        if hits:
            ordered = sorted(hits, key=position.__getitem__)
            held: list = [[t for t in ordered if t in static[7]] for static in statics]  # its scope's tokens
        else:
            held = [()] * len(statics)
        rows = []
        for static, terms in zip(statics, held, strict=True):
            unit = Unit(source, static[0], static[1])
            score = self._score(unit, asked, static, terms)
            rows.append((unit.start, unit.end, unit.scope, unit.coverage, score))
        return held, rows

    def _settings(self) -> tuple:
        """The scorer's settings a unit's score reads (a caller may change them)."""
        return (
            self.new_pair_weight, self.synonym_weight, self.rare_synonym_share, self.rare_synonym_weight,
            self.other_year_penalty, self.facet_bonus, self.named_doc_bonus, self.foreign_weight,
        )  # fmt: skip

    def _statics(self, source: Source) -> tuple[list[tuple], frozenset[str]]:
        """perf (issue 13): what scoring reads of each unit of a chunk whatever the question,
        worked out once per chunk (its text, label, context and last heading: all it reads):
        the unit's span, text, the chunk's first line, whether the unit stands under it, the
        heading it is read with, then its scope, the scope's tokens, the text folded and
        what the text says (``_scope``); with the tokens of all their scopes."""
        chunk = source.chunk
        key = statics_key(chunk)
        return memo_of(self, "_statics_memo", 20_000).get(key, lambda: self._missed_statics(source, key))

    # perf (issue 13, fresh asks): after this many chunks' statics worked out one by one, a
    # process that goes on asking reads the table of every chunk's kept beside the index
    # (``keep_statics``) and each chunk's is read from it on first need; a cold `troly ask`
    # of one question mostly works out its few alone
    BULK_AFTER = 16

    def keep_statics(self, load: Callable[[], tuple[dict[tuple, bytes], dict[tuple, bytes]] | None]) -> None:
        """Have ``load()`` (every chunk's statics by ``statics_key`` and its embedded
        tokens, as ``all_statics`` writes them, or None) read once the process has worked
        out BULK_AFTER chunks' statics itself."""
        self.__dict__["_statics_load"] = load
        self.__dict__["_statics_bulk"] = None
        self.__dict__["_statics_missed"] = 0

    def _missed_statics(self, source: Source, key: tuple) -> tuple[list[tuple], frozenset[str]]:
        load = self.__dict__.get("_statics_load")
        if load is not None:
            bulk = self.__dict__["_statics_bulk"]
            if bulk is None:
                missed = self.__dict__["_statics_missed"] = self.__dict__["_statics_missed"] + 1
                if missed >= self.BULK_AFTER:
                    bulk = self.__dict__["_statics_bulk"] = load() or ()
            kept = bulk[0].get(key) if bulk else None
            if kept is not None:
                got = _read_statics(kept)
                for static in got[0]:  # as working them out leaves them: the scopes' tokens, the texts folded
                    self._remember(static[6], static[7], static[2], static[8])
                return got
        return self._work_statics(source)

    def all_statics(self, chunks) -> tuple[dict[tuple, bytes], dict[tuple, bytes]]:
        """Every chunk's statics (``_statics``) by ``statics_key``, and its embedded tokens
        (``embedded_tokens``) by the key that memo uses, worked out as the questions work
        them out one by one, each chunk's marshalled on its own (a process reads only those
        its questions meet; keep_statics)."""
        out: dict = {}
        embedded: dict = {}
        for chunk in chunks:
            key = statics_key(chunk)
            if key not in out:
                statics, _ = self._work_statics(Source(0, chunk, 0))
                out[key] = marshal.dumps([static[:9] for static in statics])  # (the last: a fresh _Said)
            key = embedded_key(chunk)
            if key not in embedded:
                embedded[key] = marshal.dumps(frozenset(self.tokens(chunk.embedding_text())))
        return out, embedded

    def _work_statics(self, source: Source) -> tuple[list[tuple], frozenset[str]]:
        chunk = source.chunk
        first = self._first_line(chunk.text)
        out = []
        for unit in self.units(source):
            text = unit.text
            # a sentence is read with the headings it stands under ("2. Tầm nhìn đến năm 2045")
            inside = unit.start > len(first) and len(first) <= 150
            heading = first if inside else ""
            # … and with its document's name: "Viện Hàn lâm" of the question is said by every row of its plan
            out.append((unit.start, unit.end, text, first, inside, heading, *self._scope(chunk, heading, text)))
        return out, frozenset().union(*(static[7] for static in out))  # the scopes' tokens

    def _distinct(self, n: int, asked: _Asked, helds: list) -> list[float] | None:
        """Each unit's ``distinct`` share: the question's terms in its scope, each weighted
        by the share of the request's units whose scope lacks it (a term every candidate
        holds, the topic they all stand under, tells none of them apart)."""
        if not asked.total or n < 2:
            return None  # (each unit's stays 0.0)
        weights = [(t, w) for t, w in asked.weights.items() if w]
        # perf (issue 13): each unit's question terms found by one set intersection, the units
        # holding a term counted from those, and each unit's sum taken over its own terms in
        # the question's order: the same products added in the same order as the plain
        # ``sum([w * (n - held[t]) for t, w in weights if t in present])``
        terms = frozenset(t for t, _ in weights)
        position = {t: p for p, (t, _) in enumerate(weights)}
        # (``helds``: each unit's question terms its scope holds, from ``assess``)
        commons = [[t for t in held if t in terms] for held in helds]
        held = Counter(chain.from_iterable(commons))
        parts = [w * (n - held[t]) for t, w in weights]
        part = parts.__getitem__
        return [sum(map(part, sorted(map(position.__getitem__, common)))) / (n * asked.total) for common in commons]

    def units(self, source: Source) -> list[Unit]:
        """units_of(source), its spans remembered by chunk text (fresh Unit objects each time:
        their scores are the request's own)."""
        spans = memo_of(self, "_spans", 50_000).get(
            source.chunk.text, lambda: [(u.start, u.end) for u in units_of(source)]
        )
        return [Unit(source, a, b) for a, b in spans]

    def _score(self, unit: Unit, asked: _Asked, static: tuple, held: Sequence[str]) -> float:
        """perf (issue 13): what depends on the question alone is read once per question
        (``_Asked``), what depends on the chunk alone once per chunk (``_statics``); the
        terms and their order are those of the plain per-unit code (``held``: the question's
        terms the unit's scope holds, in the question's order)."""
        chunk = unit.source.chunk
        _, _, text, first, inside, heading, scope, present, folded_unit, said = static
        unit.scope = scope
        weights = asked.weights  # = self.share(scope, asked.weights, asked.total)
        score = unit.coverage = sum([weights[t] for t in held]) / asked.total if asked.total else 0.0
        score *= asked.scale
        if asked.synonyms and asked.total:  # a word of the question as the documents say it: what
            # the unit does not already cover of it ("máy móc" -> "thiết bị" adds little beside "máy");
            # a word that several groups hold ("giấy tờ": thủ tục, hồ sơ) is credited once
            credited: dict[str, float] = {}
            for word, said_as in asked.synonyms:
                if any(s <= present for s in said_as):
                    credited.update({t: w for t, w in word.items() if t not in present})
            score += asked.scale * sum(credited.values()) / asked.total
        # perf (issue 13): what the unit's text says whatever the question (``_Said``) is read
        # once per unit of a chunk, when first asked
        if asked.numbers:
            have = said.fact("numbers", lambda: set(intent.NUMBER.findall(text)))
            score += 0.15 * len(asked.numbers & have) / len(asked.numbers)
        if asked.figure and said.fact("digit", lambda: bool(_DIGIT.search(text))):
            score += 0.1
        if asked.deadline:  # "thời hạn nào", "khi nào": the sentence with the date
            score += said.fact("deadline", lambda: self._deadline(folded_unit))
        if asked.parts:
            where = self.folded(" ".join([chunk.label, *chunk.breadcrumb, scope]))
            for (
                part,
                inside_part,
                title,
            ) in asked.parts:  # "Hệ thống 4 ...": a sentence under "Hệ thống 5" does not answer
                if not inside_part.search(where):
                    score -= 0.3
                elif title.match(folded_unit):
                    score += 0.2  # "Sáng kiến 6: Nền tảng …": the part's own title line
                elif says_label(folded_unit, asked.folded) and inside_part.search(
                    self.folded(chunk.breadcrumb[-1] if chunk.breadcrumb else "")
                ):
                    score += 0.2  # "mục tiêu của Sáng kiến 4": its item "- Mục tiêu: …"
        if asked.about_text and any(sh in folded_unit for sh in asked.shorts):
            score += 0.2  # "Kế hoạch 01-KH/BCĐTW ... ngày nào": the line that names the text and its date
        if asked.rank and said.fact("rank", lambda: bool(intent.RANK.search(folded_unit))):
            score += 0.15  # "xếp hạng thế nào": the sentence with "nhóm 20 nước", "thứ 3"
        if asked.who and said.fact("body", lambda: bool(intent.BODY.search(text))):
            score += 0.08
        if asked.signer and said.fact("signed", lambda: bool(is_signature(text) or intent.SIGNED.search(folded_unit))):
            score += 0.35  # "ai ký": the signature block, or the sentence "… Tô Lâm đã ký ban hành …"
        if said.fact("bare", lambda: text.rstrip().endswith(":") or len(text) < 25):
            score -= 0.1  # a bare heading says little on its own
        elif asked.facet and said.fact("facet", lambda: self._facet(chunk.text, unit.start, heading)) == asked.facet:
            score += self.facet_bonus  # "bằng cách nào": the sentences of the item's "Nội dung:"
        elif asked.spoken and names_label(asked.spoken, said.fact("line", lambda: self._line(chunk.text, unit.start))):
            score += self.facet_bonus  # "… "văn hóa đổi mới sáng tạo" là gì": "(3) Văn hóa đổi mới sáng tạo: …"
        if (chunk.kind == "title" or chunk.boilerplate) and not asked.about_the_text:
            score -= 0.15  # a preamble or signature block rarely answers, except about the text itself
        if chunk.doc_id in asked.named:  # the document the question names is where to look first
            score += self.named_doc_bonus
        if asked.years:  # "đến năm 2030": a sentence about 2045 answers another question
            own = said.fact(
                "years",
                lambda: (
                    set(YEAR.findall(text))
                    or (set(YEAR.findall(first if inside else chunk.breadcrumb[-1] if chunk.breadcrumb else "")))
                ),
            )  # = unit_years(unit)
            if own and not own & asked.years:
                score -= self.other_year_penalty
        return score  # (assess takes 0.02 times the source's rank off)

    def _scope(self, chunk, heading: str, text: str) -> tuple[str, frozenset[str], str, _Said]:
        """A unit's scope (its text with the names and headings it is read with), the scope's
        tokens, the text folded and what the text says (filled in as the questions ask)."""
        scope = " ".join([chunk.label.split(",")[0], *chunk.breadcrumb[-1:], heading, chunk.context, text])
        return scope, self.token_set(scope), self.folded(text), _Said()

    def _deadline(self, folded_unit: str) -> float:
        """What a unit's date adds for a "thời hạn nào", "khi nào" question."""
        dated = intent.DAY.search(folded_unit) or self.rules.pattern("deadline_value").search(folded_unit)
        precise = dated and _DAY_OR_MONTH.search(folded_unit)  # "tháng 01 năm 2025" says more than "năm 2025"
        return 0.15 if precise else 0.08 if dated else -0.1

    @staticmethod
    def _facet(text: str, start: int, heading: str) -> str | None:
        """The facet (retrieval/facets.py) of the line of ``text`` holding ``start``, else of its heading."""
        return unit_facet(EvidenceScorer._line(text, start), heading)

    @staticmethod
    def _line(text: str, start: int) -> str:
        """The line of ``text`` that holds position ``start``."""
        end = text.find("\n", start)
        return text[text.rfind("\n", 0, start) + 1 : end if end >= 0 else len(text)]

    def _first_line(self, text: str) -> str:
        """text.split("\n", 1)[0], remembered per chunk text."""
        memo: dict[str, str] = self.__dict__.setdefault("_first", {})
        got = memo.get(text)
        if got is None:
            if len(memo) > 50_000:
                memo.clear()
            got = memo[text] = text.split("\n", 1)[0]
        return got

    def share(self, text: str, weights: dict[str, float], total: float, terms: Terms | None = None) -> float:
        """coverage() with the question's total weight (sum(weights.values())) already
        summed, for a caller that scores many texts against one question (``terms``: Terms(weights),
        made once by such a caller)."""
        if not total:
            return 0.0
        present = self.token_set(text)
        if terms is not None:
            return terms.held(present) / total
        return sum([w for t, w in weights.items() if t in present]) / total

    def word_coverage(self, unit: Unit, evidence: Evidence) -> float:
        """Coverage of the question's two-syllable words only (its topic: "kinh tế số")."""
        bigrams = {t: w for t, w in evidence.weights.items() if "_" in t}
        return self.coverage(evidence.question, unit.scope or unit.text, bigrams) if bigrams else unit.coverage

    def confidence(self, evidence: Evidence) -> float:
        """How well the best units cover the question's words that the documents use at
        all (a foreign term or a paraphrase cannot be covered and does not count)."""
        unigrams = {t: w for t, w in evidence.weights.items() if "_" not in t and self.known(t)}
        top = evidence.ranked[:5]
        total = sum(unigrams.values())  # = coverage(question, embedding_text, unigrams), summed once
        return max((self._share_of(self.embedded_tokens(u.source.chunk), unigrams, total) for u in top), default=0.0)

    @staticmethod
    def _share_of(present: frozenset[str], weights: dict[str, float], total: float) -> float:
        if not total:
            return 0.0
        return sum([w for t, w in weights.items() if t in present]) / total


class Terms:
    """A question's weighted terms read for summing many texts' shares of them (perf,
    issue 13): ``held(present)`` is ``sum([w for t, w in weights.items() if t in present])``,
    the same float: the terms held found by one set intersection, then added in the
    weights' order (one or two directly: 0 + a + b is b + a exactly)."""

    __slots__ = ("weights", "keys", "position", "values")

    def __init__(self, weights: dict[str, float]):
        self.weights = weights
        self.keys = frozenset(weights)
        self.position = {t: p for p, t in enumerate(weights)}
        self.values = list(weights.values())

    def held(self, present: frozenset[str]) -> float:
        common = self.keys.intersection(present)
        n = len(common)
        if n > 2:
            return sum(map(self.values.__getitem__, sorted(map(self.position.__getitem__, common))))
        if n == 2:
            a, b = common
            return 0 + self.weights[a] + self.weights[b]
        for t in common:
            return 0 + self.weights[t]
        return 0


class _Said(dict):
    """What one unit's text says whatever the question (its numbers, whether it holds a
    digit, a date, a rank, a body, a signature, its years, whether it is a bare heading),
    each found on first need and kept with the unit's scope (perf, issue 13)."""

    def fact(self, name: str, compute: Callable[[], Any]) -> Any:
        try:
            return self[name]
        except KeyError:
            got = self[name] = compute()
            return got


@dataclass(frozen=True)
class _Asked:
    """What the scoring of a unit reads from the question alone, worked out once per question."""

    weights: dict[str, float]
    terms: Terms  # the weights, read for summing
    total: float
    scale: float  # what a unit's coverage is multiplied by in its score (EvidenceScorer.findable_scale)
    synonyms: tuple[tuple[dict[str, float], tuple[frozenset[str], ...]], ...]
    numbers: set[str]
    figure: bool
    deadline: bool
    parts: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]
    shorts: frozenset[str]
    about_text: bool  # the question is about the text itself and names a document among the sources
    about_the_text: bool
    rank: bool
    who: bool
    signer: bool
    named: tuple[str, ...]
    years: set[str]
    folded: str  # the question's cues
    facet: str | None  # the labelled part of an item asked for (retrieval/facets.py)
    spoken: str  # the question's words where a part's label is looked for (retrieval/facets.py; "": off)
    key: tuple = ()  # what all the above are read from (the question, its cues, parts, documents, years)

    @classmethod
    def of(
        cls,
        scorer: EvidenceScorer,
        ev: Evidence,
        shorts: frozenset[str],
        parts: tuple[str, ...],
        named: tuple[str, ...],
    ) -> _Asked:
        folded_q = ev.folded
        # perf (issue 13): what the question alone gives, read once per request (assess runs
        # again for a request's own ask): the last few questions' kept, with the scorer's
        # settings they read
        memo: dict = scorer.__dict__.setdefault("_asked_memo", {})
        key = (ev.question, folded_q, parts, scorer.new_pair_weight, scorer.facet_bonus, scorer.synonym_weight)
        q = memo.get(key)
        if q is None:
            if len(memo) >= ASKED_MEMO:
                memo.clear()
            q = memo[key] = cls._of_question(scorer, ev, parts)
        about = q["about_the_text"]
        return cls(
            key=(key, tuple(ev.weights.items()), shorts, tuple(named), frozenset(ev.years)),
            weights=ev.weights,
            **{k: v for k, v in q.items() if k != "numbers"},
            numbers=set(q["numbers"]),
            shorts=shorts,
            about_text=bool(shorts) and about,
            named=named,
            years=ev.years,
            folded=folded_q,
        )

    @staticmethod
    def _of_question(scorer: EvidenceScorer, ev: Evidence, parts: tuple[str, ...]) -> dict[str, Any]:
        folded_q = ev.folded
        return dict(
            terms=Terms(dict(ev.weights)),
            total=sum(ev.weights.values()),
            scale=scorer.findable_scale(ev.weights),
            synonyms=scorer.synonym_weights(ev.question),
            numbers=frozenset(intent.NUMBER.findall(ev.question)),
            figure=bool(intent.FIGURE.search(folded_q)),
            deadline=bool(intent.DEADLINE.search(folded_q)),
            parts=tuple((p, compiled(rf"\b{p}\b"), compiled(rf"{p}\b")) for p in parts),  # perf (issue 13): kept
            about_the_text=bool(intent.ABOUT_THE_TEXT.search(folded_q)),
            rank=bool(intent.RANK_ASKED.search(folded_q)),
            who=bool(intent.WHO.search(folded_q)),
            signer=bool(scorer.search_rules.search("signer", folded_q)),
            facet=asked_facet(ev.question) if scorer.facet_bonus else None,
            spoken=spoken(ev.question) if scorer.facet_bonus else "",
        )
