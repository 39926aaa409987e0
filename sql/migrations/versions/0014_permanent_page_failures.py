"""Permanent page failures give up at once: the page_status comment says so.

Revision ID: 0014_permanent_page_failures
Revises: 0013_story_terms
"""

from pathlib import Path

from alembic import op

revision = "0014_permanent_page_failures"
down_revision = "0013_story_terms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0014_permanent_page_failures.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
