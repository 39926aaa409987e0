"""Benchmark: one night over the 12 real feeds (≈400 items) and the Arabic samples, stage by stage.

The real feeds of the corpus folder (``$NEWSETL_DATA_DIR/feeds/real``, default ../shared/data) are served on 127.0.0.1 (by ``etl.sampleserver``)
with their item links rewritten to the same server (nothing leaves the machine); each item page carries its title, its
feed summary and paragraphs of real article text (English and Arabic) so extraction, NER and
claims work on article-sized bodies. The run goes into a scratch database (the local
PostgreSQL, else the embedded one) that is dropped at the end. Prints seconds and items/s per
stage, and the row counts.

Run: ``.venv/bin/python bench/bench_pipeline.py``
"""

from __future__ import annotations

import argparse
import html
import os
import resource
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import sqlalchemy as sa

from etl.db import local_admin_url, make_engine, scratch_database, upgrade_schema
from etl.models import Source
from etl.pipeline import (
    make_run,
    run_claims,
    run_clusters,
    run_dedup,
    run_entities,
    run_fetch_feeds,
    run_fetch_pages,
    run_quality_checks,
)
from etl.sampleserver import serve_samples
from etl.settings import (
    PROJECT_ROOT,
    FetchSettings,
    PipelineSettings,
    Settings,
    StorageSettings,
    data_file,
)

BODY_SOURCES = [f"samples/pages/{n}.gold.txt" for n in ("cnn_001", "time_001", "wired_001", "arabic_article")]
BODY_SOURCES.append("samples/aleppo_strikes_ar.txt")


def _paragraphs() -> list[list[str]]:
    return [[p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40]
            for path in (data_file(os.environ, relative) for relative in BODY_SOURCES)]


def build_site(site: Path) -> list[str]:
    """Write the rewritten feeds and their item pages under ``site`` (links as ``{{BASE}}/…``,
    which ``etl.sampleserver`` fills in); return the feed paths."""
    pools = _paragraphs()
    feeds = []
    for n, feed_path in enumerate(sorted(data_file(os.environ, "feeds/real").glob("*.xml"))):
        parsed = feedparser.parse(feed_path.read_bytes())
        items = []
        for i, entry in enumerate(parsed.entries):
            link = entry.get("link") or f"item-{i}"
            path = f"pages/{n}/{i}-{urlsplit(link).path.strip('/').replace('/', '-')[:60] or 'index'}.html"
            pool = pools[(n + i) % len(pools)]
            chosen = [pool[(i + k) % len(pool)] for k in range(min(8, len(pool)))]
            title = html.escape(entry.get("title", ""))
            summary = html.escape(entry.get("summary", "")[:400])
            body = "".join(f"<p>{html.escape(p)}</p>" for p in chosen)
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(
                f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><nav>Home | World</nav>"
                f"<article><h1>{title}</h1><p>{summary}</p>{body}</article><footer>(c)</footer></body></html>",
                encoding="utf-8")
            items.append(f"<item><title>{title}</title><link>{{{{BASE}}}}/{path}</link>"
                         f"<guid>{html.escape(entry.get('id', link))}</guid>"
                         f"<pubDate>{entry.get('published', '')}</pubDate>"
                         f"<description>{summary}</description></item>")
        feeds.append(f"feeds/{feed_path.stem}.xml")
        (site / "feeds").mkdir(exist_ok=True)
        (site / feeds[-1]).write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
            f'{html.escape(parsed.feed.get("title", feed_path.stem))}</title>{"".join(items)}</channel></rss>',
            encoding="utf-8")
    return feeds


def _cpu_s() -> float:
    """Return CPU seconds (user + system) of this process and of its finished worker processes."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--workers", type=int, default=1, help="Processes for the NLP stages (entities, claims).")
    workers = args.parse_args().workers
    site = Path(tempfile.mkdtemp(prefix="newsetl-bench-site-"))
    feeds = build_site(site)
    admin = local_admin_url(PROJECT_ROOT / ".newsetl" / "bench-pg")
    with serve_samples(site=site) as server, scratch_database(admin, prefix="newsetl_bench") as url:
        base = server.base_url
        engine = make_engine(url)
        upgrade_schema(engine)
        settings = Settings(fetch=replace(FetchSettings(), allow_private_networks=True, per_host_delay_s=0.0,
                                          per_host_concurrency=8),
                            storage=StorageSettings(database_url=url),
                            pipeline=PipelineSettings(workers=workers))
        from etl import load

        run = make_run(date(2026, 2, 17))  # the night most of the saved feed items are from
        load.start_run(engine, run, code_version="bench")
        load.register_sources(engine, [Source(name=f"feed {Path(p).stem}", feeds=(f"{base}/{p}",)) for p in feeds])
        stages = [("fetch_feeds", run_fetch_feeds), ("fetch_pages", run_fetch_pages), ("dedup", run_dedup),
                  ("find_entities", run_entities), ("cluster_stories", run_clusters), ("find_claims", run_claims),
                  ("quality_checks", run_quality_checks)]
        print(f"{'stage':15} {'items':>6} {'written':>8} {'seconds':>8} {'items/s':>8} {'cpu s':>7} "
              f"{'cpu ms/item':>11}")
        total = total_cpu = 0.0
        for name, stage in stages:
            started, cpu = time.perf_counter(), _cpu_s()
            stats = stage(run, engine=engine, settings=settings)
            elapsed, cpu = time.perf_counter() - started, _cpu_s() - cpu
            total += elapsed
            total_cpu += cpu
            rate = stats.processed / elapsed if elapsed else 0
            per = 1000 * cpu / stats.processed if stats.processed else 0
            print(f"{name:15} {stats.processed:>6} {stats.written:>8} {elapsed:>8.2f} {rate:>8.1f} {cpu:>7.2f} "
                  f"{per:>11.1f}")
        with engine.connect() as conn:
            counts = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 - names below
                      for t in ("articles", "entity_mentions", "entities", "claims", "claim_quantities")}
            chars = conn.execute(sa.text("SELECT sum(length(full_text)) FROM articles")).scalar_one()
        print(f"{'total':15} {'':>6} {'':>8} {total:>8.2f} {'':>8} {total_cpu:>7.2f} "
              f"{1000 * total_cpu / counts['articles']:>11.1f}  (cpu ms per article; workers={workers})")
        print(f"rows: {counts}; analysed text: {chars:,} characters")
        engine.dispose()
    shutil.rmtree(site)


if __name__ == "__main__":
    main()
