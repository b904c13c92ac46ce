"""Abstention, its own step before any generator writes: do the retrieved clauses hold what
the question pins down?

A question is refused when its anchors (a number or year, a named ministry, province or
article) are in no top clause, when it asks for a kind of value (a date, an amount, a
count of something) that the best clauses do not hold, or when the best clauses cover
too little of the words the documents use (the calibrated threshold). A structured
answer from the document tree (a count, a list of a heading's items) holds the value by
construction. The refusal names the nearest clauses that do exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import intent
from .citations import CheckedAnswer, CheckedSentence
from .evidence import Evidence, EvidenceScorer
from .generation.base import Draft, GenerationRequest
from .prompting import PromptLibrary


@dataclass(frozen=True)
class Verdict:
    """The abstention step's decision and why."""

    abstain: bool
    confidence: float
    reason: str = ""  # "", "no_evidence", "missing_anchor", "no_value", "weak"


class AbstentionPolicy:
    """Decides whether to answer, for every generator alike."""

    def __init__(self, scorer: EvidenceScorer, threshold: float):
        self.scorer = scorer
        self.threshold = threshold

    def decide(self, request: GenerationRequest, evidence: Evidence, structured: Draft | None = None) -> Verdict:
        """structured: the list or count the document tree gives, if any (its own
        confidence counts: a heading whose items are what is asked answers by itself)."""
        if not evidence.units:
            return Verdict(True, 0.0, "no_evidence")
        confidence = max(self.scorer.confidence(evidence), structured.confidence if structured else 0.0)
        top = evidence.ranked[:5]
        if intent.missing_anchor(evidence.question, [u.source.chunk for u in top], set(request.known_years)):
            return Verdict(True, 0.0, "missing_anchor")
        if structured is None:
            covering = sorted(evidence.units, key=lambda u: -u.coverage)[:3]
            if not intent.has_asked_value(evidence.folded, [u.text for u in covering]):
                return Verdict(True, 0.0, "no_value")
        if confidence < self.threshold:
            return Verdict(True, confidence, "weak")
        return Verdict(False, confidence)


class Refusals:
    """The texts of a refusal, from the templates in prompts/."""

    def __init__(self, prompts: PromptLibrary, nearest: int = 3):
        self.prompts = prompts
        self.nearest = nearest

    def nearest_items(self, hits) -> str:
        items = []
        for h in hits[: self.nearest]:
            snippet = h.chunk.text.splitlines()[0]
            snippet = snippet if len(snippet) <= 160 else snippet[:159].rstrip() + "…"
            items.append(self.prompts.render("nearest_item", label=h.chunk.label, snippet=snippet))
        return "\n".join(items)

    def refusal(self, hits) -> CheckedAnswer:
        """The documents do not say it; here are the nearest clauses that exist."""
        text = self.prompts.render("abstain", nearest=self.nearest_items(hits))
        return CheckedAnswer([CheckedSentence(text, [], 1.0, framing=True)], [])

    def scope(self, documents: str) -> CheckedAnswer:
        """A greeting, an off-topic request or an instruction: what the assistant is for
        (documents: the short names of the texts it answers about)."""
        return CheckedAnswer([CheckedSentence(self.prompts.render("scope", documents=documents), [], 1.0,
                                              framing=True)], [])
