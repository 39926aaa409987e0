"""Direction marks (LRM, RLM, ALM) folded out of search: arabic_fold removes them.

Revision ID: 0010_direction_marks
Revises: 0009_copies_and_stories
"""

from pathlib import Path

from alembic import op

revision = "0010_direction_marks"
down_revision = "0009_copies_and_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0010_direction_marks.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
