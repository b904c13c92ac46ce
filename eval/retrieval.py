"""Retrieval metrics against gold evidence: recall@k and MRR, overall and by type.

A gold evidence item counts as retrieved at rank r when the r-th hit holds it, or when the
r-th hit is a heading whose direct children hold it (the answer step receives a heading's
items, which list questions need). recall@k of a question is the share of its gold items
retrieved within the first k hits; MRR uses the first rank at which any gold item appears.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from .dataset import GoldLocator, Question

KS = (1, 5, 10)


@dataclass
class RetrievalResult:
    question: Question
    standalone: str
    ranks: list[int | None]  # first rank of each gold item, None when not in the top max(KS)
    hit_ids: list[str]
    seconds: float

    def recall(self, k: int) -> float:
        return sum(r is not None and r <= k for r in self.ranks) / len(self.ranks)

    @property
    def reciprocal_rank(self) -> float:
        found = [r for r in self.ranks if r is not None]
        return 1.0 / min(found) if found else 0.0


@dataclass
class RetrievalReport:
    results: list[RetrievalResult] = field(default_factory=list)

    def metrics(self, results: list[RetrievalResult] | None = None) -> dict[str, float]:
        rs = self.results if results is None else results
        if not rs:
            return {}
        out = {f"recall@{k}": sum(r.recall(k) for r in rs) / len(rs) for k in KS}
        out["mrr"] = sum(r.reciprocal_rank for r in rs) / len(rs)
        out["n"] = len(rs)
        return out

    def by_type(self) -> dict[str, dict[str, float]]:
        groups: dict[str, list[RetrievalResult]] = defaultdict(list)
        for r in self.results:
            groups[r.question.type].append(r)
        return {t: self.metrics(rs) for t, rs in sorted(groups.items())}


def evaluate_retrieval(search, condense, table, questions: list[Question], k: int = max(KS)) -> RetrievalReport:
    """search(query, k) -> hits; condense(question, history) -> standalone question."""
    locator = GoldLocator(table)
    report = RetrievalReport()
    for q in questions:
        if not q.answerable or not q.gold:
            continue
        standalone = condense(q.question, q.history) if q.history else q.question
        t0 = time.perf_counter()
        hits = search(standalone, k)
        seconds = time.perf_counter() - t0
        ranks: list[int | None] = []
        for gold in q.gold:
            rank = None
            for r, hit in enumerate(hits, 1):
                family = [hit.chunk] + table.children.get(hit.chunk.id, [])
                if any(locator.covers(c, gold) for c in family):
                    rank = r
                    break
            ranks.append(rank)
        report.results.append(RetrievalResult(q, standalone, ranks, [h.chunk.id for h in hits], seconds))
    return report
