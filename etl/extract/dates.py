"""Find when an article was published and last modified, in UTC.

Sources in order of trust: JSON-LD, <meta> tags, <time>/itemprop markup, a date written out
in Arabic (month names differ by region: شباط, فبراير ...), and htmldate as the last
resort. A separate module because Arabic dates need their own parser and tests.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import htmldate
from lxml.html import HtmlElement

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "date", "sailthru.date", "parsely-pub-date", "article.published",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "article.updated",
)  # fmt: skip
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


def find_dates(tree: HtmlElement, meta: dict[str, str], article: dict | None, url: str) -> tuple[datetime | None, datetime | None]:
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
