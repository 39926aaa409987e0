"""
### news_reprocess — redo extraction, entities and claims over stored nights

Trigger it by hand after upgrading the extractor, the NER model or the claim rules, with the
params `from` and `to` (nights, YYYY-MM-DD) and `stages` (any of `extract`, `find_entities`,
`find_claims`; all three by default). Nothing is fetched: text is re-extracted from the kept
raw pages, and entities and claims are found again where their stored version differs from the
running code's. One mapped task per stored night, each under that night's lease (a nightly or
backfill run of the same night fails it at once; clear it later). Every NLP partition replaces
its articles' rows and stamps the new version in one transaction.

    airflow dags trigger news_reprocess -c '{"from": "2026-11-01", "to": "2026-11-30"}'
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Param, dag, task

default_args = {
    "owner": "newsetl",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=2),
}


@task
def plan(**context) -> list[str]:
    """Return the stored nights of the requested range."""
    from etl.pipeline import plan_reprocess_task

    params = context["params"]
    return plan_reprocess_task(params["from"], params["to"], params["stages"], environ=os.environ)


@task(max_active_tis_per_dagrun=2)
def reprocess(night: str, **context) -> dict:
    """Redo the requested stages over one stored night."""
    from etl.pipeline import reprocess_night_task

    return reprocess_night_task(night, context["params"]["stages"], environ=os.environ,
                                owner=f"airflow:{context['run_id']}:{night}")


@dag(
    dag_id="news_reprocess",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=24),
    default_args=default_args,
    doc_md=__doc__,
    tags=["newsetl", "reprocess"],
    params={
        "from": Param("2026-01-01", type="string", format="date", description="First night (YYYY-MM-DD)."),
        "to": Param("2026-12-31", type="string", format="date", description="Last night (YYYY-MM-DD)."),
        "stages": Param(["extract", "find_entities", "find_claims"], type="array",
                        description="Stages to redo: extract, find_entities, find_claims."),
    },
)
def news_reprocess():
    reprocess.expand(night=plan())


news_reprocess()
