"""The release gate: thresholds in eval/gate.toml checked against a run's results, and a
stamp beside the index saying whether its live generation passed (for `make run`)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT
from retrieval.errors import BadInputError

GATE = PROJECT_ROOT / "eval" / "gate.toml"


@dataclass
class GateFailure:
    metric: str
    value: float | None
    threshold: float
    kind: str  # "min" | "max"

    def message(self) -> str:
        if self.value is None:
            return f"{self.metric}: không đo được (ngưỡng {_sym(self.kind)} {self.threshold:g})"
        op = "<" if self.kind == "min" else ">"
        return f"{self.metric} = {self.value:.4g} {op} ngưỡng {self.threshold:g}"


def _sym(kind: str) -> str:
    return "≥" if kind == "min" else "≤"


def read_gate(path: Path) -> dict[str, dict[str, float]]:
    """The [min] and [max] tables of a gate file (and [targets] for information)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadInputError(f"không đọc được tệp ngưỡng {path}: {exc}") from exc
    return {k: dict(data.get(k, {})) for k in ("min", "max", "targets")}


def metric_value(results: dict[str, Any], name: str) -> float | None:
    """A metric of the results by name; "retrieval.recall@5" reads the retrieval table,
    "list.key_fact_coverage" the value for one question type."""
    if name.startswith("retrieval."):
        return ((results.get("retrieval") or {}).get("overall") or {}).get(name.removeprefix("retrieval."))
    head, _, rest = name.partition(".")
    if rest and head in results["metrics"]["by_type"]:
        return results["metrics"]["by_type"][head].get(rest)
    return results["metrics"]["overall"].get(name)


def gate(results: dict[str, Any], gate_path: Path = GATE) -> list[GateFailure]:
    """The metrics of results that miss their threshold in gate_path (empty: passed)."""
    thresholds = read_gate(gate_path)
    failures = []
    for kind in ("min", "max"):
        for name, threshold in thresholds[kind].items():
            value = metric_value(results, name)
            if value is None or (value < threshold if kind == "min" else value > threshold):
                failures.append(GateFailure(name, value, float(threshold), kind))
    return failures


STAMP = "gate.json"


def record_gate(app, results: dict[str, Any], report: Path) -> Path:
    """Write <index>/gate.json: whether the live index generation passed the gate,
    with which backends, and where the report is."""
    g = results.get("gate") or {}
    cfg = results["config"]
    stamp = {"index_generation": cfg["index_generation"], "embedder": cfg["embedder"], "generator": cfg["generator"],
             "passed": bool(g.get("passed")), "failures": g.get("failures", []), "report": str(report),
             "created": results["created"]}
    path = app.settings.index / STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, ensure_ascii=False, indent=1), "utf-8")
    return path


def gate_status(app) -> tuple[bool, str]:
    """Whether the live index, with the configured backends, passed `troly eval --gate`;
    the message says why not and how to fix it."""
    path = app.settings.index / STAMP
    if not path.exists():
        return False, "chỉ mục chưa qua ngưỡng đánh giá; hãy chạy `troly eval --gate`"
    try:
        stamp = json.loads(path.read_text("utf-8"))
    except ValueError:
        return False, f"{path} hỏng; hãy chạy lại `troly eval --gate`"
    generator = app.answerer.generator.name
    if stamp.get("index_generation") != app.table.generation.name:
        return False, "chỉ mục đã thay đổi từ lần đánh giá trước; hãy chạy lại `troly eval --gate`"
    if (stamp.get("embedder"), stamp.get("generator")) != (app.embedder.name, generator):
        return False, (f"lần đánh giá trước dùng {stamp.get('embedder')}/{stamp.get('generator')}, cấu hình hiện tại "
                       f"là {app.embedder.name}/{generator}; hãy chạy lại `troly eval --gate`")
    if not stamp.get("passed"):
        names = ", ".join(f["metric"] for f in stamp.get("failures", []))
        return False, f"chỉ mục không đạt ngưỡng đánh giá ({names}); xem {stamp.get('report')}"
    return True, f"chỉ mục đã đạt ngưỡng đánh giá ({stamp.get('created')})"
