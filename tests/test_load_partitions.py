"""Partition claims in stage_partitions: held by one worker at a time, redone after a kill, done once."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from etl import load, load_partitions
from etl.errors import PartitionHeldError
from etl.models import StageStats
from etl.pipeline import make_run
from etl.pipeline.partitions import host_shard, plan_partitions

RUN = make_run(date(2026, 11, 24))


@pytest.fixture
def run(engine):
    load.start_run(engine, RUN, code_version="test")
    return RUN


def _work(calls: list[str], name: str):
    def work() -> StageStats:
        calls.append(name)
        return StageStats(stage="fetch_feeds", processed=2, written=1)
    return work


def test_a_partition_another_worker_holds_is_refused_and_redone_after_that_worker_dies(engine, run):
    calls: list[str] = []
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO stage_partitions (run_id, stage, part) VALUES (:r, 'fetch_feeds', 'hosts 0/2')"),
                     {"r": run.run_id})
    other = engine.connect()  # another worker, mid-partition, holds the row
    other.begin()
    other.execute(sa.text("SELECT 1 FROM stage_partitions WHERE part = 'hosts 0/2' FOR UPDATE"))
    try:
        with pytest.raises(PartitionHeldError, match="being run by another worker"):
            load_partitions.run_claimed(engine, run, "fetch_feeds", "hosts 0/2", owner="w2", work=_work(calls, "w2"))
    finally:
        other.close()  # the worker is killed: its lock goes with its connection, nothing was marked done
    stats = load_partitions.run_claimed(engine, run, "fetch_feeds", "hosts 0/2", owner="w2", work=_work(calls, "w2"))
    assert calls == ["w2"] and stats is not None and stats.processed == 2


def test_a_done_partition_is_not_run_again_and_a_failed_one_stays_to_do(engine, run):
    calls: list[str] = []

    def failing() -> StageStats:
        calls.append("failed")
        raise RuntimeError("worker crashed")

    with pytest.raises(RuntimeError):
        load_partitions.run_claimed(engine, run, "find_claims", "ids 1-9 x", owner="w1", work=failing)
    assert load_partitions.partition_stats(engine, run, "find_claims", ["ids 1-9 x"]) == []
    first = load_partitions.run_claimed(engine, run, "find_claims", "ids 1-9 x", owner="w1", work=_work(calls, "ok"))
    again = load_partitions.run_claimed(engine, run, "find_claims", "ids 1-9 x", owner="w2", work=_work(calls, "again"))
    assert calls == ["failed", "ok"] and first is not None and again is None
    stored = load_partitions.partition_stats(engine, run, "find_claims", ["ids 1-9 x"])
    assert [s.as_dict() for s in stored] == [first.as_dict()]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT owner, tries FROM stage_partitions")).one() == ("w1", 1)


def test_a_hosts_feeds_share_one_shard_and_nothing_to_do_still_plans_one_partition(engine, settings, run):
    assert host_shard("http://Example.com/a/feed.xml", 8) == host_shard("https://example.com:8443/b", 8)
    assert plan_partitions("fetch_feeds", run, engine=engine, settings=settings) == ["hosts 0/1"]
    entities = plan_partitions("find_entities", run, engine=engine, settings=settings)
    assert len(entities) == 1 and entities[0].startswith("ids 0-0 ")


def _rss(links: list[tuple[str, str]]) -> bytes:
    items = "".join(f"<item><title>{t}</title><link>{link}</link><description>s</description></item>"
                    for t, link in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def _page(title: str) -> bytes:
    body = "".join(f"<p>{title} paragraph {i}: the council met on Tuesday and agreed the budget.</p>" for i in range(6))
    return f'<html lang="en"><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>'.encode()


def test_a_page_shard_retries_an_earlier_nights_failed_page_the_planner_only_looked_at(engine, settings):
    from httpserver import LocalServer

    from etl.models import Source
    from etl.pipeline import run_fetch_feeds, run_fetch_pages
    from etl.pipeline.partitions import run_partition

    night_a, night_b = make_run(date(2026, 11, 20)), RUN
    with LocalServer() as server:
        server.add("/a.xml", _rss([("a1", server.url("/a1"))]), content_type="application/rss+xml")
        server.add("/b.xml", _rss([("b1", server.url("/b1"))]), content_type="application/rss+xml")
        server.add("/b1", _page("b1"), content_type="text/html; charset=utf-8")
        server.add("/a1", status=503)  # down (transient): retried on a later night
        for run in (night_a, night_b):
            load.start_run(engine, run, code_version="test")
        load.register_sources(engine, [Source(name="a", feeds=(server.url("/a.xml"),))])
        run_fetch_feeds(night_a, engine=engine, settings=settings)
        run_fetch_pages(night_a, engine=engine, settings=settings)  # /a1 is down: failed, retried later
        load.register_sources(engine, [Source(name="b", feeds=(server.url("/b.xml"),))])
        run_fetch_feeds(night_b, engine=engine, settings=settings)
        server.add("/a1", _page("a1"), content_type="text/html; charset=utf-8")

        parts = plan_partitions("fetch_pages", night_b, engine=engine, settings=settings)
        with engine.connect() as conn:
            last = conn.execute(sa.text("SELECT updated_run_id FROM articles WHERE title = 'a1'")).scalar_one()
        stats = [run_partition("fetch_pages", night_b, p, engine=engine, settings=settings, owner="t") for p in parts]
    with engine.connect() as conn:
        status = dict(conn.execute(sa.text("SELECT title, page_status FROM articles")).all())
    assert parts == ["hosts 0/1"] and last == night_a.run_id  # planning claimed nothing
    assert sum(s.processed for s in stats) == 2 and status == {"a1": "ok", "b1": "ok"}
