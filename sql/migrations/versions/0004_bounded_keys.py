"""Keys and search vector that any item fits: URL uniqueness on md5(url), search on the first 100k chars.

Revision ID: 0004_bounded_keys
Revises: 0003_reports
"""

from pathlib import Path

from alembic import op

revision = "0004_bounded_keys"
down_revision = "0003_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0004_bounded_keys.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
