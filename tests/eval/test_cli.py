"""`troly eval` through its argparse subcommand, as assistant/cli.py will hook it."""

from __future__ import annotations

import argparse
import json

import pytest

from eval.cli import GATE_FAILED, add_eval_parser, run_eval
from retrieval.errors import BadInputError
from tests.eval.test_feedback_cases import DOWN, UP, write_jsonl


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="troly")
    sub = parser.add_subparsers(dest="command", required=True)
    add_eval_parser(sub)
    return parser.parse_args(["eval", *argv])


def test_eval_writes_report_and_gate_names_failing_metrics(corpus_app, tmp_path, capsys):
    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\nkey_fact_coverage = 1.01\nquotes_exact = 1.0\n[max]\nerrors = 0\n", "utf-8")
    args = parse("--limit", "4", "--out", str(tmp_path / "run"), "--gate", "--gate-file", str(strict))
    assert args.func is run_eval
    assert run_eval(corpus_app, args) == GATE_FAILED
    out, err = capsys.readouterr()
    assert "Đã đánh giá 4 câu hỏi" in out and "Độ phủ ý chính" in out
    assert "KHÔNG ĐẠT" in err and "key_fact_coverage" in err and "quotes_exact" not in err
    assert (tmp_path / "run" / "report.html").exists()
    assert not (corpus_app.settings.index / "gate.json").exists()  # a subset never vouches for the index
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("[min]\nquotes_exact = 1.0\n", "utf-8")
    assert (
        run_eval(
            corpus_app, parse("--limit", "2", "--out", str(tmp_path / "run2"), "--gate", "--gate-file", str(lenient))
        )
        == 0
    )
    assert "Đạt mọi ngưỡng" in capsys.readouterr().out
    assert run_eval(corpus_app, parse("--compare", str(tmp_path / "run"), str(tmp_path / "run2"))) == 0
    assert "So sánh lần chạy" in capsys.readouterr().out


def test_retrieval_only(corpus_app, capsys):
    assert run_eval(corpus_app, parse("--retrieval", "--limit", "12")) == 0
    out = capsys.readouterr().out
    assert "recall@1" in out and "recall@5" in out and "mrr" in out and "tất cả" in out and "fact" in out


def test_from_feedback(tmp_path, capsys):
    feedback = write_jsonl(tmp_path / "fb.jsonl", [UP, DOWN])
    cases = tmp_path / "cases.jsonl"
    assert run_eval(None, parse("--from-feedback", str(feedback), "--cases", str(cases))) == 0
    assert "Đã thêm 2 câu hỏi" in capsys.readouterr().out
    assert [json.loads(line)["review"] for line in cases.read_text("utf-8").splitlines()] == [False, True]


def test_questions_file_and_bad_input(corpus_app, tmp_path, capsys):
    cases = tmp_path / "cases.jsonl"
    write_jsonl(
        cases,
        [
            {
                "id": "x1",
                "type": "fact",
                "question": "Quy mô kinh tế số đến năm 2030 đạt bao nhiêu?",
                "key_facts": ["30% GDP"],
                "review": False,
            },
            {"id": "x2", "type": "feedback", "question": "?", "review": True},
        ],
    )
    assert run_eval(corpus_app, parse("--questions", str(cases), "--out", str(tmp_path / "r"))) == 0
    assert "Bỏ qua 1 câu còn chờ duyệt" in capsys.readouterr().err
    with pytest.raises(BadInputError, match="không tìm thấy tệp câu hỏi"):
        run_eval(corpus_app, parse("--questions", str(tmp_path / "none.jsonl")))
    with pytest.raises(BadInputError, match="không tìm thấy kết quả"):
        run_eval(corpus_app, parse("--compare", str(tmp_path / "a"), str(tmp_path / "b")))


def test_judge_option(corpus_app, tmp_path, capsys):
    from assistant.api import Assistant
    from tests.eval.test_judge import honest_handler
    from tests.support.fake_openai import FakeOpenAI

    with FakeOpenAI(chat_handler=honest_handler) as server:
        app = Assistant(
            corpus_app.settings.model_copy(
                update={"openai_base_url": server.base_url, "max_retries": 0, "chat_model": "judge-x"}
            )
        )
        assert run_eval(app, parse("--judge", "--limit", "2", "--out", str(tmp_path / "j"))) == 0
        out = capsys.readouterr().out
        assert "giám khảo LLM" in out and "Giám khảo judge-x" in out
        server.fail("500", times=None)
        assert run_eval(app, parse("--judge", "--limit", "2", "--out", str(tmp_path / "k"))) == 0
        assert "giám khảo lỗi" in capsys.readouterr().err
    report = json.loads((tmp_path / "k" / "results.json").read_text("utf-8"))
    assert report["judge"]["errors"] > 0
