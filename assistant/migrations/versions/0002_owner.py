"""Conversations and feedback belong to a user (sign-in); existing rows keep no owner.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("conversations", "feedback"):
        op.add_column(table, sa.Column("user_id", sa.String(320), nullable=True))
        op.create_index(f"ix_{table}_user_id", table, ["user_id"])


def downgrade() -> None:
    for table in ("conversations", "feedback"):
        op.drop_index(f"ix_{table}_user_id", table)
        op.drop_column(table, "user_id")
