"""docker-compose.yml cannot run here; check it parses and agrees with the code."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
AIRFLOW_SERVICES = {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker"}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_airflow_3_service_on_celery():
    services = _compose()["services"]
    assert AIRFLOW_SERVICES | {"postgres", "redis"} <= set(services)
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert "./dags:/opt/airflow/dags" in services[name]["volumes"]
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/airflow/dags"
        # The DAG reads the news database from connection news_db.
        assert env["AIRFLOW_CONN_NEWS_DB"].startswith("postgresql://")


def test_image_airflow_version_matches_the_pins():
    pinned = re.search(r"^apache-airflow==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M).group(1)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"apache/airflow:{pinned}-python3.11" in dockerfile
    assert f'"apache-airflow=={pinned}"' in (ROOT / "pyproject.toml").read_text()
    assert pinned in _compose()["x-airflow-common"]["image"]


def test_connection_and_dag_folder_names_match_the_code():
    pipeline = (ROOT / "etl" / "pipeline" / "night.py").read_text()
    assert 'Connection.get("news_db")' in pipeline and "AIRFLOW_CONN_NEWS_DB" in pipeline
    assert (ROOT / "dags" / "news_ingest.py").is_file()
    init = (ROOT / "sql" / "docker-init.sh").read_text()
    assert "CREATE DATABASE news" in init
