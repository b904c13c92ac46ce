"""A reader process for the concurrency test (python -m tests.support.reader SETTINGS.json
READY STOP SECONDS): asks questions until STOP exists, alternately on a fresh Assistant (which
opens the live generation, as `troly ask` does) and on one long-lived Assistant (which
switches generations between questions, as the UI does). Touches READY after its first
answer; prints one JSON line: answers, failures (with their errors), generations seen."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import Settings

QUESTION = "Nghị quyết 57 đặt mục tiêu quy mô kinh tế số đạt bao nhiêu phần trăm GDP?"


def main(settings_file: str, ready: str, stop: str, seconds: str) -> int:
    settings = Settings(**json.loads(Path(settings_file).read_text("utf-8")))
    long_lived = Assistant(settings, retire_grace_s=0)
    answers, failures, errors = 0, 0, []
    seen: dict[str, set[str]] = {"fresh": set(), "long": set()}
    end = time.monotonic() + float(seconds)
    while not Path(stop).exists() and time.monotonic() < end:
        for kind, app in (("fresh", Assistant(settings)), ("long", long_lived)):
            try:
                answer = app.ask(QUESTION)
                if "30% GDP" not in answer.answer or not answer.citations:
                    raise AssertionError(f"wrong answer: {answer.answer[:120]!r}")
                seen[kind].add(app.generation)
                answers += 1
                Path(ready).touch()
            except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
                failures += 1
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
            finally:
                if app is not long_lived:
                    app.close()
    long_lived.close()
    print(
        json.dumps(
            {
                "answers": answers,
                "failures": failures,
                "errors": errors[:5],
                "generations": {k: sorted(v) for k, v in seen.items()},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
