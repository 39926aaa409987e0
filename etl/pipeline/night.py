"""A whole night: the stage table, the Airflow task entry point and the one-process runner."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import load
from etl.db import check_schema, describe_error
from etl.errors import ConfigError, DataQualityError, LeaseHeldError
from etl.feedsfile import read_feeds_file
from etl.models import PipelineError, Run, Source, StageStats
from etl.pipeline.common import Progress, failure_recorded, make_run, open_engine
from etl.pipeline.feeds import run_fetch_feeds, run_start
from etl.pipeline.nlp import run_claims, run_entities
from etl.pipeline.pages import run_fetch_pages
from etl.pipeline.partitions import plan_partitions, run_partition, total_partitions
from etl.pipeline.quality import run_quality_checks
from etl.pipeline.report import run_write_report
from etl.pipeline.stories import run_clusters, run_dedup
from etl.settings import Settings, load_settings

log = logging.getLogger(__name__)

T = TypeVar("T")


STAGES: dict[str, Callable[..., StageStats]] = {
    "fetch_feeds": run_fetch_feeds,
    "fetch_pages": run_fetch_pages,
    "dedup": run_dedup,
    "find_entities": run_entities,
    "cluster_stories": run_clusters,
    "find_claims": run_claims,
    "quality_checks": run_quality_checks,
    "write_report": run_write_report,
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


def run_stage(stage: str, logical_date: date | str, *, environ: Mapping[str, str],
              owner: str | None = None, part: str | None = None) -> dict[str, Any]:
    """Run one stage of one night with settings from ``environ``; return its stats (for XCom).

    With ``part``, run that one partition of a partitioned stage (a mapped task of the DAG;
    ``plan_stage`` lists them, ``total_stage`` records their sum as the stage's).
    ``owner`` (the DAG run, ``airflow:<run id>``) claims or renews the night's lease first; the
    last stage gives it back. ``start`` checks that the schema is at the code's head and never
    migrates (``newsetl db upgrade`` does). A configuration error (an outdated schema is one), a
    failed data-quality check or a night another run holds fails the task at once
    (AirflowFailException): retrying cannot help. Anything else is left to Airflow's retries.
    """
    feeds = environ.get("NEWSETL_FEEDS_FILE") if stage == "start" else None
    with failing_at_once():
        sources = read_feeds_file(Path(feeds)) if feeds else None  # a bad file changes nothing

    def body(run: Run, engine: Engine, settings: Settings) -> dict[str, Any]:
        if stage == "start":
            stats = run_start(run, engine=engine, settings=settings, sources=sources, feeds_file_is_complete=True)
        elif part is not None:
            stats = run_partition(stage, run, part, engine=engine, settings=settings,
                                  owner=owner or f"airflow:{run.run_id}")
        else:
            stats = STAGES[stage](run, engine=engine, settings=settings)
        return {"run_id": run.run_id, **stats.as_dict()}

    return _in_task(stage, logical_date, environ=environ, owner=owner, body=body)


def plan_stage(stage: str, logical_date: date | str, *, environ: Mapping[str, str],
               owner: str | None = None) -> list[str]:
    """Return the partitions of a partitioned stage for the night (the DAG expands its mapped task over them)."""
    return _in_task(stage, logical_date, environ=environ, owner=owner,
                    body=lambda run, engine, settings: plan_partitions(stage, run, engine=engine, settings=settings))


def total_stage(stage: str, logical_date: date | str, parts: list[str], *, environ: Mapping[str, str],
                owner: str | None = None) -> dict[str, Any]:
    """Record the sum of the partitions' counts as the stage's stats (and fail on its error rate); return it."""
    def body(run: Run, engine: Engine, settings: Settings) -> dict[str, Any]:
        stats = total_partitions(stage, run, list(parts), engine=engine, settings=settings)
        return {"run_id": run.run_id, **stats.as_dict()}

    return _in_task(stage, logical_date, environ=environ, owner=owner, body=body)


def _in_task(stage: str, logical_date: date | str, *, environ: Mapping[str, str], owner: str | None,
             body: Callable[[Run, Engine, Settings], T]) -> T:
    """Run ``body`` for the night inside an Airflow task: settings, engine, lease, failure marked on the run.

    The schema check (``start``) and the lease come before the run can be marked failed: a
    second run refused the night must not mark the first one's run failed.
    """
    with failing_at_once():
        settings = task_settings(environ)
        run = make_run(night_date(logical_date))
        engine = open_engine(settings, upgrade=False)  # migrations are `newsetl db upgrade`'s, not the night's
        owner = owner or f"airflow:{run.run_id}"
        try:
            if stage == "start":
                check_schema(engine)
            load.claim_lease(engine, run.logical_date, owner=owner, ttl_s=settings.storage.lease_ttl_s)
            try:
                with failure_recorded(engine, run):
                    return body(run, engine, settings)
            finally:
                if stage == LAST_STAGE:  # the night is over, however it ended
                    load.release_lease(engine, run.logical_date, owner=owner)
        finally:
            engine.dispose()


@contextmanager
def failing_at_once() -> Iterator[None]:
    """Turn the errors retrying cannot fix into AirflowFailException (the task fails, no retry)."""
    try:
        yield
    except (ConfigError, DataQualityError, LeaseHeldError) as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc


def record_task_failure(task: str, logical_date: date | str, *, environ: Mapping[str, str], error: BaseException | None,
                        try_number: int, will_retry: bool) -> None:
    """Record a failed Airflow task (its callback) in ``pipeline_errors``; never raises.

    A failure the stage itself could not record (a task killed by its timeout, a lost worker)
    is still written down where the night's other errors are. When the database is what failed,
    only the log says so.
    """
    then = "Airflow retries it" if will_retry else "no retry left"
    reason = f"task {task} failed on try {try_number} ({then}): {describe_error(error) if error else 'no exception'}"
    try:
        engine = open_engine(task_settings(environ), upgrade=False)
        try:
            with engine.begin() as conn:
                load.record_error(conn, make_run(night_date(logical_date)), PipelineError(
                    stage=task, reason=reason, error_class=type(error).__name__ if error else "task-failed"))
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - a callback must not hide the task's own failure
        log.error("could not record the failure of %s: %s", task, describe_error(exc))


def task_settings(environ: Mapping[str, str]) -> Settings:
    """Return the settings of an Airflow task: the environment's, with the task's database URL."""
    settings = load_settings(environ)
    return replace(settings, storage=replace(settings.storage, database_url=database_url_for_task(environ)))


def night_date(logical_date: date | str) -> date:
    """Return a night given as a date or an ISO string (XCom and DAG params are strings)."""
    if isinstance(logical_date, date):
        return logical_date
    try:
        return date.fromisoformat(str(logical_date)[:10])
    except ValueError:
        raise ConfigError(f"{logical_date!r} is not a night (YYYY-MM-DD)") from None


def local_owner() -> str:
    """Return a lease owner naming this process (``cli:<host>:<pid>:<nonce>``)."""
    return f"cli:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run_night(logical_date: date | None, *, settings: Settings, feeds_file: Path | None = None,
              progress: Progress = None, engine: Engine | None = None, owner: str | None = None
              ) -> dict[str, StageStats]:
    """Run every stage of one night in order (what the DAG does, in one process).

    The feeds file is read first (a bad one changes nothing), then the night's lease is claimed
    (``LeaseHeldError`` at once when another run holds it: nothing is fetched twice); after
    that, any exception marks the run ``failed`` with its reason before it propagates.
    """
    run = make_run(logical_date or datetime.now(UTC).date())
    sources = read_feeds_file(feeds_file) if feeds_file is not None else None
    engine = engine or open_engine(settings)
    owner = owner or local_owner()

    def renew() -> None:
        load.claim_lease(engine, run.logical_date, owner=owner, ttl_s=settings.storage.lease_ttl_s)

    renew()
    try:
        with failure_recorded(engine, run):
            return _run_stages(run, engine=engine, settings=settings, sources=sources, progress=progress,
                               renew=renew)
    finally:
        try:
            load.release_lease(engine, run.logical_date, owner=owner)
        except sa.exc.SQLAlchemyError as exc:  # the database being down is the error to report
            log.error("%s: could not release the lease: %s", run.run_id, type(exc).__name__)


_WITH_PROGRESS = frozenset({"fetch_feeds", "fetch_pages", "find_entities", "find_claims"})
LAST_STAGE = "write_report"


def _run_stages(run: Run, *, engine: Engine, settings: Settings, sources: list[Source] | None,
                progress: Progress, renew: Callable[[], None]) -> dict[str, StageStats]:
    """Run the stages in order, renewing the lease before each (a lost lease stops the night)."""
    out = {"start": run_start(run, engine=engine, settings=settings, sources=sources)}
    for name, stage in STAGES.items():
        renew()
        extra = {"progress": progress} if name in _WITH_PROGRESS else {}
        out[name] = stage(run, engine=engine, settings=settings, **extra)
    return out
