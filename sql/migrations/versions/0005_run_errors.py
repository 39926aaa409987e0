"""A failed run says why: pipeline_runs.error.

Revision ID: 0005_run_errors
Revises: 0004_bounded_keys
"""

from pathlib import Path

from alembic import op

revision = "0005_run_errors"
down_revision = "0004_bounded_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0005_run_errors.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
