"""Probe the search with questions generated from the documents (retrieval/probes.py): for each
way of typing (without tone marks, keywords only, a job preamble, a wrong document, a
heading's items...), the share of probes whose source clause is in the top 5. A general
check that needs no written questions; run by hand:

    python scripts/probe_search.py               # 80 clauses, seed 0
    python scripts/probe_search.py 200 1 --misses  # 200 clauses, seed 1, and print the misses
"""

from __future__ import annotations

import sys
import time

from assistant.api import Assistant
from retrieval.probes import ProbeMaker, run_probes


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    per_kind = int(args[0]) if args else 80
    seed = int(args[1]) if len(args) > 1 else 0
    app = Assistant()
    searcher = app.searcher
    names = {d.id: d.cite_as for d in app.catalog.documents if d.authority == "official"}
    maker = ProbeMaker(app.table, names, searcher.lexical.idf, lambda t: searcher.lexical.doc_freq.get(t, 0), seed=seed)
    probes = maker.make(per_kind)
    t0 = time.perf_counter()
    report = run_probes(lambda q, k: searcher.search(q, k), app.table, probes)
    seconds = time.perf_counter() - t0
    print(report.show())
    print(f"{len(probes)} probes, {1000 * seconds / len(probes):.1f} ms each")
    if "--misses" in argv:
        by_id = app.table.by_id
        for p in probes:
            if not report.outcome[p]:
                print(f"[{p.kind}] {p.query}\n    -> {by_id[p.target].label}: {by_id[p.target].text[:110]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
