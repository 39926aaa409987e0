"""Parse RSS/Atom feeds into ``FeedItem`` records (the feeds file is read by ``etl.feedsfile``).

``parse_feed`` is pure: bytes in, a ``ParsedFeed`` out, or ``NotAFeedError`` with a reason a
person understands. feedparser does the XML; around it this module

- decodes the bytes itself, because headers lie about encodings: a BOM wins, then a body that
  is valid UTF-8, then the XML declaration, then the Content-Type charset, then a guess
  (charset-normalizer) — Arabic feeds served as windows-1256 or ISO-8859-6 without saying so
  are common, and feedparser's own fallback (windows-1252) would turn them into mojibake;
- refuses what is not a feed (HTML, JSON, empty) and DTDs that declare nested or external
  entities ("billion laughs", XXE) before any XML parser sees them;
- makes every item usable downstream: a stable ``guid``, an absolute http(s) ``url``, plain-text
  title and summary, UTC dates with a ``date_status``, and no duplicates.

Dates: ``date_status`` is 'ok' (parsed from the item's published/updated date), 'guessed'
(only a lenient parser understood it: Arabic month names, odd formats), 'missing' (absent or
unparseable) or 'future' (later than now + 1 day). Future dates are *kept* as published, not
clamped: the record stays faithful to the source, and the status lets the pipeline decide.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import feedparser

from etl.arabic import to_ascii_digits
from etl.clean import strip_markup
from etl.encodings import decode_bom  # one BOM table for pages and feeds
from etl.errors import NotAFeedError

DateStatus = Literal["ok", "missing", "guessed", "future"]
FUTURE_SLACK = timedelta(days=1)
MAX_ENTITIES = 64
MAX_ENTITY_CHARS = 1024


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One feed entry, cleaned: stable id, absolute URL, plain text, UTC dates."""

    guid: str
    """The entry's id; else its link; else ``sha1:`` of title + date + summary."""
    url: str | None
    title: str | None
    summary: str | None
    """Plain text: markup and scripts removed, whitespace collapsed."""
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    published_at: datetime | None
    date_status: DateStatus
    updated_at: datetime | None
    language: str | None
    """Primary language subtag ('ar' for 'ar-SY'), from the item or the feed."""
    enclosures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's channel data, its items, and what was odd about it."""

    title: str | None
    link: str | None
    language: str | None
    items: tuple[FeedItem, ...]
    warnings: tuple[str, ...]
    dropped: Mapping[str, int] = field(default_factory=dict)
    """Entries left out, by reason: ``duplicate-guid`` (repeats an earlier guid), ``no-content``."""


def parse_feed(
    raw: bytes, *, feed_url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    """Return the feed in ``raw``; raise ``NotAFeedError`` when it is not a usable feed.

    ``content_type`` is the HTTP header (its charset is one hint among several); ``now`` is
    the reference for 'future' dates (default: the current time).
    """
    if not raw.strip(b" \t\r\n\0\xef\xbb\xbf\xfe\xff"):
        raise NotAFeedError("empty body", url=feed_url)
    text, warnings = decode_feed(raw, content_type)
    _refuse_non_feeds(text, feed_url)
    text = _inline_entities(text, feed_url)
    text, bad_refs = _replace_bad_char_refs(text)
    if bad_refs:
        warnings.append(f"{bad_refs} character reference(s) to no valid character replaced by U+FFFD")
    parsed = _feedparser_parse(text, feed_url)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        detail = f" ({why})" if why else ""
        raise NotAFeedError(
            f"not RSS/Atom: no <rss>, <feed> or <rdf:RDF> found{detail}", url=feed_url
        )
    if parsed.get("bozo"):
        warnings.append(
            f"malformed XML: {parsed.bozo_exception}, recovered {len(parsed.entries)} items"
        )
    channel = parsed.feed
    language = _primary_language(channel.get("language"))
    items, item_warnings, dropped = _build_items(
        parsed.entries, feed_url, language, now or datetime.now(UTC)
    )
    return ParsedFeed(
        title=_plain(channel.get("title"), channel.get("title_detail")),
        link=_absolute(channel.get("link"), feed_url),
        language=language,
        items=items,
        warnings=tuple(warnings + item_warnings),
        dropped=dropped,
    )


def _feedparser_parse(text: str, feed_url: str) -> Any:
    """Return feedparser's result; its loose fallback parser crashing is a ``NotAFeedError``."""
    try:
        return feedparser.parse(
            io.BytesIO(_as_utf8_xml(text)),  # bytes in a stream: a str could be taken as a URL
            response_headers={
                "content-type": "application/xml; charset=utf-8",
                "content-location": feed_url,
            },
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except (UnicodeError, ValueError, OverflowError, RecursionError) as exc:
        raise NotAFeedError(f"feed could not be parsed: {type(exc).__name__}", url=feed_url) from exc


_BAD_CHAR_REF = re.compile(r"&#(?:([0-9]{1,10})|[xX]([0-9a-fA-F]{1,8}));")


def _replace_bad_char_refs(text: str) -> tuple[str, int]:
    """Return ``text`` with references to surrogates, controls or no character as U+FFFD, and how many.

    XML forbids them, and feedparser's fallback parser crashes on surrogates (``&#xD800;``) or
    beyond U+10FFFF, which would lose every good item of the feed.
    """
    replaced = 0

    def one(match: re.Match[str]) -> str:
        nonlocal replaced
        point = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
        if (point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD
                or 0x10000 <= point <= 0x10FFFF):
            return match.group(0)
        replaced += 1
        return "\ufffd"

    return _BAD_CHAR_REF.sub(one, text), replaced


# --- encodings ---------------------------------------------------------------------------

_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


def decode_feed(raw: bytes, content_type: str | None = None) -> tuple[str, list[str]]:
    """Return the feed text and warnings about its encoding (declared wrongly, guessed)."""
    if (text := decode_bom(raw)) is not None:
        return text, []
    if raw[:2] in (b"<\0", b"\0<"):  # UTF-16 without a BOM still starts with "<"
        return raw.decode("utf-16-le" if raw[0] == 0x3C else "utf-16-be", errors="replace"), []
    declared = [e for e in (_xml_declared(raw), _http_charset(content_type)) if e]
    if _is_utf8(raw):
        others = [e for e in declared if e not in ("utf-8", "ascii") and not raw.isascii()]
        note = [f"declared {others[0]} but the body is UTF-8; read as UTF-8"] if others else []
        return raw.decode("utf-8"), note
    # the pages' judge of a declared charset: Arabic read as Latin-1 is ÇáÓæÑí, not text
    from etl.extract.decode import is_clean_text

    garbled = None
    for encoding in declared:
        if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
            continue  # would have had a BOM or NUL bytes; the declaration is wrong
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if is_clean_text(text):
            return text, []
        garbled = garbled or encoding
    best = charset_normalizer.from_bytes(raw).best()
    guessed = _codec_name(best.encoding) if best is not None else None
    if guessed:
        why = (f"declared {garbled} reads as mojibake" if garbled else
               f"declared {declared[0]} does not decode" if declared else "encoding not declared")
        return raw.decode(guessed, errors="replace"), [f"{why}; guessed {guessed}"]
    return raw.decode("utf-8", errors="replace"), ["encoding unknown; undecodable bytes replaced"]


def _xml_declared(raw: bytes) -> str | None:
    match = _XML_DECL_ENCODING.match(raw[:512])
    return _codec_name(match.group(1).decode("ascii")) if match else None


def _http_charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return _codec_name(match.group(1)) if match else None


def _codec_name(label: str) -> str | None:
    """Return a canonical codec name ('windows-1256' → 'cp1256'), None if Python lacks it."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # browsers read every latin-1 label as windows-1252, and so do the servers that send it
    return {"iso8859-1": "cp1252"}.get(name, name)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _as_utf8_xml(text: str) -> bytes:
    """Return ``text`` as UTF-8 bytes whose XML declaration (if any) says so."""
    text = text.lstrip("\ufeff")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8")


# --- refusing what is not a feed ---------------------------------------------------------

_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S | re.I)
_ENTITY = re.compile(
    r"""<!ENTITY\s+(%\s*)?([^\s"']+)\s+(?:(SYSTEM|PUBLIC)\b|(["'])(.*?)\4)""", re.S | re.I
)
_CHAR_REF = re.compile(r"&#(?:[0-9]+|x[0-9a-fA-F]+);")
_LEADING_JUNK = re.compile(r"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*", re.S)


def _refuse_non_feeds(text: str, feed_url: str) -> None:
    """Raise ``NotAFeedError`` for HTML, JSON and empty documents."""
    head = _LEADING_JUNK.sub("", text[:4096], count=1).lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body")):
        raise NotAFeedError("document is HTML, not RSS/Atom", url=feed_url)
    if head.startswith(("{", "[")):
        raise NotAFeedError("document is JSON, not RSS/Atom", url=feed_url)
    if not head.strip():
        raise NotAFeedError("empty body", url=feed_url)


def _inline_entities(text: str, feed_url: str) -> str:
    """Return ``text`` with its DTD's internal entities substituted and the DTD removed.

    Only plain entities are accepted (``<!ENTITY site "Example News">``): nested, parameter
    and external ones are the "billion laughs" and XXE attacks and are refused, as is any
    expansion that would grow the document past twice its size plus 1 MB.
    """
    subset = _DOCTYPE_SUBSET.search(text[:65536])
    if subset is None:
        return text
    entities = _ENTITY.findall(subset.group(1))
    if len(entities) > MAX_ENTITIES:
        raise NotAFeedError(
            f"XML entity expansion refused: {len(entities)} entities declared", url=feed_url
        )
    values: dict[str, str] = {}
    for parameter, name, external, _quote, value in entities:
        if parameter:
            why = f"parameter entity {name!r}"
        elif external:
            why = f"external entity {name!r} ({external.upper()})"
        elif "&" in _CHAR_REF.sub("", value) or "%" in value:
            why = f"entity {name!r} refers to other entities"
        elif len(value) > MAX_ENTITY_CHARS:
            why = f"entity {name!r} is {len(value)} characters long"
        else:
            values.setdefault(name, value)
            continue
        raise NotAFeedError(f"XML entity expansion refused: {why}", url=feed_url)
    body = text[: subset.start()] + text[subset.end() :]
    growth = sum(body.count(f"&{n};") * len(v) for n, v in values.items())
    if growth > len(body) + 1024 * 1024:
        raise NotAFeedError(
            f"XML entity expansion refused: would add {growth} characters", url=feed_url
        )
    if not values:
        return body
    pattern = re.compile("&(" + "|".join(re.escape(n) for n in values) + ");")
    return pattern.sub(lambda m: values[m.group(1)], body)


# --- items -------------------------------------------------------------------------------


def _build_items(
    entries: list[Any], feed_url: str, language: str | None, now: datetime
) -> tuple[tuple[FeedItem, ...], list[str], dict[str, int]]:
    items: list[FeedItem] = []
    seen: set[str] = set()
    counts = {"duplicate": 0, "empty": 0, "hashed": 0, "unparsed": 0, "future": 0, "guessed": 0}
    unparsed_example = ""
    for entry in entries:
        item, raw_date = _build_item(entry, feed_url, language, now)
        if item is None:
            counts["empty"] += 1
            continue
        if item.guid in seen:
            counts["duplicate"] += 1
            continue
        seen.add(item.guid)
        items.append(item)
        counts["hashed"] += item.guid.startswith("sha1:")
        counts["future"] += item.date_status == "future"
        counts["guessed"] += item.date_status == "guessed"
        if item.date_status == "missing" and raw_date:
            counts["unparsed"] += 1
            unparsed_example = unparsed_example or raw_date
    messages = {
        "duplicate": "dropped {items} that repeat an earlier guid (duplicates)",
        "empty": "dropped {items} with no title, link or summary",
        "hashed": "{items} without guid or link: guid is a hash of title and date",
        "unparsed": "{items} with a date no parser understood (e.g. {example!r})",
        "future": "{items} dated more than a day in the future (kept as published)",
        "guessed": "{items} with a date read by the lenient parser",
    }
    warnings = [
        messages[key].format(items=f"{n} item{'s' if n > 1 else ''}", example=unparsed_example)
        for key, n in counts.items()
        if n
    ]
    dropped = {"duplicate-guid": counts["duplicate"], "no-content": counts["empty"]}
    return tuple(items), warnings, {reason: n for reason, n in dropped.items() if n}


def _build_item(
    entry: Any, feed_url: str, language: str | None, now: datetime
) -> tuple[FeedItem | None, str | None]:
    """Return the item (None when it has nothing in it) and its raw date text."""
    # feedparser already resolved links against xml:base and the feed URL; urljoin is for
    # the rare link it left relative
    url = _absolute(entry.get("link"), feed_url)
    if url is None and entry.get("guidislink"):
        url = _absolute(entry.get("id"), feed_url)
    title = _plain(entry.get("title"), entry.get("title_detail"))
    summary = _plain(entry.get("summary"), entry.get("summary_detail"))
    if summary is None and entry.get("content"):  # Atom entries may carry only <content>
        summary = _plain(entry.content[0].get("value"), entry.content[0])
    if not (url or title or summary):
        return None, None
    raw_date = dict.get(entry, "published") or dict.get(entry, "updated")
    published_at, status = _item_date(entry, now)
    guid = (entry.get("id") or "").strip() or url or _hash_guid(title, raw_date, summary)
    item = FeedItem(
        guid=guid,
        url=url,
        title=title,
        summary=summary,
        authors=_unique(_authors(entry)),
        categories=_unique(t.get("term") or t.get("label") for t in entry.get("tags") or ()),
        published_at=published_at,
        date_status=status,
        # dict.get: FeedParserDict would quietly answer 'updated' with the published date
        updated_at=_struct_to_datetime(dict.get(entry, "updated_parsed")),
        language=_primary_language(entry.get("language")) or language,
        enclosures=_unique(_enclosures(entry, feed_url)),
    )
    return item, raw_date


def _authors(entry: Any) -> Iterable[str | None]:
    for author in entry.get("authors") or ():
        yield author.get("name") or author.get("email")
    yield entry.get("author")


def _enclosures(entry: Any, feed_url: str) -> Iterable[str | None]:
    for enclosure in entry.get("enclosures") or ():
        yield _absolute(enclosure.get("href"), feed_url)
    for media in entry.get("media_content") or ():
        yield _absolute(media.get("url"), feed_url)


def _hash_guid(title: str | None, date: str | None, summary: str | None) -> str:
    key = "\x1f".join((title or "", date or "", "" if title else summary or ""))
    return "sha1:" + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def _absolute(link: str | None, base: str) -> str | None:
    """Return ``link`` resolved against ``base`` if it is an http(s) URL, else None."""
    if not link or not link.strip():
        return None
    url = urljoin(base, link.strip())
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _plain(value: str | None, detail: Any = None) -> str | None:
    """Return ``value`` as plain text (markup stripped when it is HTML), or None if blank."""
    if not value:
        return None
    # Markup is removed whatever the declared type: a "text" title holding escaped markup
    # (&lt;script&gt;) is markup once unescaped; script and style content is never text.
    value = strip_markup(value)
    text = " ".join(value.split())
    return text or None


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for value in values:
        if value and value.strip():
            out.setdefault(" ".join(value.split()), None)
    return tuple(out)


def _primary_language(tag: str | None) -> str | None:
    if not tag or not tag.strip():
        return None
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0] or None


# --- dates -------------------------------------------------------------------------------

# Levantine/Iraqi month names (SANA and most Syrian outlets) mapped to the Egyptian/Gulf ones
# dateparser knows (يناير, فبراير…). Longest first: "كانون الثاني" before "كانون".
_LEVANTINE_MONTHS = {
    "كانون الثاني": "يناير", "تشرين الثاني": "نوفمبر", "كانون الأول": "ديسمبر",
    "تشرين الأول": "أكتوبر", "شباط": "فبراير", "آذار": "مارس", "اذار": "مارس",
    "نيسان": "أبريل", "أيار": "مايو", "ايار": "مايو", "حزيران": "يونيو", "تموز": "يوليو",
    "آب": "أغسطس", "اب": "أغسطس", "أيلول": "سبتمبر", "ايلول": "سبتمبر",
}  # fmt: skip


def _item_date(entry: Any, now: datetime) -> tuple[datetime | None, DateStatus]:
    when = _struct_to_datetime(
        dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    )
    status: DateStatus = "ok"
    if when is None:
        when = parse_lenient_date(dict.get(entry, "published") or dict.get(entry, "updated"))
        status = "guessed"
    if when is None:
        return None, "missing"
    if when > now + FUTURE_SLACK:
        status = "future"
    return when, status


def parse_lenient_date(text: str | None) -> datetime | None:
    """Return a UTC datetime for a date feedparser did not understand (Arabic months too)."""
    if not text or not text.strip():
        return None
    import dateparser  # slow to import; most feeds never need it

    cleaned = to_ascii_digits(text).replace("،", ",")
    for name, egyptian in sorted(_LEVANTINE_MONTHS.items(), key=lambda kv: -len(kv[0])):
        cleaned = re.sub(rf"(?<![\w]){name}(?![\w])", egyptian, cleaned)
    when = dateparser.parse(
        cleaned,
        languages=["ar", "en", "fr"],
        settings={
            "TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )
    return when.astimezone(UTC) if when is not None else None


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None
