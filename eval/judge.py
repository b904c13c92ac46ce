"""Who decides whether a piece of evidence supports a claim.

Two judges share one call signature, ``judge(claim, evidence) -> Verdict``, so every
metric takes either through its constructor:

* ``LexicalJudge`` (offline, the default): the claim's content words are found in the
  evidence (share ≥ ``assistant.citations.SUPPORT_THRESHOLD``) and every number and date
  of the claim is present in it (``assistant.citations.support``).
* ``OpenAIJudge``: any OpenAI-compatible chat endpoint asked with the Vietnamese prompt in
  prompts/judge_support.txt; the reply must be the JSON object ``{"supported": bool,
  "reason": str}`` and is parsed with pydantic. It can also split an answer into claims
  (prompts/judge_claims.txt, ``{"claims": [str]}``) for faithfulness.

A failing judge raises ``JudgeError``; the metrics record it and carry on, so a broken
endpoint shows up in the report, never as a crash. After ``max_consecutive_errors``
failures in a row the judge stops calling the endpoint for the rest of the run.
"""

from __future__ import annotations

import hashlib
import threading
from functools import cached_property
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.citations import SUPPORT_THRESHOLD, content_words, numbers, support
from assistant.prompting import PromptLibrary
from assistant.settings import Settings
from retrieval.errors import BadInputError, TrolyError

M = TypeVar("M", bound=BaseModel)


class Verdict(BaseModel):
    """A judge's decision on one (claim, evidence) pair."""

    supported: bool
    reason: str = ""


class ClaimList(BaseModel):
    """An answer split into atomic claims."""

    claims: list[str]


class JudgeError(TrolyError):
    """The judge could not decide (endpoint down, timeout, reply not the expected JSON)."""


class Judge(Protocol):
    name: str  # "lexical" | "llm"
    suffix: str  # appended to metric names: "" | "_judge"

    def __call__(self, claim: str, evidence: str) -> Verdict: ...


class LexicalJudge:
    """Offline support: content words and every number/date of the claim in the evidence."""

    name = "lexical"
    suffix = ""

    def __init__(self, threshold: float = SUPPORT_THRESHOLD):
        self.threshold = threshold

    def __call__(self, claim: str, evidence: str) -> Verdict:
        missing = sorted(numbers(claim) - numbers(evidence))
        if missing:
            return Verdict(supported=False, reason=f"thiếu số liệu {', '.join(missing)} trong văn bản")
        score = support(claim, evidence)
        words = content_words(claim)
        found = len(words & content_words(evidence))
        return Verdict(supported=score >= self.threshold,
                       reason=f"{found}/{len(words)} từ nội dung có trong văn bản ({score:.2f}, ngưỡng {self.threshold})")


class OpenAIJudge:
    """LLM judge through an OpenAI-compatible endpoint (openai client, timeout, retries).

    Verdicts are cached per (claim, evidence) for the run; calls are thread-safe."""

    name = "llm"
    suffix = "_judge"

    def __init__(self, base_url: str | None, api_key: str | None, model: str, prompts: PromptLibrary,
                 timeout: float = 30.0, max_retries: int = 2, max_consecutive_errors: int = 5):
        self.base_url = base_url
        self.api_key = api_key
        self.model = model
        self.prompts = prompts
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_consecutive_errors = max_consecutive_errors
        self.calls = 0
        self.errors: list[str] = []
        self._consecutive = 0
        self._cache: dict[str, Verdict] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIJudge:
        """The judge configured by OPENAI_BASE_URL / OPENAI_API_KEY and chat_model."""
        if not settings.openai_base_url and not settings.openai_api_key:
            raise BadInputError("chưa cấu hình giám khảo: hãy đặt OPENAI_BASE_URL (máy chủ tương thích OpenAI) "
                                "và/hoặc OPENAI_API_KEY, rồi chạy lại `troly eval --judge`")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(settings.openai_base_url, key, settings.chat_model, PromptLibrary(settings.prompts_dir),
                   timeout=settings.request_timeout, max_retries=settings.max_retries)

    @cached_property
    def client(self):
        import openai

        # Local servers (vLLM, Ollama) need no key, but the client insists on one.
        return openai.OpenAI(base_url=self.base_url, api_key=self.api_key or "khong-can-khoa",
                             timeout=self.timeout, max_retries=self.max_retries)

    def __call__(self, claim: str, evidence: str) -> Verdict:
        key = hashlib.sha256(f"{claim}\x00{evidence}".encode("utf-8")).hexdigest()
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        prompt = self.prompts.render("judge_support", claim=claim, evidence=evidence)
        verdict = self._ask(prompt, Verdict)
        with self._lock:
            self._cache[key] = verdict
        return verdict

    def claims(self, answer: str) -> list[str]:
        """The answer split into atomic claims by the model."""
        result = self._ask(self.prompts.render("judge_claims", answer=answer), ClaimList)
        return [c.strip() for c in result.claims if c.strip()]

    @property
    def disabled(self) -> bool:
        return self._consecutive >= self.max_consecutive_errors

    def _ask(self, prompt: str, model: type[M]) -> M:
        if self.disabled:
            raise JudgeError(f"giám khảo đã tạm dừng sau {self.max_consecutive_errors} lỗi liên tiếp")
        try:
            content = self._complete(prompt)
            result = _parse(content, model)
        except JudgeError as exc:
            with self._lock:
                self._consecutive += 1
                self.errors.append(str(exc))
            raise
        with self._lock:
            self._consecutive = 0
        return result

    def _complete(self, prompt: str) -> str:
        import openai

        with self._lock:
            self.calls += 1
        where = self.base_url or "api.openai.com"
        try:
            response = self.client.chat.completions.create(
                model=self.model, temperature=0, messages=[{"role": "user", "content": prompt}],
                response_format={"type": "json_object"},
            )
        except openai.APITimeoutError as exc:
            raise JudgeError(f"giám khảo ({where}) không trả lời trong {self.timeout:g} giây") from exc
        except openai.APIConnectionError as exc:
            raise JudgeError(f"không kết nối được tới giám khảo ({where}); hãy kiểm tra OPENAI_BASE_URL") from exc
        except openai.APIStatusError as exc:
            raise JudgeError(f"giám khảo ({where}) trả lỗi HTTP {exc.status_code}") from exc
        except openai.OpenAIError as exc:
            raise JudgeError(f"giám khảo ({where}) lỗi: {type(exc).__name__}") from exc
        if not response.choices or not response.choices[0].message.content:
            raise JudgeError(f"giám khảo ({where}) trả về câu trả lời rỗng")
        return response.choices[0].message.content

    def summary(self) -> dict:
        """What the report says about the judge."""
        return {"model": self.model, "base_url": self.base_url or "", "calls": self.calls,
                "errors": len(self.errors), "error_examples": sorted(set(self.errors))[:5]}


def _parse(content: str, model: type[M]) -> M:
    """Validate the reply as JSON for model; a Markdown code fence around it is tolerated."""
    text = content.strip()
    if text.startswith("```"):
        text = text.removeprefix("```json").removeprefix("```JSON").removeprefix("```")
        text = text.removesuffix("```").strip()
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        raise JudgeError(f"giám khảo trả về nội dung không đúng dạng JSON yêu cầu ({exc.error_count()} lỗi)") from exc

