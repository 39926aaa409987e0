"""Shared fixtures: a real PostgreSQL database per test run, clean tables per test,
settings for loopback fetching, the sample site on 127.0.0.1, and a local Airflow.

PostgreSQL: the server at 127.0.0.1:5432 when one answers (user postgres, trust auth),
else the embedded one (pgserver). Either way the run creates its own database and drops it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

# Airflow reads its configuration at import: point it at a private home before anything imports it.
_AIRFLOW_STATE = Path(tempfile.mkdtemp(prefix="newsetl-test-airflow-"))
from etl.demo import airflow_environment  # noqa: E402

os.environ.update(airflow_environment(_AIRFLOW_STATE))

from etl.db import LOCAL_SERVER_URL, local_admin_url, make_engine, scratch_database, upgrade_schema  # noqa: E402
from etl.settings import PROJECT_ROOT, FetchSettings, Settings, StorageSettings  # noqa: E402

LOCAL_SERVER = os.environ.get("NEWSETL_TEST_SERVER_URL", LOCAL_SERVER_URL)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A database of this test run's own (local server, else embedded), migrated, dropped at the end."""
    admin_url = local_admin_url(PROJECT_ROOT / ".newsetl" / "test-pg", probe_url=LOCAL_SERVER,
                                embedded_only=os.environ.get("NEWSETL_TEST_EMBEDDED") == "1")
    with scratch_database(admin_url, prefix="newsetl_test") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()
        yield url


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
