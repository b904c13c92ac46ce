"""Feedback on answers and the conversations they belong to, in one SQL database reached
through SQLAlchemy (``Settings.database``): a SQLite file by default
(``data/feedback.sqlite3``), PostgreSQL when several replicas share it. The schema is kept
by the Alembic migrations shipped in ``assistant/migrations`` and applied on first use; a
file written before the migrations existed is adopted as it is, nothing lost.

Conversations are stored turn by turn with each answer's citations, so a reload, a shared
link (``?c=<id>``) or a restart brings them back intact. With sign-in on, every
conversation and feedback record belongs to a user, and a user opens only their own.
Feedback (thumbs up/down and an optional comment) is stored with the question, the history
before it, the answer, its citations and the configuration; ``export_feedback`` hands the
records to the evaluation as JSONL dicts.

A database that cannot be reached raises ``StoreUnavailableError`` (a Vietnamese message,
no password in it): the caller refuses the write clearly; nothing is acknowledged unsaved.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from retrieval.errors import BackendUnavailableError, BadInputError

from .types import Answer, Citation, Context, Message

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
TITLE_CHARS = 80


class StoreUnavailableError(BackendUnavailableError):
    """The conversations/feedback database cannot be reached right now."""


class NotYoursError(BadInputError):
    """A conversation that belongs to another user (reported as not found)."""


# -- plain data ------------------------------------------------------------------------


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """Every field of an Answer (citations with authority and quote_start) except the
    per-sentence check, which is not plain data."""
    data = asdict(answer)
    data.pop("checked", None)
    return data


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """The inverse of answer_to_dict."""
    data = dict(data)
    data["citations"] = [Citation(**c) for c in data.get("citations", [])]
    data["contexts"] = [Context(**c) for c in data.get("contexts", [])]
    data.pop("checked", None)
    return Answer(**data)


@dataclass
class ChatMessage(Message):
    """One turn as the UI shows it: a Message and, for an assistant turn, the full Answer."""

    answer: Answer | None = None

    def to_message(self) -> Message:
        return Message(self.role, self.content)


@dataclass
class Conversation:
    """A stored conversation."""

    id: str
    title: str = ""
    doc: str | None = None
    created: float = 0.0
    messages: list[ChatMessage] = field(default_factory=list)
    user: str | None = None


def new_conversation_id() -> str:
    """A random, unguessable id for ?c= links."""
    return secrets.token_urlsafe(12)


def _answer(stored: str | None) -> Answer | None:
    return answer_from_dict(json.loads(stored)) if stored else None


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="seconds")


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a URL or a SQLite file path; postgresql:// uses psycopg 3."""
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text)}"
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


# -- the store -------------------------------------------------------------------------


class FeedbackStore:
    """Conversations and feedback in one database. Safe to share between threads (the
    Streamlit sessions, the API's workers): the engine keeps a small connection pool and
    every call runs in its own short transaction. Nothing touches the database until the
    first call, so an unreachable server does not stop the app from starting."""

    def __init__(self, target: str | Path, connect_timeout: float = 3.0):
        self.url = database_url(target)
        self.connect_timeout = connect_timeout
        self._engine = None
        self._ready = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> FeedbackStore:
        return cls(settings.database)

    def __repr__(self) -> str:
        from sqlalchemy.engine import make_url

        return f"FeedbackStore({make_url(self.url).render_as_string(hide_password=True)!r})"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    # plumbing ----------------------------------------------------------------------
    def _make_engine(self):
        from sqlalchemy import create_engine, event

        if self.is_sqlite:
            path = self.url.split("///", 1)[1] if "///" in self.url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url, connect_args={"timeout": 10})

            @event.listens_for(engine, "connect")
            def _wal(dbapi_conn, _record):  # noqa: ANN001 - SQLAlchemy's callback signature
                dbapi_conn.execute("PRAGMA journal_mode=WAL")

            return engine
        return create_engine(
            self.url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            pool_timeout=10,
            connect_args={"connect_timeout": max(1, int(self.connect_timeout))},
        )

    @property
    def engine(self):
        with self._lock:
            if self._engine is None:
                self._engine = self._make_engine()
            return self._engine

    def _ensure_schema(self) -> None:
        if self._ready:
            return
        from .migrations import upgrade

        with self._lock:
            if not self._ready:
                upgrade(self._engine_unlocked())
                self._ready = True

    def _engine_unlocked(self):
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    @contextmanager
    def _db(self) -> Iterator[Any]:
        """A connection in a transaction; an unreachable database becomes StoreUnavailableError."""
        from sqlalchemy.exc import DBAPIError, OperationalError
        from sqlalchemy.exc import TimeoutError as PoolTimeout

        try:
            self._ensure_schema()
            with self.engine.begin() as conn:
                yield conn
        except (OperationalError, PoolTimeout) as exc:
            raise StoreUnavailableError(
                "không kết nối được cơ sở dữ liệu hội thoại và phản hồi; dữ liệu chưa được lưu, hãy thử lại sau"
            ) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailableError(
                    "mất kết nối tới cơ sở dữ liệu hội thoại và phản hồi; dữ liệu chưa được lưu, hãy thử lại sau"
                ) from exc
            raise

    def ping(self) -> None:
        """Raise StoreUnavailableError unless the database answers (used by /readyz)."""
        from sqlalchemy import text

        with self._db() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def _insert(self, table):
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(table)

    # conversations -----------------------------------------------------------------
    def owner(self, conversation_id: str) -> tuple[bool, str | None]:
        """(exists, its user) of a conversation."""
        from sqlalchemy import select

        from .migrations.schema import conversations as conv

        with self._db() as db:
            row = db.execute(select(conv.c.user_id).where(conv.c.id == conversation_id)).first()
        return (row is not None, row[0] if row else None)

    def save_message(
        self, conversation_id: str, idx: int, message: ChatMessage, doc: str | None = None, user: str | None = None
    ) -> None:
        """Store turn idx of a conversation (the first user turn names the conversation).
        A conversation that belongs to another user raises NotYoursError."""
        from sqlalchemy import case, select

        from .migrations.schema import conversations as conv
        from .migrations.schema import messages

        now = time.time()
        answer = json.dumps(answer_to_dict(message.answer), ensure_ascii=False) if message.answer else None
        title = " ".join(message.content.split())[:TITLE_CHARS] if message.role == "user" else ""
        with self._db() as db:
            row = db.execute(select(conv.c.user_id).where(conv.c.id == conversation_id)).first()
            if row is not None and row[0] != user:
                raise NotYoursError("không tìm thấy cuộc trò chuyện")
            stmt = self._insert(conv).values(
                id=conversation_id, title=title, doc=doc, created=now, updated=now, user_id=user
            )
            db.execute(
                stmt.on_conflict_do_update(
                    index_elements=[conv.c.id],
                    set_={
                        "updated": stmt.excluded.updated,
                        "title": case((conv.c.title == "", stmt.excluded.title), else_=conv.c.title),
                    },
                )
            )
            stmt = self._insert(messages).values(
                conversation_id=conversation_id,
                idx=idx,
                role=message.role,
                content=message.content,
                answer=answer,
                created=now,
            )
            db.execute(
                stmt.on_conflict_do_update(
                    index_elements=[messages.c.conversation_id, messages.c.idx],
                    set_={k: stmt.excluded[k] for k in ("role", "content", "answer", "created")},
                )
            )

    def load_conversation(self, conversation_id: str, user: str | None = None) -> Conversation | None:
        """A stored conversation with its answers, or None: unknown, malformed id, or it
        belongs to someone else (without sign-in, user None owns the unowned ones)."""
        from sqlalchemy import select

        from .migrations.schema import conversations as conv
        from .migrations.schema import messages

        if not CONVERSATION_ID.match(conversation_id or ""):
            return None
        with self._db() as db:
            head = db.execute(select(conv).where(conv.c.id == conversation_id)).mappings().first()
            if head is None or head["user_id"] != user:
                return None
            rows = db.execute(
                select(messages.c.role, messages.c.content, messages.c.answer)
                .where(messages.c.conversation_id == conversation_id)
                .order_by(messages.c.idx)
            ).all()
        msgs = [ChatMessage(r.role, r.content, _answer(r.answer)) for r in rows]
        return Conversation(head["id"], head["title"], head["doc"], head["created"], msgs, head["user_id"])

    # feedback ----------------------------------------------------------------------
    def rate(
        self,
        conversation_id: str,
        idx: int,
        rating: int | None,
        question: str,
        history: list[Message],
        answer: Answer,
        config: dict[str, Any],
        user: str | None = None,
    ) -> None:
        """Thumbs up (1), down (-1) or cleared (None) for the answer at turn idx."""
        self._upsert(conversation_id, idx, "rating", rating, question, history, answer, config, user)

    def comment(
        self,
        conversation_id: str,
        idx: int,
        text: str,
        question: str,
        history: list[Message],
        answer: Answer,
        config: dict[str, Any],
        user: str | None = None,
    ) -> None:
        """A free comment on the answer at turn idx (replaces an earlier one)."""
        self._upsert(conversation_id, idx, "comment", text.strip(), question, history, answer, config, user)

    def _upsert(
        self,
        conversation_id: str,
        idx: int,
        column: str,
        value: Any,
        question: str,
        history: list[Message],
        answer: Answer,
        config: dict[str, Any],
        user: str | None,
    ) -> None:
        from .migrations.schema import feedback

        assert column in ("rating", "comment")
        now = time.time()
        row = {
            "conversation_id": conversation_id,
            "message_idx": idx,
            "question": question,
            "history": json.dumps([asdict(m) for m in history], ensure_ascii=False),
            "answer": answer.answer,
            "citations": json.dumps([asdict(c) for c in answer.citations], ensure_ascii=False),
            "config": json.dumps(config, ensure_ascii=False, default=str),
            "created": now,
            "updated": now,
            "user_id": user,
            column: value,
        }
        stmt = self._insert(feedback).values(**row)
        with self._db() as db:
            db.execute(
                stmt.on_conflict_do_update(
                    index_elements=[feedback.c.conversation_id, feedback.c.message_idx],
                    set_={k: stmt.excluded[k] for k in (column, "updated", "answer", "citations", "config")},
                )
            )

    def feedback_for(self, conversation_id: str) -> dict[int, dict[str, Any]]:
        """{turn idx: {"rating", "comment"}} of one conversation (to restore the widgets)."""
        from sqlalchemy import select

        from .migrations.schema import feedback

        with self._db() as db:
            rows = db.execute(
                select(feedback.c.message_idx, feedback.c.rating, feedback.c.comment).where(
                    feedback.c.conversation_id == conversation_id
                )
            ).all()
        return {r.message_idx: {"rating": r.rating, "comment": r.comment} for r in rows}

    def export_feedback(self) -> list[dict[str, Any]]:
        """Every feedback record, oldest first, as the dicts the evaluation turns into cases:
        {question, history, answer, citations, rating, comment, created, config} plus the
        conversation id, turn index and user."""
        from sqlalchemy import select

        from .migrations.schema import feedback

        with self._db() as db:
            rows = db.execute(select(feedback).order_by(feedback.c.created, feedback.c.id)).mappings().all()
        return [
            {
                "question": r["question"],
                "history": json.loads(r["history"]),
                "answer": r["answer"],
                "citations": json.loads(r["citations"]),
                "rating": r["rating"],
                "comment": r["comment"],
                "created": _iso(r["created"]),
                "config": json.loads(r["config"]),
                "conversation_id": r["conversation_id"],
                "message_index": r["message_idx"],
                "user": r["user_id"],
            }
            for r in rows
        ]

    def export_jsonl(self) -> str:
        """export_feedback() as JSON Lines text."""
        return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in self.export_feedback())


class UserStore:
    """A FeedbackStore seen by one user (None without sign-in): every call carries the
    user, so a page written for one user needs no change when sign-in is on. A turn
    that cannot be saved (database down) is reported to ``on_unavailable`` and the chat
    goes on; ratings and comments raise, so nothing is acknowledged that was not kept."""

    def __init__(self, store: FeedbackStore, user: str | None, on_unavailable=None):
        self.store, self.user, self.on_unavailable = store, user, on_unavailable

    def save_message(self, conversation_id: str, idx: int, message: ChatMessage, doc: str | None = None) -> bool:
        try:
            self.store.save_message(conversation_id, idx, message, doc, self.user)
            return True
        except StoreUnavailableError as exc:
            if self.on_unavailable is None:
                raise
            self.on_unavailable(f"Chưa lưu được cuộc trò chuyện: {exc}")
            return False

    def load_conversation(self, conversation_id: str) -> Conversation | None:
        try:
            return self.store.load_conversation(conversation_id, self.user)
        except StoreUnavailableError as exc:
            if self.on_unavailable is None:
                raise
            self.on_unavailable(f"Chưa mở được cuộc trò chuyện đã lưu: {exc}")
            return None

    def feedback_for(self, conversation_id: str) -> dict[int, dict[str, Any]]:
        return self.store.feedback_for(conversation_id)

    def rate(
        self,
        conversation_id: str,
        idx: int,
        rating: int | None,
        question: str,
        history: list[Message],
        answer: Answer,
        config: dict[str, Any],
    ) -> None:
        self.store.rate(conversation_id, idx, rating, question, history, answer, config, self.user)

    def comment(
        self,
        conversation_id: str,
        idx: int,
        text: str,
        question: str,
        history: list[Message],
        answer: Answer,
        config: dict[str, Any],
    ) -> None:
        self.store.comment(conversation_id, idx, text, question, history, answer, config, self.user)

    def export_jsonl(self) -> str:
        return self.store.export_jsonl()
