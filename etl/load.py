"""Loading into PostgreSQL: upserts keyed on natural keys, one transaction per unit of work.

Every function here is idempotent: writing the same input twice leaves the same rows.
Natural keys: sources.name, feeds.configured_url, articles.url_key, (feed_id, run_id) for
fetches. The analysis stages' writes (entities, mentions, claims) are in ``etl.load_analysis``,
the copy and story stages' in ``etl.load_stories``.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.engine import Connection, Engine

from etl.clean import strip_controls, strip_line_controls
from etl.db import describe_error, is_item_error, table
from etl.errors import LeaseHeldError
from etl.models import (
    ArticleUpdate,
    Feed,
    PageState,
    PipelineError,
    Run,
    Source,
    StageStats,
    StoredPage,
)

_t = table  # every store function looks tables up the same way (etl.db.table)


def _now() -> datetime:
    return datetime.now(UTC)


_LINE_FIELDS = frozenset({"url", "url_key", "canonical_url", "final_url", "guid", "title", "authors",
                          "categories"})


def _safe(values: dict[str, Any]) -> dict[str, Any]:
    """Return ``values`` with control characters removed from every text (and text list) value.

    The last line of defence on the way in: PostgreSQL text cannot hold NUL, and no stored text
    column should hold C0/C1 controls (nor, in one-line fields, bidi overrides), whichever stage
    produced the value. Newlines and tabs stay in multi-line fields (bodies, summaries, reasons).
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        clean = strip_line_controls if key in _LINE_FIELDS else strip_controls
        if isinstance(value, str):
            value = clean(value)
        elif isinstance(value, list | tuple):
            value = [clean(v) if isinstance(v, str) else v for v in value]
        out[key] = value
    return out


# --- runs -----------------------------------------------------------------------------------


def start_run(engine: Engine, run: Run, *, code_version: str) -> None:
    """Create the run row, or mark an existing night as running again (a rerun)."""
    t = _t(engine, "pipeline_runs")
    stmt = insert(t).values(run_id=run.run_id, logical_date=run.logical_date, status="running",
                            code_version=code_version, started_at=_now())
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.run_id],
        set_={"status": "running", "started_at": _now(), "finished_at": None, "error": None,
              "code_version": code_version},
    )
    with engine.begin() as conn:
        conn.execute(stmt)


def stored_nights(engine: Engine, first: date, last: date) -> list[date]:
    """Return the nights between ``first`` and ``last`` that a nightly run stored, oldest first."""
    t = _t(engine, "pipeline_runs")
    query = (sa.select(t.c.logical_date).distinct()
             .where(t.c.logical_date.between(first, last), t.c.run_id.startswith("news_ingest/"))
             .order_by(t.c.logical_date))
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def claim_lease(engine: Engine, night: date, *, owner: str, ttl_s: float) -> None:
    """Claim (or renew) the lease of ``night`` for ``owner``; raise ``LeaseHeldError`` when another holds it.

    One statement, so two runs claiming at once cannot both win: the row is taken when it is
    free, already ``owner``'s, or expired (its owner crashed).
    """
    t = _t(engine, "run_leases")
    expires = _now() + timedelta(seconds=ttl_s)
    stmt = insert(t).values(logical_date=night, owner=owner, claimed_at=_now(), heartbeat_at=_now(),
                            expires_at=expires)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.logical_date],
        set_={"owner": owner, "heartbeat_at": _now(), "expires_at": expires,
              "claimed_at": sa.case((t.c.owner == owner, t.c.claimed_at), else_=_now())},
        where=sa.or_(t.c.owner == owner, t.c.expires_at < _now()),
    ).returning(t.c.owner)
    with engine.begin() as conn:
        if conn.execute(stmt).first() is not None:
            return
        holder = conn.execute(sa.select(t.c.owner, t.c.expires_at).where(t.c.logical_date == night)).one()
    raise LeaseHeldError(f"night {night} is already being run by {holder.owner} (lease until "
                         f"{holder.expires_at:%Y-%m-%d %H:%M:%S %Z}); not starting a second run")


def release_lease(engine: Engine, night: date, *, owner: str) -> None:
    """Give the night's lease back (only ``owner``'s: a taken-over lease stays with its new owner)."""
    t = _t(engine, "run_leases")
    with engine.begin() as conn:
        conn.execute(sa.delete(t).where(t.c.logical_date == night, t.c.owner == owner))


def record_stage(engine: Engine, run: Run, stats: StageStats) -> None:
    """Store one stage's counts under its name in ``pipeline_runs.stats`` (replacing a rerun's)."""
    t = _t(engine, "pipeline_runs")
    patch = sa.literal({stats.stage: stats.as_dict()}, type_=JSONB)
    with engine.begin() as conn:
        conn.execute(
            sa.update(t).where(t.c.run_id == run.run_id).values(stats=t.c.stats.op("||")(patch))
        )


def finish_run(engine: Engine, run: Run, *, status: str = "success", error: str | None = None) -> dict[str, Any]:
    """Mark the run finished (``error`` says why when it failed) and return its stored stats."""
    t = _t(engine, "pipeline_runs")
    with engine.begin() as conn:
        row = conn.execute(
            sa.update(t).where(t.c.run_id == run.run_id)
            .values(status=status, finished_at=_now(), error=strip_controls(error) if error else None)
            .returning(t.c.stats)
        ).one()
    return dict(row.stats)


def record_error(conn: Connection, run: Run, error: PipelineError) -> None:
    """Record a non-fatal failure (one row per run, stage, URL and article)."""
    t = _t(conn, "pipeline_errors")
    values = _safe({"run_id": run.run_id, "stage": error.stage, "url": error.url, "feed_id": error.feed_id,
                    "article_id": error.article_id, "error_class": error.error_class,
                    "reason": error.reason[:2000], "at": _now()})
    stmt = insert(t).values(**values).on_conflict_do_update(
        index_elements=[t.c.run_id, t.c.stage, sa.func.md5(t.c.url), t.c.article_id],
        set_={"reason": values["reason"], "error_class": error.error_class, "at": values["at"],
              "feed_id": error.feed_id},
    )
    conn.execute(stmt)


# --- sources and feeds ----------------------------------------------------------------------


REMOVED_FROM_FILE = "removed from the feeds file"


def register_sources(engine: Engine, sources: Sequence[Source], *, deactivate_missing: bool = False
                     ) -> tuple[int, int]:
    """Upsert sources and their feeds from the feeds file; return (sources, feeds) registered.

    A feed is found by the URL written in the file or by its current URL (after a permanent
    redirect), so listing the new address of a moved feed does not register it twice. With
    ``deactivate_missing`` (the nightly DAG, whose feeds file is the full list) feeds no longer
    in the file stop being fetched; listing them again brings them back. Feeds that answered
    410 Gone stay inactive.
    """
    ts, tf = _t(engine, "sources"), _t(engine, "feeds")
    seen: list[int] = []
    with engine.begin() as conn:
        for source in sources:
            source_id = conn.execute(
                insert(ts).values(name=source.name, homepage=source.homepage,
                                  language=source.language, country=source.country)
                .on_conflict_do_update(
                    index_elements=[ts.c.name],
                    set_={"homepage": source.homepage, "language": source.language,
                          "country": source.country})
                .returning(ts.c.id)
            ).scalar_one()
            for url in source.feeds:
                seen.append(_register_feed(conn, tf, source_id, url))
        if deactivate_missing:
            conn.execute(sa.update(tf).where(tf.c.id.not_in(seen), tf.c.active)
                         .values(active=False, deactivated_reason=REMOVED_FROM_FILE))
    return len(sources), len(seen)


def _register_feed(conn: Connection, tf: sa.Table, source_id: int, url: str) -> int:
    existing = conn.execute(
        sa.select(tf.c.id).where(sa.or_(tf.c.configured_url == url, tf.c.url == url))
        .order_by((tf.c.configured_url == url).desc(), tf.c.id).limit(1)).scalar()
    if existing is None:
        return conn.execute(insert(tf).values(source_id=source_id, url=url, configured_url=url)
                            .returning(tf.c.id)).scalar_one()
    back = sa.case((tf.c.deactivated_reason == REMOVED_FROM_FILE, True), else_=tf.c.active)
    conn.execute(sa.update(tf).where(tf.c.id == existing).values(
        source_id=source_id, active=back,
        deactivated_reason=sa.case((tf.c.deactivated_reason == REMOVED_FROM_FILE, None),
                                   else_=tf.c.deactivated_reason)))
    return existing


def active_feeds(engine: Engine) -> list[Feed]:
    """Return every active feed with its conditional-GET validators, in id order."""
    tf, ts = _t(engine, "feeds"), _t(engine, "sources")
    query = (sa.select(tf.c.id, tf.c.source_id, tf.c.url, tf.c.etag, tf.c.last_modified, ts.c.language)
             .join(ts, ts.c.id == tf.c.source_id).where(tf.c.active).order_by(tf.c.id))
    with engine.connect() as conn:
        return [Feed(id=r.id, source_id=r.source_id, url=r.url, etag=r.etag,
                     last_modified=r.last_modified, language=r.language)
                for r in conn.execute(query)]


def update_feed_state(conn: Connection, feed: Feed, *, ok: bool, status: int | None,
                      etag: str | None, last_modified: str | None, error: str | None,
                      new_url: str | None, gone: bool) -> None:
    """Update a feed's validators and health after one fetch attempt."""
    tf = _t(conn, "feeds")
    values: dict[str, Any] = {"last_fetch_at": _now(), "last_status": status}
    if ok:
        values.update(last_success_at=_now(), consecutive_failures=0, last_error=None)
        if etag is not None or last_modified is not None:
            values.update(etag=etag, last_modified=last_modified)
    else:
        values.update(consecutive_failures=tf.c.consecutive_failures + 1,
                      last_error=strip_controls(error) if error else error)
    if gone:
        values.update(active=False, deactivated_reason=f"HTTP 410 Gone at {_now():%Y-%m-%d}")
    if new_url and new_url != feed.url:
        taken = conn.execute(sa.select(tf.c.id).where(tf.c.url == new_url)).first()
        if taken is None:  # two configured feeds redirecting to one URL keep their own rows
            values["url"] = new_url
    conn.execute(sa.update(tf).where(tf.c.id == feed.id).values(**values))


def record_feed_fetch(conn: Connection, run: Run, feed: Feed, values: dict[str, Any]) -> None:
    """Record this night's fetch of a feed (one row per feed per run, latest attempt wins).

    A rerun of the night that gets 304 Not Modified keeps the night's successful fetch row:
    the items it counted are still the night's items.
    """
    t = _t(conn, "feed_fetches")
    row = _safe({"feed_id": feed.id, "run_id": run.run_id, "attempted_at": _now(), **values})
    stmt = insert(t).values(**row)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[t.c.feed_id, t.c.run_id],
        set_={k: v for k, v in row.items() if k not in {"feed_id", "run_id"}},
        where=~sa.and_(t.c.outcome == "ok", stmt.excluded.outcome == "not-modified"),
    ))


def store_raw(conn: Connection, *, url: str, content_type: str | None, body: bytes) -> str:
    """Keep raw fetched bytes content-addressed and compressed; return their SHA-256."""
    t = _t(conn, "raw_documents")
    sha = hashlib.sha256(body).hexdigest()
    conn.execute(insert(t).values(sha256=sha, url=url, content_type=content_type, size=len(body),
                                  body_zlib=zlib.compress(body, 6), fetched_at=_now())
                 .on_conflict_do_update(index_elements=[t.c.sha256], set_={"fetched_at": _now()}))
    return sha


def load_raw(engine: Engine, sha256: str) -> bytes | None:
    """Return the raw bytes stored under ``sha256`` (None when pruned)."""
    t = _t(engine, "raw_documents")
    with engine.connect() as conn:
        blob = conn.execute(sa.select(t.c.body_zlib).where(t.c.sha256 == sha256)).scalar()
    return zlib.decompress(blob) if blob is not None else None


def prune_raw(engine: Engine, *, retention_days: int) -> int:
    """Delete raw documents older than the retention window; return how many went."""
    if retention_days <= 0:
        return 0
    t = _t(engine, "raw_documents")
    with engine.begin() as conn:
        return conn.execute(
            sa.delete(t).where(t.c.fetched_at < _now() - timedelta(days=retention_days))
        ).rowcount


# --- articles -------------------------------------------------------------------------------


def insert_feed_articles(conn: Connection, run: Run, rows: Sequence[dict[str, Any]]
                         ) -> tuple[int, list[tuple[dict[str, Any], str]]]:
    """Insert articles first seen in a feed; return (new, rejected rows with why).

    A story already known by its URL key, or by its GUID within the same feed, is not inserted
    again: its sighting (article, feed, URL, first/last seen) is recorded instead, so a story
    listed by two feeds, or re-listed with other tracking parameters, stays one article.
    The rows go in one statement under a savepoint; when PostgreSQL rejects it, they are redone
    one by one, each under its own savepoint, so only the item it refuses is left out.
    """
    if not rows:
        return 0, []
    t = _t(conn, "articles")
    known = _known_articles(conn, rows)
    fresh = list({r["url_key"]: r for r in reversed(rows) if _row_key(r) not in known}.values())[::-1]

    def insert_rows(batch: Sequence[dict[str, Any]]) -> int:
        stmt = (insert(t).values([_safe({**r, "run_id": run.run_id}) for r in batch])
                .on_conflict_do_nothing(index_elements=[sa.func.md5(t.c.url_key)]).returning(t.c.id))
        with conn.begin_nested():
            return len(conn.execute(stmt).all())

    new, rejected = 0, []
    try:
        new = insert_rows(fresh) if fresh else 0
    except (sa.exc.DBAPIError, ValueError) as exc:
        if not is_item_error(exc):
            raise
        for row in fresh:
            try:
                new += insert_rows([row])
            except (sa.exc.DBAPIError, ValueError) as exc:
                if not is_item_error(exc):
                    raise
                rejected.append((row, describe_error(exc)))
    refused = {id(r) for r, _ in rejected}
    record_sightings(conn, run, [r for r in rows if id(r) not in refused])
    return new, rejected


def _row_key(row: dict[str, Any]) -> tuple[str, Any, Any]:
    return (row["url_key"], row.get("feed_id"), row.get("guid"))


def _known_articles(conn: Connection, rows: Sequence[dict[str, Any]]) -> dict[tuple[str, Any, Any], int]:
    """Return the stored article id per row key: by URL key, else by GUID within the row's feed.

    Two indexed lookups for the whole batch (md5(url_key) and (feed_id, md5(guid))).
    """
    t = _t(conn, "articles")
    url_keys = sorted({r["url_key"] for r in rows})
    by_url = {r.url_key: r.id for r in conn.execute(
        sa.select(t.c.url_key, t.c.id).where(sa.func.md5(t.c.url_key).in_([_md5(k) for k in url_keys])))}
    guids = sorted({(r["feed_id"], r["guid"]) for r in rows if r.get("guid") and r.get("feed_id") is not None})
    by_guid: dict[tuple[Any, Any], int] = {}
    for feed_id in sorted({f for f, _ in guids}):
        wanted = [_md5(g) for f, g in guids if f == feed_id]
        for r in conn.execute(sa.select(t.c.guid, sa.func.min(t.c.id).label("id"))
                              .where(t.c.feed_id == feed_id, t.c.guid.is_not(None),
                                     sa.func.md5(t.c.guid).in_(wanted)).group_by(t.c.guid)):
            by_guid[(feed_id, r.guid)] = r.id
    out: dict[tuple[str, Any, Any], int] = {}
    for row in rows:
        found = by_url.get(row["url_key"]) or by_guid.get((row.get("feed_id"), row.get("guid")))
        if found is not None:
            out[_row_key(row)] = found
    return out


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def record_sightings(conn: Connection, run: Run, rows: Sequence[dict[str, Any]]) -> int:
    """Upsert one sighting per (article, feed, URL) of feed ``rows``; return how many rows were listed.

    A rerun of the night touches ``last_seen_at`` of the same rows and creates none.
    """
    known = _known_articles(conn, rows)
    t = _t(conn, "article_sightings")
    values = {}
    for row in rows:
        article_id = known.get(_row_key(row))
        if article_id is not None:
            values[(article_id, row.get("feed_id"), row["url"])] = _safe({
                "article_id": article_id, "feed_id": row.get("feed_id"), "url": row["url"], "guid": row.get("guid"),
                "first_seen_at": _now(), "last_seen_at": _now(), "first_run_id": run.run_id,
                "last_run_id": run.run_id})
    if values:
        stmt = insert(t)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[t.c.article_id, sa.func.coalesce(t.c.feed_id, 0), sa.func.md5(t.c.url)],
            set_={"last_seen_at": stmt.excluded.last_seen_at, "last_run_id": stmt.excluded.last_run_id}),
            list(values.values()))
    return len(values)


def pending_pages(engine: Engine, run: Run, *, max_attempts: int, keep: Callable[[str], bool] | None = None,
                  claim: bool = True) -> list[tuple[int, str]]:
    """Return (article id, url) of the pages this night fetches, claimed so no other run fetches them.

    ``keep`` (a URL predicate: the DAG's host shard) limits them, and what is claimed, to the
    pages it keeps; ``claim=False`` only looks (the DAG's planner, which must leave each
    shard's retries for the shard's own task to claim).

    Keyed on the night: the pending pages of articles this night loaded, and the failed pages of
    earlier nights' articles worth retrying. A backfill of an old night never takes tonight's
    pending pages, and tonight never takes an old night's. A retry is claimed by setting
    ``updated_run_id`` where it still names the run that last tried it (compare-and-set), so two
    nights running side by side never fetch one page twice. A page that already failed in this run
    is left for a later night: rerunning a night (or an Airflow retry) must not use up the bounded
    attempts.
    """
    t, runs = _t(engine, "articles"), _t(engine, "pipeline_runs")
    earlier_nights = sa.select(runs.c.run_id).where(runs.c.logical_date < run.logical_date)
    own_pending = sa.and_(t.c.run_id == run.run_id, t.c.page_status == "pending")
    retry = sa.and_(t.c.page_status == "failed", t.c.run_id.in_(earlier_nights),
                    t.c.updated_run_id.is_distinct_from(run.run_id))
    query = (sa.select(t.c.id, t.c.url, t.c.page_status, t.c.updated_run_id)
             .where(sa.or_(own_pending, retry), t.c.page_attempts < max_attempts).order_by(t.c.id))
    with engine.begin() as conn:
        rows = [r for r in conn.execute(query).all() if keep is None or keep(r.url)]
        if not claim:
            return [(r.id, r.url) for r in rows]
        claimed = _claim_retries(conn, run, [(r.id, r.updated_run_id) for r in rows if r.page_status == "failed"])
    return [(r.id, r.url) for r in rows if r.page_status == "pending" or r.id in claimed]


def _claim_retries(conn: Connection, run: Run, seen: Sequence[tuple[int, str | None]]) -> set[int]:
    """Return the ids of the failed pages this run claimed: those still last tried by the run it saw,
    when that run's night is not being run right now.

    Another night that saw the same page claims it first or finds it claimed (PostgreSQL re-reads a
    row it waited for); and a page claimed by a night still holding its lease (``run_leases``) is
    that night's to fetch. So exactly one run fetches it at a time.
    """
    t, runs, leases = _t(conn, "articles"), _t(conn, "pipeline_runs"), _t(conn, "run_leases")
    busy = (sa.select(runs.c.run_id).join(leases, leases.c.logical_date == runs.c.logical_date)
            .where(leases.c.expires_at > sa.func.now(), runs.c.run_id != run.run_id))
    by_last: dict[str | None, list[int]] = {}
    for article_id, last in seen:
        by_last.setdefault(last, []).append(article_id)
    claimed: set[int] = set()
    for last, ids in by_last.items():
        still = t.c.updated_run_id.is_(None) if last is None else t.c.updated_run_id == last
        claimed.update(conn.execute(
            sa.update(t).where(t.c.id.in_(ids), t.c.page_status == "failed", still,
                               t.c.updated_run_id.is_(None) | t.c.updated_run_id.not_in(busy))
            .values(updated_run_id=run.run_id, updated_at=_now()).returning(t.c.id)).scalars())
    return claimed


def update_article(conn: Connection, run: Run, article_id: int, update: ArticleUpdate) -> None:
    """Update the columns of one article that a page stage sets, stamping the run and time of the change."""
    t = _t(conn, "articles")
    conn.execute(sa.update(t).where(t.c.id == article_id)
                 .values(**_safe(update.columns()), updated_run_id=run.run_id, updated_at=_now()))


def page_states(conn: Connection, article_ids: Sequence[int]) -> dict[int, PageState]:
    """Return what the page stages read of each article before deciding its writes (one query)."""
    t = _t(conn, "articles")
    rows = conn.execute(sa.select(t.c.id, t.c.page_attempts, t.c.title, t.c.published_at, t.c.language,
                                  t.c.body_source).where(t.c.id.in_(list(article_ids)))).all()
    return {row.id: PageState(*row) for row in rows}


def pages_to_reextract(engine: Engine, extractor_version: str, *, run: Run | None = None) -> list[StoredPage]:
    """Return the articles with kept raw bytes whose extractor version is not ``extractor_version``
    (only those ``run`` loaded, when given), in id order."""
    t, raw = _t(engine, "articles"), _t(engine, "raw_documents")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.id, t.c.url, t.c.raw_sha256, raw.c.content_type)
                            .outerjoin(raw, raw.c.sha256 == t.c.raw_sha256)
                            .where(t.c.raw_sha256.is_not(None),
                                   t.c.extractor_version.is_distinct_from(extractor_version),
                                   t.c.run_id == run.run_id if run is not None else sa.true())
                            .order_by(t.c.id)).all()
    return [StoredPage(*row) for row in rows]
