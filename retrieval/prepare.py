"""The work an ingest does before it takes the lock, each piece once whatever the lock's
wait brings: read a file (its digest), parse it (file_pipeline), embed each distinct
chunk text."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import DocumentError
from .file_pipeline import ChunkingOptions, file_digest, parse_file, pipeline_version
from .ingest_plan import document_of
from .loading import read_bytes
from .sources import SourceFile, named_for_user
from .types import Chunk

if TYPE_CHECKING:
    import numpy as np

    from .chroma_writer import ChromaWriter

Progress = Callable[[str, float], None]  # (what is being done, in Vietnamese; its share done 0..1)
EMBED_BATCH = 256  # texts per embedder call


class _NoBar:
    """The bar when none is shown: tqdm is not even imported (perf, issue 13: importing it
    costs an ingest 60 ms, a third of it in importlib.metadata)."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: float = 1) -> None:
        return None


def _bar(disable: bool, **kwargs):
    """tqdm's bar, or none when it would be disabled."""
    if disable:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(**kwargs, leave=False)


class Preparation:
    """Files read, parsed and embedded once, whatever the lock's wait brings."""

    def __init__(
        self,
        options: ChunkingOptions,
        max_bytes: int | None,
        embedder,
        progress: bool,
        on_progress: Progress | None = None,
    ):
        self.options, self.max_bytes, self.embedder, self.progress = options, max_bytes, embedder, progress
        self.report = on_progress or (lambda stage, share: None)
        self.version = pipeline_version(options)
        self._parsed: dict[str, tuple[list[Chunk] | None, str, str]] = {}  # digest -> (chunks, text, error)
        self._vectors: dict[str, np.ndarray] = {}  # embedding text -> vector (a row of a block)
        # the matrices the rows above are views of, one per embedding call (see _embed)
        self._blocks: list[np.ndarray] = []
        # the child process writing the new generation's Chroma collection (issue 13), started
        # once a generation will be written, so that it imports chromadb while we parse
        self.collection_writer: ChromaWriter | None = None

    def start_collection_writer(self) -> None:
        from .chroma_writer import ChromaWriter

        if self.collection_writer is None:
            self.collection_writer = ChromaWriter()

    def finish_collection_writer(self) -> None:
        """Wait until the collection is written (raises when the child failed)."""
        writer, self.collection_writer = self.collection_writer, None
        if writer is not None:
            writer.wait()

    def cancel_collection_writer(self) -> None:
        writer, self.collection_writer = self.collection_writer, None
        if writer is not None:
            writer.cancel()

    def read(self, src: SourceFile) -> None:
        """Fill in the file's digest (and the error that keeps it from being read)."""
        try:
            if src.origin.is_dir():
                raise DocumentError(str(src.origin), "đây là một thư mục, không phải tệp")
            data = read_bytes(src.origin)
        except DocumentError as exc:
            src.error, src.digest = str(exc), ""
            return
        src.size = len(data)
        src.data_sha = hashlib.sha256(data).hexdigest()
        src.digest = file_digest(data, document_of(src), self.version)
        src.data = data

    def parse(self, sources: list[SourceFile]) -> None:
        """Parse every file not parsed yet, with a bar that moves by the bytes parsed."""
        todo = [s for s in sources if s.digest and s.digest not in self._parsed]
        total = sum(s.size for s in todo)
        with _bar(
            not self.progress or not todo, total=total, desc="Đọc và phân tích văn bản", unit="B", unit_scale=True
        ) as bar:
            before = 0  # bytes of the files parsed before this one
            for src in todo:
                self._parse_one(src, bar, before, total)
                before += src.size
        for src in sources:
            if src.digest in self._parsed:
                src.chunks, src.text, error = self._parsed[src.digest]
                src.error = src.error or error

    def _parse_one(self, src: SourceFile, bar, before: int, total: int) -> None:
        done = [0.0]

        def tick(share: float) -> None:
            bar.update(src.size * (share - done[0]))
            done[0] = share
            self.report(f"Đọc và phân tích {src.name}", (before + src.size * share) / max(total, 1))

        def page(n: int, pages: int) -> None:
            self.report(f"Nhận dạng chữ (OCR) {src.name}: trang {n}/{pages}", n / pages)

        try:
            chunks, text = parse_file(
                src.target, document_of(src), self.options, self.max_bytes, data=src.data, progress=tick, on_page=page
            )
            self._parsed[src.digest] = (chunks, text, "")
        except DocumentError as exc:
            self._parsed[src.digest] = (None, "", named_for_user(exc, src))
        tick(1.0)
        src.data = None

    def embed(self, chunks: list[Chunk]) -> None:
        """Embed the chunks' texts not embedded yet in this ingest."""
        self._embed([c.embedding_text() for c in chunks])

    def vectors(self, chunks: list[Chunk]) -> np.ndarray:
        """Vectors of the chunks' embedding texts (one matrix, chunk order), each text
        embedded once per ingest."""
        import numpy as np

        texts = [c.embedding_text() for c in chunks]
        self._embed(texts)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def vector_of(self, chunk: Chunk) -> np.ndarray:
        """The vector of a chunk embedded in this ingest."""
        return self._vectors[chunk.embedding_text()]

    def forget_vectors(self) -> None:
        """Let go of the embedded vectors (the generation's matrix holds them now)."""
        self._vectors.clear()
        self._blocks.clear()
        forget = getattr(self.embedder, "forget_cache", None)  # (its memo of the corpus's features too)
        if forget is not None:
            forget()

    def _batch(self, texts: list[str]) -> np.ndarray:
        """The texts' vectors as float32 rows; straight from an embedder that offers them so
        (the hashing embedder's embed_array), else from its lists."""
        embed_array = getattr(self.embedder, "embed_array", None)
        if embed_array is not None:
            return embed_array(texts)
        import numpy as np

        return np.asarray(self.embedder.embed_documents(texts), dtype=np.float32)

    def _embed(self, texts: list[str]) -> None:
        """Embed the texts not embedded yet, a batch at a time, into one matrix (the cache
        holds views of its rows). perf (issue 13, scale): one allocation, let go at once by
        forget_vectors; a matrix per batch (1 MB) was left scattered over the heap among
        the parse's objects, so that freeing them returned nothing to the system (at
        100,000 chunks the 400 MB of vectors stayed resident through the rest of the
        ingest). The rows are the batches' values, unchanged."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        block = None
        with _bar(not self.progress or not missing, total=len(missing), desc="Nhúng văn bản", unit="đoạn") as bar:
            for i in range(0, len(missing), EMBED_BATCH):
                part = missing[i : i + EMBED_BATCH]
                rows = self._batch(part)
                if block is None:
                    import numpy as np

                    block = np.empty((len(missing), *rows.shape[1:]), dtype=np.float32)
                    self._blocks.append(block)
                block[i : i + len(part)] = rows
                del rows
                for j, text in enumerate(part, i):
                    self._vectors[text] = block[j]
                bar.update(len(part))
                self.report("Nhúng văn bản", min(i + EMBED_BATCH, len(missing)) / len(missing))
