"""The mapped DAG against `newsetl run`: the same rows, a partition that fails once redone without duplicates.

Real Airflow (dag.test()), the real PostgreSQL of the test run, the sample site on 127.0.0.1
under one host name per outlet (NEWSETL_CONNECT_TO), so the fetches have several host shards.
The failure is PostgreSQL's own: a trigger refuses the second feed_fetches row once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import yaml

from etl.demo import DAGS_DIR

NIGHT = date(2026, 11, 24)
PARTITIONS = "3"

# What the night leaves, without surrogate ids (they depend on which task came first).
SNAPSHOT = {
    "articles": "SELECT url, url_key, title, body, language, page_status, body_source, page_attempts FROM articles",
    "feed_fetches": "SELECT f.url, x.outcome, x.status_code, x.items_new FROM feed_fetches x JOIN feeds f ON f.id = x.feed_id",
    "mentions": "SELECT a.url, m.start_char, m.end_char, m.surface, m.label, e.key FROM entity_mentions m "
                "JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id",
    "entities": "SELECT key, canonical_name, type, norm_key FROM entities",
    "claims": "SELECT a.url, c.start_char, c.end_char, c.speaker_text, c.cue, c.content, c.kind, c.polarity, "
              "e.key FROM claims c JOIN articles a ON a.id = c.article_id "
              "LEFT JOIN entities e ON e.id = c.speaker_entity_id",
    "quantities": "SELECT a.url, c.start_char, q.start_char, q.category, q.value FROM claim_quantities q "
                  "JOIN claims c ON c.id = q.claim_id JOIN articles a ON a.id = c.article_id",
}

FAIL_ONCE = """
CREATE SEQUENCE test_fail_once;
CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('test_fail_once') = 2 THEN RAISE EXCEPTION 'test: feed_fetches refused once'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fail_once BEFORE INSERT ON feed_fetches FOR EACH ROW EXECUTE FUNCTION test_fail_once();
"""
UNDO_FAIL_ONCE = ("DROP TRIGGER IF EXISTS test_fail_once ON feed_fetches; DROP FUNCTION IF EXISTS test_fail_once(); "
                  "DROP SEQUENCE IF EXISTS test_fail_once;")


def _snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        out = {name: sorted(map(tuple, conn.execute(sa.text(sql)).all()), key=repr) for name, sql in SNAPSHOT.items()}
        rows = conn.execute(sa.text("SELECT a.url, o.url AS original, a.duplicate_reason, c.url AS cluster "
                                    "FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of "
                                    "LEFT JOIN articles c ON c.id = a.cluster_id")).all()
    # Copies and clusters as groups of URLs: which member is the "original" (the smallest id) follows
    # the order in which parallel partitions inserted the stories, not what they are.
    out["copy_groups"] = _groups((r.url, r.original or r.url) for r in rows)
    out["copy_reasons"] = sorted(str(r.duplicate_reason) for r in rows)
    out["clusters"] = _groups((r.url, r.cluster or r.url) for r in rows)
    return out


def _groups(pairs) -> list[tuple[str, ...]]:
    groups: dict[str, set[str]] = {}
    for url, head in pairs:
        groups.setdefault(head, {head}).add(url)
    return sorted(tuple(sorted(g)) for g in groups.values())


def _stage_stats(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        stats = conn.execute(sa.text("SELECT stats FROM pipeline_runs")).scalar_one()
    return {name: (s["processed"], s["written"], s["errors"]) for name, s in stats.items()
            if name in ("fetch_pages", "dedup", "find_entities", "cluster_stories", "find_claims")}


@pytest.fixture
def hosts_env(sample_server, database_url, tmp_path, monkeypatch) -> dict[str, str]:
    """The environment of a night over the sample outlets, each on a host name of its own."""
    base = sample_server.base_url
    sources = yaml.safe_load(sample_server.feeds_file(tmp_path / "one-host.yaml").read_text(encoding="utf-8"))
    hosts = []
    for source in sources:
        folder = source["feeds"][0].removeprefix(base + "/").split("/")[0]
        host = f"{folder}.samples.newsetl.test"
        hosts.append(host)
        source["homepage"] = source["homepage"].replace(base, f"http://{host}")
        source["feeds"] = [url.replace(base, f"http://{host}") for url in source["feeds"]]
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    env = {"NEWSETL_DATABASE_URL": database_url, "NEWSETL_FEEDS_FILE": str(feeds),
           "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1", "NEWSETL_PER_HOST_DELAY_S": "0", "NEWSETL_STATE_DIR": str(tmp_path),
           "NEWSETL_CONNECT_TO": ",".join(f"{h}:80={base.removeprefix('http://')}" for h in hosts),
           "NEWSETL_PARTITIONS": PARTITIONS}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _truncate(engine) -> None:
    from etl.db import TABLE_NAMES

    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLE_NAMES)} RESTART IDENTITY CASCADE"))


def _dag_test_with_quick_retries():
    """Run news_ingest for the night with the production retries, without their delay; return the DAG run."""
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_DIR)).dags["news_ingest"]
    for task in dag.tasks:
        task.retry_delay = timedelta(0)
        task.retry_exponential_backoff = False
    return dag.test(logical_date=datetime.combine(NIGHT, datetime.min.time(), tzinfo=UTC).replace(hour=2))


def test_the_mapped_dag_writes_what_newsetl_run_writes_and_a_partition_failing_once_leaves_no_duplicates(
        airflow_ready, engine, hosts_env):
    cli = subprocess.run([sys.executable, "-m", "etl.cli", "run", "--feeds", hosts_env["NEWSETL_FEEDS_FILE"],
                          "--date", NIGHT.isoformat(), "--workers", "1"],
                         capture_output=True, text=True, env={**os.environ, **hosts_env}, timeout=600)
    assert cli.returncode == 0, cli.stderr
    single, single_stats = _snapshot(engine), _stage_stats(engine)
    assert len(single["articles"]) >= 8 and single["claims"] and single["mentions"]
    _truncate(engine)

    with engine.begin() as conn:
        conn.exec_driver_sql(FAIL_ONCE)
    try:
        dag_run = _dag_test_with_quick_retries()
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(UNDO_FAIL_ONCE)
    assert "success" in str(dag_run.state)
    tis = dag_run.get_task_instances()
    maps = {t: sorted(ti.map_index for ti in tis if ti.task_id == t) for t in ("fetch_feeds", "find_entities")}
    assert len(maps["fetch_feeds"]) >= 2 and maps["find_entities"] == [0, 1, 2]  # 3 partitions of the articles
    retried = [ti for ti in tis if ti.try_number > 1]
    assert [ti.task_id for ti in retried] == ["fetch_feeds"]  # the partition PostgreSQL refused once

    assert _snapshot(engine) == single  # every row once, as one process writes it
    assert _stage_stats(engine) == single_stats
    with engine.connect() as conn:
        errors = conn.execute(sa.text("SELECT stage, error_class, reason FROM pipeline_errors "
                                      "WHERE stage LIKE 'fetch_feeds[%'")).all()
        parts = conn.execute(sa.text("SELECT stage, count(*), min(tries), max(tries), bool_and(done_at IS NOT NULL) "
                                     "FROM stage_partitions GROUP BY stage ORDER BY stage")).all()
    assert [(e.stage, e.error_class) for e in errors] == [(f"fetch_feeds[{retried[0].map_index}]", "InternalError")]
    assert "try 1 (Airflow retries it)" in errors[0].reason and "refused once" in errors[0].reason
    assert {p.stage: p[1] for p in parts} == {"fetch_feeds": len(maps["fetch_feeds"]), "fetch_pages": len(maps["fetch_feeds"]),
                                              "find_claims": 3, "find_entities": 3}
    assert all(p[2] == p[3] == 1 and p[4] for p in parts)  # each done once

    before = _snapshot(engine)
    assert "success" in str(_dag_test_with_quick_retries().state)  # the night again: done partitions are not redone
    with engine.connect() as conn:
        tries = conn.execute(sa.text("SELECT stage, max(tries) FROM stage_partitions GROUP BY stage")).all()
    assert _snapshot(engine) == before and all(t[1] == 1 for t in tries)
