"""Stage ``quality_checks``: the night's rows checked, feed alerts logged, the run closed."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import load
from etl.errors import DataQualityError
from etl.models import Run, StageStats
from etl.pipeline.common import _finish
from etl.settings import Settings

log = logging.getLogger(__name__)


_NIGHT_ARTICLES = "(a.run_id = :run OR a.updated_run_id = :run)"
QUALITY_CHECKS = {
    "articles_without_body": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND coalesce(a.body, '') = ''",  # noqa: S608 - constant fragments, values bound
    "articles_feed_only": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND a.body_source = 'feed'",  # noqa: S608 - constant fragments, values bound
    "articles_without_language": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND a.language IS NULL",  # noqa: S608 - constant fragments, values bound
    # UTF-8 read as Latin-1/cp1252 (Ø§Ù„ for ال): decoding went wrong somewhere.
    "mojibake_suspects": f"SELECT count(*) FROM articles a WHERE {_NIGHT_ARTICLES} AND a.full_text ~ '[ØÙÃÂ][\x80-\xbf]'",  # noqa: S608 - constant fragments, values bound
    # Every mention and claim of an article the night touched, whichever run wrote them.
    "bad_mention_offsets": ("SELECT count(*) FROM entity_mentions m JOIN articles a ON a.id = m.article_id "  # noqa: S608 - constant fragments, values bound
                            f"WHERE ({_NIGHT_ARTICLES} OR m.run_id = :run) "
                            "AND substr(a.full_text, m.start_char + 1, m.end_char - m.start_char) <> m.surface"),
    "bad_claim_offsets": ("SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id "  # noqa: S608 - constant fragments, values bound
                          f"WHERE ({_NIGHT_ARTICLES} OR c.run_id = :run) "
                          "AND substr(a.full_text, c.start_char + 1, c.end_char - c.start_char) <> c.content"),
}
_NIGHT_FEEDS = ("SELECT count(*), count(*) FILTER (WHERE outcome = 'error') FROM feed_fetches "
                "WHERE run_id = :run")
FEED_ALERTS = """
    SELECT f.url, f.consecutive_failures, f.last_error, f.last_success_at
      FROM feeds f
     WHERE f.active AND (f.consecutive_failures >= :failures
           OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.feed_id = f.id
                           AND a.created_at > now() - make_interval(days => :silent_days))
              AND f.created_at < now() - make_interval(days => :silent_days))
     ORDER BY f.url"""


def run_quality_checks(run: Run, *, engine: Engine, settings: Settings, failing_after: int = 3,
                       silent_days: int = 3) -> StageStats:
    """Check the night's rows (offsets, mojibake, empty bodies), alert on failing or silent feeds,
    prune old raw bytes, and close the run.

    Broken offsets mean corrupt rows: the check raises so the task fails loudly. Feeds failing
    ``failing_after`` nights in a row, or with no new story for ``silent_days``, are logged as
    alerts (and listed in the ``feed_health`` view).
    """
    stats = StageStats(stage="quality_checks")
    with engine.connect() as conn:
        for name, query in QUALITY_CHECKS.items():
            stats.extra[name] = int(conn.execute(sa.text(query), {"run": run.run_id}).scalar_one())
            stats.processed += 1
        alerts = conn.execute(sa.text(FEED_ALERTS), {"failures": failing_after, "silent_days": silent_days}).all()
    for feed in alerts:
        log.warning("ALERT feed %s: %s", feed.url,
                    f"failed {feed.consecutive_failures} nights in a row ({feed.last_error})"
                    if feed.consecutive_failures >= failing_after else f"no new story for {silent_days} days")
    stats.extra["feed_alerts"] = len(alerts)
    stats.extra["raw_pruned"] = load.prune_raw(engine, retention_days=settings.storage.raw_retention_days)
    with engine.connect() as conn:
        fetched, failed = conn.execute(sa.text(_NIGHT_FEEDS), {"run": run.run_id}).one()
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


