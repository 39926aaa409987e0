"""Turn a fetched article page into clean text and metadata.

Two jobs, both pure (bytes in, record out):

* ``decode_html`` finds the page's real encoding. Headers lie (Arabic sites still serve
  windows-1256 labelled iso-8859-1, or nothing at all), so every declared charset is
  checked against the bytes and a decoding that looks like mojibake (ÇáÓæÑí) loses to one
  that reads as text.
* ``extract_article`` runs trafilatura for the main text, falls back to JSON-LD
  ``articleBody`` and a densest-paragraph-block heuristic when trafilatura finds nothing,
  trims the related-links / comment-policy tails trafilatura keeps, refuses index pages
  and cookie walls (``text == ""`` with a ``problem``), and collects title, authors,
  dates, canonical URL, site name, image and language.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urljoin

import htmldate
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from etl.clean import clean_text, detect_language, normalise_language_tag
from etl.errors import PermanentError

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = (
    f"newsetl-extract/1 trafilatura/{trafilatura.__version__} htmldate/{htmldate.__version__}"
)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What one article page holds: cleaned main text, metadata, and how it was obtained."""

    title: str | None
    text: str  # cleaned paragraphs joined by "\n\n"; "" when the page has no article
    published: datetime | None  # UTC-aware
    modified: datetime | None  # UTC-aware
    authors: tuple[str, ...]
    canonical_url: str | None
    site_name: str | None
    image: str | None
    markup_language: str | None  # ISO 639-1 from <html lang>, og:locale, meta
    language: str | None  # ISO 639-1 detected from title + text
    extractor: str  # "trafilatura", "fallback-jsonld", "fallback-densest-block", "none"
    extractor_version: str
    problem: str | None = None  # why ``text`` is empty


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# WHATWG: these labels mean windows-1252 in browsers, and so they do for us.
_LATIN1_LABELS = {"latin_1", "ascii", "iso8859_1"}
# Encodings tried when the declared ones fail, Arabic first (our feeds are Arabic first).
_FALLBACK_ENCODINGS = ("cp1256", "iso8859_6", "cp1252", "cp1251", "cp1255", "iso8859_7")
_WORD = re.compile(r"\w+")
_CLEAN = 0.05  # a declared charset is trusted when under 5% of non-ASCII words look garbled


# Labels browsers know and Python does not.
_LABEL_ALIASES = {"iso-8859-6-i": "iso8859_6", "iso-8859-6-e": "iso8859_6", "x-mac-arabic": "mac_arabic",
                  "iso-8859-8-i": "iso8859_8", "x-cp1256": "cp1256", "x-sjis": "shift_jis"}  # fmt: skip


def _codec_name(label: str) -> str | None:
    """Return Python's codec name for a charset label, or None when Python has no such codec."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    if name in _LATIN1_LABELS:
        return "cp1252"
    if name.startswith(("utf_16", "utf_32")):
        # a UTF-16 label readable in ASCII bytes is wrong by construction (WHATWG rule)
        return "utf_8"
    return name


def declared_encodings(raw: bytes, content_type: str | None = None) -> list[str]:
    """Return the codecs the page claims, in precedence order: HTTP header, XML, <meta>."""
    labels = []
    if content_type and (match := _HTTP_CHARSET.search(content_type)):
        labels.append(match.group(1))
    head = raw[:8192]
    if match := _XML_ENCODING.match(head):
        labels.append(match.group(1).decode("ascii"))
    labels += [m.group(1).decode("ascii") for m in _META_CHARSET.finditer(head)]
    names = []
    for label in labels:
        name = _codec_name(label)
        if name and name not in names:
            names.append(name)
    return names


def _utf16_without_bom(raw: bytes) -> str | None:
    """Return the UTF-16 codec of BOM-less UTF-16 markup (every other byte NUL), else None."""
    sample = raw[:1024]
    if len(sample) < 16 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 3 * even:
        return "utf-16-le"
    if even > 3 * odd:
        return "utf-16-be"
    return None


def _script(char: str) -> str:
    """Return a coarse script class of a non-ASCII letter, enough to spot mojibake."""
    point = ord(char)
    if point < 0x0100:
        return "latin1"
    if point < 0x0250 or 0x1E00 <= point <= 0x1EFF:
        return "latin"
    if 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or point >= 0xFB50:
        return "arabic"
    if 0x0370 <= point <= 0x03FF:
        return "greek"
    if 0x0400 <= point <= 0x04FF:
        return "cyrillic"
    if 0x0590 <= point <= 0x05FF:
        return "hebrew"
    return "other"


# UTF-8 lead bytes of Arabic letters (0xD8, 0xD9) as windows-1256 and as Latin-1 see them.
_UTF8_LEAD_AS_CP1256 = "طظ"
_UTF8_LEAD_AS_LATIN1 = "ØÙ"


def _is_misdecoded(word: str) -> bool:
    """Return True when a non-ASCII word looks like bytes decoded with the wrong charset."""
    if "\ufffd" in word or any("\x80" <= c <= "\x9f" for c in word):
        return True
    scripts = {_script(c) for c in word if not c.isascii() and c.isalpha()}
    has_ascii = any(c.isascii() and c.isalpha() for c in word)
    if "arabic" in scripts and scripts & {"latin1", "latin"}:
        return True  # ISO-8859-6 read as windows-1256 puts à ç é inside Arabic words
    if "arabic" in scripts and has_ascii and "\u0640" not in word:
        return True  # ÉCOLE read as windows-1256 is ةCOLE; a real لـCNN joins with a tatweel
    # ÇáÓæÑí: Arabic read as Latin-1; real French or German words carry ASCII letters
    return scripts == {"latin1"} and not has_ascii and len(word) >= 3


def _utf8_read_as_single_byte(text: str) -> bool:
    """Return True for UTF-8 Arabic decoded as windows-1256 (ط§ظ„) or Latin-1 (Ø§Ù„).

    Every Arabic letter is two UTF-8 bytes whose first is 0xD8 or 0xD9, so such text is
    half lead bytes; in real Arabic ط and ظ are about 1% of letters.
    """
    arabic = sum(1 for c in text if "\u0621" <= c <= "\u064a")
    if arabic >= 8 and sum(map(text.count, _UTF8_LEAD_AS_CP1256)) > 0.3 * arabic:
        return True
    high = sum(1 for c in text if "\u00a0" <= c <= "\u00ff")
    return high >= 8 and sum(map(text.count, _UTF8_LEAD_AS_LATIN1)) > 0.3 * high


def mojibake_score(text: str, *, limit: int = 3000) -> float:
    """Return the share of non-ASCII words that look mis-decoded (0 = clean, 1 = all garbage).

    Signatures: mixed scripts inside a word, Arabic read as Latin-1 (ÇáÓæÑí), UTF-8 read
    as a single-byte charset (ط§ظ„, Ø§Ù„ — the whole text scores 1), C1 controls, U+FFFD.
    Only the first ``limit`` non-ASCII words are looked at.
    """
    text = text[:300_000]  # plenty to judge a charset; keeps huge pages cheap
    if _utf8_read_as_single_byte(text):
        return 1.0
    suspicious = total = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        total += 1
        suspicious += _is_misdecoded(word)
        if total >= limit:
            break
    # U+FFFD and C1 controls also appear outside words (punctuation positions)
    garbage = text.count("\ufffd") + sum(1 for c in text if "\x80" <= c <= "\x9f")
    return min(1.0, (suspicious + garbage) / max(total, 1)) if total or garbage else 0.0


def _try_decode(raw: bytes, codec: str) -> str | None:
    """Return ``raw`` decoded strictly with ``codec``, or None when the bytes do not fit it."""
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected_encodings(raw: bytes) -> list[str]:
    """Return charset_normalizer's guesses for the non-ASCII lines of ``raw``, best first."""
    from charset_normalizer import from_bytes

    # markup is ASCII and drowns the signal: keep only lines that carry non-ASCII bytes
    sample = b"\n".join(line for line in raw.splitlines() if not line.isascii())[:65536]
    if not sample:
        return []
    return [_codec_name(m.encoding) or m.encoding for m in from_bytes(sample)][:3]


_BINARY_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip-compressed bytes (Content-Encoding not undone)"),
)


def _binary_kind(raw: bytes) -> str | None:
    """Return what a non-text body is (PDF, image, gzip ...), or None for text."""
    for magic, kind in _BINARY_MAGIC:
        if raw.startswith(magic):
            return kind
    sample = raw[:1024]
    if b"\x00" in sample and _utf16_without_bom(raw) is None and not raw.startswith(tuple(b for b, _ in _BOMS)):
        return "binary data"
    return None


def _is_mostly_utf8(raw: bytes) -> bool:
    """Return True when all but a few multi-byte sequences are valid UTF-8 (one bad paste,
    a truncated tail). Legacy Arabic encodings fail on nearly every letter, never on 1 in 20."""
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for c in text if c > "\x7f") - broken
    return valid >= 20 * broken


def _decode_unambiguous(raw: bytes) -> str | None:
    """Return the text when the bytes alone settle the encoding: BOM, UTF-16, (nearly) valid UTF-8."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    if codec := _utf16_without_bom(raw):
        return raw.decode(codec, errors="replace")
    if (text := _try_decode(raw, "utf-8")) is not None:
        return text
    if _is_mostly_utf8(raw):
        return raw.decode("utf-8", errors="replace")
    return None


def decode_html(raw: bytes, content_type: str | None = None) -> str:
    """Return the page as correct Unicode, whatever its BOM, labels or lack of them say.

    Order: BOM; BOM-less UTF-16; UTF-8 when the bytes are valid UTF-8, or nearly (a legacy
    Arabic page is never valid UTF-8 by accident, whatever its label says); the declared
    charsets (HTTP, XML declaration, <meta>) if their decoding does not look like mojibake;
    else the cleanest of the declared ones, the Arabic-first fallbacks and
    charset_normalizer's guesses. Raises ``PermanentError`` for bodies that are not text
    at all (PDF, images, gzip).
    """
    if kind := _binary_kind(raw):
        raise PermanentError(f"undecodable: the page is {kind}, not HTML")
    if (text := _decode_unambiguous(raw)) is not None:
        return text
    declared = [codec for codec in declared_encodings(raw, content_type) if codec != "utf_8"]
    for codec in declared:
        if (text := _try_decode(raw, codec)) is not None and mojibake_score(text) < _CLEAN:
            return text
    candidates = {
        codec: text
        for codec in dict.fromkeys((*declared, *_FALLBACK_ENCODINGS, *_detected_encodings(raw)))
        if (text := _try_decode(raw, codec)) is not None
    }
    if not candidates:
        return raw.decode("utf-8", errors="replace")
    # min() keeps the first of equals: declared charsets, then the Arabic-first fallbacks
    best = min(candidates, key=lambda codec: mojibake_score(candidates[codec]))
    log.debug("decoded with %s (declared %s)", best, declared)
    return candidates[best]


def repair_mojibake(text: str) -> str:
    """Return ``text`` with whole-text mojibake undone when that clearly reads better.

    For strings that reached us already decoded (JSON Lines input): UTF-8 read as
    windows-1252 (Ø§Ù„Ø³) or windows-1256 (ط§ظ„), and windows-1256 read as Latin-1
    (ÇáÓæÑí) are reversed; anything else is returned unchanged.
    """
    score = mojibake_score(text)
    if score < 0.2:
        return text
    best = text
    for wrong, right in (("cp1252", "utf-8"), ("latin-1", "utf-8"), ("cp1256", "utf-8"), ("latin-1", "cp1256")):
        try:
            repaired = text.encode(wrong).decode(right)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if (repaired_score := mojibake_score(repaired)) < score:
            best, score = repaired, repaired_score
    return best


# --------------------------------------------------------------------------- metadata

_ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
     "BackgroundNewsArticle", "LiveBlogPosting", "BlogPosting", "Report"}
)  # fmt: skip
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "date", "sailthru.date", "parsely-pub-date", "article.published",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "article.updated",
)  # fmt: skip
_LANGUAGE_META = ("content-language", "language", "dc.language", "og:locale")
_DATE_CLASS = re.compile(r"date|time|tmstmp|stamp|publish|posted|byline", re.I)
# Month names in Levantine/Iraqi, Egyptian/Gulf and Maghrebi use, hamza-folded (see _fold).
_ARABIC_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "ماي": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "يوليوز": 7, "اغسطس": 8, "غشت": 8, "سبتمبر": 9,
    "شتنبر": 9, "اكتوبر": 10, "نوفمبر": 11, "نونبر": 11, "ديسمبر": 12, "دجنبر": 12,
}  # fmt: skip
_MONTH_ALTERNATIVES = "|".join(sorted(_ARABIC_MONTHS, key=len, reverse=True))
_ARABIC_DATE = re.compile(
    rf"(\d{{1,2}})\s+({_MONTH_ALTERNATIVES})(?:\s*/\s*(?:{_MONTH_ALTERNATIVES}))?\s*[,،]?\s*(\d{{4}})"
    r"(?:[^\d]{0,30}?(\d{1,2}):(\d{2}))?(?:[^\d]{0,12}?(?:GMT|UTC|غرينتش)\s*([+-])\s*(\d{1,2}):?(\d{2})?)?"
)


def _fold(text: str) -> str:
    """Return ``text`` with hamza-alefs folded and Eastern digits made ASCII, for date regexes."""
    from etl.arabic import to_ascii_digits

    return to_ascii_digits(text).translate(str.maketrans("أإآ", "ااا"))


def parse_datetime(value: object) -> datetime | None:
    """Return an aware UTC datetime for an ISO 8601 / RFC 2822 string, or None.

    A date without a time is midnight; a time without a zone is taken as UTC (sites that
    omit the zone mostly publish in UTC, and a wrong hour beats no date).
    """
    if not isinstance(value, str) or not (value := value.strip()):
        return None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if not 1990 <= parsed.year <= 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_arabic_date(text: str) -> datetime | None:
    """Return the first Arabic-script date in ``text`` (28 آب/اغسطس 2013، 14:00 GMT+0400) in UTC."""
    match = _ARABIC_DATE.search(_fold(text))
    if not match:
        return None
    day, month_name, year, hour, minute, sign, tz_hours, tz_minutes = match.groups()
    offset = timedelta(hours=int(tz_hours or 0), minutes=int(tz_minutes or 0))
    zone = timezone(-offset if sign == "-" else offset)
    try:
        local = datetime(
            int(year), _ARABIC_MONTHS[month_name], int(day), int(hour or 0), int(minute or 0),
            tzinfo=zone,
        )  # fmt: skip
    except ValueError:
        return None
    return local.astimezone(UTC)


def _iter_json_ld(tree: HtmlElement) -> Iterator[dict]:
    """Yield every JSON-LD object of the page, @graph members and list items flattened."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads((script.text or "").strip().removeprefix("<![CDATA[").removesuffix("]]>"), strict=False)
        except json.JSONDecodeError:
            log.debug("unreadable JSON-LD block skipped")
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])


def _types(obj: dict) -> set[str]:
    """Return the schema.org @type names of a JSON-LD object."""
    kind = obj.get("@type")
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _main_article(objects: list[dict], urls: set[str]) -> dict | None:
    """Return the JSON-LD article describing this page (URL match first), or None."""
    articles = [obj for obj in objects if _types(obj) & _ARTICLE_TYPES]
    for obj in articles:
        entity = obj.get("mainEntityOfPage")
        ids = {obj.get("url"), obj.get("@id"), entity.get("@id") if isinstance(entity, dict) else entity}
        if ids & urls:
            return obj
    with_body = [obj for obj in articles if isinstance(obj.get("articleBody"), str)]
    return (with_body or articles or [None])[0]


def _names(value: object) -> list[str]:
    """Return person names from a JSON-LD author value (string, object or list of them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if _types(value) & {"Organization", "NewsMediaOrganization"}:
            return []
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _meta_values(tree: HtmlElement) -> dict[str, str]:
    """Return the page's <meta> contents keyed by lower-cased property/name/itemprop/http-equiv."""
    values: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        content = (meta.get("content") or "").strip()
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and content and key not in values:
                values[key] = content
    return values


_AUTHOR_META = ("article:author", "author", "parsely-author", "sailthru.author", "dc.creator", "byl")
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|بقلم|كتب|كتبت)\s*[:：]?\s+(\S.{1,60}?)\s*(?:[-–—|،,]|$)", re.I)


def _author_candidates(tree: HtmlElement, meta: dict[str, str], article: dict | None) -> list[str]:
    """Return author names from structured markup only, best source first.

    JSON-LD Person authors; then author <meta> tags; then rel/itemprop=author elements;
    then a byline that says so ("By ...", "بقلم ..."). No guessing from byline position:
    bylines like "دمشق - الشام للأنباء" are a dateline and an agency, and a city or an
    agency in ``authors`` is worse than none.
    """
    if names := _names((article or {}).get("author")):
        return names
    if names := [meta[key] for key in _AUTHOR_META if meta.get(key) and "://" not in meta[key]]:
        return names[:1]
    for element in tree.xpath(".//*[@rel='author' or @itemprop='author']"):
        named = element.xpath(".//*[@itemprop='name']")
        text = (named[0] if named else element).text_content()
        if text.strip():
            return [text]
    for element in tree.xpath(".//*[contains(@class, 'byline') or contains(@class, 'author')]"):
        if match := _BYLINE_PREFIX.match(element.text_content()):
            return [match.group(1)]
    return []


def _clean_authors(candidates: list[str], exclude: set[str]) -> tuple[str, ...]:
    """Return distinct plausible person names: no publishers, URLs or sentences."""
    authors: list[str] = []
    for candidate in candidates:
        for name in re.split(r"\s*(?:;|\|| and | و(?=\s))\s*", candidate):
            name = " ".join(name.split())  # NBSP and runs of spaces inside names
            name = re.sub(r"^(?:by|بقلم|كتب(?:ت)?)[:\s]+", "", name, flags=re.I).strip(" ,:-")
            if (
                name
                and len(name) <= 60
                and len(name.split()) <= 6
                and "http" not in name
                and "@" not in name
                and not any(name.casefold() in other or other in name.casefold() for other in exclude)
                and name not in authors
            ):
                authors.append(name)
    return tuple(authors)


def _published_in_markup(tree: HtmlElement, meta: dict[str, str], attribute: str) -> datetime | None:
    """Return the first parseable date in <time>/itemprop markup for ``attribute`` (datePublished…)."""
    xpath = f".//*[@itemprop='{attribute}']"
    if attribute == "datePublished":
        xpath += " | .//time[@pubdate] | .//time[@datetime]"
    for element in tree.xpath(xpath):
        if parsed := parse_datetime(element.get("datetime") or element.get("content")):
            return parsed
    return None


def _arabic_date_in_page(tree: HtmlElement) -> datetime | None:
    """Return an Arabic written date from an element whose class/id says date, time or stamp."""
    # not in header/nav/footer/aside: Arabic sites print *today's* date in their header
    for element in tree.xpath(
        ".//*[@class or @id][not(ancestor-or-self::header or ancestor-or-self::nav"
        " or ancestor-or-self::footer or ancestor-or-self::aside)]"
    ):
        if element.tag in ("script", "style") or not _DATE_CLASS.search(
            f"{element.get('class', '')} {element.get('id', '')}"
        ):
            continue
        text = element.text_content()
        if len(text) <= 200 and (parsed := parse_arabic_date(text)):
            return parsed
    return None


def _find_dates(tree: HtmlElement, meta: dict[str, str], article: dict | None, url: str) -> tuple[datetime | None, datetime | None]:
    """Return (published, modified): JSON-LD, then <meta>, <time>, Arabic dates, htmldate."""
    article = article or {}
    published = parse_datetime(article.get("datePublished")) or next(
        (d for key in _PUBLISHED_META if (d := parse_datetime(meta.get(key)))), None
    )
    published = published or _published_in_markup(tree, meta, "datePublished") or _arabic_date_in_page(tree)
    if published is None:
        found = htmldate.find_date(tree, url=url, original_date=True, extensive_search=False)
        published = parse_datetime(found)
    modified = parse_datetime(article.get("dateModified")) or next(
        (d for key in _MODIFIED_META if (d := parse_datetime(meta.get(key)))), None
    )
    modified = modified or _published_in_markup(tree, meta, "dateModified")
    return published, modified


def _markup_language(tree: HtmlElement, meta: dict[str, str], article: dict | None) -> str | None:
    """Return the ISO 639-1 language the markup declares: <html lang>, meta, og:locale, JSON-LD."""
    declared = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    declared += [meta.get(key) for key in _LANGUAGE_META]
    declared.append((article or {}).get("inLanguage") if isinstance((article or {}).get("inLanguage"), str) else None)
    return next((code for tag in declared if (code := normalise_language_tag(tag))), None)


# --------------------------------------------------------------------------- main text

# A paragraph that opens a related-links / recommendations block: it and the list or
# short teaser lines after it are dropped.
_RELATED_HEADING = re.compile(
    r"^(?:(?:read|see|watch) (?:more|also|next)|related(?: \w+)?|more (?:must-reads|stories|"
    r"from|on|in)\b.*|(?:you )?(?:might|may) (?:also )?(?:like|be interested).*|recommended(?: \w+)?|"
    r"most (?:read|popular|viewed)|trending(?: now)?|top stories|"
    r"[اإ]قرأ (?:أيض|ايض|المزيد)\S*|(?:مواضيع|أخبار|اخبار|مقالات|موضوعات) (?:ذات صلة|متعلقة|مشابهة)|"
    r"الأكثر (?:قراءة|مشاهدة)|(?:شاهد|طالع) (?:أيض|ايض)\S*|المزيد من .*)[:：]?$",
    re.I,
)
# Paragraphs that are never article text: cross-links to other stories ("Read more: <other
# headline>" — a headline of another story must not reach claim extraction), comment
# policies, newsletter and share prompts, copyright lines, "Write to ... at" footers.
_BOILERPLATE = re.compile(
    r"^(?:(?:read|see|watch) (?:more|also)\s*[:：-]\s*\S.{0,200}|"
    r"(?:[اإ]قرأ|شاهد|طالع) (?:أيض|ايض|المزيد)\S*\s*[:：-]\s*\S.{0,200}|write to .{3,80} at \S+@\S+|contact (?:us|the author) at .*|advertisement|"
    r"(?:share|tweet|print|email)(?: this)?(?: article| story)?|all rights reserved.*|©.*|copyright .*|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,60}newsletter.*|"
    r"إعلان|اعلان|جميع الحقوق محفوظة.*|شارك(?: المقال| الخبر)?|"
    r"الآراء الواردة .{0,40}لا تعبر عن .*|ترحب .{0,30}بالنقاش .*|"
    r".{0,200}\b(?:comments? (?:are|is) moderated|comment policy|community guidelines)\b.{0,200})$",
    re.I,
)
# Cookie/consent-wall vocabulary ("consent" alone is not enough: legal news uses it).
_COOKIE = re.compile(
    r"\bcookies?\b|\bconsent (?:settings|preferences|manager)\b|\bmanage consent\b|"
    r"\bprivacy (?:policy|settings)\b|\baccept all\b|\bmanage (?:preferences|options)\b|"
    r"ملفات تعريف الارتباط|الكوكيز|سياسة الخصوصية",
    re.I,
)
_COOKIE_WALL_MAX_WORDS = 400  # a consent wall is short; a long text mentioning cookies is an article
_LIST_ITEM = re.compile(r"^[-•*]\s")
_SENTENCE_ENDS = (".", "!", "?", "؟", "…", '"', "”", "»", "»", ")")
_MIN_WORDS = 20  # an article shorter than this is a stub, a teaser or a caption
_PROSE_WORDS = 15  # a paragraph of prose, as opposed to a headline or teaser line


def _words(text: str) -> int:
    """Return the number of words in ``text``."""
    return len(_WORD.findall(text))


def _is_teaser(paragraph: str) -> bool:
    """Return True for a headline-like line: short and not ending a sentence."""
    return _words(paragraph) < _PROSE_WORDS and not paragraph.rstrip().endswith(_SENTENCE_ENDS)


def trim_boilerplate(paragraphs: list[str]) -> list[str]:
    """Return ``paragraphs`` without related-links blocks and policy/share/copyright lines."""
    kept: list[str] = []
    in_related = False
    for paragraph in paragraphs:
        if _RELATED_HEADING.match(paragraph):
            in_related = True
            continue
        if in_related and (_LIST_ITEM.match(paragraph) or _is_teaser(paragraph)):
            continue
        in_related = False
        if len(paragraph) < 500 and _BOILERPLATE.match(paragraph):
            continue
        kept.append(paragraph)
    return kept


def _trafilatura_paragraphs(tree: HtmlElement, url: str, *, precision: bool) -> tuple[list[str], float]:
    """Return trafilatura's paragraphs and the share of their characters inside links."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=precision,
        include_comments=False,  # comments are not the article (trafilatura's default keeps them)
        include_links=True,  # only to measure link density; the links are stripped below
        include_tables=True,
    )
    if document is None or document.body is None:
        return [], 0.0
    body = document.body
    total = len("".join(body.itertext())) or 1
    linked = sum(len("".join(ref.itertext())) for ref in body.iter("ref"))
    etree.strip_tags(body, "ref")
    return [line for line in xmltotxt(body, include_formatting=False).split("\n") if line.strip()], linked / total


def _json_ld_paragraphs(article: dict | None) -> list[str]:
    """Return the JSON-LD ``articleBody`` as paragraphs (markup stripped when sites put HTML in)."""
    body = (article or {}).get("articleBody")
    if not isinstance(body, str) or not body.strip():
        return []
    if "<" in body and ">" in body:
        from lxml.html import fragment_fromstring

        body = "\n".join(fragment_fromstring(body, create_parent="div").itertext())
    return [line for line in body.split("\n") if line.strip()]


_FURNITURE = re.compile(r"comment|cookie|consent|newsletter|related|share|footer|sidebar|menu", re.I)


def _is_page_furniture(element: HtmlElement) -> bool:
    """Return True for containers that never hold the article: nav, footer, comments ..."""
    if element.tag in ("nav", "footer", "aside", "header", "form"):
        return True
    return bool(_FURNITURE.search(f"{element.get('class', '')} {element.get('id', '')}"))


def _densest_block_paragraphs(tree: HtmlElement) -> list[str]:
    """Return the <p> texts of the element holding the most paragraph text outside links."""
    scores: dict[HtmlElement, int] = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        if parent is None or any(_is_page_furniture(a) for a in paragraph.iterancestors()):
            continue
        text = paragraph.text_content()
        linked = sum(len(a.text_content()) for a in paragraph.iter("a"))
        scores[parent] = scores.get(parent, 0) + max(0, len(text.strip()) - 2 * linked)
    if not scores:
        return []
    best = max(scores, key=scores.__getitem__)
    return [p.text_content() for p in best.iterfind("p") if p.text_content().strip()]


def has_article_markup(tree: HtmlElement, meta: dict[str, str], article: dict | None) -> bool:
    """Return True when the page says it is one article: og:type, JSON-LD, published time, one <article>."""
    return bool(
        meta.get("og:type", "").startswith("article")
        or article
        or "article:published_time" in meta
        or len(tree.xpath(".//article")) == 1
    )


def looks_like_listing(tree: HtmlElement) -> bool:
    """Return True for index/section pages: many teaser headline links.

    Teaser summaries read like prose and fool text-only checks, so the page structure
    decides: outside nav/header/footer/aside, at least 6 headings that are links, or 3+
    <article> elements. Only asked for pages without article markup.
    """
    linked_headings = tree.xpath(
        ".//*[self::h2 or self::h3 or self::h4][.//a][not(ancestor::nav or ancestor::header"
        " or ancestor::footer or ancestor::aside)]"
    )
    return len(linked_headings) >= 6 or len(tree.xpath(".//article")) >= 3


def _reads_like_a_list(paragraphs: list[str]) -> bool:
    """Return True when the text is mostly list items or headline-length lines, not prose."""
    items = sum(1 for p in paragraphs if _LIST_ITEM.match(p))
    prose = sum(1 for p in paragraphs if _words(p) >= _PROSE_WORDS and not _LIST_ITEM.match(p))
    return items > 0.6 * len(paragraphs) or (len(paragraphs) >= 6 and prose < 0.25 * len(paragraphs))


def _no_article_problem(paragraphs: list[str], link_density: float, page_text: str, tree: HtmlElement, *,
                        is_article: bool) -> str | None:
    """Return why ``paragraphs`` are not an article (listing, cookie wall, stub), or None.

    ``is_article`` (the markup says so) disables the listing and cookie-wall verdicts: a
    short story about cookie fines is still a story.
    """
    words = sum(_words(p) for p in paragraphs)
    if not page_text.strip():
        return "empty page"
    if not is_article and looks_like_listing(tree):
        return "no article text found (page looks like an index/listing)"
    if not paragraphs:
        if _COOKIE.search(page_text) and _words(page_text) < _COOKIE_WALL_MAX_WORDS:
            return "no article text found (cookie/consent wall)"
        return "no article text found"
    cookie_words = sum(_words(p) for p in paragraphs if _COOKIE.search(p))
    if not is_article and words < _COOKIE_WALL_MAX_WORDS and cookie_words >= words / 2:
        return "no article text found (cookie/consent wall)"
    if link_density > 0.5 or (not is_article and _reads_like_a_list(paragraphs)):
        return "no article text found (page looks like an index/listing)"
    if words < _MIN_WORDS:
        return f"no article text found (only {words} words)"
    return None


def _extract_text(tree: HtmlElement, url: str, article: dict | None, *, precision: bool) -> tuple[list[str], str, float]:
    """Return (paragraphs, extractor name, link density) from the best extractor for this page.

    Order: trafilatura; the site's own JSON-LD ``articleBody`` when it is much longer
    (script-rendered pages); trafilatura in balanced mode when precision mode kept almost
    nothing; the densest block of <p> as a last resort.
    """
    paragraphs, link_density = _trafilatura_paragraphs(tree, url, precision=precision)
    paragraphs = trim_boilerplate(paragraphs)
    from_json_ld = trim_boilerplate(_json_ld_paragraphs(article))
    if sum(map(len, from_json_ld)) > 1.5 * sum(map(len, paragraphs)) + 200:
        return from_json_ld, "fallback-jsonld", 0.0
    if precision and sum(_words(p) for p in paragraphs) < _MIN_WORDS:
        paragraphs, link_density = _trafilatura_paragraphs(tree, url, precision=False)
        paragraphs = trim_boilerplate(paragraphs)
    if paragraphs:
        return paragraphs, "trafilatura", link_density
    return trim_boilerplate(_densest_block_paragraphs(tree)), "fallback-densest-block", 0.0


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•]\s+")


def _strip_site_suffix(title: str, site_name: str | None) -> str | None:
    """Return ``title`` without a trailing " | Site Section" naming the site (CNN Politics, TIME)."""
    parts = _TITLE_SEPARATOR.split(title)
    if site_name and len(parts) > 1:
        last, site = parts[-1].casefold(), site_name.casefold()
        if site in last:
            return title[: title.rfind(parts[-1])].rstrip(" |-–—·•") or None
    return title or None


def _drop_leading_title(paragraphs: list[str], title: str | None) -> list[str]:
    """Return ``paragraphs`` without a first line that repeats the headline (the <h1>)."""
    if title and paragraphs and _WORD.findall(paragraphs[0].casefold()) == _WORD.findall(title.casefold()):
        return paragraphs[1:]
    return paragraphs


# --------------------------------------------------------------------------- article


def _parse(html: str) -> HtmlElement | None:
    """Return the lxml tree of ``html`` (XML declaration removed: lxml refuses it on str)."""
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    return load_html(html)


def _absolute(url: str, link: object) -> str | None:
    """Return ``link`` resolved against the page URL, or None when there is no link."""
    if isinstance(link, dict):
        link = link.get("url") or link.get("@id")
    if isinstance(link, list):
        link = link[0] if link else None
    return urljoin(url, link.strip()) if isinstance(link, str) and link.strip() else None


def extract_article(
    raw: bytes | str, *, url: str, content_type: str | None = None, precision: bool = True
) -> ExtractedPage:
    """Return the page's cleaned main text and metadata; ``text == ""`` with a ``problem`` when there is no article.

    ``raw`` is the body as fetched (decoded with ``decode_html``) or an already-decoded
    string (checked for whole-text mojibake). ``precision`` selects trafilatura's
    favor_precision mode (measured in ``bench/eval_extract.py``). Raises
    ``PermanentError`` only for bodies that are not text (PDF, images).
    """
    html = decode_html(raw, content_type) if isinstance(raw, bytes) else repair_mojibake(raw)
    tree = _parse(html)
    if tree is None:
        return _empty_page(url, "empty page")
    meta = _meta_values(tree)
    canonical = _absolute(url, next(iter(tree.xpath(".//link[@rel='canonical']/@href")), None) or meta.get("og:url"))
    article = _main_article(list(_iter_json_ld(tree)), {url, canonical})
    found = extract_metadata(tree, url, None, True, set())  # trafilatura: title, sitename, image
    site_name = meta.get("og:site_name") or found.sitename
    title = _strip_site_suffix(clean_text(found.title or str((article or {}).get("headline") or "")), site_name)
    text, extractor, problem = _article_text(tree, url, meta, article, title, precision=precision)
    exclude = {n.casefold() for n in (site_name, found.sitename, *_names_of((article or {}).get("publisher"))) if n}
    published, modified = _find_dates(tree, meta, article, url)
    markup_language = _markup_language(tree, meta, article)
    log.debug("extracted %s: %d chars by %s, problem %s", url, len(text), extractor, problem)
    return ExtractedPage(
        title=title,
        text=text,
        published=published,
        modified=modified,
        authors=_clean_authors(_author_candidates(tree, meta, article), exclude),
        canonical_url=canonical,
        site_name=site_name,
        image=_absolute(url, meta.get("og:image") or found.image or (article or {}).get("image")),
        markup_language=markup_language,
        language=detect_language(text or title or "", hint=markup_language),
        extractor=extractor,
        extractor_version=EXTRACTOR_VERSION,
        problem=problem,
    )


def _article_text(
    tree: HtmlElement, url: str, meta: dict[str, str], article: dict | None, title: str | None, *, precision: bool
) -> tuple[str, str, str | None]:
    """Return (cleaned text, extractor, problem); text is "" and extractor "none" when there is a problem."""
    paragraphs, extractor, link_density = _extract_text(tree, url, article, precision=precision)
    paragraphs = _drop_leading_title(paragraphs, title)
    body = tree.find("body")
    page_text = body.text_content() if body is not None else tree.text_content()
    is_article = has_article_markup(tree, meta, article)
    if problem := _no_article_problem(paragraphs, link_density, page_text, tree, is_article=is_article):
        return "", "none", problem
    return clean_text("\n\n".join(paragraphs)), extractor, None


def _names_of(publisher: object) -> list[str]:
    """Return the name(s) of a JSON-LD publisher value."""
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        return [publisher["name"]]
    if isinstance(publisher, list):
        return [name for item in publisher for name in _names_of(item)]
    return []


def _empty_page(url: str, problem: str) -> ExtractedPage:
    """Return the record of a page with nothing in it."""
    return ExtractedPage(
        title=None, text="", published=None, modified=None, authors=(), canonical_url=None,
        site_name=None, image=None, markup_language=None, language=None, extractor="none",
        extractor_version=EXTRACTOR_VERSION, problem=problem,
    )  # fmt: skip


def extract_record(obj: dict) -> dict:
    """Return the ``newsetl extract`` output row for one JSON Lines input row {"id","url","html"}."""
    page = extract_article(obj["html"], url=obj["url"], content_type=obj.get("content_type"))
    return {
        "id": obj["id"],
        "title": page.title,
        "text": page.text,
        "published": page.published.isoformat() if page.published else None,
        "language": page.language,
        "authors": list(page.authors),
    }
