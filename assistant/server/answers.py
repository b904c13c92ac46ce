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
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread

from .errors import ApiError
from .logs import LOGGER

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

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

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called on the event loop at start-up, before warm()."""

    def warm(self) -> None:
        """Every answer slot ready (the index loaded there); raises a TrolyError if not.
        Called from a thread."""

    def close(self) -> None:
        """Stop (on the event loop, once the requests in flight have finished)."""


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


def _warm_worker() -> int:
    """The first query paid for (index, models, token encoding); the process id."""
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


DEPTH = 2  # jobs sent to one answer process at once: the one it computes and the next
JOBS: dict[str, Callable[..., Any]] = {"ask": _ask, "search": _search, "warm": _warm_worker}


def _answer_process(conn: Connection, settings: Settings) -> None:
    """An answer process: its own Assistant over the same settings, one BLAS thread; then
    one job at a time from its pipe, the result (or the exception) sent back, until the
    HTTP process closes the pipe (or dies). SIGINT and SIGTERM are left to the HTTP
    process, which stops accepting, lets the answers in flight finish, then closes it."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from threadpoolctl import threadpool_limits

    from ..api import Assistant

    threadpool_limits(limits=1, user_api="blas")
    _worker = Assistant(settings)
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, JOBS[name](*args))
        except Exception as exc:  # a TrolyError goes back as it is (a 4xx/503 there), anything else a 500
            reply = (False, exc)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            conn.send((False, RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


class _Process:
    """One answer process and the jobs sent to it (at most DEPTH)."""

    def __init__(self, ctx: Any, settings: Settings):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_answer_process, args=(child, settings), name="troly-answers", daemon=True)
        self.process.start()
        child.close()
        self.jobs: deque[asyncio.Future] = deque()  # sent, in order; the process answers them in turn


class ProcessAnswers(AnswerPool):
    """K answer processes fed from one FIFO queue, in arrival order. The event loop itself
    writes each job to the pipe of the least busy process (at most DEPTH in a pipe) and
    reads the reply when the pipe turns readable: no thread in between, so a request
    costs two hand-overs (≈ 8 KB pickled answer, 0.3 ms both ways). A process that dies
    (killed, out of memory) fails only the requests sent to it (503) and is replaced."""

    kind = "processes"

    def __init__(self, settings: Settings, processes: int, queue: int):
        super().__init__(processes, queue)
        self.settings = settings
        self._ctx = multiprocessing.get_context("spawn")  # never fork a process running an event loop
        self._jobs: deque[tuple[str, tuple[Any, ...], asyncio.Future]] = deque()
        self._procs: list[_Process] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        for _ in range(self.slots):
            self._spawn()

    def _spawn(self) -> _Process:
        assert self._loop is not None
        proc = _Process(self._ctx, self.settings)
        self._procs.append(proc)
        self._loop.add_reader(proc.conn.fileno(), self._on_reply, proc)
        # uvloop (libuv) makes a polled descriptor non-blocking; a reply over 16 KB comes in
        # two writes, and recv() must wait for its second half instead of failing
        os.set_blocking(proc.conn.fileno(), True)
        return proc

    def _send(self, proc: _Process, name: str, args: tuple[Any, ...], fut: asyncio.Future) -> None:
        proc.jobs.append(fut)
        try:
            proc.conn.send((name, args))
        except OSError as exc:  # died while idle, not noticed yet
            self._died(proc, exc)

    def _dispatch(self) -> None:
        """The next requests, in arrival order, to the least busy processes: one computing
        and one waiting in its pipe, so that a process never idles while the HTTP process
        waits for a core to hand it the next (a hand-over costs a wake-up)."""
        while self._jobs and self._procs:
            proc = min(self._procs, key=lambda p: len(p.jobs))
            if len(proc.jobs) >= DEPTH:
                return
            name, args, fut = self._jobs.popleft()
            if not fut.done():  # a request whose client went away is dropped here
                self._send(proc, name, args, fut)

    def _on_reply(self, proc: _Process) -> None:
        try:
            ok, value = proc.conn.recv()
        except (EOFError, OSError) as exc:
            self._died(proc, exc)
            return
        fut = proc.jobs.popleft()
        if not fut.done():
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)
        self._dispatch()

    def _died(self, proc: _Process, why: BaseException) -> None:
        assert self._loop is not None
        self._loop.remove_reader(proc.conn.fileno())
        proc.conn.close()
        proc.process.join(2)  # reaped (its pipe closed: it is gone or going)
        self._procs.remove(proc)
        for fut in proc.jobs:
            if not fut.done():
                fut.set_exception(
                    ApiError(
                        503,
                        "tiến trình trả lời câu hỏi này vừa dừng đột ngột và đang được khởi động lại; hãy thử lại sau ít giây",
                        code="server_busy",
                        headers={"Retry-After": "5"},
                    )
                )
        if self._closing:
            return
        log.warning(
            "answer process died; starting another",
            extra={"fields": {"exitcode": proc.process.exitcode, "reason": repr(why)}},
        )
        self._spawn()
        self._dispatch()

    async def _run(self, name: str, *args: Any) -> Any:
        assert self._loop is not None
        with self._admitted():
            fut = self._loop.create_future()
            self._jobs.append((name, args, fut))
            self._dispatch()
            return await fut

    async def ask(self, question: str, history: list[Message], doc: str | None) -> Answer:
        return await self._run("ask", question, history, doc)

    async def search(self, query: str, k: int, doc: str | None) -> list[Hit]:
        return await self._run("search", query, k, doc)

    async def _warm_all(self) -> None:
        """One warm-up job sent to each process (not through the queue), awaited together."""
        assert self._loop is not None
        jobs = []
        for proc in list(self._procs):
            fut = self._loop.create_future()
            self._send(proc, "warm", (), fut)
            jobs.append(fut)
        await asyncio.gather(*jobs)

    def warm(self) -> None:
        """Each process loads its index (a failure, e.g. no index yet, is raised here)."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self._warm_all(), self._loop).result()

    def close(self) -> None:
        self._closing = True
        for proc in list(self._procs):
            if self._loop is not None:
                self._loop.remove_reader(proc.conn.fileno())
            proc.conn.close()  # the process reads EOF and exits
        for proc in self._procs:
            proc.process.join(10)
            if proc.process.is_alive():
                proc.process.kill()
