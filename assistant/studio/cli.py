"""The trainer commands of `troly`: targets, timeline, outline, quiz, roles, map. Each prints
its artifact with the clause label of every line (or JSON with --json) and, with --out,
writes it to a file whose extension picks the format."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from retrieval.errors import BadInputError

from .outline import task_line

WIDTH = 110


def _short(text: str, limit: int = WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _out(args: argparse.Namespace) -> Path | None:
    if not getattr(args, "out", None):
        return None
    path = Path(args.out)
    if path.parent and not path.parent.exists():
        raise BadInputError(f"thư mục '{path.parent}' không tồn tại; hãy tạo nó hoặc chọn nơi khác để ghi tệp")
    return path


def _saved(path: Path, what: str) -> None:
    print(f"Đã ghi {what} vào {path}")


def _json(items) -> None:
    data = [x.to_json() for x in items] if isinstance(items, list) else items.to_json()
    print(json.dumps(data, ensure_ascii=False, indent=1))


# -- commands --------------------------------------------------------------------------------
def cmd_targets(app, args: argparse.Namespace) -> int:
    from .tables import save_table, target_sheet

    rows = app.studio.targets(args.doc, args.year, args.topic or "")
    path = _out(args)
    if path:
        save_table(path, {"Chỉ tiêu": target_sheet(rows)}, "Chỉ tiêu định lượng")
        _saved(path, f"{len(rows)} chỉ tiêu")
        return 0
    if args.json:
        _json(rows)
        return 0
    for t in rows:
        year = t.year or "—"
        print(f"{year!s:>5}  {_short(t.indicator, 60):<60}  {t.value:<28} [{t.cite.label}]")
    print(f"\n{len(rows)} chỉ tiêu.")
    return 0


def cmd_timeline(app, args: argparse.Namespace) -> int:
    from .tables import save_table, timeline_sheet

    rows = app.studio.timeline(args.doc)
    path = _out(args)
    if path:
        save_table(path, {"Mốc thời gian": timeline_sheet(rows)}, "Mốc thời gian")
        _saved(path, f"{len(rows)} mốc thời gian")
        return 0
    if args.json:
        _json(rows)
        return 0
    for m in rows:
        print(f"{m.when:<26} {_short(m.text, 70):<70} [{m.cite.label}]")
    print(f"\n{len(rows)} mốc thời gian ({sum(m.year is None for m in rows)} định kỳ).")
    return 0


def cmd_outline(app, args: argparse.Namespace) -> int:
    from .docs import outline_md, save_outline

    o = app.studio.outline(" ".join(args.ref))
    if o.notice:
        print(f"({o.notice})", file=sys.stderr)
    elif o.reworded or o.rejected:
        print(
            f"(mô hình biên tập {o.reworded} dòng; {o.rejected} dòng không khớp điều khoản nên giữ nguyên văn)",
            file=sys.stderr,
        )
    path = _out(args)
    if path:
        save_outline(path, o)
        _saved(path, f"đề cương {o.doc_short} {o.clause}")
        return 0
    if args.json:
        _json(o)
        return 0
    print(outline_md(o))
    return 0


def cmd_quiz(app, args: argparse.Namespace) -> int:
    from .docs import quiz_md, save_quiz

    q = app.studio.quiz(" ".join(args.ref), args.n)
    path = _out(args)
    if path:
        save_quiz(path, q)
        _saved(path, f"{len(q.questions)} câu hỏi")
        return 0
    if args.json:
        _json(q)
        return 0
    print(quiz_md(q))
    print(f"({q.candidates} câu ứng viên, {q.rejected} câu bị loại khi kiểm tra)")
    return 0


def cmd_roles(app, args: argparse.Namespace) -> int:
    from .tables import save_table, task_sheet

    named, general = app.studio.roles(args.body)
    body = app.studio.bodies.find(args.body).name if args.body else ""
    path = _out(args)
    if path:
        sheets = {"Nhiệm vụ": task_sheet(named, body)}
        if general:
            sheets["Giao chung"] = task_sheet(general, body)
        save_table(path, sheets, f"Phân công: {body}" if body else "Phân công nhiệm vụ")
        _saved(path, f"{len(named) + len(general)} nhiệm vụ")
        return 0
    if args.json:
        print(
            json.dumps(
                {"body": body, "tasks": [t.to_json() for t in named], "general": [t.to_json() for t in general]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if body:
        print(f"Nhiệm vụ của {body}:\n")
    for t in named:
        role = f"{t.role_of(body)}: " if body else ""
        print(f"- {role}{_short(t.text)}\n    {task_line(t)} [{t.cite.label}]")
    if general:
        print(f"\nNhiệm vụ giao chung cho nhóm cơ quan có {body} ({len(general)}):")
        for t in general[: args.limit]:
            print(f"- {_short(t.text)} [{t.cite.label}]")
        if len(general) > args.limit:
            print(f"  … và {len(general) - args.limit} nhiệm vụ khác (xem --out FILE.xlsx)")
    print(f"\n{len(named)} nhiệm vụ nêu tên" + (f", {len(general)} nhiệm vụ giao chung." if body else "."))
    return 0


def cmd_map(app, args: argparse.Namespace) -> int:
    from .tables import map_sheets, save_table

    m = app.studio.implementation_map(args.source)
    path = _out(args)
    if path:
        save_table(path, map_sheets(m), f"Bản đồ triển khai {m.source}")
        _saved(path, f"bản đồ triển khai {m.source}")
        return 0
    if args.json:
        _json(m)
        return 0
    print(f"Bản đồ triển khai {m.source} — kế hoạch: {', '.join(m.plans)}\n")
    for g in m.groups:
        print(f"{m.source} {g.clause}. {_short(g.heading, 90)}")
        for link in g.links:
            kinds = "+".join(e.kind for e in link.evidence)
            print(f"    {link.score:.2f} {link.plan_doc} {link.plan_clause}: {_short(link.plan_heading, 60)} ({kinds})")
        if g.missing_plans:
            print(f"    chưa có nhiệm vụ trong: {', '.join(g.missing_plans)}")
        for c in g.uncovered:
            print(f"    ! chưa kế hoạch nào thực hiện {c.clause}: {_short(c.quote, 70)}")
    links = sum(len(g.links) for g in m.groups)
    gaps = sum(len(g.uncovered) for g in m.groups)
    print(f"\n{links} liên kết; {gaps} nhiệm vụ chưa có kế hoạch thực hiện.")
    return 0


# -- parsers ---------------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, func: Callable, exts: str) -> None:
    p.add_argument("--out", metavar=f"FILE{exts}", help=f"ghi ra tệp ({exts.replace('|', ', ')})")
    p.add_argument("--json", action="store_true", help="in JSON (mỗi dòng kèm trích dẫn)")
    p.set_defaults(func=func)


def add_studio_parsers(sub) -> None:
    """Register the trainer commands on the `troly` sub-command parser."""
    p = sub.add_parser("targets", help="bảng chỉ tiêu định lượng (tỉ lệ, số lượng, xếp hạng…) kèm trích dẫn")
    p.add_argument("--doc", help="chỉ một văn bản, ví dụ 57-NQ/TW")
    p.add_argument("--year", type=int, help="năm mục tiêu, ví dụ 2030")
    p.add_argument("--topic", help='chủ đề, ví dụ "kinh tế số"')
    _common(p, cmd_targets, ".csv|.xlsx|.md")

    p = sub.add_parser("timeline", help="các mốc thời gian, thời hạn, giai đoạn theo thứ tự")
    p.add_argument("--doc", help="chỉ một văn bản")
    _common(p, cmd_timeline, ".csv|.xlsx|.md")

    p = sub.add_parser("outline", help='đề cương tập huấn của một mục, ví dụ: troly outline "57-NQ/TW III.3"')
    p.add_argument("ref", nargs="+", help="văn bản và điều khoản, ví dụ 57-NQ/TW III.3")
    _common(p, cmd_outline, ".md|.docx|.pptx")

    p = sub.add_parser("quiz", help='câu hỏi trắc nghiệm có đáp án, ví dụ: troly quiz "03/NQ-CP II.1" -n 10')
    p.add_argument("ref", nargs="+", help="văn bản và điều khoản, ví dụ 03/NQ-CP II.1")
    p.add_argument("-n", type=int, default=10, help="số câu hỏi (mặc định 10)")
    _common(p, cmd_quiz, ".gift|.docx|.md")

    p = sub.add_parser("roles", help="ai làm gì: cơ quan chủ trì, phối hợp, thời hạn")
    p.add_argument("--body", help='một cơ quan, ví dụ "Bộ Khoa học và Công nghệ" hoặc "Bộ KH&CN"')
    p.add_argument("--limit", type=int, default=20, help="số nhiệm vụ giao chung in ra (mặc định 20)")
    _common(p, cmd_roles, ".csv|.xlsx|.md")

    p = sub.add_parser("map", help="bản đồ triển khai: nhiệm vụ của nghị quyết và các kế hoạch thực hiện")
    p.add_argument("--source", help="nghị quyết gốc (mặc định: văn bản được nhiều kế hoạch thực hiện nhất)")
    _common(p, cmd_map, ".xlsx|.csv|.md")
