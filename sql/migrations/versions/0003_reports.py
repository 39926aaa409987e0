"""The morning report: one stored HTML page per night (table reports).

Revision ID: 0003_reports
Revises: 0002_analyst_desk
"""

from pathlib import Path

from alembic import op

revision = "0003_reports"
down_revision = "0002_analyst_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0003_reports.sql").read_text())


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
