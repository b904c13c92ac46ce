"""The Chroma collection of a new generation, written by a child process while the ingest
goes on (issue 13: about half of a corpus ingest was importing chromadb and adding the
vectors, on one core while the other waited).

The child starts as soon as the ingest knows it will write a generation, imports chromadb
while the parent parses and embeds, then reads one request on its stdin (the Chroma
folder, the generation's vectors.npy, the chunk ids, the collection's metadata) and adds
the vectors in batches. The parent waits for it before the generation goes live
(``IndexDir.publish``), so a published generation always has its whole collection, as
before; a failed write fails the ingest and nothing is published. Readers never wait for
it: they read vectors.npy (retrieval/vectors.py). The child imports nothing of ours:
only chromadb and numpy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .errors import IndexUnavailableError

# perf (issue 13): what the child runs before it imports chromadb, each step leaving out
# what the child never uses. httpx (which chromadb imports for its model downloads) loads
# its command line (rich, pygments, click: a tenth of the child's CPU) unless that import
# fails, which httpx expects and handles (installed without its "cli" extra).
PRELUDE = r"""
import sys


class _NoHttpxCommandLine:
    def find_spec(self, name, path=None, target=None):
        if name == "httpx._main":
            raise ImportError(name)
        return None


sys.meta_path.insert(0, _NoHttpxCommandLine())

# chromadb's classes check, as each is made, that a method marked @override has the
# signature of the one it overrides (a development aid: a sixth of the child's import);
# the marks stay, the checks are skipped
def _override(method=None, **_):
    if method is None:
        return _override
    method.__override__ = True
    return method


try:
    import overrides
except ImportError:  # (a chromadb that does without it)
    pass
else:
    overrides.override = overrides.overrides = _override


# chromadb imports its OpenTelemetry exporter (grpc, protobuf: another sixth) at load and
# builds it only for tracing, which the child's settings turn off
class _NoExporter:
    def __init__(self, *args, **kwargs):
        raise ImportError("the Chroma writer does not trace (chroma_otel_granularity none)")


_exporter = type(sys)("opentelemetry.exporter.otlp.proto.grpc.trace_exporter")
_exporter.OTLPSpanExporter = _NoExporter
sys.modules.setdefault(_exporter.__name__, _exporter)
"""

CHILD = (
    PRELUDE
    + r"""
import json
import numpy as np
try:
    import chromadb
except Exception as exc:  # reported when a request comes
    chromadb, failed = None, exc
line = sys.stdin.readline()
if not line.strip():
    sys.exit(0)  # the ingest wrote nothing after all
if chromadb is None:
    raise failed
r = json.loads(line)
settings = chromadb.Settings(anonymized_telemetry=False, chroma_otel_granularity="none")
client = chromadb.PersistentClient(path=r["path"], settings=settings)
collection = client.get_or_create_collection(r["collection"], metadata=r["metadata"], embedding_function=None)
matrix = np.load(r["vectors"], mmap_mode="r")
ids = r["ids"]
if len(ids) != len(matrix):
    sys.exit(f"{len(matrix)} vectors for {len(ids)} chunks")
batch = max(1, min(int(r["batch"]), client.get_max_batch_size()))
for i in range(0, len(ids), batch):
    collection.add(ids=ids[i : i + batch], embeddings=np.asarray(matrix[i : i + batch], dtype=np.float32))
del collection, matrix
close = getattr(client, "close", None)  # (chromadb >= 1.1) its system stopped, its files closed
if close is not None:
    close()
print("ok", flush=True)
sys.stderr.flush()
# perf (issue 13): the collection is written and closed; the interpreter's own teardown of
# chromadb's modules and threads took the ingest's last quarter of a second, waiting for it
import os
os._exit(0)
"""
)


class ChromaWriter:
    """One child process that writes one collection."""

    def __init__(self) -> None:
        # one BLAS thread: the child only copies vectors, and OpenBLAS's worker spins a while
        # as it loads (perf, issue 13)
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        self._proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.path: Path | None = None  # the Chroma folder it was asked to write

    def write(self, path: Path, vectors: Path, ids: list[str], collection: str, metadata: dict[str, Any], batch: int):
        """Send the request; the write goes on in the child (``wait`` for it)."""
        assert self._proc is not None and self._proc.stdin is not None
        self.path = path
        request = {
            "path": str(path),
            "vectors": str(vectors),
            "ids": ids,
            "collection": collection,
            "metadata": metadata,
            "batch": batch,
        }
        self._proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self._proc.stdin.close()
        self._proc.stdin = None  # sent: communicate() must not flush it

    def wait(self) -> None:
        """Until the collection is written; IndexUnavailableError when the child failed."""
        if self.path is None:  # nothing was asked of it (the generation has dense cells instead)
            self.cancel()
            return
        proc, self._proc = self._proc, None
        if proc is None:
            return
        out, err = proc.communicate()
        if proc.returncode != 0 or out.strip() != "ok":
            last = (err.strip().splitlines() or [f"mã thoát {proc.returncode}"])[-1]
            raise IndexUnavailableError(f"không ghi được kho vectơ {self.path}: {last[:300]}")

    def cancel(self) -> None:
        """Stop the child (the ingest failed or wrote nothing); what it wrote is left in the
        unpublished generation, which the next cleanup removes."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.kill()
        proc.communicate()
