"""How many threads the numeric libraries (BLAS, OpenMP) of this process may use.

The dense search is one small matrix-vector product per query: with BLAS's default
threads (one per core) it costs 8 ms on 2 busy cores instead of 0.04 ms with one, and the
spinning threads also slow the pure-Python steps around it. So the process limits them
once, deliberately, with threadpoolctl (``TROLY_BLAS_THREADS``, default 1; 0 leaves the
libraries' own choice). Nothing is written to the environment: the limit is set through
the libraries' own calls, for this process only. Measured by scripts/bench_perf.py.
"""

from __future__ import annotations

_applied: int | None = None
_limiter = None  # keeps threadpoolctl's handle alive (the limit lasts as long as the process)


def limit_threads(n: int) -> int | None:
    """Limit BLAS/OpenMP pools to n threads (0: leave them); idempotent. Call after numpy
    is imported (threadpoolctl sees only the libraries already loaded)."""
    global _applied, _limiter
    if n <= 0 or _applied == n:
        return _applied
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # a core dependency; without it the libraries keep their own choice
        return None

    _limiter = threadpool_limits(limits=n)
    _applied = n
    return n
