"""Dense cells: an inverted-file (IVF) index over a generation's vectors, for the dense
search above its exact limit (issue 13: a million clauses).

The normalized vectors are clustered (spherical k-means with numpy, on an even sample of
the rows) into about √n cells; each vector is stored, normalized and in cell order, in
``cells.npy`` (float32: numpy converts float16 in software, which cost more than reading
twice the bytes), with the centroids and each cell's rows in ``cells.npz``. A query scores
the centroids, reads the rows of its best cells (contiguous slices of the file, read, not
mapped: what was read does not stay in memory), scores them and returns the best rows.
Below the limit nothing here is built or read: the search stays exact.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from .index import EXACT_LIMIT  # noqa: F401 - (defined where the ingest reads it before numpy loads)

CELLS = "cells.npz"  # centroids (cells x dim, float32), offsets (cells + 1), rows (n, in cell order)
CODES = "cells.npy"  # the normalized vectors in cell order (n x dim, float32)
SAMPLE_PER_CELL = 40  # k-means runs on about this many rows per cell
ITERATIONS = 8
BATCH = 8192  # rows read and assigned at a time


def _normalized(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def cell_count(n: int) -> int:
    return max(1, int(round(math.sqrt(n))))


def _kmeans(sample: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Spherical k-means: centroids (k x dim, unit rows) of the sample's rows."""
    rng = np.random.default_rng(seed)
    centroids = sample[rng.choice(len(sample), size=k, replace=False)].copy()
    for _ in range(ITERATIONS):
        assign = np.argmax(sample @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assign, sample)
        counts = np.bincount(assign, minlength=k)
        empty = np.flatnonzero(counts == 0)
        if len(empty):  # an empty cell takes a random row of the sample
            sums[empty] = sample[rng.choice(len(sample), size=len(empty), replace=False)]
        centroids = _normalized(sums)
    return centroids


def build_cells(gen: Path, vectors, seed: int = 0) -> None:
    """cells.npz and cells.npy of the generation ``gen`` from ``vectors`` (a VectorFile or
    an array: ``len`` and contiguous slices), a batch of rows at a time."""
    n = len(vectors)
    dim = int(vectors.shape[1])
    k = min(cell_count(n), n)
    stride = max(1, n // (k * SAMPLE_PER_CELL))
    sample = np.concatenate([_normalized(vectors[i : i + BATCH])[::stride] for i in range(0, n, BATCH)])
    centroids = _kmeans(sample, min(k, len(sample)), seed)
    del sample
    assign = np.empty(n, dtype=np.int32)
    for i in range(0, n, BATCH):
        assign[i : i + BATCH] = np.argmax(_normalized(vectors[i : i + BATCH]) @ centroids.T, axis=1)
    rows = np.argsort(assign, kind="stable").astype(np.int64)
    offsets = np.zeros(len(centroids) + 1, dtype=np.int64)
    np.cumsum(np.bincount(assign, minlength=len(centroids)), out=offsets[1:])
    place = np.empty(n, dtype=np.int64)  # row -> its place in cell order
    place[rows] = np.arange(n)
    del assign
    tmp = gen / (CODES + ".tmp")
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False, "shape": (n, dim)}
    with open(tmp, "wb") as f:
        np.lib.format.write_array_header_1_0(f, header)
        start = f.tell()
        f.truncate(start + n * dim * 4)
        fd = f.fileno()
        for i in range(0, n, BATCH):
            block = _normalized(vectors[i : i + BATCH])
            at = place[i : i + len(block)]
            # rows next to each other in cell order are written in one call
            order = np.argsort(at, kind="stable")
            runs = np.flatnonzero(np.diff(at[order]) != 1) + 1
            for run in np.split(order, runs):
                os.pwrite(fd, block[run].tobytes(), start + int(at[run[0]]) * dim * 4)
    np.savez(gen / (CELLS + ".tmp.npz"), centroids=centroids, offsets=offsets, rows=rows.astype(np.int32))
    os.replace(gen / (CELLS + ".tmp.npz"), gen / CELLS)
    os.replace(tmp, gen / CODES)


def has_cells(gen: Path) -> bool:
    return (gen / CELLS).exists() and (gen / CODES).exists()


class DenseCells:
    """The cells of one generation, for reading: the rows of the cells nearest a query
    (about ``probe_rows`` of them, at least ``min_cells`` cells), scored exactly."""

    def __init__(self, gen: Path, probe_rows: int = 8_000, min_cells: int = 8):
        with np.load(gen / CELLS) as z:
            self.centroids = np.asarray(z["centroids"], dtype=np.float32)
            self.offsets = np.asarray(z["offsets"], dtype=np.int64)
            self.rows = np.asarray(z["rows"], dtype=np.int32)
        self.path = gen / CODES
        with open(self.path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(f)
            self._start = f.tell()
        if dtype != np.float32 or len(shape) != 2 or shape[0] != len(self.rows):
            raise ValueError(f"{CODES} does not match {CELLS}")
        self.dim = int(shape[1])
        self.probe_rows, self.min_cells = probe_rows, min_cells
        self._fd = os.open(self.path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def __len__(self) -> int:
        return len(self.rows)

    def probed(self, query: np.ndarray) -> list[int]:
        """The cells a query reads, best first."""
        order = np.argsort(-(self.centroids @ query), kind="stable")
        sizes = np.diff(self.offsets)[order]
        enough = int(np.searchsorted(np.cumsum(sizes), self.probe_rows)) + 1
        return order[: max(self.min_cells, enough)].tolist()

    def search(self, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosines) of the best ``n`` rows of the probed cells, best first (ties in
        row order)."""
        q = np.asarray(query, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        rows, scores = [], []
        row_bytes = self.dim * 4
        for cell in sorted(self.probed(q)):  # file order: neighbouring cells read in turn
            a, b = int(self.offsets[cell]), int(self.offsets[cell + 1])
            if a == b:
                continue
            data = os.pread(self._fd, (b - a) * row_bytes, self._start + a * row_bytes)
            scores.append(np.frombuffer(data, dtype=np.float32).reshape(b - a, self.dim) @ q)
            rows.append(self.rows[a:b])
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        all_rows = np.concatenate(rows).astype(np.int64)
        all_scores = np.concatenate(scores)
        by_row = np.argsort(all_rows, kind="stable")  # ties broken by row, as the exact search does
        all_rows, all_scores = all_rows[by_row], all_scores[by_row]
        top = np.argsort(-all_scores, kind="stable")[:n]
        return all_rows[top], all_scores[top]
