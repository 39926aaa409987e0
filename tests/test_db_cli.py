"""``newsetl db url|psql|stop``: the news database from psql, on a server and on the embedded one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from etl.db import make_engine
from etl.settings import PROJECT_ROOT


def _newsetl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env, check=True)


def _psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-XAtc", sql], capture_output=True, text=True, timeout=60,
                          check=True).stdout.strip()


@pytest.fixture
def env() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    return base


def test_db_url_is_a_libpq_url_psql_accepts(database_url, env):
    # The configured URL in SQLAlchemy's form, as Airflow and the code write it.
    sqlalchemy_form = make_engine(database_url).url.render_as_string(hide_password=False)
    assert sqlalchemy_form.startswith("postgresql+psycopg2://")
    env["NEWSETL_DATABASE_URL"] = sqlalchemy_form
    url = _newsetl("db", "url", env=env).stdout.strip()
    assert url.startswith("postgresql://")
    assert _psql(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'articles'") == "1"


def test_db_psql_opens_psql_on_the_news_database(database_url, env):
    env["NEWSETL_DATABASE_URL"] = database_url
    out = _newsetl("db", "psql", "-XAtc", "SELECT current_database(), to_regclass('claims') IS NOT NULL",
                   env=env).stdout.strip()
    assert out == f"{make_engine(database_url).url.database}|t"


@pytest.fixture
def state_dir():
    """A state folder the embedded server's own user can reach (pytest's tmp_path is private to root)."""
    path = PROJECT_ROOT / ".newsetl" / f"test-db-cli-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_embedded_server_url_psql_and_stop(state_dir, env):
    env.pop("NEWSETL_DATABASE_URL", None)
    env["NEWSETL_STATE_DIR"] = str(state_dir)
    result = _newsetl("db", "url", env=env)
    url = result.stdout.strip()
    assert "XDG_RUNTIME_DIR" not in result.stderr  # no warning on every command
    assert url.startswith("postgresql://") and "host=" in url
    assert _psql(url, "SELECT current_database()") == "newsetl"
    assert "stopped" in _newsetl("db", "stop", env=env).stdout
    assert not (state_dir / "pgdata" / "postmaster.pid").exists()
    with pytest.raises(subprocess.CalledProcessError):
        _psql(url, "SELECT 1")
    assert "was not running" in _newsetl("db", "stop", env=env).stdout
