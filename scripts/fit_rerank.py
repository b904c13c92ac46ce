"""Fit the learned reranker (retrieval/rerank.py) on the dev split and write its weights to
retrieval/resources/rerank.json. Not a test; run by hand after changing the features or
the search:

    python scripts/fit_rerank.py                 # choose l2 by 5-fold CV on dev, fit on all dev, write
    python scripts/fit_rerank.py --l2 1,3,10 --no-write

For every l2 tried it prints the cross-validated dev figures (each fold's questions
searched with weights fitted on the other folds, through the whole search), beside the
hand-weighted rerank's. The test split is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from importlib import resources

import numpy as np

from assistant.api import Assistant
from assistant.types import Message
from eval.dataset import GoldLocator, load_questions
from eval.retrieval import RetrievalReport, evaluate_retrieval
from retrieval.rerank import RESOURCE, fit
from retrieval.search import HybridSearcher, SearchConfig


def searcher_like(app: Assistant, config: SearchConfig | None = None, reranker=None) -> HybridSearcher:
    config = config if config is not None else SearchConfig()
    base = app.searcher
    s = HybridSearcher(base.table, base.lexical, base.dense, base.recognizer, config, profiles=base.profiles)
    s.reranker = reranker
    return s


def condenser(app: Assistant):
    return lambda q, h: app.condense(q, [Message(m["role"], m["content"]) for m in h])


def groups_of(app: Assistant, questions) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
    """Per question: the learned stage's inputs in every search it made, labelled by whether
    the row (or one of its items) holds a gold evidence of the question."""
    searcher = searcher_like(app)
    locator = GoldLocator(app.table)
    chunks, children = app.table.chunks, app.table.children
    seen: list[tuple[list[int], np.ndarray]] = []
    searcher.observe = lambda query, rows, X: seen.append((list(rows), X.copy()))
    condense = condenser(app)
    out: dict[str, list] = {}
    for q in questions:
        if not q.answerable or not q.gold:
            continue
        seen.clear()
        searcher.search(condense(q.question, q.history) if q.history else q.question, 10)
        groups = []
        for rows, X in seen:
            y = np.array(
                [
                    any(locator.covers(c, g) for c in [chunks[i]] + children.get(chunks[i].id, []) for g in q.gold)
                    for i in rows
                ],
                dtype=np.float64,
            )
            groups.append((X, y))
        out[q.id] = groups
    return out


def fold_of(qid: str, k: int, salt: int = 0) -> int:
    return int(hashlib.sha256(f"{salt}:{qid}".encode()).hexdigest(), 16) % k


def metrics(app: Assistant, searcher: HybridSearcher, questions) -> dict[str, float]:
    return evaluate_retrieval(lambda q, k: searcher.search(q, k), condenser(app), app.table, questions).metrics()


HAND = {"fused": 1.0, "coverage": 1.5}  # the hand-weighted rerank (SearchConfig.coverage_weight), as a prior


def cross_validate(app: Assistant, questions, groups, k: int, repeats: int = 1, **how) -> dict[str, float]:
    """Figures of the k held-out folds pooled, averaged over ``repeats`` different splits
    into folds."""
    runs = []
    for salt in range(repeats):
        results = []
        for f in range(k):
            train = [g for qid, gs in groups.items() if fold_of(qid, k, salt) != f for g in gs]
            held = [q for q in questions if fold_of(q.id, k, salt) == f]
            searcher = searcher_like(app, reranker=fit(train, **how))
            results += evaluate_retrieval(searcher.search, condenser(app), app.table, held).results
        runs.append(RetrievalReport(results).metrics())
    return {key: sum(r[key] for r in runs) / len(runs) for key in runs[0]}


def show(name: str, m: dict[str, float]) -> str:
    return f"{name}: recall@1 {m['recall@1']:.3f} recall@5 {m['recall@5']:.3f} recall@10 {m['recall@10']:.3f} mrr {m['mrr']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--l2", default="0.3,1,3,10,30")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="splits into folds averaged over")
    parser.add_argument("--loss", choices=["pairwise", "listwise"], default="pairwise")
    parser.add_argument(
        "--no-prior", action="store_true", help="regularize toward zero, not toward the hand-weighted rerank"
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    app = Assistant()
    dev = load_questions(split="dev")
    hand = searcher_like(app, SearchConfig(learned_rerank=False))
    print(show("dev, hand-weighted rerank", metrics(app, hand, dev)))
    groups = groups_of(app, dev)
    how = lambda l2: {"loss": args.loss, "l2": l2, "prior": None if args.no_prior else HAND}
    best = None
    for l2 in [float(v) for v in args.l2.split(",")]:
        m = cross_validate(app, dev, groups, args.folds, args.repeats, **how(l2))
        print(show(f"dev, {args.folds}-fold CV, l2={l2:g}", m))
        if best is None or m["recall@5"] + 0.5 * m["mrr"] > best[1]["recall@5"] + 0.5 * best[1]["mrr"] + 1e-9:
            best = (l2, m)
    l2, cv = best
    model = fit([g for gs in groups.values() for g in gs], **how(l2))
    print(show(f"dev, fitted on all dev, l2={l2:g}", metrics(app, searcher_like(app, reranker=model), dev)))
    for name, w in sorted(zip(model.names, model.weights), key=lambda t: -abs(t[1])):
        print(f"  {name:<16}{w:+.3f}")
    if not args.no_write:
        notes = {
            "loss": args.loss,
            "l2": l2,
            "prior": None if args.no_prior else HAND,
            "fitted_on": "dev",
            "cv_folds": args.folds,
            "cv_repeats": args.repeats,
            "cv_dev": {k: round(v, 4) for k, v in cv.items() if k != "n"},
            "method": "scripts/fit_rerank.py",
        }
        path = resources.files("retrieval.resources").joinpath(RESOURCE)
        with open(str(path), "w", encoding="utf-8") as f:
            json.dump(model.to_json(**notes), f, ensure_ascii=False, indent=1)
        print("wrote", path)


if __name__ == "__main__":
    main()
