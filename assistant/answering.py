"""The answer pipeline: condense the follow-up → retrieve → decide to abstain or not →
generate → check citations → Answer. Generator failures fall back to the extractive
answer with a notice; nothing here raises to the user for a broken backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from retrieval.errors import BackendUnavailableError
from retrieval.search import HybridSearcher, is_metadata_question

from .citations import CheckedAnswer, CheckedSentence, check
from .condense import RuleCondenser, Turn
from .generation.base import Draft, GenerationRequest, Generator, Source
from .generation.extractive import ExtractiveGenerator
from .prompting import PromptLibrary
from .types import Answer, Context, Message

MIN_SUPPORTED = 0.95  # an LLM answer below this share of supported sentences is replaced


@dataclass
class AnswerConfig:
    top_k: int = 8
    children_of_top: int = 3  # the items of the top headings are offered too
    abstain_threshold: float = 0.45
    nearest: int = 3


class Answerer:
    """Wires the pieces of one answer; built once per Assistant."""

    def __init__(self, searcher: HybridSearcher, condenser: RuleCondenser, generator: Generator,
                 extractive: ExtractiveGenerator, prompts: PromptLibrary, embedder_name: str,
                 config: AnswerConfig = AnswerConfig()):
        self.searcher = searcher
        self.condenser = condenser
        self.generator = generator
        self.extractive = extractive
        self.prompts = prompts
        self.embedder_name = embedder_name
        self.config = config

    def sources(self, hits) -> list[Source]:
        """Hits numbered 1..k, then the items under the top headings."""
        sources = [Source(n, h.chunk, n, h.score) for n, h in enumerate(hits, 1)]
        seen = {s.chunk.id for s in sources}
        for s in list(sources[: self.config.children_of_top]):
            for child in self.searcher.table.children.get(s.chunk.id, []):
                if child.id not in seen:
                    seen.add(child.id)
                    sources.append(Source(len(sources) + 1, child, s.rank, s.score))
        return sources

    def ask(self, question: str, history: list[Message] | None = None, docs: list[str] | None = None,
            on_text: Callable[[str], None] | None = None) -> Answer:
        t0 = time.perf_counter()
        history = history or []
        standalone = self.condenser.condense(question, [Turn(m.role, m.content) for m in history])
        hits = self.searcher.search(standalone, self.config.top_k, docs)
        t1 = time.perf_counter()
        sources = self.sources(hits)
        named = docs or self.searcher.recognizer.targets(standalone)
        if named and is_metadata_question(standalone):  # date, signer: the heading block of the text
            seen = {s.chunk.id for s in sources}
            for doc in named:
                for chunk in [c for c in self.searcher.table.of_document(doc) if c.kind == "title"][:2]:
                    if chunk.id not in seen:
                        sources.append(Source(len(sources) + 1, chunk, 1, 0.0))
        focus = self.searcher.recognizer.strip(standalone) or standalone
        years = [d.date[:4] for d in self.searcher.recognizer.documents if d.id in named and d.date]
        request = GenerationRequest(standalone, sources, named, focus, years, self.searcher.table.children)
        evidence = self.extractive.generate(request)
        notice = ""
        if evidence.abstain or evidence.confidence < self.config.abstain_threshold:
            checked, abstained = self._abstain(hits), True
            if on_text:
                on_text(checked.sentences[0].text)
        else:
            abstained = False
            checked, notice = self._generate(request, evidence, sources, on_text)
        t2 = time.perf_counter()
        return Answer(
            question=question,
            standalone_question=standalone,
            answer=checked.text(),
            abstained=abstained,
            citations=checked.citations,
            contexts=[Context.from_hit(h) for h in hits],
            # what really answered: after a fallback (with its notice) the extractive generator
            backend={"embedder": self.embedder_name, "generator": self.extractive.name if notice else self.generator.name},
            timings_ms={"retrieve": (t1 - t0) * 1000, "generate": (t2 - t1) * 1000, "total": (t2 - t0) * 1000},
            notice=notice,
            checked=checked,
        )

    def _generate(self, request, evidence: Draft, sources, on_text) -> tuple[CheckedAnswer, str]:
        if self.generator is self.extractive or self.generator.name == self.extractive.name:
            if on_text:
                self._emit(evidence, on_text)
            return check(evidence, sources), ""
        try:
            draft = self.generator.stream(request, on_text) if on_text else self.generator.generate(request)
        except BackendUnavailableError as exc:
            return self._fallback(evidence, sources, str(exc), on_text)
        checked = check(draft, sources)
        if not checked.claims or checked.supported_ratio < MIN_SUPPORTED:
            reason = "câu trả lời của mô hình có câu không được văn bản trích dẫn hỗ trợ nên đã được thay."
            return self._fallback(evidence, sources, reason, on_text)
        return checked, ""

    def _fallback(self, evidence: Draft, sources, reason: str, on_text) -> tuple[CheckedAnswer, str]:
        notice = self.prompts.render("notice_fallback", reason=reason.rstrip(".") + ".")
        if on_text:
            on_text("\n\n" + notice + "\n\n")
            self._emit(evidence, on_text)
        checked = check(evidence, sources)
        checked.sentences.insert(0, CheckedSentence(notice, [], 1.0, framing=True))  # the answer says why
        return checked, notice

    @staticmethod
    def _emit(draft: Draft, on_text: Callable[[str], None]) -> None:
        for s in draft.sentences:
            on_text(("- " if s.bullet else "") + s.text + "\n")

    def _abstain(self, hits) -> CheckedAnswer:
        items = []
        for h in hits[: self.config.nearest]:
            snippet = h.chunk.text.splitlines()[0]
            snippet = snippet if len(snippet) <= 160 else snippet[:159].rstrip() + "…"
            items.append(self.prompts.render("nearest_item", label=h.chunk.label, snippet=snippet))
        text = self.prompts.render("abstain", nearest="\n".join(items))
        return CheckedAnswer([CheckedSentence(text, [], 1.0, framing=True)], [])
