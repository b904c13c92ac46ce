"""`troly eval --score FILE.jsonl` scores answers produced elsewhere from the file alone,
and the gate fails (exit 3) on answers broken on purpose, from a file or from a run."""

from __future__ import annotations

import json

import pytest

from eval.answers import read_answers
from eval.cli import GATE_FAILED, run_eval
from eval.dataset import load_questions
from eval.mutations import mutate
from retrieval.errors import BadInputError
from tests.eval.test_cli import parse

SUPPORT = {"supported_sentences", "citation_recall", "citation_precision", "faithfulness"}


@pytest.fixture(scope="module")
def answers(corpus_app):
    """Real answers, as `troly ask --json` prints them, to a few questions of each split."""
    picked, seen = [], {}
    for q in load_questions():
        key = (q.split, q.answerable)
        if seen.get(key, 0) < 6:
            seen[key] = seen.get(key, 0) + 1
            picked.append(q)
    from assistant.types import Message

    out = []
    for q in picked:
        a = corpus_app.ask(q.question, [Message(**m) for m in q.history])
        out.append((q, a))
    return out


def write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def test_score_good_and_broken_answers(answers, tmp_path, capsys):
    good = [{"id": q.id, **a.to_json()} for q, a in answers]
    broken = []
    for q, a in answers:
        m = mutate(a, "negation", q.id)
        broken.append({"id": q.id, **(m.answer if m else a).to_json()})
    stranger = {k: v for k, v in good[0].items() if k != "id"}  # no id: a question of its own
    good_file = write(tmp_path / "good.jsonl", good + [stranger])
    broken_file = write(tmp_path / "broken.jsonl", broken)

    assert run_eval(None, parse("--score", str(good_file), "--out", str(tmp_path / "g"))) == 0
    out = capsys.readouterr().out
    assert f"Đã chấm {len(good) + 1} câu trả lời" in out and f"{len(good)} câu khớp" in out
    res = json.loads((tmp_path / "g" / "results.json").read_text("utf-8"))
    assert res["config"]["mode"] == "score" and res["retrieval"] is None
    overall = res["metrics"]["overall"]
    assert overall["citation_recall"] == 1.0 and overall["faithfulness"] == 1.0 and overall["quotes_exact"] == 1.0
    assert overall["key_fact_coverage"] is not None and set(res["metrics"]["splits"]) == {"dev", "val", "test"}
    last = res["questions"][-1]
    assert last["split"] == "" and last["scores"]["key_fact_coverage"] is None  # no gold for the stranger
    assert last["scores"]["citation_recall"] == 1.0 and last["scores"]["false_refusal_rate"] is None

    assert run_eval(None, parse("--score", str(broken_file), "--out", str(tmp_path / "b"), "--gate")) == GATE_FAILED
    err = capsys.readouterr().err
    assert "KHÔNG ĐẠT" in err and "phần test" in err and "supported_sentences" in err and "faithfulness" in err
    bad = json.loads((tmp_path / "b" / "results.json").read_text("utf-8"))
    assert bad["metrics"]["overall"]["citation_recall"] < 0.5
    reasons = " ".join(q["reasons"]["citation_recall"] for q in bad["questions"] if q["scores"]["citation_recall"])
    assert "đảo nghĩa" in reasons

    # the same answers unbroken: whatever the committed gate says, not on the support metrics
    run_eval(None, parse("--score", str(good_file), "--out", str(tmp_path / "g2"), "--gate"))
    err = capsys.readouterr().err
    assert not any(f"- {m} " in err for m in SUPPORT), err


def test_score_reads_only_the_contract(tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        [{"question": "q", "answer": "x", "abstained": False, "citations": [], "contexts": [], "extra": 1}],
    )
    (line,) = read_answers(path, load_questions())
    assert line.answer.answer == "x" and not line.matched and line.question.answerable is None
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"answer": "x"}\n{"question": "thiếu câu trả lời"}\n', "utf-8")
    with pytest.raises(BadInputError, match="dòng 2"):
        read_answers(bad, [])
    with pytest.raises(BadInputError, match="không tìm thấy"):
        read_answers(tmp_path / "none.jsonl", [])


def test_gate_fails_on_a_run_whose_answers_were_mutated(corpus_app, tmp_path, capsys):
    args = ("--split", "test", "--limit", "12", "--gate", "--no-detection")
    run_eval(corpus_app, parse(*args, "--out", str(tmp_path / "plain")))
    plain = capsys.readouterr().err
    assert not any(f"- {m} " in plain for m in SUPPORT), plain  # whatever else the gate says
    assert run_eval(corpus_app, parse(*args, "--mutate", "number_nearby", "--out", str(tmp_path / "m"))) == GATE_FAILED
    err = capsys.readouterr().err
    assert "- supported_sentences " in err  # the gate fails on the support metrics
    assert "- citation_recall " in err
    res = json.loads((tmp_path / "m" / "results.json").read_text("utf-8"))
    assert res["config"]["mutated"] == "number_nearby"
    assert not (corpus_app.settings.index / "gate.json").exists()  # a broken run never vouches for the index
