"""The nightly run, stage by stage. The DAG and the CLI both call these functions.

Every ``run_<stage>(run, *, engine, settings) -> StageStats`` reads its input from and writes
its output to PostgreSQL, so tasks pass only the run id and counts, and each stage can be
rerun for the same night without changing anything the second time:
- fetch_feeds inserts new stories only (url_key), records one fetch row per feed per night;
- fetch_pages works on articles whose page is pending or failed fewer than N times;
- dedup, find_entities and find_claims work on articles whose stored version differs from
  the running code's, and replace what they wrote for an article in one transaction.
A bad feed, page or article is recorded in ``pipeline_errors`` and the stage goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import __version__, load
from etl.db import make_engine, resolve_database_url, tables, upgrade_schema
from etl.errors import ConfigError, DataQualityError, PermanentError
from etl.models import Feed, PipelineError, Run, StageStats
from etl.settings import Settings, load_settings

log = logging.getLogger(__name__)

Progress = Callable[[str, int], Callable[[Any], None]] | None
"""Factory for progress callbacks: (stage description, total) -> callback per item."""


def make_run(logical_date: date) -> Run:
    """Return the run of a logical night; the same night always gets the same run id."""
    return Run(run_id=f"news_ingest/{logical_date.isoformat()}", logical_date=logical_date)


def open_engine(settings: Settings, *, upgrade: bool = True) -> Engine:
    """Return an engine on the configured (or embedded) database, schema up to date."""
    engine = make_engine(resolve_database_url(settings))
    if upgrade:
        upgrade_schema(engine)
    return engine


def code_version() -> str:
    """Return the versions of everything that shapes the rows (stored per run)."""
    from etl import dedup, extract
    from etl.analyze import nlp_version

    return f"newsetl {__version__}; {extract.EXTRACTOR_VERSION}; {dedup.DEDUP_VERSION}; {nlp_version()}"


def _finish(engine: Engine, run: Run, stats: StageStats) -> StageStats:
    load.record_stage(engine, run, stats)
    log.info("%s: processed=%d written=%d errors=%d discards=%s", stats.stage, stats.processed,
             stats.written, stats.errors, dict(stats.discards))
    return stats


def _record(engine: Engine, run: Run, stats: StageStats, error: PipelineError) -> None:
    stats.errors += 1
    log.warning("%s: %s (%s)", error.stage, error.reason, error.url or error.article_id)
    with engine.begin() as conn:
        load.record_error(conn, run, error)


# --- stages ---------------------------------------------------------------------------------


def run_start(run: Run, *, engine: Engine, settings: Settings, feeds_file: Path | None = None,
              feeds_file_is_complete: bool = False) -> StageStats:
    """Open the night's run row and register the sources and feeds of ``feeds_file``.

    ``feeds_file_is_complete`` (the DAG's NEWSETL_FEEDS_FILE): feeds not in it are deactivated.
    """
    from etl.parse import read_feeds_file

    stats = StageStats(stage="start")
    load.start_run(engine, run, code_version=code_version())
    if feeds_file is not None:
        sources = read_feeds_file(feeds_file)
        n_sources, n_feeds = load.register_sources(engine, sources, deactivate_missing=feeds_file_is_complete)
        stats.processed, stats.written = n_sources, n_feeds
    return _finish(engine, run, stats)


def run_fetch_feeds(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Fetch every active feed (conditional GET), keep the raw bytes, insert new stories."""
    from etl.fetch import FetchRequest, fetch_all

    stats = StageStats(stage="fetch_feeds")
    feeds = load.active_feeds(engine)
    requests = [FetchRequest(url=f.url, kind="feed", etag=f.etag, last_modified=f.last_modified, key=f.id)
                for f in feeds]
    tick = progress("feeds", len(requests)) if progress else None
    results = fetch_all(requests, settings=settings.fetch, progress=tick)
    for feed, result in zip(feeds, results, strict=True):
        stats.processed += 1
        _load_feed_result(run, feed, result, engine=engine, stats=stats)
    return _finish(engine, run, stats)


MAX_URL_CHARS = 2000
"""Longer item links are refused (they cannot be a story's address, and would not fit an index)."""


def _load_feed_result(run: Run, feed: Feed, result: Any, *, engine: Engine, stats: StageStats) -> None:
    """Record one feed's fetch and insert its new items, all in one transaction.

    Whatever goes wrong with this feed's bytes or items is recorded against this feed only;
    the other feeds of the night go on.
    """
    fetch_row: dict[str, Any] = {
        "url": feed.url, "final_url": result.final_url, "status_code": result.status,
        "outcome": result.outcome, "bytes": result.bytes, "duration_ms": result.elapsed_ms,
        "attempts": result.attempts, "error_kind": result.error_kind, "error": result.error,
        "items_seen": 0, "items_new": 0, "raw_sha256": None,
    }
    try:
        with engine.begin() as conn:
            error = _store_feed_items(conn, run, feed, result, fetch_row, stats)
            _record_feed_attempt(conn, run, feed, result, fetch_row)
    except (sa.exc.DataError, ValueError) as exc:  # e.g. a value PostgreSQL cannot store
        fetch_row.update(outcome="error", error_kind="load-failed", items_seen=0, items_new=0,
                         error=f"items could not be stored: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        error = PipelineError(stage="fetch_feeds", reason=fetch_row["error"], url=feed.url, feed_id=feed.id,
                              error_class=type(exc).__name__)
        with engine.begin() as conn:
            _record_feed_attempt(conn, run, feed, result, fetch_row)
    if error is not None:
        stats.discards[fetch_row["error_kind"] or "error"] += 1
        _record(engine, run, stats, error)


def _store_feed_items(conn: sa.Connection, run: Run, feed: Feed, result: Any, fetch_row: dict[str, Any],
                      stats: StageStats) -> PipelineError | None:
    """Keep the raw bytes, parse them and insert new stories; return the error to record, if any."""
    from etl.parse import parse_feed

    if result.outcome == "not-modified":
        stats.discards["not-modified"] += 1
        return None
    if result.outcome != "ok":
        return PipelineError(stage="fetch_feeds", reason=result.error or "fetch failed", url=feed.url,
                             feed_id=feed.id, error_class=result.error_kind or "fetch")
    fetch_row["raw_sha256"] = load.store_raw(conn, url=result.final_url, content_type=result.content_type,
                                             body=result.body)
    try:
        parsed = parse_feed(result.body, feed_url=result.final_url, content_type=result.content_type)
    except PermanentError as exc:
        fetch_row.update(outcome="error", error_kind="not-a-feed", error=exc.reason)
        return PipelineError(stage="fetch_feeds", reason=exc.reason, url=feed.url, feed_id=feed.id,
                             error_class=type(exc).__name__)
    rows = []
    for item in parsed.items:
        if item.url and len(item.url) > MAX_URL_CHARS:
            stats.discards["url-too-long"] += 1
            log.warning("feed %s: item link of %d characters refused", feed.url, len(item.url))
            continue
        rows.append(_article_row(feed, item, parsed))
    new = load.insert_feed_articles(conn, run, rows)
    fetch_row.update(items_seen=len(parsed.items), items_new=new)
    stats.written += new
    if len(rows) > new:
        stats.discards["already-seen"] += len(rows) - new
    for warning in parsed.warnings:
        log.info("feed %s: %s", feed.url, warning)
    return None


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
        "markup_language": hint, "authors": [_text(a) for a in item.authors],
        "categories": [_text(c) for c in item.categories],
        "published_at": item.published_at, "date_status": item.date_status, "body_source": "feed",
        "page_status": "pending" if item.url else "no-article",
        "page_error": None if item.url else "feed item has no link",
    }


PAGES_PER_CHUNK = 500


def run_fetch_pages(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Fetch and extract pages of new articles (and retry failed ones a bounded number of times)."""
    from etl.fetch import FetchRequest, fetch_all

    stats = StageStats(stage="fetch_pages")
    pending = load.pending_pages(engine, run, max_attempts=settings.fetch.max_page_attempts)
    tick = progress("pages", len(pending)) if progress else None
    # In chunks: page bodies of one chunk only are held in memory, and what was fetched is stored
    # before the next chunk starts (a crash late in a long night keeps the earlier pages).
    for start in range(0, len(pending), PAGES_PER_CHUNK):
        if start:
            time.sleep(settings.fetch.per_host_delay_s)  # keep the per-host gap across chunks
        chunk = pending[start:start + PAGES_PER_CHUNK]
        requests = [FetchRequest(url=url, kind="page", key=article_id) for article_id, url in chunk]
        results = fetch_all(requests, settings=settings.fetch, progress=tick)
        for (article_id, url), result in zip(chunk, results, strict=True):
            stats.processed += 1
            _load_page_result(run, article_id, url, result, engine=engine, settings=settings, stats=stats)
    return _finish(engine, run, stats)


def _load_page_result(run: Run, article_id: int, url: str, result: Any, *, engine: Engine,
                      settings: Settings, stats: StageStats) -> None:
    t = tables(engine)["articles"]
    error: PipelineError | None = None
    with engine.begin() as conn:
        attempts = conn.execute(sa.select(t.c.page_attempts).where(t.c.id == article_id)).scalar_one() + 1
        values: dict[str, Any] = {"page_attempts": attempts}
        if result.outcome != "ok":
            gave_up = attempts >= settings.fetch.max_page_attempts
            values.update(page_status="gave-up" if gave_up else "failed", page_error=result.error)
            stats.discards[result.error_kind or "fetch-error"] += 1
            error = PipelineError(stage="fetch_pages", reason=result.error or "fetch failed", url=url,
                                  article_id=article_id, error_class=result.error_kind or "fetch")
        else:
            values["raw_sha256"] = load.store_raw(conn, url=result.final_url,
                                                  content_type=result.content_type, body=result.body)
            extracted, error = _extract_values(conn, t, article_id, result.body, url=result.final_url,
                                               content_type=result.content_type, stats=stats)
            values.update(extracted)
        load.update_article(conn, run, article_id, values)
    if error is not None:
        _record(engine, run, stats, error)


def _extract_values(conn: sa.Connection, t: sa.Table, article_id: int, raw: bytes, *, url: str,
                    content_type: str | None, stats: StageStats) -> tuple[dict[str, Any], PipelineError | None]:
    """Extract one page's bytes; return the article columns to set and the error to record."""
    from etl.extract import extract_article

    try:
        page = extract_article(raw, url=url, content_type=content_type)
    except PermanentError as exc:
        stats.discards["undecodable"] += 1
        return ({"page_status": "no-article", "page_error": exc.reason},
                PipelineError(stage=stats.stage, reason=exc.reason, url=url, article_id=article_id,
                              error_class=type(exc).__name__))
    stats.written += bool(page.text)
    if not page.text:
        stats.discards["no-article"] += 1
    return _page_values(conn, t, article_id, page), None


def run_reextract(run: Run, *, engine: Engine, settings: Settings) -> StageStats:
    """Re-extract stored pages whose extractor version is outdated, from the kept raw bytes.

    No refetching: a better extractor can be applied to past nights (a backfill) offline.
    Articles whose raw bytes were pruned are counted as "raw-pruned" and left as they are.
    """
    from etl.extract import EXTRACTOR_VERSION

    stats = StageStats(stage="reextract")
    t, raw = tables(engine)["articles"], tables(engine)["raw_documents"]
    with engine.connect() as conn:
        todo = conn.execute(sa.select(t.c.id, t.c.url, t.c.raw_sha256, raw.c.content_type)
                            .outerjoin(raw, raw.c.sha256 == t.c.raw_sha256)
                            .where(t.c.raw_sha256.is_not(None),
                                   t.c.extractor_version.is_distinct_from(EXTRACTOR_VERSION))
                            .order_by(t.c.id)).all()
    for row in todo:
        stats.processed += 1
        body = load.load_raw(engine, row.raw_sha256)
        if body is None:
            stats.discards["raw-pruned"] += 1
            continue
        with engine.begin() as conn:
            values, error = _extract_values(conn, t, row.id, body, url=row.url,
                                            content_type=row.content_type, stats=stats)
            load.update_article(conn, run, row.id, values)
        if error is not None:
            _record(engine, run, stats, error)
    return _finish(engine, run, stats)


def _page_values(conn: sa.Connection, t: sa.Table, article_id: int, page: Any) -> dict[str, Any]:
    """Return the article columns an extracted page sets (feed values kept where the page has none)."""
    current = conn.execute(sa.select(t.c.title, t.c.published_at, t.c.language, t.c.body_source)
                           .where(t.c.id == article_id)).one()
    values: dict[str, Any] = {"extractor_version": page.extractor_version}
    if not page.text:
        problem = page.problem or "no article text found"
        if current.body_source == "page":  # a re-extraction found nothing: keep the earlier text
            return {**values, "page_error": f"re-extraction: {problem}; earlier text kept"}
        return {**values, "extractor": page.extractor, "page_status": "no-article", "page_error": problem}
    values.update(extractor=page.extractor, canonical_url=page.canonical_url)
    values.update(body=page.text, body_source="page", page_status="ok", page_error=None,
                  language=page.language or current.language, markup_language=page.markup_language,
                  dedup_version=None, entities_version=None, nlp_version=None)
    if page.authors:
        values["authors"] = list(page.authors)
    if not current.title and page.title:
        values["title"] = page.title
    if current.published_at is None and page.published is not None:
        values.update(published_at=page.published, date_status="ok")
    return values


def run_dedup(run: Run, *, engine: Engine, settings: Settings, window_days: int = 7) -> StageStats:
    """Mark exact and near-identical copies (duplicate_of) and same-event clusters (cluster_id)."""
    from etl import dedup

    stats = StageStats(stage="dedup")
    t = tables(engine)["articles"]
    cols = (t.c.id, t.c.title, t.c.body, t.c.content_hash, t.c.simhash, t.c.duplicate_of, t.c.cluster_id)
    with engine.connect() as conn:
        todo = conn.execute(sa.select(*cols).where(t.c.dedup_version.is_distinct_from(dedup.DEDUP_VERSION))
                            .order_by(t.c.id)).all()
        if not todo:
            return _finish(engine, run, stats)
        since = sa.func.now() - sa.text(f"interval '{int(window_days)} days'")
        done = conn.execute(sa.select(*cols).where(t.c.dedup_version == dedup.DEDUP_VERSION,
                                                   t.c.created_at > since)).all()
    new_keys = [dedup.article_keys(r.id, r.title, r.body) for r in todo]
    earlier = [(dedup.DedupKeys(r.id, r.content_hash, r.simhash, dedup.title_words(r.title)),
                dedup.DedupDecision(r.id, r.duplicate_of, r.cluster_id or r.id)) for r in done]
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
    stats.extra["duplicates"] = stats.discards["duplicate"]
    return _finish(engine, run, stats)


def run_clusters(run: Run, *, engine: Engine, settings: Settings) -> StageStats:
    """Group the night's articles (and those of the days around it) into same-event clusters.

    Articles up to two windows back are read, so a story linked on an earlier night to an
    article now outside the window keeps its cluster; only articles inside the window are
    rewritten, and only when their ``cluster_id`` changes (a rerun writes nothing).
    """
    from etl import clusters
    from etl.dedup import title_words

    stats = StageStats(stage="cluster_stories")
    since = run.logical_date - timedelta(days=clusters.MAX_DAYS_APART + 1)
    until = run.logical_date + timedelta(days=1)
    query = sa.text("""
        SELECT a.id, (coalesce(a.published_at, a.created_at) AT TIME ZONE 'UTC')::date AS day,
               a.duplicate_of, a.simhash, a.title, a.cluster_id,
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
                                      title_words=title_words(r.title), entities=frozenset(r.keys))
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


ANALYSIS_BATCH = 200
"""Articles whose text is held in memory at once by an NLP stage."""


def _batches(engine: Engine, where: sa.ColumnElement[bool]) -> tuple[int, Iterator[list[Any]]]:
    """Return how many articles match ``where`` and an iterator over them in id-ordered batches.

    Only ids are read up front, so a model upgrade that re-analyses the whole history does
    not load every article's text into one task's memory.
    """
    t = tables(engine)["articles"]
    with engine.connect() as conn:
        ids = conn.execute(sa.select(t.c.id).where(where).order_by(t.c.id)).scalars().all()

    def batches() -> Iterator[list[Any]]:
        for i in range(0, len(ids), ANALYSIS_BATCH):
            chunk = ids[i:i + ANALYSIS_BATCH]
            with engine.connect() as conn:
                yield conn.execute(sa.select(t.c.id, t.c.full_text, t.c.language)
                                   .where(t.c.id.in_(chunk)).order_by(t.c.id)).all()

    return len(ids), batches()


def _for_each_article(run: Run, todo: tuple[int, Iterator[list[Any]]], work: Callable[[Any], int], *,
                      engine: Engine, stats: StageStats, progress: Progress, label: str,
                      on_failure: Callable[[int], None] | None = None) -> StageStats:
    """Apply ``work`` (returns rows written) to each article; a failing article is recorded, not fatal.

    Database errors propagate (the task fails and Airflow retries); anything else raised while
    analysing one article's text is recorded in ``pipeline_errors`` with its class and message,
    logged with its traceback, ``on_failure(article_id)`` clears what the stage had stored for
    it, and the stage goes on with the next article.
    """
    total, batches = todo
    tick = progress(label, total) if progress else None
    for rows in batches:
        for row in rows:
            stats.processed += 1
            try:
                stats.written += work(row)
            except sa.exc.SQLAlchemyError:
                raise
            except Exception as exc:  # noqa: BLE001 - recorded below with its traceback, never dropped
                if not isinstance(exc, PermanentError):
                    log.exception("%s: article %s failed", stats.stage, row.id)
                reason = exc.reason if isinstance(exc, PermanentError) else f"{type(exc).__name__}: {exc}"
                if on_failure:
                    on_failure(row.id)
                _record(engine, run, stats, PipelineError(stage=stats.stage, reason=reason, article_id=row.id,
                                                          error_class=type(exc).__name__))
            if tick:
                tick(row.id)
    return _finish(engine, run, stats)


def run_entities(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Recognise entities in new or re-extracted articles; upsert canonical entities and mentions.

    ``articles.entities_version`` is stamped in the same transaction as the mentions; an article
    that fails loses its old mentions (they may point into an older text) and stays to do.
    """
    from etl import ner
    from etl.analyze import find_entities
    from etl.arabic import normalise_key

    t = tables(engine)["articles"]

    def work(row: Any) -> int:
        lang, _, resolved = find_entities(row.full_text, row.language)
        norm_keys = {m.key: normalise_key(m.canonical_name, strip_clitic=True) for m in resolved}
        with engine.begin() as conn:
            ids = load.upsert_entities(conn, run, resolved, norm_keys=norm_keys, model_version=ner.MODEL_VERSION)
            load.upsert_aliases(conn, _alias_rows(resolved, ids, lang))
            load.replace_mentions(conn, run, row.id, [
                {"entity_id": ids[m.key], "start_char": m.start, "end_char": m.end, "surface": m.text,
                 "label": m.label} for m in resolved], model_version=ner.MODEL_VERSION)
            conn.execute(sa.update(t).where(t.c.id == row.id).values(entities_version=ner.MODEL_VERSION))
        return len(resolved)

    def forget(article_id: int) -> None:
        with engine.begin() as conn:
            load.replace_mentions(conn, run, article_id, [], model_version=ner.MODEL_VERSION)
            conn.execute(sa.update(t).where(t.c.id == article_id).values(entities_version=None))

    todo = _batches(engine, t.c.entities_version.is_distinct_from(ner.MODEL_VERSION))
    return _for_each_article(run, todo, work, engine=engine, stats=StageStats(stage="find_entities"),
                             progress=progress, label="entities", on_failure=forget)


def _alias_rows(resolved: list[Any], ids: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """Return alias rows: every surface form seen, plus the alias tables' names per language."""
    from etl.arabic import normalise_key
    from etl.entities import known_names

    unique = {(ids[m.key], m.text, lang) for m in resolved}
    unique |= {(ids[key], name, name_lang) for key in ids for name_lang, name in known_names(key)}
    return [{"entity_id": entity_id, "alias": alias, "alias_key": normalise_key(alias, strip_clitic=True),
             "language": alias_lang} for entity_id, alias, alias_lang in sorted(unique)]


def run_claims(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Extract claims from analysed articles, link speakers to entities, store quantities."""
    from etl import claims, ner
    from etl.analyze import find_claims, nlp_version, sentence_around
    from etl.models import EntitySpan

    version = nlp_version()
    tm, ta = tables(engine)["entity_mentions"], tables(engine)["articles"]

    def work(row: Any) -> int:
        with engine.connect() as conn:
            mentions = conn.execute(sa.select(tm.c.start_char, tm.c.end_char, tm.c.surface, tm.c.label,
                                              tm.c.entity_id).where(tm.c.article_id == row.id)
                                    .order_by(tm.c.start_char)).all()
        spans = [EntitySpan(m.start_char, m.end_char, m.surface, m.label) for m in mentions]
        found = find_claims(row.full_text, row.language, spans)
        speaker_ids = [_speaker_entity(c, mentions) for c in found]
        sentences = [sentence_around(row.full_text, min(c.cue.start, c.content.start), c.content.end)
                     for c in found]
        with engine.begin() as conn:
            written = load.replace_claims(conn, run, row.id, found, sentences=sentences, speaker_ids=speaker_ids,
                                          extractor_version=claims.EXTRACTOR_VERSION)
            conn.execute(sa.update(ta).where(ta.c.id == row.id).values(nlp_version=version))
        return written

    # Only articles whose mentions come from the current model: claims link speakers to them.
    todo = _batches(engine, sa.and_(ta.c.nlp_version.is_distinct_from(version),
                                    ta.c.entities_version == ner.MODEL_VERSION))
    return _for_each_article(run, todo, work, engine=engine, stats=StageStats(stage="find_claims"),
                             progress=progress, label="claims")


def _speaker_entity(claim: Any, mentions: list[Any]) -> int | None:
    """Return the entity id of the PER/ORG mention overlapping the claim's speaker span."""
    sp = claim.speaker
    if sp is None:
        return None
    overlapping = [m for m in mentions if m.label in ("PER", "ORG")
                   and m.start_char < sp.end and sp.start < m.end_char]
    if not overlapping:
        return None
    return max(overlapping, key=lambda m: min(m.end_char, sp.end) - max(m.start_char, sp.start)).entity_id


_NIGHT_ARTICLES = "(a.run_id = :run OR a.updated_run_id = :run)"
QUALITY_CHECKS = {
    "articles_without_body": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND coalesce(a.body, '') = ''",
    "articles_feed_only": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND a.body_source = 'feed'",
    "articles_without_language": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND a.language IS NULL",
    # UTF-8 read as Latin-1/cp1252 (Ø§Ù„ for ال): decoding went wrong somewhere.
    "mojibake_suspects": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND a.full_text ~ '[ØÙÃÂ][\x80-\xbf]'",
    # Every mention and claim of an article the night touched, whichever run wrote them.
    "bad_mention_offsets": ("SELECT count(*) FROM entity_mentions m JOIN articles a ON a.id = m.article_id "
                            f"WHERE ({_NIGHT_ARTICLES} OR m.run_id = :run) "
                            "AND substr(a.full_text, m.start_char + 1, m.end_char - m.start_char) <> m.surface"),
    "bad_claim_offsets": ("SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id "
                          f"WHERE ({_NIGHT_ARTICLES} OR c.run_id = :run) "
                          "AND substr(a.full_text, c.start_char + 1, c.end_char - c.start_char) <> c.content"),
}
FEED_ALERTS = """
    SELECT f.url, f.consecutive_failures, f.last_error, f.last_success_at
      FROM feeds f
     WHERE f.active AND (f.consecutive_failures >= :failures
           OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.feed_id = f.id
                           AND a.created_at > now() - make_interval(days => :silent_days))
              AND f.created_at < now() - make_interval(days => :silent_days))
     ORDER BY f.url"""


def run_quality_checks(run: Run, *, engine: Engine, settings: Settings, failing_after: int = 3,
                       silent_days: int = 3) -> StageStats:
    """Check the night's rows (offsets, mojibake, empty bodies), alert on failing or silent feeds,
    prune old raw bytes, and close the run.

    Broken offsets mean corrupt rows: the check raises so the task fails loudly. Feeds failing
    ``failing_after`` nights in a row, or with no new story for ``silent_days``, are logged as
    alerts (and listed in the ``feed_health`` view).
    """
    stats = StageStats(stage="quality_checks")
    with engine.connect() as conn:
        for name, query in QUALITY_CHECKS.items():
            stats.extra[name] = int(conn.execute(sa.text(query), {"run": run.run_id}).scalar_one())
            stats.processed += 1
        alerts = conn.execute(sa.text(FEED_ALERTS), {"failures": failing_after, "silent_days": silent_days}).all()
    for feed in alerts:
        log.warning("ALERT feed %s: %s", feed.url,
                    f"failed {feed.consecutive_failures} nights in a row ({feed.last_error})"
                    if feed.consecutive_failures >= failing_after else f"no new story for {silent_days} days")
    stats.extra["feed_alerts"] = len(alerts)
    stats.extra["raw_pruned"] = load.prune_raw(engine, retention_days=settings.storage.raw_retention_days)
    _finish(engine, run, stats)
    broken = stats.extra["bad_mention_offsets"] + stats.extra["bad_claim_offsets"]
    load.finish_run(engine, run, status="failed" if broken else "success")
    if broken:
        raise DataQualityError(f"{broken} entity/claim rows of {run.run_id} have offsets that do not match their text")
    return stats


STAGES: dict[str, Callable[..., StageStats]] = {
    "fetch_feeds": run_fetch_feeds,
    "fetch_pages": run_fetch_pages,
    "dedup": run_dedup,
    "find_entities": run_entities,
    "cluster_stories": run_clusters,
    "find_claims": run_claims,
    "quality_checks": run_quality_checks,
}


def database_url_for_task(environ: Mapping[str, str]) -> str:
    """Return the news database URL inside Airflow: NEWSETL_DATABASE_URL, else connection news_db.

    The connection may come from AIRFLOW_CONN_NEWS_DB, the UI or a secrets backend. With
    neither, the task fails with a clear message: a worker must never quietly start a
    database of its own.
    """
    if environ.get("NEWSETL_DATABASE_URL"):
        return environ["NEWSETL_DATABASE_URL"]
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return Connection.get("news_db").get_uri()
    except AirflowNotFoundException as exc:
        raise ConfigError("no news database: define the Airflow connection news_db "
                          "(e.g. AIRFLOW_CONN_NEWS_DB) or set NEWSETL_DATABASE_URL") from exc


def night_of(context: Mapping[str, Any]) -> date:
    """Return the logical night of an Airflow task context (run_after when the run has no
    logical date, as API-triggered Airflow 3 runs may not)."""
    moment = context.get("logical_date") or context["dag_run"].run_after
    return moment.date()


def run_stage(stage: str, logical_date: date | str, *, environ: Mapping[str, str]) -> dict[str, Any]:
    """Run one stage of one night with settings from ``environ``; return its stats (for XCom).

    A configuration error or a failed data-quality check fails the task at once
    (AirflowFailException): retrying cannot help. Anything else is left to Airflow's retries.
    """
    try:
        return _run_stage(stage, logical_date, environ=environ)
    except (ConfigError, DataQualityError) as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc


def _run_stage(stage: str, logical_date: date | str, *, environ: Mapping[str, str]) -> dict[str, Any]:
    settings = load_settings(environ)
    settings = replace(settings, storage=replace(settings.storage, database_url=database_url_for_task(environ)))
    day = logical_date if isinstance(logical_date, date) else date.fromisoformat(str(logical_date)[:10])
    run = make_run(day)
    engine = open_engine(settings, upgrade=stage == "start")
    try:
        if stage == "start":
            feeds = environ.get("NEWSETL_FEEDS_FILE")
            stats = run_start(run, engine=engine, settings=settings, feeds_file=Path(feeds) if feeds else None,
                              feeds_file_is_complete=True)
        else:
            stats = STAGES[stage](run, engine=engine, settings=settings)
    finally:
        engine.dispose()
    return {"run_id": run.run_id, **stats.as_dict()}


def run_night(logical_date: date | None, *, settings: Settings, feeds_file: Path | None = None,
              progress: Progress = None, engine: Engine | None = None) -> dict[str, StageStats]:
    """Run every stage of one night in order (what the DAG does, in one process)."""
    run = make_run(logical_date or datetime.now(UTC).date())
    engine = engine or open_engine(settings)
    out = {"start": run_start(run, engine=engine, settings=settings, feeds_file=feeds_file)}
    out["fetch_feeds"] = run_fetch_feeds(run, engine=engine, settings=settings, progress=progress)
    out["fetch_pages"] = run_fetch_pages(run, engine=engine, settings=settings, progress=progress)
    out["dedup"] = run_dedup(run, engine=engine, settings=settings)
    out["find_entities"] = run_entities(run, engine=engine, settings=settings, progress=progress)
    out["cluster_stories"] = run_clusters(run, engine=engine, settings=settings)
    out["find_claims"] = run_claims(run, engine=engine, settings=settings, progress=progress)
    out["quality_checks"] = run_quality_checks(run, engine=engine, settings=settings)
    return out
