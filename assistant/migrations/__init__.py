"""Alembic migrations of the conversations/feedback database, shipped as package data and
applied by ``upgrade(engine)`` on the store's first use (no alembic.ini needed).

A database written before the migrations existed (today's ``data/feedback.sqlite3``) has
the tables of revision 0001 but no ``alembic_version``: it is stamped 0001 and upgraded
from there, so nothing is lost. Replicas starting together are serialized: a PostgreSQL
advisory lock, or a lock file beside a SQLite database.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEGACY_REVISION = "0001"
_PG_LOCK_KEY = 160_016_001  # any constant shared by every replica


def alembic_config(connection=None):
    """An Alembic Config pointing at this folder (and at a connection, when given)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _sqlite_lock(engine):
    path = engine.url.database
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(engine) -> None:
    """Bring the database to the newest revision."""
    from alembic import command
    from sqlalchemy import inspect, text

    sqlite = engine.dialect.name == "sqlite"
    with _sqlite_lock(engine) if sqlite else _nothing(), engine.begin() as conn:
        if not sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        cfg = alembic_config(conn)
        tables = set(inspect(conn).get_table_names())
        if "conversations" in tables and "alembic_version" not in tables:
            command.stamp(cfg, LEGACY_REVISION)
        command.upgrade(cfg, "head")


@contextmanager
def _nothing():
    yield


def current_revision(engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
