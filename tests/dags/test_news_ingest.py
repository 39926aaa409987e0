"""DAG integrity and one real Airflow run (dag.test()) against PostgreSQL and loopback feeds."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from etl.demo import DAGS_DIR, run_dag_once


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == {"news_ingest", "news_reprocess"}


def test_news_ingest_schedule_tags_retries_and_tasks(dagbag):
    dag = dagbag.dags["news_ingest"]
    assert dag.tags and "newsetl" in dag.tags
    assert not dag.catchup and dag.max_active_runs == 1
    assert dag.schedule == "0 2 * * *"
    assert "timezone=Timezone('UTC')" in repr(dag.timetable)
    assert all(t.retries >= 2 for t in dag.tasks)
    mapped = ["fetch_feeds", "fetch_pages", "find_entities", "find_claims"]
    order = [t.task_id for t in dag.topological_sort()]
    assert [t for t in order if not t.startswith(("plan_", "total_")) and t not in mapped] == [
        "start", "dedup", "cluster_stories", "quality_checks", "write_report"]
    for stage in mapped:  # plan -> mapped task per partition -> total, in the night's order
        assert order.index(f"plan_{stage}") + 1 == order.index(stage) == order.index(f"total_{stage}") - 1
    assert order.index("total_fetch_pages") < order.index("dedup") < order.index("plan_find_entities")
    assert order.index("total_find_entities") < order.index("cluster_stories") < order.index("plan_find_claims")
    assert dag.doc_md and "news_ingest" in dag.doc_md


def test_partitioned_stages_are_mapped_with_timeouts_pool_callbacks_and_assets(dagbag):
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    dag = dagbag.dags["news_ingest"]
    tasks = {t.task_id: t for t in dag.tasks}
    mapped = {name for name, t in tasks.items() if isinstance(t, MappedOperator)}
    assert mapped == {"fetch_feeds", "fetch_pages", "find_entities", "find_claims"}
    for name in mapped:  # each expanded over its planner's list
        assert tasks[name].upstream_task_ids == {f"plan_{name}"}
        assert set(tasks[name].op_kwargs_expand_input.value) == {"part"}
    assert {tasks[n].pool for n in ("fetch_feeds", "fetch_pages")} == {"newsetl_fetch"}
    assert dag.dagrun_timeout is not None and dag.dagrun_timeout.total_seconds() <= 6 * 3600
    assert all(t.execution_timeout is not None and t.execution_timeout <= dag.dagrun_timeout for t in dag.tasks)
    assert all(t.on_failure_callback and t.on_retry_callback for t in dag.tasks)
    assets = {a.uri.rsplit("/", 1)[1] for t in dag.tasks for a in t.outlets}
    assert {"articles", "entities", "entity_mentions", "claims", "feed_fetches", "reports"} <= assets
    assert all(not tasks[n].outlets for n in mapped)  # a stage's assets are updated once, by its total


def test_parsing_the_dag_touches_no_database_and_imports_no_pipeline(tmp_path):
    code = (
        "import sys, runpy; runpy.run_path(sys.argv[1]); "
        "bad = [m for m in sys.modules if m == 'etl' or m.startswith(('etl.', 'psycopg2'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = {**os.environ, "NEWSETL_DATABASE_URL": "postgresql://nobody@192.0.2.1:1/none"}
    result = subprocess.run([sys.executable, "-c", code, str(DAGS_DIR / "news_ingest.py")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dag_test_runs_the_night_end_to_end_and_twice_changes_nothing(
        airflow_ready, database_url, engine, sample_server, tmp_path, monkeypatch):
    feeds = sample_server.feeds_file(tmp_path / "feeds.yaml")
    # The deployment path: the news database comes from the Airflow connection news_db.
    monkeypatch.delenv("NEWSETL_DATABASE_URL", raising=False)
    for key, value in {"AIRFLOW_CONN_NEWS_DB": database_url, "NEWSETL_FEEDS_FILE": str(feeds),
                       "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1", "NEWSETL_PER_HOST_DELAY_S": "0",
                       "NEWSETL_STATE_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    night = date(2026, 11, 24)
    assert "success" in run_dag_once(night)
    tables = ("articles", "entities", "entity_mentions", "claims", "claim_quantities", "feed_fetches")

    def counts():
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}

    def reports():
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT night, run_id, html, created_at FROM reports")).all()

    first = counts()
    assert first["articles"] >= 8 and first["claims"] >= 5 and first["entity_mentions"] > 20
    with engine.connect() as conn:
        status = conn.execute(sa.text("SELECT status FROM pipeline_runs WHERE run_id = 'news_ingest/2026-11-24'")).scalar_one()
    assert status == "success"
    first_report = reports()
    assert len(first_report) == 1 and first_report[0][:2] == (night, "news_ingest/2026-11-24")
    assert "<svg" in first_report[0].html  # the last task wrote the night's page
    assert "success" in run_dag_once(night)
    assert counts() == first
    second_report = reports()
    assert len(second_report) == 1 and second_report[0].created_at > first_report[0].created_at  # replaced


def test_a_task_without_a_news_database_fails_at_once_with_a_clear_reason(airflow_ready, monkeypatch):
    from airflow.sdk.exceptions import AirflowFailException

    from etl.pipeline import run_stage

    monkeypatch.delenv("AIRFLOW_CONN_NEWS_DB", raising=False)
    with pytest.raises(AirflowFailException, match="connection news_db"):
        run_stage("fetch_feeds", "2026-11-24", environ={})


@pytest.fixture
def unmigrated_database_url(database_url):
    """An empty database on the test server: what a deploy that skipped `newsetl db upgrade` has."""
    from etl.db import make_engine, scratch_database

    admin = make_engine(database_url).url.set(database="postgres").render_as_string(hide_password=False)
    with scratch_database(admin, prefix="newsetl_unmigrated") as url:
        yield url


def test_check_schema_names_the_revision_and_the_fix(unmigrated_database_url):
    from etl.db import check_schema, make_engine, upgrade_schema
    from etl.errors import SchemaOutdatedError

    engine = make_engine(unmigrated_database_url)
    try:
        with pytest.raises(SchemaOutdatedError, match=r"not migrated.*newsetl db upgrade"):
            check_schema(engine)
        head = upgrade_schema(engine)
        assert check_schema(engine) == head
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE newsetl_alembic_version SET version_num = '0008_quantity_ranges'"))
        with pytest.raises(SchemaOutdatedError, match=f"at revision 0008_quantity_ranges, but this code needs {head}"):
            check_schema(engine)
    finally:
        engine.dispose()


def test_start_on_an_unmigrated_database_fails_at_once_and_migrates_nothing(
        airflow_ready, unmigrated_database_url, sample_server, tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk.exceptions import AirflowFailException

    from etl.db import make_engine
    from etl.pipeline import run_stage

    monkeypatch.delenv("NEWSETL_DATABASE_URL", raising=False)
    for key, value in {"AIRFLOW_CONN_NEWS_DB": unmigrated_database_url,
                       "NEWSETL_FEEDS_FILE": str(sample_server.feeds_file(tmp_path / "feeds.yaml")),
                       "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1", "NEWSETL_STATE_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(AirflowFailException, match=r"not migrated.*run `newsetl db upgrade`"):
        run_stage("start", "2026-11-24", environ=os.environ)
    dag = DagBag(dag_folder=str(DAGS_DIR)).dags["news_ingest"]
    for task in dag.tasks:  # production retries, without the wait: a retry would show as a second try
        task.retry_delay = timedelta(0)
    dag_run = dag.test(logical_date=datetime(2026, 11, 24, 2, tzinfo=UTC))
    assert "failed" in str(dag_run.state)
    start = next(ti for ti in dag_run.get_task_instances() if ti.task_id == "start")
    assert "failed" in str(start.state) and start.try_number == 1
    engine = make_engine(unmigrated_database_url)
    with engine.connect() as conn:  # the task created nothing: no Alembic table, no newsetl table
        assert conn.execute(sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one() == 0
    engine.dispose()
