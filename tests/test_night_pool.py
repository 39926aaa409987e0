"""``newsetl run``'s process pool for fetch_pages: host shards over two workers leave the rows one worker leaves.

A real night (real PostgreSQL, the sample site over real HTTP on 127.0.0.1) under two host
names, so fetch_pages has two host shards to hand to two processes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml

from etl.db import TABLE_NAMES
from etl.pipeline import run_night
from etl.pipeline.partitions import host_of, host_partitions, host_shard

NIGHT = date(2026, 11, 24)
HOSTS = ("news-a.test", "news-c.test")  # crc32 puts them in shards 1 and 0 of 2

ROWS = {
    "articles": "SELECT url, page_status, page_attempts, page_error, body_source, md5(body), language, title, "
                "extractor_version, raw_sha256, entities_version, nlp_version, duplicate_of IS NOT NULL FROM articles",
    "raw": "SELECT sha256, url FROM raw_documents",
    "mentions": "SELECT a.url, m.start_char, m.surface, m.label FROM entity_mentions m "
                "JOIN articles a ON a.id = m.article_id",
    "claims": "SELECT a.url, c.start_char, c.content FROM claims c JOIN articles a ON a.id = c.article_id",
    "errors": "SELECT stage, url, reason FROM pipeline_errors",
}


def _two_host_feeds(server, path: Path) -> Path:
    """Write the sample feeds file with its sources split over the two host names."""
    sources = yaml.safe_load(server.feeds_file(path).read_text(encoding="utf-8"))
    for i, source in enumerate(sources):
        host = f"http://{HOSTS[i % 2]}"
        source["homepage"] = source["homepage"].replace(server.base_url, host)
        source["feeds"] = [url.replace(server.base_url, host) for url in source["feeds"]]
    path.write_text(yaml.safe_dump(sources, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _night(engine, settings, feeds: Path, workers: int) -> tuple[dict, dict[str, list[tuple]]]:
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLE_NAMES)} RESTART IDENTITY CASCADE"))
    pooled = replace(settings, pipeline=replace(settings.pipeline, workers=workers))
    stats = run_night(NIGHT, settings=pooled, feeds_file=feeds, engine=engine)
    with engine.connect() as conn:
        rows = {name: sorted(map(tuple, conn.execute(sa.text(sql)).all()), key=repr) for name, sql in ROWS.items()}
    return {name: s.as_dict() for name, s in stats.items()}, rows


def test_two_workers_fetch_the_same_pages_as_one(engine, settings, sample_server, tmp_path):
    address = sample_server.base_url.removeprefix("http://")
    settings = replace(settings, fetch=replace(settings.fetch, connect_to=tuple((f"{h}:80", address) for h in HOSTS)))
    feeds = _two_host_feeds(sample_server, tmp_path / "feeds.yaml")
    one_stats, one = _night(engine, settings, feeds, workers=1)
    two_stats, two = _night(engine, settings, feeds, workers=2)

    assert {host_of(url) for url, *_ in one["articles"]} == set(HOSTS)
    assert "ok" in {row[1] for row in one["articles"]}
    assert one["mentions"] and one["claims"] and one["raw"]
    assert one_stats["fetch_pages"]["partitions"] == 1
    assert two_stats["fetch_pages"]["partitions"] == 2  # the pool ran a shard per worker
    for stage in ("fetch_pages", "find_entities", "find_claims"):
        counts = [{k: v for k, v in s[stage].items() if k != "partitions"} for s in (one_stats, two_stats)]
        assert counts[0] == counts[1], stage
    assert two == one


def test_a_host_is_in_exactly_one_shard():
    urls = [f"http://{host}/p/{i}" for host in ("a.test", "b.test", "c.test", "d.test", "e.test") for i in range(4)]
    parts = host_partitions(urls, 3)
    shards = int(parts[0].split("/")[1])
    assert shards == 3 and len(parts) <= 3
    by_host: dict[str, set[int]] = {}
    for url in urls:
        by_host.setdefault(host_of(url), set()).add(host_shard(url, shards))
    assert all(len(s) == 1 for s in by_host.values())
    assert host_partitions(urls[:4], 8) == ["hosts 0/1"]  # one host: one shard, whatever the bound
