"""Stages ``start`` and ``fetch_feeds``: register the feeds, fetch them politely, insert new stories."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import load
from etl.db import describe_error, is_item_error
from etl.errors import PermanentError
from etl.models import Feed, PipelineError, Run, Source, StageStats
from etl.pipeline.common import Progress, _finish, _record, code_version
from etl.settings import Settings

log = logging.getLogger(__name__)


def run_start(run: Run, *, engine: Engine, settings: Settings, feeds_file: Path | None = None,
              feeds_file_is_complete: bool = False, sources: Sequence[Source] | None = None) -> StageStats:
    """Open the night's run row and register the sources and feeds of ``feeds_file`` (or ``sources``,
    already read from it).

    The file is read before anything is written: a bad or empty file is a ``ConfigError`` that
    leaves the night's row and every feed as they were. ``feeds_file_is_complete`` (the DAG's
    NEWSETL_FEEDS_FILE): feeds not in it are deactivated.
    """
    from etl.feedsfile import read_feeds_file

    stats = StageStats(stage="start")
    if sources is None and feeds_file is not None:
        sources = read_feeds_file(feeds_file)
    load.start_run(engine, run, code_version=code_version())
    if sources is not None:
        n_sources, n_feeds = load.register_sources(engine, sources, deactivate_missing=feeds_file_is_complete)
        stats.processed, stats.written = n_sources, n_feeds
    return _finish(engine, run, stats, settings)


def run_fetch_feeds(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Fetch every active feed (conditional GET), keep the raw bytes, insert new stories."""
    stats = fetch_feeds_of(run, load.active_feeds(engine), engine=engine, settings=settings, progress=progress)
    return _finish(engine, run, stats, settings)


def fetch_feeds_of(run: Run, feeds: Sequence[Feed], *, engine: Engine, settings: Settings,
                   progress: Progress = None) -> StageStats:
    """Fetch ``feeds`` and insert their new stories; return the counts without recording the stage's
    totals (the DAG's mapped fetch_feeds runs one host shard of the feeds per task)."""
    from etl.fetch import FetchRequest, fetch_all

    stats = StageStats(stage="fetch_feeds")
    requests = [FetchRequest(url=f.url, kind="feed", etag=f.etag, last_modified=f.last_modified, key=f.id)
                for f in feeds]
    tick = progress("feeds", len(requests)) if progress else None
    results = fetch_all(requests, settings=settings.fetch, progress=tick)
    for feed, result in zip(feeds, results, strict=True):
        stats.processed += 1
        _load_feed_result(run, feed, result, engine=engine, stats=stats)
    return stats


MAX_URL_CHARS = 2000
"""Longer item links are refused (they cannot be a story's address, and would not fit an index)."""


def _load_feed_result(run: Run, feed: Feed, result: Any, *, engine: Engine, stats: StageStats) -> None:
    """Record one feed's fetch and insert its new items, all in one transaction.

    Whatever goes wrong with this feed's bytes or items is recorded against this feed only;
    the other feeds of the night go on. An item PostgreSQL refuses is recorded on its own
    and the feed's other items land.
    """
    fetch_row: dict[str, Any] = {
        "url": feed.url, "final_url": result.final_url, "status_code": result.status,
        "outcome": result.outcome, "bytes": result.bytes, "duration_ms": result.elapsed_ms,
        "attempts": result.attempts, "error_kind": result.error_kind, "error": result.error,
        "items_seen": 0, "items_new": 0, "raw_sha256": None, "items_dropped": {},
    }
    try:
        with engine.begin() as conn:
            errors = _store_feed_items(conn, run, feed, result, fetch_row, stats)
            _record_feed_attempt(conn, run, feed, result, fetch_row)
    except (sa.exc.DBAPIError, ValueError) as exc:  # a value PostgreSQL cannot store, outside the items
        if not is_item_error(exc):
            raise
        fetch_row.update(outcome="error", error_kind="load-failed", items_seen=0, items_new=0,
                         error=f"feed could not be stored: {describe_error(exc)}")
        errors = [PipelineError(stage="fetch_feeds", reason=fetch_row["error"], url=feed.url, feed_id=feed.id,
                                error_class=type(exc).__name__)]
        with engine.begin() as conn:
            _record_feed_attempt(conn, run, feed, result, fetch_row)
        stats.discards["load-failed"] += 1
    for error in errors:
        _record(engine, run, stats, error)


def _store_feed_items(conn: sa.Connection, run: Run, feed: Feed, result: Any, fetch_row: dict[str, Any],
                      stats: StageStats) -> list[PipelineError]:
    """Keep the raw bytes, parse them and insert new stories; return the errors to record."""
    from etl.parse import parse_feed

    if result.outcome == "not-modified":
        stats.discards["not-modified"] += 1
        return []
    if result.outcome != "ok":
        stats.discards[result.error_kind or "error"] += 1
        return [PipelineError(stage="fetch_feeds", reason=result.error or "fetch failed", url=feed.url,
                              feed_id=feed.id, error_class=result.error_kind or "fetch")]
    fetch_row["raw_sha256"] = load.store_raw(conn, url=result.final_url, content_type=result.content_type,
                                             body=result.body)
    try:
        parsed = parse_feed(result.body, feed_url=result.final_url, content_type=result.content_type)
    except PermanentError as exc:
        fetch_row.update(outcome="error", error_kind="not-a-feed", error=exc.reason)
        stats.discards["not-a-feed"] += 1
        return [PipelineError(stage="fetch_feeds", reason=exc.reason, url=feed.url, feed_id=feed.id,
                              error_class=type(exc).__name__)]
    dropped: Counter[str] = Counter(parsed.dropped)
    rows = [_article_row(feed, item, parsed) for item in parsed.items if _is_storable(item, feed, dropped)]
    new, rejected = load.insert_feed_articles(conn, run, rows)
    dropped.update({"rejected": len(rejected)} if rejected else {})
    fetch_row.update(items_seen=len(parsed.items) + sum(parsed.dropped.values()), items_new=new,
                     items_dropped=dict(dropped))
    stats.written += new
    stats.discards.update(dropped)
    if len(rows) - new - len(rejected):
        stats.discards["already-seen"] += len(rows) - new - len(rejected)
    for warning in parsed.warnings:
        log.info("feed %s: %s", feed.url, warning)
    return [PipelineError(stage="fetch_feeds", reason=f"item refused by the database: {why}", url=row["url"],
                          feed_id=feed.id, error_class="rejected") for row, why in rejected]


def _is_storable(item: Any, feed: Feed, dropped: Counter[str]) -> bool:
    """Return False (and count why in ``dropped``) for an item whose link cannot be a story's address."""
    from etl.clean import has_line_controls

    if item.url and len(item.url) > MAX_URL_CHARS:
        dropped["url-too-long"] += 1
        log.warning("feed %s: item link of %d characters refused", feed.url, len(item.url))
        return False
    if item.url and has_line_controls(item.url):
        dropped["url-has-control-characters"] += 1
        log.warning("feed %s: item link with control characters refused", feed.url)
        return False
    return True


def _record_feed_attempt(conn: sa.Connection, run: Run, feed: Feed, result: Any, fetch_row: dict[str, Any]) -> None:
    failed = fetch_row["outcome"] == "error"
    load.record_feed_fetch(conn, run, feed, fetch_row)
    load.update_feed_state(conn, feed, ok=not failed, status=result.status, etag=None if failed else result.etag,
                           last_modified=None if failed else result.last_modified, error=fetch_row["error"],
                           new_url=result.permanent_redirect, gone=result.gone)


def _text(value: str | None) -> str | None:
    """Return ``value`` without NUL characters (PostgreSQL text cannot hold them)."""
    return value.replace("\x00", "") if value else value


def _article_row(feed: Feed, item: Any, parsed: Any) -> dict[str, Any]:
    """Return the articles row for a feed item, before its page is fetched."""
    from etl.clean import clean_text, detect_language
    from etl.dedup import normalise_url

    title = clean_text(_text(item.title)) if item.title else None
    summary = clean_text(_text(item.summary)) if item.summary else None
    guid = _text(item.guid)
    hint = item.language or parsed.language or feed.language
    if item.url:
        url = _text(item.url)
        url_key = normalise_url(url)
    else:  # no link: the story is known by its feed and GUID (the fragment keeps them apart)
        url = f"{feed.url}#guid={guid}"
        url_key = f"{normalise_url(feed.url)}#guid={guid}"
    return {
        "url": url, "url_key": url_key, "guid": guid, "source_id": feed.source_id,
        "feed_id": feed.id, "title": title, "summary": summary, "body": summary,
        "language": detect_language(" ".join(filter(None, [title, summary])), hint=hint),
        "markup_language": hint, "authors": _clean_names(item.authors),
        "categories": _clean_names(item.categories),
        "published_at": item.published_at, "date_status": item.date_status, "body_source": "feed",
        "page_status": "pending" if item.url else "no-article",
        "page_error": None if item.url else "feed item has no link",
    }




def _clean_names(values: Any) -> list[str]:
    """Return authors or categories as plain text (no markup, no controls), blanks dropped."""
    from etl.clean import clean_text

    return [name for name in (clean_text(_text(v) or "") for v in values) if name]
