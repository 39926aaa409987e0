"""The news_reprocess DAG: mapped over stored nights, run for real with dag.test()."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from etl import ner
from etl.demo import DAGS_DIR
from etl.pipeline import run_night

NIGHT = date(2026, 11, 24)


def _dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR))
    assert bag.import_errors == {}
    return bag.dags["news_reprocess"]


def test_news_reprocess_is_manual_mapped_and_bounded():
    dag = _dag()
    assert dag.schedule is None and not dag.catchup and dag.max_active_runs == 1
    assert dag.dagrun_timeout is not None
    assert {t.task_id for t in dag.tasks} == {"plan", "reprocess"}
    assert all(t.execution_timeout is not None and t.retries >= 2 for t in dag.tasks)
    assert set(dag.params) == {"from", "to", "stages"}


def test_dag_test_replaces_an_upgraded_models_rows(airflow_ready, database_url, engine, settings,
                                                   sample_server, tmp_path, monkeypatch):
    run_night(NIGHT, settings=settings, feeds_file=sample_server.feeds_file(tmp_path / "feeds.yaml"), engine=engine)
    query = "SELECT article_id, start_char, end_char, model_version FROM entity_mentions ORDER BY 1, 2, 3"
    with engine.connect() as conn:
        before = conn.execute(sa.text(query)).all()
    monkeypatch.setenv("NEWSETL_DATABASE_URL", database_url)
    monkeypatch.setattr(ner, "MODEL_VERSION", ner.MODEL_VERSION + "+upgraded")
    dag = _dag()
    for task in dag.tasks:
        task.retries = 0
    run = dag.test(logical_date=datetime(2026, 12, 1, 3, tzinfo=UTC),
                   run_conf={"from": "2026-11-20", "to": "2026-11-30", "stages": ["find_entities"]})
    assert str(run.state) == "success"
    with engine.connect() as conn:
        after = conn.execute(sa.text(query)).all()
    assert [r[:3] for r in after] == [r[:3] for r in before] and before
    assert {r[3] for r in after} == {ner.MODEL_VERSION}


def test_parsing_news_reprocess_imports_no_pipeline():
    import os
    import subprocess
    import sys

    code = ("import sys, runpy; runpy.run_path(sys.argv[1]); "
            "bad = [m for m in sys.modules if m == 'etl' or m.startswith(('etl.', 'psycopg2'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    env = {**os.environ, "NEWSETL_DATABASE_URL": "postgresql://nobody@192.0.2.1:1/none"}
    result = subprocess.run([sys.executable, "-c", code, str(DAGS_DIR / "news_reprocess.py")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
