"""Copies and stories over the whole history: LSH bands, sightings, canonical keys; URL keys recomputed.

Revision ID: 0009_copies_and_stories
Revises: 0008_quantity_ranges

``normalise_url`` now also drops AMP variants and mobile hosts, so stored ``url_key`` values are
recomputed here with the same function the feed stage uses. When two stored articles now share a
key, the earlier keeps it; the later keeps its old key and becomes a copy of the earlier
(``duplicate_reason`` 'canonical-url'), so nothing is deleted and every view counts it once.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0009_copies_and_stories"
down_revision = "0008_quantity_ranges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute((Path(__file__).resolve().parent.parent / "0009_copies_and_stories.sql").read_text())
    recompute_url_keys(op.get_bind())


def recompute_url_keys(conn: sa.Connection) -> int:
    """Recompute every ``articles.url_key`` with the current ``normalise_url``; return how many changed."""
    from etl.dedup import normalise_url

    rows = conn.execute(sa.text("SELECT id, url, url_key FROM articles ORDER BY id")).all()
    owner = {r.url_key: r.id for r in rows}
    changed = 0
    for row in rows:
        if "#guid=" in row.url_key:  # link-less items are keyed on their feed and GUID, not a URL
            continue
        key = normalise_url(row.url)
        if key == row.url_key:
            continue
        if key in owner and owner[key] != row.id:
            original = min(owner[key], row.id)
            copy = max(owner[key], row.id)
            conn.execute(sa.text("UPDATE articles SET duplicate_of = :o, duplicate_reason = 'canonical-url', "
                                 "duplicate_similarity = 1 WHERE id = :c"), {"o": original, "c": copy})
            continue
        conn.execute(sa.text("UPDATE articles SET url_key = :k WHERE id = :i"), {"k": key, "i": row.id})
        owner.pop(row.url_key, None)
        owner[key] = row.id
        changed += 1
    return changed


def downgrade() -> None:
    raise NotImplementedError("newsetl migrations are forward-only")
