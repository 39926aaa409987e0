"""Core schema: runs, sources, feeds, fetches, raw documents, articles, entities, claims.

Revision ID: 0001_initial
Revises:
"""

from pathlib import Path

from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0001_initial.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
