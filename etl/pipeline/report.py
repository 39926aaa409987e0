"""Stage ``write_report``, the night's last: the morning report rendered and kept in ``reports``.

It runs after ``quality_checks`` closed the run, so the page shows the night as it ended.
Rerunning the night renders the page again from the same rows and replaces the stored one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from etl import report_data
from etl.models import Run, StageStats
from etl.pipeline.common import _finish, code_version, make_run
from etl.report import render_report
from etl.settings import Settings


def build_report(run: Run, *, engine: Engine) -> str:
    """Return the morning report of ``run``'s night rendered from the rows in the database now."""
    return render_report(report_data.load_report_data(engine, run), generated_at=datetime.now(UTC))


def run_write_report(run: Run, *, engine: Engine, settings: Settings) -> StageStats:
    """Render the night's morning report and store it (one row per night, replaced on a rerun)."""
    stats = StageStats(stage="write_report")
    html = build_report(run, engine=engine)
    report_data.store_report(engine, run.logical_date, html, run_id=run.run_id, code_version=code_version())
    stats.processed = stats.written = 1
    stats.extra["report_bytes"] = len(html.encode("utf-8"))
    return _finish(engine, run, stats)


def report_of(night: date, *, engine: Engine, rebuild: bool = False) -> str:
    """Return the stored report of ``night``; render and store it first when there is none
    (a night the DAG did not finish) or when ``rebuild`` asks for today's rows and code."""
    stored = None if rebuild else report_data.stored_report(engine, night)
    if stored is not None:
        return stored
    run = make_run(night)
    html = build_report(run, engine=engine)
    run_id = run.run_id if report_data.run_exists(engine, run.run_id) else None
    report_data.store_report(engine, night, html, run_id=run_id, code_version=code_version())
    return html
