"""Benchmark: one whole night over a generated news site, with one worker and with two (issue 12).

The site (``bench_site``: N feeds over M hosts, Arabic and English pages of real text at real-page
weight, 10 % exact and 10 % near copies) is served by another process on 127.0.0.1, politeness
off. Each ``--workers`` value runs the night's stages (``etl.pipeline.night.STAGES``, what
``newsetl run --workers N`` runs) in a fresh scratch database (the local PostgreSQL, else the
embedded one) and prints, side by side:

- per stage: wall seconds, and CPU milliseconds per article of the runner (this process and its
  worker processes) and of the PostgreSQL backends serving the database (read from /proc every
  0.2 s, so a backend that lives less than that is missed);
- end to end: articles/s, CPU per article, and that CPU ÷ ``trafilatura.extract`` alone on the
  same pages (target ≤ 2.5×);
- load rate (``--workers 1`` run): rows of the night's tables ÷ the time the pipeline spent in
  write statements and commits, against a raw ``COPY`` of the same rows into empty tables of the
  same definition (indexes, checks and generated columns included; target ≥ 0.5);
- peak resident memory of the runner (and, separately, of its largest worker process).

``--large``: one night of 100,000 articles with ``--workers 2`` for the peak memory (target
< 1.5 GB; an hour or more). The dedup and cluster cost against 10k/100k/1M of history is
``bench/bench_dedup.py``.

Run: ``.venv/bin/python bench/bench_pipeline.py [--articles 800] [--workers 1,2]``
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import Site, SiteServer  # noqa: E402 - the bench folder is not a package

from etl import load  # noqa: E402
from etl.db import local_admin_url, make_engine, scratch_database, upgrade_schema  # noqa: E402
from etl.models import Source  # noqa: E402
from etl.pipeline import make_run  # noqa: E402
from etl.pipeline.night import STAGES  # noqa: E402
from etl.settings import PROJECT_ROOT, FetchSettings, PipelineSettings, Settings, StorageSettings  # noqa: E402

BENCH_STAGES = [s for s in STAGES if s != "write_report"]
COUNTED = ("articles", "raw_documents", "entities", "entity_mentions", "claims", "claim_quantities",
           "article_story_keys", "story_terms", "feed_fetches")
"""The tables a night fills, whose rows the load rate counts and the raw COPY loads again."""


def _runner_cpu_s() -> float:
    """Return CPU seconds (user + system) of this process and of its finished worker processes."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class BackendCpu:
    """CPU seconds of the PostgreSQL backends serving one database, sampled from /proc in a thread.

    A backend's counters vanish when it exits (a worker process's connection), so each pid's last
    reading is kept; the sum of those is the database's CPU so far.
    """

    def __init__(self, database: str, every_s: float = 0.2) -> None:
        self.needle = f" {database} ".encode()
        self.every_s = every_s
        self.last: dict[int, float] = {}
        self.others: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> BackendCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            self.sample()

    def sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or (pid := int(entry.name)) in self.others:
                continue
            try:
                if pid not in self.last:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") + b" "
                    if self.needle not in cmdline:
                        self.others.add(pid)
                        continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended, or not ours to read
                continue
            self.last[pid] = (int(fields[11]) + int(fields[12])) / self.tick

    def total_s(self) -> float:
        self.sample()
        return sum(self.last.values())


class WriteClock:
    """Seconds the pipeline spends in write statements and commits on one engine (this process only)."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "COPY")

    def __init__(self, engine: sa.Engine) -> None:
        self.seconds = 0.0
        self.statements = 0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)
        commit = engine.dialect.do_commit

        def timed_commit(dbapi_connection: object) -> None:
            started = time.perf_counter()
            commit(dbapi_connection)
            self.seconds += time.perf_counter() - started

        engine.dialect.do_commit = timed_commit  # type: ignore[method-assign]

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        head = statement.lstrip().upper()
        if head.startswith(self.WRITES) or (head.startswith("WITH") and any(w in head for w in self.WRITES[:3])):
            self.seconds += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
            self.statements += 1


@dataclass
class Night:
    workers: int
    articles: int = 0
    stages: dict[str, tuple[int, float, float, float]] = field(default_factory=dict)
    """stage -> (items, wall s, runner CPU s, PostgreSQL CPU s)."""
    rows: dict[str, int] = field(default_factory=dict)
    write_s: float = 0.0
    copy_s: float = 0.0
    peak_mb: float = 0.0
    peak_child_mb: float = 0.0

    @property
    def wall_s(self) -> float:
        return sum(s[1] for s in self.stages.values())

    @property
    def cpu_s(self) -> float:
        return sum(s[2] + s[3] for s in self.stages.values())


_CLUSTERS = sa.text("""
    SELECT a.url, c.url AS cluster, d.url AS copy_of FROM articles a
      JOIN articles c ON c.id = a.cluster_id LEFT JOIN articles d ON d.id = a.duplicate_of ORDER BY a.url""")


def run_night(site: Site, workers: int, admin: str, *, measure_load: bool, dump: Path | None = None) -> Night:
    """Run the night's stages on ``site`` in a scratch database; return what was measured.

    ``dump``: write each article's cluster and original (by URL) there, to check that a change
    leaves the rows as they were."""
    night = Night(workers)
    with scratch_database(admin, prefix="newsetl_bench") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        settings = Settings(fetch=replace(FetchSettings(), allow_private_networks=True, per_host_delay_s=0.0,
                                          per_host_concurrency=8, connect_to=site.connect_to()),
                            storage=StorageSettings(database_url=url),
                            pipeline=PipelineSettings(workers=workers))
        run = make_run(site.night.date())
        load.start_run(engine, run, code_version="bench")
        load.register_sources(engine, [Source(name=f"bench feed {i}", feeds=(u,))
                                       for i, u in enumerate(site.feed_urls())])
        clock = WriteClock(engine) if measure_load else None
        with BackendCpu(engine.url.database or "") as db:
            for name in BENCH_STAGES:
                started, cpu, db_cpu = time.perf_counter(), _runner_cpu_s(), db.total_s()
                stats = STAGES[name](run, engine=engine, settings=settings)
                night.stages[name] = (stats.processed, time.perf_counter() - started, _runner_cpu_s() - cpu,
                                      db.total_s() - db_cpu)
                print(f"  workers={workers} {name}: {stats.processed} items, {night.stages[name][1]:.1f} s",
                      flush=True)
        with engine.connect() as conn:
            night.rows = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 - names above
                          for t in COUNTED}
            night.rows["clusters"] = conn.execute(sa.text("SELECT count(DISTINCT cluster_id) FROM articles")).scalar()
            if dump is not None:
                dump.write_text("".join(f"{r.url} {r.cluster} {r.copy_of}\n" for r in conn.execute(_CLUSTERS)))
        night.articles = night.rows["articles"]
        if clock is not None:
            night.write_s = clock.seconds
            night.copy_s = raw_copy_s(engine)
        engine.dispose()
    night.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    night.peak_child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return night


def raw_copy_s(engine: sa.Engine) -> float:
    """Return the seconds a raw COPY takes to load the night's rows into empty tables of the same definition.

    The rows are copied out first (not timed); the tables are created with ``LIKE … INCLUDING ALL``
    (indexes, checks, defaults, generated columns), in a schema of their own, logged like the real ones.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("CREATE SCHEMA bench_copy")
        dumps = {}
        for table in COUNTED:
            cursor.execute("SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) "
                           "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
                           "AND is_generated = 'NEVER'", (table,))
            columns = cursor.fetchone()[0]
            buffer = io.BytesIO()
            cursor.copy_expert(f"COPY public.{table} ({columns}) TO STDOUT", buffer)
            cursor.execute(f"CREATE TABLE bench_copy.{table} (LIKE public.{table} INCLUDING ALL)")
            dumps[table] = (columns, buffer.getvalue())
        raw.commit()
        started = time.perf_counter()
        for table, (columns, data) in dumps.items():
            cursor.copy_expert(f"COPY bench_copy.{table} ({columns}) FROM STDIN", io.BytesIO(data))
        raw.commit()
        return time.perf_counter() - started
    finally:
        raw.close()


def trafilatura_cpu_s(site: Site, sample: int) -> tuple[float, int]:
    """Return the CPU seconds ``trafilatura.extract`` alone takes on (a sample of) the site's pages."""
    import trafilatura

    numbers = range(0, site.articles, max(1, site.articles // sample))
    pages = [site.page_html(n).decode() for n in numbers]
    trafilatura.extract(pages[0])  # imports and first-call setup are not per page
    started = time.process_time()
    for page in pages:
        trafilatura.extract(page)
    return time.process_time() - started, len(pages)


def report(nights: list[Night], site: Site, extract_ms: float) -> None:
    """Print the night's table: per stage, then end to end, the baselines and memory."""
    head = "".join(f" | {f'workers={n.workers}':>28}" for n in nights)
    print(f"\n{site.articles} articles, {site.feeds} feeds over {site.hosts} hosts, pages 30-100 KB")
    print(f"{'stage':16}{head}")
    print(f"{'':16}" + "".join(f" | {'wall s':>7} {'run ms/a':>9} {'pg ms/a':>8}" for _ in nights))
    for name in BENCH_STAGES:
        cells = []
        for n in nights:
            _, wall, cpu, db = n.stages[name]
            cells.append(f" | {wall:>7.2f} {1000 * cpu / n.articles:>9.1f} {1000 * db / n.articles:>8.1f}")
        print(f"{name:16}" + "".join(cells))
    for label, value in [
        ("articles/s", lambda n: f"{n.articles / n.wall_s:.1f}  (target >= 30)"),
        ("CPU s/article", lambda n: f"{n.cpu_s / n.articles:.4f}"),
        ("÷ trafilatura", lambda n: f"{1000 * n.cpu_s / n.articles / extract_ms:.1f}x  (target <= 2.5x)"),
        ("peak RSS MB", lambda n: f"{n.peak_mb:.0f} runner, {n.peak_child_mb:.0f} worker"),
    ]:
        print(f"{label:16}" + "".join(f" | {value(n):>28}" for n in nights))
    print(f"trafilatura.extract alone: {extract_ms:.1f} ms CPU per page")
    for n in nights:
        if n.copy_s:
            rows = sum(v for k, v in n.rows.items() if k in COUNTED)
            print(f"load rate (workers={n.workers}): {rows:,} rows; pipeline {rows / n.write_s:,.0f} rows/s of write "
                  f"time ({n.write_s:.2f} s), raw COPY {rows / n.copy_s:,.0f} rows/s ({n.copy_s:.2f} s): "
                  f"ratio {n.copy_s / n.write_s:.2f}  (target >= 0.5)")
            print(f"rows: {n.rows}")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--articles", type=int, default=800)
    args.add_argument("--feeds", type=int, default=40)
    args.add_argument("--hosts", type=int, default=8)
    args.add_argument("--workers", default="1,2", help="Comma-separated worker counts, one night each.")
    args.add_argument("--dump", type=Path, help="Write the first night's clusters and copies (by URL) to this file.")
    args.add_argument("--large", action="store_true", help="One 100,000-article night, --workers 2: peak memory.")
    opts = args.parse_args()
    if opts.large:
        opts.articles, opts.feeds, opts.hosts, opts.workers = 100_000, 2000, 200, "2"
    site = Site(articles=opts.articles, feeds=opts.feeds, hosts=opts.hosts)
    admin = local_admin_url(PROJECT_ROOT / ".newsetl" / "bench-pg")
    with SiteServer(site):
        nights = [run_night(site, int(w), admin, measure_load=int(w) == 1, dump=opts.dump if i == 0 else None)
                  for i, w in enumerate(opts.workers.split(","))]
    cpu, pages = trafilatura_cpu_s(site, sample=min(site.articles, 400))
    report(nights, site, 1000 * cpu / pages)


if __name__ == "__main__":
    main()
