"""
### news_ingest — the nightly newsetl run

Fetches every active feed, fetches and extracts new article pages, marks duplicate copies,
finds entities, groups stories about the same event, finds attributed claims, checks the
night's rows, and writes the morning report (table `reports`; `newsetl report --date D`).

Each task calls one stage of `etl.pipeline` for the run's logical night; the data stays in
PostgreSQL (connection `news_db`, or `NEWSETL_DATABASE_URL`) and only partition keys and
counts travel through XCom. fetch_feeds, fetch_pages, find_entities and find_claims are mapped
over partitions (`plan_<stage>` lists them: host shards for the fetches, article-id ranges for
the NLP stages; `NEWSETL_PARTITIONS`, default 8); each mapped task claims its partition in
PostgreSQL (`stage_partitions`, FOR UPDATE SKIP LOCKED), so a retry or a cleared task never
does a partition twice and a killed worker's partition is run again; `total_<stage>` records
the stage's counts. The fetches run in the pool `newsetl_fetch` (create it: `airflow pools
set newsetl_fetch 4 "newsetl fetches"`), which bounds how many hosts are fetched at once. Rerunning a night (clear + rerun, or a backfill) changes nothing that is already right.
Failures of single feeds or pages are recorded in `pipeline_errors` and do not fail tasks;
a task fails only when the database or the code is broken, and then retries. The first task
claims the night's lease: a second run of the same night (a backfill, the CLI) fails at once.
It also checks that the news database's schema is at the code's head, and fails (no retry)
when it is not: migrations are `newsetl db upgrade`'s job (the compose init runs it), so the
nightly role needs no DDL rights.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, task

NEWS_DB_ASSET_BASE = os.environ.get("NEWSETL_ASSET_URI_BASE", "postgres://news-db:5432/news/public")
FETCH_POOL = "newsetl_fetch"
"""Airflow pool of the fetch tasks: its slots bound how many host shards are fetched at once."""

# Stage name -> tables it writes (Airflow assets, so downstream DAGs can be data-aware).
STAGES = {
    "start": (),
    "fetch_feeds": ("feeds", "feed_fetches", "articles"),
    "fetch_pages": ("articles", "raw_documents"),
    "dedup": ("articles",),
    "find_entities": ("entities", "entity_aliases", "entity_mentions"),
    "cluster_stories": ("articles",),
    "find_claims": ("claims", "claim_quantities"),
    "quality_checks": ("pipeline_runs",),
    "write_report": ("reports",),
}
MAPPED = ("fetch_feeds", "fetch_pages", "find_entities", "find_claims")
"""Stages run as one mapped task per partition (etl.pipeline.MAPPED_STAGES)."""


def record_failure(context, *, will_retry: bool = False) -> None:
    """Record a failed task in pipeline_errors, through etl.pipeline (the task's on_failure_callback)."""
    from etl.pipeline import night_of, record_task_failure

    ti = context["ti"]
    name = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
    record_task_failure(name, night_of(context), environ=os.environ, error=context.get("exception"),
                        try_number=ti.try_number, will_retry=will_retry)


def record_retry(context) -> None:
    """Record a failed try that Airflow retries (the task's on_retry_callback)."""
    record_failure(context, will_retry=True)


default_args = {
    "owner": "newsetl",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
    "on_failure_callback": record_failure,
    "on_retry_callback": record_retry,
}
SHORT = timedelta(minutes=15)
"""Timeout of the tasks that only plan or add up (and of the small whole-night stages' planners)."""


def _outlets(stage: str) -> list[Asset]:
    return [Asset(f"{NEWS_DB_ASSET_BASE}/{table}") for table in STAGES[stage]]


@task
def whole_stage(stage: str, previous: dict | None = None, **context) -> dict:
    """Run one whole stage for the run's logical night."""
    from etl.pipeline import night_of, run_stage

    return run_stage(stage, night_of(context), environ=os.environ, owner=f"airflow:{context['run_id']}")


@task(execution_timeout=SHORT)
def plan(stage: str, previous: dict | None = None, **context) -> list[str]:
    """Return the partitions of a mapped stage (its mapped task is expanded over them)."""
    from etl.pipeline import night_of, plan_stage

    return plan_stage(stage, night_of(context), environ=os.environ, owner=f"airflow:{context['run_id']}")


@task
def one_partition(stage: str, part: str, **context) -> dict:
    """Claim and run one partition of a mapped stage."""
    from etl.pipeline import night_of, run_stage

    return run_stage(stage, night_of(context), environ=os.environ, owner=f"airflow:{context['run_id']}", part=part)


@task(execution_timeout=SHORT)
def total(stage: str, parts: list[str], ran: list[dict], **context) -> dict:
    """Record the sum of the partitions' counts as the stage's."""
    from etl.pipeline import night_of, total_stage

    return total_stage(stage, night_of(context), list(parts), environ=os.environ,
                       owner=f"airflow:{context['run_id']}")


def mapped_stage(stage: str, previous):
    """Wire plan_<stage> -> <stage> (one mapped task per partition) -> total_<stage>; return the total."""
    parts = plan.override(task_id=f"plan_{stage}")(stage, previous)
    pool = {"pool": FETCH_POOL} if stage.startswith("fetch_") else {}
    ran = one_partition.override(task_id=stage, **pool).partial(stage=stage).expand(part=parts)
    return total.override(task_id=f"total_{stage}", outlets=_outlets(stage))(stage, parts, ran)


@dag(
    dag_id="news_ingest",
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    default_args=default_args,
    doc_md=__doc__,
    tags=["newsetl", "ingest", "nightly"],
)
def news_ingest():
    previous = None
    for stage in STAGES:
        if stage in MAPPED:
            previous = mapped_stage(stage, previous)
        else:
            timeout = {"execution_timeout": SHORT} if stage == "start" else {}
            previous = whole_stage.override(task_id=stage, outlets=_outlets(stage), **timeout)(stage, previous)


news_ingest()
