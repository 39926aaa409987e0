"""One process pool for every partitioned stage ``newsetl run`` runs: partitions over ``workers`` processes.

The NLP stages map id batches over it, ``fetch_pages`` its host shards; each partition runs the
same function it runs in this process (or in a DAG task), so two workers write exactly the rows
one would.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import TypeVar

from sqlalchemy.engine import Engine

from etl.db import make_engine

P = TypeVar("P")
R = TypeVar("R")

Work = Callable[..., R]
"""``work(part, engine=engine)``: a module-level function, or a ``functools.partial`` of one
(a pool process gets it pickled)."""


def map_partitions(work: Work[R], parts: Sequence[P], *, engine: Engine, workers: int) -> Iterator[tuple[P, R]]:
    """Yield each partition with what ``work`` returned for it, in order; over ``workers`` processes when
    more than one.

    Workers are spawned, not forked: the caller may be an Airflow task with threads and open
    connections, which a fork would copy. Each worker opens its own engine on the same URL and
    keeps it for its next partitions. A worker's exception (or death) is raised here, at its
    partition's turn, so the stage fails as it would in one process.
    """
    workers = min(workers, len(parts))
    if workers <= 1:
        for part in parts:
            yield part, work(part, engine=engine)
        return
    url = engine.url.render_as_string(hide_password=False)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [pool.submit(_in_worker, work, part, url) for part in parts]
        for part, future in zip(parts, futures, strict=True):
            yield part, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@lru_cache(maxsize=2)
def _worker_engine(url: str) -> Engine:
    return make_engine(url)


def _in_worker(work: Work[R], part: P, url: str) -> R:
    """Run one partition in a pool process, on the process's engine."""
    return work(part, engine=_worker_engine(url))
