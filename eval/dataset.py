"""The evaluation set (eval/questions.jsonl) and its gold evidence located in the index."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant import read_jsonl
from assistant.types import Chunk

from .lang import nfc

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
TYPES = (
    "fact",
    "list",
    "responsibility",
    "cross_doc",
    "no_diacritics",
    "paraphrase",
    "table",
    "multi_part",
    "deadline",
    "count",
    "colloquial",
    "chat",
    "multi_turn",
    "follow_up",
    "unanswerable",
    "near_miss",
    "scope",
)
# Types whose questions the documents cannot answer: the expected answer is a refusal
# (abstained, no citations); for "scope" (greetings, off-topic, injection) the scope message.
UNANSWERABLE_TYPES = ("unanswerable", "near_miss", "scope")


@dataclass
class Gold:
    doc: str
    evidence: str = ""
    clause: str = ""  # clause path as `troly show` prints it (II.1, III.2.a)
    label: str = ""  # the chunk label ("Nghị quyết 57-NQ/TW, Mục II, điểm 1")


@dataclass
class Question:
    id: str
    type: str
    question: str
    history: list[dict] = field(default_factory=list)
    answerable: bool | None = True  # None: not known (an answer scored from a file without a question)
    gold: list[Gold] = field(default_factory=list)
    key_facts: list[str] = field(default_factory=list)
    split: str = "dev"  # "dev": tuned on; "val": read only as overall figures while tuning; "test": frozen


SPLITS = ("dev", "val", "test")  # val: tuned against by its overall figures only, never per question
# The main figures of a run, in the order the summary, the report and the release record show them.
MAIN_METRICS = (
    "key_fact_coverage",
    "completeness",
    "supported_sentences",
    "citation_recall",
    "citation_precision",
    "faithfulness",
    "answer_precision",
    "quotes_exact",
    "abstention_accuracy",
    "false_refusal_rate",
    "gold_cited",
)


def load_questions(path: Path = QUESTIONS, split: str | None = None) -> list[Question]:
    """The questions of the file; only those of one split ("dev", "val" or "test") when given."""
    out = []
    for _, data in read_jsonl(path):
        question = question_from(data)
        if split is None or question.split == split:
            out.append(question)
    return out


_FIELDS = set(Question.__dataclass_fields__)
_GOLD_FIELDS = set(Gold.__dataclass_fields__)


def question_from(data: dict) -> Question:
    """A Question from one JSON object (unknown keys ignored)."""
    data = {k: v for k, v in data.items() if k in _FIELDS}
    data["gold"] = [Gold(**{k: v for k, v in g.items() if k in _GOLD_FIELDS}) for g in data.get("gold", [])]
    return Question(**data)


def _find(text: str, evidence: str) -> list[tuple[int, int]]:
    """Every span of the evidence in the document text, tolerant to runs of whitespace
    (the same words may stand in a plan's body and again in its appendix)."""
    pattern = r"\s+".join(re.escape(w) for w in nfc(evidence).split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


class ChunkSource(Protocol):
    """What the locator reads of an index (``Assistant.table`` is one)."""

    def document_text(self, doc_id: str) -> str: ...

    def of_document(self, doc_id: str) -> list[Chunk]: ...


class GoldLocator:
    """Finds which chunks hold each gold evidence span."""

    def __init__(self, table: ChunkSource):
        self.table = table
        self._texts: dict[str, str] = {}
        self._spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._chunks: dict[tuple[str, str], list[Chunk]] = {}

    def spans(self, gold: Gold) -> list[tuple[int, int]]:
        key = (gold.doc, gold.evidence)
        if key not in self._spans:
            if gold.doc not in self._texts:
                self._texts[gold.doc] = self.table.document_text(gold.doc)
            self._spans[key] = _find(self._texts[gold.doc], gold.evidence)
        return self._spans[key]

    def covers(self, chunk: Chunk, gold: Gold) -> bool:
        """True when the chunk holds (most of) the evidence."""
        if chunk.doc_id != gold.doc:
            return False
        for a, b in self.spans(gold):
            overlap = min(chunk.end, b) - max(chunk.start, a)
            if overlap > 0 and overlap >= 0.5 * min(b - a, chunk.end - chunk.start):
                return True
        return False

    def chunks_for(self, gold: Gold) -> list[Chunk]:
        key = (gold.doc, gold.evidence)
        if key not in self._chunks:
            self._chunks[key] = [c for c in self.table.of_document(gold.doc) if self.covers(c, gold)]
        return self._chunks[key]
