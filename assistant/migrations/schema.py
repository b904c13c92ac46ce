"""The tables as the newest migration leaves them (the store's queries use these)."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

conversations = Table(
    "conversations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("doc", Text),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Column("user_id", String(320), index=True),  # None: no sign-in (single machine)
)

messages = Table(
    "messages",
    metadata,
    Column("conversation_id", Text, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("role", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("answer", Text),
    Column("created", Float, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", Text, nullable=False),
    Column("message_idx", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("history", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("citations", Text, nullable=False),
    Column("rating", Integer),
    Column("comment", Text, nullable=False, server_default=""),
    Column("config", Text, nullable=False),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Column("user_id", String(320), index=True),
    UniqueConstraint("conversation_id", "message_idx"),
)
