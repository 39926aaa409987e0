"""Shared fixtures: a real PostgreSQL database per test run, clean tables per test,
settings for loopback fetching, the sample site on 127.0.0.1, and a local Airflow.

PostgreSQL: the server at 127.0.0.1:5432 when one answers (user postgres, trust auth),
else the embedded one (pgserver). Either way the run creates its own database and drops it.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

# Airflow reads its configuration at import: point it at a private home before anything imports it.
_AIRFLOW_STATE = Path(tempfile.mkdtemp(prefix="newsetl-test-airflow-"))
from etl.demo import airflow_environment  # noqa: E402

os.environ.update(airflow_environment(_AIRFLOW_STATE))

from etl.db import make_engine, start_embedded_postgres, upgrade_schema  # noqa: E402
from etl.settings import PROJECT_ROOT, FetchSettings, Settings, StorageSettings  # noqa: E402

LOCAL_SERVER = os.environ.get("NEWSETL_TEST_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _server_url() -> str:
    """Return an admin URL of a PostgreSQL server: the local one if it answers, else embedded."""
    if os.environ.get("NEWSETL_TEST_EMBEDDED") != "1":
        probe = make_engine(LOCAL_SERVER)
        try:
            with probe.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return LOCAL_SERVER
        except sa.exc.OperationalError:
            pass
        finally:
            probe.dispose()
    url = start_embedded_postgres(PROJECT_ROOT / ".newsetl" / "test-pg")
    return url.replace("/newsetl?", "/postgres?")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """Create a database for this test run, migrate it, and drop it at the end."""
    admin_url = _server_url()
    name = f"newsetl_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_engine(admin_url).url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on the test database with every newsetl table emptied first."""
    from etl.db import TABLE_NAMES

    eng = make_engine(database_url)
    with eng.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLE_NAMES)} RESTART IDENTITY CASCADE"))
    yield eng
    eng.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for tests: loopback allowed, no politeness delay, short deadlines."""
    fetch = replace(FetchSettings(), allow_private_networks=True, per_host_delay_s=0.0, timeout_s=5.0,
                    connect_timeout_s=2.0, backoff_base_s=0.01, max_retries=1)
    return Settings(fetch=fetch, storage=StorageSettings(database_url=database_url, state_dir=tmp_path))


@pytest.fixture
def sample_server():
    """The bundled sample site served on 127.0.0.1 (ephemeral port)."""
    from etl.sampleserver import serve_samples

    with serve_samples() as server:
        yield server


@pytest.fixture(scope="session")
def airflow_ready() -> Path:
    """A migrated local Airflow metadata DB for dag.test() (once per test run)."""
    from etl.demo import prepare_airflow

    prepare_airflow(_AIRFLOW_STATE)
    return _AIRFLOW_STATE
