"""Story indexes: coalesce(cluster_id, id) and coalesce(duplicate_of, id) for the views; article_story_keys for neighbours.

Revision ID: 0010_story_indexes
Revises: 0009_copies_and_stories
"""

from pathlib import Path

from alembic import op

revision = "0010_story_indexes"
down_revision = "0009_copies_and_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0010_story_indexes.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
