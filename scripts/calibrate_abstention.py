"""Calibrate the abstention threshold on the evaluation set (not a test).

For each threshold, run every question through the public API and measure the share of
unanswerable questions refused and of answerable ones wrongly refused; keep the threshold
that refuses the most unanswerable questions while wrongly refusing at most 5% of the
answerable ones (ties: fewer wrong refusals, then the stricter threshold), and write it to data/calibration.json (read by Assistant).

    python scripts/calibrate_abstention.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.types import Message
from eval.dataset import load_questions

MAX_FALSE_REFUSALS = 0.05


def main() -> None:
    questions = load_questions()
    rows = []
    for threshold in [round(0.05 * i, 2) for i in range(0, 13)]:
        app = Assistant(Settings(abstain_threshold=threshold))
        refused = {q.id: app.ask(q.question, [Message(**h) for h in q.history]).abstained for q in questions}
        answerable = [q for q in questions if q.answerable]
        unanswerable = [q for q in questions if not q.answerable]
        false = sum(refused[q.id] for q in answerable) / len(answerable)
        right = sum(refused[q.id] for q in unanswerable) / len(unanswerable)
        rows.append((threshold, right, false))
        print(f"ngưỡng {threshold:.2f}: từ chối đúng {right:.3f}, từ chối nhầm {false:.3f}")
    ok = [r for r in rows if r[2] <= MAX_FALSE_REFUSALS]
    # most unanswerable refused; then fewest answerable refused; then the strictest threshold
    best = max(ok, key=lambda r: (r[1], -r[2], r[0]))
    out = {"abstain_threshold": best[0], "unanswerable_refused": round(best[1], 3),
           "answerable_refused": round(best[2], 3), "questions": len(questions),
           "calibrated": time.strftime("%Y-%m-%d"), "method": "scripts/calibrate_abstention.py"}
    path = Settings().data_dir / "calibration.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"Đã ghi {path}: {out}")


if __name__ == "__main__":
    main()
