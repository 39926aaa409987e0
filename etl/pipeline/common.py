"""Shared pieces of the stages: the run of a night, the engine, provenance, stats and errors."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from etl import __version__, load
from etl.db import describe_error, make_engine, resolve_database_url, upgrade_schema
from etl.errors import StageFailedError
from etl.models import PipelineError, Run, StageStats
from etl.settings import Settings

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


def _finish(engine: Engine, run: Run, stats: StageStats, settings: Settings | None = None) -> StageStats:
    """Store and log the stage's counts; with ``settings``, fail the stage when too many items failed.

    Single bad items are recorded and the night goes on; but when at least
    ``min_items_for_error_rate`` items were processed and more than ``max_error_rate`` of them
    failed, something bigger is wrong (a site or network outage): ``StageFailedError`` fails the
    task, the run is marked failed, and Airflow retries.
    """
    load.record_stage(engine, run, stats)
    log.info("%s: processed=%d written=%d errors=%d discards=%s", stats.stage, stats.processed,
             stats.written, stats.errors, dict(stats.discards))
    if settings is not None and stats.processed >= settings.pipeline.min_items_for_error_rate:
        rate = min(stats.errors, stats.processed) / stats.processed
        if rate > settings.pipeline.max_error_rate:
            raise StageFailedError(f"{stats.stage}: {stats.errors} of {stats.processed} items failed "
                                   f"({rate:.0%} > {settings.pipeline.max_error_rate:.0%} allowed)")
    return stats


def _record(engine: Engine, run: Run, stats: StageStats, error: PipelineError) -> None:
    stats.errors += 1
    log.warning("%s: %s (%s)", error.stage, error.reason, error.url or error.article_id)
    with engine.begin() as conn:
        load.record_error(conn, run, error)




@contextmanager
def failure_recorded(engine: Engine, run: Run) -> Iterator[None]:
    """Mark the run ``failed`` when the body raises (anything: a crash, a lost connection, a kill), then re-raise.

    The stored reason is the exception class and the first line of its message, never a
    statement's parameters or article text. When the database itself is what failed, the
    mark cannot be written: that is logged, and the original exception still propagates.
    """
    try:
        yield
    except BaseException as exc:
        try:
            load.finish_run(engine, run, status="failed", error=describe_error(exc))
        except Exception as inner:  # noqa: BLE001 - the original exception is what matters
            log.error("%s: could not mark the run failed: %s", run.run_id, describe_error(inner))
        raise
