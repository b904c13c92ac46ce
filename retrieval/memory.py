"""Handing the memory a large step freed back to the system (issue 13, scale: an ingest's
peak memory).

Python objects and numpy's smaller arrays live on the C allocator's heap; what a step
frees there stays resident (the allocator keeps it for the next allocations) unless the
free pages are handed back, and the next step's arrays, often too large for the heap's
free pieces, are then mapped on top of it: at 100,000 chunks the vectors, the parse's
and the BM25 build's temporaries stayed resident through the steps after them.
``release`` asks glibc's allocator to hand back every free page (``malloc_trim(0)``),
between the ingest's steps. Only what is free is handed back: nothing computed changes.
Elsewhere (another C library, another system) it does nothing.
"""

from __future__ import annotations

import sys

_trim = None  # glibc's malloc_trim, found once (False: there is none)


def _trimmer():
    global _trim
    if _trim is None:
        _trim = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                trim = ctypes.CDLL(None).malloc_trim  # (the process's own C library)
                trim.argtypes = [ctypes.c_size_t]
                trim.restype = ctypes.c_int
                _trim = trim
            except (OSError, AttributeError):  # musl and others: no malloc_trim
                _trim = False
    return _trim


def release() -> bool:
    """Hand the allocator's free pages back to the system; whether any were (False where
    the C library has no such call)."""
    trim = _trimmer()
    return bool(trim(0)) if trim else False
