"""Tables of the toolkit's artifacts (targets, timeline, roles, the implementation map) as
rows, and their export to CSV and XLSX (openpyxl). Every row carries the clause label and
the exact quote it comes from."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from .types import ImplementationMap, Milestone, Target, Task

Sheet = tuple[list[str], Sequence[Sequence[object]]]  # header, rows

KIND_VI = {
    "percent": "tỉ lệ",
    "rank": "xếp hạng",
    "count": "số lượng",
    "money": "tiền",
    "index": "chỉ số",
    "milestone": "mốc",
    "deadline": "thời hạn",
    "phase": "giai đoạn",
    "recurring": "định kỳ",
}


def target_sheet(targets: list[Target]) -> Sheet:
    head = [
        "Chỉ tiêu",
        "Giá trị",
        "Đơn vị",
        "Loại",
        "Năm mục tiêu",
        "Văn bản",
        "Điều khoản",
        "Nhãn trích dẫn",
        "Câu trích",
    ]
    rows = [
        [
            t.indicator,
            t.value,
            t.unit,
            KIND_VI.get(t.kind, t.kind),
            t.year or "",
            t.cite.doc_short,
            t.cite.clause,
            t.cite.label,
            t.cite.quote,
        ]
        for t in targets
    ]
    return head, rows


def timeline_sheet(milestones: list[Milestone]) -> Sheet:
    head = ["Thời điểm", "Loại", "Định kỳ", "Nội dung", "Văn bản", "Điều khoản", "Nhãn trích dẫn", "Câu trích"]
    rows = [
        [
            m.when,
            KIND_VI.get(m.kind, m.kind),
            m.recurring,
            m.text,
            m.cite.doc_short,
            m.cite.clause,
            m.cite.label,
            m.cite.quote,
        ]
        for m in milestones
    ]
    return head, rows


def task_sheet(tasks: list[Task], body: str = "") -> Sheet:
    head = [
        "Nhiệm vụ",
        "Chủ trì / thực hiện",
        "Phối hợp",
        "Nhận báo cáo",
        "Thời hạn",
        "Văn bản",
        "Điều khoản",
        "Nhãn trích dẫn",
        "Giao tại",
    ]
    if body:
        head.insert(1, f"Vai trò của {body}")
    rows = []
    for t in tasks:
        row = [
            t.text,
            "; ".join(t.lead) + (" (giao chung)" if t.general else ""),
            "; ".join(t.coordinate),
            "; ".join(t.report_to),
            t.deadline,
            t.cite.doc_short,
            t.cite.clause,
            t.cite.label,
            f"{t.assigned_by.label}: {t.assigned_by.quote}" if t.assigned_by else "",
        ]
        if body:
            row.insert(1, t.role_of(body) or "thực hiện (giao chung)")
        rows.append(row)
    return head, rows


def map_sheets(m: ImplementationMap) -> dict[str, Sheet]:
    links = [
        "Nhóm nhiệm vụ",
        "Nội dung",
        "Kế hoạch",
        "Điều khoản kế hoạch",
        "Nội dung kế hoạch",
        "Điểm",
        "Bằng chứng",
        "Nhãn trích dẫn",
        "Câu trích",
    ]
    link_rows, item_rows, gap_rows = [], [], []
    for g in m.groups:
        for link in g.links:
            evidence = "; ".join(f"{e.kind}: {e.detail}" for e in link.evidence)
            link_rows.append(
                [
                    f"{m.source} {g.clause}",
                    g.heading,
                    link.plan_doc,
                    link.plan_clause,
                    link.plan_heading,
                    round(link.score, 3),
                    evidence,
                    link.cite.label,
                    link.cite.quote,
                ]
            )
            for item in link.items:
                item_rows.append(
                    [
                        f"{m.source} {item.item}",
                        link.plan_doc,
                        item.plan_clause,
                        round(item.score, 3),
                        ", ".join(item.shared),
                        item.cite.label,
                        item.cite.quote,
                    ]
                )
        for c in g.uncovered:
            gap_rows.append([f"{m.source} {c.clause}", "nhiệm vụ chưa có kế hoạch nào thực hiện", c.label, c.quote])
        for plan in g.missing_plans:
            gap_rows.append(
                [f"{m.source} {g.clause}", f"{plan} không có nhiệm vụ cho nhóm này", g.cite.label, g.cite.quote]
            )
    return {
        "Bản đồ": (links, link_rows),
        "Nhiệm vụ": (
            ["Nhiệm vụ", "Kế hoạch", "Điều khoản kế hoạch", "Điểm", "Từ ngữ chung", "Nhãn trích dẫn", "Câu trích"],
            item_rows,
        ),
        "Khoảng trống": (["Điều khoản", "Khoảng trống", "Nhãn trích dẫn", "Câu trích"], gap_rows),
    }


def write_csv(sheet: Sheet) -> bytes:
    """CSV with a byte-order mark so that Excel opens the Vietnamese text as UTF-8."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(sheet[0])
    writer.writerows(sheet[1])
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(sheets: dict[str, Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, (head, rows) in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.append(head)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for col in ws.columns:
            width = min(60, max(10, *(len(str(c.value or "")) for c in col[:50])))
            ws.column_dimensions[col[0].column_letter].width = width
            for c in col[1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_md(sheet: Sheet, title: str) -> str:
    head, rows = sheet
    esc = lambda v: str(v).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = [f"# {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def save_table(path: Path, sheets: dict[str, Sheet], title: str) -> None:
    """Write the sheets to path, in the format its extension names (.csv: the first sheet)."""
    from .errors import unsupported

    ext = path.suffix.lower()
    first = next(iter(sheets.values()))
    if ext == ".csv":
        path.write_bytes(write_csv(first))
    elif ext == ".xlsx":
        path.write_bytes(write_xlsx(sheets))
    elif ext == ".md":
        path.write_text(
            "\n".join(write_md(s, f"{title} — {n}" if len(sheets) > 1 else title) for n, s in sheets.items()), "utf-8"
        )
    else:
        raise unsupported(path, (".csv", ".xlsx", ".md"))
