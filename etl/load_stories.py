"""Store side of the copy and story stages: LSH band lookups, dedup and cluster writes.

Every lookup is an index probe bounded by the batch, never a scan of the history: band rows by
their primary key, body hashes and canonical keys by their indexes, story neighbours by the
story-key index (``article_story_keys``: key and publication time), term frequencies by the
primary key of ``story_terms``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection, Engine

from etl.clusters import ALL_ARTICLES, TermCounts, story_terms
from etl.db import table
from etl.dedup import (
    Candidate,
    DedupDecision,
    DedupKeys,
    band_hashes,
    signature_bytes,
    signature_from_bytes,
)
from etl.models import Run

_t = table  # every store function looks tables up the same way (etl.db.table)


def articles_to_dedup(engine: Engine, *, after_id: int, limit: int) -> list[Any]:
    """Return up to ``limit`` articles after ``after_id`` still to deduplicate (``dedup_version`` NULL).

    NULL, not "another version", so the partial index ``articles_dedup_todo_idx`` answers it; a
    new ``DEDUP_VERSION`` comes with a migration that resets the column (as 0009 does).
    """
    t = _t(engine, "articles")
    query = (sa.select(t.c.id, t.c.url, t.c.title, t.c.body, t.c.canonical_url)
             .where(t.c.id > after_id, t.c.dedup_version.is_(None)).order_by(t.c.id).limit(limit))
    with engine.connect() as conn:
        return conn.execute(query).all()


_CANDIDATES = sa.text("""
    SELECT DISTINCT ON (c.new_id, a.id) c.new_id, a.id, a.content_hash, a.minhash, a.shingle_count,
           a.canonical_key, a.duplicate_of
      FROM (SELECT q.new_id, b.article_id
              FROM unnest(CAST(:band_ids AS bigint[]), CAST(:bands AS smallint[]), CAST(:hashes AS bigint[]))
                   AS q(new_id, band, hash)
              JOIN article_lsh_bands b ON b.band = q.band AND b.hash = q.hash AND b.article_id < q.new_id
            UNION ALL
            SELECT q.new_id, x.id
              FROM unnest(CAST(:hash_ids AS bigint[]), CAST(:content_hashes AS text[])) AS q(new_id, content_hash)
              JOIN articles x ON x.content_hash = q.content_hash AND x.id < q.new_id
            UNION ALL
            SELECT q.new_id, x.id
              FROM unnest(CAST(:url_ids AS bigint[]), CAST(:canonical_keys AS text[])) AS q(new_id, canonical_key)
              JOIN articles x ON md5(x.canonical_key) = md5(q.canonical_key) AND x.canonical_key = q.canonical_key
                             AND x.canonical_key IS NOT NULL AND x.id < q.new_id) AS c
      JOIN articles a ON a.id = c.article_id
     WHERE a.dedup_version = :version
     ORDER BY c.new_id, a.id""")


def dedup_candidates(conn: Connection, keys: Sequence[DedupKeys], *, version: str) -> dict[int, list[Candidate]]:
    """Return, per new article, the earlier deduplicated articles sharing a band, body hash or canonical key.

    One statement for the whole batch; each part is an index probe per key.
    """
    band_ids, bands, hashes = [], [], []
    for k in keys:
        if k.signature is not None:
            for band, value in enumerate(band_hashes(k.signature)):
                band_ids.append(k.id)
                bands.append(band)
                hashes.append(value)
    hashed = [k for k in keys if k.content_hash is not None]
    keyed = [k for k in keys if k.canonical_key is not None]
    rows = conn.execute(_CANDIDATES, {
        "band_ids": band_ids, "bands": bands, "hashes": hashes, "version": version,
        "hash_ids": [k.id for k in hashed], "content_hashes": [k.content_hash for k in hashed],
        "url_ids": [k.id for k in keyed], "canonical_keys": [k.canonical_key for k in keyed]}).all()
    out: dict[int, list[Candidate]] = {}
    for r in rows:
        stored = DedupKeys(id=r.id, content_hash=r.content_hash, signature=signature_from_bytes(r.minhash),
                           shingle_count=r.shingle_count or 0, title_words=frozenset(),
                           canonical_key=r.canonical_key)
        out.setdefault(r.new_id, []).append(Candidate(stored, r.duplicate_of))
    return out


def write_dedup(conn: Connection, run: Run, keys: Sequence[DedupKeys], decisions: Sequence[DedupDecision],
                *, version: str) -> None:
    """Store the batch's keys, decisions and LSH bands (the bands of a re-deduplicated article replaced)."""
    t, tb = _t(conn, "articles"), _t(conn, "article_lsh_bands")
    by_id = {k.id: k for k in keys}
    conn.execute(sa.update(t).where(t.c.id == sa.bindparam("b_id")).values(
        content_hash=sa.bindparam("b_hash"), minhash=sa.bindparam("b_minhash"),
        shingle_count=sa.bindparam("b_shingles"), title_key=sa.bindparam("b_title"),
        canonical_key=sa.bindparam("b_canonical"), duplicate_of=sa.bindparam("b_dup"),
        duplicate_similarity=sa.bindparam("b_sim"), duplicate_reason=sa.bindparam("b_reason"),
        simhash=None, dedup_version=version, cluster_version=None, updated_run_id=run.run_id), [
        {"b_id": d.id, "b_hash": by_id[d.id].content_hash, "b_minhash": signature_bytes(by_id[d.id].signature),
         "b_shingles": by_id[d.id].shingle_count, "b_title": " ".join(sorted(by_id[d.id].title_words)),
         "b_canonical": by_id[d.id].canonical_key, "b_dup": d.duplicate_of, "b_sim": d.similarity,
         "b_reason": d.reason} for d in decisions])
    conn.execute(sa.delete(tb).where(tb.c.article_id.in_(list(by_id))))
    bands = [{"band": band, "hash": value, "article_id": k.id} for k in keys if k.signature is not None
             for band, value in enumerate(band_hashes(k.signature))]
    if bands:
        conn.execute(insert(tb).on_conflict_do_nothing(), bands)


# --- story clusters -------------------------------------------------------------------------


_TO_CLUSTER = sa.text("""
    SELECT
    a.id, coalesce(a.published_at, a.created_at) AS at, a.duplicate_of, a.title_key, a.minhash,
    a.shingle_count, a.cluster_id, left(a.body, :lead_chars) AS lead,
    coalesce((SELECT array_agg(DISTINCT e.key ORDER BY e.key) FROM entity_mentions m
               JOIN entities e ON e.id = m.entity_id WHERE m.article_id = a.id), '{}') AS keys
      FROM articles a
     WHERE a.id > :after_id AND a.dedup_version IS NOT NULL AND a.cluster_version IS NULL
     ORDER BY a.id LIMIT :limit""")

_NEIGHBOURS = sa.text("""
    SELECT
    a.id, coalesce(a.published_at, a.created_at) AS at, a.duplicate_of, a.title_key, a.minhash,
    a.shingle_count, a.cluster_id,
    coalesce((SELECT array_agg(DISTINCT e.key ORDER BY e.key) FROM entity_mentions m
               JOIN entities e ON e.id = m.entity_id WHERE m.article_id = a.id), '{}') AS keys,
    coalesce((SELECT array_agg(s.key) FROM article_story_keys s WHERE s.article_id = a.id), '{}') AS terms
      FROM articles a
     WHERE a.id IN (
            SELECT k.article_id FROM article_story_keys k
             WHERE k.key = ANY(CAST(:keys AS text[])) AND k.at BETWEEN :since AND :until
            UNION
            SELECT CAST(:original AS bigint))
       AND a.id <> :id AND a.cluster_version IS NOT NULL
     ORDER BY a.id LIMIT :limit""")
# Any clustered article is a neighbour, whichever CLUSTERS_VERSION placed it: a new rule applies
# to new articles and never re-clusters the history (articles of an earlier rule keep their cluster).


def articles_to_cluster(engine: Engine, *, after_id: int, limit: int, lead_chars: int) -> list[Any]:
    """Return up to ``limit`` deduplicated, not yet clustered articles after ``after_id`` (id order),
    with the first ``lead_chars`` characters of their body."""
    with engine.connect() as conn:
        return conn.execute(_TO_CLUSTER, {"after_id": after_id, "limit": limit, "lead_chars": lead_chars}).all()


def story_keys(row: Any) -> list[str]:
    """Return the keys ``row`` is stored under in ``article_story_keys``: all its story terms."""
    return sorted(story_terms(row.title_key, row.lead, row.keys))


def _lookup_keys(row: Any) -> list[str]:
    """Return the keys neighbours are looked up by: title words and entities, not the lead's words
    (a lead shares "said" or "على" with every article of the window)."""
    return [k for k in story_keys(row) if not k.startswith("w:")]


def story_neighbours(conn: Connection, row: Any, *, days: int, limit: int) -> list[Any]:
    """Return clustered articles published within ``days`` of ``row`` that share a title word or
    an entity with it (and its original, when it is a copy), with their stored story terms.

    One range of ``article_story_keys``' primary key per key: only articles inside the window are read.
    """
    at: datetime = row.at
    return conn.execute(_NEIGHBOURS, {
        "keys": _lookup_keys(row), "since": at - timedelta(days=days), "until": at + timedelta(days=days),
        "original": row.duplicate_of, "id": row.id, "limit": limit}).all()


_TERM_COUNTS = sa.text("SELECT term, articles FROM story_terms WHERE term = ANY(CAST(:terms AS text[]))")


class TermCountCache:
    """The ``story_terms`` rows one ``cluster_stories`` run has read, kept current by its own placements.

    Consecutive articles of a dense window share most of their neighbours, so most of the terms
    whose counts one article needs were read for the article before: only the others are read.
    ``set_cluster`` applies each placement's counts (and uncounts) here as it writes them, so
    the counts equal a fresh read while this run is the only writer of ``story_terms`` (the stage
    runs once per night, under the night's lease).
    """

    def __init__(self) -> None:
        self.df: dict[str, int] = {}

    def add(self, terms: Sequence[str], delta: int) -> None:
        """Apply a placement's +1 (or an uncount's -1) to the terms held; others are read when needed."""
        for term in terms:
            if term in self.df:
                self.df[term] += delta


def term_counts(conn: Connection, terms: set[str], cache: TermCountCache | None = None) -> TermCounts:
    """Return the document frequencies of ``terms`` and the number of articles counted (``story_terms``).

    With ``cache``, only the terms it does not hold are read (absent terms are held as 0).
    """
    cache = cache or TermCountCache()
    missing = sorted(t for t in terms | {ALL_ARTICLES} if t not in cache.df)
    if missing:
        # One array parameter, not an IN list: a dense window's neighbours can hold more distinct
        # terms than a statement takes parameters.
        rows = dict(conn.execute(_TERM_COUNTS, {"terms": missing}).all())
        cache.df.update({t: int(rows.get(t, 0)) for t in missing})
    return TermCounts(cache.df, cache.df[ALL_ARTICLES])


_UNCOUNT = sa.text("""
    WITH old AS (DELETE FROM article_story_keys WHERE article_id = :id RETURNING key),
         counted AS (SELECT key FROM old UNION ALL SELECT :all WHERE EXISTS (SELECT 1 FROM old))
    UPDATE story_terms s SET articles = s.articles - 1 FROM counted c WHERE s.term = c.key
    RETURNING s.term""")

_COUNT = sa.text("""
    INSERT INTO story_terms (term, articles) SELECT t, 1 FROM unnest(CAST(:terms AS text[])) AS t
    ON CONFLICT (term) DO UPDATE SET articles = story_terms.articles + 1""")


_MERGE = sa.text("""
    UPDATE articles SET cluster_id = :into
     WHERE coalesce(cluster_id, id) = ANY(CAST(:others AS bigint[])) AND cluster_id IS DISTINCT FROM :into""")


def merge_clusters(conn: Connection, into: int, others: set[int]) -> int:
    """Move every article of the ``others`` clusters into cluster ``into``; return how many moved.

    Found through the expression index on coalesce(cluster_id, id) (0010): only those clusters' rows.
    """
    return conn.execute(_MERGE, {"into": into, "others": sorted(others)}).rowcount


# One rewrite of the wide articles row per placement (cluster and version together), the old
# cluster read in the same statement; the story keys in one statement, not one per key.
_PLACE = sa.text("""
    UPDATE articles a SET cluster_id = :cluster, cluster_version = :version
      FROM (SELECT id, cluster_id FROM articles WHERE id = :id) old
     WHERE a.id = old.id
    RETURNING old.cluster_id IS DISTINCT FROM CAST(:cluster AS bigint)""")
_INDEX_KEYS = sa.text("""
    INSERT INTO article_story_keys (key, at, article_id)
    SELECT k, :at, :id FROM unnest(CAST(:keys AS text[])) AS k
    ON CONFLICT DO NOTHING""")


def set_cluster(conn: Connection, row: Any, cluster_id: int, *, version: str,
                cache: TermCountCache | None = None) -> bool:
    """Place one article in a cluster, index its story keys and count its terms in ``story_terms``
    (an article clustered again is first uncounted; ``cache`` follows both); return True when its
    stored cluster changed."""
    changed = conn.execute(_PLACE, {"id": row.id, "cluster": cluster_id, "version": version}).scalar()
    uncounted = conn.execute(_UNCOUNT, {"id": row.id, "all": ALL_ARTICLES}).scalars().all()
    terms = story_keys(row)
    if terms:
        conn.execute(_INDEX_KEYS, {"keys": terms, "at": row.at, "id": row.id})
        conn.execute(_COUNT, {"terms": [*terms, ALL_ARTICLES]})
    if cache is not None:
        cache.add(uncounted, -1)
        cache.add([*terms, ALL_ARTICLES] if terms else [], +1)
    return bool(changed)
