"""The partitions of a night's mapped stages, claimed with SKIP LOCKED.

Revision ID: 0012_stage_partitions
Revises: 0011_direction_marks
"""

from pathlib import Path

from alembic import op

revision = "0012_stage_partitions"
down_revision = "0011_direction_marks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0012_stage_partitions.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
