"""Quantity ranges: claim_quantities.value_low and value_high; one figure may count two categories.

Revision ID: 0004_quantity_ranges
Revises: 0003_reports
"""

from pathlib import Path

from alembic import op

revision = "0004_quantity_ranges"
down_revision = "0003_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0004_quantity_ranges.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
