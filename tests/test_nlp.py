"""The NLP stages in partitions: batched writes, one poison article isolated, SKIP LOCKED claims, two workers.

Against the real PostgreSQL of the test run; the articles come from a real night on the sample site.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from etl import load, load_analysis, ner
from etl.analyze import nlp_version
from etl.models import Run
from etl.pipeline import make_run, nlp, run_claims, run_entities, run_fetch_pages, run_start
from etl.pipeline.feeds import run_fetch_feeds

NIGHT = date(2026, 11, 24)

# What the NLP stages write, without surrogate ids (entity ids depend on which worker came first).
SNAPSHOT = {
    "mentions": "SELECT a.url, m.start_char, m.end_char, m.surface, m.label, e.key FROM entity_mentions m "
                "JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id",
    "entities": "SELECT key, canonical_name, type, norm_key FROM entities",
    "aliases": "SELECT e.key, x.alias, x.alias_key, x.language FROM entity_aliases x JOIN entities e ON e.id = x.entity_id",
    "claims": "SELECT a.url, c.start_char, c.end_char, c.speaker_text, c.cue, c.content, c.kind, c.polarity, "
              "c.sentence, e.key FROM claims c JOIN articles a ON a.id = c.article_id "
              "LEFT JOIN entities e ON e.id = c.speaker_entity_id",
    "quantities": "SELECT a.url, c.start_char, q.start_char, q.category, q.value, q.text FROM claim_quantities q "
                  "JOIN claims c ON c.id = q.claim_id JOIN articles a ON a.id = c.article_id",
    "versions": "SELECT url, entities_version, nlp_version FROM articles",
}


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(sa.text(sql)).all()), key=repr) for name, sql in SNAPSHOT.items()}


def _fetched_night(engine, settings, server, tmp_path) -> Run:
    """Return the night's run with the sample site's articles fetched, not yet analysed."""
    from etl.feedsfile import read_feeds_file

    run = make_run(NIGHT)
    load.start_run(engine, run, code_version="test")
    run_start(run, engine=engine, settings=settings, sources=read_feeds_file(server.feeds_file(tmp_path / "f.yaml")))
    run_fetch_feeds(run, engine=engine, settings=settings)
    run_fetch_pages(run, engine=engine, settings=settings)
    return run


def _forget_analysis(engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE entities, entity_aliases, entity_mentions, claims, claim_quantities CASCADE"))
        conn.execute(sa.text("UPDATE articles SET entities_version = NULL, nlp_version = NULL"))


@contextmanager
def _refusing(engine, table: str, check: str):
    """Make the real table refuse rows that fail ``check`` (a CHECK constraint), then undo."""
    with engine.begin() as conn:
        conn.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT test_poison CHECK ({check}) NOT VALID"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT test_poison"))


def test_two_workers_write_the_same_rows_as_one(engine, settings, sample_server, tmp_path, monkeypatch):
    monkeypatch.setattr(nlp, "ANALYSIS_BATCH", 3)  # several partitions from the sample night
    run = _fetched_night(engine, settings, sample_server, tmp_path)
    one = [run_entities(run, engine=engine, settings=settings), run_claims(run, engine=engine, settings=settings)]
    single = _snapshot(engine)
    _forget_analysis(engine)
    two = replace(settings, pipeline=replace(settings.pipeline, workers=2))
    pooled = [run_entities(run, engine=engine, settings=two), run_claims(run, engine=engine, settings=two)]
    assert single["mentions"] and single["claims"] and single["quantities"]
    assert one[0].processed >= 7 and [s.as_dict() for s in pooled] == [s.as_dict() for s in one]
    assert _snapshot(engine) == single


def test_a_rerun_of_the_stages_changes_nothing(engine, settings, sample_server, tmp_path):
    run = _fetched_night(engine, settings, sample_server, tmp_path)
    run_entities(run, engine=engine, settings=settings)
    run_claims(run, engine=engine, settings=settings)
    before = _snapshot(engine)
    again = [run_entities(run, engine=engine, settings=settings), run_claims(run, engine=engine, settings=settings)]
    assert [s.processed for s in again] == [0, 0] and _snapshot(engine) == before


def test_an_article_whose_mentions_are_refused_is_recorded_and_its_batch_lands(engine, settings, sample_server,
                                                                                tmp_path):
    run = _fetched_night(engine, settings, sample_server, tmp_path)
    with _refusing(engine, "entity_mentions", "surface NOT LIKE '%بيسكوف%'"):
        stats = run_entities(run, engine=engine, settings=settings)
    with engine.connect() as conn:
        errors = conn.execute(sa.text("SELECT article_id, reason FROM pipeline_errors WHERE stage = 'find_entities'")
                              ).all()
        refused = {e.article_id for e in errors}
        versions = dict(conn.execute(sa.text("SELECT id, entities_version FROM articles")).all())
        with_mentions = set(conn.execute(sa.text("SELECT DISTINCT article_id FROM entity_mentions")).scalars())
    assert refused and stats.errors == len(refused) and all("test_poison" in e.reason for e in errors)
    assert all(versions[a] is None for a in refused) and not refused & with_mentions
    assert with_mentions and all(versions[a] == ner.MODEL_VERSION for a in with_mentions)


def test_a_partition_skips_articles_another_worker_holds_and_they_stay_to_do(engine, settings, sample_server,
                                                                           tmp_path):
    run = _fetched_night(engine, settings, sample_server, tmp_path)
    ids = load_analysis.analysis_todo_ids(engine, run, "find_entities", model_version=ner.MODEL_VERSION, nlp_version=nlp_version())
    other = engine.connect()  # another worker, mid-partition: holds the first article's row lock
    other.begin()
    other.execute(sa.text("SELECT 1 FROM articles WHERE id = :i FOR UPDATE"), {"i": ids[0]})
    try:
        first = nlp.run_partition(run, "find_entities", ids, engine=engine, settings=settings)
    finally:
        other.close()  # a killed worker's locks go with its connection
    left = load_analysis.analysis_todo_ids(engine, run, "find_entities", model_version=ner.MODEL_VERSION, nlp_version=nlp_version())
    second = nlp.run_partition(run, "find_entities", ids, engine=engine, settings=settings)
    assert first.processed == len(ids) - 1 and left == [ids[0]] and second.processed == 1
