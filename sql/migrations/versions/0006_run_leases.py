"""One run per night at a time: run_leases.

Revision ID: 0006_run_leases
Revises: 0005_run_errors
"""

from pathlib import Path

from alembic import op

revision = "0006_run_leases"
down_revision = "0005_run_errors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0006_run_leases.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
