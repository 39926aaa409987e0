"""Stages ``fetch_pages`` and re-extraction: article pages fetched, kept raw, and turned into text."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import load, load_analysis
from etl.db import describe_error
from etl.errors import PermanentError
from etl.models import ArticleUpdate, PageState, PipelineError, Run, StageStats
from etl.pipeline.common import Progress, _finish, _record
from etl.pipeline.pool import map_partitions
from etl.settings import Settings

log = logging.getLogger(__name__)


PAGES_PER_CHUNK = 500


def run_fetch_pages(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Fetch and extract pages of new articles (and retry failed ones a bounded number of times).

    Extraction is CPU-bound, so the pages are split into ``settings.pipeline.workers`` host
    shards (the DAG's own partitions, ``partitions.host_partitions``), each run over the pool by
    ``partitions.partition_work``, the DAG task's code. A host is in exactly one shard, so its
    politeness (one request at a time, the delay, robots.txt) holds inside one process. One
    worker runs one shard of every host: the pages exactly as one pass over them all.
    """
    from etl.pipeline import partitions

    workers = settings.pipeline.workers
    urls = partitions.stage_urls("fetch_pages", run, engine=engine, settings=settings)
    parts = partitions.host_partitions(urls, workers)
    tick = progress("pages", len(urls)) if progress else None
    pooled = workers > 1 and len(parts) > 1
    # a progress callback cannot cross into a pool process: there the bar moves a shard at a time
    work = partial(partitions.partition_work, "fetch_pages", run, settings=settings,
                   progress=(lambda _desc, _total: tick) if tick and not pooled else None)
    stats = StageStats(stage="fetch_pages")
    for _, part_stats in map_partitions(work, parts, engine=engine, workers=workers):
        stats.add(part_stats)
        for _ in range(part_stats.processed if pooled and tick else 0):
            tick(None)
    stats.extra["partitions"] = len(parts)
    return _finish(engine, run, stats, settings)


def fetch_pages_of(run: Run, pending: list[tuple[int, str]], *, engine: Engine, settings: Settings,
                   progress: Progress = None) -> StageStats:
    """Fetch and extract the pages of ``pending`` (article id, URL); return the counts without recording
    the stage's totals (the DAG's mapped fetch_pages runs one host shard of them per task)."""
    from etl.fetch import FetchRequest, fetch_all

    stats = StageStats(stage="fetch_pages")
    tick = progress("pages", len(pending)) if progress else None
    # In chunks: page bodies of one chunk only are held in memory, and what was fetched is stored
    # before the next chunk starts (a crash late in a long night keeps the earlier pages).
    for start in range(0, len(pending), PAGES_PER_CHUNK):
        if start:
            time.sleep(settings.fetch.per_host_delay_s)  # keep the per-host gap across chunks
        chunk = pending[start:start + PAGES_PER_CHUNK]
        requests = [FetchRequest(url=url, kind="page", key=article_id) for article_id, url in chunk]
        results = fetch_all(requests, settings=settings.fetch, progress=tick)
        stats.processed += len(chunk)
        _load_chunk(run, chunk, results, engine=engine, settings=settings, stats=stats)
    return stats


@dataclass(frozen=True, slots=True)
class _PageWrite:
    """What one fetched page writes: its article's columns, its raw bytes when it was fetched, its error."""

    article_id: int
    url: str
    attempts: int
    values: dict[str, Any]
    raw: tuple[str, str | None, bytes] | None  # final URL, content type, body
    error: PipelineError | None


def _load_chunk(run: Run, chunk: list[tuple[int, str]], results: list[Any], *, engine: Engine,
                settings: Settings, stats: StageStats) -> None:
    """Store one chunk's pages in one transaction; a page PostgreSQL refuses is marked failed and recorded.

    One commit per chunk, not per page. Extraction (the CPU) runs before the transaction opens;
    the writes go under a savepoint and are redone page by page when PostgreSQL refuses one
    (``load_analysis.write_isolated``), so a poison page costs its own row, never its chunk's.
    """
    with engine.connect() as conn:
        current = load.page_states(conn, [article_id for article_id, _ in chunk])
    pages = [_page_write(current[article_id], url, result, settings=settings, stats=stats)
             for (article_id, url), result in zip(chunk, results, strict=True)]
    with engine.begin() as conn:
        _, refused = load_analysis.write_isolated(conn, pages, lambda items: _write_pages(conn, run, items))
        gone = {page.article_id for page, _ in refused}
        errors = [page.error for page in pages if page.error is not None and page.article_id not in gone]
        errors += [_mark_page_rejected(conn, run, page, describe_error(exc), settings=settings, stats=stats)
                   for page, exc in refused]
    for error in errors:
        _record(engine, run, stats, error)


def _page_write(current: PageState, url: str, result: Any, *, settings: Settings, stats: StageStats) -> _PageWrite:
    """Decide what one page's outcome writes (extracting a fetched page); nothing is written here."""
    attempts = current.page_attempts + 1
    values: dict[str, Any] = {"page_attempts": attempts}
    if result.outcome != "ok":
        # A transient failure (timeout, 5xx) is tried again on a later night, up to the bound;
        # a permanent one (404, 410, robots.txt, over the size cap) gives up at once.
        gave_up = not result.transient or attempts >= settings.fetch.max_page_attempts
        values.update(page_status="gave-up" if gave_up else "failed", page_error=result.error)
        stats.discards[result.error_kind or "fetch-error"] += 1
        error = PipelineError(stage="fetch_pages", reason=result.error or "fetch failed", url=url,
                              article_id=current.id, error_class=result.error_kind or "fetch")
        return _PageWrite(current.id, url, attempts, values, None, error)
    extracted, error = _extract_values(current, result.body, url=result.final_url,
                                       content_type=result.content_type, stats=stats)
    return _PageWrite(current.id, url, attempts, {**values, **extracted},
                      (result.final_url, result.content_type, result.body), error)


def _write_pages(conn: sa.Connection, run: Run, pages: Sequence[_PageWrite]) -> None:
    """Write pages' raw bytes and article columns (the caller's transaction)."""
    for page in pages:
        values = dict(page.values)
        if page.raw is not None:
            final_url, content_type, body = page.raw
            values["raw_sha256"] = load.store_raw(conn, url=final_url, content_type=content_type, body=body)
        load.update_article(conn, run, page.article_id, ArticleUpdate.of(values))


def _mark_page_rejected(conn: sa.Connection, run: Run, page: _PageWrite, why: str, *, settings: Settings,
                        stats: StageStats) -> PipelineError:
    """Count a refused write as a failed attempt (bounded: gave-up after the last) and return its error.

    Nothing of the page is kept, so the article is never left pending: a later night retries it
    until ``max_page_attempts``, then it stays feed-only.
    """
    stats.discards["rejected"] += 1
    gave_up = page.attempts >= settings.fetch.max_page_attempts
    load.update_article(conn, run, page.article_id, ArticleUpdate(
        page_attempts=page.attempts, page_status="gave-up" if gave_up else "failed",
        page_error=f"page refused by the database: {why}"))
    return PipelineError(stage="fetch_pages", reason=f"page refused by the database: {why}", url=page.url,
                         article_id=page.article_id, error_class="rejected")


def _extract_values(current: PageState, raw: bytes, *, url: str, content_type: str | None,
                    stats: StageStats) -> tuple[dict[str, Any], PipelineError | None]:
    """Extract one page's bytes; return the article columns to set and the error to record."""
    from etl.extract import extract_article

    try:
        page = extract_article(raw, url=url, content_type=content_type)
    except PermanentError as exc:
        stats.discards["undecodable"] += 1
        return ({"page_status": "no-article", "page_error": exc.reason},
                PipelineError(stage=stats.stage, reason=exc.reason, url=url, article_id=current.id,
                              error_class=type(exc).__name__))
    stats.written += bool(page.text)
    if not page.text:
        stats.discards["no-article"] += 1
    return _page_values(current, page), None


def run_reextract(run: Run, *, engine: Engine, settings: Settings, night_only: bool = False) -> StageStats:
    """Re-extract stored pages whose extractor version is outdated, from the kept raw bytes.

    No refetching: a better extractor can be applied to past nights (a backfill) offline.
    Articles whose raw bytes were pruned are counted as "raw-pruned" and left as they are.
    ``night_only``: only the articles ``run``'s night loaded (reprocessing night by night).
    """
    from etl.extract import EXTRACTOR_VERSION

    stats = StageStats(stage="reextract")
    for page in load.pages_to_reextract(engine, EXTRACTOR_VERSION, run=run if night_only else None):
        stats.processed += 1
        body = load.load_raw(engine, page.raw_sha256)
        if body is None:
            stats.discards["raw-pruned"] += 1
            continue
        with engine.begin() as conn:
            [current] = load.page_states(conn, [page.article_id]).values()
            values, error = _extract_values(current, body, url=page.url, content_type=page.content_type,
                                            stats=stats)
            load.update_article(conn, run, page.article_id, ArticleUpdate.of(values))
        if error is not None:
            _record(engine, run, stats, error)
    return _finish(engine, run, stats, settings)


def _page_values(current: PageState, page: Any) -> dict[str, Any]:
    """Return the article columns an extracted page sets (feed values kept where the page has none)."""
    from etl.clean import clean_text

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
    authors = [name for name in (clean_text(a) for a in page.authors) if name]
    if authors:
        values["authors"] = authors
    if not current.title and page.title:
        values["title"] = page.title
    if current.published_at is None and page.published is not None:
        values.update(published_at=page.published, date_status="ok")
    return values


