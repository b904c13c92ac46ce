"""Thresholds proposed from a run (with where each came from), the release record and
what changed since it."""

from __future__ import annotations

import copy
import json

from eval.gate import gate, read_gate
from eval.release import diff, load_release, record_of, write_release
from eval.thresholds import propose, render
from tests.eval.test_cli import parse


def split_metrics(kfc: float, frr: float) -> dict:
    m = {
        "key_fact_coverage": kfc,
        "completeness": 0.9,
        "supported_sentences": 1.0,
        "citation_recall": 1.0,
        "citation_precision": 0.97,
        "faithfulness": 1.0,
        "answer_precision": 0.913,
        "quotes_exact": 1.0,
        "abstention_accuracy": 0.8889,
        "false_refusal_rate": frr,
        "errors": 0,
        "latency_p95_ms": 120.0,
        "questions": 10,
    }
    return {"overall": m, "by_type": {}}


def question(qid: str, split: str, failures: list[str]) -> dict:
    return {"id": qid, "split": split, "failures": failures}


def results() -> dict:
    det_row = {
        "cases": 10,
        "support": 10,
        "any": 10,
        "coverage_kind": False,
        "splits": {"dev": {"cases": 5, "support": 5, "any": 5}, "test": {"cases": 5, "support": 5, "any": 5}},
    }
    return {
        "created": "2026-12-01T10:00:00",
        "config": {
            "embedder": "hashing",
            "generator": "extractive",
            "questions": 4,
            "questions_sha256": "abc",
            "index_generation": "g1",
            "abstain_threshold": 0.35,
        },
        "metrics": {
            "overall": split_metrics(0.86, 0.0)["overall"],
            "by_type": {},
            "splits": {"dev": split_metrics(0.9, 0.0), "test": split_metrics(0.8372, 0.012)},
        },
        "retrieval": {
            "overall": {"recall@5": 0.95},
            "splits": {"dev": {"overall": {"recall@5": 0.98}}, "test": {"overall": {"recall@5": 0.9323}}},
        },
        "detection": {
            "kinds": {"negation": det_row},
            "control": {"answers": 8, "false_alarms": 0, "splits": {"test": {"answers": 4, "false_alarms": 0}}},
        },
        "questions": [
            question("q1", "dev", []),
            question("q2", "test", []),
            question("q3", "test", ["x: y"]),
            question("q4", "dev", ["faithfulness: z"]),
        ],
    }


def test_proposed_thresholds_come_from_test_and_pass_their_own_run(tmp_path):
    run = results()
    p = propose(run)
    assert p["min"]["key_fact_coverage"] == {"value": 0.83, "from": "test", "dev": 0.9, "test": 0.8372, "target": 0.85}
    assert p["min"]["supported_sentences"]["from"] == "target" and p["min"]["supported_sentences"]["value"] == 0.95
    assert p["min"]["answer_precision"]["value"] == 0.91  # rounded down
    assert p["max"]["false_refusal_rate"]["value"] == 0.05 and p["max"]["false_refusal_rate"]["from"] == "target"
    assert p["max"]["errors"]["from"] == "fixed" and p["max"]["latency_p95_ms"]["value"] == 1000
    assert p["min"]["detection.caught_min"]["value"] == 0.9 and p["min"]["detection.caught_min"]["test"] == 1.0
    path = tmp_path / "gate.toml"
    path.write_text(render(p, run), "utf-8")
    read = read_gate(path)
    assert read["split"] == "test" and read["min"]["key_fact_coverage"] == 0.83
    assert read["provenance"]["key_fact_coverage"]["dev"] == 0.9 and read["targets"]["key_fact_coverage"] == 0.85
    assert read["measured"]["run"] == "2026-12-01T10:00:00"
    assert gate(run, path) == []  # a run passes the thresholds proposed from it
    worse = copy.deepcopy(run)
    worse["metrics"]["splits"]["test"]["overall"]["key_fact_coverage"] = 0.82
    worse["metrics"]["splits"]["dev"]["overall"]["key_fact_coverage"] = 0.99  # dev does not count
    assert [f.metric for f in gate(worse, path)] == ["key_fact_coverage"]


def test_propose_gate_command(tmp_path, capsys):
    from eval.cli import run_eval

    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "results.json").write_text(json.dumps(results()), "utf-8")
    assert run_eval(None, parse("--propose-gate", str(folder))) == 0
    assert 'key_fact_coverage = { value = 0.83, from = "test"' in capsys.readouterr().out
    target = tmp_path / "g.toml"
    assert run_eval(None, parse("--propose-gate", str(folder), "--write", "--gate-file", str(target))) == 0
    assert read_gate(target)["min"]["key_fact_coverage"] == 0.83


def test_release_record_and_changes_since(tmp_path):
    run = results()
    path = write_release(run, tmp_path / "release.json")
    release = load_release(path)
    assert release["questions"]["q3"] == {"split": "test", "pass": False, "failed": ["x"]}
    assert release["metrics"]["test"]["retrieval.recall@5"] == 0.9323
    assert load_release(tmp_path / "none.json") is None
    now = copy.deepcopy(run)
    now["questions"] = [
        question("q1", "dev", ["completeness: a"]),
        question("q3", "test", []),
        question("q4", "dev", ["faithfulness: z", "key_fact_coverage: b"]),
        question("q5", "dev", []),
    ]
    now["metrics"]["splits"]["test"]["overall"]["key_fact_coverage"] = 0.8
    d = diff(release, now)
    assert [r["id"] for r in d["regressed"]] == ["q1", "q4"]
    assert d["regressed"][1]["failed"] == ["key_fact_coverage"]  # what it fails on now that it did not then
    assert d["fixed"] == [{"id": "q3", "split": "test"}] and d["new"] == ["q5"] and d["gone"] == ["q2"]
    assert d["metrics"]["test"]["key_fact_coverage"] == (0.8372, 0.8)
    assert record_of(run) == record_of(copy.deepcopy(run))  # a plain function of the run
