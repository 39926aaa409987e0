"""Direction marks (LRM, RLM, ALM) folded out of search: arabic_fold removes them.

Revision ID: 0011_direction_marks
Revises: 0010_story_indexes
"""

from pathlib import Path

from alembic import op

revision = "0011_direction_marks"
down_revision = "0010_story_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0011_direction_marks.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
