"""The nightly run end to end (without Airflow) on the sample site, against real PostgreSQL."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from etl.pipeline import make_run, run_night

NIGHT = date(2026, 11, 24)
COUNTED = ("sources", "feeds", "feed_fetches", "articles", "entities", "entity_aliases",
           "entity_mentions", "claims", "claim_quantities", "pipeline_errors", "pipeline_runs",
           "raw_documents")


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED}


def _night(engine, settings, server, tmp_path, night=NIGHT):
    feeds = server.feeds_file(tmp_path / "feeds.yaml")
    return run_night(night, settings=settings, feeds_file=feeds, engine=engine)


def test_sample_night_lands_articles_entities_and_claims(engine, settings, sample_server, tmp_path):
    stats = _night(engine, settings, sample_server, tmp_path)
    assert stats["fetch_feeds"].processed == 4
    with engine.connect() as conn:
        aleppo = conn.execute(sa.text(
            "SELECT id, title, body, language, body_source, duplicate_of FROM articles "
            "WHERE url LIKE '%/ar/aleppo-strikes.html'")).one()
        assert aleppo.language == "ar" and aleppo.body_source == "page"
        assert "دميتري بيسكوف" in aleppo.body and aleppo.duplicate_of is None
        names = set(conn.execute(sa.text(
            "SELECT e.canonical_name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.article_id = :a"), {"a": aleppo.id}).scalars())
        assert any("بيسكوف" in n for n in names)
        speakers = conn.execute(sa.text(
            "SELECT speaker_text FROM claims WHERE article_id = :a"), {"a": aleppo.id}).scalars().all()
        assert len(speakers) >= 5
        assert any("بيسكوف" in (s or "") for s in speakers)
        assert conn.execute(sa.text(
            "SELECT count(*) FROM claim_quantities q JOIN claims c ON c.id = q.claim_id "
            "WHERE c.article_id = :a AND q.value = 400"), {"a": aleppo.id}).scalar_one() == 1


def test_windows_1256_wire_copy_is_marked_duplicate(engine, settings, sample_server, tmp_path):
    _night(engine, settings, sample_server, tmp_path)
    with engine.connect() as conn:
        original, copy = conn.execute(sa.text(
            "SELECT id, duplicate_of, cluster_id, body FROM articles "
            "WHERE url LIKE '%/ar/aleppo-strikes.html' OR url LIKE '%/ar2/syria-russia-strikes.html' "
            "ORDER BY id")).all()
    assert copy.duplicate_of == original.id and copy.cluster_id == original.cluster_id
    assert "بيسكوف" in copy.body  # decoded from windows-1256, no mojibake


def test_feed_only_item_quoting_peskov_joins_the_aleppo_story_cluster(engine, settings, sample_server, tmp_path):
    _night(engine, settings, sample_server, tmp_path)
    with engine.connect() as conn:
        clusters = dict(conn.execute(sa.text(
            "SELECT substring(url from '[^/]+$'), cluster_id FROM articles")).all())
    assert clusters["missing-page.html"] == clusters["aleppo-strikes.html"] == clusters["syria-russia-strikes.html"]
    assert clusters["cnn-syria.html"] != clusters["aleppo-strikes.html"]  # 2013: another event


def test_bad_feed_and_missing_page_are_recorded_and_the_rest_goes_on(engine, settings, sample_server, tmp_path):
    _night(engine, settings, sample_server, tmp_path)
    with engine.connect() as conn:
        errors = conn.execute(sa.text("SELECT stage, url, reason FROM pipeline_errors")).all()
        missing = conn.execute(sa.text(
            "SELECT body_source, page_status, page_error, body FROM articles WHERE url LIKE '%missing-page.html'")).one()
        fetch = conn.execute(sa.text(
            "SELECT outcome, error_kind FROM feed_fetches ff JOIN feeds f ON f.id = ff.feed_id "
            "WHERE f.url LIKE '%/broken/feed.xml'")).one()
    by_url = {url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]: (stage, reason) for stage, url, reason in errors}
    assert by_url["broken/feed.xml"][0] == "fetch_feeds" and "HTML" in by_url["broken/feed.xml"][1]
    assert by_url["ar2/missing-page.html"][0] == "fetch_pages" and "404" in by_url["ar2/missing-page.html"][1]
    assert fetch.outcome == "error" and fetch.error_kind == "not-a-feed"
    # The item whose page is gone is still loaded from what the feed said, marked as such.
    assert missing.body_source == "feed" and missing.page_status == "gave-up" and "بيسكوف" in missing.body


def test_running_the_same_night_twice_leaves_the_same_rows(engine, settings, sample_server, tmp_path):
    _night(engine, settings, sample_server, tmp_path)
    first = _counts(engine)
    with engine.connect() as conn:
        claims_before = conn.execute(sa.text("SELECT article_id, start_char, end_char, content FROM claims ORDER BY 1, 2")).all()
    stats = _night(engine, settings, sample_server, tmp_path)
    assert _counts(engine) == first
    with engine.connect() as conn:
        claims_after = conn.execute(sa.text("SELECT article_id, start_char, end_char, content FROM claims ORDER BY 1, 2")).all()
        run = conn.execute(sa.text("SELECT status, stats FROM pipeline_runs WHERE run_id = :r"),
                           {"r": make_run(NIGHT).run_id}).one()
    assert claims_after == claims_before
    assert stats["fetch_feeds"].discards["not-modified"] == 3  # ETags sent, 304s answered
    assert run.status == "success" and "find_claims" in run.stats


def test_a_later_night_adds_nothing_when_feeds_did_not_change(engine, settings, sample_server, tmp_path):
    _night(engine, settings, sample_server, tmp_path)
    first = _counts(engine)
    _night(engine, settings, sample_server, tmp_path, night=date(2026, 11, 25))
    second = _counts(engine)
    assert second["articles"] == first["articles"] and second["claims"] == first["claims"]
    assert second["pipeline_runs"] == 2 and second["feed_fetches"] == 2 * first["feed_fetches"]


def test_offsets_point_into_full_text(engine, settings, sample_server, tmp_path):
    stats = _night(engine, settings, sample_server, tmp_path)
    assert stats["quality_checks"].extra["bad_mention_offsets"] == 0
    assert stats["quality_checks"].extra["bad_claim_offsets"] == 0
    assert stats["quality_checks"].extra["mojibake_suspects"] == 0


def test_reextract_rebuilds_text_from_kept_raw_pages_without_refetching(engine, settings, sample_server, tmp_path):
    from etl.pipeline import run_reextract

    _night(engine, settings, sample_server, tmp_path)
    with engine.begin() as conn:
        before = conn.execute(sa.text("SELECT id, body FROM articles WHERE body_source = 'page' ORDER BY id")).all()
        conn.execute(sa.text("UPDATE articles SET body = 'stale', extractor_version = 'old' WHERE body_source = 'page'"))
    sample_server.stop()  # nothing may be fetched
    stats = run_reextract(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        after = conn.execute(sa.text("SELECT id, body FROM articles WHERE body_source = 'page' ORDER BY id")).all()
    assert stats.processed == len(before) and stats.written == len(before)
    assert after == before


def test_analyst_views_and_example_queries_run_on_a_loaded_night(engine, settings, sample_server, tmp_path):
    from etl.db import SQL_DIR

    _night(engine, settings, sample_server, tmp_path)
    with engine.connect() as conn:
        for query in sorted((SQL_DIR / "queries").glob("*.sql")):
            conn.execute(sa.text(query.read_text(encoding="utf-8").replace(":", r"\:"))).all()
        numbers = conn.execute(sa.text(
            "SELECT speaker_name, killed FROM claim_numbers_by_cluster WHERE killed IS NOT NULL")).all()
        daily = conn.execute(sa.text("SELECT count(*) FROM speaker_claims_daily")).scalar_one()
        health = conn.execute(sa.text("SELECT url, consecutive_failures, last_error FROM feed_health "
                                      "ORDER BY consecutive_failures DESC")).first()
    assert any(killed == 400 and "جيش السوري" in name for name, killed in numbers), numbers
    assert daily > 0
    assert health.url.endswith("/broken/feed.xml") and health.consecutive_failures == 1
    assert "HTML" in health.last_error


def test_cross_language_aliases_find_arabic_mentions_by_english_name(engine, settings, sample_server, tmp_path):
    from etl.arabic import normalise_key

    _night(engine, settings, sample_server, tmp_path)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT e.canonical_name, count(m.id) FROM entity_aliases al "
            "JOIN entities e ON e.id = al.entity_id JOIN entity_mentions m ON m.entity_id = e.id "
            "WHERE al.alias_key = :k GROUP BY e.id"), {"k": normalise_key("Aleppo", strip_clitic=True)}).all()
        surfaces = set(conn.execute(sa.text(
            "SELECT m.surface FROM entity_mentions m JOIN entity_aliases al ON al.entity_id = m.entity_id "
            "WHERE al.alias = 'Aleppo'")).scalars())
    assert len(rows) == 1 and rows[0][1] >= 3
    assert "حلب" in surfaces


def test_a_feed_failing_three_nights_raises_an_alert_in_the_logs(engine, settings, sample_server, tmp_path, caplog):
    for day in (24, 25, 26):
        _night(engine, settings, sample_server, tmp_path, night=date(2026, 11, day))
    alerts = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ALERT feed")]
    assert any("broken/feed.xml" in a and "failed 3 nights in a row" in a for a in alerts), alerts
    assert not any("/ar/feed.xml" in a for a in alerts)


def test_offsets_that_miss_their_text_fail_the_quality_checks(engine, settings, sample_server, tmp_path):
    import pytest

    from etl.errors import DataQualityError
    from etl.pipeline import run_quality_checks

    _night(engine, settings, sample_server, tmp_path)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE entity_mentions SET start_char = start_char + 1 WHERE id = (SELECT min(id) FROM entity_mentions)"))
    with pytest.raises(DataQualityError, match="offsets"):
        run_quality_checks(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM pipeline_runs")).scalar_one() == "failed"


def test_rerunning_a_night_keeps_page_attempts_and_fetch_rows(engine, settings, sample_server, tmp_path):
    _night(engine, settings, sample_server, tmp_path)
    query = sa.text("SELECT f.url, ff.outcome, ff.items_seen, ff.items_new, ff.raw_sha256 FROM feed_fetches ff "
                    "JOIN feeds f ON f.id = ff.feed_id ORDER BY f.url")
    with engine.connect() as conn:
        fetches = conn.execute(query).all()
    _night(engine, settings, sample_server, tmp_path)
    with engine.connect() as conn:
        attempts = conn.execute(sa.text("SELECT page_attempts FROM articles WHERE url LIKE '%missing-page.html'")).scalar_one()
        assert conn.execute(query).all() == fetches
    assert attempts == 1  # a rerun of the night is not a later night


def test_items_without_links_are_kept_apart_and_long_links_refused(engine, settings, tmp_path):
    from httpserver import LocalServer

    from etl import load
    from etl.models import Source
    from etl.pipeline import run_fetch_feeds

    long_link = "http://127.0.0.1/" + "a" * 5000
    rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
           '<item><title>الخبر الأول</title><guid isPermaLink="false">id-1</guid></item>'
           '<item><title>الخبر الثاني</title><guid isPermaLink="false">id-2</guid></item>'
           f'<item><title>رابط طويل</title><link>{long_link}</link></item>'
           '</channel></rss>').encode()
    with LocalServer() as server:
        server.add("/feed.xml", body=rss, headers={"Content-Type": "application/rss+xml"})
        load.start_run(engine, make_run(NIGHT), code_version="test")
        load.register_sources(engine, [Source(name="s", feeds=(server.url("/feed.xml"),))])
        stats = run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        titles = conn.execute(sa.text("SELECT title FROM articles ORDER BY id")).scalars().all()
    assert titles == ["الخبر الأول", "الخبر الثاني"]
    assert stats.discards["url-too-long"] == 1 and stats.errors == 0


def test_direction_marks_are_stored_as_published_and_change_no_match(engine, settings, tmp_path):
    """An RLM after each number and full stop, an LRM around Latin words: kept in the stored title
    and body; the marked page and its unmarked copy still dedup, tag and quote alike and are found."""
    import re
    from pathlib import Path

    from httpserver import LocalServer

    text = (Path(__file__).parent / "fixtures" / "pages" / "aleppo_strikes_ar.txt").read_text(encoding="utf-8")
    title, body = text.split("\n", 1)

    def marked(s: str) -> str:
        return re.sub(r"[A-Za-z]+", "\u200e\\g<0>\u200e", re.sub(r"\d+|[.،]+", "\\g<0>\u200f", s))

    def page(t: str, b: str) -> bytes:
        paragraphs = "".join(f"<p>{p}</p>" for p in b.split("\n") if p.strip())
        return (f'<html lang="ar" dir="rtl"><head><title>{t}</title></head><body><article><h1>{t}</h1>'
                f"{paragraphs}</article></body></html>").encode()

    with LocalServer() as server:
        items = "".join(f"<item><title>{t}</title><link>{server.url(p)}</link></item>"
                        for t, p in ((marked(title), "/marked"), (title, "/plain")))
        server.add("/feed.xml", f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t'
                   f"</title>{items}</channel></rss>".encode(), content_type="application/rss+xml")
        server.add("/marked", page(marked(title), marked(body)), content_type="text/html; charset=utf-8")
        server.add("/plain", page(title, body), content_type="text/html; charset=utf-8")
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(f"- name: s\n  feeds: [{server.url('/feed.xml')}]\n", encoding="utf-8")
        run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
    with engine.connect() as conn:
        rows = {r.url.rsplit("/", 1)[1]: r for r in conn.execute(sa.text(
            "SELECT id, url, title, body, duplicate_of FROM articles"))}
        entities = {k: conn.execute(sa.text(
            "SELECT e.canonical_name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.article_id = :a ORDER BY m.start_char"), {"a": r.id}).scalars().all() for k, r in rows.items()}
        speakers = {k: conn.execute(sa.text("SELECT speaker_text FROM claims WHERE article_id = :a "
                                            "ORDER BY start_char"), {"a": r.id}).scalars().all()
                    for k, r in rows.items()}
        found = conn.execute(sa.text("SELECT count(*) FROM search_articles('بيسكوف 400')")).scalar_one()
    marked_row, plain_row = rows["marked"], rows["plain"]
    assert "\u200f" in marked_row.title and marked_row.body.count("\u200f") > 20
    assert "\u200f" not in plain_row.body
    assert re.sub("[\u200e\u200f]", "", marked_row.body) == plain_row.body
    assert plain_row.duplicate_of == marked_row.id  # the same body hash with or without marks
    assert entities["marked"] == entities["plain"] and len(entities["plain"]) > 10
    assert speakers["marked"] == speakers["plain"] and len(speakers["plain"]) >= 5
    assert found == 2
