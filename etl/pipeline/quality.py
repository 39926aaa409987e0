"""Stage ``quality_checks``: the night's rows checked, feed alerts logged, the run closed."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from etl import load, load_quality
from etl.errors import DataQualityError
from etl.models import Run, StageStats
from etl.pipeline.common import _finish
from etl.settings import Settings

log = logging.getLogger(__name__)


def run_quality_checks(run: Run, *, engine: Engine, settings: Settings, failing_after: int = 3,
                       silent_days: int = 3) -> StageStats:
    """Check the night's rows (offsets, mojibake, empty bodies), alert on failing or silent feeds,
    prune old raw bytes, and close the run.

    Broken offsets mean corrupt rows: the check raises so the task fails loudly. Feeds failing
    ``failing_after`` nights in a row, or with no new story for ``silent_days``, are logged as
    alerts (and listed in the ``feed_health`` view).
    """
    stats = StageStats(stage="quality_checks")
    stats.extra.update(load_quality.night_check_counts(engine, run))
    stats.processed += len(stats.extra)
    alerts = load_quality.feed_alerts(engine, failing_after=failing_after, silent_days=silent_days)
    for feed in alerts:
        log.warning("ALERT feed %s: %s", feed.url,
                    f"failed {feed.consecutive_failures} nights in a row ({feed.last_error})"
                    if feed.consecutive_failures >= failing_after else f"no new story for {silent_days} days")
    stats.extra["feed_alerts"] = len(alerts)
    stats.extra["raw_pruned"] = load.prune_raw(engine, retention_days=settings.storage.raw_retention_days)
    fetched, failed = load_quality.night_feed_counts(engine, run)
    stats.extra.update(feeds_fetched=fetched, feeds_failed=failed)
    _finish(engine, run, stats)
    problem = _night_problem(run, stats)
    load.finish_run(engine, run, status="failed" if problem else "success", error=problem)
    if problem:
        raise DataQualityError(problem)
    return stats


def _night_problem(run: Run, stats: StageStats) -> str | None:
    """Return why the night failed (broken offsets, or every feed failed), None when it did not."""
    broken = stats.extra["bad_mention_offsets"] + stats.extra["bad_claim_offsets"]
    if broken:
        return f"{broken} entity/claim rows of {run.run_id} have offsets that do not match their text"
    if stats.extra["feeds_fetched"] and stats.extra["feeds_failed"] == stats.extra["feeds_fetched"]:
        return f"every feed failed ({stats.extra['feeds_failed']} of {stats.extra['feeds_fetched']}) in {run.run_id}"
    return None


