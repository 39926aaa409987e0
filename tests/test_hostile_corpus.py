"""A hostile corpus of our own, one night over it: feeds and pages in every encoding we can produce
(UTF-8, UTF-16 LE/BE with BOM, windows-1256, ISO-8859-6, windows-1252), with wrong and missing
charset declarations, and the hostile cases of issue 10, served on 127.0.0.1 to a real night on
real PostgreSQL.

What must hold: no traceback anywhere; every item is loaded or its drop counted, and every page
that did not land has its reason in ``pipeline_errors``; no stored text column of any table holds
markup or a C0/C1/bidi control; the Arabic comes out as Arabic (no mojibake). The text is the
repository's own real Arabic sample and its extraction pages (``tests/fixtures/pages``).
"""

from __future__ import annotations

import codecs
import json
import logging
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from httpserver import LocalServer

from etl.pipeline import run_night

NIGHT = date(2026, 11, 24)
PAGES = Path(__file__).parent / "fixtures" / "pages"
LINES = (PAGES / "aleppo_strikes_ar.txt").read_text(encoding="utf-8").strip().split("\n")
TITLE_AR = LINES[0]
GOLD_AR = (PAGES / "ar_cp1256_meta.gold.txt").read_text(encoding="utf-8").strip()
ENGLISH = "The ministry said on Tuesday that the café’s “new” bridge would open next spring, after three years."
# C0/C1 controls (not tab, newline, carriage return) and bidi embeddings, overrides and isolates.
FORBIDDEN = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]"
MARKUP = "<(script|img|style|iframe|svg|p|div|a)\\M|</[a-z]|onerror|javascript:|&(lt|gt|amp|#x?[0-9a-f]+);"
# The encodings Arabic (and Western) feeds are served in, and what they say about themselves.
# (name, codec, BOM, XML declaration's encoding or None, Content-Type charset or None)
FEED_ENCODINGS = [
    ("utf8", "utf-8", b"", "utf-8", "utf-8"),
    ("utf8-undeclared", "utf-8", b"", None, None),
    ("utf8-says-1256", "utf-8", b"", None, "windows-1256"),  # a header that lies
    ("utf16le-bom", "utf-16-le", codecs.BOM_UTF16_LE, "utf-16", None),
    ("utf16be-bom", "utf-16-be", codecs.BOM_UTF16_BE, "utf-16", "utf-8"),  # BOM beats the header
    ("cp1256", "cp1256", b"", "windows-1256", None),
    ("cp1256-undeclared", "cp1256", b"", None, None),
    ("cp1256-says-utf8", "cp1256", b"", None, "utf-8"),
    ("cp1256-says-latin1", "cp1256", b"", "iso-8859-1", None),
    ("iso8859-6", "iso8859_6", b"", None, "iso-8859-6"),
]
# The extraction pages in their encodings, each served with what it declares or says nothing.
PAGE_FILES = [("ar_cp1256_meta.html", None), ("ar_cp1256_nocharset.html", None),
              ("ar_cp1256_as_latin1.html", "iso-8859-1"), ("ar_iso8859_6.html", None),
              ("ar_utf16.html", None), ("ar_utf16le_nobom.html", None), ("ar_cp1256_meta.html", "utf-8")]


def _rss(items: str, encoding: str | None, title: str = TITLE_AR) -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else '<?xml version="1.0"?>'
    return f'{declaration}<rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'


def _item(title: str, link: str, summary: str = "", extra: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link><description>{summary}</description>{extra}</item>"


def _page(title: str, body: str, *, author: str = "Jane Doe", lang: str = "en") -> bytes:
    ld = json.dumps({"@type": "NewsArticle", "headline": title, "author": {"@type": "Person", "name": author}})
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f'<html lang="{lang}"><head><title>{title}</title><script type="application/ld+json">{ld}</script>'
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


def _serve_encodings(server: LocalServer) -> list[str]:
    """Serve one Arabic feed per encoding (each item linking a page in one of the page encodings)."""
    urls = []
    for n, (name, codec, bom, declared, charset) in enumerate(FEED_ENCODINGS):
        page_file, page_charset = PAGE_FILES[n % len(PAGE_FILES)]
        page_path = f"/{name}/page.html"
        server.add(page_path, (PAGES / page_file).read_bytes(),
                   content_type="text/html" + (f"; charset={page_charset}" if page_charset else ""))
        summary = LINES[1] if codec != "iso8859_6" else LINES[1].replace("،", ",")
        items = _item(TITLE_AR, server.url(page_path), summary) + _item(f"{TITLE_AR} ({name})", server.url(f"/{name}/2"),
                                                                        LINES[3])
        server.add(f"/{name}/2", b"", status=404)
        server.add(f"/{name}/feed.xml", bom + _rss(items, declared).encode(codec),
                   content_type="application/rss+xml" + (f"; charset={charset}" if charset else ""))
        urls.append(server.url(f"/{name}/feed.xml"))
    english = _item("Caf\u00e9 \u201cnews\u201d", server.url("/en/1"), ENGLISH)
    server.add("/en/feed.xml", _rss(english, "windows-1252", "News").encode("cp1252"), content_type="text/xml")
    server.add("/en/1", _page("Café “news”", ENGLISH + "\n\n" + ENGLISH.replace("Tuesday", "Monday")).decode()
               .encode("cp1252"), content_type="text/html; charset=windows-1252")
    return [*urls, server.url("/en/feed.xml")]


def _serve_hostile(server: LocalServer) -> list[str]:
    """Serve the hostile cases: escaped markup, controls, bad references, drops, a long redirect."""
    u = server.url("").rstrip("/")
    items = "".join([
        _item("&amp;lt;script&amp;gt;alert(3)&amp;lt;/script&amp;gt;Double escaped", f"{u}/h/a", "s",
              "<author>x@y (Ann\u202e Evil\x01)</author><category>Wor\u2066ld\x02</category>"),
        "<item><title type='html'>&lt;script&gt;alert(1)&lt;/script&gt;Breaking news</title>"
        f"<link>{u}/h/b</link><description>&lt;img src=x onerror=alert(2)&gt; summary</description></item>",
        _item("Bidi link", f"{u}/h/c\u202ed"),
        _item("bad &#xD800; &#x110000; ref", f"{u}/h/d", "fine"),
        _item("kept", f"{u}/h/e", "s", "<guid>g1</guid>"), _item("same guid", f"{u}/h/f", "s", "<guid>g1</guid>"),
        "<item><description></description></item>",
        _item("long", f"{u}/{'x' * 3000}"),
        _item("C1 \x85 and \x9b controls", f"{u}/h/g", "tab\tand\x0bvertical"),
    ])
    server.add("/h/feed.xml", _rss(items, "utf-8").encode(), content_type="application/rss+xml")
    poison = _page("Page title", "Text &lt;img src=x onerror=alert(4)&gt; more text.\n\n" + ENGLISH,
                   author="Bob\u202e \x01Jones\u0000")
    for path in ("/h/a", "/h/b", "/h/d", "/h/e", "/h/g", "/h/m"):
        server.add(path, poison, content_type="text/html; charset=utf-8")
    server.add("/h/not-a-feed.xml", b"<html><body>Sorry, moved</body></html>", content_type="text/html")
    long_path = "/moved/" + "y" * 6000
    server.redirect("/h/redirect.xml", long_path, status=301)
    server.add(long_path, _rss(_item("moved item", f"{u}/h/m", "s"), "utf-8").encode(), content_type="application/rss+xml")
    return [server.url("/h/feed.xml"), server.url("/h/not-a-feed.xml"), server.url("/h/redirect.xml")]


@pytest.fixture
def hostile_night(engine, settings, tmp_path, caplog, capfd):
    with LocalServer() as server:
        urls = _serve_encodings(server) + _serve_hostile(server)
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text("".join(f"- name: s{i}\n  feeds: ['{u}']\n" for i, u in enumerate(urls)), encoding="utf-8")
        with caplog.at_level(logging.INFO):
            stats = run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)
    out, err = capfd.readouterr()
    return stats, caplog.records, out + err


def _text_columns(conn: sa.Connection) -> list[tuple[str, str, bool]]:
    """Return (table, column, is_array) of every text column of the newsetl tables."""
    from etl.db import TABLE_NAMES

    rows = conn.execute(sa.text(
        "SELECT table_name, column_name, data_type = 'ARRAY' FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(:t) "
        "AND (data_type IN ('text', 'character varying') OR udt_name IN ('_text', '_varchar'))"),
        {"t": list(TABLE_NAMES)}).all()
    return [tuple(r) for r in rows]


def test_a_hostile_corpus_in_every_encoding_runs_without_a_traceback(hostile_night):
    stats, records, output = hostile_night
    assert not [r for r in records if r.exc_info], [r.getMessage() for r in records if r.exc_info]
    assert "Traceback" not in output and not any("Traceback" in r.getMessage() for r in records)
    assert stats["fetch_feeds"].processed == len(FEED_ENCODINGS) + 4


def test_every_item_is_loaded_or_its_drop_counted_and_every_failure_recorded(hostile_night, engine):
    with engine.connect() as conn:
        fetches = conn.execute(sa.text(
            "SELECT f.url, ff.outcome, ff.items_seen, ff.items_new, ff.items_dropped FROM feed_fetches ff "
            "JOIN feeds f ON f.id = ff.feed_id")).all()
        errors = conn.execute(sa.text("SELECT stage, url, feed_id, article_id, reason FROM pipeline_errors")).all()
        unlanded = conn.execute(sa.text(
            "SELECT id, url, page_status FROM articles WHERE page_status NOT IN ('ok')")).all()
        feed_errors = conn.execute(sa.text(
            "SELECT count(*) FROM feed_fetches ff WHERE ff.outcome NOT IN ('ok', 'not-modified') AND NOT EXISTS "
            "(SELECT 1 FROM pipeline_errors e WHERE e.feed_id = ff.feed_id)")).scalar_one()
    for url, outcome, seen, new, dropped in fetches:
        if outcome == "ok":  # the first night: no item was seen before
            assert seen == new + sum(dropped.values()), (url, seen, new, dropped)
    assert feed_errors == 0
    recorded = {e.article_id for e in errors if e.article_id is not None}
    assert unlanded and all(a.id in recorded for a in unlanded if a.page_status != "no-article")
    assert sum(ff.items_new for ff in fetches) >= 2 * len(FEED_ENCODINGS) + 6
    dropped = Counter()
    for ff in fetches:
        dropped.update(ff.items_dropped)
    assert {"duplicate-guid", "no-content", "url-too-long", "url-has-control-characters"} <= set(dropped)


def test_no_stored_text_column_holds_markup_or_a_control_character(hostile_night, engine):
    with engine.connect() as conn:
        columns = _text_columns(conn)
        bad = []
        for table, column, is_array in columns:
            if (table, column) == ("reports", "html"):
                continue  # the night's report is an HTML document: checked below for injected markup
            value = sa.func.array_to_string(sa.column(column), "|") if is_array else sa.column(column)
            query = sa.select(sa.func.count()).select_from(sa.table(table)).where(
                sa.or_(value.regexp_match(FORBIDDEN), value.regexp_match(MARKUP, flags="i")))
            if conn.execute(query).scalar_one():
                bad.append(f"{table}.{column}")
    assert {t for t, _, _ in columns} >= {"articles", "pipeline_errors", "feeds", "entities", "claims"}
    assert bad == []
    with engine.connect() as conn:
        report = conn.execute(sa.text("SELECT string_agg(html, '') FROM reports")).scalar_one()
    assert report and "alert(" not in report and "onerror" not in report.lower()


def test_the_arabic_of_every_encoding_comes_out_as_arabic(hostile_night, engine):
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT url, title, summary, body FROM articles WHERE url LIKE '%/page.html' OR url LIKE '%/2'")).all()
    by_feed = {r.url.split("/")[3]: r for r in rows if r.url.endswith("/page.html")}
    assert set(by_feed) == {name for name, *_ in FEED_ENCODINGS}
    for name, row in by_feed.items():
        assert row.title == TITLE_AR, name
        assert row.body.split("\n\n")[0] == GOLD_AR.split("\n\n")[0], name
    for row in rows:
        text = " ".join(filter(None, (row.title, row.summary, row.body)))
        assert not set(text) & set("ÃØÙÇÈÉÊ\ufffd"), row.url  # the letters cp1256 read as latin-1 turns into
