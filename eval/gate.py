"""The release gate: thresholds in eval/gate.toml checked against a run's results, and a
stamp beside the index saying whether its live generation passed (for `make run`)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import BadInputError

GATE = Path(__file__).resolve().parent / "gate.toml"  # the shipped default (Settings.gate_file)


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


def read_gate(path: Path) -> dict[str, Any]:
    """The thresholds of a gate file: {"min": {name: value}, "max": {...}, "targets":
    {...}, "provenance": {name: {"from", "dev", "test", "target", ...}}, "split": "test",
    "measured": {...}}. A threshold is a number, or a table whose "value" is the number
    and whose other keys say where it came from (see eval/gate.toml)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadInputError(f"không đọc được tệp ngưỡng {path}: {exc}") from exc
    out: dict[str, Any] = {
        "min": {},
        "max": {},
        "targets": dict(data.get("targets", {})),
        "provenance": {},
        "split": data.get("split", "test"),
        "measured": dict(data.get("measured", {})),
    }
    for kind in ("min", "max"):
        for name, entry in data.get(kind, {}).items():
            if isinstance(entry, dict):
                if "value" not in entry:
                    raise BadInputError(f"{path}: ngưỡng [{kind}] {name} thiếu khoá value")
                out[kind][name] = float(entry["value"])
                out["provenance"][name] = {k: v for k, v in entry.items() if k != "value"}
                if "target" in entry:
                    out["targets"].setdefault(name, entry["target"])
            else:
                out[kind][name] = float(entry)
    return out


def metric_value(results: dict[str, Any], name: str, split: str | None = None) -> float | None:
    """A metric of the results by name, on one split (None: all questions).
    "retrieval.recall@5" reads the retrieval table, "list.key_fact_coverage" the value for
    one question type, "detection.caught_min" the smallest share of broken answers the
    faithfulness or citation metrics catch over the kinds they should catch, and
    "detection.false_alarms" the share of unchanged answers they flag."""
    if name.startswith("retrieval."):
        r = results.get("retrieval") or {}
        table = ((r.get("splits") or {}).get(split) or {}) if split else r
        return (table.get("overall") or {}).get(name.removeprefix("retrieval."))
    if name.startswith("detection."):
        return detection_value(results.get("detection"), name.removeprefix("detection."), split)
    metrics = results["metrics"]
    if split:
        metrics = (metrics.get("splits") or {}).get(split) or {"overall": {}, "by_type": {}}
    head, _, rest = name.partition(".")
    if rest and head in metrics["by_type"]:
        return metrics["by_type"][head].get(rest)
    return metrics["overall"].get(name)


def detection_value(table: dict | None, name: str, split: str | None = None) -> float | None:
    if not table:
        return None
    if name == "false_alarms":
        c = (table["control"].get("splits") or {}).get(split) if split else table["control"]
        return c["false_alarms"] / c["answers"] if c and c["answers"] else None
    if name == "caught_min":
        rates = []
        for row in table["kinds"].values():
            s = (row.get("splits") or {}).get(split) if split else row
            if row["coverage_kind"] or not s or not s["cases"]:
                continue
            rates.append(s["support"] / s["cases"])
        return min(rates) if rates else None
    return None


# Metrics an answers file cannot measure (no index at hand): skipped by the gate in --score mode.
NEEDS_INDEX = ("retrieval.",)


def gate_split(results: dict[str, Any], wanted: str) -> str | None:
    """The split the gate reads: the one the gate file names when the run has it, else
    all questions (None)."""
    splits = results["metrics"].get("splits") or {}
    return wanted if wanted in splits else None


def gate(results: dict[str, Any], gate_path: Path = GATE, with_split: bool = False):
    """The metrics of results that miss their threshold in gate_path (empty: passed),
    read on the split the gate file names (test); with_split: also return that split."""
    thresholds = read_gate(gate_path)
    split = gate_split(results, thresholds["split"])
    scored = (results.get("config") or {}).get("mode") == "score"
    failures = []
    for kind in ("min", "max"):
        for name, threshold in thresholds[kind].items():
            if scored and name.startswith(NEEDS_INDEX):
                continue
            value = metric_value(results, name, split)
            if value is None or (value < threshold if kind == "min" else value > threshold):
                failures.append(GateFailure(name, value, float(threshold), kind))
    return (failures, split or "all") if with_split else failures


STAMP = "gate.json"


def record_gate(app, results: dict[str, Any], report: Path) -> Path:
    """Write <index>/gate.json: whether the live index generation passed the gate,
    with which backends, and where the report is."""
    g = results.get("gate") or {}
    cfg = results["config"]
    stamp = {
        "index_generation": cfg["index_generation"],
        "embedder": cfg["embedder"],
        "generator": cfg["generator"],
        "passed": bool(g.get("passed")),
        "failures": g.get("failures", []),
        "report": str(report),
        "created": results["created"],
    }
    # <index>/gate.json; in Chroma server mode also on the server, for every replica
    return app.index_dir.write_stamp(STAMP, json.dumps(stamp, ensure_ascii=False, indent=1))


def gate_status(app) -> tuple[bool, str]:
    """Whether the live index, with the configured backends, passed `troly eval --gate`;
    the message says why not and how to fix it."""
    text = app.index_dir.read_stamp(STAMP)
    if text is None:
        return False, "chỉ mục chưa qua ngưỡng đánh giá; hãy chạy `troly eval --gate`"
    try:
        stamp = json.loads(text)
    except ValueError:
        return False, f"{app.index_dir.root / STAMP} hỏng; hãy chạy lại `troly eval --gate`"
    generator = app.answerer.generator.name
    if stamp.get("index_generation") != app.table.generation.name:
        return False, "chỉ mục đã thay đổi từ lần đánh giá trước; hãy chạy lại `troly eval --gate`"
    if (stamp.get("embedder"), stamp.get("generator")) != (app.embedder.name, generator):
        return False, (
            f"lần đánh giá trước dùng {stamp.get('embedder')}/{stamp.get('generator')}, cấu hình hiện tại "
            f"là {app.embedder.name}/{generator}; hãy chạy lại `troly eval --gate`"
        )
    if not stamp.get("passed"):
        names = ", ".join(f["metric"] for f in stamp.get("failures", []))
        return False, f"chỉ mục không đạt ngưỡng đánh giá ({names}); xem {stamp.get('report')}"
    return True, f"chỉ mục đã đạt ngưỡng đánh giá ({stamp.get('created')})"
