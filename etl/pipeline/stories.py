"""Stages ``dedup`` and ``cluster_stories``: copies of one text, and stories about one event."""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl.db import tables
from etl.models import Run, StageStats
from etl.pipeline.common import _finish
from etl.settings import Settings

log = logging.getLogger(__name__)


def run_dedup(run: Run, *, engine: Engine, settings: Settings, window_days: int = 7) -> StageStats:
    """Mark exact and near-identical copies (``duplicate_of``); ``cluster_stories`` groups events later."""
    from etl import dedup

    stats = StageStats(stage="dedup")
    t = tables(engine)["articles"]
    with engine.connect() as conn:
        todo = conn.execute(sa.select(t.c.id, t.c.title, t.c.body)
                            .where(t.c.dedup_version.is_distinct_from(dedup.DEDUP_VERSION)).order_by(t.c.id)).all()
        if not todo:
            return _finish(engine, run, stats)
        # Earlier copies are compared by their stored keys: no bodies are read for them.
        done = conn.execute(sa.select(t.c.id, t.c.content_hash, t.c.simhash, t.c.title_key, t.c.duplicate_of)
                            .where(t.c.dedup_version == dedup.DEDUP_VERSION,
                                   t.c.created_at > sa.func.now() - timedelta(days=window_days))).all()
    new_keys = [dedup.article_keys(r.id, r.title, r.body) for r in todo]
    earlier = [(dedup.DedupKeys(r.id, r.content_hash, r.simhash, frozenset((r.title_key or "").split())),
                dedup.DedupDecision(r.id, r.duplicate_of, r.duplicate_of or r.id)) for r in done]
    decisions = dedup.find_duplicates(new_keys, earlier=earlier)
    keys_by_id = {k.id: k for k in new_keys}
    with engine.begin() as conn:
        for d in decisions:
            k = keys_by_id[d.id]
            conn.execute(sa.update(t).where(t.c.id == d.id).values(
                content_hash=k.content_hash, simhash=k.simhash, title_key=" ".join(sorted(k.title_words)),
                duplicate_of=d.duplicate_of, cluster_id=d.cluster_id, dedup_version=dedup.DEDUP_VERSION))
            stats.processed += 1
            stats.written += 1
            if d.duplicate_of is not None:
                stats.discards["duplicate"] += 1
    return _finish(engine, run, stats)


def run_clusters(run: Run, *, engine: Engine, settings: Settings) -> StageStats:
    """Group the night's articles (and those of the days around it) into same-event clusters.

    Articles up to two windows back are read, so a story linked on an earlier night to an
    article now outside the window keeps its cluster; only articles inside the window are
    rewritten, and only when their ``cluster_id`` changes (a rerun writes nothing).
    """
    from etl import clusters

    stats = StageStats(stage="cluster_stories")
    since = run.logical_date - timedelta(days=clusters.MAX_DAYS_APART + 1)
    until = run.logical_date + timedelta(days=1)
    query = sa.text("""
        SELECT a.id, (coalesce(a.published_at, a.created_at) AT TIME ZONE 'UTC')::date AS day,
               a.duplicate_of, a.simhash, a.title_key, a.cluster_id,
               coalesce(array_agg(DISTINCT e.key) FILTER (WHERE e.key IS NOT NULL), '{}') AS keys
          FROM articles a
          LEFT JOIN entity_mentions m ON m.article_id = a.id
          LEFT JOIN entities e ON e.id = m.entity_id
         WHERE (coalesce(a.published_at, a.created_at) AT TIME ZONE 'UTC')::date BETWEEN :read_from AND :until
         GROUP BY a.id ORDER BY a.id""")
    with engine.connect() as conn:
        rows = conn.execute(query, {"read_from": since - timedelta(days=clusters.MAX_DAYS_APART + 1),
                                    "until": until}).all()
    stories = [clusters.StoryFeatures(id=r.id, day=r.day, duplicate_of=r.duplicate_of, simhash=r.simhash,
                                      title_words=frozenset((r.title_key or "").split()),
                                      entities=frozenset(r.keys))
               for r in rows]
    decided = clusters.cluster_stories(stories)
    t = tables(engine)["articles"]
    with engine.begin() as conn:
        for row in rows:
            if row.day < since:
                continue
            stats.processed += 1
            if decided[row.id] != row.cluster_id:
                conn.execute(sa.update(t).where(t.c.id == row.id).values(cluster_id=decided[row.id]))
                stats.written += 1
    stats.extra["clusters"] = len({decided[r.id] for r in rows if r.day >= since})
    return _finish(engine, run, stats)


