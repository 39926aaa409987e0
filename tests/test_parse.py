"""etl.parse on real feeds, Arabic encodings, broken and hostile XML, and the feeds file."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl.errors import NotAFeedError
from etl.parse import decode_feed, parse_feed, parse_lenient_date

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
REAL = Path(__file__).parent / "fixtures" / "real_feeds"
NOW = datetime(2026, 2, 18, 12, 0, tzinfo=UTC)
URL = "https://feeds.example/dir/feed.xml"
ARABIC_TITLE = (FEEDS / "expected_arabic_title.txt").read_text(encoding="utf-8").strip()


def parse(name: str, **kw) -> object:
    return parse_feed((FEEDS / name).read_bytes(), feed_url=URL, now=NOW, **kw)


# --- real feeds ---------------------------------------------------------------------------


def _real_feeds() -> list[tuple[str, int, str]]:
    rows = [line.split("\t") for line in (REAL / "INDEX.tsv").read_text().splitlines() if line]
    return [(r[0], int(r[2].removeprefix("items=")), r[5]) for r in rows]


@pytest.mark.parametrize(("name", "count", "first_title"), _real_feeds())
def test_real_feeds_parse_cleanly(name, count, first_title):
    feed = parse_feed((REAL / name).read_bytes(), feed_url="https://real.example/feed", now=NOW)
    assert len(feed.items) == count and feed.warnings == ()
    assert any(i.title[:30] == first_title[:30] for i in feed.items)  # INDEX: newest item
    for item in feed.items:
        assert item.guid and item.url and item.url.startswith(("http://", "https://"))
        assert item.title and "<" not in (item.summary or "")
        assert item.published_at is not None and item.published_at.tzinfo is UTC
        assert item.date_status == "ok"
    assert len({i.guid for i in feed.items}) == count


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("arabic_utf8.xml", None),
        ("arabic_windows1256_declared.xml", None),
        ("arabic_windows1256_undeclared.xml", "encoding not declared; guessed cp1256"),
        ("arabic_iso8859_6_declared.xml", None),
        ("arabic_iso8859_6_undeclared.xml", "encoding not declared; guessed iso8859-6"),
        ("arabic_utf16_bom.xml", None),
        ("arabic_utf16le_undeclared.xml", None),
    ],
)
def test_arabic_feeds_in_every_encoding_read_the_same(name, warning):
    feed = parse(name)
    assert feed.title == "سانا - أخبار سورية" and feed.language == "ar"
    assert [i.title for i in feed.items][0] == ARABIC_TITLE
    assert feed.items[1].summary.startswith("وقال مصدر عسكري في تغريدة لوزارة الدفاع السورية")
    assert all(i.language == "ar" for i in feed.items)
    assert feed.warnings == ((warning,) if warning else ())


def test_xml_declaration_beats_a_lying_content_type():
    feed = parse("arabic_windows1256_declared.xml", content_type="text/xml; charset=ISO-8859-1")
    assert feed.items[0].title == ARABIC_TITLE


def test_content_type_charset_is_used_when_the_document_says_nothing():
    raw = (FEEDS / "arabic_windows1256_undeclared.xml").read_bytes()
    text, warnings = decode_feed(raw, "application/rss+xml; charset=windows-1256")
    assert ARABIC_TITLE in text and warnings == []


def test_utf8_body_declared_as_windows_1256_is_read_as_utf8():
    raw = (
        (FEEDS / "arabic_utf8.xml")
        .read_bytes()
        .replace(b'encoding="utf-8"', b'encoding="windows-1256"')
    )
    feed = parse_feed(raw, feed_url=URL, now=NOW)
    assert feed.items[0].title == ARABIC_TITLE
    assert feed.warnings == ("declared cp1256 but the body is UTF-8; read as UTF-8",)


def test_windows_1256_body_declared_as_utf8_is_guessed():
    raw = (FEEDS / "arabic_windows1256_declared.xml").read_bytes()
    raw = raw.replace(b'encoding="windows-1256"', b'encoding="utf-8"')
    feed = parse_feed(raw, feed_url=URL, now=NOW)
    assert feed.items[0].title == ARABIC_TITLE
    assert feed.warnings == ("declared utf-8 does not decode; guessed cp1256",)


def test_windows_1256_body_declared_as_latin1_is_not_read_as_mojibake():
    raw = (FEEDS / "arabic_windows1256_declared.xml").read_bytes()
    raw = raw.replace(b'encoding="windows-1256"', b'encoding="iso-8859-1"')  # decodes, as ÇáÓæÑí
    feed = parse_feed(raw, feed_url=URL, now=NOW)
    assert feed.items[0].title == ARABIC_TITLE
    assert feed.warnings == ("declared cp1252 reads as mojibake; guessed cp1256",)


# --- items: links, ids, text, dates, duplicates -------------------------------------------


@pytest.fixture(scope="module")
def messy():
    return parse_feed((FEEDS / "messy_items.xml").read_bytes(), feed_url=URL, now=NOW)


def test_relative_links_are_resolved_against_the_feed_url(messy):
    first = messy.items[0]
    assert first.url == "https://feeds.example/news/rfc822"
    assert first.enclosures == ("https://feeds.example/media/photo.jpg",)
    assert messy.link == "https://feeds.example/home"


def test_summary_is_plain_text_without_markup_or_script(messy):
    assert messy.items[0].summary == "Strikes near Aleppo."
    assert messy.items[1].summary == "Plain text < with an escaped angle."
    assert messy.title == "Messy & Co."


def test_authors_and_categories_are_deduplicated(messy):
    assert messy.items[0].authors == ("Jane Reporter",)
    assert messy.items[0].categories == ("World", "Syria")
    assert messy.items[0].language == "en"


def test_guid_falls_back_to_link_then_to_a_stable_hash(messy):
    by_title = {i.title: i for i in messy.items}
    assert by_title["ISO 8601 date, no guid"].guid == "https://messy.example/news/iso"
    hashed = by_title["No date at all, no guid, no link"]
    assert hashed.guid.startswith("sha1:") and hashed.url is None
    again = parse_feed((FEEDS / "messy_items.xml").read_bytes(), feed_url=URL, now=NOW)
    assert hashed.guid in {i.guid for i in again.items}


def test_duplicates_and_empty_items_are_dropped_and_counted(messy):
    assert len(messy.items) == 7
    assert len({i.guid for i in messy.items}) == 7
    assert "dropped 2 items that repeat an earlier guid (duplicates)" in messy.warnings
    assert "dropped 1 item with no title, link or summary" in messy.warnings  # javascript: link


def test_dates_in_every_format_with_a_status(messy):
    dates = {i.title: (i.published_at, i.date_status) for i in messy.items}
    assert dates["RFC 822 date, relative link"] == (
        datetime(2026, 2, 18, 2, 10, 7, tzinfo=UTC),
        "ok",
    )
    assert dates["ISO 8601 date, no guid"] == (datetime(2026, 2, 17, 7, 0, tzinfo=UTC), "ok")
    assert dates["Egyptian Arabic month name"] == (
        datetime(2026, 2, 17, 10, 30, tzinfo=UTC),
        "guessed",
    )
    assert dates["Levantine Arabic month name"] == (datetime(2026, 2, 17, tzinfo=UTC), "guessed")
    assert dates["Garbage date"] == (None, "missing")
    assert dates["No date at all, no guid, no link"] == (None, "missing")
    assert dates["From the future"] == (datetime(2028, 1, 1, tzinfo=UTC), "future")  # kept
    assert (
        "1 item with a date no parser understood (e.g. 'sometime last week, probably')"
        in messy.warnings
    )
    assert "1 item dated more than a day in the future (kept as published)" in messy.warnings


def test_rss_items_have_no_updated_date_unless_the_feed_gives_one(messy):
    assert messy.items[0].updated_at is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأحد ١٥ شباط ٢٠٢٦ - ١٤:٣٠", datetime(2026, 2, 15, 14, 30, tzinfo=UTC)),
        ("3 كانون الثاني 2026", datetime(2026, 1, 3, tzinfo=UTC)),
        ("17 فبراير 2026", datetime(2026, 2, 17, tzinfo=UTC)),
        ("17/02/2026 10:00 GMT+3", datetime(2026, 2, 17, 7, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        ("Feb", None),
    ],
)
def test_lenient_dates(text, expected):
    assert parse_lenient_date(text) == expected


def test_content_stands_in_for_a_missing_summary():
    raw = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>x</id><title>Only content</title><link href="https://a.example/x"/>
      <content type="html">&lt;p&gt;Full &lt;i&gt;text&lt;/i&gt;&lt;/p&gt;</content></entry></feed>"""
    assert parse_feed(raw, feed_url=URL, now=NOW).items[0].summary == "Full text"


def test_atom_xml_base_html_titles_and_authors():
    feed = parse("atom_xml_base.xml")
    assert feed.title == "عالم الأخبار" and feed.language == "ar"
    first, second = feed.items
    assert first.url == "https://atom.example/world/2026/02/aleppo.html"
    assert second.url == "https://other.example/item"
    assert first.authors == ("SANA", "Wire desk") and first.summary == "Hello link"
    assert first.published_at == datetime(2026, 2, 17, 15, 0, tzinfo=UTC)
    assert first.updated_at == datetime(2026, 2, 17, 18, 30, 2, tzinfo=UTC)


# --- broken and hostile documents ---------------------------------------------------------


def test_malformed_xml_is_recovered_with_a_warning():
    feed = parse("malformed.xml")
    assert [i.url for i in feed.items][:1] == ["https://broken.example/1"]
    assert len(feed.warnings) == 1
    assert feed.warnings[0].startswith("malformed XML: <unknown>:4:19: not well-formed")
    assert feed.warnings[0].endswith(f"recovered {len(feed.items)} items")


def test_billion_laughs_is_refused_fast():
    started = time.monotonic()
    with pytest.raises(NotAFeedError, match="XML entity expansion refused: entity 'lol1' refers"):
        parse("billion_laughs.xml")
    assert time.monotonic() - started < 0.5


def test_external_entities_are_refused():
    with pytest.raises(NotAFeedError, match=r"external entity 'secret' \(SYSTEM\)"):
        parse("xxe.xml")


def test_quadratic_blowup_is_refused():
    value = "x" * 1000
    raw = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{value}">]>'
        f"<rss version='2.0'><channel><title>{'&a;' * 5000}</title></channel></rss>"
    ).encode()
    with pytest.raises(NotAFeedError, match="would add 5000000 characters"):
        parse_feed(raw, feed_url=URL)


def test_plain_internal_entities_are_expanded():
    feed = parse("simple_entity.xml")
    assert feed.title == "Example News" and feed.items[0].title == "Hello world"
    assert feed.warnings == ()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ((FEEDS / "not_a_feed.html").read_bytes(), "document is HTML, not RSS/Atom"),
        (b"  <?xml version='1.0'?>\n<!-- hi --><html><body>x</body></html>", "document is HTML"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "document is JSON"),
        (b"", "empty body"),
        (b" \n\t ", "empty body"),
        (b"\xef\xbb\xbf", "empty body"),
        (b"just some text", "not RSS/Atom: no <rss>, <feed> or <rdf:RDF> found"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "not RSS/Atom"),
    ],
)
def test_documents_that_are_not_feeds(raw, reason):
    with pytest.raises(NotAFeedError, match=reason) as caught:
        parse_feed(raw, feed_url=URL)
    assert caught.value.url == URL


def test_a_valid_feed_with_no_items_is_not_an_error():
    feed = parse_feed(
        b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", feed_url=URL
    )
    assert feed.title == "Quiet" and feed.items == ()
