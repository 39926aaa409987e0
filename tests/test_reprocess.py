"""Reprocessing stored nights after an upgrade: `newsetl reprocess` and the news_reprocess DAG."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from etl import load, ner
from etl.claims import EXTRACTOR_VERSION
from etl.cli import main
from etl.errors import ConfigError, LeaseHeldError
from etl.pipeline import nights_to_reprocess, reprocess_night, reprocess_stages, run_night

NIGHT = date(2026, 11, 24)
LATER = date(2026, 11, 25)
MENTIONS = "SELECT article_id, start_char, end_char, surface, model_version FROM entity_mentions ORDER BY 1, 2, 3"
CLAIMS = "SELECT article_id, start_char, end_char, content, extractor_version FROM claims ORDER BY 1, 2, 3"


def _rows(engine: sa.Engine, query: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(query))]


@pytest.fixture
def two_nights(engine, settings, sample_server, tmp_path):
    """The sample feeds on NIGHT (their articles) and again on LATER (nothing new that night)."""
    feeds = sample_server.feeds_file(tmp_path / "feeds.yaml")
    run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
    run_night(LATER, settings=settings, feeds_file=feeds, engine=engine)
    return engine


def test_a_model_upgrade_reaches_only_the_reprocessed_nights(two_nights, settings, monkeypatch):
    engine = two_nights
    before = _rows(engine, MENTIONS)
    assert before and {r[4] for r in before} == {ner.MODEL_VERSION}
    monkeypatch.setattr(ner, "MODEL_VERSION", ner.MODEL_VERSION + "+upgraded")

    # The later night owns only what it loaded or last changed; reprocessing it leaves the first
    # night's other articles alone.
    assert nights_to_reprocess(engine, LATER, LATER) == [LATER]
    with engine.connect() as conn:
        owned = set(conn.execute(sa.text("SELECT id FROM articles WHERE run_id = :r OR updated_run_id = :r"),
                                 {"r": f"news_ingest/{LATER}"}).scalars())
    out = reprocess_night(LATER, ["find_entities"], engine=engine, settings=settings, owner="test")
    assert out["find_entities"].processed == len(owned)
    versions = {r[4] for r in _rows(engine, MENTIONS) if r[0] not in owned}
    assert versions == {ner.MODEL_VERSION.removesuffix("+upgraded")}

    out = reprocess_night(NIGHT, reprocess_stages(None), engine=engine, settings=settings, owner="test")
    assert out["find_entities"].processed > 0
    after = _rows(engine, MENTIONS)
    assert [r[:4] for r in after] == [r[:4] for r in before]  # replaced, not doubled
    assert {r[4] for r in after} == {ner.MODEL_VERSION}
    again = reprocess_night(NIGHT, reprocess_stages(None), engine=engine, settings=settings, owner="test")
    assert again["find_entities"].processed == 0 and again["find_claims"].processed == 0


def test_a_rule_upgrade_replaces_claims_atomically_and_keeps_their_number(two_nights, settings, monkeypatch):
    engine = two_nights
    before = _rows(engine, CLAIMS)
    assert before and {r[4] for r in before} == {EXTRACTOR_VERSION}
    import etl.analyze

    monkeypatch.setattr(etl.analyze, "nlp_version", lambda: "upgraded-rules")
    out = reprocess_night(NIGHT, ["find_claims"], engine=engine, settings=settings, owner="test")
    assert out["find_claims"].processed > 0
    assert [r[:4] for r in _rows(engine, CLAIMS)] == [r[:4] for r in before]
    with engine.connect() as conn:
        versions = set(conn.execute(sa.text("SELECT DISTINCT nlp_version FROM articles WHERE body <> ''")).scalars())
    assert versions == {"upgraded-rules"}


def test_a_night_held_by_another_run_is_not_reprocessed(two_nights, settings):
    load.claim_lease(two_nights, NIGHT, owner="the nightly run", ttl_s=600)
    with pytest.raises(LeaseHeldError):
        reprocess_night(NIGHT, ["find_entities"], engine=two_nights, settings=settings, owner="test")


def test_stage_names_and_ranges_are_checked(engine):
    assert reprocess_stages("find_claims, extract") == ["extract", "find_claims"]
    with pytest.raises(ConfigError, match="fetch_pages"):
        reprocess_stages(["fetch_pages"])
    with pytest.raises(ConfigError, match="before it starts"):
        nights_to_reprocess(engine, LATER, NIGHT)


def test_cli_reprocess_reports_each_night(two_nights, database_url, monkeypatch):
    monkeypatch.setenv("NEWSETL_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["reprocess", "--from", "2026-11-01", "--to", "2026-11-30",
                                       "--stages", "find_entities,find_claims"])
    assert result.exit_code == 0, result.output
    assert "2026-11-24 find_entities=0/0 find_claims=0/0" in result.output  # nothing changed: nothing to redo
    assert "reprocessed 2 night(s)" in result.output
    bad = CliRunner().invoke(main, ["reprocess", "--from", "2026-11-01", "--to", "2026-11-30", "--stages", "dedup"])
    assert bad.exit_code != 0 and "cannot reprocess dedup" in bad.output and "Traceback" not in bad.output
