"""Per-article cost of the dedup and cluster stages as the history grows (issue 13).

A night of 300 real-text articles (paragraphs of the bundled Arabic and English samples,
recombined so each article is new, with a copy of every fifth one) is deduplicated, its entities
found by the real stage, and clustered, against 10k, 100k and (with --million) 1M synthetic history
rows. The history is what a long-running database holds, made in the server with one
INSERT … SELECT per table (no row crosses the client; indexes of the band table built after the
load): random MinHash signatures and their 32 LSH bands; titles drawn from the night's own title
words (a skewed draw, so common words such as "the" or "على" are in many titles) and four entity
mentions per row drawn from the night's entities and 2,000 others (skewed the same way), and
the story keys (title words, entity keys) a clustered article has. The
history arrives at a constant 1,000 articles a day ending on the night, as a growing archive
does, so the ±2-day story window holds the same number of articles at every size and only the
size of the history changes.

Each size runs in its own process; memory is the peak resident set (VmHWM, reset before each
stage) of that process during the stage. The night is run three times (reset in between) and the
fastest time of each stage is kept: the machine is shared, and other work only adds time. Target: per-article time at 1M within 1.5× of 10k,
memory flat. Then EXPLAIN ANALYZE of the story views' lookups (one cluster, one story), with
and without the expression indexes of revision 0010. Runs in a scratch database (the local
server, else the embedded one).
"""

from __future__ import annotations

import json
import os
import random
import subprocess  # noqa: S404 - runs this same script for one size
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from etl import load
from etl.db import local_admin_url, make_engine, scratch_database, upgrade_schema
from etl.dedup import normalise_url, title_words
from etl.models import Run, Source
from etl.pipeline.nlp import run_entities
from etl.pipeline.stories import run_clusters, run_dedup
from etl.settings import PROJECT_ROOT, Settings, StorageSettings

NIGHT = 300
REPEATS = 3
"""The night is deduplicated and clustered this many times (reset in between); the fastest run is
reported, since other work on the shared machine only ever adds time."""
PER_DAY = 1000
NIGHT_AT = datetime(2026, 11, 20, tzinfo=UTC)
SAMPLES = {"ar": PROJECT_ROOT / "tests" / "fixtures" / "pages" / "aleppo_strikes_ar.txt",
           "en": PROJECT_ROOT / "tests" / "fixtures" / "pages" / "en_article_boxes.gold.txt"}

_HISTORY = sa.text("""
    INSERT INTO articles (url, url_key, source_id, title, body, language, published_at, run_id, dedup_version,
                          cluster_version, cluster_id, minhash, shingle_count, title_key, entities_version, nlp_version)
    SELECT 'https://hist.example/' || g, 'hist.example/' || g, :source, 'title ' || g, NULL, 'ar',
           CAST(:night AS timestamptz) - (:n - g + 1) * (interval '1 day' / :per_day), :run, :version, :cversion, g,
           decode(repeat(lpad(to_hex((random() * 2147483647)::int), 8, '0'), 96), 'hex'), 400,
           (SELECT string_agg(DISTINCT (CAST(:words AS text[]))[1 + floor(cardinality(CAST(:words AS text[]))
                                        * power(random(), 3))::int], ' ')
              FROM generate_series(1, 6 + 0 * g)),
           :model, 'bench'
      FROM generate_series(1, :n) g""")
_BANDS = [
    sa.text("ALTER TABLE article_lsh_bands DROP CONSTRAINT article_lsh_bands_pkey"),
    sa.text("DROP INDEX article_lsh_bands_article_idx"),
    sa.text("""INSERT INTO article_lsh_bands (band, hash, article_id)
               SELECT b, (random() * 9.2e18)::bigint, a.id FROM articles a, generate_series(0, 31) b
                WHERE a.id <= :n"""),
    sa.text("ALTER TABLE article_lsh_bands ADD PRIMARY KEY (band, hash, article_id)"),
    sa.text("CREATE INDEX article_lsh_bands_article_idx ON article_lsh_bands (article_id)"),
]
_ENTITIES = [
    sa.text("""INSERT INTO entities (key, canonical_name, type, norm_key, model_version, run_id)
               SELECT 'PER:bench' || g, 'bench ' || g, 'PER', 'bench' || g, 'bench', :run
                 FROM generate_series(1, 2000) g"""),
    sa.text("""INSERT INTO entity_mentions (article_id, entity_id, start_char, end_char, surface, label,
                                            model_version, run_id)
               SELECT a.id, p.ids[1 + floor(cardinality(p.ids) * power(random(), 3))::int], k * 10, k * 10 + 5,
                      'x', 'PER', 'bench', :run
                 FROM articles a, generate_series(0, 3) k,
                      (SELECT array_agg(id ORDER BY id) AS ids FROM entities) p
                WHERE a.id <= :n
               ON CONFLICT DO NOTHING"""),
    sa.text("ALTER TABLE article_story_keys DROP CONSTRAINT article_story_keys_pkey"),
    sa.text("DROP INDEX article_story_keys_article_idx"),
    sa.text("""INSERT INTO article_story_keys (key, at, article_id)
               SELECT 't:' || w, a.published_at, a.id FROM articles a, unnest(string_to_array(a.title_key, ' ')) w
                WHERE a.id <= :n
               UNION ALL
               SELECT DISTINCT 'e:' || e.key, a.published_at, a.id
                 FROM articles a JOIN entity_mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id
                WHERE a.id <= :n"""),
    sa.text("ALTER TABLE article_story_keys ADD PRIMARY KEY (key, at, article_id)"),
    sa.text("CREATE INDEX article_story_keys_article_idx ON article_story_keys (article_id)"),
]
_RESET_NIGHT = [
    sa.text("DELETE FROM article_lsh_bands WHERE article_id > :n"),
    sa.text("DELETE FROM article_story_keys WHERE article_id > :n"),
    sa.text("""UPDATE articles SET dedup_version = NULL, cluster_version = NULL, cluster_id = NULL,
                                  duplicate_of = NULL, duplicate_reason = NULL, duplicate_similarity = NULL
                WHERE id > :n"""),
]
_PLANS = {
    "one cluster": "SELECT * FROM story_cluster_articles WHERE cluster_id = :id",
    "its summary": "SELECT * FROM story_clusters WHERE cluster_id = :id",
    "one story": "SELECT * FROM story_cluster_articles WHERE copy_of = :id",
}


def _night_rows(feed_id: int, source_id: int, seed: int) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    paragraphs = {lang: [p for p in f.read_text(encoding="utf-8").split("\n") if len(p.split()) > 8]
                  for lang, f in SAMPLES.items()}
    rows: list[dict] = []
    for i in range(NIGHT):
        lang = "ar" if i % 2 == 0 else "en"
        if i % 5 == 1:  # a copy of the one before, with a "read also" line
            body, lang = rows[-1]["body"] + "\nاقرأ أيضا: خبر آخر", rows[-1]["language"]
        else:
            body = "\n".join(rng.sample(paragraphs[lang], min(6, len(paragraphs[lang]))))
        url = f"https://night.example/{seed}/{i}"
        rows.append({"url": url, "url_key": normalise_url(url), "source_id": source_id, "feed_id": feed_id,
                     "title": " ".join(body.split()[:8]), "body": body, "language": lang,
                     "published_at": NIGHT_AT + timedelta(minutes=i), "body_source": "page", "page_status": "ok"})
    return rows


def _peak_rss_reset() -> None:
    """Reset the process's peak resident set (VmHWM), so the next reading is one stage's peak."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _db_cpu_s(database: str) -> float:
    """Return the CPU seconds used so far by the PostgreSQL backends serving ``database``."""
    total = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if f" {database} ".encode() not in (proc / "cmdline").read_bytes().replace(b"\0", b" ") + b" ":
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended, or is not ours to read
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _timed(stage, run: Run, engine: sa.Engine, settings: Settings) -> tuple[float, float, float]:
    """Return (wall ms, CPU ms of this process and its PostgreSQL backends, per night article; peak RSS MB)."""
    database = engine.url.database or ""
    _peak_rss_reset()
    t0, c0, d0 = time.perf_counter(), time.process_time(), _db_cpu_s(database)
    stage(run, engine=engine, settings=settings)
    cpu = time.process_time() - c0 + _db_cpu_s(database) - d0
    return (time.perf_counter() - t0) * 1000 / NIGHT, cpu * 1000 / NIGHT, _peak_rss_mb()


def _build_history(engine: sa.Engine, run: Run, source_id: int, night: list[dict], history: int) -> float:
    """Insert ``history`` synthetic rows (server side); return the seconds it took."""
    from etl import ner
    from etl.clusters import CLUSTERS_VERSION
    from etl.dedup import DEDUP_VERSION

    words = sorted({w for r in night for w in title_words(r["title"])})
    t0 = time.perf_counter()
    with engine.begin() as conn:
        # Synthetic rows are consistent by construction: skip the per-row foreign-key triggers.
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(_HISTORY, {"n": history, "source": source_id, "run": run.run_id, "version": DEDUP_VERSION,
                                "cversion": CLUSTERS_VERSION, "words": words, "night": NIGHT_AT,
                                "per_day": PER_DAY, "model": ner.MODEL_VERSION})
        for stmt in _BANDS:
            conn.execute(stmt, {"n": history})
    return time.perf_counter() - t0


def _add_history_entities(engine: sa.Engine, run: Run, history: int) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for stmt in _ENTITIES:
            conn.execute(stmt, {"n": history, "run": run.run_id})
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(sa.text("VACUUM ANALYZE"))


def _plans(engine: sa.Engine, cluster_id: int) -> dict[str, str]:
    """Return, per view lookup, the plan's first line and execution time, with and without 0010's indexes."""
    out = {}
    for label, query in _PLANS.items():
        for indexed in (True, False):
            with engine.connect() as conn:
                trans = conn.begin()
                if not indexed:  # rolled back below: the plan a database without revision 0010 gets
                    conn.execute(sa.text("DROP INDEX articles_story_cluster_idx, articles_story_copy_idx"))
                lines = [r[0] for r in conn.execute(sa.text("EXPLAIN (ANALYZE, COSTS OFF) " + query),
                                                    {"id": cluster_id})]
                trans.rollback()
            scans = sorted({ln.strip().removeprefix("-> ").split("  (")[0] for ln in lines
                            if " Scan " in ln and " on articles " in ln})
            total = next(ln for ln in lines if ln.startswith("Execution Time"))
            out[f"{label} ({'0010' if indexed else 'no 0010'})"] = f"{total}; articles read by: {'; '.join(scans)}"
    return out


def measure(admin: str, history: int) -> dict:
    """Return the per-article times, peak RSS and view plans with ``history`` rows."""
    with scratch_database(admin, prefix="newsetl_bench_dedup") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        settings = Settings(storage=StorageSettings(database_url=url))
        run = Run(run_id="bench-dedup", logical_date=NIGHT_AT.date())
        load.start_run(engine, run, code_version="bench")
        load.register_sources(engine, [Source(name="bench", feeds=("https://night.example/feed.xml",))])
        feed = load.active_feeds(engine)[0]
        night = _night_rows(feed.id, feed.source_id, history)
        build_s = _build_history(engine, run, feed.source_id, night, history)
        with engine.begin() as conn:
            load.insert_feed_articles(conn, run, night)
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.text("VACUUM ANALYZE"))
        first = _timed(run_dedup, run, engine, settings)
        run_entities(run, engine=engine, settings=settings)  # not timed: the NLP stage, between the two
        t0 = time.perf_counter()
        _add_history_entities(engine, run, history)
        build_s += time.perf_counter() - t0
        runs = [(first, _timed(run_clusters, run, engine, settings))]
        for _ in range(REPEATS - 1):
            with engine.begin() as conn:
                for stmt in _RESET_NIGHT:
                    conn.execute(stmt, {"n": history})
            runs.append((_timed(run_dedup, run, engine, settings), _timed(run_clusters, run, engine, settings)))
        best = {f"{name}_{what}": min(r[i][j] for r in runs) for i, name in enumerate(("dedup", "cluster"))
                for j, what in enumerate(("ms", "cpu_ms"))}
        best |= {f"{name}_mb": max(r[i][2] for r in runs) for i, name in enumerate(("dedup", "cluster"))}
        with engine.connect() as conn:
            biggest = conn.execute(sa.text(
                "SELECT cluster_id FROM articles WHERE id > :n GROUP BY cluster_id ORDER BY count(*) DESC, 1 LIMIT 1"),
                {"n": history}).scalar_one()
            joined = conn.execute(sa.text("SELECT count(*) FROM articles WHERE id > :n AND cluster_id <= :n"),
                                  {"n": history}).scalar_one()
        plans = _plans(engine, biggest)
        engine.dispose()
    return {"history": history, **best, "build_s": build_s, "joined_history": joined, "plans": plans}


def main() -> None:
    admin = local_admin_url(PROJECT_ROOT / ".newsetl" / "bench-pg")
    if "--one" in sys.argv:
        print(json.dumps(measure(admin, int(sys.argv[sys.argv.index("--one") + 1]))))
        return
    sizes = [10_000, 100_000] + ([1_000_000] if "--million" in sys.argv else [])
    print(f"night of {NIGHT} real-text articles against synthetic history ({PER_DAY:,} a day, 32 LSH bands "
          "and 4 entity mentions per row); each size in its own process")
    print("wall ms and CPU ms (this process + its PostgreSQL backends) per night article, fastest of "
          f"{REPEATS} runs; peak RSS of the process during the stage")
    print(f"{'history':>10} {'dedup wall':>10} {'dedup CPU':>9} {'cluster wall':>12} {'cluster CPU':>11} "
          f"{'dedup RSS MB':>12} {'cluster RSS MB':>14} {'build s':>7}")
    base, plans = None, {}
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,  # noqa: S603
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        total = (r["dedup_ms"] + r["cluster_ms"], r["dedup_cpu_ms"] + r["cluster_cpu_ms"])
        base = base or total
        print(f"{n:>10,} {r['dedup_ms']:>10.2f} {r['dedup_cpu_ms']:>9.2f} {r['cluster_ms']:>12.2f} "
              f"{r['cluster_cpu_ms']:>11.2f} {r['dedup_mb']:>12.0f} {r['cluster_mb']:>14.0f} {r['build_s']:>7.0f}"
              f"   (wall {total[0] / base[0]:.2f}×, CPU {total[1] / base[1]:.2f}× of 10k; "
              f"{r['joined_history']} night articles joined a history cluster)")
        plans[n] = r["plans"]
    for n, by_query in plans.items():
        print(f"\nview lookups at {n:,} history rows (EXPLAIN ANALYZE):")
        for label, line in by_query.items():
            print(f"  {label:<24} {line}")


if __name__ == "__main__":
    main()
