"""Alembic environment: runs on the connection handed over by ``upgrade()``, or on
``sqlalchemy.url`` when driven by the alembic command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from assistant.migrations.schema import metadata

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        run(conn)
