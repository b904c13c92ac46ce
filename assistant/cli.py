"""The `troly` command line: a thin shell over assistant.api.

Sub-commands of other packages plug in through entry points, so the assistant never imports
them: ``[project.entry-points."troly.commands"]`` names a function that adds parsers to the
sub-parsers (eval registers `troly eval` this way), and ``"troly.ui_checks"`` a function
``check(app) -> (ok, message)`` that `troly ui` runs before it opens (the evaluation gate).

Exit codes: 0 done (answered or abstained), 2 bad input (one clear line on stderr),
1 internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from retrieval.errors import BadInputError, TrolyError
from retrieval.tokens import use_offline_cache

from .api import Assistant, check_text
from .batch import read_batch
from .settings import load_settings
from .types import Answer, Context, Message, authority_label

COMMANDS_GROUP = "troly.commands"
UI_CHECKS_GROUP = "troly.ui_checks"


def plugins(group: str) -> list[Callable[..., Any]]:
    """The functions registered under an entry-point group, by name."""
    from importlib.metadata import entry_points  # scans every installed package: only when needed

    return [ep.load() for ep in sorted(entry_points(group=group), key=lambda ep: ep.name)]


def _err(message: str) -> None:
    print(f"Lỗi: {message}", file=sys.stderr)


def _note(message: str) -> None:
    print(f"Lưu ý: {message}", file=sys.stderr, flush=True)


def cmd_ingest(app: Assistant, args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    proposals, unreadable = app.propose_entries(paths)  # files the catalog does not list yet
    for proposal in proposals:
        print(proposal.describe())
    if args.catalog_only:
        for proposal in proposals:
            print("\n" + proposal.toml())
        for _, message in unreadable:
            _err(message)
        return 2 if unreadable else 0
    if args.replace:  # issue 15: a replaced document keeps its entry; say what its new header reads
        for doc, proposal, diffs in app.review_replacements(paths):
            print(
                f"Thay tệp {doc.file} của {doc.short}: giữ mục danh mục '{doc.id}'"
                + ("." if not diffs else f"; phần đầu bản mới đọc khác (sửa {app.settings.catalog} nếu cần):")
            )
            for name, kept, read in diffs:
                print(f"  - {name}: {read} (danh mục: {kept or '(trống)'})")
    report = app.ingest_new(
        paths,
        proposals,
        rebuild=args.rebuild,
        progress=not args.quiet,
        force=args.force,
        replace=args.replace,
        on_wait=_note,
    )
    written = [p for p in proposals if p.entry.id in {*report.added, *report.updated}]
    if written:
        print(f"Đã ghi {len(written)} mục mới vào {app.settings.catalog}; hãy kiểm tra các trường đoán ở trên.")
    for path, message in report.errors:
        _err(message)
    for message in report.notices:
        _note(message)
    if report.kept:
        names = [doc.short if (doc := app.catalog.by_id(d)) else d for d in report.kept]
        _note(
            f"giữ nguyên bản đã lập chỉ mục trước của {len(names)} văn bản không nạp được bản mới: " + ", ".join(names)
        )
    if report.changed:
        print(
            f"Đã lập chỉ mục {report.chunks} đoạn trong {report.seconds:.1f} giây: "
            f"thêm {len(report.added)}, cập nhật {len(report.updated)}, gỡ {len(report.removed)}, "
            f"giữ nguyên {len(report.unchanged)} văn bản."
        )
    else:
        print(f"Chỉ mục đã cập nhật ({report.chunks} đoạn); không có gì thay đổi.")
    return 2 if report.errors else 0


def cmd_remove(app: Assistant, args: argparse.Namespace) -> int:
    """Take one document out of the index and the catalog (issue 15); the others keep their ids."""
    done = app.remove(args.doc, progress=not args.quiet, on_wait=_note)
    report = done.report
    for path, message in report.errors:
        _err(message)
    where = (
        f"; tệp nguồn chuyển vào {done.aside} (chép lại vào thư mục nguồn rồi `troly ingest` để nạp lại)"
        if done.aside
        else ""
    )
    print(f"Đã gỡ {done.doc.short} ({done.doc.id}) khỏi chỉ mục và danh mục{where}.")
    if done.dependents:
        _note(
            f"{', '.join(d.short for d in done.dependents)} ghi là thực hiện hoặc căn cứ {done.doc.short} "
            "(trường implements); mục của chúng giữ nguyên"
        )
    print(f"Chỉ mục còn {report.chunks} đoạn.")
    return 2 if report.errors else 0


def cmd_docs(app: Assistant, args: argparse.Namespace) -> int:
    stats = app.documents()
    if args.json:
        print(
            json.dumps(
                [s.as_dict() for s in stats],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    print(f"{'Mã':<9} {'Số hiệu':<24} {'Loại nguồn':<11} {'Số đoạn':>7}  Tiêu đề")
    for s in stats:
        title = s.doc.title if len(s.doc.title) <= 90 else s.doc.title[:89] + "…"
        print(f"{s.doc.id:<9} {s.doc.short:<24} {authority_label(s.doc.authority):<11} {s.chunks:>7}  {title}")
    return 0


def cmd_show(app: Assistant, args: argparse.Namespace) -> int:
    if not args.path:
        doc = app.document(args.doc)
        print(doc.title)
        for c in app.table.of_document(doc.id):
            if c.part <= 1:
                depth = c.path.count(".")
                print(f"{'  ' * depth}{c.path:<14} {c.text.splitlines()[0][:90]}")
        return 0
    view = app.show(args.doc, args.path)
    if view.breadcrumb:
        print(" › ".join(view.breadcrumb))
    print(f"[{view.chunks[0].label}]")
    print()
    last_end = None
    for c in view.chunks:
        if last_end is not None and c.start > last_end:
            print()
        print(c.text)
        last_end = c.end
    return 0


def _print_answer(answer: Answer) -> None:
    print(answer.answer)
    if answer.notice and answer.notice not in answer.answer:
        print(f"\n({answer.notice})")
    if answer.citations:
        print("\nNguồn:")
        for c in answer.citations:
            print(f"[{c.marker}] {c.label} — {authority_label(c.authority)}")
            print(f"    “{c.quote}”")


def cmd_ask(app: Assistant, args: argparse.Namespace) -> int:
    if args.batch:
        return _ask_batch(app, args)
    if not args.question:
        raise BadInputError('thiếu câu hỏi; ví dụ: troly ask "Mục tiêu đến năm 2030 của Nghị quyết 57 là gì?"')
    question = " ".join(args.question)
    if args.json:
        answer = app.ask(question, doc=args.doc)
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return 0
    answer = app.ask(question, doc=args.doc)
    _print_answer(answer)
    return 0


def _ask_batch(app: Assistant, args: argparse.Namespace) -> int:
    requests = read_batch(Path(args.batch))  # every line checked before the first answer
    for question, history in requests:  # the index is loaded once, on the first question
        answer = app.ask(question, history, doc=args.doc)
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
    return 0


def cmd_search(app: Assistant, args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    hits = app.search(query, args.k, args.doc)
    if args.json:
        print(json.dumps({"results": [Context.from_hit(h).to_json() for h in hits]}, ensure_ascii=False))
        return 0
    for n, hit in enumerate(hits, 1):
        c = hit.chunk
        first = c.text.splitlines()[0]
        print(f"{n:>2}. [{c.label}] ({authority_label(c.authority)}, điểm {hit.score:.3f})")
        print(f"    {first[:200]}")
    return 0


def cmd_chat(app: Assistant, args: argparse.Namespace) -> int:
    print("Trợ lý Nghị quyết — hỏi về Nghị quyết 57-NQ/TW và các văn bản triển khai.")
    print("Gõ câu hỏi rồi Enter; 'mới' để bắt đầu cuộc trò chuyện mới; 'thoát' hoặc Ctrl-D để ra.\n")
    history: list[Message] = []
    while True:
        try:
            question = input("Bạn: ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            continue
        if question.lower() in ("thoát", "thoat", "exit", "quit"):
            return 0
        if question.lower() in ("mới", "moi", "new"):
            history = []
            print("(Đã bắt đầu cuộc trò chuyện mới)\n")
            continue
        print("Trợ lý: ", end="", flush=True)
        try:
            answer = app.ask(question, history, doc=args.doc, on_text=lambda t: print(t, end="", flush=True))
        except BadInputError as exc:
            _err(str(exc))
            continue
        if answer.notice:  # what was streamed was replaced: show the checked answer
            print("\n" + answer.answer)
        if answer.citations:
            print("Nguồn:")
            for c in answer.citations:
                print(f"  [{c.marker}] {c.label}: “{c.quote[:160]}{'…' if len(c.quote) > 160 else ''}”")
        if answer.standalone_question != question:
            print(f"  (hiểu câu hỏi là: {answer.standalone_question})")
        print()
        history += [Message("user", question), Message("assistant", answer.answer)]


def cmd_ui(app: Assistant, args: argparse.Namespace) -> int:
    """Start the Streamlit app, refusing an index that has not passed the evaluation gate."""
    from .settings import PROJECT_ROOT

    env = dict(os.environ)
    for check in plugins(UI_CHECKS_GROUP):  # the evaluation gate (eval.gate.gate_status)
        ok, message = check(app)
        if ok:
            print(message)
            continue
        if not args.skip_gate:
            _err(message + "; hoặc chạy với --bo-qua-gate (không khuyến nghị)")
            return 3
        print(f"CẢNH BÁO: {message}. Đang mở trợ lý dù chưa qua ngưỡng đánh giá (--bo-qua-gate).", file=sys.stderr)
        env["TROLY_GATE_OVERRIDDEN"] = message
    print(f"Mở trợ lý tại http://localhost:{args.port}")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "streamlit_app.py"),
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    from .server.signin import streamlit_args  # issue 16: the OIDC provider, when sign-in is on

    cmd += streamlit_args(app.settings)
    # issue 16: one BLAS thread; the sessions answer side by side, and OpenBLAS splitting each
    # small dense product over two threads waits for a free core (see assistant/server/app.py)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.execvpe(cmd[0], cmd, env)
    return 0  # not reached


def cmd_feedback(app: Assistant, args: argparse.Namespace) -> int:
    """Export users' feedback as JSONL (turn it into evaluation cases with `troly eval --from-feedback`)."""
    from .feedback import FeedbackStore

    store = FeedbackStore(app.settings.database)
    text = store.export_jsonl()
    if args.out:
        Path(args.out).write_text(text, "utf-8")
        print(f"Đã ghi {len(text.splitlines())} phản hồi vào {args.out}")
    else:
        print(text, end="")
    return 0


# -- troly serve (issue 16) ----------------------------------------------------------
def cmd_serve(app: Assistant, args: argparse.Namespace) -> int:
    """The OpenAI-compatible HTTP API (assistant/server); builds the index first when missing."""
    from retrieval.errors import BackendUnavailableError, IndexMissingError

    try:
        from .server.run import serve
    except ImportError as exc:
        raise BadInputError(f"thiếu gói cho máy chủ API ({exc.name}); hãy cài: pip install -e '.[server]'") from None
    try:
        _ = app.table
    except IndexMissingError:
        print("Chưa có chỉ mục; đang lập chỉ mục…", file=sys.stderr)
        app.ingest(progress=False)
    except BackendUnavailableError as exc:  # Chroma server mode: ready once the server answers
        print(
            f"Cảnh báo: {exc}. Máy chủ API vẫn khởi động; /readyz báo sẵn sàng khi máy chủ Chroma trả lời.",
            file=sys.stderr,
        )
    app.close()  # the server reads the index through an Assistant of its own
    serve(app.settings, args.host, args.port, args.workers)
    return 0


# the sub-commands build_parser() adds itself; a command line naming one of them needs neither
# the studio's parsers nor the entry points' (issue 13: a cold `troly ask` / `troly docs`)
CORE_COMMANDS = frozenset({"ingest", "remove", "docs", "show", "search", "ask", "chat", "ui", "feedback", "serve"})


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `troly` parser; for one of CORE_COMMANDS, without the studio's and the plugins'
    sub-commands (what that command parses is the same)."""
    parser = argparse.ArgumentParser(prog="troly", description="Trợ lý Nghị quyết: hỏi đáp có trích dẫn điều khoản.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="nạp văn bản trong data/sources (và các tệp chỉ ra) vào chỉ mục")
    p.add_argument("paths", nargs="*", help="tệp bổ sung (.md .txt .pdf .docx .html), sẽ được chép vào data/sources")
    p.add_argument("--rebuild", action="store_true", help="tạo lại toàn bộ chỉ mục")
    p.add_argument(
        "--force",
        action="store_true",
        help="nhận cả bản mới trông như bị hỏng (co lại quá nhiều, mất cấu trúc) và cho phép gỡ hết văn bản",
    )
    p.add_argument(
        "--replace", action="store_true", help="cho tệp bổ sung ghi đè tệp cùng tên đã có trong thư mục nguồn"
    )
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.add_argument(
        "--catalog-only",
        action="store_true",
        help="chỉ đọc phần đầu các tệp mới và in mục danh mục đề xuất; không ghi, không lập chỉ mục",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="gỡ một văn bản khỏi chỉ mục và danh mục (tệp nguồn chuyển vào data/removed)")
    p.add_argument("doc", help="mã hoặc số hiệu văn bản, ví dụ kh12 hoặc 12/KH-UBND")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("docs", help="liệt kê văn bản đã nạp")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("show", help="in một điều khoản, ví dụ: troly show 57-NQ/TW III.2")
    p.add_argument("doc", help="số hiệu hoặc mã văn bản, ví dụ 57-NQ/TW")
    p.add_argument("path", nargs="?", help="đường dẫn điều khoản, ví dụ III.2.a; bỏ trống để xem mục lục")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="tìm các điều khoản liên quan")
    p.add_argument("query", nargs="+")
    p.add_argument("-k", type=int, default=8, help="số kết quả (mặc định 8)")
    p.add_argument("--doc", help="chỉ tìm trong một văn bản, ví dụ 57-NQ/TW")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="hỏi một câu, trả lời kèm trích dẫn")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true", help="in một đối tượng JSON theo hợp đồng trong DESIGN.md")
    p.add_argument("--batch", metavar="FILE.jsonl", help='mỗi dòng {"question": ..., "history": [...]}')
    p.add_argument("--doc", help="chỉ dùng một văn bản, ví dụ 57-NQ/TW")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="trò chuyện trong cửa sổ dòng lệnh (có lịch sử, trả lời dần)")
    p.add_argument("--doc", help="chỉ dùng một văn bản")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("ui", help="mở giao diện web (Streamlit) tại http://localhost:8501")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument(
        "--address", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 trong container)"
    )
    p.add_argument(
        "--bo-qua-gate",
        dest="skip_gate",
        action="store_true",
        help="mở dù chỉ mục chưa qua ngưỡng đánh giá (hiện cảnh báo)",
    )
    p.set_defaults(func=cmd_ui)

    p = sub.add_parser("feedback", help="xuất phản hồi của người dùng (JSONL) để tạo câu hỏi đánh giá")
    p.add_argument("--out", help="tệp .jsonl (mặc định in ra màn hình)")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("serve", help="máy chủ API tương thích OpenAI (/v1/chat/completions, /v1/search, /healthz)")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="cổng (mặc định 8080)")
    p.add_argument("--workers", type=int, default=1, help="số tiến trình (mỗi tiến trình một bản chỉ mục)")
    p.set_defaults(func=cmd_serve)

    if command in CORE_COMMANDS:
        return parser
    from .studio.cli import add_studio_parsers

    add_studio_parsers(sub)
    for add_parsers in plugins(COMMANDS_GROUP):  # e.g. `troly eval` (eval.cli.add_eval_parser)
        add_parsers(sub)
    return parser


def _command(argv: list[str]) -> str | None:
    """The sub-command a command line names: its first word, when it is not an option."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def main(argv: list[str] | None = None) -> int:
    use_offline_cache()
    argv = sys.argv[1:] if argv is None else argv
    try:
        for arg in argv:  # invalid bytes on the command line arrive as lone surrogates
            check_text(arg, "đối số dòng lệnh")
    except BadInputError as exc:
        _err(str(exc))
        return 2
    parser = build_parser(_command(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return 2 if exc.code else 0
    try:
        app = Assistant(load_settings())
        return args.func(app, args)
    except BadInputError as exc:
        _err(str(exc))
        return 2
    except TrolyError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt:
        _err("đã dừng theo yêu cầu")
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort at the boundary
        _err(f"lỗi nội bộ ({type(exc).__name__}: {exc}); hãy báo lại cho nhóm phát triển")
        return 1


if __name__ == "__main__":
    sys.exit(main())
