"""``newsetl demo`` through Airflow: twice, on a busy port, and nothing changes."""

from __future__ import annotations

import socket
from datetime import date

import sqlalchemy as sa

from etl import demo
from etl.sampleserver import SAMPLE_BASE

SNAPSHOT = {
    "feeds": "SELECT url FROM feeds ORDER BY url",
    "articles": "SELECT url, title, duplicate_of IS NOT NULL FROM articles ORDER BY url",
    "claims": "SELECT a.url, c.start_char, c.content FROM claims c JOIN articles a ON a.id = c.article_id "
              "ORDER BY 1, 2",
    "entities": "SELECT count(*) FROM entities",
    "mentions": "SELECT count(*) FROM entity_mentions",
    "quantities": "SELECT count(*) FROM claim_quantities",
    "errors": "SELECT stage, url, reason FROM pipeline_errors ORDER BY 1, 2",
}


def _snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(sa.text(q))] for name, q in SNAPSHOT.items()}


def test_demo_twice_on_a_busy_port_leaves_identical_rows(
        airflow_ready, database_url, engine, monkeypatch, capsys):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    monkeypatch.setattr(demo, "DEMO_PORT", busy.getsockname()[1])
    # run_demo sets these for its Airflow tasks; monkeypatch puts them back afterwards.
    for key in ("NEWSETL_FEEDS_FILE", "NEWSETL_ALLOW_PRIVATE_NETWORKS", "NEWSETL_CONNECT_TO",
                "NEWSETL_PER_HOST_DELAY_S"):
        monkeypatch.setenv(key, "")
    monkeypatch.setenv("NEWSETL_PER_HOST_DELAY_S", "0")
    monkeypatch.setenv("NEWSETL_DATABASE_URL", database_url)
    monkeypatch.setenv("NEWSETL_STATE_DIR", str(airflow_ready))
    try:
        demo.run_demo(date(2026, 11, 24))
        first = _snapshot(engine)
        demo.run_demo(date(2026, 11, 24))
    finally:
        busy.close()
    out = capsys.readouterr().out
    assert out.count("unavailable") == 2  # both runs were served on another (random) port
    assert len(first["articles"]) >= 8 and len(first["claims"]) >= 5
    assert all(url.startswith(SAMPLE_BASE + "/") for (url,) in first["feeds"]), first["feeds"]
    assert _snapshot(engine) == first


def test_demo_airflow_cfg_says_what_the_demo_runs_with(airflow_ready):
    cfg = (airflow_ready / "airflow" / "airflow.cfg").read_text(encoding="utf-8")
    assert "load_examples = False" in cfg
    assert f"dags_folder = {demo.DAGS_DIR}" in cfg and (demo.DAGS_DIR / "news_ingest.py").is_file()
