"""Load script for `troly serve` (not a test): N concurrent clients using the real openai
SDK ask questions for a fixed time, each sending its next question as soon as the last
answer is in (no think time, the worst case; ``--think`` adds a reading pause), and the script prints throughput,
p50/p95/p99 latency and errors. Target with the offline default on 2 cores: 50 clients,
0 errors, p95 < 1 s. ``--ramp 1,10,25,50,100`` runs one level after the other to find the
throughput ceiling and where latency starts to climb (the saturation point).

Starts ``troly serve`` on a free loopback port over the configured index (TROLY_INDEX_DIR,
default data/index; built first when missing) with a throw-away feedback database, no
API keys and the rate limit off, or drives ``--url``. Every request is a full answer
(retrieval, extractive generation, citation check); clients never retry (``max_retries=0``),
so every failure is counted. Each client has its own keep-alive connection, as N users'
machines do (``--pool shared``: one httpx pool for all, as this script had before; httpx
scans its connection list for every request, 13-14 ms of client CPU per answer at 50
clients instead of 4-6).

``--chroma`` puts the index on a Chroma server shared by ``--replicas`` replicas (a
throw-away ``chroma run`` in a temporary folder with the corpus ingested into it, or the
server at ``--chroma-url``); each replica has an index folder of its own, the clients are
spread over the replicas in turn, and the Chroma server's CPU per answer is reported too.

    .venv/bin/python scripts/load_api.py                          # 50 clients, 30 s
    .venv/bin/python scripts/load_api.py --ramp 1,10,25,50,100 --duration 15 --workers 2
    .venv/bin/python scripts/load_api.py --chroma --replicas 2 --ramp 1,10,25,50,100   # make load-shared
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODEL = "troly-nghiquyet"
REFUSED_BY_DESIGN = "prompt_injection"  # the API's 400 for an injection attempt (a few dev questions are)
QUESTIONS = [
    "Mục tiêu đến năm 2030 của Nghị quyết 57-NQ/TW là gì?",
    "Nghị quyết 57 đặt mục tiêu chi cho R&D bao nhiêu phần trăm GDP?",
    "Nghị quyết 57 đặt ra những quan điểm chỉ đạo nào?",
    "Chương trình hành động 03/NQ-CP giao nhiệm vụ gì về chuyển đổi số?",
    "Kế hoạch 01-KH/BCĐTW đặt ra chỉ tiêu gì về kinh tế số?",
    "Kết luận 69-KL/TW yêu cầu gì về đầu tư cho khoa học và công nghệ?",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam có nhiệm vụ gì?",
    "Nghị quyết 20-NQ/TW ban hành năm nào?",
    "Giá vàng hôm nay bao nhiêu?",
    "muc tieu den nam 2045 cua nghi quyet 57",
    "Ai chịu trách nhiệm tổ chức thực hiện Nghị quyết 57?",
    "Tầm nhìn đến năm 2045 về khoa học công nghệ là gì?",
]


def load_questions(source: str) -> list[dict]:
    """{"question", "history"} to ask: the dev split of eval/questions.jsonl (diverse, and
    the split tuning may look at; the test split is never read), else the list above."""
    path = ROOT / "eval" / "questions.jsonl"
    if source == "dev" and path.exists():
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        dev = [{"question": r["question"], "history": r.get("history") or []} for r in rows if r.get("split") == "dev"]
        if dev:
            return dev
    return [{"question": q, "history": []} for q in QUESTIONS]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), math.ceil(len(ordered) * q / 100))) - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_index() -> None:
    from assistant.api import Assistant
    from assistant.settings import Settings
    from retrieval.errors import IndexMissingError

    try:
        _ = Assistant(Settings()).table
    except IndexMissingError:
        print("Chưa có chỉ mục; đang lập chỉ mục…", file=sys.stderr)
        Assistant(Settings()).ingest(progress=False)


def start_chroma() -> tuple[subprocess.Popen, str]:
    """A throw-away `chroma run` on a free port, with the corpus ingested into it."""
    from assistant.api import Assistant
    from assistant.settings import Settings

    port, folder = free_port(), Path(tempfile.mkdtemp(prefix="troly-load-chroma-"))
    binary = Path(sys.executable).parent / "chroma"
    log = open(folder / "chroma.log", "wb")
    proc = subprocess.Popen(
        [str(binary), "run", "--path", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise SystemExit(f"không khởi động được chroma run (nhật ký: {log.name})")
    print("Nạp chỉ mục vào máy chủ Chroma…", file=sys.stderr)
    Assistant(Settings(chroma_url=url, index_dir=folder / "writer")).ingest(progress=False)
    return proc, url


def start_server(workers: int, chroma_url: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(
        os.environ,
        TROLY_RATE_LIMIT_PER_MINUTE="0",
        TROLY_API_KEYS="{}",
        TROLY_FEEDBACK_DB=str(Path(tempfile.mkdtemp(prefix="troly-load-")) / "feedback.sqlite3"),
    )
    env.pop("TROLY_DATABASE_URL", None)
    if chroma_url:  # a replica of its own: an index folder holding only its copy of the live generation
        env.update(TROLY_CHROMA_URL=chroma_url, TROLY_INDEX_DIR=tempfile.mkdtemp(prefix="troly-load-replica-"))
    log = open(Path(tempfile.gettempdir()) / f"troly-load-{port}.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as reply:
                if reply.status == 200:
                    return proc, url
        except OSError:
            if proc.poll() is not None:
                break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"không khởi động được troly serve (nhật ký: {log.name})")


async def client_loop(
    client, n: int, stop_at: float, stream: bool, questions: list[dict], out: dict, think: float = 0.0
) -> None:
    rng = random.Random(n)
    times, errors = out.setdefault("times", []), out.setdefault("errors", Counter())
    while time.monotonic() < stop_at:
        item = rng.choice(questions)
        messages = item["history"] + [{"role": "user", "content": item["question"]}]
        t0 = time.perf_counter()
        try:
            if stream:
                got = ""
                async for chunk in await client.chat.completions.create(model=MODEL, messages=messages, stream=True):
                    if chunk.choices:
                        got += chunk.choices[0].delta.content or ""
            else:
                done = await client.chat.completions.create(model=MODEL, messages=messages)
                got = done.choices[0].message.content or ""
            if not got:
                raise ValueError("câu trả lời rỗng")
            times.append(time.perf_counter() - t0)
        except Exception as exc:  # counted, never retried
            if getattr(exc, "status_code", None) == 400 and getattr(exc, "code", None) == REFUSED_BY_DESIGN:
                out.setdefault("refused", Counter())[item["question"][:60]] += 1  # prompt injection: a 400 by design
            else:
                errors[type(exc).__name__] += 1
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


def server_cpu(procs: list[subprocess.Popen]) -> float | None:
    """CPU seconds used so far by the servers and their worker processes (None for --url)."""
    if not procs:
        return None
    import psutil

    try:
        total = 0.0
        for proc in procs:
            main = psutil.Process(proc.pid)
            for p in [main] + main.children(recursive=True):
                t = p.cpu_times()
                total += t.user + t.system
        return total
    except psutil.Error:
        return None


async def run_level(
    urls: list[str],
    clients: int,
    duration: float,
    stream: bool,
    questions: list[dict],
    procs: list[subprocess.Popen] | None = None,
    think: float = 0.0,
    chroma: subprocess.Popen | None = None,
    pool: str = "per-client",
) -> dict:
    import contextlib

    import httpx
    from openai import AsyncOpenAI

    procs = procs or []
    async with contextlib.AsyncExitStack() as stack:
        if pool == "shared":  # one httpx pool for all clients (as before: its bookkeeping grows with the pool)
            limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
            shared = await stack.enter_async_context(httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(60.0)))
            https = [shared] * clients
        else:  # each client its own keep-alive connection, as separate users' machines have
            one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
            https = [
                await stack.enter_async_context(httpx.AsyncClient(limits=one, timeout=httpx.Timeout(60.0)))
                for _ in range(clients)
            ]
        users = [
            AsyncOpenAI(base_url=urls[n % len(urls)] + "/v1", api_key="load-test", max_retries=0, http_client=https[n])
            for n in range(clients)
        ]
        for url in urls:  # the first answer of each replica outside the measure
            await users[urls.index(url)].chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": QUESTIONS[0]}]
            )
        await asyncio.gather(*(user.models.list() for user in users))  # connections open before the clock starts
        out: dict = {}
        cpu0, mine0, t0 = server_cpu(procs), time.process_time(), time.monotonic()
        chroma0 = server_cpu([chroma]) if chroma else None
        await asyncio.gather(
            *(client_loop(users[n], n, t0 + duration, stream, questions, out, think) for n in range(clients))
        )
        wall, cpu1, mine1 = time.monotonic() - t0, server_cpu(procs), time.process_time()
        chroma1 = server_cpu([chroma]) if chroma else None
    times, errors = out.get("times", []), out.get("errors", Counter())
    refused = out.get("refused", Counter())
    report = {
        "clients": clients,
        "seconds": round(wall, 1),
        "answers": len(times),
        "errors": sum(errors.values()),
        "refused_by_design": sum(refused.values()),
        "refused_questions": sorted(refused),
        "error_kinds": dict(errors),
        "throughput_rps": round(len(times) / wall, 1) if wall else 0.0,
    }
    if cpu0 is not None and cpu1 is not None and times:
        # the server's own CPU per answer: what one core can do, whatever else the machine runs
        report["server_cpu_ms_per_answer"] = round((cpu1 - cpu0) / len(times) * 1000, 1)
        # and on a machine of its own: the cores over the CPU that one answer costs here,
        # the server's plus this script's (the clients run on the same cores)
        client_ms = (mine1 - mine0) / len(times) * 1000
        report["client_cpu_ms_per_answer"] = round(client_ms, 1)
        chroma_ms = 0.0
        if chroma0 is not None and chroma1 is not None:  # the shared Chroma server's dense queries
            chroma_ms = (chroma1 - chroma0) / len(times) * 1000
            report["chroma_cpu_ms_per_answer"] = round(chroma_ms, 2)
        report["dedicated_ceiling_rps"] = round(
            (os.cpu_count() or 1) * 1000 / (report["server_cpu_ms_per_answer"] + client_ms + chroma_ms), 1
        )
    if times:
        report.update(
            p50_s=round(percentile(times, 50), 3),
            p95_s=round(percentile(times, 95), 3),
            p99_s=round(percentile(times, 99), 3),
            max_s=round(max(times), 3),
        )
    return report


def saturation(levels: list[dict], target: float) -> dict:
    """The throughput ceiling, and the first level whose p95 misses the target."""
    best = max(levels, key=lambda r: r["throughput_rps"])
    missed = [r["clients"] for r in levels if r.get("p95_s", math.inf) >= target or r["errors"]]
    return {
        "ceiling_rps": best["throughput_rps"],
        "ceiling_at_clients": best["clients"],
        "first_level_over_target": missed[0] if missed else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Tải đồng thời máy chủ API (troly serve) bằng openai SDK.")
    parser.add_argument("--clients", type=int, default=50, help="số máy khách đồng thời (mặc định 50)")
    parser.add_argument("--duration", type=float, default=30.0, help="số giây mỗi mức tải (mặc định 30)")
    parser.add_argument("--ramp", help="nhiều mức tải lần lượt, ví dụ 1,10,25,50,100 (thay cho --clients)")
    parser.add_argument("--stream", action="store_true", help="hỏi ở chế độ streaming")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="số giây trung bình người dùng đọc trước khi hỏi tiếp (mặc định 0: dồn dập)",
    )
    parser.add_argument("--workers", type=int, default=1, help="số tiến trình của troly serve tự khởi động")
    parser.add_argument("--url", help="máy chủ đang chạy (mặc định: tự khởi động troly serve)")
    parser.add_argument("--replicas", type=int, default=1, help="số bản sao troly serve tự khởi động (mặc định 1)")
    parser.add_argument(
        "--chroma",
        action="store_true",
        help="chỉ mục trên một máy chủ Chroma dùng chung cho mọi bản sao (tự khởi động chroma run)",
    )
    parser.add_argument("--chroma-url", help="máy chủ Chroma đang chạy, đã có chỉ mục (thay cho --chroma)")
    parser.add_argument("--target", type=float, default=1.0, help="ngưỡng p95, giây (mặc định 1)")
    parser.add_argument(
        "--questions",
        choices=("dev", "builtin"),
        default="dev",
        help="dev: câu hỏi tập dev của eval/questions.jsonl (mặc định); builtin: 12 câu cố định",
    )
    parser.add_argument(
        "--pool",
        choices=("per-client", "shared"),
        default="per-client",
        help="per-client: mỗi máy khách một kết nối giữ sẵn (mặc định); shared: một nhóm kết nối httpx chung",
    )
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    args = parser.parse_args()
    questions = load_questions(args.questions)

    levels = [int(x) for x in args.ramp.split(",")] if args.ramp else [args.clients]
    procs: list[subprocess.Popen] = []
    chroma, chroma_url = None, args.chroma_url
    urls = [args.url] if args.url else []
    try:
        if not urls:
            if args.chroma and not chroma_url:
                chroma, chroma_url = start_chroma()
            elif not chroma_url:
                prepare_index()
            for _ in range(max(1, args.replicas)):
                proc, url = start_server(args.workers, chroma_url)
                procs.append(proc)
                urls.append(url)
        reports = []
        for clients in levels:
            report = asyncio.run(
                run_level(urls, clients, args.duration, args.stream, questions, procs, args.think, chroma, args.pool)
            )
            reports.append(report)
            if not args.json:
                print(_line(report, args.target), flush=True)
    finally:
        for proc in procs + ([chroma] if chroma else []):
            proc.terminate()
        for proc in procs + ([chroma] if chroma else []):
            proc.wait(30)
    summary = {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "workers": args.workers,
        "replicas": len(urls),
        "chroma": bool(chroma_url),
        "stream": args.stream,
        "think_s": args.think,
        "questions": len(questions),
        "target_p95_s": args.target,
        "levels": reports,
        **saturation(reports, args.target),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"tải máy (load average 1/5/15 phút): {summary['load_average']}")
        where = f"{len(urls)} bản sao × {args.workers} tiến trình" + (", một máy chủ Chroma" if chroma_url else "")
        print(
            f"trần thông lượng {summary['ceiling_rps']} câu/giây (ở {summary['ceiling_at_clients']} máy khách; "
            f"{summary['cpus']} CPU, {where})"
            + (
                f"; p95 vượt {args.target} s từ {summary['first_level_over_target']} máy khách"
                if summary["first_level_over_target"]
                else f"; mọi mức đạt p95 < {args.target} s, 0 lỗi"
            )
        )
    return 0


def _line(r: dict, target: float) -> str:
    ok = r["errors"] == 0 and r.get("p95_s", math.inf) < target
    lat = (
        f"p50 {r['p50_s']} s · p95 {r['p95_s']} s · p99 {r['p99_s']} s · tối đa {r['max_s']} s"
        if r["answers"]
        else "không có câu trả lời"
    )
    errs = f"{r['errors']} lỗi" + (f" {r['error_kinds']}" if r["errors"] else "")
    if r.get("refused_by_design"):
        errs += f" · {r['refused_by_design']} câu cài lệnh bị từ chối đúng (400)"
    if "server_cpu_ms_per_answer" in r:
        errs += (
            f" · CPU/câu: máy chủ {r['server_cpu_ms_per_answer']} ms, máy khách {r['client_cpu_ms_per_answer']} ms"
            + (f", Chroma {r['chroma_cpu_ms_per_answer']} ms" if "chroma_cpu_ms_per_answer" in r else "")
            + f" (trần trên máy riêng ≈ {r['dedicated_ceiling_rps']} câu/giây)"
        )
    return (
        f"{r['clients']:>4} máy khách · {r['seconds']} s · {r['answers']} câu trả lời · "
        f"{r['throughput_rps']} câu/giây · {lat} · {errs} · {'ĐẠT' if ok else 'CHƯA ĐẠT'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
