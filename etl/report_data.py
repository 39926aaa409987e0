"""The morning report's store: its queries (sql/report/) read into typed records, and the
``reports`` table that keeps one rendered page per night.

The page is kept in the database rather than on a worker's disk so that whichever Airflow
worker ran the DAG's last task, ``newsetl report --date D`` prints the same page again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection, Engine

from etl.db import SQL_DIR, tables
from etl.models import (
    EntityCount,
    FailingFeed,
    NightSummary,
    PartyFigures,
    ReportClaim,
    ReportData,
    Run,
    SourceNight,
)

REPORT_SQL_DIR = SQL_DIR / "report"
TOP_ENTITIES = 15
CLAIMS_SHOWN = 40
FIGURE_CATEGORIES = ("killed", "wounded", "arrested", "displaced", "destroyed", "money")


@cache
def report_query(name: str) -> sa.TextClause:
    """Return the report query ``sql/report/<name>.sql`` (read once)."""
    return sa.text((REPORT_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def _rows(conn: Connection, name: str, **params: object) -> list[sa.Row]:
    return conn.execute(report_query(name), params).all()


def load_report_data(engine: Engine, run: Run) -> ReportData:
    """Return what the morning report of ``run``'s night shows, read in one snapshot."""
    night, run_id = run.logical_date, run.run_id
    # REPEATABLE READ: every section sees the same rows even if a loader writes meanwhile.
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        summary = NightSummary(**_rows(conn, "night_summary", run=run_id)[0]._mapping)
        per_source = tuple(SourceNight(**r._mapping) for r in _rows(conn, "articles_per_source", night=night))
        entities = tuple(EntityCount(**r._mapping)
                         for r in _rows(conn, "top_entities", run=run_id, limit=TOP_ENTITIES))
        claim_rows = _rows(conn, "new_claims", run=run_id, limit=CLAIMS_SHOWN)
        figures = tuple(_party_figures(r) for r in _rows(conn, "event_numbers", run=run_id))
        failing = tuple(FailingFeed(**r._mapping) for r in _rows(conn, "failing_feeds", run=run_id))
    claims = tuple(ReportClaim(**{k: v for k, v in r._mapping.items() if k not in ("total", "first_published")})
                   for r in claim_rows)
    return ReportData(night=night, run_id=run_id, summary=summary, per_source=per_source, entities=entities,
                      claims=claims, claims_total=claim_rows[0].total if claim_rows else 0, figures=figures,
                      failing_feeds=failing)


def _party_figures(row: sa.Row) -> PartyFigures:
    values = tuple((c, float(getattr(row, c))) for c in FIGURE_CATEGORIES if getattr(row, c) is not None)
    return PartyFigures(cluster_id=row.cluster_id, event_title=row.event_title, party=row.party, figures=values,
                        figures_as_claimed=row.figures_as_claimed, outlets=row.outlets, stories=row.stories)


def store_report(engine: Engine, night: date, html: str, *, run_id: str | None, code_version: str) -> None:
    """Write the night's report, replacing the one an earlier run of the night wrote."""
    t = tables(engine)["reports"]
    values = {"html": html, "run_id": run_id, "code_version": code_version, "created_at": datetime.now(UTC)}
    stmt = insert(t).values(night=night, **values).on_conflict_do_update(index_elements=[t.c.night], set_=values)
    with engine.begin() as conn:
        conn.execute(stmt)


def stored_report(engine: Engine, night: date) -> str | None:
    """Return the stored report of ``night``, or None when none was written."""
    t = tables(engine)["reports"]
    with engine.connect() as conn:
        return conn.execute(sa.select(t.c.html).where(t.c.night == night)).scalar_one_or_none()


def run_exists(engine: Engine, run_id: str) -> bool:
    """Return True when the pipeline has a row for ``run_id`` (a report may point at it)."""
    t = tables(engine)["pipeline_runs"]
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.literal(1)).where(t.c.run_id == run_id)).first() is not None
