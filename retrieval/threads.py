"""How many threads the numeric libraries (BLAS, OpenMP) of this process may use.

The dense search is one small matrix-vector product per query: with BLAS's default
threads (one per core) it costs 8 ms on 2 busy cores instead of 0.04 ms with one, and the
spinning threads also slow the pure-Python steps around it. So the process limits them
once, deliberately, with threadpoolctl (``TROLY_BLAS_THREADS``, default 1; 0 leaves the
libraries' own choice). Nothing is left in the environment: the limit is set through
the libraries' own calls, for this process only. Measured by scripts/bench_perf.py.

perf (issue 13: cold start): where numpy is not loaded yet, ``load_numpy`` loads it with
the limit already in OpenBLAS's variable, read once as the library loads (the variable is
put back as it was right after): OpenBLAS then starts no thread of its own, which saved a
cold `troly ask` about 50 ms of CPU (the worker it starts spins a while), and threadpoolctl
is not needed.
"""

from __future__ import annotations

import os
import sys

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


_VARIABLE = "OPENBLAS_NUM_THREADS"  # read by OpenBLAS as it loads, before GOTO_/OMP_NUM_THREADS


def load_numpy(n: int) -> None:
    """Import numpy, its BLAS limited to n threads (0: the libraries' own choice). Where
    numpy is loaded already, or its BLAS is not OpenBLAS, the limit is set through
    threadpoolctl (``limit_threads``)."""
    global _applied
    if n <= 0 or _applied == n:
        return
    if "numpy" in sys.modules:
        limit_threads(n)
        return
    saved = os.environ.get(_VARIABLE)
    os.environ[_VARIABLE] = str(n)
    try:
        import numpy
    finally:
        if saved is None:
            os.environ.pop(_VARIABLE, None)
        else:
            os.environ[_VARIABLE] = saved
    try:
        blas = numpy.__config__.CONFIG["Build Dependencies"]["blas"]["name"]
    except (AttributeError, KeyError, TypeError):
        blas = ""
    if "openblas" in str(blas).lower():
        _applied = n  # OpenBLAS read the limit as it loaded
    else:
        limit_threads(n)
