"""Store side of the night's read-outs: ``quality_checks``' row checks, feed alerts and feed counts,
and the demo's summary of what a run left.

The stage runner decides what the numbers mean (fail the night, log an alert); the SQL that
counts them lives here, with the rest of the store layer.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl.models import FeedAlert, Run, RunTotals

# Each check counts rows of the night: articles its run loaded or last changed, and every
# mention and claim of those articles, whichever run wrote them.
QUALITY_CHECKS = {
    "articles_without_body": """
        SELECT count(*) FROM articles a
         WHERE (a.run_id = :run OR a.updated_run_id = :run) AND coalesce(a.body, '') = ''""",
    "articles_feed_only": """
        SELECT count(*) FROM articles a
         WHERE (a.run_id = :run OR a.updated_run_id = :run) AND a.body_source = 'feed'""",
    "articles_without_language": """
        SELECT count(*) FROM articles a
         WHERE (a.run_id = :run OR a.updated_run_id = :run) AND a.language IS NULL""",
    # UTF-8 read as Latin-1/cp1252 (Ø§Ù„ for ال): decoding went wrong somewhere.
    "mojibake_suspects": """
        SELECT count(*) FROM articles a
         WHERE (a.run_id = :run OR a.updated_run_id = :run) AND a.full_text ~ '[ØÙÃÂ][\x80-\xbf]'""",
    "bad_mention_offsets": """
        SELECT count(*) FROM entity_mentions m JOIN articles a ON a.id = m.article_id
         WHERE (a.run_id = :run OR a.updated_run_id = :run OR m.run_id = :run)
           AND substr(a.full_text, m.start_char + 1, m.end_char - m.start_char) <> m.surface""",
    "bad_claim_offsets": """
        SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id
         WHERE (a.run_id = :run OR a.updated_run_id = :run OR c.run_id = :run)
           AND substr(a.full_text, c.start_char + 1, c.end_char - c.start_char) <> c.content""",
}
_NIGHT_FEEDS = """
    SELECT count(*), count(*) FILTER (WHERE outcome = 'error') FROM feed_fetches WHERE run_id = :run"""
_FEED_ALERTS = """
    SELECT f.url, f.consecutive_failures, f.last_error, f.last_success_at
      FROM feeds f
     WHERE f.active AND (f.consecutive_failures >= :failures
           OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.feed_id = f.id
                           AND a.created_at > now() - make_interval(days => :silent_days))
              AND f.created_at < now() - make_interval(days => :silent_days))
     ORDER BY f.url"""


def night_check_counts(engine: Engine, run: Run) -> dict[str, int]:
    """Return each check of ``QUALITY_CHECKS`` with its count of bad rows for the night of ``run``."""
    with engine.connect() as conn:
        return {name: int(conn.execute(sa.text(query), {"run": run.run_id}).scalar_one())
                for name, query in QUALITY_CHECKS.items()}


def feed_alerts(engine: Engine, *, failing_after: int, silent_days: int) -> list[FeedAlert]:
    """Return the active feeds failing ``failing_after`` nights in a row or silent for ``silent_days``."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text(_FEED_ALERTS), {"failures": failing_after, "silent_days": silent_days})
        return [FeedAlert(url=r.url, consecutive_failures=r.consecutive_failures, last_error=r.last_error,
                          last_success_at=r.last_success_at) for r in rows]


def night_feed_counts(engine: Engine, run: Run) -> tuple[int, int]:
    """Return (feeds fetched, feeds failed) in the night of ``run``."""
    with engine.connect() as conn:
        fetched, failed = conn.execute(sa.text(_NIGHT_FEEDS), {"run": run.run_id}).one()
    return int(fetched), int(failed)


_SUMMARY = {
    "feeds": "SELECT count(*) FILTER (WHERE outcome <> 'error'), count(*) FILTER (WHERE outcome = 'error') "
             "FROM feed_fetches WHERE run_id = :run",
    "articles": "SELECT count(*), count(*) FILTER (WHERE duplicate_of IS NOT NULL), "
                "count(*) FILTER (WHERE body_source = 'page') FROM articles",
    "entities": "SELECT count(*), (SELECT count(*) FROM entity_mentions) FROM entities",
    "claims": "SELECT count(*), (SELECT count(*) FROM claim_quantities) FROM claims",
    "errors": "SELECT stage, url, reason FROM pipeline_errors WHERE run_id = :run ORDER BY stage, url",
}


def run_totals(engine: Engine, run_id: str) -> RunTotals:
    """Return what the database holds after run ``run_id``: its feeds and errors, and all rows by table."""
    with engine.connect() as conn:
        ok, failed = conn.execute(sa.text(_SUMMARY["feeds"]), {"run": run_id}).one()
        articles, copies, from_page = conn.execute(sa.text(_SUMMARY["articles"])).one()
        entities, mentions = conn.execute(sa.text(_SUMMARY["entities"])).one()
        claims, quantities = conn.execute(sa.text(_SUMMARY["claims"])).one()
        errors = tuple(tuple(r) for r in conn.execute(sa.text(_SUMMARY["errors"]), {"run": run_id}))
    return RunTotals(feeds_ok=ok, feeds_failed=failed, articles=articles, copies=copies, from_page=from_page,
                        entities=entities, mentions=mentions, claims=claims, quantities=quantities, errors=errors)


def read_only_query(engine: Engine, query: str) -> tuple[list[str], list[tuple]]:
    """Return the column names and rows of an analyst's query (run in a read-only transaction)."""
    with engine.connect() as conn:
        conn.execute(sa.text("SET TRANSACTION READ ONLY"))
        result = conn.execute(sa.text(query))
        return list(result.keys()), [tuple(r) for r in result]
