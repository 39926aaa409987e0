"""Every dropped feed item counted by reason: feed_fetches.items_dropped.

Revision ID: 0007_counted_drops
Revises: 0006_run_leases
"""

from pathlib import Path

from alembic import op

revision = "0007_counted_drops"
down_revision = "0006_run_leases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0007_counted_drops.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
