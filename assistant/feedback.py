"""Feedback on answers and the conversations they belong to, in one SQLite file
(``Settings.feedback_path``, default ``data/feedback.sqlite3``).

Conversations are stored turn by turn with each answer's citations, so a reload, a shared
link (``?c=<id>``) or a restart brings them back intact. Feedback (thumbs up/down and an
optional comment) is stored with the question, the history before it, the answer, its
citations and the configuration; ``export_feedback`` hands the records to the evaluation
issue as JSONL dicts.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .types import Answer, Citation, Context, Message

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, doc TEXT, created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    conversation_id TEXT NOT NULL, idx INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,
    answer TEXT, created REAL NOT NULL, PRIMARY KEY (conversation_id, idx));
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, message_idx INTEGER NOT NULL,
    question TEXT NOT NULL, history TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    rating INTEGER, comment TEXT NOT NULL DEFAULT '', config TEXT NOT NULL,
    created REAL NOT NULL, updated REAL NOT NULL, UNIQUE (conversation_id, message_idx));
"""

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
TITLE_CHARS = 80


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
class ChatMessage:
    """One turn as the UI shows it: the text, and for an assistant turn the full Answer."""

    role: str  # "user" | "assistant"
    content: str
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


def new_conversation_id() -> str:
    """A random, unguessable id for ?c= links."""
    return secrets.token_urlsafe(12)


def _answer(stored: str | None) -> Answer | None:
    return answer_from_dict(json.loads(stored)) if stored else None


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="seconds")


# -- the store -------------------------------------------------------------------------

class FeedbackStore:
    """SQLite store for conversations and feedback. Holds only the path: every call opens
    its own short connection, so Streamlit sessions on different threads can share it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.row_factory = sqlite3.Row
            with db:
                yield db
        finally:
            db.close()

    # conversations -----------------------------------------------------------------
    def save_message(self, conversation_id: str, idx: int, message: ChatMessage, doc: str | None = None) -> None:
        """Store turn idx of a conversation (the first user turn names the conversation)."""
        now = time.time()
        answer = json.dumps(answer_to_dict(message.answer), ensure_ascii=False) if message.answer else None
        title = " ".join(message.content.split())[:TITLE_CHARS] if message.role == "user" else ""
        with self._db() as db:
            db.execute("INSERT INTO conversations (id, title, doc, created, updated) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT(id) DO UPDATE SET updated = excluded.updated, "
                       "title = CASE WHEN title = '' THEN excluded.title ELSE title END",
                       (conversation_id, title, doc, now, now))
            db.execute("INSERT OR REPLACE INTO messages (conversation_id, idx, role, content, answer, created) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (conversation_id, idx, message.role, message.content, answer, now))

    def load_conversation(self, conversation_id: str) -> Conversation | None:
        """A stored conversation with its answers, or None (also for a malformed id)."""
        if not CONVERSATION_ID.match(conversation_id or ""):
            return None
        with self._db() as db:
            head = db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if head is None:
                return None
            rows = db.execute("SELECT role, content, answer FROM messages WHERE conversation_id = ? ORDER BY idx",
                              (conversation_id,)).fetchall()
        messages = [ChatMessage(r["role"], r["content"], _answer(r["answer"])) for r in rows]
        return Conversation(head["id"], head["title"], head["doc"], head["created"], messages)

    # feedback ----------------------------------------------------------------------
    def rate(self, conversation_id: str, idx: int, rating: int | None, question: str,
             history: list[Message], answer: Answer, config: dict[str, Any]) -> None:
        """Thumbs up (1), down (-1) or cleared (None) for the answer at turn idx."""
        self._upsert(conversation_id, idx, "rating", rating, question, history, answer, config)

    def comment(self, conversation_id: str, idx: int, text: str, question: str,
                history: list[Message], answer: Answer, config: dict[str, Any]) -> None:
        """A free comment on the answer at turn idx (replaces an earlier one)."""
        self._upsert(conversation_id, idx, "comment", text.strip(), question, history, answer, config)

    def _upsert(self, conversation_id: str, idx: int, column: str, value: Any, question: str,
                history: list[Message], answer: Answer, config: dict[str, Any]) -> None:
        assert column in ("rating", "comment")
        now = time.time()
        row = (conversation_id, idx, question, json.dumps([asdict(m) for m in history], ensure_ascii=False),
               answer.answer, json.dumps([asdict(c) for c in answer.citations], ensure_ascii=False),
               json.dumps(config, ensure_ascii=False, default=str), now, now, value)
        with self._db() as db:
            db.execute(
                "INSERT INTO feedback (conversation_id, message_idx, question, history, answer, citations, config, "
                f"created, updated, {column}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                f"ON CONFLICT(conversation_id, message_idx) DO UPDATE SET {column} = excluded.{column}, "
                "updated = excluded.updated, answer = excluded.answer, citations = excluded.citations, "
                "config = excluded.config", row)

    def feedback_for(self, conversation_id: str) -> dict[int, dict[str, Any]]:
        """{turn idx: {"rating", "comment"}} of one conversation (to restore the widgets)."""
        with self._db() as db:
            rows = db.execute("SELECT message_idx, rating, comment FROM feedback WHERE conversation_id = ?",
                              (conversation_id,)).fetchall()
        return {r["message_idx"]: {"rating": r["rating"], "comment": r["comment"]} for r in rows}

    def export_feedback(self) -> list[dict[str, Any]]:
        """Every feedback record, oldest first, as the dicts the evaluation turns into cases:
        {question, history, answer, citations, rating, comment, created, config} plus the
        conversation id and turn index."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY created, id").fetchall()
        return [{
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
        } for r in rows]

    def export_jsonl(self) -> str:
        """export_feedback() as JSON Lines text."""
        return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in self.export_feedback())
