"""The offline default generator: answers with the documents' own sentences.

It scores the sentences and list items of the retrieved clauses by how much of the
question they cover (IDF-weighted terms, every number and year the question asks about),
prefers figures for "bao nhiêu" questions, named bodies for "ai / cơ quan nào" questions,
and a heading's items for "những ... nào" questions; it avoids repeats, keeps document
order, and frames the result with the short templates in prompts/. Every sentence is a
verbatim quote of its source, so it is faithful by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from retrieval.text import fold, sentence_spans

from .. import intent
from ..prompting import PromptLibrary
from .base import Draft, DraftSentence, GenerationRequest, Source, iter_words, register

@dataclass(eq=False)
class Unit:
    """A sentence or list item of a source, with its span inside the chunk text."""

    source: Source
    start: int
    end: int
    score: float = 0.0
    coverage: float = 0.0  # the question's terms it covers, before any preference by intent

    @property
    def text(self) -> str:
        return self.source.chunk.text[self.start:self.end]


_LEAD_MARKER = re.compile(r"^(?:\[\d{1,3}\]\s*|[-+•–]\s+|[a-zđ]\)\s*|\(\d{1,2}\)\s*|\d{1,2}(?:\.\d{1,2})*\s*[.\-)]\s+|[IVX]{1,5}\s*[-.]\s+|[A-ZĐ]\s*-\s+)")


def units_of(source: Source) -> list[Unit]:
    """Sentences of the source's text, each line's list marker left out of the span."""
    text = source.chunk.text
    out: list[Unit] = []
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


class ExtractiveGenerator:
    """Picks and frames the documents' sentences."""

    name = "extractive"

    def __init__(self, prompts: PromptLibrary, tokens: Callable[[str], list[str]], idf: Callable[[str], float],
                 max_sentences: int = 3, max_items: int = 12, known: Callable[[str], bool] = lambda t: True):
        self.prompts = prompts
        self.tokens = tokens
        self.idf = idf
        self.known = known
        self.max_sentences = max_sentences
        self.max_items = max_items

    # -- scoring ---------------------------------------------------------------------
    def _weights(self, question: str) -> dict[str, float]:
        """IDF of the question's terms; the words that frame a question weigh less."""
        return {t: self.idf(t) * (0.3 if t.lstrip("~") in intent.FRAME_WORDS else 1.0) for t in dict.fromkeys(self.tokens(question))}

    def coverage(self, question: str, text: str, weights: dict[str, float] | None = None) -> float:
        """IDF-weighted share of the question's terms found in text."""
        weights = weights or self._weights(question)
        total = sum(weights.values())
        if not total:
            return 0.0
        present = set(self.tokens(text))
        return sum(w for t, w in weights.items() if t in present) / total

    def _score(self, unit: Unit, question: str, folded_q: str, weights: dict[str, float],
               shorts: frozenset[str] = frozenset(), parts: tuple[str, ...] = ()) -> float:
        chunk = unit.source.chunk
        # a sentence is read with the headings it stands under ("2. Tầm nhìn đến năm 2045")
        first = chunk.text.split("\n", 1)[0]
        heading = first if unit.start > len(first) and len(first) <= 150 else ""
        scope = " ".join([*chunk.breadcrumb[-1:], heading, chunk.context, unit.text])
        score = unit.coverage = self.coverage(question, scope, weights)
        q_numbers = set(intent.NUMBER.findall(question))
        if q_numbers:
            have = set(intent.NUMBER.findall(unit.text))
            score += 0.15 * len(q_numbers & have) / len(q_numbers)
        if intent.FIGURE.search(folded_q) and re.search(r"\d", unit.text):
            score += 0.1
        folded_unit = fold(unit.text)
        if intent.DEADLINE.search(folded_q) and intent.DAY.search(folded_unit):
            score += 0.15  # "thời hạn nào", "khi nào": the sentence with the date
        for part in parts:  # "Hệ thống 4 ...": a sentence under "Hệ thống 5" does not answer
            if not re.search(rf"\b{part}\b", fold(scope)):
                score -= 0.3
        if shorts and intent.ABOUT_THE_TEXT.search(folded_q) and any(sh in folded_unit for sh in shorts):
            score += 0.2  # "Kế hoạch 01-KH/BCĐTW ... ngày nào": the line that names the text and its date
        if intent.RANK_ASKED.search(folded_q) and intent.RANK.search(folded_unit):
            score += 0.15  # "xếp hạng thế nào": the sentence with "nhóm 20 nước", "thứ 3"
        if intent.WHO.search(folded_q) and intent.BODY.search(unit.text):
            score += 0.08
        if unit.text.rstrip().endswith(":") or len(unit.text) < 25:
            score -= 0.1  # a bare heading says little on its own
        if (chunk.kind == "title" or chunk.boilerplate) and not intent.ABOUT_THE_TEXT.search(folded_q):
            score -= 0.15  # a preamble or signature block rarely answers, except about the text itself
        return score - 0.02 * unit.source.rank

    # -- generation ------------------------------------------------------------------
    def generate(self, request: GenerationRequest) -> Draft:
        question = request.focus or request.question
        folded_q = fold(question)
        shorts = {fold(s.chunk.doc_short) for s in request.sources if s.chunk.doc_id in request.named_docs}
        parts = tuple(intent.numbered_parts(folded_q))
        weights = self._weights(question)
        units = [u for s in request.sources for u in units_of(s)]
        for u in units:
            u.score = self._score(u, question, folded_q, weights, frozenset(shorts), parts)
        if not units:
            return Draft([], abstain=True, confidence=0.0)
        best = max(units, key=lambda u: u.score)
        top = sorted(units, key=lambda u: -u.score)[:5]
        # words the documents never use cannot be covered: a foreign term or a paraphrase
        unigrams = {t: w for t, w in weights.items() if "_" not in t and self.known(t)}
        confidence = max(self.coverage(question, u.source.chunk.embedding_text(), unigrams) for u in top)
        if intent.missing_anchor(question, [u.source.chunk for u in top], set(request.known_years)) or (
            not intent.has_asked_value(folded_q, [u.text for u in sorted(units, key=lambda u: -u.coverage)[:3]])
        ):
            confidence = 0.0  # what the question pins down is not in the evidence
        top_hit = next((s for s in request.sources if s.number == 1), None)
        heading_hit = (  # "Mục tiêu đến năm 2030 là gì?" and the best clause is "1. Đến năm 2030": its items
            top_hit is not None and (request.children or {}).get(top_hit.chunk.id)
            and len(top_hit.chunk.text) < 120 and "\n" not in top_hit.chunk.text
        )
        if intent.LIST.search(folded_q) or heading_hit:
            draft = self._list_answer(request, units, best)
            if draft is not None:
                draft.confidence = confidence
                return draft
        return Draft(self._fact_answer(request, units, best), confidence=confidence)

    def _fact_answer(self, request: GenerationRequest, units: list[Unit], best: Unit) -> list[DraftSentence]:
        chosen = [best]
        named = request.named_docs
        if len(named) > 1:  # one best sentence per document the question names
            for doc in named:
                if doc != best.source.chunk.doc_id:
                    pool = [u for u in units if u.source.chunk.doc_id == doc]
                    if pool:
                        chosen.append(max(pool, key=lambda u: u.score))
        for u in sorted(units, key=lambda u: -u.score):
            if len(chosen) >= self.max_sentences:
                break
            if u.score >= 0.6 * best.score and u.score > 0.3 and not any(_similar(u.text, c.text) for c in chosen):
                if u.source.chunk.id == best.source.chunk.id or len(named) <= 1:
                    chosen.append(u)
        chosen = list(dict.fromkeys(chosen))
        chosen.sort(key=lambda u: (named.index(u.source.chunk.doc_id) if u.source.chunk.doc_id in named else 99,
                                   u.source.chunk.doc_id, u.source.chunk.order, u.start))
        out: list[DraftSentence] = []
        docs = list(dict.fromkeys(u.source.chunk.doc_id for u in chosen))
        if len(docs) == 1:
            out.append(DraftSentence(self.prompts.render("intro_single", source=chosen[0].source.chunk.label), [], framing=True))
        else:
            out.append(DraftSentence(self.prompts.render("intro_multi"), [], framing=True))
        for u in chosen:
            out.append(DraftSentence(u.text, [u.source.number], {u.source.number: u.text}))
        return out

    def _list_answer(self, request: GenerationRequest, units: list[Unit], best: Unit) -> Draft | None:
        """The items under the best-matching heading: a top source with items, or the
        heading several top sources share (siblings found together are its list)."""
        table = request.children or {}
        hits = [s for s in request.sources if s.number == s.rank]
        heads = {s.chunk.id: s for s in hits[:3] if table.get(s.chunk.id)}
        by_id = {c.id: c for items in table.values() for c in items}
        siblings: dict[str, list[Source]] = {}
        for s in hits[:5]:
            siblings.setdefault(s.chunk.parent_id, []).append(s)
        for parent_id, group in siblings.items():
            parent = by_id.get(parent_id)
            if parent is not None and len(group) >= 2 and parent_id not in heads:
                heads[parent_id] = Source(0, parent, min(g.rank for g in group), 0.0)
        if not heads:
            return None
        focus = request.focus or request.question
        weights = self._weights(focus)

        def head_score(s: Source) -> float:
            shared = len(siblings.get(s.chunk.id, []))
            return self.coverage(focus, s.chunk.embedding_text(), weights) - 0.03 * s.rank + 0.1 * shared

        head = max(heads.values(), key=head_score)
        if self.coverage(focus, head.chunk.embedding_text(), weights) + 0.15 < best.score:
            return None  # one sentence says it better ("các ngành: nông nghiệp, y tế, ...")
        items = sorted(table[head.chunk.id], key=lambda c: c.order)[: self.max_items]
        if len(items) < 2:
            return None
        numbers = {s.chunk.id: s.number for s in request.sources}

        def number_of(chunk) -> int:
            if chunk.id not in numbers:
                request.sources.append(Source(len(request.sources) + 1, chunk, head.rank, head.score))
                numbers[chunk.id] = len(request.sources)
            return numbers[chunk.id]

        out = [DraftSentence(self.prompts.render("intro_list", label=head.chunk.label), [], framing=True)]
        # the heading's own sentences ("Tập trung triển khai các nhiệm vụ cấp bách ...")
        n = number_of(head.chunk)
        body = [u for u in units_of(request.sources[n - 1]) if u.start > len(head.chunk.text.split("\n", 1)[0])]
        for u in body[:2]:
            out.append(DraftSentence(u.text, [n], {n: u.text}))
        for chunk in items:
            number = number_of(chunk)
            item = _first_line(request.sources[number - 1])
            if item:
                out.append(DraftSentence(item.text, [number], {number: item.text}, bullet=True))
        return Draft(out)

    def stream(self, request: GenerationRequest, on_text: Callable[[str], None]) -> Draft:
        draft = self.generate(request)
        for sentence in draft.sentences:
            for piece in iter_words(sentence.text):
                on_text(piece)
            on_text("\n")
        return draft


def _first_line(source: Source) -> Unit | None:
    """An item as a list shows it: its whole first line when short, else its first sentence."""
    units = units_of(source)
    if not units:
        return None
    line_end = source.chunk.text.find("\n")
    line_end = len(source.chunk.text) if line_end < 0 else line_end
    same_line = [u for u in units if u.end <= line_end]
    if same_line and same_line[-1].end - units[0].start <= 300:
        return Unit(source, units[0].start, same_line[-1].end)
    return units[0]


def _similar(a: str, b: str) -> bool:
    wa, wb = set(fold(a).split()), set(fold(b).split())
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.7


@register("extractive")
def _factory(prompts: PromptLibrary, tokens, idf, known=lambda t: True, **_: object) -> ExtractiveGenerator:
    return ExtractiveGenerator(prompts, tokens, idf, known=known)
