"""`troly eval`: the evaluation from the command line (hooked into assistant/cli.py).

Exit codes: 0 done (and, with --gate, every threshold met), 3 a threshold of
eval/gate.toml missed (each named on stderr), 2 bad input, 1 internal error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import QUESTIONS, load_questions

GATE_FAILED = 3


def add_eval_parser(subparsers) -> argparse.ArgumentParser:
    """Register the `eval` subcommand on the subparsers of the `troly` parser."""
    from .feedback_cases import CASES
    from .gate import GATE

    p = subparsers.add_parser(
        "eval", help="đánh giá chất lượng câu trả lời trên bộ câu hỏi và viết báo cáo",
        description="Chạy bộ câu hỏi đánh giá qua đúng API mà giao diện dùng, tính các chỉ số và viết báo cáo "
                    "(report.md, report.html, results.json) vào eval/reports/<ngày-giờ>/.")
    p.add_argument("--retrieval", action="store_true", help="chỉ đo truy xuất: recall@1/@5/@10 và MRR, chung và theo loại")
    p.add_argument("--out", type=Path, metavar="DIR", help="thư mục báo cáo (mặc định eval/reports/<ngày-giờ>)")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("RUN_A", "RUN_B"),
                   help="so sánh hai lần chạy (thư mục báo cáo hoặc results.json), từng câu hỏi")
    p.add_argument("--gate", action="store_true",
                   help=f"thoát với mã {GATE_FAILED} và nêu từng chỉ số dưới ngưỡng của eval/gate.toml")
    p.add_argument("--gate-file", type=Path, default=GATE, metavar="TOML", help="tệp ngưỡng (mặc định eval/gate.toml)")
    p.add_argument("--questions", type=Path, default=QUESTIONS, metavar="FILE",
                   help="bộ câu hỏi JSONL (mặc định eval/questions.jsonl)")
    p.add_argument("--split", choices=["dev", "test", "all"], default="all",
                   help="phần của bộ câu hỏi: dev (được dùng để tinh chỉnh), test (đóng băng) hoặc all (mặc định)")
    p.add_argument("--limit", type=int, metavar="N", help="chỉ chạy N câu hỏi đầu")
    p.add_argument("--from-feedback", type=Path, metavar="FILE.jsonl",
                   help="biến phản hồi xuất từ giao diện thành câu hỏi đánh giá mới")
    p.add_argument("--cases", type=Path, default=CASES, metavar="FILE",
                   help="tệp nhận câu hỏi từ phản hồi (mặc định eval/feedback_cases.jsonl)")
    p.add_argument("--judge", action="store_true",
                   help="dùng thêm giám khảo LLM qua máy chủ tương thích OpenAI đã cấu hình (OPENAI_BASE_URL, chat_model)")
    p.add_argument("--quiet", action="store_true", help="không hiện tiến trình")
    p.set_defaults(func=run_eval)
    return p


def run_eval(app, args: argparse.Namespace) -> int:
    """Carry out `troly eval` with parsed arguments; return the exit code."""
    if args.compare:
        return _compare(args)
    if args.from_feedback:
        return _from_feedback(args)
    questions = _questions(args)
    if args.retrieval:
        return _retrieval(app, questions)
    return _evaluate(app, args, questions)


def _compare(args) -> int:
    from .runner import compare, format_comparison

    text = format_comparison(compare(*args.compare))
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "compare.md").write_text(text + "\n", "utf-8")
    return 0


def _from_feedback(args) -> int:
    from .feedback_cases import append_cases, read_feedback

    report = append_cases(read_feedback(args.from_feedback), args.cases)
    print(f"Đã thêm {len(report.added)} câu hỏi vào {args.cases}; {len(report.for_review)} câu cần người duyệt "
          f"(đánh dấu \"review\": true — hãy viết bằng chứng chuẩn và ý chính rồi bỏ dấu này); "
          f"bỏ qua {report.duplicates} câu đã có.")
    for line in report.skipped:
        print(f"Bỏ qua {line}", file=sys.stderr)
    return 0


def _questions(args):
    from retrieval.errors import BadInputError

    from .runner import load_cases

    if args.questions == QUESTIONS:
        questions, skipped = load_questions(QUESTIONS), 0
    else:
        questions, skipped = load_cases(args.questions)
    split = getattr(args, "split", "all")
    if split != "all":
        questions = [q for q in questions if q.split == split]
    if skipped:
        print(f"Bỏ qua {skipped} câu còn chờ duyệt trong {args.questions}.", file=sys.stderr)
    if args.limit is not None:
        questions = questions[: max(0, args.limit)]
    if not questions:
        raise BadInputError(f"không có câu hỏi nào để đánh giá trong {args.questions}")
    return questions


def _retrieval(app, questions) -> int:
    from assistant.types import Message

    from .retrieval import KS, evaluate_retrieval

    def condense(question, history):
        return app.condense(question, [Message(m["role"], m["content"]) for m in history])

    report = evaluate_retrieval(lambda q, k: app.search(q, k), condense, app.table, questions)
    cols = [f"recall@{k}" for k in KS] + ["mrr"]
    print(f"{'Loại':<16}" + "".join(f"{c:>11}" for c in cols) + f"{'Số câu':>8}")
    for name, m in [("tất cả", report.metrics())] + list(report.by_type().items()):
        print(f"{name:<16}" + "".join(f"{m.get(c, 0):>11.3f}" for c in cols) + f"{m.get('n', 0):>8}")
    return 0


def _evaluate(app, args, questions) -> int:
    from .judge import OpenAIJudge
    from .report import label
    from .runner import Evaluation, evaluate, write_run

    judge = OpenAIJudge.from_settings(app.settings) if args.judge else None
    progress = None if args.quiet or not sys.stderr.isatty() else _progress
    ev = Evaluation(questions, args.questions, judge=judge, progress=progress, gate_path=args.gate_file)
    results = evaluate(app, ev)
    folder = write_run(results, args.out)
    overall = results["metrics"]["overall"]
    print(f"Đã đánh giá {len(questions)} câu hỏi trong {results['seconds']:.1f} giây; báo cáo: {folder}")
    for name in ("key_fact_coverage", "supported_sentences", "citation_recall", "citation_precision", "faithfulness",
                 "quotes_exact", "abstention_accuracy", "false_refusal_rate", "gold_cited",
                 "supported_sentences_judge", "citation_recall_judge", "citation_precision_judge", "faithfulness_judge"):
        if overall.get(name) is not None:
            print(f"  {label(name):<44} {overall[name]:.3f}")
    print(f"  {'Thời gian p50 / p95 (ms)':<44} {overall['latency_p50_ms'] or 0:.0f} / {overall['latency_p95_ms'] or 0:.0f}")
    if results.get("retrieval"):
        r = results["retrieval"]["overall"]
        print(f"  {'Truy xuất recall@5 / MRR':<44} {r.get('recall@5', 0):.3f} / {r.get('mrr', 0):.3f}")
    if results.get("judge"):
        j = results["judge"]
        print(f"  Giám khảo {j['model']}: {j['calls']} lần gọi, {j['errors']} lỗi")
        for e in j["error_examples"]:
            print(f"Cảnh báo: giám khảo lỗi: {e}", file=sys.stderr)
    if overall["errors"]:
        print(f"Cảnh báo: {overall['errors']} câu hỏi gặp lỗi khi hỏi; xem báo cáo.", file=sys.stderr)
    return _gate(app, results, args, folder) if args.gate else 0


def _gate(app, results, args, folder) -> int:
    from .gate import GATE, gate, record_gate

    failures = gate(results, args.gate_file)
    if args.questions == QUESTIONS and args.limit is None and getattr(args, "split", "all") == "all" and args.gate_file == GATE:
        record_gate(app, results, folder)  # only the full default set vouches for the index
    if not failures:
        print(f"Đạt mọi ngưỡng trong {args.gate_file}.")
        return 0
    print(f"KHÔNG ĐẠT ngưỡng phát hành ({args.gate_file}):", file=sys.stderr)
    for f in failures:
        print(f"  - {f.message()}", file=sys.stderr)
    return GATE_FAILED


def _progress(done: int, total: int) -> None:
    end = "\n" if done == total else "\r"
    print(f"Đang hỏi {done}/{total}…", end=end, file=sys.stderr, flush=True)
