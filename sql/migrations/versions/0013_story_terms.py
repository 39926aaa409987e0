"""Story terms: document frequencies of title words, lead words and entity keys, for the IDF-weighted story cosine.

Revision ID: 0013_story_terms
Revises: 0012_stage_partitions
"""

from pathlib import Path

from alembic import op

revision = "0013_story_terms"
down_revision = "0012_stage_partitions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0013_story_terms.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
