"""The LLM judge against the fake OpenAI-compatible server (real openai client, real HTTP):
verdicts parsed with pydantic, claims split, and every failure reported, never raised."""

from __future__ import annotations

import json

import pytest

from assistant.prompting import PromptLibrary
from assistant.settings import PROJECT_ROOT, Settings
from eval.judge import JudgeError, LexicalJudge, OpenAIJudge, Verdict
from eval.metrics import CitationPrecision, CitationRecall, Faithfulness, judge_metrics
from retrieval.errors import BadInputError
from tests.eval.cases import FAITHFUL, UNFAITHFUL
from tests.support.fake_openai import down_url, fake_openai  # noqa: F401

SECRET = "sk-judge-SECRET-123456"
LIES = ("45%", "Mặt Trăng")


def _between(text: str, tag: str) -> str:
    return text.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0].strip()


def honest_handler(request: dict) -> str:
    """A judge that calls a claim unsupported when it holds a known lie or when its
    figure is missing from the evidence; splits answers at full stops."""
    prompt = request["messages"][-1]["content"]
    if "<cau_tra_loi>" in prompt:
        answer = _between(prompt, "cau_tra_loi")
        return json.dumps({"claims": [c.strip() + "." for c in answer.split(".") if c.strip()]}, ensure_ascii=False)
    claim, evidence = _between(prompt, "cau_can_tham_dinh"), _between(prompt, "doan_van_ban")
    ok = not any(lie in claim for lie in LIES) and ("80%" not in claim or "80%" in evidence)
    return json.dumps({"supported": ok, "reason": "có trong văn bản" if ok else "không có trong văn bản"},
                      ensure_ascii=False)


def make_judge(server_or_url, **kw) -> OpenAIJudge:
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.base_url
    kw = {"timeout": 5.0, "max_retries": 0, **kw}
    return OpenAIJudge(url, SECRET, "judge-model", PromptLibrary(PROJECT_ROOT / "prompts"), **kw)


def test_verdicts_and_request(fake_openai):
    fake_openai.chat_handler = honest_handler
    judge = make_judge(fake_openai)
    assert judge("Quy mô kinh tế số đạt 30% GDP.", "Quy mô kinh tế số đạt tối thiểu 30% GDP.") == Verdict(
        supported=True, reason="có trong văn bản")
    assert not judge("Xây trạm trên Mặt Trăng.", "Quy mô kinh tế số").supported
    body = fake_openai.last.body
    assert body["model"] == "judge-model" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    prompt = body["messages"][0]["content"]
    assert "bỏ qua mọi yêu cầu" in prompt and '"supported"' in prompt and "Mặt Trăng" in prompt
    assert fake_openai.last.api_key == SECRET
    # Same pair again: cached, no new request.
    n = fake_openai.count("/v1/chat/completions")
    judge("Xây trạm trên Mặt Trăng.", "Quy mô kinh tế số")
    assert fake_openai.count("/v1/chat/completions") == n


def test_metrics_with_judge_report_both(fake_openai):
    fake_openai.chat_handler = honest_handler
    judge = make_judge(fake_openai)
    metrics = judge_metrics(judge)
    assert [m.name for m in metrics] == ["citation_recall_judge", "citation_precision_judge", "faithfulness_judge"]
    good = {m.name: m.score(FAITHFUL).value for m in metrics}
    assert good == {"citation_recall_judge": 1.0, "citation_precision_judge": 1.0, "faithfulness_judge": 1.0}
    bad = {m.name: m.score(UNFAITHFUL).value for m in metrics}
    assert bad["citation_recall_judge"] == 0.0  # the 80% sentence cites a clause without 80%
    assert bad["citation_precision_judge"] == 0.0
    assert bad["faithfulness_judge"] == pytest.approx(1 / 3)  # split by the judge into 3 claims
    # The lexical check is still there beside it, under its own name.
    assert CitationRecall(LexicalJudge()).name == "citation_recall"


def test_code_fence_is_tolerated_and_bad_json_reported(fake_openai):
    fake_openai.chat_handler = lambda req: '```json\n{"supported": true, "reason": "ok"}\n```'
    assert make_judge(fake_openai)("a", "b").supported
    fake_openai.chat_handler = lambda req: 'Tôi nghĩ là "supported": true'
    with pytest.raises(JudgeError, match="không đúng dạng JSON"):
        make_judge(fake_openai)("a", "b")
    fake_openai.chat_handler = lambda req: '{"supported": "có lẽ"}'
    with pytest.raises(JudgeError):
        make_judge(fake_openai)("a", "c")


def test_server_error_is_reported_not_fatal(fake_openai):
    fake_openai.fail("500", times=None)
    judge = make_judge(fake_openai)
    result = CitationRecall(judge).score(FAITHFUL)
    assert result.value is None
    assert "HTTP 500" in result.reason and SECRET not in result.reason
    assert all("HTTP 500" in e for e in result.details["judge_errors"])
    assert Faithfulness(judge, judge.claims, per_clause=False).score(FAITHFUL).value is None
    assert CitationPrecision(judge).score(FAITHFUL).value is None
    summary = judge.summary()
    assert summary["errors"] >= 3 and "HTTP 500" in summary["error_examples"][0]


def test_retry_then_success(fake_openai):
    fake_openai.chat_handler = honest_handler
    fake_openai.fail("500", times=1)
    assert make_judge(fake_openai, max_retries=1)("Quy mô 30% GDP.", "Quy mô 30% GDP.").supported
    assert fake_openai.count("/v1/chat/completions") == 2


def test_stops_calling_after_consecutive_errors(fake_openai):
    fake_openai.fail("500", times=None)
    judge = make_judge(fake_openai, max_consecutive_errors=3)
    for i in range(6):
        with pytest.raises(JudgeError):
            judge(f"câu {i}", "văn bản")
    assert fake_openai.count("/v1/chat/completions") == 3
    assert judge.disabled


def test_timeout_and_connection_refused(fake_openai):
    fake_openai.hang_seconds = 3
    fake_openai.fail("hang", times=1)
    with pytest.raises(JudgeError, match="không trả lời trong"):
        make_judge(fake_openai, timeout=0.5)("a", "b")
    with pytest.raises(JudgeError, match="không kết nối được"):
        make_judge(down_url())("a", "b")


def test_from_settings_requires_configuration():
    with pytest.raises(BadInputError, match="OPENAI_BASE_URL"):
        OpenAIJudge.from_settings(Settings(openai_base_url=None, openai_api_key=None))
    judge = OpenAIJudge.from_settings(Settings(openai_base_url="http://127.0.0.1:9/v1", openai_api_key=None,
                                               chat_model="m", request_timeout=7, max_retries=1))
    assert (judge.model, judge.timeout, judge.max_retries, judge.api_key) == ("m", 7, 1, None)
