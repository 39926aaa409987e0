"""news_ingest on a real distributed Airflow: scheduler, dag-processor, api-server and two Celery workers.

Redis (the broker) and PostgreSQL (Airflow's metadata, Celery's results and the news) on
127.0.0.1; the sample outlets on one host name each. Each worker records its own name as the
task instances' hostname (``celery_worker_name.worker_name``), so the test sees that both ran
mapped tasks; the night's rows must equal those of one `newsetl run`. `.ci/run` starts Redis
when none answers: this test never skips.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from night_rows import outlet_hosts_env, run_newsetl_night, snapshot, truncate

from etl.db import make_engine, scratch_database
from etl.demo import DAGS_DIR

REDIS_URL = os.environ.get("NEWSETL_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
NIGHT = "2026-11-24"
RUN_ID = "celery_test_2026-11-24"
AIRFLOW = [sys.executable, "-m", "airflow"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def _airflow_env(meta_url: str, home: Path, port: int, night_env: dict[str, str]) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    meta = make_engine(meta_url).url.render_as_string(hide_password=False)
    return {**base, **night_env,
            "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta,
            "AIRFLOW__CELERY__BROKER_URL": REDIS_URL,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + meta.replace("+psycopg2", ""),
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False", "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__PORT": str(port), "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),
            "AIRFLOW__CORE__AUTH_MANAGER":
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            # only the triggered night: unpausing the DAG would otherwise also start today's scheduled run
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "PYTHONPATH": str(Path(__file__).parent)}


class Services:
    """The Airflow processes this test started, stopped by their process groups at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.procs = env, logs, {}

    def start(self, name: str, *args: str, **extra: str) -> None:
        out = (self.logs / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen([*AIRFLOW, *args], env={**self.env, **extra}, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self) -> None:
        dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}
        assert not dead, f"exited: {dead}; logs in {self.logs}: " + self.tail(*dead)

    def tail(self, *names: str) -> str:
        return "\n".join(f"--- {n}\n" + (self.logs / f"{n}.log").read_text(errors="replace")[-3000:] for n in names)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _wait(what: str, services: Services, probe, timeout_s: float):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        services.check_alive()
        value = probe()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}\n" + services.tail(*services.procs))


@pytest.fixture
def meta_url(database_url):
    admin = make_engine(database_url).url.set(database="postgres").render_as_string(hide_password=False)
    with scratch_database(admin, prefix="newsetl_airflow") as url:
        yield url


def test_two_celery_workers_share_the_mapped_tasks_and_write_what_one_process_writes(
        engine, database_url, meta_url, sample_server, tmp_path):
    assert _redis_answers(REDIS_URL), f"no Redis at {REDIS_URL} (.ci/run starts one; so can `redis-server`)"
    night_env = outlet_hosts_env(sample_server, database_url, tmp_path, partitions="2")
    run_newsetl_night(night_env, NIGHT)
    single = snapshot(engine)
    truncate(engine)

    env = _airflow_env(meta_url, tmp_path / "airflow", _free_port(), night_env)
    subprocess.run([*AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True, timeout=600)
    subprocess.run([*AIRFLOW, "pools", "set", "newsetl_fetch", "4", "newsetl fetch tasks"], env=env, check=True,
                   capture_output=True, timeout=120)
    services = Services(env, tmp_path)
    meta = make_engine(meta_url)
    try:
        services.start("api-server", "api-server")
        services.start("scheduler", "scheduler")
        services.start("dag-processor", "dag-processor")
        for name in ("w1", "w2"):
            services.start(name, "celery", "worker", "-H", f"{name}@%h", "-s", "--without-mingle", "--without-gossip",
                           NEWSETL_TEST_WORKER=name,
                           AIRFLOW__CORE__HOSTNAME_CALLABLE="celery_worker_name.worker_name")

        def scalar(sql: str):
            with meta.connect() as conn:
                return conn.execute(sa.text(sql), {"run": RUN_ID}).scalar()

        _wait("news_ingest to be parsed", services,
              lambda: scalar("SELECT count(*) FROM dag WHERE dag_id = 'news_ingest' AND NOT is_paused"), 240)
        subprocess.run([*AIRFLOW, "dags", "trigger", "news_ingest", "-l", f"{NIGHT}T02:00:00+00:00", "-r", RUN_ID],
                       env=env, check=True, capture_output=True, timeout=120)
        state = _wait("the DAG run to finish", services, lambda: scalar(
            "SELECT state FROM dag_run WHERE run_id = :run AND state IN ('success', 'failed')"), 600)
        with meta.connect() as conn:
            tis = conn.execute(sa.text("SELECT task_id, map_index, state, hostname FROM task_instance "
                                       "WHERE run_id = :run"), {"run": RUN_ID}).all()
    finally:
        services.stop()
        meta.dispose()
    assert state == "success", [t for t in tis if t.state != "success"]
    host = socket.gethostname()
    assert {t.hostname for t in tis} <= {f"w1@{host}", f"w2@{host}"}  # every task ran on one of the two
    mapped = [t for t in tis if t.map_index >= 0]
    assert {t.hostname for t in mapped} == {f"w1@{host}", f"w2@{host}"}  # and both ran mapped tasks
    assert len({t.task_id for t in mapped}) == 4
    assert snapshot(engine) == single
    with engine.connect() as conn:
        runs = conn.execute(sa.text("SELECT run_id, status FROM pipeline_runs")).all()
    assert runs == [("news_ingest/2026-11-24", "success")]
