"""Optional rewording of briefing lines by an OpenAI-compatible chat model (when one is
configured, TROLY_GENERATOR=openai). Every reworded line is checked against the quote of
its clause, as chat answers are: all its numbers must be in the quote and most of its
content words too, and it may not be longer; a line that fails keeps the clause's own
words, and so does every line when the endpoint fails (with a notice). The citation of
each line is never changed. Prompts: prompts/studio_rewrite_*.txt."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from retrieval.errors import BackendUnavailableError, TrolyError

from .quiz import content, numbers
from .types import OutlineLine

SUPPORTED = 0.6  # share of a reworded line's content words found in its quote
_LINE = re.compile(r"^\s*\[(\d+)\]\s*(.+?)\s*$")


def supported(line: str, quote: str) -> bool:
    """A reworded line says nothing its quote does not: its numbers and most of its words."""
    words = content(line)
    if not line.strip() or len(line) > len(quote) + 10 or not numbers(line) <= numbers(quote):
        return False
    return bool(words) and len(words & content(quote)) / len(words) >= SUPPORTED


@dataclass
class RewordReport:
    asked: int = 0
    accepted: int = 0
    rejected: int = 0
    notice: str = ""


class Rewriter:
    """Rewords lines through the configured endpoint, keeping only those that pass the check."""

    def __init__(self, settings, render: Callable[..., str]):
        self.settings, self.render = settings, render

    def reword(self, lines: list[OutlineLine]) -> RewordReport:
        from ..generation.openai_gen import backend_errors, chat_client

        report = RewordReport(asked=len(lines))
        if not lines:
            return report
        numbered = "\n".join(f"[{i}] {' '.join(line.cite.quote.split())}" for i, line in enumerate(lines, 1))
        messages = [
            ("system", self.render("studio_rewrite_system")),
            ("human", self.render("studio_rewrite_user", lines=numbered)),
        ]
        try:
            with backend_errors():
                reply = chat_client(self.settings).invoke(messages)
                text = reply.content if isinstance(reply.content, str) else str(reply.content)
        except (BackendUnavailableError, TrolyError) as exc:
            report.notice = f"không dùng được mô hình để biên tập đề cương ({exc}); giữ nguyên câu chữ của văn bản"
            return report
        for raw in text.splitlines():
            m = _LINE.match(raw)
            if not m or not 1 <= int(m.group(1)) <= len(lines):
                continue
            line = lines[int(m.group(1)) - 1]
            if supported(m.group(2), line.cite.quote):
                line.text = m.group(2)
                report.accepted += 1
            else:
                report.rejected += 1
        return report
