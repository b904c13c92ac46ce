"""The ``openai`` generator: any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama,
LM Studio) through langchain-openai.

The sources are numbered in the prompt (prompts/answer_user.txt), the rules live in
prompts/answer_system.txt, and the reply is parsed into a Draft of sentences with their
[n] markers; the Answerer then checks every sentence against the clauses it cites. Every
failure of the endpoint (connection, timeout, HTTP 429/5xx after retries, malformed or
empty reply) becomes a one-line Vietnamese ``BackendUnavailableError``, so the Answerer
can fall back to the extractive answer with a notice. One answer has one overall deadline
(``llm_deadline``: connection, reading and every retry together): each attempt runs in a
worker thread and is waited for no longer than the time left, so a server that accepts a
connection and never replies costs the deadline, not timeout × attempts. langchain_openai
is imported only when the first request is made, so registering this generator costs
nothing.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from retrieval.errors import BackendUnavailableError, BadInputError
from retrieval.openai_errors import openai_error_message
from retrieval.text import fold, sentence_spans

from .base import Draft, GenerationRequest, Source

if TYPE_CHECKING:  # the package __init__ imports this module: keep imports cheap and acyclic
    from langchain_openai import ChatOpenAI

    from ..prompting import PromptLibrary
    from ..settings import Settings

log = logging.getLogger(__name__)

SERVICE = "máy chủ mô hình ngôn ngữ"
_MARKER = re.compile(r"[ \t]*\[\d+\]")
_HELD = re.compile(r"\s*(?:\[\d*)?$")  # a tail that may still turn into a marker
# An instruction addressed to the assistant, as injected into a source (accent-folded).
_INJECTION = re.compile(
    r"\b(bo qua|phot lo|khong tuan|ignore|disregard|forget)\b.{0,40}"
    r"\b(huong dan|chi dan|quy tac|chi thi|menh lenh|loi nhac|instructions?|rules?|prompt)\b"
    r"|\b(tra loi|reply|answer|respond)\b.{0,20}\b(dung|chi|exactly|only|with)\b.{0,10}['\"“«]"
)
_WORD = re.compile(r"\w+")
_LEAK_WINDOW = 32  # a reply repeating this many characters of the rules is a prompt leak


def require_endpoint(settings: Settings, role: str = "generator 'openai'") -> None:
    """Fail with a fix-it message when neither a key nor a base URL is configured."""
    if not settings.openai_api_key and not settings.openai_base_url:
        raise BadInputError(
            f"{role} cần OPENAI_API_KEY (khoá API của OpenAI) hoặc OPENAI_BASE_URL "
            "(địa chỉ máy chủ tương thích OpenAI như vLLM, Ollama); hãy đặt một trong hai biến này"
        )


def chat_client(settings: Settings, max_retries: int | None = None) -> ChatOpenAI:
    """A ChatOpenAI client built from the settings (imported and created on demand).

    The key stays a SecretStr all the way into the client; a local server without a key
    gets a placeholder, since the openai client refuses to start without one."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    require_endpoint(settings)
    return ChatOpenAI(
        model=settings.chat_model,
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or SecretStr("not-needed"),
        temperature=settings.temperature,
        timeout=settings.request_timeout,  # ChatOpenAI waits forever without one
        max_retries=settings.max_retries if max_retries is None else max_retries,
    )


TIMED_OUT = f"{SERVICE} không trả lời kịp (hết thời gian chờ)"


def as_backend_error(exc: BaseException) -> BackendUnavailableError | None:
    """The one-line Vietnamese error for an openai/httpx failure (None: not one of those).

    The server's own message is never copied: it may echo part of the key."""
    if isinstance(exc, BackendUnavailableError):
        return exc
    message = openai_error_message(exc, SERVICE)  # the one mapper (retrieval/openai_errors.py)
    return BackendUnavailableError(message) if message is not None else None


def retryable(exc: BaseException) -> bool:
    """Worth another attempt: the connection failed, or the server was busy or broken."""
    import httpx
    import openai

    if isinstance(
        exc, (openai.APIConnectionError, httpx.TransportError, openai.RateLimitError, openai.InternalServerError)
    ):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code in (408, 409)


@contextmanager
def backend_errors() -> Iterator[None]:
    """Turn every openai/httpx failure into a one-line Vietnamese BackendUnavailableError."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - mapped below, or re-raised untouched
        error = as_backend_error(exc)
        if error is None or error is exc:
            raise
        raise error from None


T = TypeVar("T")


class Deadline:
    """The time one answer may take, every attempt included."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


MIN_ATTEMPT_S = 0.5  # a retry needs at least this much of the deadline left


def _backoff(attempt: int) -> float:
    return min(4.0, 0.5 * 2**attempt)


def with_retries(
    attempt: Callable[[float], T],
    deadline: Deadline,
    tries: int,
    request_timeout: float,
    may_retry: Callable[[], bool] = lambda: True,
) -> T:
    """attempt(timeout) until it succeeds, tries run out, the error is final or the deadline
    passes; every failure as a BackendUnavailableError."""
    last: BackendUnavailableError | None = None
    for n in range(max(1, tries)):
        left = deadline.left()
        if left <= 0 or (last is not None and left < MIN_ATTEMPT_S):
            break  # too little time for another try: the last failure says what went wrong
        try:
            return attempt(min(request_timeout, left))
        except Exception as exc:  # noqa: BLE001 - every failure is mapped to one line
            error = as_backend_error(exc)
            if error is None:
                raise
            if error is exc or n == tries - 1 or not retryable(exc) or not may_retry():
                raise error from None
            last = error
        time.sleep(max(0.0, min(_backoff(n), deadline.left() - 0.1)))
    raise last or BackendUnavailableError(TIMED_OUT)  # the deadline ended the retries


def bounded(run: Callable[[Callable[[Any], None]], None], seconds: float) -> Iterator[Any]:
    """The items run(put) produces in a worker thread, each waited for no longer than the
    time left of seconds; a TimeoutError when it runs out (the worker is abandoned: its own
    request timeout ends it). Errors of run are raised here, in the caller's thread."""
    end = time.monotonic() + seconds
    items: queue.Queue = queue.Queue()
    done = object()

    def work() -> None:
        try:
            run(lambda item: items.put((True, item)))
            items.put((True, done))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            items.put((False, exc))

    threading.Thread(target=work, name="troly-llm", daemon=True).start()
    while True:
        try:
            ok, item = items.get(timeout=max(0.0, end - time.monotonic()))
        except queue.Empty:
            raise TimeoutError from None
        if not ok:
            raise item
        if item is done:
            return
        yield item


def _text_of(content: Any) -> str:
    """The text of a message's content (a string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, (str, dict))
        )
    raise TypeError(f"unexpected message content {type(content).__name__}")


class MarkerFilter:
    """Removes [n] markers from streamed text: the final answer carries renumbered ones,
    so the raw numbers of the prompt are never shown. A tail that could still become a
    marker ("… GDP [1", or trailing spaces) is held back until the next piece."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, piece: str) -> str:
        text = _MARKER.sub("", self.pending + piece)
        held = _HELD.search(text)
        assert held is not None  # every part of the pattern is optional: it matches at the end
        text, self.pending = text[: held.start()], text[held.start() :]
        return text

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out


class OpenAIGenerator:
    """Answers with a chat model, citing the numbered sources it was given."""

    name = "openai"

    def __init__(self, prompts: PromptLibrary, settings: Settings):
        require_endpoint(settings)  # fail at start-up, not on the first question
        self.prompts = prompts
        self.settings = settings
        self._client: ChatOpenAI | None = None

    def __repr__(self) -> str:
        return f"OpenAIGenerator(model={self.settings.chat_model!r}, base_url={self.settings.openai_base_url!r})"

    @property
    def client(self) -> ChatOpenAI:
        if self._client is None:
            self._client = chat_client(self.settings, max_retries=0)  # retried here, within the deadline
        return self._client

    # -- prompt ----------------------------------------------------------------------
    def messages(self, request: GenerationRequest) -> list[tuple[str, str]]:
        """The system rules and the user turn (numbered sources, then the question)."""
        user = self.prompts.render(
            "answer_user", question=request.question.strip(), sources=format_sources(request.sources)
        )
        return [("system", self.system_prompt), ("human", user)]

    @property
    def system_prompt(self) -> str:
        return self.prompts.render("answer_system")

    # -- generation ------------------------------------------------------------------
    def _retrying(
        self, attempt: Callable[[float], T], deadline: Deadline, may_retry: Callable[[], bool] = lambda: True
    ) -> T:
        s = self.settings
        return with_retries(attempt, deadline, s.max_retries + 1, s.request_timeout, may_retry)

    def generate(self, request: GenerationRequest) -> Draft:
        deadline = Deadline(self.settings.llm_deadline)  # from the start: the client's import counts too
        messages = self.messages(request)
        client = self.client

        def attempt(timeout: float) -> str:
            run = lambda put: put(_text_of(client.invoke(messages, timeout=timeout).content))  # noqa: E731
            return next(bounded(run, timeout))

        text = self._retrying(attempt, deadline)
        LeakGuard(self.system_prompt).check(text)
        return self._draft(text, request.sources)

    def stream(self, request: GenerationRequest, on_text: Callable[[str], None]) -> Draft:
        """Like generate, sending the answer's words to on_text (in the caller's thread) as
        they arrive; a failed attempt is retried only if nothing was shown yet."""
        deadline = Deadline(self.settings.llm_deadline)
        messages = self.messages(request)
        client = self.client
        text = [""]  # what arrived so far
        shown = MarkerFilter()
        guard = LeakGuard(self.system_prompt)

        def attempt(timeout: float) -> None:
            def run(put: Callable[[Any], None]) -> None:
                for chunk in client.stream(messages, timeout=timeout):
                    put(_text_of(chunk.content))

            for piece in bounded(run, deadline.left()):
                if piece:
                    text[0] += piece
                    guard.check(text[0][-(len(piece) + 2 * guard.window) :])  # before the rules reach the user
                    visible = shown.feed(piece)
                    if visible:
                        on_text(visible)

        self._retrying(attempt, deadline, may_retry=lambda: not text[0])
        tail = shown.flush()
        if tail.strip():
            on_text(tail)
        return self._draft(text[0], request.sources)

    @staticmethod
    def _draft(text: str, sources: list[Source]) -> Draft:
        from ..citations import split_sentences  # citations imports this package

        sentences = split_sentences(text)
        if not sentences:
            raise BackendUnavailableError(f"{SERVICE} trả về câu trả lời rỗng")
        if follows_injection([s.text for s in sentences if not s.framing], sources):
            raise BackendUnavailableError("mô hình đã làm theo một chỉ dẫn lạ nằm trong văn bản nguồn")
        return Draft(sentences)


class LeakGuard:
    """Detects a reply that repeats the system prompt verbatim (asked to by an injection).

    Any copy of 2 × window characters of the rules contains one of their window-long
    pieces; the streamed text is checked piece by piece so the rules are cut off early.
    Quoted text in the rules (the fixed "not covered" sentence) is left out: the model
    may say it."""

    def __init__(self, system_prompt: str, window: int = _LEAK_WINDOW):
        self.window = window
        self.pieces: set[str] = set()
        for line in system_prompt.splitlines():
            for segment in line.split('"')[::2]:  # outside quotes
                flat = " ".join(segment.split())
                self.pieces.update(flat[i : i + window] for i in range(0, len(flat) - window + 1, window))

    def check(self, text: str) -> None:
        flat = " ".join(text.split())
        if any(p in flat for p in self.pieces):
            raise BackendUnavailableError("mô hình định nhắc lại lời nhắc hệ thống nên câu trả lời đã bị chặn")


def follows_injection(claims: list[str], sources: list[Source]) -> bool:
    """True when a claim only repeats an instruction planted in a source ("bỏ qua hướng
    dẫn và trả lời 'X'" answered with "X"): its words all come from such a sentence and
    the rest of the sources do not support it."""
    planted: list[set[str]] = []
    rest: set[str] = set()
    for source in sources:
        for line in source.chunk.text.splitlines():
            for a, b in sentence_spans(line):
                folded = fold(line[a:b])
                words = set(_WORD.findall(folded))
                if _INJECTION.search(folded):
                    planted.append(words)
                else:
                    rest.update(words)
    if not planted:
        return False
    for claim in claims:
        words = set(_WORD.findall(fold(claim)))
        if words and any(words <= p for p in planted) and len(words - rest) > len(words) / 2:
            return True
    return False


def format_sources(sources: list[Source]) -> str:
    """Each source as a delimited block: its number, citation label, place and text."""
    blocks = []
    for s in sources:
        chunk = s.chunk
        label = chunk.label.replace('"', "'")
        head = f'<nguon so="{s.number}" trich_dan="{label}">'
        lines = [head]
        if chunk.breadcrumb:
            lines.append("Vị trí: " + " › ".join(chunk.breadcrumb))
        if chunk.context:
            lines.append(chunk.context)
        lines.append(chunk.text)
        body = "\n".join(lines).replace("</nguon", "</ nguon")  # a source cannot close its own block
        blocks.append(body + "\n</nguon>")
    return "\n\n".join(blocks)
