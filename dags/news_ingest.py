"""
### news_ingest — the nightly newsetl run

Fetches every active feed, fetches and extracts new article pages, marks duplicate copies,
finds entities, groups stories about the same event, finds attributed claims, checks the
night's rows, and writes the morning report (table `reports`; `newsetl report --date D`).

Each task calls one stage of `etl.pipeline` for the run's logical night; the data stays in
PostgreSQL (connection `news_db`, or `NEWSETL_DATABASE_URL`) and only counts travel through
XCom. Rerunning a night (clear + rerun, or a backfill) changes nothing that is already right.
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

default_args = {
    "owner": "newsetl",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
}


# Stage name -> tables it writes (Airflow assets, so downstream DAGs can be data-aware).
STAGES = {
    "start": (),
    "fetch_feeds": ("feeds", "feed_fetches"),
    "fetch_pages": ("articles",),
    "dedup": ("articles",),
    "find_entities": ("entities", "entity_mentions"),
    "cluster_stories": ("articles",),
    "find_claims": ("claims", "claim_quantities"),
    "quality_checks": ("pipeline_runs",),
    "write_report": ("reports",),
}


def stage_task(stage: str, writes: tuple[str, ...]):
    """Return the task running one stage of etl.pipeline for the run's logical night."""

    @task(task_id=stage, outlets=[Asset(f"{NEWS_DB_ASSET_BASE}/{table}") for table in writes])
    def run(previous: dict | None = None, **context) -> dict:
        from etl.pipeline import night_of, run_stage

        return run_stage(stage, night_of(context), environ=os.environ, owner=f"airflow:{context['run_id']}")

    return run


@dag(
    dag_id="news_ingest",
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    doc_md=__doc__,
    tags=["newsetl", "ingest", "nightly"],
)
def news_ingest():
    previous = None
    for stage, writes in STAGES.items():
        previous = stage_task(stage, writes)(previous)


news_ingest()
