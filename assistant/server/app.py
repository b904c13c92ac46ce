"""The FastAPI application, wired in one visible place: settings → Assistant (public API
only), FeedbackStore, key ring, rate limiter, answer pool (threads, or answer processes:
answers.py); middleware; routes; errors.

The index is loaded in the background after start-up, so /healthz answers at once and
/readyz says when answers can be served. ``create_app()`` with no argument reads Settings
from the environment (uvicorn's ``--factory`` with several workers)."""

from __future__ import annotations

import asyncio
import logging
import threading
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from retrieval.errors import TrolyError

from ..api import Assistant
from ..feedback import FeedbackStore
from ..settings import Settings
from . import errors, routes
from .answers import OFFLINE_GENERATORS, AnswerPool, ProcessAnswers, ThreadAnswers
from .auth import KeyRing
from .limits import BodyLimit, RateLimiter
from .logs import LOGGER, AccessLog
from .models import Limits

log = logging.getLogger(LOGGER)


class Runtime:
    """What the routes share: the Assistant, the store, and whether the index is loaded."""

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant | None = None,
        store: FeedbackStore | None = None,
        processes: int = 1,
    ):
        s = self.settings = settings
        self.assistant = assistant or Assistant(settings)
        self.store = store or FeedbackStore.from_settings(settings)
        self.keys = KeyRing.from_settings(settings)
        self.limiter = RateLimiter(s.rate_limit_per_minute, s.rate_limit_burst)
        self.pool: AnswerPool
        if processes > 1:  # answers in K processes of their own, fed in arrival order (see answers.py)
            self.pool = ProcessAnswers(settings, processes, s.serve_queue)
        else:
            threads = s.serve_threads or (4 if s.generator in OFFLINE_GENERATORS else 32)
            self.pool = ThreadAnswers(self.assistant, threads, s.serve_queue)
        self.limits = Limits(s.serve_model, s.max_question_chars, s.max_messages)
        self.ready = False
        self.error: str | None = "đang nạp chỉ mục"
        self._warm_lock = threading.Lock()

    def warm(self) -> bool:
        """Load the index and pay for the first query now (runs in a thread)."""
        with self._warm_lock:
            if self.ready:
                return True
            try:
                self.assistant.search("nghị quyết", 1)
                generator = self.assistant.answerer.generator
                getattr(generator, "client", None)  # an LLM client is built (and imported) now, not on a question
                from retrieval.tokens import count_tokens

                count_tokens("nghị quyết")  # the encoding for usage counts, loaded once
                self.pool.warm()  # the answer processes' own indexes, when there are some
            except TrolyError as exc:
                self.error = str(exc)
                log.warning("index not loaded", extra={"fields": {"reason": self.error}})
                return False
            self.ready, self.error = True, None
            log.info("index loaded", extra={"fields": {"chunks": len(self.assistant.table.chunks)}})
            return True


def one_blas_thread() -> None:
    """One BLAS thread per process. A server computes many answers side by side; OpenBLAS
    splitting each small product (the dense search's 890×1024 matrix times a vector) over
    two threads made it wait for a free core: 15-18 ms instead of 0.3 ms on a busy 2-core
    machine, the largest single cost of an answer."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def create_app(settings: Settings | None = None, runtime: Runtime | None = None, processes: int = 1) -> FastAPI:
    """The API app for these settings; answers computed in ``processes`` answer processes
    when more than one (else in threads of this process)."""
    settings = settings or Settings()
    rt = runtime or Runtime(settings, processes=processes)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        one_blas_thread()
        log.info(
            "starting",
            extra={
                "fields": {
                    "model": settings.serve_model,
                    "auth": rt.keys.enabled,
                    "generator": settings.generator,
                    "answers_in": rt.pool.kind,
                    "answer_slots": rt.pool.slots,
                    "queue": rt.pool.queue,
                    "database": "sqlite" if rt.store.is_sqlite else "postgresql",
                }
            },
        )
        rt.pool.bind(asyncio.get_running_loop())  # answer processes, when there are some, start now
        threading.Thread(target=rt.warm, name="troly-warm", daemon=True).start()
        yield
        log.info("stopping")
        rt.pool.close()
        await anyio.to_thread.run_sync(rt.store.close)

    # /openapi.json describes the API; no /docs page: Swagger UI would load its script from a CDN
    app = FastAPI(title="Trợ lý Nghị quyết API", version="1", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.runtime = rt
    errors.install(app)
    app.include_router(routes.router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_kb * 1024)
    app.add_middleware(AccessLog)  # outermost: sees every response, 413 included
    return app
