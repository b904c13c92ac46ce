"""A learned second stage over the head of the fused list: a linear model over the
general features of retrieval/features.py, fitted on the dev split with a pairwise
logistic loss (a relevant clause should outscore an irrelevant one of the same question)
and L2 regularization, by scripts/fit_rerank.py with k-fold cross-validation. The weights
are data: retrieval/resources/rerank.json. Plain numpy; no model download.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .features import NAMES

RESOURCE = "rerank.json"


@dataclass(frozen=True)
class LinearReranker:
    """score(x) = Σ w_f (x_f - mean_f) / scale_f over the named features."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    def score(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean) / self.scale) @ self.weights

    def to_json(self, **notes) -> dict:
        return {
            "features": list(self.names),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            **notes,
        }

    @classmethod
    def from_json(cls, data: dict) -> LinearReranker:
        """A model over NAMES; a feature the file lacks weighs nothing, one NAMES lacks is refused."""
        unknown = set(data["features"]) - set(NAMES)
        if unknown:
            raise ValueError(f"rerank weights name unknown features: {sorted(unknown)}")
        pos = {n: i for i, n in enumerate(data["features"])}
        pick = lambda key, default: np.array(
            [data[key][pos[n]] if n in pos else default for n in NAMES], dtype=np.float64
        )
        return cls(NAMES, pick("mean", 0.0), pick("scale", 1.0), pick("weights", 0.0))


@lru_cache(maxsize=1)
def default_reranker() -> LinearReranker | None:
    """The shipped weights (None when the file is absent)."""
    path = resources.files("retrieval.resources").joinpath(RESOURCE)
    if not path.is_file():
        return None
    return LinearReranker.from_json(json.loads(path.read_text("utf-8")))


def fit(
    groups: list[tuple[np.ndarray, np.ndarray]],
    loss: str = "pairwise",
    l2: float = 1.0,
    prior: dict[str, float] | None = None,
    steps: int = 500,
) -> LinearReranker:
    """Fit on groups of (features of one question's candidates, 0/1 relevance).

    ``pairwise``: the mean over questions of the mean log(1 + e^-(s_pos - s_neg)) over its
    (relevant, irrelevant) pairs. ``listwise``: the mean over questions of minus the log
    of the softmax mass of its relevant rows (the chance the top row is relevant).
    Regularized by l2/2 |w - w0|² on standardized features, where w0 is ``prior`` (raw
    feature weights, e.g. the hand-weighted rerank {"fused": 1, "coverage": 1.5}) scaled
    by the factor that fits the data best, or zero. Gradient descent with a backtracking
    line search; deterministic."""
    X_all = np.vstack([X for X, _ in groups])
    mean = X_all.mean(axis=0)
    scale = X_all.std(axis=0)
    scale = np.where(scale < 1e-9, 1.0, scale)
    mean[0], scale[0] = 0.0, 1.0
    data = [((X - mean) / scale, y > 0) for X, y in groups if (y > 0).any() and (y <= 0).any()]
    w0 = np.zeros(len(NAMES))
    if not data:
        return LinearReranker(NAMES, mean, scale, w0)
    objective = _pairwise(data) if loss == "pairwise" else _listwise(data)
    if prior:
        w0 = np.array([prior.get(n, 0.0) for n in NAMES]) * scale
        w0 *= min((2.0**e for e in np.arange(-6, 8, 0.25)), key=lambda t: objective(t * w0)[0])

    def penalized(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = objective(w)
        d = w - w0
        grad = grad + l2 * d
        grad[0] = 0.0
        return value + 0.5 * l2 * float(d @ d), grad

    return LinearReranker(NAMES, mean, scale, _descend(penalized, w0.copy(), steps))


def _pairwise(data):
    pairs = []
    for Z, pos in data:
        D = (Z[pos][:, None, :] - Z[~pos][None, :, :]).reshape(-1, Z.shape[1])
        pairs.append(D)
    sizes = np.array([len(D) for D in pairs])
    D = np.vstack(pairs)
    weight = np.repeat(1.0 / (sizes * len(pairs)), sizes)

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        m = D @ w
        return float(weight @ np.logaddexp(0.0, -m)), D.T @ (weight * -_sigmoid(-m))

    return objective


def _listwise(data):
    n = len(data)

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = 0.0, np.zeros_like(w)
        for Z, pos in data:
            s = Z @ w
            p = np.exp(s - s.max())
            q = np.where(pos, np.exp(s - s[pos].max()), 0.0)
            # -log Σ_pos softmax(s) = logsumexp(s) - logsumexp(s[pos]); gradient E_p[z] - E_q[z]
            value += (s.max() + np.log(p.sum()) - s[pos].max() - np.log(q.sum())) / n
            grad += ((p / p.sum()) @ Z - (q / q.sum()) @ Z) / n
        return value, grad

    return objective


def _descend(f, w: np.ndarray, steps: int) -> np.ndarray:
    value, grad = f(w)
    rate = 1.0
    for _ in range(steps):
        while True:
            trial = w - rate * grad
            t_value, t_grad = f(trial)
            if t_value <= value - 0.5 * rate * float(grad @ grad) or rate < 1e-9:
                break
            rate *= 0.5
        if rate < 1e-9:
            break
        w, value, grad = trial, t_value, t_grad
        rate *= 2.0
        if float(np.abs(grad).max()) < 1e-7:
            break
    return w


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))
