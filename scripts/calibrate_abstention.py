"""Calibrate the abstention threshold on the dev split of the evaluation set (not a test).

For each threshold, run the dev and val questions through the public API and measure the
share of unanswerable questions refused and of answerable ones wrongly refused, on dev
and on val side by side. The threshold is chosen on dev only: the one that refuses the
most unanswerable dev questions while wrongly refusing at most 5% of the answerable ones
(ties: fewer wrong refusals, then the stricter threshold); val's overall figures are
printed to report, never used to choose. The test split is frozen: its questions are
never asked here. The threshold is written to data/calibration.json (read by Assistant)
with its dev and val figures, unless --no-write.

    python scripts/calibrate_abstention.py [--no-write]
"""

from __future__ import annotations

import json
import sys
import time

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Message
from eval.dataset import load_questions

MAX_FALSE_REFUSALS = 0.05
SPLITS = ("dev", "val")  # the test split is frozen: never asked, never reported here


def rates(questions, refused) -> tuple[float, float]:
    """(share of unanswerable refused, share of answerable wrongly refused)."""
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    right = sum(refused[q.id] for q in unanswerable) / len(unanswerable) if unanswerable else 0.0
    false = sum(refused[q.id] for q in answerable) / len(answerable) if answerable else 0.0
    return right, false


def main(argv: list[str]) -> None:
    questions = [q for q in load_questions() if q.split in SPLITS]
    by_split = {s: [q for q in questions if q.split == s] for s in SPLITS}
    rows = []
    print(f"{'ngưỡng':>7} | {'dev: từ chối đúng':>17} {'nhầm':>6} | {'val: từ chối đúng':>18} {'nhầm':>6}")
    for threshold in [round(0.05 * i, 2) for i in range(0, 13)]:
        app = Assistant(Settings(abstain_threshold=threshold))
        refused = {q.id: app.ask(q.question, [Message(**h) for h in q.history]).abstained for q in questions}
        figures = {s: rates(qs, refused) for s, qs in by_split.items()}
        rows.append((threshold, figures))
        print(
            f"{threshold:>7.2f} | {figures['dev'][0]:>17.3f} {figures['dev'][1]:>6.3f} | "
            f"{figures['val'][0]:>18.3f} {figures['val'][1]:>6.3f}"
        )
    ok = [r for r in rows if r[1]["dev"][1] <= MAX_FALSE_REFUSALS]
    # most unanswerable dev questions refused; then fewest answerable refused; then the strictest threshold
    best = max(ok, key=lambda r: (r[1]["dev"][0], -r[1]["dev"][1], r[0]))
    threshold, figures = best
    out = {
        "abstain_threshold": threshold,
        "fitted_on": "dev",
        "unanswerable_refused": round(figures["dev"][0], 3),
        "answerable_refused": round(figures["dev"][1], 3),
        "val": {
            "unanswerable_refused": round(figures["val"][0], 3),
            "answerable_refused": round(figures["val"][1], 3),
        },
        "questions": {s: len(qs) for s, qs in by_split.items()},
        "calibrated": time.strftime("%Y-%m-%d"),
        "method": "scripts/calibrate_abstention.py",
    }
    print(
        f"Chọn trên dev: ngưỡng {threshold:.2f} (dev: từ chối đúng {figures['dev'][0]:.3f}, nhầm {figures['dev'][1]:.3f}; "
        f"val: từ chối đúng {figures['val'][0]:.3f}, nhầm {figures['val'][1]:.3f})"
    )
    if "--no-write" in argv:
        return
    path = Settings().data_dir / "calibration.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"Đã ghi {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
