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
