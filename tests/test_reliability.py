"""Issue 10: one bad item never stops the night, every failure is visible.

Against the real PostgreSQL of the test run and real HTTP servers on 127.0.0.1. A "poison"
item is a value PostgreSQL itself refuses: oversized, NUL, or (for isolation as such) a CHECK
constraint the test adds to the real table and drops afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from httpserver import LocalServer

from etl import load, load_analysis
from etl.db import tables
from etl.models import Source
from etl.pipeline import make_run, run_fetch_feeds, run_fetch_pages

NIGHT = date(2026, 11, 24)
RSS = "application/rss+xml"


def _rss(items: list[tuple[str, str, str]]) -> bytes:
    """Return RSS bytes of (title, link, summary) items."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><description>{s}</description></item>"
                   for t, link, s in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{body}'
            "</channel></rss>").encode()


def _page(title: str, body: str, *, author: str = "Jane Doe") -> bytes:
    ld = json.dumps({"@type": "NewsArticle", "headline": title, "author": {"@type": "Person", "name": author}})
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f'<html lang="en"><head><title>{title}</title><script type="application/ld+json">{ld}</script>'
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


def _words(n_chars: int) -> str:
    """Return ~n_chars of distinct lower-case words (no stemmer merges them)."""
    out, i, size = [], 0, 0
    while size < n_chars:
        n, word = i, ""
        for _ in range(5):
            n, r = divmod(n, 26)
            word += "bcdfghjklmnpqrstvwxzaeiouy"[r]
        out.append("q" + word + "x")
        size += len(word) + 3
        i += 1
    return " ".join(out)


ARTICLE = ("The ministry said on Tuesday that the new bridge over the river would open next spring, "
           "after three years of works that cost more than anyone had planned.")


def _setup(engine, feeds: list[str]) -> None:
    load.start_run(engine, make_run(NIGHT), code_version="test")
    load.register_sources(engine, [Source(name=f"s{i}", feeds=(url,)) for i, url in enumerate(feeds)])


def _started(engine, night: date):
    run = make_run(night)
    load.start_run(engine, run, code_version="test")
    return run


@contextmanager
def _refusing(engine, table: str, check: str) -> Iterator[None]:
    """Make the real table refuse rows matching nothing of ``check`` (a CHECK constraint), then undo."""
    with engine.begin() as conn:
        conn.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT test_poison CHECK ({check}) NOT VALID"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT test_poison"))


def test_summary_of_distinct_words_too_big_for_tsvector_lands(engine, settings):
    huge = _words(1_800_000)
    with LocalServer() as server:
        server.add("/a.xml", _rss([("big one", server.url("/big"), huge)]), content_type=RSS)
        server.add("/b.xml", _rss([("small one", server.url("/small"), "fine")]), content_type=RSS)
        _setup(engine, [server.url("/a.xml"), server.url("/b.xml")])
        stats = run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT title, length(summary) FROM articles")).all())
        found = conn.execute(sa.text("SELECT count(*) FROM articles WHERE search @@ to_tsquery('simple', :w)"),
                             {"w": huge.split()[10]}).scalar_one()
    assert stats.written == 2 and stats.errors == 0
    assert rows["big one"] == len(huge)  # stored whole; only the search vector is bounded
    assert found == 1


def test_page_too_big_for_tsvector_and_nul_in_json_ld_author_land(engine, settings):
    words = _words(1_800_000).split()
    huge = "\n\n".join(" ".join(words[i:i + 400]) for i in range(0, len(words), 400))
    with LocalServer() as server:
        server.add("/feed.xml", _rss([("big", server.url("/big"), "s"), ("nul", server.url("/nul"), "s"),
                                      ("ok", server.url("/ok"), "s")]), content_type=RSS)
        server.add("/big", _page("Big page", huge), content_type="text/html; charset=utf-8")
        server.add("/nul", _page("Nul author", ARTICLE, author="Ann\u0000 Smith\u202e\x01"),
                   content_type="text/html; charset=utf-8")
        server.add("/ok", _page("Fine page", ARTICLE), content_type="text/html; charset=utf-8")
        _setup(engine, [server.url("/feed.xml")])
        run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
        stats = run_fetch_pages(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        rows = {r.title: r for r in conn.execute(sa.text(
            "SELECT title, page_status, authors, length(body) AS n FROM articles"))}
    assert stats.errors == 0, stats
    assert {t: r.page_status for t, r in rows.items()} == {"big": "ok", "nul": "ok", "ok": "ok"}
    assert rows["big"].n > 1_000_000
    assert rows["nul"].authors == ["Ann Smith"]


def test_feed_redirecting_to_a_6_kb_url_keeps_its_items_and_new_address(engine, settings):
    long_path = "/moved/" + "x" * 6000
    with LocalServer() as server:
        server.redirect("/feed.xml", long_path, status=301)
        server.add(long_path, _rss([("moved story", server.url("/story"), "s")]), content_type=RSS)
        _setup(engine, [server.url("/feed.xml")])
        stats = run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
        again = run_fetch_feeds(_started(engine, date(2026, 11, 25)), engine=engine, settings=settings)
    with engine.connect() as conn:
        feed_url = conn.execute(sa.text("SELECT url FROM feeds")).scalar_one()
        titles = conn.execute(sa.text("SELECT title FROM articles")).scalars().all()
    assert stats.errors == 0 and stats.written == 1
    assert feed_url.endswith(long_path) and titles == ["moved story"]
    assert again.errors == 0 and again.written == 0  # the moved feed is fetched at its new address


def test_item_the_database_refuses_is_recorded_and_the_rest_of_the_feed_lands(engine, settings):
    with LocalServer() as server:
        items = [(f"story {i}", server.url(f"/s{i}"), "s") for i in range(5)] + [("POISON", server.url("/p"), "s")]
        server.add("/feed.xml", _rss(items), content_type=RSS)
        _setup(engine, [server.url("/feed.xml")])
        with _refusing(engine, "articles", "title IS DISTINCT FROM 'POISON'"):
            stats = run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        titles = set(conn.execute(sa.text("SELECT title FROM articles")).scalars())
        errors = conn.execute(sa.text("SELECT stage, url, feed_id, reason FROM pipeline_errors")).all()
        fetch = conn.execute(sa.text("SELECT outcome, items_new FROM feed_fetches")).one()
    assert titles == {f"story {i}" for i in range(5)}
    assert stats.discards["rejected"] == 1 and stats.written == 5
    assert len(errors) == 1 and errors[0].stage == "fetch_feeds" and errors[0].url.endswith("/p")
    assert errors[0].feed_id is not None and "test_poison" in errors[0].reason
    assert tuple(fetch) == ("ok", 5)


def test_page_the_database_refuses_fails_with_bounded_retries_never_pending(engine, settings):
    settings = replace(settings, fetch=replace(settings.fetch, max_page_attempts=2))
    with LocalServer() as server:
        server.add("/feed.xml", _rss([("good", server.url("/good"), "s"), ("bad", server.url("/bad"), "s")]),
                   content_type=RSS)
        server.add("/good", _page("Good", ARTICLE), content_type="text/html; charset=utf-8")
        server.add("/bad", _page("Bad", ARTICLE + " POISON"), content_type="text/html; charset=utf-8")
        _setup(engine, [server.url("/feed.xml")])
        run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
        with _refusing(engine, "articles", "body NOT LIKE '%POISON%'"):
            nights = [run_fetch_pages(_started(engine, date(2026, 11, d)), engine=engine, settings=settings)
                      for d in (24, 25, 26)]
        bad_requests = len(server.requests_to("/bad"))
    with engine.connect() as conn:
        status = dict(conn.execute(sa.text("SELECT title, page_status FROM articles")).all())
        attempts = conn.execute(sa.text("SELECT page_attempts FROM articles WHERE title = 'bad'")).scalar_one()
        errors = conn.execute(sa.text("SELECT stage, url, reason FROM pipeline_errors")).all()
    assert status == {"good": "ok", "bad": "gave-up"}
    assert attempts == 2 and bad_requests == 2  # bounded: the third night leaves it alone
    assert [n.errors for n in nights] == [1, 1, 0]
    assert {e.stage for e in errors} == {"fetch_pages"} and all(e.url.endswith("/bad") for e in errors)
    assert all("refused by the database" in e.reason and "POISON" not in e.reason for e in errors)


# --- visible failures -------------------------------------------------------------------------

def _cli(args: list[str], env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


def _feeds_yaml(path: Path, urls: list[str]) -> Path:
    path.write_text("".join(f"- name: s{i}\n  feeds: [{u}]\n" for i, u in enumerate(urls)), encoding="utf-8")
    return path


def test_a_crashing_stage_leaves_the_run_failed_with_class_and_message_only(engine, settings, tmp_path):
    from etl.pipeline import run_night

    with LocalServer() as server:
        server.add("/feed.xml", _rss([("story", server.url("/s"), "secret body words")]), content_type=RSS)
        server.add("/s", _page("Story", ARTICLE), content_type="text/html; charset=utf-8")
        feeds = _feeds_yaml(tmp_path / "feeds.yaml", [server.url("/feed.xml")])
        tables(engine)  # reflected before the failure, as in a run already under way
        with engine.begin() as conn:  # a real database failure in a later stage, not an item's fault
            conn.execute(sa.text("ALTER TABLE entity_mentions RENAME TO entity_mentions_gone"))
        try:
            with pytest.raises(sa.exc.ProgrammingError):
                run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
        finally:
            with engine.begin() as conn:
                conn.execute(sa.text("ALTER TABLE entity_mentions_gone RENAME TO entity_mentions"))
    with engine.connect() as conn:
        status, error, finished = conn.execute(sa.text(
            "SELECT status, error, finished_at FROM pipeline_runs")).one()
    assert status == "failed" and finished is not None
    assert error.startswith("UndefinedTable: ") and "entity_mentions" in error
    assert "secret" not in error and "\n" not in error


def test_cli_run_exits_non_zero_with_one_line_when_every_feed_fails(engine, database_url, tmp_path):
    with LocalServer() as server:
        feeds = _feeds_yaml(tmp_path / "feeds.yaml", [server.url("/gone-a.xml"), server.url("/gone-b.xml")])
        done = _cli(["run", "--feeds", str(feeds), "--date", "2026-11-24"],
                    {"NEWSETL_DATABASE_URL": database_url, "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1",
                     "NEWSETL_PER_HOST_DELAY_S": "0", "NEWSETL_MAX_RETRIES": "0"})
    with engine.connect() as conn:
        status, error = conn.execute(sa.text("SELECT status, error FROM pipeline_runs")).one()
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "every feed failed (2 of 2)" in done.stderr.strip().splitlines()[-1]
    assert status == "failed" and "every feed failed" in error


@pytest.mark.parametrize(("name", "text"), [
    ("empty.yaml", "[]\n"),
    ("sources.yaml", "sources: []\n"),
    ("typo.yaml", "sources:\n  - name: a\n    feeds: [http://example.com/f.xml]\nsoruces: []\n"),
    ("empty.opml", '<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="x"/></body></opml>'),
])
def test_a_feeds_file_listing_nothing_is_refused_and_changes_nothing(engine, settings, tmp_path, name, text):
    from etl.errors import ConfigError
    from etl.pipeline import run_night

    run = _started(engine, NIGHT)
    load.register_sources(engine, [Source(name="kept", feeds=("http://example.com/kept.xml",))])
    load.finish_run(engine, run)
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(bad)):
        run_night(NIGHT, settings=settings, feeds_file=bad, engine=engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM pipeline_runs")).scalar_one() == "success"
        assert conn.execute(sa.text("SELECT active FROM feeds")).scalar_one() is True


def test_cli_user_errors_are_one_line_without_traceback(tmp_path):
    empty = tmp_path / "feeds.yaml"
    empty.write_text("[]\n", encoding="utf-8")
    for args, env, expected in [
        (["run", "--feeds", str(empty)], {"NEWSETL_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x"}, str(empty)),
        (["run"], {"NEWSETL_MAX_RETRIES": "many"}, "NEWSETL_MAX_RETRIES"),
    ]:
        done = _cli(args, env, timeout=120)
        lines = done.stderr.strip().splitlines()
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert len(lines) == 1 and expected in lines[0], done.stderr


def test_a_bad_character_reference_keeps_the_feeds_good_items(engine, settings):
    with LocalServer() as server:
        items = [("good one", server.url("/1"), "s"), ("bad &#xD800; &#x110000; ref", server.url("/2"), "s"),
                 ("good two", server.url("/3"), "s")]
        server.add("/feed.xml", _rss(items), content_type=RSS)
        _setup(engine, [server.url("/feed.xml")])
        stats = run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        titles = conn.execute(sa.text("SELECT title FROM articles ORDER BY id")).scalars().all()
    assert stats.errors == 0
    assert titles == ["good one", "bad \ufffd \ufffd ref", "good two"]


# --- one run per night ------------------------------------------------------------------------

def test_a_second_run_of_the_night_exits_at_once_and_fetches_nothing(engine, settings, tmp_path):
    from etl.errors import LeaseHeldError
    from etl.pipeline import run_night

    with LocalServer() as server:
        server.add("/feed.xml", _rss([("story", server.url("/s"), "s")]), content_type=RSS)
        feeds = _feeds_yaml(tmp_path / "feeds.yaml", [server.url("/feed.xml")])
        load.claim_lease(engine, NIGHT, owner="airflow:scheduled__2026-11-24", ttl_s=3600)
        with pytest.raises(LeaseHeldError, match="already being run by airflow:scheduled__2026-11-24"):
            run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
        assert server.requests == []  # nothing fetched twice
        run_night(date(2026, 11, 25), settings=settings, feeds_file=feeds, engine=engine)  # another night is free
        with engine.begin() as conn:  # the holder crashed: its lease runs out
            conn.execute(sa.text("UPDATE run_leases SET expires_at = now() - interval '1 second'"))
        run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM run_leases")).scalar_one() == 0  # released
        assert set(conn.execute(sa.text("SELECT status FROM pipeline_runs")).scalars()) == {"success"}


def test_the_dags_first_task_refuses_a_night_the_cli_holds_without_retry(engine, database_url, airflow_ready):
    from airflow.sdk.exceptions import AirflowFailException

    from etl.pipeline import run_stage

    load.claim_lease(engine, NIGHT, owner="cli:host:1:abc", ttl_s=3600)
    env = {"NEWSETL_DATABASE_URL": database_url}
    with pytest.raises(AirflowFailException, match="already being run by cli:host:1:abc"):
        run_stage("start", NIGHT, environ=env, owner="airflow:manual__1")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pipeline_runs")).scalar_one() == 0
    load.release_lease(engine, NIGHT, owner="cli:host:1:abc")
    assert run_stage("start", NIGHT, environ=env, owner="airflow:manual__1")["stage"] == "start"
    assert run_stage("fetch_feeds", NIGHT, environ=env, owner="airflow:manual__1")["stage"] == "fetch_feeds"


def test_each_night_fetches_and_analyses_only_its_own_articles(engine, settings):
    """A backfill of night A beside night B: each takes its own pending pages and analyses its own
    articles; an earlier night's failed page is retried by one later night only, never twice."""
    from etl.pipeline import run_entities

    night_a, night_b, night_c = date(2026, 11, 20), NIGHT, date(2026, 11, 25)
    with LocalServer() as server:
        server.add("/a.xml", _rss([("a1", server.url("/a1"), "s"), ("a2", server.url("/a2"), "s")]), content_type=RSS)
        server.add("/b.xml", _rss([("b1", server.url("/b1"), "s"), ("b2", server.url("/b2"), "s")]), content_type=RSS)
        for path in ("/a1", "/b1", "/b2"):
            server.add(path, _page(path, ARTICLE), content_type="text/html; charset=utf-8")
        server.add("/a2", status=503)  # down tonight (transient): worth a retry on a later night
        run_a, run_b, run_c = (_started(engine, n) for n in (night_a, night_b, night_c))
        load.register_sources(engine, [Source(name="a", feeds=(server.url("/a.xml"),))])
        run_fetch_feeds(run_a, engine=engine, settings=settings)  # night A loads a1, a2
        load.register_sources(engine, [Source(name="a", feeds=(server.url("/a.xml"),)),
                                       Source(name="b", feeds=(server.url("/b.xml"),))])
        run_fetch_feeds(run_b, engine=engine, settings=settings)  # night B loads b1, b2 (a1, a2 seen again)

        pages_a = run_fetch_pages(run_a, engine=engine, settings=settings)  # /a2 is down: fails
        fetched_by_a = sorted(r.path for r in server.requests if not r.path.endswith((".xml", ".txt")))
        run_entities(run_a, engine=engine, settings=settings)
        with engine.connect() as conn:
            analysed = dict(conn.execute(sa.text("SELECT title, entities_version IS NOT NULL FROM articles")).all())

        server.add("/a2", _page("/a2", ARTICLE), content_type="text/html; charset=utf-8")  # back for a retry
        load.claim_lease(engine, night_b, owner="cli:b", ttl_s=3600)  # night B is running ...
        b_takes = load.pending_pages(engine, run_b, max_attempts=3)
        c_takes = load.pending_pages(engine, run_c, max_attempts=3)  # ... when night C starts beside it
        load.release_lease(engine, night_b, owner="cli:b")

    by_id = {}
    with engine.connect() as conn:
        by_id = dict(conn.execute(sa.text("SELECT id, title FROM articles")).all())
    assert pages_a.processed == 2 and sorted(set(fetched_by_a)) == ["/a1", "/a2"]  # none of night B's pages
    assert analysed == {"a1": True, "a2": True, "b1": False, "b2": False}  # only night A's articles
    assert sorted(by_id[i] for i, _ in b_takes) == ["a2", "b1", "b2"]  # its own, and A's failed page
    assert c_takes == []  # B's pending pages are B's; A's failed page is claimed by B


def test_two_runs_writing_one_articles_claims_and_mentions_at_once_violate_no_key(engine):
    import threading

    from etl.models import ArticleClaims, ArticleEntities, Claim, ResolvedMention, Span

    run = _started(engine, NIGHT)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO sources (name) VALUES ('s')"))
        article = conn.execute(sa.text(
            "INSERT INTO articles (url, url_key, source_id, title, body, run_id) VALUES "
            "('http://x/1', 'x/1', 1, 't', 'Peskov said Russia helps.', :r) RETURNING id"),
            {"r": run.run_id}).scalar_one()
        entity = conn.execute(sa.text(
            "INSERT INTO entities (key, canonical_name, type, norm_key, model_version, run_id) "
            "VALUES ('PER:peskov', 'Peskov', 'PER', 'peskov', 'm', :r) RETURNING id"), {"r": run.run_id}).scalar_one()
    claim = Claim(speaker=Span(3, 9, "Peskov"), cue=Span(10, 14, "said"), content=Span(15, 27, "Russia helps"),
                  kind="indirect", polarity="assert")
    peskov = ResolvedMention(3, 9, "Peskov", "PER", "PER:peskov", "Peskov")
    mentions = ArticleEntities(article, (peskov,), (("PER:peskov", "peskov"),), ())
    claims = ArticleClaims(article, (claim, claim), ("s", "s"), (entity, entity))

    def write(conn: sa.Connection) -> None:
        load_analysis.store_entities(conn, run, [mentions], model_version="m")
        assert load_analysis.store_claims(conn, run, [claims], extractor_version="c") == (1, 1)

    errors: list[BaseException] = []
    first = engine.connect()
    first.begin()
    write(first)  # uncommitted: the second run's DELETE cannot see these rows

    def second() -> None:
        try:
            with engine.begin() as conn:
                write(conn)  # waits on the first run's uncommitted keys
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive()  # really interleaved: blocked on the first transaction
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM claims")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM entity_mentions")).scalar_one() == 1


# --- markup and control characters ----------------------------------------------------------

_FORBIDDEN = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]"


def test_markup_and_controls_never_reach_a_stored_text_column(engine, settings):
    items = "".join([
        "<item><title>&amp;lt;script&amp;gt;alert(3)&amp;lt;/script&amp;gt;Double escaped</title>"
        "<link>{u}/a</link><author>x@y (Ann\u202e Evil\x01)</author><category>Wor\u2066ld\x02</category></item>",
        "<item><title type='html'>&lt;script&gt;alert(1)&lt;/script&gt;Breaking news</title><link>{u}/b</link>"
        "<description>&lt;img src=x onerror=alert(2)&gt; summary</description></item>",
        "<item><title>Bidi link</title><link>{u}/c\u202ed</link></item>",
    ])
    page = _page("Page title", "Text &lt;img src=x onerror=alert(4)&gt; more text.\n\n" + ARTICLE,
                 author="Bob\u202e \x01Jones")
    with LocalServer() as server:
        rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
               + items.format(u=server.url("")) + "</channel></rss>").encode()
        server.add("/feed.xml", rss, content_type=RSS)
        for path in ("/a", "/b"):
            server.add(path, page, content_type="text/html; charset=utf-8")
        _setup(engine, [server.url("/feed.xml")])
        feeds = run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
        run_fetch_pages(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT url, title, summary, body, array_to_string(authors, '|') AS authors, "
            "array_to_string(categories, '|') AS categories FROM articles ORDER BY id")).all()
        bad = conn.execute(sa.text(
            "SELECT count(*) FROM articles WHERE concat_ws('|', url, title, summary, body, "
            "array_to_string(authors, '|'), array_to_string(categories, '|')) ~ :forbidden "
            "OR concat_ws('|', title, summary, body) ~* '<(script|img|style)|onerror|alert'"),
            {"forbidden": _FORBIDDEN}).scalar_one()
    assert bad == 0, rows
    assert [r.title for r in rows] == ["Double escaped", "Breaking news"]
    assert feeds.discards["url-has-control-characters"] == 1
    assert rows[0].authors == "Bob Jones" and rows[0].categories == "World"


# --- every drop counted -----------------------------------------------------------------------

def test_every_dropped_item_is_counted_with_a_reason_per_feed_and_per_run(engine, settings):
    with LocalServer() as server:
        u = server.url("")
        rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
               f"<item><title>kept</title><link>{u}/1</link><guid>g1</guid></item>"
               f"<item><title>same guid</title><link>{u}/2</link><guid>g1</guid></item>"
               "<item><description></description></item>"
               f"<item><title>long</title><link>{u}/{'x' * 3000}</link></item>"
               "</channel></rss>").encode()
        server.add("/feed.xml", rss, content_type=RSS)
        _setup(engine, [server.url("/feed.xml")])
        run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
    with engine.connect() as conn:
        seen, new, dropped = conn.execute(sa.text("SELECT items_seen, items_new, items_dropped FROM feed_fetches")).one()
        stats = conn.execute(sa.text("SELECT stats -> 'fetch_feeds' -> 'discards' FROM pipeline_runs")).scalar_one()
    assert dropped == {"duplicate-guid": 1, "no-content": 1, "url-too-long": 1}
    assert seen == 4 and new == 1 and seen == new + sum(dropped.values())
    assert {k: stats[k] for k in dropped} == dropped


# --- error-rate threshold ---------------------------------------------------------------------

@pytest.mark.parametrize(("failing", "fails"), [(2, False), (20, True)])
def test_a_stage_fails_only_above_its_error_rate(engine, settings, tmp_path, failing, fails):
    from etl.errors import StageFailedError
    from etl.pipeline import run_night

    settings = replace(settings, fetch=replace(settings.fetch, max_retries=0))
    with LocalServer() as server:
        urls = []
        for i in range(24):
            if i >= failing:
                server.add(f"/f{i}.xml", _rss([(f"story {i}", server.url(f"/s{i}"), "s")]), content_type=RSS)
                server.add(f"/s{i}", _page(f"Story {i}", f"{ARTICLE} Number {i}."), content_type="text/html")
            urls.append(server.url(f"/f{i}.xml"))  # the others answer 404
        feeds = _feeds_yaml(tmp_path / "feeds.yaml", urls)
        if fails:
            with pytest.raises(StageFailedError, match=r"fetch_feeds: 20 of 24 items failed"):
                run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
        else:
            run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
    with engine.connect() as conn:
        status, error = conn.execute(sa.text("SELECT status, error FROM pipeline_runs")).one()
    assert status == ("failed" if fails else "success")
    assert (error or "").startswith("StageFailedError") == fails


# --- article size limit -----------------------------------------------------------------------

_SAY = "قال المتحدث باسم الكرملين دميتري بيسكوف إن روسيا ستواصل دعم الحكومة السورية في حلب. "


def test_a_5_mb_analyze_line_is_analysed_on_its_first_chars_and_says_so():
    text = _SAY * (5_000_000 // len(_SAY))
    done = subprocess.run([sys.executable, "-m", "etl.cli", "analyze"], input=json.dumps({"id": 7, "text": text}),
                          capture_output=True, text=True, timeout=240)
    out = json.loads(done.stdout)
    assert done.returncode == 0 and "error" not in out
    assert out["truncated"] == {"analysed_chars": 200_000, "text_chars": len(text)}
    assert out["entities"] and out["claims"]
    assert all(e["end"] <= 200_000 and text[e["start"]:e["end"]] == e["text"] for e in out["entities"])


def test_articles_over_the_analysis_limit_are_counted_as_truncated(engine, settings):
    from etl.pipeline import run_claims, run_entities

    settings = replace(settings, pipeline=replace(settings.pipeline, max_analysis_chars=2_000))
    run = _started(engine, NIGHT)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO sources (name) VALUES ('s')"))
        conn.execute(sa.text(
            "INSERT INTO articles (url, url_key, source_id, title, body, language, run_id) VALUES "
            "('http://x/1', 'x/1', 1, 'long', :long, 'ar', :r), ('http://x/2', 'x/2', 1, 'short', :short, 'ar', :r)"),
            {"long": _SAY * 100, "short": _SAY, "r": run.run_id})
    entities = run_entities(run, engine=engine, settings=settings)
    claims = run_claims(run, engine=engine, settings=settings)
    with engine.connect() as conn:
        last = conn.execute(sa.text("SELECT max(end_char) FROM entity_mentions")).scalar_one()
    assert entities.extra["truncated"] == 1 and claims.extra["truncated"] == 1
    assert entities.errors == claims.errors == 0 and claims.written >= 2
    assert last <= 2_000


def test_with_postgresql_down_a_stage_task_fails_and_is_left_to_retries():
    """A database that does not answer (a stopped server: nothing listens on its port) fails
    the task with the connection error, not AirflowFailException, so Airflow retries it."""
    import socket

    from airflow.sdk.exceptions import AirflowFailException

    from etl.pipeline import run_stage

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free once closed: a server that has stopped
    environ = {"NEWSETL_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{port}/news"}
    with pytest.raises(sa.exc.OperationalError) as raised:
        run_stage("fetch_feeds", "2026-11-24", environ=environ)
    assert not isinstance(raised.value, AirflowFailException)


# --- transient or permanent page failures -----------------------------------------------------

def test_a_permanent_page_failure_gives_up_at_once_a_transient_one_waits_for_the_next_night(engine, settings):
    settings = replace(settings, fetch=replace(settings.fetch, max_retries=0, max_page_attempts=3))
    with LocalServer() as server:
        server.add("/feed.xml", _rss([("gone", server.url("/gone"), "s"), ("busy", server.url("/busy"), "s")]),
                   content_type=RSS)
        server.add("/gone", status=404)
        server.add("/busy", status=503)
        _setup(engine, [server.url("/feed.xml")])
        run_fetch_feeds(make_run(NIGHT), engine=engine, settings=settings)
        for day in (24, 25):
            run_fetch_pages(_started(engine, date(2026, 11, day)), engine=engine, settings=settings)
        asked = {path: len(server.requests_to(path)) for path in ("/gone", "/busy")}
    with engine.connect() as conn:
        rows = {r.title: (r.page_status, r.page_attempts) for r in conn.execute(sa.text(
            "SELECT title, page_status, page_attempts FROM articles"))}
    assert rows == {"gone": ("gave-up", 1), "busy": ("failed", 2)}
    assert asked == {"/gone": 1, "/busy": 2}
