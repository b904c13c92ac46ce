"""Answer-quality metrics, one small class each: ``score(sample) -> Result(value, reason)``.

A value of ``None`` means the metric does not apply to the sample (e.g. citation recall of
an abstention, abstention accuracy of an answerable question); aggregates skip it. Who
decides support is the judge given to the constructor (eval/judge.py): the offline
``OfflineJudge`` by default, or an LLM judge. Claims are read from the answer's text
(eval/claims.py), never from the answerer's own sentence list. Definitions are in each
docstring and in eval/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from assistant.types import Answer, Citation

from .claims import Claim, claims_of, lead_groups, parse_answer
from .dataset import Question
from .gold import holds
from .headings import Headings
from .judge import Judge, JudgeError, OfflineJudge, evidence_text, lead_problems, lead_source
from .lang import fold, nfc
from .relevance import ancestor_headings, judge_claims

_MARKER = re.compile(r"\s*\[\d+\]")


@dataclass
class Sample:
    """One evaluation question with the assistant's answer (None when asking failed)."""

    question: Question
    answer: Answer | None
    seconds: float = 0.0
    error: str = ""


@dataclass
class Result:
    value: float | None  # None: not applicable to this sample
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def answer_claims(answer: Answer) -> list[Claim]:
    """The claims of an answer's text with their [n] markers (none for a refusal)."""
    return [] if answer.abstained else claims_of(answer.answer)


def _cited(answer: Answer, claim: Claim) -> list[Citation]:
    by_marker = {c.marker: c for c in answer.citations}
    return [by_marker[m] for m in dict.fromkeys(claim.markers) if m in by_marker]


def _joined(citations: list[Citation], headings: dict[str, list[str]] | None = None) -> str:
    return evidence_text(citations, headings)


def _answer_or_skip(sample: Sample) -> Answer | Result:
    """The sample's answer, or the (not applicable) result when there is none or it is a
    refusal."""
    if sample.answer is None:
        return Result(None, f"không có câu trả lời (lỗi: {sample.error})")
    if sample.answer.abstained:
        return Result(None, "không áp dụng: trợ lý đã từ chối trả lời")
    return sample.answer


class _SentenceRow(TypedDict):
    text: str
    markers: list[int]
    supported: bool | None  # None: the judge failed on it
    reason: str


class _ClaimRow(TypedDict):
    claim: str
    supported: bool | None  # None: the judge failed on it


class _RelevanceRow(TypedDict):
    text: str
    relevant: bool
    needed: bool
    reason: str


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def lead_checks(answer: Answer, headings: Headings | None, sentences: list[Claim] | None = None) -> dict[int, str]:
    """id(claim) → why the lead line above it misdescribes its source, for the claims of
    sentences (parse_answer(answer.answer)) under a lead line "Theo <nguồn>:" whose label or heading
    disagrees with the clause they cite and its headings in the document tree."""
    out: dict[int, str] = {}
    for lead, group in lead_groups(parse_answer(answer.answer) if sentences is None else sentences):
        source = lead_source(lead.text)
        if source is None or not group:
            continue
        cited = {id(c): _cited(answer, c) for c in group}
        named, problems = lead_problems(source, [x for cs in cited.values() for x in cs], headings)
        if not problems:
            continue
        for c in group:
            if not named or any(x in named for x in cited[id(c)]):
                out[id(c)] = problems[0]
    return out


class CitationRecall:
    """Citation recall, as in ALCE (Gao et al., 2023): the share of the answer's claim
    sentences that their own citations, taken together, support. A sentence without any
    citation is not recalled. Framing lines are not claims; abstentions are skipped.
    With the offline judge a sentence under a lead line ("Theo <nguồn> (<tiêu đề>):") is
    read with it: when the lead line names a label or heading its cited clause does not
    carry (headings: the document tree's, eval/headings.py), the sentence is not recalled."""

    def __init__(self, judge: Judge | None = None, headings: Headings | None = None):
        self.judge = judge or OfflineJudge()
        self.headings = headings  # None: no document tree, lead lines' labels alone are checked
        self.name = "citation_recall" + self.judge.suffix

    def score(self, sample: Sample) -> Result:
        answer = _answer_or_skip(sample)
        if isinstance(answer, Result):
            return answer
        heads = ancestor_headings(answer)
        rows: list[_SentenceRow] = []
        errors: list[str] = []
        sentences = parse_answer(answer.answer)
        leads = lead_checks(answer, self.headings, sentences) if isinstance(self.judge, OfflineJudge) else {}
        for claim in [c for c in sentences if not c.framing]:
            cited = _cited(answer, claim)
            if not cited:
                rows.append(
                    {
                        "text": claim.text,
                        "markers": claim.markers,
                        "supported": False,
                        "reason": "câu không có trích dẫn",
                    }
                )
                continue
            try:
                verdict = self.judge(claim.text, _joined(cited, heads))
            except JudgeError as exc:
                errors.append(str(exc))
                rows.append({"text": claim.text, "markers": claim.markers, "supported": None, "reason": str(exc)})
                continue
            ok, why = verdict.supported, verdict.reason
            if ok and id(claim) in leads:
                ok, why = False, leads[id(claim)]
            rows.append({"text": claim.text, "markers": claim.markers, "supported": ok, "reason": why})
        decided = [r for r in rows if r["supported"] is not None]
        supported = sum(1 for r in decided if r["supported"])
        details = {
            "sentences": rows,
            "supported": supported,
            "total": len(decided),
            "judge_errors": errors,
        }
        if not rows:
            return Result(None, "câu trả lời không có câu khẳng định nào", details)
        if not decided:
            return Result(None, f"giám khảo không quyết định được câu nào: {errors[0]}", details)
        value = supported / len(decided)
        bad = [r for r in decided if not r["supported"]]
        reason = f"{supported}/{len(decided)} câu được trích dẫn của chính nó hỗ trợ"
        if bad:
            reason += f"; không được hỗ trợ: «{_short(bad[0]['text'])}» ({bad[0]['reason']})"
        return Result(value, reason, details)


class CitationPrecision:
    """Citation precision, as in ALCE: the share of the answer's citations that are
    precise. A citation of a sentence is precise when the sentence's citations together
    support it and either this clause alone supports the sentence or the other citations
    without it no longer do (it is needed). Citations of unsupported sentences are not
    precise. An answer with claims but no citation scores 0."""

    def __init__(self, judge: Judge | None = None):
        self.judge = judge or OfflineJudge()
        self.name = "citation_precision" + self.judge.suffix

    def score(self, sample: Sample) -> Result:
        answer = _answer_or_skip(sample)
        if isinstance(answer, Result):
            return answer
        claims = answer_claims(answer)
        heads = ancestor_headings(answer)
        total = precise = 0
        imprecise: list[str] = []
        errors: list[str] = []
        for claim in claims:
            cited = _cited(answer, claim)
            try:
                good = self._precise(claim.text, cited, heads)
            except JudgeError as exc:
                errors.append(str(exc))
                continue
            total += len(cited)
            precise += len(good)
            imprecise += [f"[{c.marker}] {c.label}" for c in cited if c not in good]
        details = {"precise": precise, "total": total, "imprecise": imprecise, "judge_errors": errors}
        if not claims:
            return Result(None, "câu trả lời không có câu khẳng định nào", details)
        if errors and not total:
            return Result(None, f"giám khảo không quyết định được: {errors[0]}", details)
        if not total:
            return Result(0.0, "câu trả lời không có trích dẫn nào", details)
        reason = f"{precise}/{total} trích dẫn chính xác"
        if imprecise:
            reason += "; thừa hoặc không hỗ trợ: " + ", ".join(imprecise[:3])
        return Result(precise / total, reason, details)

    def _precise(self, sentence: str, cited: list[Citation], heads=None) -> list[Citation]:
        if not cited or not self.judge(sentence, _joined(cited, heads)).supported:
            return []
        if len(cited) == 1:
            return cited
        good = []
        for c in cited:
            others = [o for o in cited if o is not c]
            if (
                self.judge(sentence, _joined([c], heads)).supported
                or not self.judge(sentence, _joined(others, heads)).supported
            ):
                good.append(c)
        return good


class Faithfulness:
    """Faithfulness, as in RAGAS: the answer split into claims, the share of claims that
    the retrieved context supports. Offline, the claims are the answer's sentences and a
    claim is supported when one retrieved clause supports it (per_clause=True: word overlap
    with a pile of clauses would prove nothing); with an LLM judge the claims come from
    ``claims`` (the judge's splitter) and the whole context is judged at once. The context
    is what the generator was shown: the retrieved clauses and the clauses it cites."""

    def __init__(
        self, judge: Judge | None = None, claims: Callable[[str], list[str]] | None = None, per_clause: bool = True
    ):
        self.judge = judge or OfflineJudge()
        self.claims = claims
        self.per_clause = per_clause
        self.name = "faithfulness" + self.judge.suffix

    def score(self, sample: Sample) -> Result:
        answer = _answer_or_skip(sample)
        if isinstance(answer, Result):
            return answer
        try:
            claims = (
                self.claims(_MARKER.sub("", answer.answer)) if self.claims else [c.text for c in answer_claims(answer)]
            )
        except JudgeError as exc:
            return Result(None, f"không tách được khẳng định: {exc}", {"judge_errors": [str(exc)]})
        if not claims:
            return Result(None, "câu trả lời không có khẳng định nào")
        heads = ancestor_headings(answer)
        texts = list(dict.fromkeys(evidence_text([c], heads) for c in list(answer.contexts) + list(answer.citations)))
        rows: list[_ClaimRow] = []
        errors: list[str] = []
        for claim in claims:
            ok: bool | None
            try:
                ok = self._supported(claim, texts)
            except JudgeError as exc:
                errors.append(str(exc))
                ok = None
            rows.append({"claim": claim, "supported": ok})
        decided = [r for r in rows if r["supported"] is not None]
        details = {"claims": rows, "judge_errors": errors}
        if not decided:
            return Result(None, f"giám khảo không quyết định được: {errors[0]}", details)
        k = sum(1 for r in decided if r["supported"])
        reason = f"{k}/{len(decided)} khẳng định có trong ngữ cảnh đã truy xuất"
        bad = [r["claim"] for r in decided if not r["supported"]]
        if bad:
            reason += f"; không có: «{_short(bad[0])}»"
        return Result(k / len(decided), reason, details)

    def _supported(self, claim: str, texts: list[str]) -> bool:
        if not texts:
            return False
        if self.per_clause:
            return any(self.judge(claim, t).supported for t in texts)
        return self.judge(claim, "\n".join(texts)).supported


def normalize_fact(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form; 1,5 and 1.5 stay one token."""
    t = fold(nfc(text))
    t = re.sub(r"(\d)[.,](?=\d)", r"\1·", t)
    return " ".join(re.sub(r"[^\w·]+", " ", t).split())


class KeyFactCoverage:
    """Key-fact coverage on answerable questions: the share of the question's key facts
    found in the answer text (accent-, case- and punctuation-insensitive, whole words,
    [n] markers removed). An abstention covers nothing."""

    name = "key_fact_coverage"

    def score(self, sample: Sample) -> Result:
        q = sample.question
        if not q.answerable or not q.key_facts:
            return Result(None, "không áp dụng: câu hỏi không có ý chính")
        if sample.answer is None:
            return Result(None, f"không có câu trả lời (lỗi: {sample.error})")
        if sample.answer.abstained:
            return Result(0.0, "trợ lý từ chối trả lời nên không nêu ý chính nào", {"missing": q.key_facts})
        text = f" {normalize_fact(_MARKER.sub('', sample.answer.answer))} "
        missing = [f for f in q.key_facts if f" {normalize_fact(f)} " not in text]
        found = len(q.key_facts) - len(missing)
        reason = f"{found}/{len(q.key_facts)} ý chính có trong câu trả lời"
        if missing:
            reason += "; thiếu: " + ", ".join(f"«{m}»" for m in missing)
        return Result(found / len(q.key_facts), reason, {"missing": missing})


class AnswerPrecision:
    """Answer precision: the share of the answer's claims that are relevant to the
    question (about the year and the source document it asks about) and needed by it
    (state the kind of value asked for, carry the question's topic about as well as the
    closest claim), read from the question and the answer alone (eval/relevance.py).
    What an answer adds that was not asked lowers it; abstentions are skipped."""

    name = "answer_precision"

    def score(self, sample: Sample) -> Result:
        answer = _answer_or_skip(sample)
        if isinstance(answer, Result):
            return answer
        sentences = parse_answer(answer.answer)
        framing, last = {}, ""
        for s in sentences:
            if s.framing:
                last = s.text
            elif s.bullet and last:
                framing[s.line] = last
        claims = [s for s in sentences if not s.framing]
        if not claims:
            return Result(None, "câu trả lời không có câu khẳng định nào")
        q = sample.question
        judged = judge_claims(q.question, q.history, answer, claims, framing)
        rows: list[_RelevanceRow] = [
            {"text": c.text, "relevant": j.relevant, "needed": j.needed, "reason": j.reason}
            for c, j in zip(claims, judged)
        ]
        good = sum(1 for r in rows if r["relevant"] and r["needed"])
        reason = f"{good}/{len(rows)} câu liên quan và cần cho câu hỏi"
        bad = [r for r in rows if not (r["relevant"] and r["needed"])]
        if bad:
            reason += f"; thừa: «{_short(bad[0]['text'])}» ({bad[0]['reason']})"
        return Result(good / len(rows), reason, {"claims": rows})


class Completeness:
    """On answerable questions with gold clauses: the share of the gold clauses the
    answer cites (a citation of the clause, of a clause inside it, or of a clause whose
    text holds the gold evidence; eval/gold.py). A list answer that leaves an item out
    loses the item's clause; an abstention covers nothing. Read from the citations alone,
    so it needs no index."""

    name = "completeness"

    def score(self, sample: Sample) -> Result:
        q = sample.question
        if not q.answerable or not q.gold:
            return Result(None, "không áp dụng: câu hỏi không có điều khoản chuẩn")
        if sample.answer is None:
            return Result(None, f"không có câu trả lời (lỗi: {sample.error})")
        if sample.answer.abstained:
            return Result(
                0.0,
                "trợ lý từ chối trả lời nên không trích điều khoản chuẩn nào",
                {"missing": [g.label or g.evidence[:60] for g in q.gold], "cited": False},
            )
        held = [any(holds(c, g) for c in sample.answer.citations) for g in q.gold]
        missing = [g.label or g.clause or g.evidence[:60] for g, h in zip(q.gold, held) if not h]
        reason = f"{sum(held)}/{len(held)} điều khoản chuẩn được trích"
        if missing:
            reason += "; thiếu: " + ", ".join(f"«{_short(m, 60)}»" for m in missing[:3])
        return Result(sum(held) / len(held), reason, {"missing": missing, "cited": any(held)})


class AbstentionAccuracy:
    """On unanswerable questions (unanswerable, near_miss, scope): 1 when the assistant
    said the documents do not cover the question (or, for scope, gave the scope message)
    with no citation, as refusals carry none; else 0."""

    name = "abstention_accuracy"

    def score(self, sample: Sample) -> Result:
        if sample.question.answerable is None:
            return Result(None, "không áp dụng: không biết câu hỏi có trả lời được không")
        if sample.question.answerable:
            return Result(None, "không áp dụng: câu hỏi trả lời được")
        if sample.answer is None:
            return Result(None, f"không có câu trả lời (lỗi: {sample.error})")
        if sample.answer.abstained and sample.answer.citations:
            return Result(
                0.0, f"đã từ chối nhưng vẫn kèm {len(sample.answer.citations)} trích dẫn (từ chối không trích dẫn)"
            )
        if sample.answer.abstained:
            return Result(1.0, "đã từ chối đúng")
        return Result(0.0, "lẽ ra phải từ chối nhưng đã trả lời")


class FalseRefusal:
    """On answerable questions: 1 when the assistant wrongly said the documents do not
    cover the question, else 0 (lower is better)."""

    name = "false_refusal_rate"

    def score(self, sample: Sample) -> Result:
        if sample.question.answerable is None:
            return Result(None, "không áp dụng: không biết câu hỏi có trả lời được không")
        if not sample.question.answerable:
            return Result(None, "không áp dụng: câu hỏi không trả lời được")
        if sample.answer is None:
            return Result(None, f"không có câu trả lời (lỗi: {sample.error})")
        if sample.answer.abstained:
            return Result(1.0, "từ chối sai: văn bản có thông tin để trả lời")
        return Result(0.0, "đã trả lời")


class QuotesExact:
    """The share of citations whose quote is a non-empty exact substring of the cited
    clause. With chunk_text (chunk id → indexed text), the clause is the one in the index,
    not the copy the answer carries."""

    name = "quotes_exact"

    def __init__(self, chunk_text: Callable[[str], str | None] | None = None):
        self.chunk_text = chunk_text

    def score(self, sample: Sample) -> Result:
        answer = _answer_or_skip(sample)
        if isinstance(answer, Result):
            return answer
        cits = answer.citations
        if not cits:
            return Result(None, "không có trích dẫn")
        bad = []
        for c in cits:
            text = (self.chunk_text(c.chunk_id) if self.chunk_text else None) or c.text
            if not c.quote.strip() or c.quote not in text:
                bad.append(f"[{c.marker}] {c.label}")
        reason = f"{len(cits) - len(bad)}/{len(cits)} trích dẫn nguyên văn"
        if bad:
            reason += "; sai: " + ", ".join(bad[:3])
        return Result((len(cits) - len(bad)) / len(cits), reason, {"inexact": bad})


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between ranks (as numpy)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_stats(ms: list[float]) -> dict[str, float | None]:
    """p50, p95, mean and max of per-question answer times in milliseconds."""
    return {
        "latency_p50_ms": percentile(ms, 50),
        "latency_p95_ms": percentile(ms, 95),
        "latency_mean_ms": sum(ms) / len(ms) if ms else None,
        "latency_max_ms": max(ms) if ms else None,
    }


def default_metrics(chunk_text: Callable[[str], str | None] | None = None, table=None) -> list:
    """The offline metric set (chunk_text: the index's text of a chunk id, when an index
    is at hand; without it quotes are checked against the text the citation carries;
    table: the index's chunk table, whose document tree gives the headings lead lines are
    checked against; without it, the headings the answer carries)."""
    from .headings import table_headings

    tree = table_headings(table) if table is not None else None
    return [
        KeyFactCoverage(),
        Completeness(),
        CitationRecall(headings=tree),
        CitationPrecision(),
        Faithfulness(),
        AnswerPrecision(),
        QuotesExact(chunk_text),
        AbstentionAccuracy(),
        FalseRefusal(),
    ]


def judge_metrics(judge) -> list:
    """The metrics that depend on support, decided by an LLM judge (claims split by it)."""
    splitter = getattr(judge, "claims", None)
    return [CitationRecall(judge), CitationPrecision(judge), Faithfulness(judge, splitter, per_clause=False)]
