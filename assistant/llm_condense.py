"""Rewrite a follow-up into a standalone question with a chat model (prompts/condense.txt).

Same interface as the offline ``RuleCondenser``, which it falls back to on any failure:
an unreachable or slow endpoint, an HTTP error, an empty or runaway reply. A question
without history is not sent at all.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from .condense import RuleCondenser, Turn
from .generation.openai_gen import backend_errors, chat_client
from .prompting import PromptLibrary
from .settings import Settings

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

log = logging.getLogger(__name__)

_ROLES = {"user": "Người dùng", "assistant": "Trợ lý"}
_LEAD = re.compile(r"^\s*(?:[-*•>]\s*)?(?:câu hỏi độc lập\s*:\s*)?", re.IGNORECASE)
_QUOTES = "\"'“”«»`"


class LLMCondenser:
    """Chat-model condenser with the rule condenser as its safety net."""

    def __init__(
        self,
        fallback: RuleCondenser,
        prompts: PromptLibrary,
        settings: Settings,
        max_turns: int = 6,
        max_turn_chars: int = 600,
    ):
        self.fallback = fallback
        self.prompts = prompts
        self.settings = settings
        self.max_turns = max_turns
        self.max_turn_chars = max_turn_chars
        self._client: ChatOpenAI | None = None  # created on the first follow-up

    @property
    def recognizer(self):
        """The document recognizer of the rule condenser (callers may read it)."""
        return self.fallback.recognizer

    def refer(self, part: str, before: str) -> str | None:
        """An ask of a multi-part question with its references resolved (the rules')."""
        return self.fallback.refer(part, before)

    def condense(self, question: str, history: list[Turn]) -> str:
        """The standalone form of question; the rule condenser's when the model fails."""
        question = " ".join(question.split())
        if not history:
            return self.fallback.condense(question, history)
        try:
            rewritten = self._ask_model(question, history)
        except Exception as exc:  # noqa: BLE001 - any failure means: use the rules
            log.warning("LLM condenser failed (%s); using the rule condenser", exc.__class__.__name__)
            rewritten = None
        return rewritten or self.fallback.condense(question, history)

    def _ask_model(self, question: str, history: list[Turn]) -> str | None:
        prompt = self.prompts.render("condense", history=self.format_history(history), question=question)
        if self._client is None:
            self._client = chat_client(self.settings)
        with backend_errors():
            reply = self._client.invoke([("human", prompt)])
        return self.clean(reply.content if isinstance(reply.content, str) else "", question)

    def format_history(self, history: list[Turn]) -> str:
        """The last turns, one per line, long answers shortened."""
        lines = []
        for turn in history[-self.max_turns :]:
            text = " ".join(turn.content.split())
            if len(text) > self.max_turn_chars:
                text = text[: self.max_turn_chars - 1].rstrip() + "…"
            lines.append(f"{_ROLES.get(turn.role, turn.role)}: {text}")
        return "\n".join(lines)

    @staticmethod
    def clean(reply: str, question: str) -> str | None:
        """The first line of the reply without a label or quotes; None when unusable."""
        line = next((ln for ln in reply.splitlines() if ln.strip()), "")
        line = _LEAD.sub("", line).strip().strip(_QUOTES).strip()
        if not line or len(line) > max(400, 4 * len(question)):
            return None
        return line
