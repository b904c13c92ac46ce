"""Benchmark (not a test): ingest time and peak memory for the corpus and for a synthetic
corpus 100 times larger. Each run is a fresh process, so peaks do not mix.

    make bench            # or: python scripts/bench_ingest.py [--scale 100]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_ingest(sources: Path, work: Path) -> dict:
    """One ingest in a fresh process; its peak is its VmHWM (its ru_maxrss would count this
    process's peak too: a vfork + exec child inherits it)."""
    env = dict(
        os.environ,
        TROLY_SOURCES_DIR=str(sources),
        TROLY_INDEX_DIR=str(work / "index"),
        TROLY_CATALOG_PATH=str(ROOT / "data" / "catalog.toml"),
    )
    code = (
        "import json,time,sys;from assistant.api import Assistant;from assistant.settings import Settings;"
        "t=time.perf_counter();r=Assistant(Settings()).ingest(progress=False);"
        "print(json.dumps({'seconds':time.perf_counter()-t,'chunks':r.chunks,'errors':len(r.errors),"
        "'peak_mb':int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])/1024}))"
    )
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - t0
    return result


def synthetic(sources: Path, dest: Path, scale: int) -> Path:
    dest.mkdir(parents=True)
    for path in sorted(sources.iterdir()):
        for i in range(scale):
            shutil.copyfile(path, dest / f"{path.stem}-{i:03d}{path.suffix}")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    sources = ROOT / "data" / "sources"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = run_ingest(sources, tmp / "corpus")
        print(
            f"Kho văn bản: {corpus['chunks']} đoạn, nạp trong {corpus['seconds']:.2f} s "
            f"(cả khởi động {corpus['wall_seconds']:.2f} s), bộ nhớ đỉnh {corpus['peak_mb']:.0f} MB"
        )
        big = synthetic(sources, tmp / "big-sources", args.scale)
        large = run_ingest(big, tmp / "big")
        print(
            f"Kho tổng hợp x{args.scale}: {large['chunks']} đoạn, nạp trong {large['seconds']:.1f} s, "
            f"bộ nhớ đỉnh {large['peak_mb']:.0f} MB"
        )
        print(json.dumps({"corpus": corpus, f"synthetic_x{args.scale}": large}, indent=1))


if __name__ == "__main__":
    main()
