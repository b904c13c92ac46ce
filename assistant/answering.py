"""The answer pipeline, one visible step after another:

scope (a greeting, an instruction, something else: the scope message) → condense the
follow-up → split a multi-part question into its asks → for each ask: retrieve → score the
evidence → a list or count from the document tree, when asked → abstain or not (its own
step, the same for every generator) → generate → check citations → Answer.

A question naming a document that does not hold the answer is answered from the one that
does, saying so. Generator failures fall back to the extractive answer with a notice;
nothing here raises to the user for a broken backend.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from retrieval.docref import about_named
from retrieval.errors import BackendUnavailableError
from retrieval.memo import memo_of
from retrieval.regex_cache import compiled
from retrieval.rules import load_rules
from retrieval.search import HybridSearcher, is_metadata_question
from retrieval.text import fold

from . import metadata
from .abstention import (
    AbstentionPolicy,
    Refusals,
    Verdict,
    WordPairs,
    signed_documents,
    unknown_document,
    written_in,
    written_runs,
)
from .citations import CheckedAnswer, check, one_line
from .condense import RuleCondenser, Turn
from .direct import same_topic
from .doctree import DocumentTree
from .evidence import Evidence
from .generation.base import Draft, DraftSentence, GenerationRequest, Generator, Source
from .generation.extractive import ExtractiveGenerator
from .multipart import Part, split_asks
from .prompting import PromptLibrary
from .scope import DocumentPhrases, ScopeGuard
from .tree import TreeAnswerer
from .types import Answer, Context, Message

_ANSWER_RULES = load_rules("answers")  # retrieval/resources/rules/answers.toml
MIN_SUPPORTED = 0.95  # an LLM answer below this share of supported sentences is replaced
# refusals that may come from naming the wrong document: the question is searched again without it
SECOND_LOOK = ("weak", "missing_anchor", "no_value", "vague_count", "missing_part", "no_contact")
OTHER_DOCUMENT_RATIO = 0.7
# an answered ask whose best sentence in another document covers this much more of the
# question than the named document's best is looked at again without the preference
ELSEWHERE_MARGIN = 0.1
# ... and when the named document's clauses fill the results, the others' best is that of a
# search without the preference
UNFILTERED_LOOK = True
# refusals of a part's own ask (without the words of the part before) that make it absent
OWN_ASK = ("missing_anchor", "no_value", "vague_count")
BARE_SUBHEADING = 60  # characters: a child heading this short is read with its items
MAX_BELOW = 20  # the named document's best sentence below this share of the best: "X không nêu"
# "X không nêu nội dung này" only when the named document truly lacks it: another document's
# best sentence covers the question ABSENT_MARGIN more than the named one's best (or
# ELSEWHERE_MARGIN more while covering ABSENT_CLEAR of it: a clear answer), and the named
# one's best covers under ABSENT_LEVEL. Calibrated on dev (the named texts that hold the
# answer: 0.155 below a weak 0.30, or at 0.58) and on the wrong-document probes
# (tests/assistant/test_answers_other_document.py), which keep saying it
ABSENT_MARGIN = 0.2
ABSENT_CLEAR = 0.4
ABSENT_LEVEL = 0.55
OWN_WORDS_SAID = 0.34  # a part's answer saying less of the part's own words is tried again told the document only
OWN_WORDS_MARGIN = 0.25  # ... and replaced when the new answer says this much more of them
OWN_WORDS_REPEAT = True  # ... only when it cites nothing but clauses an earlier part's answer cites
OWN_WORDS_WEIGHT = 1.0  # ... when those words weigh this much (IDF summed): a generic "nội dung" does not


@dataclass(frozen=True)
class AnswerConfig:
    top_k: int = 8
    children_of_top: int = 3  # the items of the top headings are offered too
    abstain_threshold: float = 0.45
    nearest: int = 3
    abstain_detail_check: bool = True  # AbstentionPolicy.detail_check


@dataclass
class _Assessed:
    """One ask up to the abstention step (Answerer._assess)."""

    sources: list[Source]
    request: GenerationRequest
    evidence: Evidence
    structured: Draft | None
    verdict: Verdict
    named: list[str]
    focus: str
    second_look: bool


@dataclass
class PartAnswer:
    """One ask answered: its draft (numbered sources), its hits, refused or not."""

    part: Part
    hits: list
    sources: list[Source]
    draft: Draft
    verdict: Verdict
    notice: str = ""
    named: list[str] = field(default_factory=list)

    def draft_chunks(self, sentence: DraftSentence) -> list[str]:
        """The chunk ids a sentence of the draft cites."""
        by_number = {s.number: s.chunk.id for s in [*self.sources, *self.draft.sources]}
        return [by_number.get(m, "") for m in sentence.markers]


class Answerer:
    """Wires the pieces of one answer; built once per Assistant."""

    def __init__(
        self,
        searcher: HybridSearcher,
        condenser: RuleCondenser,
        generator: Generator,
        extractive: ExtractiveGenerator,
        prompts: PromptLibrary,
        embedder_name: str,
        config: AnswerConfig = AnswerConfig(),
    ):
        self.searcher = searcher
        self.condenser = condenser
        self.generator = generator
        self.extractive = extractive
        self.prompts = prompts
        self.embedder_name = embedder_name
        self.config = config
        self.scorer = extractive.scorer
        tree = DocumentTree(searcher.table)
        issued = {d.id: (d.date or "")[:4] for d in searcher.recognizer.documents}
        issuers = {d.id: d.issuer for d in searcher.recognizer.documents if d.authority == "official"}
        # every clause folded once, on the first "ai ký" question, not at start-up
        signed = cache(
            lambda: _kept(
                searcher.table, "signed", lambda: signed_documents(searcher.table.chunks), ("intent", "search")
            )
        )
        # the documents' words of two syllables, counted on the first question asking a figure
        # (kept beside the generation: issue 13, scale)
        pairs = cache(lambda: _word_pairs(searcher.table))
        # the documents' runs of words, folded once on the first question naming a body
        written = cache(
            lambda: written_in(
                _kept(searcher.table, "written", lambda: written_runs(c.text for c in searcher.table.chunks))
            )
        )
        self.policy = AbstentionPolicy(
            self.scorer,
            config.abstain_threshold,
            tree.has_part,
            lambda doc: issued.get(doc, ""),
            lambda doc: issuers.get(doc, ""),
            lambda doc: doc in signed(),
            pairs,
            config.abstain_detail_check,
            lambda words: written()(words),
        )
        # every clause's scoring statics, read in bulk from beside the index once the process
        # asks on (issue 13: fresh asks); at scale, worked out clause by clause as before
        if len(searcher.table.chunks) <= STATICS_KEPT_UP_TO:
            self.scorer.keep_statics(lambda: _statics_table(searcher.table, self.scorer, searcher.lexical.analyzer))
        self.refusals = Refusals(prompts, config.nearest)
        self.tree = TreeAnswerer(tree, self.scorer, prompts)
        lexical = searcher.lexical
        self.mentions = lru_cache(maxsize=512)(lambda text: tuple(searcher.recognizer.mentions(text)))
        self.scope = ScopeGuard(
            lambda t: lexical.analyzer.tokens(t, query=True),
            lambda t: t in lexical.doc_freq,
            lambda t: bool(self.mentions(t)),
            said=DocumentPhrases(lambda: [c.text for c in searcher.table.chunks]),
        )

    # -- the steps ---------------------------------------------------------------------
    def sources(self, hits, first: int = 1) -> list[Source]:
        """Hits numbered from ``first``, then the items under the top headings."""
        sources = [Source(first + i, h.chunk, i + 1, h.score) for i, h in enumerate(hits)]
        seen = {s.chunk.id for s in sources}
        children = self.searcher.table.children
        for s in list(sources[: self.config.children_of_top]):
            for child in children.get(s.chunk.id, []):
                # a bare sub-heading ("I Đến năm 2030" of a table) offers its own items too
                below = children.get(child.id, []) if len(child.text) <= BARE_SUBHEADING else []
                for c in [child, *below[:MAX_BELOW]]:
                    if c.id not in seen:
                        seen.add(c.id)
                        sources.append(Source(first + len(sources), c, s.rank, s.score, retrieved=False))
        return sources

    def ask(
        self,
        question: str,
        history: list[Message] | None = None,
        docs: list[str] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        t0 = time.perf_counter()
        history = history or []
        scope = self.scope.check(question, follow_up=bool(history))
        if not scope.in_scope:
            return self._scope_answer(question, t0, on_text)
        standalone = self.condenser.condense(scope.question, [Turn(m.role, m.content) for m in history])
        # perf (issue 13): the asks of a question, split once (rules and this generation's
        # mentions; the parts are frozen)
        parts = list(
            memo_of(self, "_asks_memo", 4096).get(
                standalone,
                lambda: tuple(split_asks(standalone, self.mentions, refer=getattr(self.condenser, "refer", None))),
            )
        )
        answers: list[PartAnswer] = []
        first, t_retrieve = 1, 0.0
        for i, part in enumerate(parts):
            t = time.perf_counter()
            hits = self.searcher.search(part.query, self.config.top_k, docs)
            t_retrieve += time.perf_counter() - t
            emit = self._part_emitter(part, len(parts) > 1, on_text)
            # a part searched with the words of the part before is written once it is known to answer its own
            result = self._answer_part(part, hits, docs, first, None if part.alone else emit, multi=len(parts) > 1)
            if part.alone:
                result = self._own_words(part, result, parts[:i], docs, first, answers)
                if not result.verdict.abstain:
                    _emit_draft(result.draft, emit)
            first = max([s.number for s in [*result.sources, *result.draft.sources]], default=first) + 1
            answers.append(result)
        checked, abstained, notice = self._compose(answers, len(parts) > 1, on_text)
        t2 = time.perf_counter()
        return Answer(
            question=question,
            standalone_question=standalone,
            answer=checked.text(),
            abstained=abstained,
            citations=checked.citations,
            contexts=[
                Context.from_hit(h) for h in _interleave([a.hits for a in answers], self.config.top_k * len(parts))
            ],
            # what really answered: after a fallback (with its notice) the extractive generator
            backend={
                "embedder": self.embedder_name,
                "generator": self.extractive.name if notice else self.generator.name,
            },
            timings_ms={
                "retrieve": t_retrieve * 1000,
                "generate": (t2 - t0 - t_retrieve) * 1000,
                "total": (t2 - t0) * 1000,
            },
            notice=notice,
            checked=checked,
        )

    def _part_emitter(self, part: Part, multi: bool, on_text) -> Callable[[str], None] | None:
        """What receives a part's text as it is written: on_text, after the part's own
        heading line when the question has several parts."""
        if on_text is None:
            return None
        started = [False]

        def emit(text: str) -> None:
            if multi and not started[0]:
                on_text(self.prompts.render("part_intro", part=part.shown) + "\n")
            started[0] = True
            on_text(text)

        return emit

    def _assess(
        self, part: Part, hits, docs: list[str] | None, first: int, named: list[str] | None = None
    ) -> _Assessed:
        """One ask up to the abstention step: its sources, evidence, a tree answer when it
        asks for a list or count, and the verdict. named: the documents the question names,
        when the hits were searched without them (the second look)."""
        sources = self.sources(hits, first)
        question = part.query
        second_look = named is not None
        if named is None:
            named = docs or self.searcher.recognizer.targets(question)
        if named and not second_look and is_metadata_question(question):  # date, signer: the heading block
            seen = {s.chunk.id for s in sources}
            for doc in named:
                for chunk in [c for c in self.searcher.table.of_document(doc) if c.kind == "title"][:2]:
                    if chunk.id not in seen:
                        sources.append(Source(first + len(sources), chunk, 1, 0.0, retrieved=False))
        focus = self.searcher.recognizer.strip(question) or question
        years = [d.date[:4] for d in self.searcher.recognizer.documents if d.id in named and d.date]
        # on the second look the named document is no longer preferred: it did not hold the answer
        request = GenerationRequest(
            question,
            sources,
            [] if second_look else named,
            focus,
            years,
            self.searcher.table.children,
            preferred_docs=[] if docs or second_look else self.searcher.recognizer.qualified(question),
        )
        evidence = self.scorer.assess(request)
        request.evidence = evidence
        structured = self._metadata_draft(request) or self.tree.draft(request, evidence)
        verdict = self.policy.decide(request, evidence, structured)
        if (
            not verdict.abstain
            and not docs
            and unknown_document(question, self.mentions(question), [u.source.chunk.text for u in evidence.ranked[:8]])
        ):
            verdict = Verdict(True, 0.0, "unknown_document")  # "Kế hoạch 02-KH/BCĐTW": not among the texts
        return _Assessed(sources, request, evidence, structured, verdict, named, focus, second_look)

    def _metadata_draft(self, request: GenerationRequest) -> Draft | None:
        """The named document's own date, signer, issuer or date of effect, when that alone
        is asked (assistant/metadata.py)."""
        if len(request.named_docs) != 1:
            return None
        doc = next((d for d in self.searcher.recognizer.documents if d.id == request.named_docs[0]), None)
        if doc is None:
            return None
        return metadata.draft(request, self.searcher.table.of_document(doc.id), doc, self.prompts)

    def _other_hits(self, a: _Assessed, verdict: Verdict, docs: list[str] | None):
        """The hits of all the documents for an ask refused within the one it names, when
        they lean to another (the named document is a preference, not a filter); None
        when no second look is due."""
        if not (a.named and not docs and not a.second_look and verdict.reason in SECOND_LOOK):
            return None
        other = self.searcher.search(a.focus, self.config.top_k)
        return other if any(h.chunk.doc_id not in a.named for h in other[:3]) else None

    def _said_elsewhere(self, a: _Assessed, docs: list[str] | None) -> bool:
        """Another document's best sentence covers the question clearly better than the
        named document's best (its words and its two-syllable words alike), and the named
        document has no sentence saying the same (a text that repeats the named one is not
        where the answer comes from): the named document is a preference, not a filter.
        Not for what is asked about the named text itself (its date, its conference)."""
        question = a.request.question
        if not a.named or docs or a.second_look or is_metadata_question(question) or about_named(question):
            return False
        if a.structured is not None and _draft_docs(a.structured, a.sources) & set(a.named):
            return False  # the named document's own list or count ("gồm những nhiệm vụ nào")
        units = a.evidence.units
        mine = [u for u in units if u.source.chunk.doc_id in a.named]
        others = [u for u in units if u.source.chunk.doc_id not in a.named]
        if not others and UNFILTERED_LOOK and self._share_base(question) is not None:
            # the named document's clauses fill the results: the other documents' best
            # sentences are those of a search without the preference (the same question),
            # where a coverage ahead is no sign (the named text may say it in fewer words):
            # only the base of the share asked for, written there and not in the named text
            unfiltered = self._unfiltered_evidence(a)
            others = [u for u in unfiltered.units if u.source.chunk.doc_id not in a.named]
            return self._base_elsewhere(question, a.named, others)
        if self._figures_elsewhere(question, mine, others):
            return True
        theirs = max(others, key=lambda u: u.coverage, default=None)
        own = max((u.coverage for u in mine), default=0.0)
        if theirs is None or theirs.coverage < own + ELSEWHERE_MARGIN:
            return False
        if any(same_topic(u.text, theirs.text) for u in mine):
            return False
        words = self.scorer.word_coverage
        return max((words(u, a.evidence) for u in others), default=0.0) > max(
            (words(u, a.evidence) for u in mine), default=0.0
        )

    def _unfiltered_evidence(self, a: _Assessed) -> Evidence:
        """The evidence of the ask's words searched over all the documents, none preferred
        (its sources numbered as the ask's own; only compared, never cited)."""
        hits = self.searcher.search(a.focus, self.config.top_k)
        sources = self.sources(hits, a.sources[0].number if a.sources else 1)
        request = GenerationRequest(
            a.request.question, sources, [], a.focus, a.request.known_years, self.searcher.table.children
        )
        return self.scorer.assess(request)

    def _figures_elsewhere(self, question: str, mine, others) -> bool:
        """The question states dates or shares ("… trước 15/6 và 01/12 đúng không", "… đạt
        30% GDP phải không") that no sentence of the named document writes and a sentence of
        another document writes all of: the figures are what the asker remembers, so the
        text that states them is where the answer is (the named one may set other figures
        for the same thing, and is still quoted when it does)."""
        figures = self.searcher.reader.figures
        stated = figures(question)
        if not stated or any(stated & figures(u.text) for u in mine):
            return False
        return any(stated <= figures(u.text) for u in others)

    def _base_elsewhere(self, question: str, named: list[str], others) -> bool:
        """The question asks a share of a base ("phải chi bao nhiêu % doanh thu") that no
        clause of the named documents writes beside a share and a sentence of another
        document does ("… với tỷ lệ 1% - 3% doanh thu"): the share asked for is set there
        (a base the named text also writes tells nothing)."""
        base = self._share_base(question)
        if base is None:
            return False

        def beside(text: str) -> bool:
            return "%" in text and base.search(fold(text).lower()) is not None

        if not any(beside(u.text) for u in others):
            return False
        return not any(beside(c.text) for d in named for c in self.searcher.table.of_document(d))

    @staticmethod
    def _share_base(question: str) -> re.Pattern[str] | None:
        """The base of the share the question asks for ("% doanh thu"), as a pattern over folded text."""
        match = _ANSWER_RULES.search("share_base", question)
        return None if match is None else compiled(rf"\b{re.escape(match.group('base'))}\b")

    def _base_lacks(self, evidence: Evidence, named: list[str]) -> bool:
        """_base_elsewhere with the other documents' units of one evidence."""
        others = [u for u in evidence.units if u.source.chunk.doc_id not in named]
        return self._base_elsewhere(evidence.question, named, others)

    def _named_lacks(self, evidence: Evidence, named: list[str]) -> bool:
        """The named documents' best sentence covers the question clearly less than another
        document's best and little of it at all (ABSENT_*): only then may the answer say
        the named document does not hold it."""
        own = max((u.coverage for u in evidence.units if u.source.chunk.doc_id in named), default=0.0)
        theirs = max((u.coverage for u in evidence.units if u.source.chunk.doc_id not in named), default=0.0)
        ahead = theirs - own
        covered = (
            ahead >= ABSENT_MARGIN or (ahead >= ELSEWHERE_MARGIN and theirs >= ABSENT_CLEAR)
        ) and own < ABSENT_LEVEL
        return covered or self._base_lacks(evidence, named)

    def _says_other_document(self, draft: Draft) -> bool:
        """The draft opens with the line that the named document does not hold it
        (prompts/other_document.txt)."""
        line = re.escape(self.prompts.render("other_document", named="\x00", other="\x01"))
        pattern = re.compile(line.replace("\x00", ".+").replace("\x01", ".+"))
        first = draft.sentences[0] if draft.sentences else None
        return first is not None and first.framing and bool(pattern.fullmatch(first.text))

    def _answer_part(
        self,
        part: Part,
        hits,
        docs: list[str] | None,
        first: int,
        emit: Callable[[str], None] | None = None,
        named: list[str] | None = None,
        multi: bool = False,
    ) -> PartAnswer:
        """One ask: the assessment above, then the second look or the answer (the tree's,
        or the generator's). multi: one ask of several, checked on its own words too."""
        a = self._assess(part, hits, docs, first, named)
        sources, request, evidence, structured, verdict, named = (
            a.sources, a.request, a.evidence, a.structured, a.verdict, a.named
        )  # fmt: skip
        if multi and not verdict.abstain and not a.second_look:
            verdict = self._own_ask(part, docs, first) or verdict
        if not verdict.abstain and self._said_elsewhere(a, docs):
            other = self.searcher.search(a.focus, self.config.top_k)
            again = self._answer_part(Part(part.text, a.focus), other, docs, first, None, named)
            # kept when it says the named document does not hold it, or cites that one too
            cited = _draft_docs(again.draft, again.sources)
            # when the named document's clauses filled the results, the others were seen in a
            # search without the preference, and _said_elsewhere held only because the share's
            # base asked for is written there and not in the named text: it truly lacks it
            filled = not any(u.source.chunk.doc_id not in named for u in evidence.units)
            lacking = filled or self._named_lacks(evidence, named)
            if (
                not again.verdict.abstain
                and cited - set(named)
                and ((cited & set(named) and not filled) or (self._says_other_document(again.draft) and lacking))
            ):
                _emit_draft(again.draft, emit)
                return again
        if verdict.abstain:
            other = self._other_hits(a, verdict, docs)
            if other is not None:
                again = self._answer_part(Part(part.text, a.focus), other, docs, first, emit, named)
                if not again.verdict.abstain:
                    return again
            return PartAnswer(part, hits, sources, Draft([]), verdict, named=named)
        if structured is not None:
            structured = self._other_document(structured, request, evidence, named)
            _emit_draft(structured, emit)
            return PartAnswer(part, hits, sources, structured, verdict, named=named)
        draft, notice = self._generate(request, sources, emit)
        if draft is None:  # the model itself found nothing in the sources: a refusal
            return PartAnswer(
                part, hits, sources, Draft([]), Verdict(True, verdict.confidence, "generator"), named=named
            )
        draft = self._other_document(draft, request, evidence, named)
        return PartAnswer(part, hits, sources, draft, verdict, notice, named)

    def _own_words(
        self,
        part: Part,
        result: PartAnswer,
        before: list[Part],
        docs: list[str] | None,
        first: int,
        earlier: list[PartAnswer] | None = None,
    ) -> PartAnswer:
        """A part searched with the words of the part before ("Nghị quyết được phổ biến đến
        cấp nào (…; Ai ký Nghị quyết 57)?") may be answered by the clause that answers the
        part before, its own words said nowhere in it: the part is then answered again told
        only the document, and that answer is kept when it says the part's own words
        clearly better. The answer as it was otherwise."""
        if result.verdict.abstain:
            return result
        if OWN_WORDS_REPEAT and not _repeats(result, earlier or []):
            return result  # it answers with clauses of its own: the borrowed words found something else
        own = self._own_weights(part, before)
        if sum(own.values()) < OWN_WORDS_WEIGHT:  # "nội dung thế nào?": nothing of its own to say
            return result
        said = self._said_share(result, own)
        if said >= OWN_WORDS_SAID:
            return result
        hits = self.searcher.search(part.alone, self.config.top_k, docs)
        again = self._answer_part(Part(part.text, part.alone), hits, docs, first, None, multi=True)
        if again.verdict.abstain or self._said_share(again, own) < said + OWN_WORDS_MARGIN:
            return result
        return again

    def _own_weights(self, part: Part, before: list[Part]) -> dict[str, float]:
        """The words of a part that no part before it says and that do not only ask
        (IDF-weighted, folded single words: a rare pair of them would outweigh the rest)."""
        borrowed = set().union(*(self.scorer.token_set(p.text) for p in before)) if before else set()
        asking = self.tree.rules.word_set("question_words") | self.tree.rules.word_set("noun_stop")
        text = self.searcher.recognizer.strip(part.text) or part.text
        return {
            t: w
            for t, w in self.scorer.weights(text).items()
            if "_" not in t and not t.startswith("~") and t not in borrowed and t not in asking
        }

    def _said_share(self, result: PartAnswer, weights: dict[str, float]) -> float:
        """The share of the weights the answer's cited sentences say."""
        text = " ".join(s.text for s in result.draft.sentences if s.markers)
        return self.scorer.coverage("", text, weights) if text else 0.0

    def _own_ask(self, part: Part, docs: list[str] | None, first: int) -> Verdict | None:
        """A part searched with the words of the part before ("Mỗi năm cử tối đa bao nhiêu
        người (… thực tập ở những đâu)?") passes the evidence check on those words; the
        same check on its own ask, as a question of its own (its second look included),
        tells whether the documents hold what it asks. Only the assessment runs: nothing is
        generated for it. The refusal when they do not (a value or an anchor the part
        itself pins down: a low score alone does not count, a short ask such as "Ký ngày
        nào?" covers few words by itself); None when the part is its own query or passes."""
        if part.query == part.text:
            return None
        own = Part(part.text, part.text)
        a = self._assess(own, self.searcher.search(own.query, self.config.top_k, docs), docs, first)
        if not a.verdict.abstain or a.verdict.reason not in OWN_ASK:
            return None
        other = self._other_hits(a, a.verdict, docs)
        if other is not None and not self._assess(Part(own.text, a.focus), other, docs, first, a.named).verdict.abstain:
            return None
        return a.verdict

    def _generate(
        self, request: GenerationRequest, sources: list[Source], emit: Callable[[str], None] | None = None
    ) -> tuple[Draft | None, str]:
        """The generator's draft, or the extractive one (with a notice) when the generator
        fails or writes sentences its cited clauses do not support; None when the model
        answers that the sources do not cover the question. emit receives the text as it
        is written (an LLM streams its words)."""
        offline = self.extractive.generate(request)
        if self.generator is self.extractive or self.generator.name == self.extractive.name:
            _emit_draft(offline, emit)
            return offline, ""
        try:
            draft = self.generator.stream(request, emit) if emit else self.generator.generate(request)
        except BackendUnavailableError as exc:
            return self._fallback(offline, str(exc), emit)
        checked = check(draft, sources)
        if _refuses(draft):
            return None, ""
        if not checked.claims or checked.supported_ratio < MIN_SUPPORTED:
            reason = "câu trả lời của mô hình có câu không được văn bản trích dẫn hỗ trợ nên đã được thay."
            return self._fallback(offline, reason, emit)
        return draft, ""

    def _fallback(self, offline: Draft, reason: str, emit) -> tuple[Draft, str]:
        notice = self._notice(reason)
        if emit:
            emit("\n\n" + notice + "\n\n")
            _emit_draft(offline, emit)
        said = Draft(
            [DraftSentence(notice, [], framing=True), *offline.sentences],
            offline.sources,
            offline.structured,
            offline.confidence,
        )  # the answer says why
        return said, notice

    def _notice(self, reason: str) -> str:
        return self.prompts.render("notice_fallback", reason=reason.rstrip(".") + ".")

    def _other_document(self, draft: Draft, request: GenerationRequest, evidence: Evidence, named: list[str]) -> Draft:
        """The question names a document and the answer comes from another: say so first
        ("Nghị quyết 57-NQ/TW không nêu nội dung này; Kế hoạch 01-KH/BCĐTW nêu:")."""
        cited = {
            s.chunk.doc_id: s.chunk
            for s in [*request.sources, *draft.sources]
            if any(s.number in d.markers for d in draft.sentences)
        }
        if not named or not cited or set(cited) & set(named):
            return draft
        best = evidence.best
        own = [u.score for u in evidence.units if u.source.chunk.doc_id in named]
        based = not draft.structured and self._base_lacks(evidence, named)  # the share's base is written elsewhere
        if (
            not based
            and not draft.structured
            and best is not None
            and own
            and max(own) >= OTHER_DOCUMENT_RATIO * best.score
        ):
            return draft
        if not draft.structured and not self._named_lacks(evidence, named):
            return draft  # the named document says nearly as much: no "X không nêu" (a list or
            # count read from another text's tree is one the named text does not have)
        names = {d.id: d.cite_as or d.short for d in self.searcher.recognizer.documents}
        line = self.prompts.render(
            "other_document",
            named=" và ".join(names.get(d, d) for d in named),
            other=", ".join(names.get(d, d) for d in cited),
        )
        return Draft(
            [DraftSentence(line, [], framing=True), *draft.sentences], draft.sources, draft.structured, draft.confidence
        )

    # -- putting the parts together ------------------------------------------------------
    def _compose(self, answers: list[PartAnswer], multi: bool, on_text) -> tuple[CheckedAnswer, bool, str]:
        all_sources = [s for a in answers for s in a.sources]
        if all(a.verdict.abstain for a in answers):
            hits = _interleave([a.hits for a in answers], self.config.nearest)
            checked = self.refusals.refusal(hits, answers[0].verdict if len(answers) == 1 else None)
            if on_text:
                on_text(checked.sentences[0].text)
            return checked, True, ""
        if on_text and multi:  # an absent part was not written while the others were
            for a in answers:
                if a.verdict.abstain:
                    on_text(self._absent(a, a.part.shown) + "\n")
        sentences: list[DraftSentence] = []
        extra: list[Source] = []
        said: list[tuple[set, int, list[str]]] = []  # (what a part's claims quote, where its heading is, its asks)
        shown_claims: set = set()  # claims already given under an earlier ask
        for a in answers:
            quoted = {(s.text, tuple(a.draft_chunks(s))) for s in a.draft.sentences if s.markers}
            if multi:
                shown = a.part.shown
                if a.verdict.abstain:
                    sentences.append(DraftSentence(self._absent(a, shown), [], framing=True))
                    continue
                same = next((x for x in said if quoted <= x[0]), None) or (
                    said[-1] if said and quoted <= shown_claims else None
                )
                if same is not None:  # the same clauses answer this ask too: one heading for both
                    same[2].append(shown)
                    sentences[same[1]] = DraftSentence(
                        self.prompts.render("part_intro", part="», «".join(same[2])), [], framing=True
                    )
                    continue
                said.append((quoted, len(sentences), [shown]))
                sentences.append(DraftSentence(self.prompts.render("part_intro", part=shown), [], framing=True))
            if multi and not a.draft.structured:  # under its ask's heading, each claim a line of its own, once
                sentences.extend(
                    s
                    for s in _as_items(a.draft.sentences)
                    if s.framing or (s.text, tuple(a.draft_chunks(s))) not in shown_claims
                )
            else:
                sentences.extend(a.draft.sentences)
            shown_claims |= quoted
            extra.extend(a.draft.sources)
        if multi and len(said) == 1 and not any(a.verdict.abstain for a in answers):
            del sentences[said[0][1]]  # every ask answered by the same clauses: one answer, no headings
        draft = Draft(sentences, extra)
        notice = next((a.notice for a in answers if a.notice), "")
        return check(draft, all_sources), False, notice

    def _absent(self, a: PartAnswer, shown: str) -> str:
        """An ask the documents do not answer; one they answer only with a vague count
        ("một số sản phẩm quốc gia") says they give no number, and quotes what they say."""
        if a.verdict.reason == "vague_count" and a.verdict.said:
            return self.prompts.render("part_vague", part=shown, said=a.verdict.said)
        return self.prompts.render("part_absent", part=shown)

    def _scope_answer(self, question: str, t0: float, on_text) -> Answer:
        documents = ", ".join(d.short for d in self.searcher.recognizer.documents if d.authority == "official")
        checked = self.refusals.scope(documents)
        if on_text:
            on_text(checked.sentences[0].text)
        total = (time.perf_counter() - t0) * 1000
        return Answer(
            question=question,
            standalone_question=question,
            answer=checked.text(),
            abstained=True,
            citations=[],
            contexts=[],
            backend={"embedder": self.embedder_name, "generator": self.generator.name},
            timings_ms={"retrieve": 0.0, "generate": total, "total": total},
            checked=checked,
        )


_NOT_COVERED = re.compile(r"khong (?:de cap|neu|co thong tin ve) (?:den )?noi dung nay")


def _refuses(draft: Draft) -> bool:
    """A model's draft that only says the sources do not cover the question."""
    texts = [s.text for s in draft.sentences if s.text.strip()]
    return (
        bool(texts)
        and len(texts) <= 2
        and not any(s.markers for s in draft.sentences)
        and any(_NOT_COVERED.search(fold(t)) for t in texts)
    )


def _draft_docs(draft: Draft, sources: list[Source]) -> set[str]:
    """The documents a draft's sentences cite."""
    docs = {s.number: s.chunk.doc_id for s in [*sources, *draft.sources]}
    return {docs[m] for s in draft.sentences for m in s.markers if m in docs}


def _repeats(result: PartAnswer, earlier: list[PartAnswer]) -> bool:
    """The answer cites only clauses an earlier part's answer cites."""
    cited = {c for s in result.draft.sentences if s.markers for c in result.draft_chunks(s)}
    before = {c for a in earlier for s in a.draft.sentences if s.markers for c in a.draft_chunks(s)}
    return bool(cited) and cited <= before


# the heading a framing line names beside its clause: "(Giai đoạn 2028 - 2030: …):", not "(phần 2/3):"
_HEADING_NOTE = re.compile(r"\((?!phần \d+/\d+\))[^()]+\):$")


def _as_items(sentences: list[DraftSentence]) -> list[DraftSentence]:
    """A part's answer as the items of its ask's heading: its claims as list lines (each
    cites its clause; the clause's name is on the citation), a framing line that says
    another document holds it kept, and the first line naming each heading the claims
    stand under ("… (Giai đoạn 2028 - 2030: Tăng tốc …):": the period or part the claims
    themselves do not state, often what was asked)."""
    out = []
    notes: set[str] = set()
    for i, s in enumerate(sentences):
        note = _HEADING_NOTE.search(s.text) if s.framing else None
        if note and note.group(0) not in notes:
            notes.add(note.group(0))
            out.append(s)
            continue
        if s.framing and not (i == 0 and s.text.endswith("nêu:") and "không nêu" in s.text):
            continue
        out.append(s if s.framing else DraftSentence(s.text, s.markers, s.quotes, bullet=True))
    return out


def _emit_draft(draft: Draft, emit: Callable[[str], None] | None) -> None:
    if emit:
        for s in draft.sentences:
            emit(("- " if s.bullet else "") + (one_line(s.text) if s.markers else s.text) + "\n")


def _interleave(rankings: list[list], limit: int) -> list:
    """Hits of several parts, first of each, then second of each…, without repeats."""
    out, seen = [], set()
    for i in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if i < len(ranking) and ranking[i].chunk.id not in seen:
                seen.add(ranking[i].chunk.id)
                out.append(ranking[i])
    return out[:limit]


def _kept(table, name: str, build, rules: tuple[str, ...] = (), modules=None, inputs: tuple[str, ...] = ()):
    """What the answerer reads of every clause of a chunk table (by default the abstention
    policy's: abstention.py), computed by the first process that asks and kept beside the
    generation (retrieval/derived.py; issue 13, scale: ~20 s of CPU at 100,000 clauses, in
    every process). ``rules``: the rules files it reads; ``modules``: the code that computes
    it; ``inputs``: other words it reads (all in the key)."""
    from retrieval import derived, text
    from retrieval.rules import RULES_DIR

    from . import abstention, evidence, intent

    if modules is None:
        modules = [abstention, evidence, intent, text]
    keyed = [*inputs, *((RULES_DIR / f"{r}.toml").read_text("utf-8") for r in rules)]
    return derived.of_table(table, name, modules, build, keyed)


# the most chunks whose statics are kept as one table (EvidenceScorer's memo holds 20,000)
STATICS_KEPT_UP_TO = 20_000


def _statics_table(table, scorer, analyzer) -> tuple[dict[tuple, bytes], dict[tuple, bytes]]:
    """Every chunk's scoring statics (EvidenceScorer.all_statics: the scopes' tokens are the
    analyzer's, through the scorer's tokens), kept beside the generation under the digest
    of the table, of the code and of the analyzer's words (its short forms and stop words)
    and the rules the statics read."""
    from retrieval import facets, lexical, part_fields, regex_cache, text

    from . import evidence, intent

    analyzed = (
        type(analyzer).__qualname__,
        repr(sorted(analyzer.abbreviations.items())),
        repr(sorted(analyzer.stop_accented)),
        repr(sorted(analyzer.stop_folded)),
        repr(analyzer.bigrams),
    )
    modules = [evidence, facets, intent, lexical, part_fields, regex_cache, text]
    return _kept(table, "statics", lambda: scorer.all_statics(table.chunks), ("answers", "search"), modules, analyzed)


def _word_pairs(table) -> WordPairs:
    """The documents' word pairs (abstention.WordPairs) of a chunk table."""
    return _kept(table, "pairs", lambda: WordPairs(c.text for c in table.chunks))
