"""Stages ``dedup`` and ``cluster_stories``: copies of one text, and stories about one event.

Both work in batches of new articles against the whole history through indexed lookups
(``etl.load_stories``): nothing of the history is held in memory, so a night costs the same
whether the database holds ten thousand articles or a million.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from etl import load_stories
from etl.models import Run, StageStats
from etl.pipeline.common import _finish
from etl.settings import Settings

log = logging.getLogger(__name__)


def run_dedup(run: Run, *, engine: Engine, settings: Settings) -> StageStats:
    """Mark exact and near-identical copies (``duplicate_of``) of any earlier article, batch by batch."""
    from etl import dedup

    stats = StageStats(stage="dedup")
    after_id = 0
    while rows := load_stories.articles_to_dedup(engine, after_id=after_id,
                                                 limit=settings.dedup.batch_size):
        after_id = rows[-1].id
        keys = [dedup.article_keys(r.id, r.title, r.body, r.canonical_url or r.url) for r in rows]
        with engine.begin() as conn:
            candidates = load_stories.dedup_candidates(conn, keys, version=dedup.DEDUP_VERSION)
            decisions = dedup.find_duplicates(keys, candidates=candidates,
                                              min_similarity=settings.dedup.min_similarity)
            load_stories.write_dedup(conn, run, keys, decisions, version=dedup.DEDUP_VERSION)
        stats.processed += len(decisions)
        stats.written += len(decisions)
        for d in decisions:
            if d.duplicate_of is not None:
                stats.discards["duplicate"] += 1
                stats.extra[f"duplicate-{d.reason}"] = stats.extra.get(f"duplicate-{d.reason}", 0) + 1
    return _finish(engine, run, stats)


def _features(row: object, terms: list[str], *, cluster_id: int | None = None) -> object:
    from etl.clusters import StoryFeatures
    from etl.dedup import signature_from_bytes

    return StoryFeatures(id=row.id, at=row.at, duplicate_of=row.duplicate_of,  # type: ignore[attr-defined]
                         signature=signature_from_bytes(row.minhash),  # type: ignore[attr-defined]
                         shingle_count=row.shingle_count or 0,  # type: ignore[attr-defined]
                         title_words=frozenset((row.title_key or "").split()),  # type: ignore[attr-defined]
                         entities=frozenset(row.keys), cluster_id=cluster_id,  # type: ignore[attr-defined]
                         terms=frozenset(terms))


def run_clusters(run: Run, *, engine: Engine, settings: Settings) -> StageStats:
    """Place each not yet clustered article (id order) in the cluster of the story it belongs to.

    Neighbours are the clustered articles published within ``MAX_DAYS_APART`` days of the
    article's own publication time that share a title word or an entity with it; the run date
    plays no part, so the same articles give the same clusters whichever night runs them.
    Term weights are the document frequencies of everything clustered before the article
    (``story_terms``, updated as each one is placed). A rerun finds nothing to do and writes nothing.
    """
    from etl import clusters

    stats = StageStats(stage="cluster_stories")
    after_id, seen = 0, set()
    counted = load_stories.TermCountCache()  # neighbours of consecutive articles share most terms
    while rows := load_stories.articles_to_cluster(engine, after_id=after_id, limit=settings.dedup.batch_size,
                                                   lead_chars=clusters.LEAD_CHARS):
        after_id = rows[-1].id
        with engine.begin() as conn:
            for row in rows:
                near = load_stories.story_neighbours(conn, row, days=clusters.MAX_DAYS_APART,
                                                     limit=clusters.MAX_NEIGHBOURS)
                terms = load_stories.story_keys(row)
                counts = load_stories.term_counts(conn, {*terms, *(t for n in near for t in n.terms)}, counted)
                linked = clusters.linked_clusters(_features(row, terms),
                                                  [_features(n, n.terms, cluster_id=n.cluster_id) for n in near],
                                                  counts)
                cluster = min(linked, default=row.id)
                if len(linked) > 1:
                    moved = load_stories.merge_clusters(conn, cluster, linked - {cluster})
                    stats.extra["merged-articles"] = stats.extra.get("merged-articles", 0) + moved
                    stats.written += moved
                stats.processed += 1
                stats.written += load_stories.set_cluster(conn, row, cluster, version=clusters.CLUSTERS_VERSION,
                                                          cache=counted)
                seen.add(cluster)
    stats.extra["clusters"] = len(seen)
    return _finish(engine, run, stats)
