"""The offline default generator: answers with the documents' own sentences.

It reads the scored units of assistant.evidence (sentences and list items of the
retrieved clauses, scored by how much of the question they cover and by what the
question's intent prefers). The answer starts with the direct answer: the part of the
best sentence that says what is asked (assistant.direct); then at most a few more
sentences that say the same about the same year, each under a framing line that names
its clause and, when the sentence does not state it, the year of its heading. Every
claim is a verbatim quote of its source, so it is faithful by construction.
"""

from __future__ import annotations

from collections.abc import Callable

from retrieval.facets import asked_facet, label_facet
from retrieval.text import fold

from .. import intent
from ..direct import (
    asked_span,
    asks_body,
    asks_value,
    conflicting_year,
    heading_note,
    holds_value,
    same_topic,
    shown_text,
    value_kind,
)
from ..evidence import Evidence, EvidenceScorer, Unit, units_of  # noqa: F401 - units_of re-exported
from ..prompting import PromptLibrary
from .base import Draft, DraftSentence, GenerationRequest, iter_words

VALUE_COVERAGE = 0.85
SHORT_CLAUSE = 3  # sentences: a clause this short is quoted whole when it describes
LIST_FOLLOWING = 2  # sentences after the one that opens a list told in prose
HEAD_RATIO = 0.6  # a unit this close to the best may start the answer when it holds the asked value
PREFERRED_RATIO = 0.75  # … or when it comes from the named document
ANCHOR_RATIO = 0.4  # a unit naming the body, place or article the question names may start it from this far
VALUE_NEIGHBOURS = ("date", "duration", "number")  # kinds of value a clause's next part may state for its best sentence
# how much a unit's distinct share (the question's terms few other units hold) adds to its score
# when the answer's sentences are picked (not to the score the abstention step and the tree read)
DISTINCT_WEIGHT = 0.3
BODY_START = 5  # characters: a body this near a unit's start is its subject


def _bare(unit: Unit) -> bool:
    """The clause's heading line standing alone above its text ("a) Nội dung chính"): no sentence."""
    text = unit.source.chunk.text
    line = text.split("\n", 1)[0]
    return "\n" in text and unit.end <= len(line) and len(line) <= 80 and not line.rstrip().endswith(".")


def opens_with_body(unit: Unit) -> bool:
    """The unit's subject is a body ("Bộ Tài chính chủ trì …", "6. Văn phòng Trung ương Đảng …")."""
    m = intent.BODY.search(unit.text[:40])
    return m is not None and m.start() <= BODY_START


def subject_before(unit: Unit, units: list[Unit]) -> Unit | None:
    """The part of the unit's sentence before its "; " that names the body doing it: "Văn
    phòng Trung ương Đảng … theo dõi …" for "… ; định kỳ 6 tháng báo cáo kết quả …"."""
    text = unit.source.chunk.text
    before = [u for u in units if u.source is unit.source and u.end <= unit.start]
    if not before:
        return None
    prev = max(before, key=lambda u: u.end)
    if text[prev.end : unit.start].strip() != ";" and not text[prev.start : prev.end].rstrip().endswith(";"):
        return None
    return prev if opens_with_body(prev) else None


def merit(unit: Unit) -> float:
    """A unit's score as the answer's sentences are picked by."""
    return unit.score + DISTINCT_WEIGHT * unit.distinct


class ExtractiveGenerator:
    """Picks and frames the documents' sentences."""

    name = "extractive"

    def __init__(
        self,
        prompts: PromptLibrary,
        tokens: Callable[[str], list[str]],
        idf: Callable[[str], float],
        max_sentences: int = 3,
        known: Callable[[str], bool] = lambda t: True,
        scorer: EvidenceScorer | None = None,
        foreign: Callable[[str], frozenset[str]] = lambda question: frozenset(),
    ):
        self.prompts = prompts
        self.scorer = scorer or EvidenceScorer(tokens, idf, known, foreign=foreign)
        self.max_sentences = max_sentences

    def coverage(self, question: str, text: str) -> float:
        return self.scorer.coverage(question, text)

    def evidence(self, request: GenerationRequest) -> Evidence:
        return request.evidence if isinstance(request.evidence, Evidence) else self.scorer.assess(request)

    def generate(self, request: GenerationRequest) -> Draft:
        evidence = self.evidence(request)
        if not evidence.units:
            return Draft([])
        chosen = self._choose(request, evidence)
        return Draft(self._frame(chosen, evidence))

    def _choose(self, request: GenerationRequest, evidence: Evidence) -> list[Unit]:
        """The best unit, then those that say more of the same (for each named document,
        its best unit), never one about another year than the one asked."""
        ranked = sorted(evidence.units, key=lambda u: -merit(u))
        best = self._head(request, evidence, ranked)
        chosen = [best]
        named = request.named_docs
        preferred = set(named) | set(request.preferred_docs)
        if len(named) > 1:  # one best sentence per document the question names
            for doc in named:
                if doc != best.source.chunk.doc_id:
                    pool = [
                        u for u in ranked if u.source.chunk.doc_id == doc and not conflicting_year(u, evidence.years)
                    ]
                    if pool:
                        chosen.append(pool[0])
        value = asks_value(evidence.folded)
        wanted = value_kind(evidence.folded)
        best_words = self.scorer.word_coverage(best, evidence) if value else 0.0
        if wanted in VALUE_NEIGHBOURS and not holds_value(best, wanted, evidence):
            # the best sentence names the subject, the clause's next part states the value asked
            # ("… theo dõi, kiểm tra, đánh giá …; định kỳ 6 tháng báo cáo …" for "bao lâu một lần")
            same = [
                u
                for u in evidence.units
                if u.source is best.source
                and u is not best
                and holds_value(u, wanted, evidence)
                and not conflicting_year(u, evidence.years)
            ]
            if same:
                chosen.append(min(same, key=lambda u: abs(u.start - best.start)))
        if asks_body(evidence.folded) and not opens_with_body(best):
            # "cơ quan nào … báo cáo": the best part says the task, the part before its "; " the body
            subject = subject_before(best, evidence.units)
            if subject is not None and subject not in chosen:
                chosen.insert(0, subject)
        if not value:  # a description: the rest of a short clause belongs with its first sentence
            # (the asked part of an item, retrieval/facets.py: its heading line "a) Nội dung chính" uncounted)
            asked = asked_facet(evidence.question)
            facet = asked is not None and label_facet(best.source.chunk.text) == asked
            own = [u for u in evidence.units if u.source is best.source]
            if facet:
                own = [u for u in own if u is best or not _bare(u)]
            if len(own) <= SHORT_CLAUSE:
                chosen += [u for u in own if u is not best and not conflicting_year(u, evidence.years)]
            elif intent.LIST.search(evidence.folded):  # a list told in prose: the sentences after its opening one
                after = [u for u in own if u.start > best.start]
                chosen += after[:LIST_FOLLOWING]
            chosen = chosen[: self.max_sentences]
        for u in ranked:
            if len(chosen) >= self.max_sentences:
                break
            if u in chosen or merit(u) < 0.6 * merit(best) or merit(u) <= 0.3 or conflicting_year(u, evidence.years):
                continue
            if value and self.scorer.word_coverage(u, evidence) < VALUE_COVERAGE * best_words:
                continue  # a figure, a date, a body was asked: another sentence must be about the same
            if wanted and not holds_value(u, wanted, evidence):
                continue  # … and state such a value too
            if any(same_topic(u.text, c.text) for c in chosen):
                continue
            if preferred and best.source.chunk.doc_id in preferred and u.source.chunk.doc_id not in preferred:
                continue  # the question names its document: another's sentence answers something else
            if u.source.chunk.id == best.source.chunk.id or len(named) <= 1:
                chosen.append(u)
        head, rest = chosen[0], chosen[1:]
        rest.sort(
            key=lambda u: (
                named.index(u.source.chunk.doc_id) if u.source.chunk.doc_id in named else 99,
                u.source.chunk.doc_id,
                u.source.chunk.order,
                u.start,
            )
        )
        return [head, *rest]

    def _head(self, request: GenerationRequest, evidence: Evidence, ranked: list[Unit]) -> Unit:
        """The unit the answer starts with: the best one, unless one nearly as good holds
        what is asked and it does not (a date for "thời hạn nào", a number for "bao
        nhiêu"), or comes from the document the question names and it does not."""
        top = ranked[0]
        near = [u for u in ranked if merit(u) >= HEAD_RATIO * merit(top)]
        anchors = [fold(a) for a in intent.ENTITY.findall(evidence.question)]
        if anchors and not all(a in fold(top.scope or top.text) for a in anchors):
            # "Bộ Tài chính", "Điều 3": the sentence naming what the question names
            holding = [u for u in ranked if all(a in fold(u.scope or u.text) for a in anchors)]
            if holding and merit(holding[0]) >= ANCHOR_RATIO * merit(top):
                top = holding[0]
                near = [u for u in ranked if merit(u) >= HEAD_RATIO * merit(top)]
        wanted = value_kind(evidence.folded)
        if wanted and not holds_value(top, wanted, evidence):
            holding = [u for u in near if holds_value(u, wanted, evidence)]
            if holding:
                top = holding[0]
        preferred = set(request.named_docs) | set(request.preferred_docs)
        if preferred and top.source.chunk.doc_id not in preferred:
            own = [
                u
                for u in near
                if u.source.chunk.doc_id in preferred
                and merit(u) >= PREFERRED_RATIO * merit(top)
                and (not anchors or all(a in fold(u.scope or u.text) for a in anchors))
            ]
            if own and (not wanted or holds_value(own[0], wanted, evidence)):
                top = own[0]
        return top

    def _frame(self, chosen: list[Unit], evidence: Evidence) -> list[DraftSentence]:
        """Each run of sentences from one clause under a line naming it (and its heading's
        year); the first sentence quoted only as far as it answers."""
        out: list[DraftSentence] = []
        last_label = None
        for i, u in enumerate(chosen):
            chunk = u.source.chunk
            note = heading_note(u, evidence.folded)
            label = chunk.label + (f" ({note})" if note else "")
            if label != last_label:
                out.append(DraftSentence(self.prompts.render("intro_single", source=label), [], framing=True))
                last_label = label
            a, b = asked_span(u, evidence, self.scorer)  # each figure quoted as far as it answers
            text = chunk.text[a:b]
            out.append(DraftSentence(shown_text(text), [u.source.number], {u.source.number: text}))
        return out

    def stream(self, request: GenerationRequest, on_text: Callable[[str], None]) -> Draft:
        draft = self.generate(request)
        for sentence in draft.sentences:
            for piece in iter_words(sentence.text):
                on_text(piece)
            on_text("\n")
        return draft
