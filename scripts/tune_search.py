"""Fit the search weights (retrieval/search.py SearchConfig) on the dev split; print the
dev figures of every setting tried and, for the chosen one only, the test figures beside
them (the test split is never used to choose).

Coordinate ascent: each parameter in turn takes the value of its grid that scores best on
dev (recall@5 + MRR / 2), the others held; two passes. Not a test; run by hand:

    python scripts/tune_search.py                      # the default grid
    python scripts/tune_search.py prf_docs=0,3,5 prf_weight=0.2,0.4
"""

from __future__ import annotations

import sys
from dataclasses import asdict, replace

from assistant.api import Assistant
from assistant.types import Message
from eval.dataset import load_questions
from eval.retrieval import evaluate_retrieval
from retrieval.search import HybridSearcher, SearchConfig

GRID = {
    "rrf_k": [5.0, 10.0, 20.0, 40.0],
    "dense_weight": [0.5, 0.75, 1.0, 1.25],
    "coverage_weight": [0.75, 1.0, 1.5, 2.0],
    "rerank_depth": [20, 30, 50],
    "title_prior": [0.6, 0.8, 1.0],
    "year_conflict_prior": [0.2, 0.3, 0.5, 1.0],
    "elsewhere_margin": [0.25, 0.3, 0.4],
    "subject_body_boost": [1.0, 1.5, 2.0],
    "parent_depth": [0, 4, 6, 8],
    "synonym_weight": [0.0, 0.3, 0.5],
    "synonym_dense": [False, True],
    "prf_docs": [0, 3, 5],
    "prf_weight": [0.2, 0.3, 0.5],
}


def figures(app: Assistant, config: SearchConfig, questions) -> dict[str, float]:
    base = app.searcher
    searcher = HybridSearcher(
        base.table, base.lexical, base.dense, base.recognizer, config, base.reranker, base.profiles
    )

    def condense(question, history):
        return app.condense(question, [Message(m["role"], m["content"]) for m in history])

    return evaluate_retrieval(lambda q, k: searcher.search(q, k), condense, app.table, questions).metrics()


def objective(m: dict[str, float]) -> float:
    return m["recall@5"] + 0.5 * m["mrr"]


def show(name: str, m: dict[str, float]) -> str:
    return f"{name}: recall@1 {m['recall@1']:.3f} recall@5 {m['recall@5']:.3f} recall@10 {m['recall@10']:.3f} mrr {m['mrr']:.3f}"


def main(argv: list[str]) -> None:
    grid = dict(GRID)
    if argv:
        grid = {}
        for arg in argv:
            key, _, values = arg.partition("=")
            kind = type(getattr(SearchConfig(), key))
            grid[key] = [(v.lower() in ("1", "true")) if kind is bool else kind(v) for v in values.split(",")]
    app = Assistant()
    dev, test = load_questions(split="dev"), load_questions(split="test")
    config = SearchConfig()
    best = figures(app, config, dev)
    print(show("dev, as shipped", best))
    for _ in range(2):
        for key, values in grid.items():
            for value in values:
                if value == getattr(config, key):
                    continue
                trial = replace(config, **{key: value})
                m = figures(app, trial, dev)
                print(f"  {key}={value}: " + show("dev", m))
                if objective(m) > objective(best) + 1e-9:
                    config, best = trial, m
    changed = {k: v for k, v in asdict(config).items() if v != getattr(SearchConfig(), k)}
    print("chosen on dev:", changed or "as shipped")
    print(show("dev ", best))
    print(show("test", figures(app, config, test)))


if __name__ == "__main__":
    main(sys.argv[1:])
