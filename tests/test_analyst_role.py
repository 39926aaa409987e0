"""``newsetl db grant-analyst``: a role that reads tables and views and can write nothing."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from etl.cli import main
from etl.db import make_engine


@pytest.fixture
def analyst(database_url, engine):
    name = f"newsetl_test_analyst_{uuid.uuid4().hex[:8]}"
    yield name
    with engine.begin() as conn:  # roles are cluster-wide: leave none behind
        conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
        conn.execute(sa.text(f'DROP ROLE "{name}"'))


def _as(database_url: str, role: str) -> sa.Engine:
    return make_engine(make_engine(database_url).url.set(username=role, password=None)
                       .render_as_string(hide_password=False))


def _fails(conn: sa.Connection, sql: str) -> str:
    """Run ``sql`` in a read-write transaction the role asked for itself; return the error."""
    with pytest.raises(sa.exc.DBAPIError) as caught, conn.begin():
        conn.execute(sa.text("SET TRANSACTION READ WRITE"))
        conn.execute(sa.text(sql))
    return str(caught.value.orig)


WRITES = [
    "INSERT INTO sources (name) VALUES ('x')",
    "UPDATE articles SET title = 'x'",
    "DELETE FROM claims",
    "CREATE TABLE mine (id int)",
    "CREATE VIEW mine AS SELECT 1",
    "SELECT body_zlib FROM raw_documents",
    "TRUNCATE entities",
]


def test_analyst_reads_tables_and_views_and_writes_nothing(database_url, engine, analyst, monkeypatch):
    monkeypatch.setenv("NEWSETL_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["db", "grant-analyst", analyst])
    assert result.exit_code == 0, result.output
    ro = _as(database_url, analyst)
    with ro.connect() as conn:
        for relation in ("articles", "claims", "speaker_claims_daily", "feed_health", "claims_with_speakers"):
            conn.execute(sa.text(f"SELECT count(*) FROM {relation}")).scalar_one()
        conn.execute(sa.text("SELECT url, size FROM raw_documents")).all()  # what was fetched, not the bytes
        conn.rollback()
        for sql in WRITES:
            assert "permission denied" in _fails(conn, sql), sql
        # And by default the session is read-only anyway.
        with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"), conn.begin():
            conn.execute(sa.text("INSERT INTO sources (name) VALUES ('x')"))
    ro.dispose()
    # Granting again is harmless (the compose init runs it on every start).
    assert CliRunner().invoke(main, ["db", "grant-analyst", analyst]).exit_code == 0
