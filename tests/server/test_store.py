"""The conversations/feedback store through SQLAlchemy: one contract run on SQLite and on a
real PostgreSQL, the migration of a file written before Alembic, ownership, and a
database that cannot be reached."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from assistant.feedback import ChatMessage, FeedbackStore, NotYoursError, StoreUnavailableError, new_conversation_id
from assistant.migrations import current_revision
from assistant.types import Message
from tests.ui.test_feedback import CONFIG, make_answer

# The schema the store wrote before the migrations (assistant/feedback.py until issue 16).
LEGACY_SCHEMA = """
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


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    if request.param == "sqlite":
        yield FeedbackStore(tmp_path / "fb.sqlite3")
        return
    store = FeedbackStore(request.getfixturevalue("postgres").fresh_url())
    yield store
    store.close()


def test_conversations_and_feedback_round_trip(any_store):
    conv, answer = new_conversation_id(), make_answer()
    any_store.save_message(conv, 0, ChatMessage("user", "Mục tiêu 2030?"), doc="nq57")
    any_store.save_message(conv, 1, ChatMessage("assistant", answer.answer, answer))
    any_store.save_message(conv, 2, ChatMessage("user", "Còn 2045?"))
    loaded = any_store.load_conversation(conv)
    assert loaded.title == "Mục tiêu 2030?" and loaded.doc == "nq57"
    assert [m.role for m in loaded.messages] == ["user", "assistant", "user"]
    assert loaded.messages[1].answer.citations == answer.citations
    any_store.rate(conv, 1, 1, "Mục tiêu 2030?", [], answer, CONFIG)
    any_store.comment(conv, 1, " Thiếu điểm 2. ", "Mục tiêu 2030?", [], answer, CONFIG)
    any_store.rate(conv, 1, -1, "Mục tiêu 2030?", [], answer, CONFIG)
    [record] = any_store.export_feedback()
    assert record["rating"] == -1 and record["comment"] == "Thiếu điểm 2." and record["user"] is None
    assert record["citations"][0]["quote"] == "Đến năm 2030"
    assert any_store.feedback_for(conv) == {1: {"rating": -1, "comment": "Thiếu điểm 2."}}


def test_a_user_opens_only_their_own_conversations(any_store):
    conv, answer = new_conversation_id(), make_answer()
    any_store.save_message(conv, 0, ChatMessage("user", "Câu hỏi của Alice"), user="alice")
    any_store.save_message(conv, 1, ChatMessage("assistant", answer.answer, answer), user="alice")
    assert len(any_store.load_conversation(conv, user="alice").messages) == 2
    assert any_store.load_conversation(conv, user="bob") is None
    assert any_store.load_conversation(conv) is None  # nor without sign-in
    with pytest.raises(NotYoursError):
        any_store.save_message(conv, 2, ChatMessage("user", "chen vào"), user="bob")
    assert len(any_store.load_conversation(conv, user="alice").messages) == 2


def test_threads_share_one_store(any_store):
    conv, answer = new_conversation_id(), make_answer()
    threads = [
        threading.Thread(target=any_store.rate, args=(conv, i, 1, f"Câu {i}?", [], answer, CONFIG)) for i in range(16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(any_store.export_feedback()) == 16


def test_todays_sqlite_file_is_migrated_with_nothing_lost(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(LEGACY_SCHEMA)
    db.execute("INSERT INTO conversations VALUES ('conv-legacy-1', 'Mục tiêu?', 'nq57', 1.0, 2.0)")
    db.execute("INSERT INTO messages VALUES ('conv-legacy-1', 0, 'user', 'Mục tiêu?', NULL, 1.0)")
    db.execute(
        "INSERT INTO feedback (conversation_id, message_idx, question, history, answer, citations, rating,"
        " comment, config, created, updated) VALUES ('conv-legacy-1', 1, 'Mục tiêu?', '[]', 'Đáp [1]', '[]',"
        " 1, 'tốt', '{}', 3.0, 3.0)"
    )
    db.commit()
    db.close()

    store = FeedbackStore(path)
    conv = store.load_conversation("conv-legacy-1")
    assert conv.title == "Mục tiêu?" and [m.content for m in conv.messages] == ["Mục tiêu?"]
    [record] = store.export_feedback()
    assert record["rating"] == 1 and record["comment"] == "tốt" and record["user"] is None
    assert current_revision(store.engine) == "0002"
    store.rate("conv-legacy-1", 3, -1, "Khác?", [Message("user", "Mục tiêu?")], make_answer(), CONFIG)
    assert len(FeedbackStore(path).export_feedback()) == 2  # reopened: migrated once, still all there


def test_an_unreachable_database_is_refused_clearly_without_its_password():
    from tests.support.streamlit import free_port

    store = FeedbackStore(f"postgresql://troly:s3cret-pw@127.0.0.1:{free_port()}/troly", connect_timeout=1)
    with pytest.raises(StoreUnavailableError, match="không kết nối được cơ sở dữ liệu") as err:
        store.rate(new_conversation_id(), 1, 1, "Câu?", [], make_answer(), CONFIG)
    assert "s3cret-pw" not in str(err.value) and "s3cret-pw" not in repr(store)


def test_replicas_starting_together_migrate_once(any_store):
    """Several stores on one new database (replicas starting at the same time): the
    migrations run once, serialized by an advisory lock (PostgreSQL) or a lock file (SQLite)."""
    stores = [FeedbackStore(any_store.url) for _ in range(4)]
    errors: list[Exception] = []

    def first_use(store: FeedbackStore) -> None:
        try:
            store.rate(new_conversation_id(), 1, 1, "Câu?", [], make_answer(), CONFIG)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=first_use, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(any_store.export_feedback()) == 4 and current_revision(any_store.engine) == "0002"
    for s in stores:
        s.close()
