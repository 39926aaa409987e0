"""Per-article cost of the dedup and cluster stages as the history grows (issue 13).

A night of real-text articles (paragraphs of the bundled Arabic and English samples, recombined
so each article is new, with a copy of every fifth one) is deduplicated and clustered against
10k, 100k (and, with --million, 1M) synthetic history rows: random MinHash signatures, their LSH
bands, publication times spread over 90 days. The target: the per-article time at 1M within
1.5× of 10k, and flat Python memory (tracemalloc peak of the two stages). Runs in a scratch
database (the local server, else the embedded one).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from etl import load
from etl.db import local_admin_url, make_engine, scratch_database, upgrade_schema
from etl.dedup import normalise_url
from etl.models import Run, Source
from etl.pipeline.stories import run_clusters, run_dedup
from etl.settings import PROJECT_ROOT, Settings, StorageSettings

NIGHT = 300
SAMPLES = [PROJECT_ROOT / "tests" / "fixtures" / "pages" / n for n in ("aleppo_strikes_ar.txt", "en_article_boxes.gold.txt")]

_HISTORY = [
    sa.text("""INSERT INTO articles (url, url_key, source_id, title, body, language, published_at, run_id,
                                     dedup_version, cluster_version, cluster_id, minhash, shingle_count, title_key)
               SELECT 'https://hist.example/' || g, 'hist.example/' || g, :source, 'title ' || g, NULL, 'ar',
                      timestamptz '2026-08-01' + (g % 129600) * interval '1 minute', :run, :version, :cversion, g,
                      decode(repeat(lpad(to_hex((random() * 2147483647)::int), 8, '0'), 96), 'hex'), 400,
                      'w' || (g % 5000) || ' w' || (g % 7919)
                 FROM generate_series(1, :n) g"""),
    sa.text("""INSERT INTO article_lsh_bands (band, hash, article_id)
               SELECT b, (random() * 9.2e18)::bigint, a.id FROM articles a, generate_series(0, 31) b"""),
    sa.text("ANALYZE articles"), sa.text("ANALYZE article_lsh_bands"),
]


def _night_rows(feed_id: int, source_id: int, seed: int) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    paragraphs = [p for f in SAMPLES for p in f.read_text(encoding="utf-8").split("\n") if len(p.split()) > 8]
    rows, at = [], datetime(2026, 11, 20, tzinfo=UTC)
    for i in range(NIGHT):
        body = "\n".join(rng.sample(paragraphs, 6)) if i % 5 != 1 else rows[-1]["body"] + "\nاقرأ أيضا: خبر آخر"
        url = f"https://night.example/{seed}/{i}"
        rows.append({"url": url, "url_key": normalise_url(url), "source_id": source_id, "feed_id": feed_id,
                     "title": " ".join(body.split()[:6]), "body": body, "language": "ar",
                     "published_at": at + timedelta(minutes=i), "body_source": "page", "page_status": "ok"})
    return rows


def measure(admin: str, history: int) -> tuple[float, float, int]:
    """Return (ms per article for dedup, for clusters, peak Python bytes) with ``history`` rows."""
    from etl.clusters import CLUSTERS_VERSION
    from etl.dedup import DEDUP_VERSION

    with scratch_database(admin, prefix="newsetl_bench_dedup") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        settings = Settings(storage=StorageSettings(database_url=url))
        run = Run(run_id="bench-dedup", logical_date=date(2026, 11, 20))
        load.start_run(engine, run, code_version="bench")
        load.register_sources(engine, [Source(name="bench", feeds=("https://night.example/feed.xml",))])
        feed = load.active_feeds(engine)[0]
        with engine.begin() as conn:
            for stmt in _HISTORY:
                conn.execute(stmt, {"n": history, "source": feed.source_id, "run": run.run_id,
                                    "version": DEDUP_VERSION, "cversion": CLUSTERS_VERSION})
            load.insert_feed_articles(conn, run, _night_rows(feed.id, feed.source_id, history))
        tracemalloc.start()
        t0 = time.perf_counter()
        run_dedup(run, engine=engine, settings=settings)
        t1 = time.perf_counter()
        run_clusters(run, engine=engine, settings=settings)
        t2 = time.perf_counter()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        engine.dispose()
    return (t1 - t0) * 1000 / NIGHT, (t2 - t1) * 1000 / NIGHT, peak


def main() -> None:
    sizes = [10_000, 100_000] + ([1_000_000] if "--million" in sys.argv else [])
    admin = local_admin_url(PROJECT_ROOT / ".newsetl" / "bench-pg")
    print(f"night of {NIGHT} real-text articles against synthetic history (32 LSH bands per row)")
    print(f"{'history':>10} {'dedup ms/article':>17} {'cluster ms/article':>19} {'peak MB':>8}")
    base = None
    for n in sizes:
        dedup_ms, cluster_ms, peak = measure(admin, n)
        base = base or dedup_ms + cluster_ms
        print(f"{n:>10,} {dedup_ms:>17.2f} {cluster_ms:>19.2f} {peak / 1e6:>8.1f}"
              f"   ({(dedup_ms + cluster_ms) / base:.2f}× of 10k)")


if __name__ == "__main__":
    main()
