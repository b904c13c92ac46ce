"""Who decides whether a piece of evidence supports a claim.

Two judges share one call signature, ``judge(claim, evidence) -> Verdict``, so every
metric takes either through its constructor. The evidence is the text of one or more
cited clauses, each after a header line ``[label]`` naming it (``evidence_text``).

* ``OfflineJudge`` (the default): independent of the answerer — it shares no code with
  assistant/ or retrieval/ and reads only the claim and the cited text. The claim is
  aligned to the best-matching span of the cited text (eval/align.py); it is supported
  when that span covers at least ``COVERAGE`` of the claim's content words and every slot
  of the claim (eval/slots.py: numbers with their unit and qualifier, years, dates,
  documents, named bodies and places, polarity words) agrees with the slot standing at
  the same place in the span. "18 người" against "16 - 18%/năm" fails (the unit
  differs), "Không bố trí…" against "Bố trí…" fails (polarity), and so does a claim that
  drops its clause's "không".
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
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from assistant import PromptLibrary
from assistant.errors import BadInputError, TrolyError, openai_error_message
from assistant.settings import Settings

from .align import GAP, Alignment, align, content_positions
from .lang import fold, nfc
from .slots import Slot, parse

M = TypeVar("M", bound=BaseModel)
# Share of a claim's content words its span must hold (eval/align.py, the mean of the
# shares aligned in order and present in any order). Measured on the dev answers:
# verbatim claims cover 1.0; sentences taken from other clauses of the same document
# and cited to the claim's clause reach at most 0.72.
COVERAGE = 0.75
_HEADER = re.compile(r"^\[[^\n]*\]$", re.MULTILINE)


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
    name: str  # "offline" | "llm"
    suffix: str  # appended to metric names: "" | "_judge"

    def __call__(self, claim: str, evidence: str) -> Verdict: ...


def evidence_text(items, headings: dict[str, list[str]] | None = None) -> str:
    """Cited clauses (objects with .label and .text) as one evidence string: each clause
    after a header line [label] naming it, and a header line for each heading above it
    known to the answer (headings: chunk id → heading lines)."""
    out = []
    for c in items:
        out.append(f"[{c.label}]")
        out += [f"[{h}]" for h in (headings or {}).get(c.chunk_id, [])]
        out.append(c.text)
    return "\n".join(out)


@dataclass
class Check:
    """The offline judge's reading of one claim against its evidence."""

    supported: bool
    coverage: float
    span: str
    problems: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.problems:
            return self.problems[0]
        if not self.supported and not self.span:
            return f"văn bản chỉ chứa tối đa {self.coverage:.0%} từ nội dung của câu (cần {COVERAGE:.0%})"
        if not self.supported:
            return f"đoạn khớp nhất chỉ chứa {self.coverage:.0%} từ nội dung của câu (cần {COVERAGE:.0%}): «{_short(self.span)}»"
        return f"khớp «{_short(self.span)}» ({self.coverage:.0%} từ nội dung)"


class OfflineJudge:
    """Offline support by alignment and slot-by-slot agreement (see module doc)."""

    name = "offline"
    suffix = ""

    def __call__(self, claim: str, evidence: str) -> Verdict:
        c = check_claim(claim, evidence)
        return Verdict(supported=c.supported, reason=c.reason)


@lru_cache(maxsize=32768)
def check_claim(claim: str, evidence: str) -> Check:
    """Align claim to evidence and compare their slots (cached for the run)."""
    cp, ep = parse(claim), parse(evidence)
    content = content_positions(cp)
    if content:
        bound = sum(cp.norms[i] in _vocabulary(evidence) for i in content) / len(content)
        if bound < COVERAGE:  # cannot reach the coverage whatever the alignment
            return Check(False, bound, "", [])
    spans = [(m.start(), m.end()) for m in _HEADER.finditer(ep.text)]
    inside = {i for i, t in enumerate(ep.tokens) if any(a <= t.start < b for a, b in spans)}
    body = [u for u in ep.units if u[0] not in inside]
    heading_slots = [s for s in ep.slots if s.start in inside]
    al = align(cp, ep, body)
    problems = slot_problems(al, heading_slots)
    ok = al.coverage >= COVERAGE and not problems
    return Check(ok, al.coverage, al.span_text(), problems)


@lru_cache(maxsize=16384)
def _vocabulary(evidence: str) -> frozenset[str]:
    return frozenset(parse(evidence).norms)


def slot_problems(al: Alignment, headings: Sequence[Slot] = ()) -> list[str]:
    """Why the claim's slots disagree with its span (empty: they agree). headings: the
    slots of the header lines naming the cited clauses and their headings; a document,
    year or date the claim states may stand there ("Mục tiêu đến năm 2030")."""
    c, e = al.claim, al.evidence
    lo, hi = al.window
    out = []
    for s in c.slots:
        if s.kind == "negation":
            continue
        cands = e.slots_in(lo, hi, s.kind)
        if s.kind == "document":
            if any(x.key == s.key for x in cands) or any(x.kind == "document" and x.key == s.key for x in headings):
                continue
            out.append(f"câu nêu văn bản «{s.text}» nhưng trích dẫn là văn bản khác và đoạn trích không nhắc tới nó")
            continue
        placed = _at_place(al, s, cands)
        if any(_agree(s, x) for x in placed):
            continue
        # nothing of the kind stands at that place (a reordered paraphrase): a slot that agrees in
        # the sentence the claim's neighbours are aligned to will do; one that stands there and
        # disagrees will not
        if not placed and any(_agree(s, x) for x in _same_sentence(al, s, cands)):
            continue
        if not placed and s.kind in ("year", "date") and any(x.kind == s.kind and _agree(s, x) for x in headings):
            continue
        where = ", ".join(f"«{x.text}»" for x in placed[:2])
        what = _WHAT[s.kind]
        out.append(
            f"{what} «{s.text}» không khớp văn bản"
            + (f" (ở chỗ đó văn bản ghi {where})" if where else " (đoạn trích không có ở chỗ đó)")
        )
    out += _polarity_problems(al)
    return out


_WHAT = {
    "quantity": "con số",
    "year": "năm",
    "date": "ngày tháng",
    "body": "cơ quan",
    "place": "địa danh",
    "document": "văn bản",
}


def _at_place(al: Alignment, s: Slot, cands: list[Slot]) -> list[Slot]:
    """The span's slots standing where the claim's slot stands: on the tokens it is
    aligned to, or between the aligned runs around it (with one run only, about as far
    from it as in the claim)."""
    main = al.anchors
    own = {main[i] for i in range(s.start, s.end) if i in main}
    if own:
        direct = [x for x in cands if any(x.start <= j < x.end for j in own)]
        if direct:
            return direct
    left = [i for i in main if i < s.start]
    right = [i for i in main if i >= s.end]
    lo, hi = al.window[0] - 1, al.window[1]
    if left:
        lo = main[max(left)]
    if right:
        hi = main[min(right)]
    if left and not right:
        hi = lo + (s.end - max(left)) + GAP + 1
    elif right and not left:
        lo = hi - (min(right) - s.start) - GAP - 1
    if lo >= hi:  # crossed anchors: the alignment says nothing about the place
        lo, hi = al.window[0] - 1, al.window[1]
    return [x for x in cands if x.end - 1 > lo and x.start < hi]  # standing in (lo, hi), even in part


def _same_sentence(al: Alignment, s: Slot, cands: list[Slot]) -> list[Slot]:
    """The candidates in the units holding the aligned tokens nearest the slot."""
    near = [al.anchors[i] for i in al.anchors if i < s.start][-1:] + [al.anchors[i] for i in al.anchors if i >= s.end][
        :1
    ]
    if not near:
        near = list(al.pairs.values())
    units = [(a, b) for a, b in al.evidence.units if any(a <= j < b for j in near)]
    return [x for x in cands if any(a <= x.start < b for a, b in units)]


def _base(unit: str) -> str:
    return unit.split("/")[0]


def _agree(s: Slot, x: Slot) -> bool:
    if s.kind == "quantity":
        if s.key != x.key:
            return False
        if s.unit and (
            not x.unit or (_base(s.unit) != _base(x.unit)) or ("/" in s.unit and "/" in x.unit and s.unit != x.unit)
        ):
            return False
        return not s.qual or s.qual == x.qual
    if s.kind == "date":
        return all(a == "?" or a == b for a, b in zip(s.key.split("-"), x.key.split("-")))
    if s.kind == "body":
        # one name may shorten the other ("Bộ Khoa học" for "Bộ Khoa học và Công nghệ"), but a
        # claim's name does not stretch past the text's with another body joined by "và"
        a, b = s.key.split(), x.key.split()
        return a == b[: len(a)] or (b == a[: len(b)] and "va" not in a[len(b) :])
    return s.key == x.key


def _polarity_problems(al: Alignment) -> list[str]:
    c, e = al.claim, al.evidence
    lo, hi = al.window
    back = {j: i for i, j in al.pairs.items()}
    out = []
    ev_neg = e.slots_in(lo, hi, "negation")
    for s in [s for s in c.slots if s.kind == "negation"]:
        hits = {al.pairs[i] for i in range(s.start, s.end) if i in al.pairs}
        if not any(x.key == s.key and any(x.start <= j < x.end for j in hits) for x in ev_neg):
            out.append(f"câu có «{s.text}» mà văn bản không có ở chỗ đó (đảo nghĩa)")
    for x in ev_neg:
        if any(j in back for j in range(x.start, x.end)):
            continue
        # the claim states what the clause negates, without the negation
        if any(j in back for j in range(x.end, min(x.end + 2, hi))):
            out.append(
                f"văn bản ghi «{x.text} {e.tokens[x.end].text if x.end < len(e.tokens) else ''}» mà câu bỏ mất «{x.text}» (đảo nghĩa)"
            )
    return out


# -- lead lines --------------------------------------------------------------------------
def lead_source(text: str) -> str | None:
    """What a lead line names as its source ("Theo X:" → "X"); None for other lines."""
    t = text.strip()
    if not t.startswith("Theo ") or not t.endswith(":"):
        return None
    return t[len("Theo ") : -1].strip() or None


def _flat(text: str) -> str:
    return " ".join(fold(nfc(text)).replace("…", " ").replace("...", " ").split())


def lead_problems(source: str, cited: Sequence, headings) -> tuple[list, list[str]]:
    """A lead line naming `source` ("Nghị quyết 57-NQ/TW, Mục II, điểm 2 (Tầm nhìn đến năm
    2045)") over claims citing `cited`, checked against the cited clauses' labels and the
    headings of the document tree (headings: citation → heading lines, eval/headings.py).
    Returns (the citations it names, why it misdescribes them; empty: it agrees). The
    label must be one of a cited clause, or of a clause above one; what follows it in
    brackets must stand in one of that clause's heading lines (case and tone marks aside).
    Without the document tree (headings None) only the label is checked: the clauses an
    answer carries lack most headings above them, and a heading cannot be told wrong
    from unknown."""
    named = [c for c in cited if c.label and source.startswith(c.label) and source[len(c.label) :][:2] in ("", " (")]
    if not named:
        if any(c.label.startswith(source + ",") for c in cited):
            return [], []  # a clause above the cited ones ("Mục II:" over its points)
        return [], [f"dòng dẫn nêu «{_short(source)}» nhưng các câu dưới nó không trích điều khoản đó"]
    label = max((c.label for c in named), key=len)
    named = [c for c in named if c.label == label]
    rest = source[len(label) :].strip()
    if not rest or headings is None:  # no document tree at hand: the label alone is checked
        return named, []
    head = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest
    flat = _flat(head)
    lines = [h for c in named for h in headings(c)]
    if flat and any(flat in _flat(h) for h in lines):
        return named, []
    known = [x for h in lines for x in parse(h).slots]
    for s in parse(head).slots:
        if s.kind != "negation" and not any(x.kind == s.kind and _agree(s, x) for x in known):
            what = _WHAT.get(s.kind, "ô")
            return named, [
                f"dòng dẫn ghi {what} «{s.text}» ở tiêu đề «{_short(head)}» mà tiêu đề của điều khoản được trích không có"
            ]
    return named, [f"tiêu đề «{_short(head)}» ở dòng dẫn không có trong các tiêu đề của điều khoản được trích"]


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class OpenAIJudge:
    """LLM judge through an OpenAI-compatible endpoint (openai client, timeout, retries).

    Verdicts are cached per (claim, evidence) for the run; calls are thread-safe."""

    name = "llm"
    suffix = "_judge"

    def __init__(
        self,
        base_url: str | None,
        api_key: str | None,
        model: str,
        prompts: PromptLibrary,
        timeout: float = 30.0,
        max_retries: int = 2,
        max_consecutive_errors: int = 5,
    ):
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
            raise BadInputError(
                "chưa cấu hình giám khảo: hãy đặt OPENAI_BASE_URL (máy chủ tương thích OpenAI) "
                "và/hoặc OPENAI_API_KEY, rồi chạy lại `troly eval --judge`"
            )
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(
            settings.openai_base_url,
            key,
            settings.chat_model,
            PromptLibrary(settings.prompts_dir),
            timeout=settings.request_timeout,
            max_retries=settings.max_retries,
        )

    @cached_property
    def client(self):
        import openai

        # Local servers (vLLM, Ollama) need no key, but the client insists on one.
        return openai.OpenAI(
            base_url=self.base_url,
            api_key=self.api_key or "khong-can-khoa",
            timeout=self.timeout,
            max_retries=self.max_retries,
        )

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
                model=self.model,
                temperature=0,
                messages=[{"role": "user", "content": prompt}],
                response_format={"type": "json_object"},
            )
        except openai.OpenAIError as exc:
            message = openai_error_message(exc, f"giám khảo ({where})", self.timeout)
            raise JudgeError(message or f"giám khảo ({where}) lỗi: {type(exc).__name__}") from exc
        if not response.choices or not response.choices[0].message.content:
            raise JudgeError(f"giám khảo ({where}) trả về câu trả lời rỗng")
        return response.choices[0].message.content

    def summary(self) -> dict:
        """What the report says about the judge."""
        return {
            "model": self.model,
            "base_url": self.base_url or "",
            "calls": self.calls,
            "errors": len(self.errors),
            "error_examples": sorted(set(self.errors))[:5],
        }


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
