"""Rewrite a follow-up question into a standalone one using the conversation.

Rules (the offline default): carry the document in focus and swap the slot the follow-up
changes — a year ("còn đến năm 2045 thì sao?"), a numbered item ("thế còn sáng kiến 28?").
An LLM condenser (prompts/condense.txt) can replace these rules by configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.docref import DocumentRecognizer
from retrieval.text import fold

_MARKERS = re.compile(
    r"^\s*(?:(?:thế|vậy|thế thì|vậy thì|rồi)\s+)?(?:còn|vậy|thế|cụ thể|trong số đó|trong đó|ngoài ra)\b[\s,]*",
    re.IGNORECASE,
)
_TAIL = re.compile(r"\s*(?:thì sao|thế nào|ra sao|nữa)\s*(?:\?|$)", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_NUMBERED = re.compile(r"\b(sáng kiến|hệ thống|phụ lục|mục|điểm|khoản|điều|giai đoạn|nhiệm vụ)\s+([0-9IVX]+)\b", re.IGNORECASE)
_FOLLOWUP_HINTS = ("còn ", "thế còn", "vậy ", "thì sao", "trong số đó", "cụ thể", "giai đoạn đầu", "đó ", " đó?", "này")


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


class RuleCondenser:
    """Offline condenser."""

    def __init__(self, recognizer: DocumentRecognizer):
        self.recognizer = recognizer

    def condense(self, question: str, history: list[Turn]) -> str:
        question = " ".join(question.split())
        users = [t.content for t in history if t.role == "user"]
        if not users or not self._is_followup(question):
            return question
        previous = users[-1]
        # 1. the same question with one slot changed
        swapped = self._swap(previous, question)
        if swapped:
            return swapped
        # 2. the follow-up, told which document it is about
        core = _TAIL.sub("?", _MARKERS.sub("", question)).strip()
        core = core[0].upper() + core[1:] if core else question
        if self.recognizer.mentions(question):
            return core
        turns = [t for t in reversed(history) if t.role == "user"] + [t for t in reversed(history) if t.role != "user"]
        for turn in turns:
            targets = self.recognizer.targets(turn.content)
            mention = next((m for m in self.recognizer.mentions(turn.content) if m.doc_id in targets), None)
            if mention:
                return f"{core.rstrip('?').rstrip()} (theo {turn.content[mention.start:mention.end]})?"
        return f"{core.rstrip('?').rstrip()} ({previous.rstrip('?')})?"

    def _is_followup(self, question: str) -> bool:
        low = question.lower()
        words = re.findall(r"\w+", low)
        return any(h in low for h in _FOLLOWUP_HINTS) or len(words) <= 5 or not self.recognizer.mentions(question)

    def _swap(self, previous: str, question: str) -> str | None:
        year = _YEAR.search(question)
        old_years = list(_YEAR.finditer(previous))
        if year and old_years:
            last = old_years[-1]  # the target year, not the document's own year
            out = previous[:last.start()] + year.group(0) + previous[last.end():]
            core = _TAIL.sub("", _MARKERS.sub("", question)).strip(" ?")
            extra = [w for w in re.findall(r"\w+", core) if fold(w) not in fold(out)]
            return out if not extra else f"{out.rstrip('?').rstrip()} ({core})?"
        item = _NUMBERED.search(question)
        if item:
            for m in _NUMBERED.finditer(previous):
                if fold(m.group(1)) == fold(item.group(1)):
                    return previous[:m.start(2)] + item.group(2) + previous[m.end(2):]
        return None
