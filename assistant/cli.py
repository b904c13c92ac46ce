"""The `troly` command line: a thin shell over assistant.api.

Exit codes: 0 done (answered or abstained), 2 bad input (one clear line on stderr),
1 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from retrieval.errors import BadInputError, TrolyError
from retrieval.tokens import use_offline_cache

from .api import Assistant
from .settings import Settings

AUTHORITY_VI = {"official": "chính thức", "secondary": "thứ cấp", "commentary": "bình luận"}


def _err(message: str) -> None:
    print(f"Lỗi: {message}", file=sys.stderr)


def cmd_ingest(app: Assistant, args: argparse.Namespace) -> int:
    report = app.ingest([Path(p) for p in args.paths], rebuild=args.rebuild, progress=not args.quiet)
    for path, message in report.errors:
        _err(message)
    if report.changed:
        print(
            f"Đã lập chỉ mục {report.chunks} đoạn trong {report.seconds:.1f} giây: "
            f"thêm {len(report.added)}, cập nhật {len(report.updated)}, gỡ {len(report.removed)}, "
            f"giữ nguyên {len(report.unchanged)} văn bản."
        )
    else:
        print(f"Chỉ mục đã cập nhật ({report.chunks} đoạn); không có gì thay đổi.")
    return 2 if report.errors else 0


def cmd_docs(app: Assistant, args: argparse.Namespace) -> int:
    stats = app.documents()
    if args.json:
        print(json.dumps([{"id": s.doc.id, "short": s.doc.short, "title": s.doc.title, "issuer": s.doc.issuer,
                           "date": s.doc.date, "kind": s.doc.kind, "authority": s.doc.authority,
                           "chunks": s.chunks} for s in stats], ensure_ascii=False, indent=1))
        return 0
    print(f"{'Mã':<9} {'Số hiệu':<24} {'Loại nguồn':<11} {'Số đoạn':>7}  Tiêu đề")
    for s in stats:
        title = s.doc.title if len(s.doc.title) <= 90 else s.doc.title[:89] + "…"
        print(f"{s.doc.id:<9} {s.doc.short:<24} {AUTHORITY_VI.get(s.doc.authority, s.doc.authority):<11} {s.chunks:>7}  {title}")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="troly", description="Trợ lý Nghị quyết: hỏi đáp có trích dẫn điều khoản.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="nạp văn bản trong data/sources (và các tệp chỉ ra) vào chỉ mục")
    p.add_argument("paths", nargs="*", help="tệp bổ sung (.md .txt .pdf .docx .html), sẽ được chép vào data/sources")
    p.add_argument("--rebuild", action="store_true", help="tạo lại toàn bộ chỉ mục")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("docs", help="liệt kê văn bản đã nạp")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("show", help="in một điều khoản, ví dụ: troly show 57-NQ/TW III.2")
    p.add_argument("doc", help="số hiệu hoặc mã văn bản, ví dụ 57-NQ/TW")
    p.add_argument("path", nargs="?", help="đường dẫn điều khoản, ví dụ III.2.a; bỏ trống để xem mục lục")
    p.set_defaults(func=cmd_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    use_offline_cache()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return 2 if exc.code else 0
    try:
        app = Assistant(Settings())
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
