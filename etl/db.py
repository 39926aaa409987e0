"""Database access: engines, the embedded PostgreSQL, migrations and table handles.

The schema lives in SQL under ``sql/`` (Alembic migrations and views); Python reflects the
tables from the database instead of restating every column, so SQL stays the one source of
truth for the contract analysts rely on.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from etl.errors import ConfigError, SchemaOutdatedError
from etl.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SQL_DIR = PROJECT_ROOT / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
EMBEDDED_DB_NAME = "newsetl"
LOCAL_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
"""Where tests and benchmarks look for a running PostgreSQL before starting the embedded one."""
TABLE_NAMES = (
    "pipeline_runs",
    "sources",
    "feeds",
    "feed_fetches",
    "raw_documents",
    "articles",
    "article_sightings",
    "article_lsh_bands",
    "article_story_keys",
    "story_terms",
    "entities",
    "entity_aliases",
    "entity_mentions",
    "claims",
    "claim_quantities",
    "pipeline_errors",
    "reports",
    "run_leases",
    "stage_partitions",
)


def make_engine(url: str) -> Engine:
    """Return an engine for ``url``; psycopg2 is the driver for plain postgresql:// URLs."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):  # psycopg2 is the project's driver (SQLAlchemy 2.1 would pick psycopg 3)
            url = "postgresql+psycopg2://" + url[len(plain):]
    # psycopg2 runs an executemany that SQLAlchemy cannot turn into one multi-row INSERT (an
    # INSERT … ON CONFLICT, an UPDATE per row) one statement per round trip: 5,000 rows took 1.4 s
    # against 0.29 s in pages of 500 (execute_batch). Every such write goes through here.
    batched = {"executemany_mode": "values_plus_batch", "executemany_batch_page_size": 500}
    # hide_parameters: a rejected statement's message must never carry an article body or a secret.
    return sa.create_engine(url, pool_pre_ping=True, hide_parameters=True,
                            **(batched if url.startswith("postgresql+psycopg2://") else {}))


# SQLSTATE classes that blame the values of one item, not the database: data exception (22),
# integrity constraint violation (23), program limit exceeded (54: index row or tsvector too big).
_ITEM_SQLSTATE_CLASSES = ("22", "23", "54")


def is_item_error(exc: BaseException) -> bool:
    """Return True when ``exc`` is PostgreSQL (or the driver) refusing one item's values.

    Such an item is recorded and skipped; anything else (connection lost, server down,
    deadlock) is the database's problem and must fail the task so Airflow retries.
    """
    if isinstance(exc, sa.exc.DBAPIError):
        code = getattr(exc.orig, "pgcode", None) or ""
        return code[:2] in _ITEM_SQLSTATE_CLASSES
    # psycopg2 refuses NUL characters itself, before the server sees them
    return isinstance(exc, ValueError)


def describe_error(exc: BaseException) -> str:
    """Return ``Class: first line of the message`` without SQL or parameters (safe to store and log)."""
    inner = exc.orig if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None else exc
    lines = str(inner).strip().splitlines()
    return f"{type(inner).__name__}: {lines[0] if lines else ''}"[:500]


def start_embedded_postgres(state_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL under ``state_dir`` and return its URL.

    pgserver ships PostgreSQL 16 in a wheel; it listens on a Unix socket only, so nothing
    is exposed on the network. The server stays up after this process exits so later
    commands (and Airflow task processes) reuse it.
    """
    pgserver = _import_pgserver()
    pgdata = state_dir / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    uri = server.get_uri(EMBEDDED_DB_NAME)
    admin = make_engine(server.get_uri("postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": EMBEDDED_DB_NAME}
        ).scalar()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"'))
    admin.dispose()
    log.info("embedded PostgreSQL ready at %s", pgdata)
    return uri


def _import_pgserver():
    """Import pgserver without its XDG_RUNTIME_DIR warning on every command.

    pgserver keeps only a lock file in the runtime dir and platformdirs' fallback (/tmp/runtime-UID)
    works; the warning, printed by every newsetl command, told the user nothing they could act on.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import pgserver
    return pgserver


def stop_embedded_postgres(state_dir: Path) -> bool:
    """Stop the embedded PostgreSQL under ``state_dir``; return False when it was not running."""
    pgdata = state_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    pg_ctl = Path(_import_pgserver().__file__).parent / "pginstall" / "bin" / "pg_ctl"
    # As root, pgserver runs PostgreSQL as its own user (PostgreSQL refuses root): stop it as the owner.
    owner = pgdata.owner() if os.geteuid() == 0 else None
    subprocess.run([str(pg_ctl), "-D", str(pgdata), "-w", "stop"], check=True, capture_output=True, user=owner)  # noqa: S603 - pgserver's own pg_ctl
    return True


def libpq_url(url: str) -> str:
    """Return ``url`` as a libpq connection URI (``postgresql://...``) that psql and GUI clients accept.

    SQLAlchemy's form names the driver (``postgresql+psycopg2://``), which libpq rejects.
    """
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def psql_command() -> str:
    """Return the psql to run: the one on PATH, else the one that ships with the embedded server."""
    found = shutil.which("psql")
    if found:
        return found
    bundled = Path(_import_pgserver().__file__).parent / "pginstall" / "bin" / "psql"
    if not bundled.exists():
        raise ConfigError("psql not found: install PostgreSQL's client (e.g. apt-get install postgresql-client)")
    return str(bundled)


@contextmanager
def scratch_database(admin_url: str, *, prefix: str = "newsetl_scratch") -> Iterator[str]:
    """Create a uniquely named database on the server of ``admin_url``, yield its URL, drop it.

    Tests and benchmarks use it so every run works on a database of its own.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def local_admin_url(state_dir: Path, *, probe_url: str = LOCAL_SERVER_URL, embedded_only: bool = False) -> str:
    """Return an admin URL: the PostgreSQL at ``probe_url`` if it answers, else the embedded one."""
    if not embedded_only:
        probe = make_engine(probe_url)
        try:
            with probe.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return probe_url
        except sa.exc.OperationalError:
            log.info("no PostgreSQL at %s; using the embedded one", probe_url)
        finally:
            probe.dispose()
    return start_embedded_postgres(state_dir).replace(f"/{EMBEDDED_DB_NAME}?", "/postgres?")


def resolve_database_url(settings: Settings) -> str:
    """Return the configured database URL, starting the embedded PostgreSQL when none is set."""
    if settings.storage.database_url:
        return settings.storage.database_url
    return start_embedded_postgres(settings.storage.state_dir)


def upgrade_schema(engine: Engine) -> str:
    """Apply pending migrations and (re)create the analyst views; return the schema revision."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = _alembic_config()
    with engine.begin() as conn:
        encoding = conn.execute(sa.text("SHOW server_encoding")).scalar_one()
        if encoding.upper() not in ("UTF8", "UTF-8"):
            # substr() would count bytes, not characters: every stored offset would be wrong.
            raise ConfigError(f"the news database must use UTF8 encoding, not {encoding}")
        # One migration at a time even if two processes start together.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(727274)"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        for view in sorted(VIEWS_DIR.glob("*.sql")):
            conn.exec_driver_sql(view.read_text(encoding="utf-8"))
        revision = MigrationContext.configure(
            conn, opts={"version_table": "newsetl_alembic_version"}
        ).get_current_revision()
    tables.cache_clear()
    return revision or ""


def _alembic_config() -> Config:
    """Return the Alembic configuration of the migrations under ``sql/migrations``."""
    from alembic.config import Config

    if not MIGRATIONS_DIR.is_dir():
        raise ConfigError(f"migrations folder not found at {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def check_schema(engine: Engine) -> str:
    """Return the schema revision; raise ``SchemaOutdatedError`` unless it is the code's head.

    The nightly run only reads the revision (its role needs no DDL rights): migrating is
    ``newsetl db upgrade``'s job, run once per deploy, never by a task racing other tasks.
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(
            conn, opts={"version_table": "newsetl_alembic_version"}).get_current_revision()
    if current != head:
        found = f"at revision {current}" if current else "not migrated (no newsetl_alembic_version)"
        raise SchemaOutdatedError(f"the news database schema is {found}, but this code needs {head}: "
                                  "run `newsetl db upgrade` (a role with DDL rights) and rerun the DAG")
    return current


def grant_analyst(engine: Engine, name: str) -> None:
    """Create (if needed) the read-only analyst role ``name``; see newsetl_grant_analyst in sql/."""
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT newsetl_grant_analyst(:name)"), {"name": name})


CATALOG_QUERY = sa.text("""
SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS kind,
       obj_description(c.oid, 'pg_class') AS comment,
       a.attname, format_type(a.atttypid, a.atttypmod) AS type, col_description(c.oid, a.attnum) AS column_comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'v') AND c.relname <> 'newsetl_alembic_version'
 ORDER BY c.relkind, c.relname, a.attnum
""")


def catalog_rows(engine: Engine) -> list[sa.Row]:
    """Return (relname, kind, comment, attname, type, column_comment) for every table and view column."""
    with engine.connect() as conn:
        return conn.execute(CATALOG_QUERY).all()


@lru_cache(maxsize=8)
def tables(engine: Engine) -> dict[str, sa.Table]:
    """Return the newsetl tables reflected from the database (cached per engine)."""
    metadata = sa.MetaData()
    metadata.reflect(engine, only=list(TABLE_NAMES))
    return {name: metadata.tables[name] for name in TABLE_NAMES}



def table(conn: Connection | Engine, name: str) -> sa.Table:
    """Return one reflected table, for a connection or an engine (the store modules' lookup)."""
    engine = conn.engine if isinstance(conn, Connection) else conn
    return tables(engine)[name]
