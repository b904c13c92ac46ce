"""Reads never fail during ingests (issue 11, item 5): reader processes ask questions while
the index is rebuilt again and again; none fails, a long-lived reader follows the new
generations between questions, and no old generation is left once nobody holds it."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT
from tests.support.corpus import DATA

READERS = 3
INGESTS = 4


def test_readers_never_fail_while_ingests_publish_new_generations(indexed, tmp_path):
    s = indexed.settings
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(
        json.dumps(
            {
                "data_dir": str(s.data_dir),
                "sources_dir": str(s.sources),
                "index_dir": str(s.index),
                "catalog_path": str(DATA / "catalog.toml"),
                "abstain_threshold": s.abstain_threshold,
            }
        ),
        "utf-8",
    )
    stop = tmp_path / "stop"
    ready = [tmp_path / f"ready-{n}" for n in range(READERS)]
    readers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.reader", str(settings_file), str(r), str(stop), "600"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r in ready
    ]
    try:
        deadline = time.monotonic() + 300
        while not all(r.exists() for r in ready) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in readers), "a reader exited early"
            time.sleep(0.2)
        assert all(r.exists() for r in ready), "the readers never answered"
        vhl = s.sources / "kh-vhl.txt"
        published = []
        for n in range(INGESTS):
            vhl.write_text(vhl.read_text("utf-8") + f"\n\n{n + 9}. Dòng thêm số {n} để có thế hệ mới.\n", "utf-8")
            report = Assistant(s).ingest(progress=False)
            assert report.updated == ["kh-vhl"] and not report.errors
            published.append(report.generation)
            time.sleep(1.0)  # let the readers ask on this generation too
    finally:
        stop.touch()
    results = []
    for p in readers:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["failures"] == 0 for r in results), [r["errors"] for r in results]
    assert all(r["answers"] > 0 for r in results)
    # the long-lived readers switched to newer generations between questions
    assert any(len(r["generations"]["long"]) >= 2 for r in results)
    assert all(set(r["generations"]["long"]) <= set(published) | {r["generations"]["long"][0]} for r in results)
    # nobody holds the old generations any more: the next cleanup leaves only the live one
    indexed.index_dir.collect()
    assert [p.name for p in s.index.glob("gen-*")] == [published[-1]]
