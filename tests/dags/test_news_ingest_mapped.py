"""The mapped DAG against `newsetl run`: the same rows, a partition that fails once redone without duplicates.

Real Airflow (dag.test()), the real PostgreSQL of the test run, the sample site on 127.0.0.1
under one host name per outlet (NEWSETL_CONNECT_TO), so the fetches have several host shards.
The failure is PostgreSQL's own: a trigger refuses the second feed_fetches row once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from night_rows import outlet_hosts_env, run_newsetl_night, snapshot, truncate

from etl.demo import DAGS_DIR

NIGHT = date(2026, 11, 24)
PARTITIONS = "3"

FAIL_ONCE = """
CREATE SEQUENCE test_fail_once;
CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('test_fail_once') = 2 THEN RAISE EXCEPTION 'test: feed_fetches refused once'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fail_once BEFORE INSERT ON feed_fetches FOR EACH ROW EXECUTE FUNCTION test_fail_once();
"""
UNDO_FAIL_ONCE = ("DROP TRIGGER IF EXISTS test_fail_once ON feed_fetches; DROP FUNCTION IF EXISTS test_fail_once(); "
                  "DROP SEQUENCE IF EXISTS test_fail_once;")


def _stage_stats(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        stats = conn.execute(sa.text("SELECT stats FROM pipeline_runs")).scalar_one()
    return {name: (s["processed"], s["written"], s["errors"]) for name, s in stats.items()
            if name in ("fetch_pages", "dedup", "find_entities", "cluster_stories", "find_claims")}


@pytest.fixture
def hosts_env(sample_server, database_url, tmp_path, monkeypatch) -> dict[str, str]:
    env = outlet_hosts_env(sample_server, database_url, tmp_path, partitions=PARTITIONS)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _dag_test_with_quick_retries():
    """Run news_ingest for the night with the production retries, without their delay; return the DAG run."""
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags["news_ingest"]
    for task in dag.tasks:
        task.retry_delay = timedelta(0)
        task.retry_exponential_backoff = False
    return dag.test(logical_date=datetime.combine(NIGHT, datetime.min.time(), tzinfo=UTC).replace(hour=2))


def test_the_mapped_dag_writes_what_newsetl_run_writes_and_a_partition_failing_once_leaves_no_duplicates(
        airflow_ready, engine, hosts_env):
    run_newsetl_night(hosts_env, NIGHT.isoformat())
    single, single_stats = snapshot(engine), _stage_stats(engine)
    assert len(single["articles"]) >= 8 and single["claims"] and single["mentions"]
    truncate(engine)

    with engine.begin() as conn:
        conn.exec_driver_sql(FAIL_ONCE)
    try:
        dag_run = _dag_test_with_quick_retries()
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(UNDO_FAIL_ONCE)
    assert "success" in str(dag_run.state)
    tis = dag_run.get_task_instances()
    maps = {t: sorted(ti.map_index for ti in tis if ti.task_id == t) for t in ("fetch_feeds", "find_entities")}
    assert len(maps["fetch_feeds"]) >= 2 and maps["find_entities"] == [0, 1, 2]  # 3 partitions of the articles
    retried = [ti for ti in tis if ti.try_number > 1]
    assert [ti.task_id for ti in retried] == ["fetch_feeds"]  # the partition PostgreSQL refused once

    assert snapshot(engine) == single  # every row once, as one process writes it
    assert _stage_stats(engine) == single_stats
    with engine.connect() as conn:
        errors = conn.execute(sa.text("SELECT stage, error_class, reason FROM pipeline_errors "
                                      "WHERE stage LIKE 'fetch_feeds[%'")).all()
        parts = conn.execute(sa.text("SELECT stage, count(*), min(tries), max(tries), bool_and(done_at IS NOT NULL) "
                                     "FROM stage_partitions GROUP BY stage ORDER BY stage")).all()
    assert [(e.stage, e.error_class) for e in errors] == [(f"fetch_feeds[{retried[0].map_index}]", "InternalError")]
    assert "try 1 (Airflow retries it)" in errors[0].reason and "refused once" in errors[0].reason
    assert {p.stage: p[1] for p in parts} == {"fetch_feeds": len(maps["fetch_feeds"]), "fetch_pages": len(maps["fetch_feeds"]),
                                              "find_claims": 3, "find_entities": 3}
    assert all(p[2] == p[3] == 1 and p[4] for p in parts)  # each done once

    before = snapshot(engine)
    assert "success" in str(_dag_test_with_quick_retries().state)  # the night again: done partitions are not redone
    with engine.connect() as conn:
        tries = conn.execute(sa.text("SELECT stage, max(tries) FROM stage_partitions GROUP BY stage")).all()
    assert snapshot(engine) == before and all(t[1] == 1 for t in tries)
