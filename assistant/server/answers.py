"""Where the API computes answers: a bounded FIFO queue in front of a few answer slots, in
threads of the HTTP process (``ThreadAnswers``) or in answer processes of their own
(``ProcessAnswers``, ``troly serve --workers K`` with the offline generator).

With the offline default an answer is pure Python under the GIL, so one process is one
core and K cores need K processes. uvicorn's own worker processes share the listening
socket, and each keeps the keep-alive connections it happened to accept: 50 clients
opening their connections at once split 37:13 and 31:19 between two workers (asyncio
accepts every queued connection on one wake-up), so one process queued about three times
longer than the other and the p95 of the whole was set by the crowded one. Here one HTTP
process reads every request and hands the answers to K processes in arrival order:
whichever connection a request came on, it waits only for the requests before it.

Beyond ``queue`` waiting requests a request is refused at once with 503 ``server_busy``
(``Retry-After``), in the OpenAI error format, instead of waiting without end."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread

from .errors import ApiError
from .logs import LOGGER

if TYPE_CHECKING:
    from retrieval.types import Hit

    from ..api import Assistant
    from ..settings import Settings
    from ..types import Answer, Message

T = TypeVar("T")
log = logging.getLogger(LOGGER)
OFFLINE_GENERATORS = ("extractive", "offline", "default")


def answers_in_processes(settings: Settings) -> bool:
    """Whether ``--workers K`` means K answer processes behind one HTTP process: with the
    offline generator (CPU-bound answers). An LLM answer waits on the network for seconds,
    which threads do well, so there K uvicorn workers each run answer threads."""
    return settings.generator in OFFLINE_GENERATORS


def busy() -> ApiError:
    return ApiError(
        503, "máy chủ đang quá tải; hãy thử lại sau ít giây", code="server_busy", headers={"Retry-After": "2"}
    )


class AnswerPool:
    """``slots`` answers computed at once, up to ``queue`` more waiting in arrival order;
    runs on the event loop (no lock: ``waiting`` is touched only there)."""

    kind = "threads"

    def __init__(self, slots: int, queue: int):
        self.slots, self.queue = max(1, slots), max(0, queue)
        self.waiting = 0  # admitted and not finished: computing or queued

    def check(self) -> None:
        """ApiError 503 when the queue is full (also checked before a stream starts)."""
        if self.waiting >= self.queue + self.slots:
            raise busy()

    @contextmanager
    def _admitted(self) -> Iterator[None]:
        self.check()
        self.waiting += 1
        try:
            yield
        finally:
            self.waiting -= 1

    async def ask(self, question: str, history: list[Message], doc: str | None) -> Answer:
        raise NotImplementedError

    async def search(self, query: str, k: int, doc: str | None) -> list[Hit]:
        raise NotImplementedError

    def warm(self) -> None:
        """Every answer slot ready (the index loaded there); raises a TrolyError if not.
        Called from a thread."""

    def close(self) -> None:
        """Stop, letting the answers in flight finish."""


class ThreadAnswers(AnswerPool):
    """Answers computed by the HTTP process's own Assistant in up to ``threads`` threads
    (anyio's capacity limiter hands its slots out first come, first served)."""

    def __init__(self, assistant: Assistant, threads: int, queue: int):
        super().__init__(threads, queue)
        self.assistant = assistant
        self._limiter = anyio.CapacityLimiter(self.slots)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        with self._admitted():
            return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    async def ask(self, question: str, history: list[Message], doc: str | None) -> Answer:
        return await self._run(self.assistant.ask, question, history, doc)

    async def search(self, query: str, k: int, doc: str | None) -> list[Hit]:
        return await self._run(self.assistant.search, query, k, doc)


# -- answer processes -------------------------------------------------------------------
_worker: Assistant | None = None


def _init_worker(settings: Settings) -> None:
    """In each answer process: its own Assistant over the same settings, one BLAS thread,
    the index loaded now (a failure is raised again by the warm-up job, not here: an
    initializer that raises breaks the whole pool)."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the HTTP process, which stops us
    from threadpoolctl import threadpool_limits

    from retrieval.errors import TrolyError

    from ..api import Assistant

    threadpool_limits(limits=1, user_api="blas")
    _worker = Assistant(settings)
    try:
        _warm_worker()
    except TrolyError:
        pass


def _warm_worker() -> int:
    """The first query paid for (index, models, token encoding); the process id."""
    import os

    from retrieval.tokens import count_tokens

    assert _worker is not None
    _worker.search("nghị quyết", 1)
    count_tokens("nghị quyết")
    return os.getpid()


def _ask(question: str, history: list[Message], doc: str | None) -> Answer:
    assert _worker is not None
    return _worker.ask(question, history, doc)


def _search(query: str, k: int, doc: str | None) -> list[Hit]:
    assert _worker is not None
    return _worker.search(query, k, doc)


class ProcessAnswers(AnswerPool):
    """K answer processes fed from one FIFO queue (a ProcessPoolExecutor: each process
    takes the next request when it is free). An answer crosses the process boundary as a
    pickle (≈ 8 KB, 0.3 ms both ways). A process that dies (killed, out of memory) breaks
    the pool: the requests in flight get 503 and a new pool is started."""

    kind = "processes"

    def __init__(self, settings: Settings, processes: int, queue: int):
        super().__init__(processes, queue)
        self.settings = settings
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.slots,
            mp_context=multiprocessing.get_context("spawn"),  # never fork a process running an event loop
            initializer=_init_worker,
            initargs=(self.settings,),
        )

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        with self._admitted():
            executor = self._executor
            try:
                return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
            except BrokenProcessPool:
                if executor is self._executor:
                    log.warning("answer process died; starting the answer processes again")
                    self._executor = self._start()
                    for _ in range(self.slots):  # the new processes load their index now, not on a question
                        self._executor.submit(_warm_worker)
                    executor.shutdown(wait=False, cancel_futures=True)
                raise ApiError(
                    503,
                    "một tiến trình trả lời vừa dừng đột ngột và đang được khởi động lại; hãy thử lại sau ít giây",
                    code="server_busy",
                    headers={"Retry-After": "5"},
                ) from None

    async def ask(self, question: str, history: list[Message], doc: str | None) -> Answer:
        return await self._run(_ask, question, history, doc)

    async def search(self, query: str, k: int, doc: str | None) -> list[Hit]:
        return await self._run(_search, query, k, doc)

    def warm(self) -> None:
        """One warm-up job per process, at once (each process takes one while the others
        are still loading; a process that failed to load its index raises it here)."""
        for job in [self._executor.submit(_warm_worker) for _ in range(self.slots)]:
            job.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True)
