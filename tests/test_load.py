"""Loader upserts: natural keys, idempotency, raw storage, recorded errors."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from etl import load
from etl.models import Feed, PipelineError, Run, Source

RUN = Run(run_id="news_ingest/2026-11-24", logical_date=date(2026, 11, 24))
SOURCES = [Source(name="وكالة الشام للأنباء", language="ar", country="SY",
                  feeds=("http://127.0.0.1:9/ar/feed.xml", "http://127.0.0.1:9/ar/syria.xml")),
           Source(name="World Desk", language="en", feeds=("http://127.0.0.1:9/en/feed.xml",))]


def _count(engine, table):
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_register_sources_is_idempotent_and_updates_attributes(engine):
    assert load.register_sources(engine, SOURCES) == (2, 3)
    assert load.register_sources(engine, SOURCES) == (2, 3)
    assert _count(engine, "sources") == 2 and _count(engine, "feeds") == 3
    moved = [Source(name="World Desk", language="en", country="GB", feeds=("http://127.0.0.1:9/en/feed.xml",))]
    load.register_sources(engine, moved)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT country FROM sources WHERE name = 'World Desk'")).scalar_one() == "GB"
    assert [f.url for f in load.active_feeds(engine)] == [u for s in SOURCES for u in s.feeds]


def test_feed_articles_insert_once_per_url_key(engine):
    load.start_run(engine, RUN, code_version="test")
    load.register_sources(engine, SOURCES)
    feed = load.active_feeds(engine)[0]
    rows = [{"url": "http://127.0.0.1:9/a", "url_key": "127.0.0.1:9/a", "source_id": feed.source_id,
             "feed_id": feed.id, "title": "غارات على حلب"}]
    with engine.begin() as conn:
        assert load.insert_feed_articles(conn, RUN, rows) == (1, [])
    with engine.begin() as conn:
        assert load.insert_feed_articles(conn, RUN, rows) == (0, [])
    assert _count(engine, "articles") == 1


def test_redirect_and_gone_update_the_feed(engine):
    load.start_run(engine, RUN, code_version="test")
    load.register_sources(engine, SOURCES)
    first, second = load.active_feeds(engine)[:2]
    with engine.begin() as conn:
        load.update_feed_state(conn, first, ok=True, status=200, etag='"e1"', last_modified=None,
                               error=None, new_url="http://127.0.0.1:9/ar/new-feed.xml", gone=False)
        load.update_feed_state(conn, second, ok=False, status=410, etag=None, last_modified=None,
                               error="HTTP 410 Gone", new_url=None, gone=True)
    feeds = load.active_feeds(engine)
    assert Feed(id=first.id, source_id=first.source_id, url="http://127.0.0.1:9/ar/new-feed.xml",
                etag='"e1"', last_modified=None, language="ar") in feeds
    assert second.id not in [f.id for f in feeds]


def test_raw_documents_are_content_addressed_and_compressed(engine):
    body = ("<p>" + "غارات سورية روسية على المسلحين بحلب " * 200 + "</p>").encode()
    with engine.begin() as conn:
        sha = load.store_raw(conn, url="http://127.0.0.1:9/a", content_type="text/html", body=body)
        assert load.store_raw(conn, url="http://127.0.0.1:9/b", content_type="text/html", body=body) == sha
    assert load.load_raw(engine, sha) == body
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT octet_length(body_zlib) FROM raw_documents")).scalar_one()
    assert stored < len(body) / 10 and _count(engine, "raw_documents") == 1


def test_errors_are_recorded_once_per_run_stage_and_url(engine):
    load.start_run(engine, RUN, code_version="test")
    error = PipelineError(stage="fetch_feeds", reason="connection refused by 127.0.0.1:9", url="http://127.0.0.1:9/x")
    with engine.begin() as conn:
        load.record_error(conn, RUN, error)
        load.record_error(conn, RUN, error)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT reason FROM pipeline_errors")).scalars().all() == [error.reason]


def test_listing_a_moved_feed_by_its_new_url_does_not_register_it_twice(engine):
    load.register_sources(engine, SOURCES)
    first = load.active_feeds(engine)[0]
    with engine.begin() as conn:
        load.update_feed_state(conn, first, ok=True, status=200, etag=None, last_modified=None, error=None,
                               new_url="http://127.0.0.1:9/ar/moved.xml", gone=False)
    moved = [Source(name=SOURCES[0].name, feeds=("http://127.0.0.1:9/ar/moved.xml", SOURCES[0].feeds[1])),
             SOURCES[1]]
    assert load.register_sources(engine, moved) == (2, 3)
    assert _count(engine, "feeds") == 3


def test_a_complete_feeds_file_deactivates_feeds_no_longer_listed_and_brings_them_back(engine):
    load.register_sources(engine, SOURCES)
    load.register_sources(engine, SOURCES[1:], deactivate_missing=True)
    assert [f.url for f in load.active_feeds(engine)] == list(SOURCES[1].feeds)
    load.register_sources(engine, SOURCES, deactivate_missing=True)
    assert len(load.active_feeds(engine)) == 3


def test_article_update_names_only_page_columns_and_clears_explicitly() -> None:
    from etl.models import ArticleUpdate

    update = ArticleUpdate.of({"body": "نص", "authors": ["أ", "ب"], "page_error": None, "entities_version": None})
    assert update.columns() == {"body": "نص", "authors": ["أ", "ب"], "page_error": None, "entities_version": None}
    with pytest.raises(TypeError):
        ArticleUpdate.of({"cluster_id": 7})  # not a page stage's column
    with pytest.raises(ValueError, match="cluster_id"):
        ArticleUpdate(cleared=frozenset({"cluster_id"}))
