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
    get = scores.get
    for name, ranking in rankings.items():
        w = 1.0 if weights is None else weights.get(name, 1.0)
        # perf (issue 13): each rank's share w / (k + rank) made once per (w, k), the same quotients
        for item, share in zip(ranking, _shares(w, k, len(ranking))):
            scores[item] = get(item, 0.0) + share
    return scores


_SHARES: dict[tuple[float, float], list[float]] = {}


def _shares(w: float, k: float, n: int) -> list[float]:
    """``[w / (k + rank) for rank in range(1, n + 1)]``, kept per (w, k) and grown as needed."""
    got = _SHARES.get((w, k))
    if got is None or len(got) < n:
        if len(_SHARES) > 64:
            _SHARES.clear()
        got = _SHARES[(w, k)] = [w / (k + rank) for rank in range(1, max(n, 256) + 1)]
    return got


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
