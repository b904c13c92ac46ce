"""`troly eval`: the evaluation from the command line (hooked into assistant/cli.py).

Exit codes: 0 done (and, with --gate, every threshold met), 3 a threshold of
eval/gate.toml missed (each named on stderr), 2 bad input, 1 internal error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import MAIN_METRICS, SPLITS, load_questions

GATE_FAILED = 3


def add_eval_parser(subparsers) -> argparse.ArgumentParser:
    """Register the `eval` subcommand on the subparsers of the `troly` parser."""
    from .mutations import KINDS

    p = subparsers.add_parser(
        "eval",
        help="đánh giá chất lượng câu trả lời trên bộ câu hỏi và viết báo cáo",
        description="Chạy bộ câu hỏi đánh giá qua đúng API mà giao diện dùng, tính các chỉ số và viết báo cáo "
        "(report.md, report.html, results.json) vào eval/reports/<ngày-giờ>/.",
    )
    p.add_argument(
        "--retrieval", action="store_true", help="chỉ đo truy xuất: recall@1/@5/@10 và MRR, chung và theo loại"
    )
    p.add_argument("--out", type=Path, metavar="DIR", help="thư mục báo cáo (mặc định eval/reports/<ngày-giờ>)")
    p.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("RUN_A", "RUN_B"),
        help="so sánh hai lần chạy (thư mục báo cáo hoặc results.json), từng câu hỏi",
    )
    p.add_argument(
        "--gate",
        action="store_true",
        help=f"thoát với mã {GATE_FAILED} và nêu từng chỉ số dưới ngưỡng của eval/gate.toml",
    )
    p.add_argument("--gate-file", type=Path, metavar="TOML", help="tệp ngưỡng (mặc định eval/gate.toml)")
    p.add_argument("--questions", type=Path, metavar="FILE", help="bộ câu hỏi JSONL (mặc định eval/questions.jsonl)")
    p.add_argument(
        "--split",
        choices=["dev", "val", "test", "all"],
        default="all",
        help="phần của bộ câu hỏi: dev (được dùng để tinh chỉnh), test (đóng băng) hoặc all (mặc định)",
    )
    p.add_argument("--limit", type=int, metavar="N", help="chỉ chạy N câu hỏi đầu")
    p.add_argument(
        "--from-feedback",
        type=Path,
        metavar="FILE.jsonl",
        help="biến phản hồi xuất từ giao diện thành câu hỏi đánh giá mới",
    )
    p.add_argument(
        "--cases", type=Path, metavar="FILE", help="tệp nhận câu hỏi từ phản hồi (mặc định eval/feedback_cases.jsonl)"
    )
    p.add_argument(
        "--judge",
        action="store_true",
        help="dùng thêm giám khảo LLM qua máy chủ tương thích OpenAI đã cấu hình (OPENAI_BASE_URL, chat_model)",
    )
    p.add_argument(
        "--score",
        type=Path,
        metavar="ANSWERS.jsonl",
        help="chấm các câu trả lời tạo ở nơi khác: mỗi dòng một đối tượng như `troly ask --json` in ra "
        '(có thể kèm "id" của câu hỏi trong bộ để chấm theo bằng chứng chuẩn); không cần chỉ mục',
    )
    p.add_argument(
        "--mutate",
        choices=KINDS,
        metavar="KIỂU",
        help="làm hỏng câu trả lời theo một kiểu trước khi chấm, để thử ngưỡng phát hành: " + ", ".join(KINDS),
    )
    p.add_argument(
        "--release",
        action="store_true",
        help="ghi lần chạy đủ này làm mốc phát hành (eval/release.json) để các báo cáo sau so sánh",
    )
    p.add_argument(
        "--propose-gate",
        type=Path,
        metavar="RUN",
        help="đề xuất ngưỡng từ một lần chạy (thư mục báo cáo hoặc results.json), ghi rõ nguồn từng ngưỡng",
    )
    p.add_argument("--write", action="store_true", help="với --propose-gate: ghi đè tệp ngưỡng (--gate-file)")
    p.add_argument("--no-detection", action="store_true", help="không tính bảng phát hiện câu trả lời bị làm hỏng")
    p.add_argument("--quiet", action="store_true", help="không hiện tiến trình")
    p.set_defaults(func=run_eval)
    return p


def run_eval(app, args: argparse.Namespace) -> int:
    """Carry out `troly eval` with parsed arguments; return the exit code."""
    _fill_defaults(app, args)
    if args.compare:
        return _compare(args)
    if args.from_feedback:
        return _from_feedback(args)
    if getattr(args, "propose_gate", None):
        return _propose(args)
    if getattr(args, "score", None):
        return _score(args)
    questions = _questions(args)
    if args.retrieval:
        return _retrieval(app, questions)
    return _evaluate(app, args, questions)


def _fill_defaults(app, args: argparse.Namespace) -> None:
    """The files not named on the command line, from Settings (TROLY_QUESTIONS_PATH, …)."""
    from assistant.settings import load_settings

    settings = app.settings if app is not None else load_settings()
    args.defaults = settings
    args.questions = args.questions or settings.questions
    args.gate_file = args.gate_file or settings.gate_file
    args.cases = args.cases or settings.questions.with_name("feedback_cases.jsonl")


def _propose(args) -> int:
    from .runner import load_run
    from .thresholds import propose, render

    results = load_run(args.propose_gate)
    text = render(propose(results), results)
    if args.write:
        args.gate_file.write_text(text, "utf-8")
        print(f"Đã ghi ngưỡng đề xuất vào {args.gate_file} (từ lần chạy {results.get('created', '')}).")
    else:
        print(text, end="")
    return 0


def _score(args) -> int:
    from .answers import read_answers
    from .runner import Evaluation, score_answers, write_run

    questions, _ = _all_questions(args)
    lines = read_answers(args.score, questions)
    ev = Evaluation(
        questions,
        args.questions,
        judge=_judge(None, args),
        gate_path=args.gate_file,
        detection=not args.no_detection,
        mutate=args.mutate,
        release=_release_path(args),
    )
    results = score_answers(lines, ev, args.score)
    folder = write_run(results, args.out, args.defaults.reports)
    matched = results["config"]["matched_questions"]
    print(
        f"Đã chấm {len(lines)} câu trả lời từ {args.score} ({matched} câu khớp câu hỏi trong bộ) trong "
        f"{results['seconds']:.1f} giây; báo cáo: {folder}"
    )
    _print_summary(results)
    return _gate_result(results, args) if args.gate else 0


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
    print(
        f"Đã thêm {len(report.added)} câu hỏi vào {args.cases}; {len(report.for_review)} câu cần người duyệt "
        f'(đánh dấu "review": true — hãy viết bằng chứng chuẩn và ý chính rồi bỏ dấu này); '
        f"bỏ qua {report.duplicates} câu đã có."
    )
    for line in report.skipped:
        print(f"Bỏ qua {line}", file=sys.stderr)
    return 0


def _all_questions(args):
    from .runner import load_cases

    if args.questions == args.defaults.questions:
        return load_questions(args.questions), 0
    return load_cases(args.questions)


def _release_path(args):
    release = args.defaults.release_file
    return release if args.questions == args.defaults.questions and release.exists() else None


def _judge(app, args):
    from .judge import OpenAIJudge

    if not args.judge:
        return None
    return OpenAIJudge.from_settings(args.defaults)


def _questions(args):
    from assistant.errors import BadInputError

    questions, skipped = _all_questions(args)
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
    from .release import write_release
    from .runner import Evaluation, evaluate, write_run

    progress = None if args.quiet or not sys.stderr.isatty() else _progress
    ev = Evaluation(
        questions,
        args.questions,
        judge=_judge(app, args),
        progress=progress,
        gate_path=args.gate_file,
        detection=not args.no_detection,
        mutate=args.mutate,
        release=_release_path(args),
    )
    results = evaluate(app, ev)
    folder = write_run(results, args.out, args.defaults.reports)
    print(f"Đã đánh giá {len(questions)} câu hỏi trong {results['seconds']:.1f} giây; báo cáo: {folder}")
    _print_summary(results)
    full = _full_default(args)
    if args.release:
        if not full or args.mutate:
            print(
                "Không ghi mốc phát hành: chỉ lần chạy đủ bộ câu hỏi mặc định, không làm hỏng câu trả lời, "
                "mới được làm mốc.",
                file=sys.stderr,
            )
        else:
            print(f"Đã ghi mốc phát hành: {write_release(results, args.defaults.release_file)}")
    if not args.gate:
        return 0
    if full and not args.mutate:
        from .gate import record_gate

        record_gate(app, results, folder)  # only the full default set vouches for the index
    return _gate_result(results, args)


def _full_default(args) -> bool:
    s = args.defaults
    return (
        args.questions == s.questions
        and args.limit is None
        and getattr(args, "split", "all") == "all"
        and args.gate_file == s.gate_file
    )


# The figures printed after a run, dev and test side by side.
SUMMARY = (
    *MAIN_METRICS,
    "supported_sentences_judge",
    "citation_recall_judge",
    "citation_precision_judge",
    "faithfulness_judge",
)


def _print_summary(results) -> None:
    from .report import label

    metrics = results["metrics"]
    splits = metrics.get("splits") or {}
    cols = [s for s in SPLITS if s in splits]
    heads = [(s, splits[s]["overall"]) for s in cols] + [("tất cả", metrics["overall"])]
    print(f"  {'':<44}" + "".join(f"{h:>9}" for h, _ in heads))
    for name in SUMMARY:
        if metrics["overall"].get(name) is None:
            continue
        cells = "".join(f"{m[name]:>9.3f}" if m.get(name) is not None else f"{'—':>9}" for _, m in heads)
        print(f"  {label(name):<44}{cells}")
    print(
        f"  {'Thời gian p50 / p95 (ms)':<44}"
        + "".join(f"{(m.get('latency_p50_ms') or 0):>4.0f}/{(m.get('latency_p95_ms') or 0):<4.0f}" for _, m in heads)
    )
    if results.get("retrieval"):
        r = results["retrieval"]
        rs = [(r.get("splits") or {}).get(s, {}).get("overall", {}) for s in cols] + [r["overall"]]
        print(f"  {'Truy xuất recall@5':<44}" + "".join(f"{x.get('recall@5', 0):>9.3f}" for x in rs))
    det = results.get("detection")
    if det:
        from .detection import passed

        kinds = [k for k, row in det["kinds"].items() if row["cases"] and not row["coverage_kind"]]
        low = min((det["kinds"][k]["support_rate"] for k in kinds), default=None)
        alarm = det["control"]["rate"]
        print(
            f"  {'Phát hiện câu bị làm hỏng (loại thấp nhất)':<44}{(low if low is not None else 0):>9.3f}"
            f"   báo động nhầm {(alarm or 0):.3f}"
        )
        for miss in passed(det):
            print(f"Cảnh báo: bảng phát hiện chưa đạt mục tiêu: {miss}", file=sys.stderr)
    since = results.get("since_release")
    if since:
        reg = since["regressed"]
        print(f"  So với mốc phát hành {since['release']}: {len(reg)} câu kém đi, {len(since['fixed'])} câu tốt lên")
    if results.get("judge"):
        j = results["judge"]
        agreement = f"{j['agreement']:.3f}" if j.get("agreement") is not None else "—"
        print(
            f"  Giám khảo {j['model']}: {j['calls']} lần gọi, {j['errors']} lỗi, đồng thuận với giám khảo ngoại tuyến "
            f"(từng câu khẳng định) {agreement}"
        )
        for e in j["error_examples"]:
            print(f"Cảnh báo: giám khảo lỗi: {e}", file=sys.stderr)
    if metrics["overall"]["errors"]:
        print(f"Cảnh báo: {metrics['overall']['errors']} câu hỏi gặp lỗi khi hỏi; xem báo cáo.", file=sys.stderr)


def _gate_result(results, args) -> int:
    from .gate import gate

    failures, split = gate(results, args.gate_file, with_split=True)
    where = "phần test" if split == "test" else ("phần dev" if split == "dev" else "mọi câu hỏi")
    if not failures:
        print(f"Đạt mọi ngưỡng trong {args.gate_file} (đọc trên {where}).")
        return 0
    print(f"KHÔNG ĐẠT ngưỡng phát hành ({args.gate_file}, đọc trên {where}):", file=sys.stderr)
    for f in failures:
        print(f"  - {f.message()}", file=sys.stderr)
    return GATE_FAILED


def _progress(done: int, total: int) -> None:
    end = "\n" if done == total else "\r"
    print(f"Đang hỏi {done}/{total}…", end=end, file=sys.stderr, flush=True)
