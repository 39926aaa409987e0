"""Store functions of the mapped stages' partitions (table ``stage_partitions``).

A mapped task claims its partition's row with ``SELECT … FOR UPDATE SKIP LOCKED`` and keeps
the row locked, on a connection of its own, for as long as it works; the row is marked done
with the partition's counts in that same transaction. So two live workers never run the same
partition (the second is told it is held), a worker that dies loses its lock with its
connection (the partition is still to do and its retry runs it), and a retry or a cleared task
finds the partition done and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine

from etl.db import table
from etl.errors import PartitionHeldError
from etl.models import Run, StageStats


def run_claimed(engine: Engine, run: Run, stage: str, part: str, *, owner: str,
                work: Callable[[], StageStats]) -> StageStats | None:
    """Run ``work`` holding the partition's lock and mark it done with its stats; None when already done.

    Raises ``PartitionHeldError`` when another worker holds the partition right now (a retry
    while a presumed-dead worker still runs): retrying later finds it done, or free.
    Whatever ``work`` raises rolls the claim back: the partition stays to do.
    """
    t = table(engine, "stage_partitions")
    key = (t.c.run_id == run.run_id) & (t.c.stage == stage) & (t.c.part == part)
    with engine.begin() as conn:
        conn.execute(insert(t).values(run_id=run.run_id, stage=stage, part=part).on_conflict_do_nothing())
    with engine.connect() as lock, lock.begin():
        row = lock.execute(sa.select(t.c.done_at).where(key).with_for_update(skip_locked=True)).first()
        if row is None:
            raise PartitionHeldError(f"{stage} partition {part} of {run.run_id} is being run by another worker")
        if row.done_at is not None:
            return None
        stats = work()
        lock.execute(sa.update(t).where(key).values(done_at=datetime.now(UTC), owner=owner, tries=t.c.tries + 1,
                                                    stats=stats.as_dict()))
    return stats


def partition_stats(engine: Engine, run: Run, stage: str, parts: Sequence[str]) -> list[StageStats]:
    """Return the stored stats of the done partitions among ``parts`` (the others are missing)."""
    t = table(engine, "stage_partitions")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.stats).where(
            t.c.run_id == run.run_id, t.c.stage == stage, t.c.part.in_(list(parts)),
            t.c.done_at.is_not(None)).order_by(t.c.part)).all()
    return [StageStats.from_dict(r.stats) for r in rows]
