"""Time of each trainer command on the corpus: cold (a new `troly` process each time, as a
user runs it: wall and CPU time) and warm (the artifact rebuilt in a process that already
loaded the index: CPU time). Run: .venv/bin/python scripts/bench_studio.py"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = [
    ["targets"],
    ["timeline"],
    ["outline", "57-NQ/TW III.3"],
    ["quiz", "03/NQ-CP II.1", "-n", "10"],
    ["roles", "--body", "Bộ Khoa học và Công nghệ"],
    ["map"],
]
TROLY = Path(sys.executable).with_name("troly")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cold(argv: list[str], runs: int = 3) -> tuple[float, float]:
    """Median wall time and CPU time of a new `troly` process (CPU time does not grow when
    other processes share the machine)."""
    times, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        subprocess.run([str(TROLY), *argv], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(times), statistics.median(cpus)


def warm(argv: list[str], runs: int = 3) -> float:
    from assistant.api import Assistant

    app = Assistant()
    _ = app.table
    calls = {
        "targets": lambda s: s.targets(),
        "timeline": lambda s: s.timeline(),
        "outline": lambda s: s.outline(argv[1]),
        "quiz": lambda s: s.quiz(argv[1], 10),
        "roles": lambda s: s.roles(argv[2]),
        "map": lambda s: s.implementation_map(),
    }
    times = []
    for _ in range(runs):
        app.__dict__.pop("studio", None)  # a fresh toolkit: everything is rebuilt from the chunk table
        start = time.process_time()
        calls[argv[0]](app.studio)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':<48} {'cold wall':>9} {'cold CPU':>9} {'warm CPU':>9}  (seconds)")
    for argv in COMMANDS:
        wall, cpu = cold(argv)
        print(f"{'troly ' + ' '.join(argv):<48} {wall:>9.2f} {cpu:>9.2f} {warm(argv):>9.2f}", flush=True)


if __name__ == "__main__":
    main()
