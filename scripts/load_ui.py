"""Load script for the chat page (not a test): N concurrent browser-less sessions.

Each session is a streamlit.testing AppTest of streamlit_app.py running in its own thread
of one process, so all sessions share one Assistant, as they do under `streamlit run`.
Every session opens the page, then asks its questions one after another; the sessions
start each turn together (a barrier), the worst case for contention. The "answer time"
of a turn is the whole script rerun that submits the question: retrieval, generation,
rendering of the answer, its citation cards and the feedback widgets.

    .venv/bin/python scripts/load_ui.py                  # 20 sessions x 3 turns
    .venv/bin/python scripts/load_ui.py --sessions 50 --turns 5 --json

Uses the configured index (TROLY_INDEX_DIR, default data/index; built first if missing)
and a throw-away feedback database. Target with the offline default: p95 < 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?",
    "Nghị quyết 57 đặt ra những quan điểm chỉ đạo nào?",
    "Chương trình hành động 03/NQ-CP giao nhiệm vụ gì về chuyển đổi số?",
    "Kế hoạch 01-KH/BCĐTW đặt ra chỉ tiêu gì về kinh tế số?",
    "Kết luận 69-KL/TW yêu cầu gì về đầu tư cho khoa học và công nghệ?",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam có nhiệm vụ gì?",
    "Giá vàng hôm nay bao nhiêu?",
    "Nghị quyết 20-NQ/TW ban hành năm nào?",
]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def prepare_index() -> None:
    """Build the index before timing anything, when it does not exist yet."""
    from assistant.api import Assistant
    from assistant.settings import Settings
    from retrieval.errors import IndexMissingError

    app = Assistant(Settings())
    try:
        app.table
    except IndexMissingError:
        print("Chưa có chỉ mục; đang lập chỉ mục…", file=sys.stderr)
        app.ingest(progress=False)


def session(n: int, turns: int, barrier: threading.Barrier, out: dict) -> None:
    """One user: open the page, then ask `turns` questions, timing each."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300).run()
    times, engine, errors = [], [], []
    for turn in range(turns):
        barrier.wait()
        question = QUESTIONS[(n + turn) % len(QUESTIONS)]
        t0 = time.perf_counter()
        at.chat_input[0].set_value(question).run()
        times.append(time.perf_counter() - t0)
        messages = at.session_state.messages if "messages" in at.session_state else []
        if at.exception or len(messages) != 2 * (turn + 1):
            errors.append(f"phiên {n}, lượt {turn}: {at.exception or 'không có câu trả lời'}")
        else:
            engine.append(messages[-1].answer.timings_ms.get("total", 0.0) / 1000)
    out[n] = {"times": times, "engine": engine, "errors": errors}


def run(sessions: int, turns: int) -> dict:
    barrier = threading.Barrier(sessions)
    out: dict[int, dict] = {}
    threads = [threading.Thread(target=session, args=(n, turns, barrier, out)) for n in range(sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times = [x for r in out.values() for x in r["times"]]
    engine = [x for r in out.values() for x in r["engine"]]
    return {
        "sessions": sessions, "turns": turns, "answers": len(times), "cpus": os.cpu_count(),
        "p50_s": round(statistics.median(times), 3), "p95_s": round(percentile(times, 95), 3),
        "max_s": round(max(times), 3), "mean_s": round(statistics.mean(times), 3),
        "engine_p95_s": round(percentile(engine, 95), 3) if engine else None,
        "wall_s": round(wall, 2), "errors": [e for r in out.values() for e in r["errors"]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Tải đồng thời trang trò chuyện (AppTest, không trình duyệt).")
    parser.add_argument("--sessions", type=int, default=20, help="số phiên đồng thời (mặc định 20)")
    parser.add_argument("--turns", type=int, default=3, help="số câu hỏi mỗi phiên (mặc định 3)")
    parser.add_argument("--target", type=float, default=1.0, help="ngưỡng p95 tính bằng giây (mặc định 1)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="troly-load-")
    os.environ["TROLY_FEEDBACK_DB"] = str(Path(tmp) / "feedback.sqlite3")
    prepare_index()
    report = run(args.sessions, args.turns)
    report["target_s"], report["ok"] = args.target, report["p95_s"] < args.target and not report["errors"]
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"{report['sessions']} phiên × {report['turns']} lượt = {report['answers']} câu trả lời "
              f"({report['cpus']} CPU, {report['wall_s']} s)")
        print(f"thời gian trả lời: p50 {report['p50_s']} s · p95 {report['p95_s']} s · tối đa {report['max_s']} s "
              f"· trong đó bộ trả lời p95 {report['engine_p95_s']} s")
        print(("ĐẠT" if report["ok"] else "CHƯA ĐẠT") + f" mục tiêu p95 < {args.target} s")
        for e in report["errors"]:
            print("lỗi:", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
