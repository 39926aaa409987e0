"""Quantity ranges: claim_quantities.value_low and value_high; one figure may count two categories.

Revision ID: 0008_quantity_ranges
Revises: 0007_counted_drops
"""

from pathlib import Path

from alembic import op

revision = "0008_quantity_ranges"
down_revision = "0007_counted_drops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0008_quantity_ranges.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
