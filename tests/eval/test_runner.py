"""The evaluation run end to end on a subset of the real questions, then the report,
the gate, the comparison and the gate stamp built on its results."""

from __future__ import annotations

import copy
import json

import pytest

from eval.dataset import TYPES, UNANSWERABLE_TYPES, load_questions
from eval.gate import gate, gate_status, metric_value, record_gate
from eval.runner import Evaluation, compare, evaluate, format_comparison, load_run, write_run
from tests.eval.test_judge import honest_handler, make_judge
from tests.support.fake_openai import FakeOpenAI


def subset(n_per_type: int = 1) -> list:
    """The first question of each type, and one more unanswerable (every type covered)."""
    qs, seen = [], {}
    for q in load_questions():
        if seen.get(q.type, 0) < n_per_type:
            seen[q.type] = seen.get(q.type, 0) + 1
            qs.append(q)
    extra = [q for q in load_questions() if q.type == "unanswerable" and q not in qs][:1]
    return qs + extra


@pytest.fixture(scope="module")
def run(corpus_app, tmp_path_factory):
    questions = subset()
    gate_file = tmp_path_factory.mktemp("gate") / "gate.toml"
    gate_file.write_text("[min]\nkey_fact_coverage = 0.0\n[max]\nerrors = 0\n", "utf-8")
    results = evaluate(corpus_app, Evaluation(questions, gate_path=gate_file))
    folder = write_run(results, tmp_path_factory.mktemp("reports") / "run-a")
    return results, folder


def write_gate(path, text: str):
    path.write_text(text, "utf-8")
    return path


def test_end_to_end_results(run):
    results, folder = run
    types = {q.type for q in load_questions()}
    assert types <= set(TYPES)
    assert len(results["questions"]) == len(types) + 1
    assert {q["type"] for q in results["questions"]} == types
    overall = results["metrics"]["overall"]
    for name in (
        "key_fact_coverage",
        "completeness",
        "citation_recall",
        "citation_precision",
        "faithfulness",
        "answer_precision",
        "quotes_exact",
        "abstention_accuracy",
        "false_refusal_rate",
        "supported_sentences",
        "latency_p50_ms",
        "latency_p95_ms",
    ):
        assert overall[name] is not None, name
    assert overall["errors"] == 0
    assert overall["quotes_exact"] == 1.0
    assert set(results["metrics"]["by_type"]) == types
    refusals = sum(q["type"] in UNANSWERABLE_TYPES for q in results["questions"])
    assert sum(m.get("n_abstention_accuracy", 0) for m in results["metrics"]["by_type"].values()) == refusals
    # dev and test side by side, the retrieval table too
    splits = {q["split"] for q in results["questions"]}
    assert set(results["metrics"]["splits"]) == splits == {"dev", "test"}
    for split in splits:
        assert results["metrics"]["splits"][split]["overall"]["questions"] == sum(
            q["split"] == split for q in results["questions"]
        )
    assert set(results["retrieval"]["splits"]) <= splits
    # the run's own answers broken on purpose, every kind measured
    det = results["detection"]
    assert det["control"]["answers"] > 0 and det["kinds"]["negation"]["cases"] > 0
    assert {"recall@1", "recall@5", "recall@10", "mrr"} <= set(results["retrieval"]["overall"])
    multi = next(q for q in results["questions"] if q["type"] == "multi_turn")
    assert multi["history"] and multi["standalone_question"] != multi["question"]  # asked with its history
    assert results["gate"]["passed"] is True
    assert results["seconds"] < 60


def test_report_folder(run):
    results, folder = run
    assert {p.name for p in folder.iterdir()} == {"results.json", "report.md", "report.html"}
    assert load_run(folder)["questions"][0]["id"] == results["questions"][0]["id"]
    html = (folder / "report.html").read_text("utf-8")
    assert html.startswith("<!doctype html>") and "<svg" in html and "Theo loại câu hỏi" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # self-contained
    md = (folder / "report.md").read_text("utf-8")
    assert "## Chỉ số chung" in md and "| fact |" in md


def test_html_escapes_everything(run, tmp_path):
    results = copy.deepcopy(run[0])
    q = next(q for q in results["questions"] if q["split"] == "dev")  # test questions are not detailed
    q["question"] = "<script>alert('câu hỏi')</script>"
    q["answer"] = "Trả lời <img src=x onerror=alert(1)>"
    q["citations"] = [
        {
            "marker": 1,
            "chunk_id": "x",
            "doc_short": "d",
            "clause": "I",
            "label": "<b>nhãn</b>",
            "quote": "</div><script>x()</script>",
            "gold": False,
        }
    ]
    q["failures"] = ["key_fact_coverage: <script>lý do</script>"]
    folder = write_run(results, tmp_path / "escaped")
    html = (folder / "report.html").read_text("utf-8")
    assert "<script" not in html and "<img" not in html and "<b>nhãn" not in html
    assert "&lt;script&gt;alert(&#x27;câu hỏi&#x27;)&lt;/script&gt;" in html
    assert "<script" not in (folder / "report.md").read_text("utf-8")


def test_report_leads_with_changes_and_hides_test_failures(run, tmp_path):
    from eval.release import diff, record_of

    results = copy.deepcopy(run[0])
    md = (run[1] / "report.md").read_text("utf-8")
    assert md.index("Thay đổi so với mốc phát hành") < md.index("## Chỉ số chung")
    assert "dev (tinh chỉnh)" in md and "test (đóng băng)" in md and "Bảng phát hiện" in md
    test_q = next(q for q in results["questions"] if q["split"] == "test")
    test_q["failures"] = ["key_fact_coverage: BÍ-MẬT-PHẦN-TEST"]
    # a release where every question passed: the failing ones now count as regressed
    release = record_of(results)
    for rec in release["questions"].values():
        rec.update({"pass": True, "failed": []})
    results["since_release"] = diff(release, results)
    folder = write_run(results, tmp_path / "since")
    md, html = (folder / "report.md").read_text("utf-8"), (folder / "report.html").read_text("utf-8")
    assert "BÍ-MẬT-PHẦN-TEST" not in md and "BÍ-MẬT-PHẦN-TEST" not in html
    assert f"{test_q['id']} (test: key_fact_coverage)" in md
    assert "câu của phần test và val chưa đạt" in md and "Câu kém đi" in html


def test_gate_passes_then_fails_when_a_threshold_is_raised(run, tmp_path):
    results = run[0]
    # the gate reads the test split
    kfc = results["metrics"]["splits"]["test"]["overall"]["key_fact_coverage"]
    p95 = results["metrics"]["splits"]["test"]["overall"]["latency_p95_ms"]
    assert metric_value(results, "key_fact_coverage", "test") == kfc
    ok = write_gate(
        tmp_path / "ok.toml",
        f'[min]\nkey_fact_coverage = {kfc}\nquotes_exact = 1.0\n"retrieval.recall@10" = 0.5\n[max]\nerrors = 0\n',
    )
    assert gate(results, ok) == []
    raised = write_gate(
        tmp_path / "raised.toml",
        f"[min]\nkey_fact_coverage = {kfc + 0.01}\nquotes_exact = 1.0\n"
        f"[max]\nlatency_p95_ms = {p95 / 2}\n[targets]\nkey_fact_coverage = 0.85\n",
    )
    failures = gate(results, raised)
    assert [f.metric for f in failures] == ["key_fact_coverage", "latency_p95_ms"]
    assert "key_fact_coverage" in failures[0].message() and "<" in failures[0].message()
    unknown = write_gate(tmp_path / "unknown.toml", "[min]\nfaithfulness_judge = 0.9\n")
    assert gate(results, unknown)[0].value is None  # not measured: a failure, not a pass
    assert metric_value(results, "fact.key_fact_coverage") == results["metrics"]["by_type"]["fact"]["key_fact_coverage"]
    # structured thresholds: a value with where it came from; the split named in the file
    structured = write_gate(
        tmp_path / "structured.toml",
        'split = "dev"\n[min]\nkey_fact_coverage = { value = 1.01, from = "test", test = 0.9 }\n',
    )
    (failure,), split = gate(results, structured, with_split=True)
    assert split == "dev" and failure.value == metric_value(results, "key_fact_coverage", "dev")


def test_committed_gate_file_is_valid(run):
    from eval.gate import GATE, read_gate

    thresholds = read_gate(GATE)
    assert thresholds["min"] and thresholds["max"] and thresholds["targets"]
    known = set(run[0]["metrics"]["overall"]) | {f"retrieval.{k}" for k in run[0]["retrieval"]["overall"]}
    known |= {"detection.caught_min", "detection.false_alarms"}
    assert set(thresholds["min"]) | set(thresholds["max"]) <= known
    assert thresholds["split"] == "test"
    # every threshold says where it came from
    for name in [*thresholds["min"], *thresholds["max"]]:
        assert thresholds["provenance"][name]["from"] in ("dev", "test", "target", "fixed"), name


def test_compare_question_by_question(run, tmp_path):
    a = run[0]
    b = copy.deepcopy(a)
    qb = b["questions"][0]
    qb["scores"]["key_fact_coverage"] = 0.0 if qb["scores"].get("key_fact_coverage") else 1.0
    qb["answer"] += " (đổi)"
    b["metrics"]["overall"]["key_fact_coverage"] = a["metrics"]["overall"]["key_fact_coverage"] - 0.1
    b["questions"].pop()
    folder_b = write_run(b, tmp_path / "run-b")
    c = compare(run[1], folder_b)
    assert [d.id for d in c.questions] == [qb["id"]]
    assert "key_fact_coverage" in c.questions[0].changes and c.questions[0].answer_changed
    assert c.only_a == [a["questions"][-1]["id"]] and not c.only_b
    assert "key_fact_coverage" in c.overall
    text = format_comparison(c)
    assert qb["id"] in text and "kém hơn" in text and "Chỉ có trong A" in text
    assert "không khác nhau" in format_comparison(compare(a, copy.deepcopy(a)))


def test_gate_stamp(corpus_app, run):
    results, folder = run
    stamp = record_gate(corpus_app, results, folder)
    try:
        ok, message = gate_status(corpus_app)
        assert ok, message
        failed = copy.deepcopy(results)
        failed["gate"] = {"passed": False, "failures": [{"metric": "key_fact_coverage"}]}
        record_gate(corpus_app, failed, folder)
        ok, message = gate_status(corpus_app)
        assert not ok and "key_fact_coverage" in message
    finally:
        stamp.unlink()
    assert gate_status(corpus_app) == (False, "chỉ mục chưa qua ngưỡng đánh giá; hãy chạy `troly eval --gate`")


def test_run_with_judge_and_broken_judge(corpus_app):
    questions = subset()[:3]
    with FakeOpenAI(chat_handler=honest_handler) as server:
        results = evaluate(corpus_app, Evaluation(questions, judge=make_judge(server), retrieval=False, gate_path=None))
        overall = results["metrics"]["overall"]
        assert overall["citation_recall"] is not None and overall["citation_recall_judge"] is not None
        assert results["judge"]["calls"] > 0 and results["judge"]["errors"] == 0
        assert results["judge"]["agreement"] is not None
        server.fail("500", times=None)
        broken = evaluate(corpus_app, Evaluation(questions, judge=make_judge(server), retrieval=False, gate_path=None))
    assert broken["judge"]["errors"] > 0 and "HTTP 500" in broken["judge"]["error_examples"][0]
    assert broken["metrics"]["overall"]["citation_recall_judge"] is None
    assert broken["metrics"]["overall"]["citation_recall"] == overall["citation_recall"]  # offline unaffected
    assert json.dumps(broken, ensure_ascii=False)
