"""Rank fusion as pure functions."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def reciprocal_rank_fusion(
    rankings: dict[str, Sequence[Hashable]], weights: dict[str, float] | None = None, k: float = 60.0
) -> dict[Hashable, float]:
    """Weighted reciprocal rank fusion: score(d) = Σ_r w_r / (k + rank_r(d)), ranks from 1.

    A document absent from a ranking gets nothing from it. Returns scores, unsorted.
    """
    scores: dict[Hashable, float] = {}
    for name, ranking in rankings.items():
        w = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return scores


def interleave(lists: Sequence[Sequence[Hashable]], limit: int) -> list[Hashable]:
    """Round-robin merge without repeats: the best of each list first."""
    out: list[Hashable] = []
    seen: set[Hashable] = set()
    depth = 0
    while len(out) < limit and any(depth < len(lst) for lst in lists):
        for lst in lists:
            if depth < len(lst) and lst[depth] not in seen:
                out.append(lst[depth])
                seen.add(lst[depth])
                if len(out) == limit:
                    break
        depth += 1
    return out
