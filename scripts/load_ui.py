"""Load script for the chat page (not a test): N concurrent browser-less sessions ask
questions and the script reports the p95 answer time. Target with the offline default:
p95 < 1 s for 20 sessions.

Two kinds of session:

* ``--mode websocket`` (default): starts ``streamlit run streamlit_app.py`` on a free
  loopback port (or uses ``--url``) and drives it with N websocket clients speaking
  Streamlit's own protocol, exactly what N browser tabs send: one server process, one
  Assistant, N sessions on its threads. The answer time of a turn runs from sending the
  question to the end of the script run that renders the answer, its citation cards and
  the feedback widgets.
* ``--mode apptest``: N processes, each one streamlit.testing AppTest session (AppTest is
  not thread-safe, hence processes); every process builds its own Assistant. AppTest adds
  its own overhead to each turn.

Each session opens the page, then asks ``--turns`` questions in a row: a closed loop where
a user reads each answer for ``--think`` seconds on average (uniformly 0.5x to 1.5x) and
starts within the first think time. ``--think 0`` is the worst case: every session keeps
a question in flight all the time. Uses the configured index
(TROLY_INDEX_DIR, default data/index; built first when missing) and a throw-away feedback
database.

    .venv/bin/python scripts/load_ui.py                       # 20 sessions x 5 turns
    .venv/bin/python scripts/load_ui.py --mode apptest --sessions 20 --json
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "streamlit_app.py"
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
ENGINE_MS = re.compile(r":material/timer: (\d+) ms")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), math.ceil(len(ordered) * q / 100))) - 1]


def prepare_index() -> None:
    """Build the index before timing anything, when it does not exist yet."""
    from assistant.api import Assistant
    from assistant.settings import Settings
    from retrieval.errors import IndexMissingError

    app = Assistant(Settings())
    try:
        _ = app.table
    except IndexMissingError:
        print("Chưa có chỉ mục; đang lập chỉ mục…", file=sys.stderr)
        app.ingest(progress=False)


def question(n: int, turn: int) -> str:
    return QUESTIONS[(n + turn) % len(QUESTIONS)]


# -- websocket sessions against a real server -----------------------------------------------


class WebsocketSession:
    """One browser-less tab: Streamlit's BackMsg/ForwardMsg protocol over a websocket."""

    def __init__(self, url: str, timeout: float = 120.0):
        from websockets.sync.client import connect

        ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self.ws = connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout)
        self.timeout = timeout
        self.chat_input_id = ""

    def run(self, text: str | None = None) -> list:
        """One script run (with text submitted in the chat input); its ForwardMsgs."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        if text is not None:
            widget = msg.rerun_script.widget_states.widgets.add()
            widget.id = self.chat_input_id
            widget.chat_input_value.data = text
        self.ws.send(msg.SerializeToString())
        out = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=self.timeout))
            out.append(fwd)
            if fwd.WhichOneof("type") == "script_finished":
                return out

    @staticmethod
    def elements(msgs: list):
        for m in msgs:
            if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                yield m.delta.new_element

    def open(self) -> None:
        msgs = self.run()
        ids = [e.chat_input.id for e in self.elements(msgs) if e.WhichOneof("type") == "chat_input"]
        if not ids:
            raise RuntimeError("trang không có ô nhập câu hỏi")
        self.chat_input_id = ids[0]

    def ask(self, text: str) -> tuple[float, float | None]:
        """(seconds until the answer is rendered, the answer engine's own seconds)."""
        t0 = time.perf_counter()
        msgs = self.run(text)
        elapsed = time.perf_counter() - t0
        bodies = [e.markdown.body for e in self.elements(msgs) if e.WhichOneof("type") == "markdown"]
        if not any(b.startswith('<div class="troly-answer">') for b in bodies):
            shown = [
                e.exception.message or e.alert.body
                for e in self.elements(msgs)
                if e.WhichOneof("type") in ("exception", "alert")
            ]
            raise RuntimeError(f"không thấy câu trả lời {shown}")
        engine = [int(m.group(1)) for b in bodies if (m := ENGINE_MS.search(b))]
        return elapsed, (engine[-1] / 1000 if engine else None)

    def close(self) -> None:
        self.ws.close()


def ws_session(url: str, n: int, turns: int, think: float, start: threading.Barrier, out: dict) -> None:
    times, engine, errors = [], [], []
    try:
        s = WebsocketSession(url)
        s.open()
    except Exception as exc:  # report, never hang the others
        start.abort()
        out[n] = {"times": [], "engine": [], "errors": [f"phiên {n}: {exc}"]}
        return
    rng = random.Random(n)
    try:
        start.wait()
        time.sleep(rng.uniform(0, think))  # users do not all press Enter at the same moment
        for turn in range(turns):
            try:
                elapsed, eng = s.ask(question(n, turn))
                times.append(elapsed)
                engine += [eng] if eng is not None else []
            except Exception as exc:
                errors.append(f"phiên {n}, lượt {turn}: {exc}")
            time.sleep(rng.uniform(0.5, 1.5) * think)
    except threading.BrokenBarrierError:
        errors.append(f"phiên {n}: một phiên khác không mở được trang")
    finally:
        s.close()
    out[n] = {"times": times, "engine": engine, "errors": errors}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("không khởi động được streamlit")


def run_websocket(sessions: int, turns: int, think: float, url: str | None) -> dict:
    proc = None
    if not url:
        proc, url = start_server()
    try:
        warm = WebsocketSession(url)  # the first run builds the Assistant; not timed
        warm.open()
        warm.ask(QUESTIONS[0])
        warm.close()
        start, out = threading.Barrier(sessions), {}
        threads = [
            threading.Thread(target=ws_session, args=(url, n, turns, think, start, out)) for n in range(sessions)
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return summarize(out, time.perf_counter() - t0)
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)


# -- AppTest sessions, one per process --------------------------------------------------------


def apptest_session(n: int, turns: int, think: float, start, queue) -> None:
    from streamlit.testing.v1 import AppTest

    times, engine, errors = [], [], []
    rng = random.Random(n)
    warm = AppTest.from_file(str(APP), default_timeout=300).run()  # builds this process's Assistant
    warm.chat_input[0].set_value(QUESTIONS[0]).run()  # and its first, slower query; not timed
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    start.wait()
    time.sleep(rng.uniform(0, think))
    for turn in range(turns):
        t0 = time.perf_counter()
        at.chat_input[0].set_value(question(n, turn)).run()
        elapsed = time.perf_counter() - t0
        messages = at.session_state.messages if "messages" in at.session_state else []
        if at.exception or len(messages) != 2 * (turn + 1):
            errors.append(f"phiên {n}, lượt {turn}: {at.exception or 'không có câu trả lời'}")
        else:
            times.append(elapsed)
            engine.append(messages[-1].answer.timings_ms.get("total", 0.0) / 1000)
        time.sleep(rng.uniform(0.5, 1.5) * think)
    queue.put((n, {"times": times, "engine": engine, "errors": errors}))


def run_apptest(sessions: int, turns: int, think: float) -> dict:
    ctx = mp.get_context("spawn")
    start, queue = ctx.Barrier(sessions), ctx.Queue()
    procs = [ctx.Process(target=apptest_session, args=(n, turns, think, start, queue)) for n in range(sessions)]
    for p in procs:
        p.start()
    out = dict(queue.get() for _ in procs)
    for p in procs:
        p.join()
    return summarize(out, None)


def summarize(out: dict, wall: float | None) -> dict:
    times = [x for r in out.values() for x in r["times"]]
    engine = [x for r in out.values() for x in r["engine"]]
    errors = [e for r in out.values() for e in r["errors"]]
    if not times:
        return {"answers": 0, "errors": errors, "p95_s": float("inf")}
    return {
        "answers": len(times),
        "cpus": os.cpu_count(),
        "p50_s": round(statistics.median(times), 3),
        "p95_s": round(percentile(times, 95), 3),
        "max_s": round(max(times), 3),
        "mean_s": round(statistics.mean(times), 3),
        "engine_p95_s": round(percentile(engine, 95), 3) if engine else None,
        "wall_s": round(wall, 2) if wall is not None else None,
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Tải đồng thời trang trò chuyện (không trình duyệt).")
    parser.add_argument("--mode", choices=("websocket", "apptest"), default="websocket")
    parser.add_argument("--sessions", type=int, default=20, help="số phiên đồng thời (mặc định 20)")
    parser.add_argument("--turns", type=int, default=5, help="số câu hỏi mỗi phiên (mặc định 5)")
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="số giây trung bình người dùng đọc câu trả lời trước khi hỏi tiếp (mặc định 10; 0 = dồn dập)",
    )
    parser.add_argument("--url", help="máy chủ streamlit đang chạy (mặc định: tự khởi động)")
    parser.add_argument("--target", type=float, default=1.0, help="ngưỡng p95, giây (mặc định 1)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    args = parser.parse_args()

    os.environ["TROLY_FEEDBACK_DB"] = str(Path(tempfile.mkdtemp(prefix="troly-load-")) / "feedback.sqlite3")
    prepare_index()
    if args.mode == "websocket":
        report = run_websocket(args.sessions, args.turns, args.think, args.url)
    else:
        report = run_apptest(args.sessions, args.turns, args.think)
    report.update(mode=args.mode, sessions=args.sessions, turns=args.turns, think_s=args.think, target_s=args.target)
    report["ok"] = report["p95_s"] < args.target and not report["errors"]
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(
        f"{args.mode}: {args.sessions} phiên × {args.turns} lượt = {report['answers']} câu trả lời "
        f"({report.get('cpus')} CPU)"
    )
    if report["answers"]:
        print(
            f"thời gian trả lời: p50 {report['p50_s']} s · p95 {report['p95_s']} s · tối đa {report['max_s']} s"
            f" · riêng bộ trả lời p95 {report['engine_p95_s']} s"
        )
    print(("ĐẠT" if report["ok"] else "CHƯA ĐẠT") + f" mục tiêu p95 < {args.target} s")
    for e in report["errors"][:20]:
        print("lỗi:", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
