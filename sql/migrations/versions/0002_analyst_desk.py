"""The analyst's desk: pg_trgm where the server has it, and the read-only analyst role.

Revision ID: 0002_analyst_desk
Revises: 0001_initial
"""

from pathlib import Path

from alembic import op

revision = "0002_analyst_desk"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0002_analyst_desk.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
