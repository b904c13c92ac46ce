"""Time twins.find_twins on synthetic tables (copies of the corpus under new ids, as
scripts/bench_perf.py builds them; --shuffle: each copy reordered, a word dropped from some
clauses), wall and CPU, against the plain algorithm (--reference) that the test keeps.

    python scripts/bench_twins.py --sizes 10000,25000 [--reference] [--shuffle]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,25000")
    parser.add_argument("--reference", action="store_true", help="also time the plain algorithm")
    parser.add_argument("--shuffle", action="store_true")
    args = parser.parse_args()
    from assistant.api import Assistant
    from retrieval.twins import find_twins
    from tests.perf.test_twins_blocking import _inputs, copies, reference_twins

    base = Assistant().table.chunks
    for n in [int(s) for s in args.sizes.split(",") if s]:
        chunks = copies(base, -(-n // len(base)), 5 if args.shuffle else None)[:n]
        leads, words = _inputs(chunks)
        runs = [("blocked", find_twins)] + ([("plain", reference_twins)] if args.reference else [])
        for label, fn in runs:
            w, c = time.perf_counter(), time.process_time()
            got = fn(chunks, leads, words)
            w, c = time.perf_counter() - w, time.process_time() - c
            pairs = sum(len(v) for v in got.values()) // 2
            print(
                f"[twins] {n:>8} đoạn {label:>7}: {w:.2f} s wall, {c:.2f} s CPU; {len(got)} đoạn có bản trùng, {pairs} cặp"
            )


if __name__ == "__main__":
    main()
