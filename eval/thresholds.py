"""Release thresholds proposed from a run, with where each came from — the one command
the integrator runs when the answers change (`troly eval --propose-gate RUN [--write]`).

Rules (the gate reads the test split; dev is where tuning happens, so the test figure is
the honest one to guard):

* a "higher is better" metric: its test value rounded down to two decimals; when that
  reaches the target, the target (``from = "target"``), leaving room to vary;
* a rate that must stay low: its test value rounded up to two decimals (``from = "test"``),
  or the target when it is within it;
* ``errors`` stays 0 and ``latency_p95_ms`` stays at its fixed ceiling (``from = "fixed"``):
  a shared CI machine's timings say little;
* the detection rows use the issue's targets: ≥ 90% of broken answers caught, ≤ 5% false
  alarms (``from = "target"``).

Each entry records the dev and test values it was measured at and the run.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .gate import metric_value

MIN = (
    "key_fact_coverage",
    "completeness",
    "supported_sentences",
    "citation_recall",
    "citation_precision",
    "faithfulness",
    "answer_precision",
    "quotes_exact",
    "abstention_accuracy",
    "retrieval.recall@5",
    "detection.caught_min",
)
MAX = ("false_refusal_rate", "errors", "latency_p95_ms", "detection.false_alarms")
TARGETS = {
    "key_fact_coverage": 0.85,
    "supported_sentences": 0.95,
    "quotes_exact": 1.0,
    "abstention_accuracy": 0.90,
    "false_refusal_rate": 0.05,
    "latency_p95_ms": 150,
    "detection.caught_min": 0.90,
    "detection.false_alarms": 0.05,
    "faithfulness": 0.95,
    "citation_precision": 0.95,
    "citation_recall": 0.95,
}
FIXED = {"errors": 0, "latency_p95_ms": 1000}
NOTES = {
    "latency_p95_ms": "máy CI dùng chung, thời gian dao động mạnh: chỉ bắt sự chậm đi nhiều lần",
    "errors": "không câu hỏi nào được lỗi",
    "detection.caught_min": "tỉ lệ câu trả lời bị làm hỏng mà độ trung thành/trích dẫn bắt được, loại thấp nhất",
    "detection.false_alarms": "tỉ lệ câu trả lời nguyên vẹn bị giám khảo ngoại tuyến coi là không được hỗ trợ",
}


def _floor(v: float) -> float:
    return math.floor(v * 100 + 1e-9) / 100


def _ceil(v: float) -> float:
    return math.ceil(v * 100 - 1e-9) / 100


def propose(results: dict[str, Any]) -> dict[str, Any]:
    """{"min": {name: entry}, "max": {...}} with entry = {value, from, dev, test, target}."""
    out: dict[str, Any] = {"min": {}, "max": {}, "skipped": []}
    for kind, names in (("min", MIN), ("max", MAX)):
        for name in names:
            dev, test = metric_value(results, name, "dev"), metric_value(results, name, "test")
            target = TARGETS.get(name)
            entry: dict[str, Any] = {}
            if name in FIXED:
                entry = {"value": FIXED[name], "from": "fixed"}
            elif name.startswith("detection.") and target is not None:
                entry = {"value": target, "from": "target"}
            elif test is None:
                out["skipped"].append(name)
                continue
            elif kind == "min":
                value = _floor(test)
                entry = (
                    {"value": target, "from": "target"}
                    if target is not None and value >= target
                    else {"value": value, "from": "test"}
                )
            else:
                value = _ceil(test)
                entry = (
                    {"value": target, "from": "target"}
                    if target is not None and value <= target
                    else {"value": value, "from": "test"}
                )
            entry.update({k: round(v, 4) for k, v in (("dev", dev), ("test", test)) if v is not None})
            if target is not None:
                entry["target"] = target
            if name in NOTES:
                entry["note"] = NOTES[name]
            out[kind][name] = entry
    return out


def _value(v: Any) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) >= 10:
        return str(int(v))
    return repr(v)


def _key(name: str) -> str:
    return name if name.replace("_", "").isalnum() else f'"{name}"'


def render(proposal: dict[str, Any], results: dict[str, Any]) -> str:
    """The gate file (TOML) for a proposal."""
    cfg = results.get("config", {})
    lines = [
        "# Ngưỡng phát hành: `troly eval --gate` thoát với mã 3 và nêu từng chỉ số không đạt.",
        "#",
        "# Gate đọc phần test (đóng băng, không dùng để tinh chỉnh); dev là nơi được tinh chỉnh.",
        "# Mỗi ngưỡng ghi nơi nó đến từ (from): test = số đo phần test làm tròn xuống (chỉ số [max]:",
        "# làm tròn lên), target = mục tiêu đã đạt, fixed = cố định; kèm số đo dev/test lúc đặt.",
        "# Đặt lại sau khi câu trả lời thay đổi: troly eval --propose-gate eval/reports/<lần chạy> --write",
        '# Tên chỉ số như trong results.json; "retrieval.<tên>" đọc bảng truy xuất, "<loại>.<tên>" một loại câu',
        '# hỏi, "detection.<tên>" bảng phát hiện câu trả lời bị làm hỏng.',
        "",
        'split = "test"',
        "",
        "[measured]",
        f"run = {_value(str(results.get('created', '')))}",
        f"embedder = {_value(str(cfg.get('embedder', '')))}",
        f"generator = {_value(str(cfg.get('generator', '')))}",
        f"questions = {_value(int(cfg.get('questions', 0) or 0))}",
        f"questions_sha256 = {_value(str(cfg.get('questions_sha256', '')))}",
    ]
    if cfg.get("abstain_threshold") is not None:
        lines.append(f"abstain_threshold = {_value(float(cfg['abstain_threshold']))}")
    for kind in ("min", "max"):
        lines += ["", f"[{kind}]"]
        for name, entry in proposal[kind].items():
            body = ", ".join(f"{k} = {_value(v)}" for k, v in entry.items())
            lines.append(f"{_key(name)} = {{ {body} }}")
    if proposal.get("skipped"):
        lines += ["", "# Không đo được trong lần chạy này nên không đặt ngưỡng: " + ", ".join(proposal["skipped"])]
    return "\n".join(lines) + "\n"


def write_gate(results: dict[str, Any], path: Path) -> str:
    text = render(propose(results), results)
    path.write_text(text, "utf-8")
    return text
