"""report.md and report.html from the results of a run. Both lead with what changed since
the last release run, then the gate (read on the test split), the figures of dev and
test side by side, and the detection table (what the metrics catch on this run's own
answers broken on purpose), so an evaluator knows what a green gate means. Failing
questions are detailed for dev only: the test split is frozen, its questions are
counted, not shown. The HTML is one self-contained file (inline CSS, CSS bars, an
inline SVG histogram); every piece of text from questions, answers or documents is
escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from .dataset import MAIN_METRICS, SPLITS

LABELS = {
    "key_fact_coverage": "Độ phủ ý chính",
    "completeness": "Độ đầy đủ (điều khoản chuẩn được trích)",
    "answer_precision": "Độ chính xác câu trả lời (không thừa)",
    "supported_sentences": "Câu được trích dẫn hỗ trợ",
    "citation_recall": "Độ phủ trích dẫn (ALCE)",
    "citation_precision": "Độ chính xác trích dẫn (ALCE)",
    "faithfulness": "Độ trung thành (RAGAS)",
    "quotes_exact": "Trích dẫn nguyên văn",
    "abstention_accuracy": "Từ chối đúng (không trả lời được)",
    "false_refusal_rate": "Từ chối sai (trả lời được)",
    "gold_cited": "Có trích điều khoản chuẩn",
    "errors": "Số lỗi",
    "latency_p50_ms": "Thời gian p50 (ms)",
    "latency_p95_ms": "Thời gian p95 (ms)",
}
MAIN = list(MAIN_METRICS)
TYPE_COLUMNS = [
    "key_fact_coverage",
    "completeness",
    "citation_recall",
    "faithfulness",
    "answer_precision",
    "abstention_accuracy",
    "false_refusal_rate",
    "latency_p95_ms",
]
SPLIT_NAMES = {"dev": "dev (tinh chỉnh)", "val": "val (chỉ xem số chung)", "test": "test (đóng băng)"}
RETRIEVAL = ["recall@1", "recall@5", "recall@10", "mrr"]


def label(name: str) -> str:
    base = name.removesuffix("_judge")
    text = LABELS.get(base, base)
    return text + " — giám khảo LLM" if name.endswith("_judge") else text


def _metric_names(overall: dict[str, Any]) -> list[str]:
    names = [m for m in MAIN if m in overall]
    names += [f"{m}_judge" for m in MAIN if f"{m}_judge" in overall]
    return names


def _num(v: Any, ms: bool = False) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "có" if v else "không"
    if ms:
        return f"{v:.0f}"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


# -- Markdown ---------------------------------------------------------------------------
def _columns(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(heading, overall metrics) for dev, test and all questions."""
    splits = results["metrics"].get("splits") or {}
    cols = [(SPLIT_NAMES[s], splits[s]["overall"]) for s in SPLITS if s in splits]
    return cols + [("tất cả", results["metrics"]["overall"])]


def _retrieval_columns(results: dict[str, Any]) -> list[dict[str, Any]]:
    r = results.get("retrieval") or {}
    splits = results["metrics"].get("splits") or {}
    return [((r.get("splits") or {}).get(s) or {}).get("overall") or {} for s in SPLITS if s in splits] + [
        r.get("overall") or {}
    ]


def render_markdown(results: dict[str, Any]) -> str:
    """The report as Markdown: changes since release, gate, dev/test figures, detection
    table, types, retrieval, judge, failures."""
    cfg, overall = results["config"], results["metrics"]["overall"]
    mode = " · **chấm từ tệp** " + _md(cfg.get("answers_file", "")) if cfg.get("mode") == "score" else ""
    mutated = f" · **câu trả lời bị làm hỏng có chủ ý: {_md(cfg['mutated'])}**" if cfg.get("mutated") else ""
    out = [
        f"# Báo cáo đánh giá — {results['created']}",
        "",
        f"Bộ câu hỏi: {_md(cfg.get('questions_file', ''))} ({cfg['questions']} câu) · embedder `{cfg['embedder']}` · "
        f"generator `{cfg['generator']}` · giám khảo: {cfg['judge']} · "
        f"chỉ mục `{cfg.get('index_generation', '')}` · {results.get('seconds', 0):.1f} giây{mode}{mutated}",
        "",
    ]
    out += _md_since(results)
    out += _md_gate(results)
    cols = _columns(results)
    out += [
        "## Chỉ số chung: dev và test",
        "",
        "| Chỉ số | " + " | ".join(h for h, _ in cols) + " | Số mẫu (tất cả) |",
        "|---|" + "---:|" * (len(cols) + 1),
    ]
    for name in _metric_names(overall) + ["errors", "latency_p50_ms", "latency_p95_ms"]:
        cells = " | ".join(_num(m.get(name), name.endswith("_ms")) for _, m in cols)
        out.append(f"| {label(name)} | {cells} | {overall.get('n_' + name, '')} |")
    if results.get("retrieval"):
        rc = _retrieval_columns(results)
        for k in ("recall@5", "mrr"):
            out.append(f"| Truy xuất {k} | " + " | ".join(_num(m.get(k)) for m in rc) + f" | {rc[-1].get('n', '')} |")
    out += _md_detection(results)
    out += [
        "",
        "## Theo loại câu hỏi (tất cả)",
        "",
        "| Loại | Số câu | " + " | ".join(label(c) for c in TYPE_COLUMNS) + " |",
        "|---|---:|" + "---:|" * len(TYPE_COLUMNS),
    ]
    for t, m in results["metrics"]["by_type"].items():
        type_cells = [_num(m.get(c), c.endswith("_ms")) for c in TYPE_COLUMNS]
        out.append(f"| {_md(t)} | {m['questions']} | " + " | ".join(type_cells) + " |")
    if results.get("retrieval"):
        out += [
            "",
            "## Truy xuất",
            "",
            "| Loại | " + " | ".join(RETRIEVAL) + " | Số câu |",
            "|---|" + "---:|" * (len(RETRIEVAL) + 1),
        ]
        rows = (
            [("tất cả", results["retrieval"]["overall"])]
            + [(SPLIT_NAMES[s], v["overall"]) for s, v in (results["retrieval"].get("splits") or {}).items()]
            + list(results["retrieval"]["by_type"].items())
        )
        for t, m in rows:
            out.append(f"| {_md(t)} | " + " | ".join(_num(m.get(k)) for k in RETRIEVAL) + f" | {m.get('n', '')} |")
    if results.get("judge"):
        j = results["judge"]
        out += [
            "",
            "## Giám khảo LLM",
            "",
            f"Mô hình `{j['model']}`, {j['calls']} lần gọi, {j['errors']} lỗi, "
            f"đồng thuận với giám khảo ngoại tuyến (từng câu khẳng định): {_num(j.get('agreement'))}.",
        ]
        out += [f"- {e}" for e in j.get("error_examples", [])]
    failed = [q for q in results["questions"] if q["failures"]]
    shown = [q for q in failed if q.get("split") not in ("test", "val")]
    hidden = len(failed) - len(shown)
    out += ["", f"## Câu chưa đạt ({len(failed)})", ""]
    if hidden:
        out += [
            f"{hidden} câu của phần test và val chưa đạt; chi tiết không hiện ở đây (phần test đóng băng, "
            "không dùng để tinh chỉnh; chúng nằm trong results.json).",
            "",
        ]
    for q in shown:
        out.append(f"### {q['id']} · {q['type']} · {_md(q['question'])}")
        out += [f"- {_md(f)}" for f in q["failures"]]
        out.append(f"- **Trả lời:** {_md(q['answer'][:600])}")
        for c in q["citations"][:5]:
            out.append(f"- [{c['marker']}] {_md(c['label'])}: «{_md(c['quote'][:300])}»")
        for g in q["gold"]:
            out.append(
                f"- **Bằng chứng chuẩn** ({_md(', '.join(g['clauses']) or g['doc'])}): «{_md(g['evidence'][:300])}»"
            )
        out.append("")
    return "\n".join(out) + "\n"


def _delta(name: str, a: Any, b: Any) -> str:
    from .runner import LOWER_IS_BETTER

    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return ""
    d = b - a
    better = (d < 0) if name in LOWER_IS_BETTER else (d > 0)
    return f"{d:+.3f} ({'tốt hơn' if better else 'kém hơn'})"


def _md_since(results: dict[str, Any]) -> list[str]:
    s = results.get("since_release")
    if not s:
        return [
            "## Thay đổi so với mốc phát hành",
            "",
            "Chưa có mốc phát hành (eval/release.json); ghi mốc bằng `troly eval --release` sau một lần chạy đủ.",
            "",
        ]
    out = [f"## Thay đổi so với mốc phát hành ({_md(s['release'])})", ""]
    rows = [(split, name, a, b) for split, m in s["metrics"].items() for name, (a, b) in m.items()]
    if rows:
        out += ["| Phần | Chỉ số | Mốc | Lần này | Chênh |", "|---|---|---:|---:|---|"]
        out += [
            f"| {split} | {_md(name)} | {_num(a)} | {_num(b)} | {_delta(name, a, b)} |" for split, name, a, b in rows
        ]
    else:
        out.append("Các chỉ số chính không đổi.")
    reg = s["regressed"]
    out += [
        "",
        f"**Câu kém đi: {len(reg)}**"
        + (": " + ", ".join(f"{r['id']} ({r['split']}: {', '.join(r['failed'])})" for r in reg) if reg else ""),
        f"Câu tốt lên: {len(s['fixed'])}"
        + (": " + ", ".join(f"{r['id']} ({r['split']})" for r in s["fixed"]) if s["fixed"] else ""),
        f"Câu mới: {len(s['new'])} · câu đã bỏ: {len(s['gone'])}",
        "",
    ]
    return out


def _md_detection(results: dict[str, Any]) -> list[str]:
    from .detection import COLUMNS

    d = results.get("detection")
    if not d:
        return []
    cap = f" (tối đa {d['cap']} câu mỗi kiểu)" if d.get("cap") else ""
    out = [
        "",
        "## Bảng phát hiện: câu trả lời của lần chạy này bị làm hỏng có chủ ý",
        "",
        f"Mỗi kiểu làm hỏng một câu khẳng định của câu trả lời thật{cap}; một chỉ số *bắt được* khi chấm câu trả lời "
        f"hỏng thấp hơn câu nguyên vẹn. Mục tiêu: ≥ {d['targets']['min_caught']:.0%} mỗi kiểu bị độ trung thành hoặc "
        f"trích dẫn bắt (bỏ một mục danh sách: bị độ đầy đủ hoặc ý chính bắt), ≤ {d['targets']['max_false_alarms']:.0%} "
        "báo động nhầm.",
        "",
        "| Kiểu làm hỏng | Số câu | "
        + " | ".join(label(c) for c in COLUMNS)
        + " | Trung thành hoặc trích dẫn | Bất kỳ |",
        "|---|---:|" + "---:|" * (len(COLUMNS) + 2),
    ]
    for row in d["kinds"].values():
        n = row["cases"]
        cells = " | ".join(_pct(row["caught"][c], n) for c in COLUMNS)
        out.append(f"| {_md(row['label'])} | {n} | {cells} | **{_pct(row['support'], n)}** | {_pct(row['any'], n)} |")
    c = d["control"]
    out.append(
        f"| nguyên vẹn (đối chứng): báo động nhầm | {c['answers']} | | | | | | | **{_pct(c['false_alarms'], c['answers'])}** | |"
    )
    for row in d["kinds"].values():
        for m in row["missed"]:
            out.append(f"- lọt ({_md(row['label'])}): {m['id']}: {_md(m['what'])}")
    for e in c["examples"]:
        out.append(f"- báo động nhầm: {e['id']}: {_md(e['why'][:200])}")
    return out


def _pct(k: int, n: int) -> str:
    return f"{k}/{n} ({k / n:.0%})" if n else "—"


def _md(text: str) -> str:
    """One line of Markdown-safe text (no raw HTML, no table breaks)."""
    return escape(" ".join(str(text).split())).replace("|", "\\|")


def _md_gate(results: dict[str, Any]) -> list[str]:
    g = results.get("gate")
    if not g:
        return []
    split = g.get("split", "all")
    head = "## Ngưỡng phát hành: ĐẠT" if g["passed"] else "## Ngưỡng phát hành: KHÔNG ĐẠT"
    rows = [
        f"Đọc trên phần **{split}**; nguồn của từng ngưỡng: test = số đo phần test, target = mục tiêu, "
        "fixed = cố định.",
        "",
        "| Chỉ số | Giá trị | Ngưỡng | Nguồn | Mục tiêu |",
        "|---|---:|---:|---|---:|",
    ]
    prov = g["thresholds"].get("provenance", {})
    for kind in ("min", "max"):
        for name, t in g["thresholds"][kind].items():
            v = _gate_value(results, name, None if split == "all" else split)
            target = g["thresholds"]["targets"].get(name, "")
            src = prov.get(name, {}).get("from", "")
            rows.append(
                f"| {_md(name)} | {_num(v, name.endswith('_ms'))} | {'≥' if kind == 'min' else '≤'} {t} | "
                f"{_md(src)} | {target} |"
            )
    return [head, ""] + rows + [""]


def _gate_value(results: dict[str, Any], name: str, split: str | None = None) -> Any:
    from .gate import metric_value

    return metric_value(results, name, split)


# -- HTML -------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2733;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #dde3ea;padding:4px 8px;font-size:13px;vertical-align:top}
th{background:#f3f6f9;text-align:left}td.num{text-align:right;white-space:nowrap}
.bar{position:relative;min-width:120px}.bar span{position:absolute;left:0;top:0;bottom:0;background:#cfe3f7;z-index:0}
.bar b{position:relative;z-index:1;font-weight:normal}.bar.low span{background:#f6cfcf}
.ok{color:#17663a;font-weight:bold}.ko{color:#a11919;font-weight:bold}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:6px 0 18px}
.grid>div{background:#f8fafc;border:1px solid #e3e8ee;border-radius:6px;padding:8px;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
.grid h4{margin:0 0 4px;font-size:12px;color:#4b5a6b;white-space:normal}
details{margin:4px 0}summary{cursor:pointer}.why{color:#a11919;font-size:13px;margin:4px 0}
.muted{color:#6b7a8b;font-size:12px}
"""


def _bar(value: Any, lower_better: bool = False, scale: float = 1.0, ms: bool = False) -> str:
    if value is None:
        return '<td class="num">—</td>'
    width = max(0.0, min(1.0, float(value) / scale)) * 100
    low = (value > 0.05 * scale) if lower_better else (value < 0.9 * scale)
    cls = "bar low" if low and not ms else "bar"
    return f'<td class="num {cls}"><span style="width:{width:.1f}%"></span><b>{escape(_num(value, ms))}</b></td>'


def render_html(results: dict[str, Any]) -> str:
    """The report as one self-contained HTML page."""
    from .runner import LOWER_IS_BETTER

    cfg, overall = results["config"], results["metrics"]["overall"]
    parts = [
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo cáo đánh giá '
        f"{escape(results['created'])}</title><style>{CSS}</style></head><body>",
        f"<h1>Báo cáo đánh giá — {escape(results['created'])}</h1>",
        "<table>"
        + "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in cfg.items() if k != "documents")
        + "</table>",
    ]
    parts.append(_html_since(results))
    parts.append(_html_gate(results))
    cols = _columns(results)
    parts.append(
        "<h2>Chỉ số chung: dev và test</h2><table><tr><th>Chỉ số</th>"
        + "".join(f"<th>{escape(h)}</th>" for h, _ in cols)
        + "<th>Số mẫu</th></tr>"
    )
    for name in _metric_names(overall):
        parts.append(
            f"<tr><td>{escape(label(name))}</td>"
            + "".join(_bar(m.get(name), name in LOWER_IS_BETTER) for _, m in cols)
            + f'<td class="num">{overall.get("n_" + name, "")}</td></tr>'
        )
    parts.append(
        f"<tr><td>{escape(label('errors'))}</td>"
        + "".join(f'<td class="num">{m.get("errors", "")}</td>' for _, m in cols)
        + "<td></td></tr></table>"
    )
    parts.append(_html_detection(results))
    parts.append(_html_types(results, LOWER_IS_BETTER))
    parts.append(_html_retrieval(results))
    parts.append(_html_latency(results))
    parts.append(_html_judge(results))
    parts.append(_html_failures(results))
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_gate(results: dict[str, Any]) -> str:
    g = results.get("gate")
    if not g:
        return ""
    split = g.get("split", "all")
    status = '<span class="ok">ĐẠT</span>' if g["passed"] else '<span class="ko">KHÔNG ĐẠT</span>'
    prov = g["thresholds"].get("provenance", {})
    rows = []
    for kind in ("min", "max"):
        for name, t in g["thresholds"][kind].items():
            v = _gate_value(results, name, None if split == "all" else split)
            bad = v is None or (v < t if kind == "min" else v > t)
            mark = '<span class="ko">✗</span>' if bad else '<span class="ok">✓</span>'
            src = prov.get(name, {})
            rows.append(
                f'<tr><td>{mark} {escape(name)}</td><td class="num">{escape(_num(v, name.endswith("_ms")))}</td>'
                f'<td class="num">{"≥" if kind == "min" else "≤"} {escape(str(t))}</td>'
                f"<td>{escape(str(src.get('from', '')))}</td>"
                f'<td class="num">{escape(str(src.get("dev", "")))} / {escape(str(src.get("test", "")))}</td>'
                f'<td class="num">{escape(str(g["thresholds"]["targets"].get(name, "")))}</td></tr>'
            )
    return (
        f'<h2>Ngưỡng phát hành: {status}</h2><p class="muted">{escape(g["file"])} · đọc trên phần '
        f"{escape(split)}</p><table><tr><th>Chỉ số</th><th>Giá trị</th><th>Ngưỡng</th><th>Nguồn</th>"
        f"<th>Lúc đặt: dev / test</th><th>Mục tiêu</th></tr>{''.join(rows)}</table>"
    )


def _html_since(results: dict[str, Any]) -> str:
    s = results.get("since_release")
    if not s:
        return (
            '<h2>Thay đổi so với mốc phát hành</h2><p class="muted">Chưa có mốc phát hành (eval/release.json); '
            "ghi mốc bằng <code>troly eval --release</code> sau một lần chạy đủ.</p>"
        )
    rows = "".join(
        f'<tr><td>{escape(split)}</td><td>{escape(name)}</td><td class="num">{escape(_num(a))}</td>'
        f'<td class="num">{escape(_num(b))}</td><td>{escape(_delta(name, a, b))}</td></tr>'
        for split, m in s["metrics"].items()
        for name, (a, b) in m.items()
    )
    table = (
        f"<table><tr><th>Phần</th><th>Chỉ số</th><th>Mốc</th><th>Lần này</th><th>Chênh</th></tr>{rows}</table>"
        if rows
        else "<p>Các chỉ số chính không đổi.</p>"
    )
    reg = ", ".join(
        f"{escape(r['id'])} ({escape(r['split'])}: {escape(', '.join(r['failed']))})" for r in s["regressed"]
    )
    fixed = ", ".join(f"{escape(r['id'])} ({escape(r['split'])})" for r in s["fixed"])
    return (
        f"<h2>Thay đổi so với mốc phát hành ({escape(s['release'])})</h2>{table}"
        f'<p class="{"ko" if s["regressed"] else "ok"}">Câu kém đi: {len(s["regressed"])}{": " + reg if reg else ""}</p>'
        f"<p>Câu tốt lên: {len(s['fixed'])}{': ' + fixed if fixed else ''} · câu mới: {len(s['new'])} · "
        f"câu đã bỏ: {len(s['gone'])}</p>"
    )


def _html_detection(results: dict[str, Any]) -> str:
    from .detection import COLUMNS

    d = results.get("detection")
    if not d:
        return ""
    head = "".join(f"<th>{escape(label(c))}</th>" for c in COLUMNS)
    rows = []
    for row in d["kinds"].values():
        n = row["cases"]
        cells = "".join(f'<td class="num">{escape(_pct(row["caught"][c], n))}</td>' for c in COLUMNS)
        rate = row["any_rate"] if row["coverage_kind"] else row["support_rate"]
        cls = "ok" if rate is not None and rate >= d["targets"]["min_caught"] else "ko"
        rows.append(
            f'<tr><td>{escape(row["label"])}</td><td class="num">{n}</td>{cells}'
            f'<td class="num {cls}">{escape(_pct(row["support"], n))}</td>'
            f'<td class="num">{escape(_pct(row["any"], n))}</td></tr>'
        )
    c = d["control"]
    cls = "ok" if (c["rate"] or 0) <= d["targets"]["max_false_alarms"] else "ko"
    rows.append(
        f'<tr><td>nguyên vẹn (đối chứng): báo động nhầm</td><td class="num">{c["answers"]}</td>'
        f'{"<td></td>" * len(COLUMNS)}<td class="num {cls}">{escape(_pct(c["false_alarms"], c["answers"]))}</td>'
        "<td></td></tr>"
    )
    return (
        "<h2>Bảng phát hiện: câu trả lời của lần chạy này bị làm hỏng có chủ ý</h2>"
        f'<p class="muted">Một chỉ số bắt được khi chấm câu hỏng thấp hơn câu nguyên vẹn. Mục tiêu ≥ '
        f"{d['targets']['min_caught']:.0%} mỗi kiểu bị độ trung thành hoặc trích dẫn bắt (bỏ một mục danh sách: độ đầy "
        f"đủ hoặc ý chính), ≤ {d['targets']['max_false_alarms']:.0%} báo động nhầm.</p>"
        f"<table><tr><th>Kiểu làm hỏng</th><th>Số câu</th>{head}<th>Trung thành hoặc trích dẫn</th><th>Bất kỳ</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _html_types(results: dict[str, Any], lower: set[str]) -> str:
    head = "".join(f"<th>{escape(label(c))}</th>" for c in TYPE_COLUMNS)
    rows = []
    p95 = [m.get("latency_p95_ms") or 0 for m in results["metrics"]["by_type"].values()]
    for t, m in results["metrics"]["by_type"].items():
        cells = "".join(
            _bar(m.get(c), c in lower, scale=(max(p95) or 1.0) if c.endswith("_ms") else 1.0, ms=c.endswith("_ms"))
            for c in TYPE_COLUMNS
        )
        rows.append(f'<tr><td>{escape(t)}</td><td class="num">{m["questions"]}</td>{cells}</tr>')
    return f"<h2>Theo loại câu hỏi</h2><table><tr><th>Loại</th><th>Số câu</th>{head}</tr>{''.join(rows)}</table>"


def _html_retrieval(results: dict[str, Any]) -> str:
    r = results.get("retrieval")
    if not r:
        return ""
    rows = (
        [("tất cả", r["overall"])]
        + [(SPLIT_NAMES.get(s, s), v["overall"]) for s, v in (r.get("splits") or {}).items()]
        + list(r["by_type"].items())
    )
    body = "".join(
        f"<tr><td>{escape(t)}</td>"
        + "".join(_bar(m.get(k)) for k in RETRIEVAL)
        + f'<td class="num">{m.get("n", "")}</td></tr>'
        for t, m in rows
    )
    head = "".join(f"<th>{escape(k)}</th>" for k in RETRIEVAL)
    return f"<h2>Truy xuất</h2><table><tr><th>Loại</th>{head}<th>Số câu</th></tr>{body}</table>"


def _html_latency(results: dict[str, Any], bins: int = 20) -> str:
    ms = results.get("latency_ms") or []
    overall = results["metrics"]["overall"]
    if not ms:
        return ""
    hi = max(ms) or 1.0
    counts = [0] * bins
    for v in ms:
        counts[min(bins - 1, int(v / hi * bins))] += 1
    w, h, pad = 640, 180, 30
    bw = (w - 2 * pad) / bins
    top = max(counts)
    bars = "".join(
        f'<rect x="{pad + i * bw:.1f}" y="{h - pad - c / top * (h - 2 * pad):.1f}" width="{bw - 2:.1f}" '
        f'height="{c / top * (h - 2 * pad):.1f}" fill="#6fa8dc"><title>{i * hi / bins:.0f}–{(i + 1) * hi / bins:.0f} ms: '
        f"{c} câu</title></rect>"
        for i, c in enumerate(counts)
    )
    lines = ""
    for key, color in (("latency_p50_ms", "#17663a"), ("latency_p95_ms", "#a11919")):
        v = overall.get(key)
        if v is not None:
            x = pad + v / hi * (w - 2 * pad)
            lines += (
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad - 10}" y2="{h - pad}" stroke="{color}" stroke-dasharray="4"/>'
                f'<text x="{x + 3:.1f}" y="{pad - 12}" font-size="11" fill="{color}">{key[8:11]} {v:.0f} ms</text>'
            )
    axis = (
        f'<line x1="{pad}" x2="{w - pad}" y1="{h - pad}" y2="{h - pad}" stroke="#333"/>'
        f'<text x="{pad}" y="{h - 8}" font-size="11">0 ms</text>'
        f'<text x="{w - pad}" y="{h - 8}" font-size="11" text-anchor="end">{hi:.0f} ms</text>'
    )
    return (
        f"<h2>Phân bố thời gian trả lời</h2><p>{len(ms)} câu · p50 {_num(overall.get('latency_p50_ms'), True)} ms · "
        f"p95 {_num(overall.get('latency_p95_ms'), True)} ms · lớn nhất {_num(overall.get('latency_max_ms'), True)} ms</p>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
        f'aria-label="Biểu đồ thời gian trả lời">{bars}{lines}{axis}</svg>'
    )


def _html_judge(results: dict[str, Any]) -> str:
    j = results.get("judge")
    if not j:
        return ""
    errs = "".join(f"<li>{escape(e)}</li>" for e in j.get("error_examples", []))
    return (
        f"<h2>Giám khảo LLM</h2><p>Mô hình {escape(j['model'])} · {j['calls']} lần gọi · {j['errors']} lỗi · "
        f"đồng thuận với giám khảo ngoại tuyến: {escape(_num(j.get('agreement')))}</p><ul>{errs}</ul>"
    )


def _html_failures(results: dict[str, Any]) -> str:
    failed = [q for q in results["questions"] if q["failures"]]
    shown = [q for q in failed if q.get("split") not in ("test", "val")]
    items = [f"<h2>Câu chưa đạt ({len(failed)}/{len(results['questions'])})</h2>"]
    if len(failed) > len(shown):
        items.append(
            f'<p class="muted">{len(failed) - len(shown)} câu của phần test và val chưa đạt; chi tiết không hiện '
            "(phần test đóng băng, không dùng để tinh chỉnh; chúng nằm trong results.json).</p>"
        )
    for q in shown:
        history = "".join(f'<div class="muted">{escape(m["role"])}: {escape(m["content"])}</div>' for m in q["history"])
        standalone = (
            f'<div class="muted">Câu hỏi độc lập: {escape(q["standalone_question"])}</div>'
            if q["standalone_question"] and q["standalone_question"] != q["question"]
            else ""
        )
        cits = (
            "\n".join(
                f"[{c['marker']}] {escape(c['label'])}{' ✓ chuẩn' if c.get('gold') else ''}\n«{escape(c['quote'])}»"
                for c in q["citations"]
            )
            or "—"
        )
        gold = "\n".join(f"{escape(', '.join(g['clauses']) or g['doc'])}\n«{escape(g['evidence'])}»" for g in q["gold"])
        facts = (
            escape(", ".join(q["key_facts"]))
            if q["key_facts"]
            else ("—" if q["answerable"] else "câu không trả lời được")
        )
        why = "".join(f'<div class="why">• {escape(f)}</div>' for f in q["failures"])
        items.append(
            f"<details><summary><b>{escape(q['id'])}</b> · {escape(q['type'])} · {escape(q['question'])}</summary>{why}"
            f'<div class="grid"><div><h4>Câu hỏi</h4>{history}{escape(q["question"])}{standalone}</div>'
            f"<div><h4>Câu trả lời</h4>{escape(q['answer']) or '—'}</div>"
            f"<div><h4>Trích dẫn</h4>{cits}</div>"
            f"<div><h4>Bằng chứng chuẩn · ý chính: {facts}</h4>{gold or '—'}</div></div></details>"
        )
    return "\n".join(items)
