"""The record of the last release run (eval/release.json, committed) and what changed
since: the main metrics of dev and test, and each question's pass or fail.

The record is written only on request (`troly eval --release`, on a full run of the
default set), never by an ordinary run, so every report compares against the same
reference until the next release. A question passes when none of its metrics is below
its best value (or above it, for false refusals) and asking it raised no error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.errors import BadInputError

from .dataset import MAIN_METRICS

RELEASE = Path(__file__).resolve().parent / "release.json"  # the shipped default (Settings.release_file)
# The metrics the record keeps per split (the gate's and the report's main ones).
MAIN = MAIN_METRICS


def record_of(results: dict[str, Any]) -> dict[str, Any]:
    """The release record of a run."""
    cfg = results["config"]
    splits = results["metrics"].get("splits") or {}
    retrieval = (results.get("retrieval") or {}).get("splits") or {}
    metrics = {}
    for split, m in splits.items():
        metrics[split] = {k: _round(m["overall"].get(k)) for k in MAIN}
        r = (retrieval.get(split) or {}).get("overall") or {}
        metrics[split]["retrieval.recall@5"] = _round(r.get("recall@5"))
    return {
        "created": results["created"],
        "config": {
            k: cfg.get(k, "")
            for k in ("embedder", "generator", "index_generation", "questions", "questions_sha256", "abstain_threshold")
        },
        "metrics": metrics,
        "questions": {
            q["id"]: {
                "split": q.get("split", ""),
                "pass": not q["failures"],
                "failed": sorted({f.split(":", 1)[0] for f in q["failures"]}),
            }
            for q in results["questions"]
        },
    }


def _round(v):
    return round(v, 4) if isinstance(v, float) else v


def write_release(results: dict[str, Any], path: Path = RELEASE) -> Path:
    """Write the record: one line per question, so a diff of the file reads as the list of
    questions whose status changed."""
    rec = record_of(results)
    questions = rec.pop("questions")
    head = json.dumps(rec, ensure_ascii=False, indent=1)[:-2]
    lines = [f" {json.dumps(qid)}: {json.dumps(q, ensure_ascii=False)}" for qid, q in questions.items()]
    path.write_text(head + ',\n "questions": {\n' + ",\n".join(lines) + "\n }\n}\n", "utf-8")
    return path


def load_release(path: Path = RELEASE) -> dict[str, Any] | None:
    """The release record, or None when there is none yet."""
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except ValueError as exc:
        raise BadInputError(f"{path} không phải JSON hợp lệ ({exc}); hãy chạy lại `troly eval --release`") from exc


def diff(release: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """What changed since the release run: metric deltas per split, and the questions
    that regressed (passed then, fail now, or fail on more metrics), were fixed, are new
    or are gone."""
    now = record_of(results)
    metrics = {}
    for split in sorted(set(release.get("metrics", {})) | set(now["metrics"])):
        a, b = release.get("metrics", {}).get(split, {}), now["metrics"].get(split, {})
        metrics[split] = {k: (a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)}
    old, new = release.get("questions", {}), now["questions"]
    regressed, fixed = [], []
    for qid, q in new.items():
        was = old.get(qid)
        if was is None:
            continue
        more = sorted(set(q["failed"]) - set(was["failed"]))
        if (was["pass"] and not q["pass"]) or more:
            regressed.append({"id": qid, "split": q["split"], "failed": more or q["failed"]})
        elif not was["pass"] and q["pass"]:
            fixed.append({"id": qid, "split": q["split"]})
    return {
        "release": release.get("created", ""),
        "release_config": release.get("config", {}),
        "metrics": metrics,
        "regressed": regressed,
        "fixed": fixed,
        "new": sorted(set(new) - set(old)),
        "gone": sorted(set(old) - set(new)),
    }
