"""Helpers of the DAG tests: the rows a night leaves (to compare the mapped DAG, Celery workers and
`newsetl run`) and a night over the sample outlets on one host name each (so the fetches have shards)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import yaml

# What the night leaves, without surrogate ids (they depend on which task came first).
SNAPSHOT = {
    "articles": "SELECT url, url_key, title, body, language, page_status, body_source, page_attempts FROM articles",
    "feed_fetches": "SELECT f.url, x.outcome, x.status_code, x.items_new FROM feed_fetches x JOIN feeds f ON f.id = x.feed_id",
    "mentions": "SELECT a.url, m.start_char, m.end_char, m.surface, m.label, e.key FROM entity_mentions m "
                "JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id",
    "entities": "SELECT key, canonical_name, type, norm_key FROM entities",
    "claims": "SELECT a.url, c.start_char, c.end_char, c.speaker_text, c.cue, c.content, c.kind, c.polarity, "
              "e.key FROM claims c JOIN articles a ON a.id = c.article_id "
              "LEFT JOIN entities e ON e.id = c.speaker_entity_id",
    "quantities": "SELECT a.url, c.start_char, q.start_char, q.category, q.value FROM claim_quantities q "
                  "JOIN claims c ON c.id = q.claim_id JOIN articles a ON a.id = c.article_id",
}

def snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        out = {name: sorted(map(tuple, conn.execute(sa.text(sql)).all()), key=repr) for name, sql in SNAPSHOT.items()}
        rows = conn.execute(sa.text("SELECT a.url, o.url AS original, a.duplicate_reason, c.url AS cluster "
                                    "FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of "
                                    "LEFT JOIN articles c ON c.id = a.cluster_id")).all()
    # Copies and clusters as groups of URLs: which member is the "original" (the smallest id) follows
    # the order in which parallel partitions inserted the stories, not what they are.
    out["copy_groups"] = _groups((r.url, r.original or r.url) for r in rows)
    out["copy_reasons"] = sorted(str(r.duplicate_reason) for r in rows)
    out["clusters"] = _groups((r.url, r.cluster or r.url) for r in rows)
    return out


def _groups(pairs) -> list[tuple[str, ...]]:
    groups: dict[str, set[str]] = {}
    for url, head in pairs:
        groups.setdefault(head, {head}).add(url)
    return sorted(tuple(sorted(g)) for g in groups.values())


def outlet_hosts_env(sample_server, database_url: str, tmp_path: Path, partitions: str = "3") -> dict[str, str]:
    """The environment of a night over the sample outlets, each on a host name of its own."""
    base = sample_server.base_url
    sources = yaml.safe_load(sample_server.feeds_file(tmp_path / "one-host.yaml").read_text(encoding="utf-8"))
    hosts = []
    for source in sources:
        folder = source["feeds"][0].removeprefix(base + "/").split("/")[0]
        host = f"{folder}.samples.newsetl.test"
        hosts.append(host)
        source["homepage"] = source["homepage"].replace(base, f"http://{host}")
        source["feeds"] = [url.replace(base, f"http://{host}") for url in source["feeds"]]
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    env = {"NEWSETL_DATABASE_URL": database_url, "NEWSETL_FEEDS_FILE": str(feeds),
           "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1", "NEWSETL_PER_HOST_DELAY_S": "0", "NEWSETL_STATE_DIR": str(tmp_path),
           "NEWSETL_CONNECT_TO": ",".join(f"{h}:80={base.removeprefix('http://')}" for h in hosts),
           "NEWSETL_PARTITIONS": partitions}
    return env


def truncate(engine) -> None:
    from etl.db import TABLE_NAMES

    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLE_NAMES)} RESTART IDENTITY CASCADE"))




def run_newsetl_night(env: dict[str, str], night: str) -> None:
    """Run `newsetl run` for ``night`` over the feeds of ``env`` (one process, one worker)."""
    import os
    import subprocess
    import sys

    cli = subprocess.run([sys.executable, "-m", "etl.cli", "run", "--feeds", env["NEWSETL_FEEDS_FILE"],
                          "--date", night, "--workers", "1"],
                         capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    assert cli.returncode == 0, cli.stderr
