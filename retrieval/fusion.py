"""Rank fusion as pure functions."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

H = TypeVar("H", bound=Hashable)  # what is ranked: a row number, an id


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[H]], weights: Mapping[str, float] | None = None, k: float = 60.0
) -> dict[H, float]:
    """Weighted reciprocal rank fusion: score(d) = Σ_r w_r / (k + rank_r(d)), ranks from 1.

    A document absent from a ranking gets nothing from it. Returns scores, unsorted.
    """
    scores: dict[H, float] = {}
    for name, ranking in rankings.items():
        w = 1.0 if weights is None else weights.get(name, 1.0)
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return scores


def interleave(lists: Sequence[Sequence[H]], limit: int) -> list[H]:
    """Round-robin merge without repeats: the best of each list first."""
    out: list[H] = []
    seen: set[H] = set()
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
