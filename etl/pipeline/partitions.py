"""The partitioned stages as the DAG maps them: a plan of partitions, one task per partition, a total.

- ``fetch_feeds`` and ``fetch_pages``: feeds, or pending pages, whose host falls in one shard
  (``hosts 3/8``). All of a host's requests are in one shard, so per-host politeness (one request
  at a time, the delay, robots.txt) holds inside one task, whatever runs beside it.
- ``find_entities`` and ``find_claims``: a range of to-do article ids (``ids 101-300 <tag>``, the
  tag naming the analysis versions, so a model upgrade plans partitions of its own).

Each partition is claimed in ``stage_partitions`` (``load_partitions.run_claimed``): a retry or
a cleared task finds it done and does nothing; a killed worker's partition is still to do. The
work inside is the one-process code (``fetch_feeds_of``, ``fetch_pages_of``, ``run_id_range``),
whose writes are idempotent on their own, so a partition redone after a crash writes each row once.
``newsetl run`` runs the same ``partition_work`` for fetch_pages' host shards in its process pool
(``pages.run_fetch_pages``), without the ``stage_partitions`` claim: the night's lease already keeps
a second run out, and a rerun of the night must fetch the pages its own fetch_feeds just added.
"""

from __future__ import annotations

import math
import zlib
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from etl import load, load_analysis, load_partitions
from etl.errors import ConfigError, StageFailedError
from etl.models import Run, StageStats
from etl.pipeline.common import Progress, _finish
from etl.settings import Settings

MAPPED_STAGES = ("fetch_feeds", "fetch_pages", "find_entities", "find_claims")


def host_of(url: str) -> str:
    """Return the lower-case host name of ``url`` ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def host_shard(url: str, shards: int) -> int:
    """Return the shard (0 … shards-1) of ``url``'s host: stable across processes and machines."""
    return zlib.crc32(host_of(url).encode("utf-8")) % shards


def plan_partitions(stage: str, run: Run, *, engine: Engine, settings: Settings) -> list[str]:
    """Return the partitions of ``stage`` for this night, at least one (an empty one when nothing is to do:
    a mapped task over no partitions would skip every task after it)."""
    if stage in ("find_entities", "find_claims"):
        return _id_ranges(stage, run, engine=engine, settings=settings)
    return host_partitions(stage_urls(stage, run, engine=engine, settings=settings), settings.pipeline.partitions)


def host_partitions(urls: list[str], most: int) -> list[str]:
    """Return the host shards of ``urls`` (at most ``most``, at most one per host), only those with a URL."""
    shards = max(1, min(most, len({host_of(u) for u in urls})))
    used = sorted({host_shard(u, shards) for u in urls}) or [0]
    return [f"hosts {shard}/{shards}" for shard in used]


def run_partition(stage: str, run: Run, part: str, *, engine: Engine, settings: Settings, owner: str
                  ) -> StageStats:
    """Claim and run one partition of ``stage``; return its counts (a done partition's are its stored ones)."""
    stats = load_partitions.run_claimed(engine, run, stage, part, owner=owner,
                                        work=lambda: partition_work(stage, run, part, engine=engine, settings=settings))
    if stats is None:  # done before (a retry, a cleared task): nothing to do again
        stored = load_partitions.partition_stats(engine, run, stage, [part])
        return stored[0] if stored else StageStats(stage=stage)
    return stats


def total_partitions(stage: str, run: Run, parts: list[str], *, engine: Engine, settings: Settings) -> StageStats:
    """Add up the partitions' counts and record them as the stage's (failing on its error rate, like the CLI).

    Every planned partition must be done: a missing one means a task that did not really run.
    """
    done = load_partitions.partition_stats(engine, run, stage, parts)
    if len(done) != len(set(parts)):
        raise StageFailedError(f"{stage}: {len(set(parts)) - len(done)} of {len(set(parts))} partitions are not done")
    stats = StageStats(stage=stage)
    for part_stats in done:
        stats.add(part_stats)
    stats.extra["partitions"] = len(done)
    return _finish(engine, run, stats, settings)


def stage_urls(stage: str, run: Run, *, engine: Engine, settings: Settings) -> list[str]:
    """Return the URLs a fetch stage would fetch now (only a look: nothing is claimed)."""
    if stage == "fetch_feeds":
        return [feed.url for feed in load.active_feeds(engine)]
    if stage == "fetch_pages":
        # only look: each shard's task claims its own pages (a claim here would hide them from it)
        return [url for _, url in load.pending_pages(engine, run, max_attempts=settings.fetch.max_page_attempts,
                                                     claim=False)]
    raise ConfigError(f"{stage} is not a partitioned stage (one of {', '.join(MAPPED_STAGES)})")


def _id_ranges(stage: load_analysis.AnalysisStage, run: Run, *, engine: Engine, settings: Settings) -> list[str]:
    """Return ``partitions`` ranges of about equal numbers of to-do article ids."""
    from etl.pipeline import nlp

    tag = nlp.versions_tag()
    ids = nlp.todo_ids(run, stage, engine=engine)
    if not ids:
        return [f"ids 0-0 {tag}"]
    size = math.ceil(len(ids) / settings.pipeline.partitions)
    return [f"ids {ids[i]}-{ids[min(i + size, len(ids)) - 1]} {tag}" for i in range(0, len(ids), size)]


def partition_work(stage: str, run: Run, part: str, *, engine: Engine, settings: Settings,
                   progress: Progress = None) -> StageStats:
    """Do one partition's work with the one-process code of the stage (a DAG task's, or ``newsetl run``'s
    pool's; ``progress`` only for fetch_pages, in the caller's process)."""
    from etl.pipeline import nlp
    from etl.pipeline.feeds import fetch_feeds_of
    from etl.pipeline.pages import fetch_pages_of

    kind, _, rest = part.partition(" ")
    if kind == "hosts":
        shard, shards = (int(n) for n in rest.split("/"))
        if stage == "fetch_feeds":
            feeds = [f for f in load.active_feeds(engine) if host_shard(f.url, shards) == shard]
            return fetch_feeds_of(run, feeds, engine=engine, settings=settings)
        pending = load.pending_pages(engine, run, max_attempts=settings.fetch.max_page_attempts,
                                     keep=lambda url: host_shard(url, shards) == shard)
        return fetch_pages_of(run, pending, engine=engine, settings=settings, progress=progress)
    first, last = (int(n) for n in rest.split(" ")[0].split("-"))
    if stage not in ("find_entities", "find_claims"):
        raise ConfigError(f"partition {part!r} is not one of {stage}'s")
    return nlp.run_id_range(run, stage, first, last, engine=engine, settings=settings)  # type: ignore[arg-type]
