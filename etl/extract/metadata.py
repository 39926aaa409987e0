"""Read what an article page says about itself: title, authors, canonical URL, image, language.

Only structured markup counts (JSON-LD, <meta>, rel/itemprop attributes, an explicit byline):
a guess from the page layout puts cities and agencies among the authors, which is worse than
no author. Dates have their own module, ``etl.extract.dates``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml.html import HtmlElement

from etl.clean import clean_text, normalise_language_tag

log = logging.getLogger(__name__)

_ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
     "BackgroundNewsArticle", "LiveBlogPosting", "BlogPosting", "Report"}
)  # fmt: skip
_LANGUAGE_META = ("content-language", "language", "dc.language", "og:locale")


def read_meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Return the page's <meta> contents keyed by lower-cased property/name/itemprop/http-equiv."""
    values: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        content = (meta.get("content") or "").strip()
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and content and key not in values:
                values[key] = content
    return values


def find_canonical_url(tree: HtmlElement, url: str, meta: dict[str, str]) -> str | None:
    """Return the page's canonical URL (<link rel=canonical>, else og:url), made absolute."""
    link = next(iter(tree.xpath(".//link[@rel='canonical']/@href")), None)
    return _absolute(url, link or meta.get("og:url"))


def find_main_article(tree: HtmlElement, urls: set[str]) -> dict | None:
    """Return the JSON-LD article object describing the page at one of ``urls``, or None."""
    return _main_article(list(_iter_json_ld(tree)), urls)


def find_title(
    found_title: str | None, article: dict | None, site_name: str | None
) -> str | None:
    """Return the headline (trafilatura's title, else the JSON-LD one) without the site's name."""
    headline = str((article or {}).get("headline") or "")
    return _strip_site_suffix(clean_text(found_title or headline), site_name)


def find_authors(
    tree: HtmlElement,
    meta: dict[str, str],
    article: dict | None,
    *,
    site_names: tuple[str | None, ...],
) -> tuple[str, ...]:
    """Return the article's authors; ``site_names`` and the JSON-LD publisher are never authors."""
    publishers = _names_of((article or {}).get("publisher"))
    exclude = {n.casefold() for n in (*site_names, *publishers) if n}
    return _clean_authors(_author_candidates(tree, meta, article), exclude)


def find_image(
    url: str, meta: dict[str, str], found_image: str | None, article: dict | None
) -> str | None:
    """Return the lead image: og:image, else trafilatura's, else the JSON-LD one, made absolute."""
    return _absolute(url, meta.get("og:image") or found_image or (article or {}).get("image"))


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
        if (ids & urls) - {None}:  # an article with no url/@id must not match a page with no canonical
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


def find_markup_language(tree: HtmlElement, meta: dict[str, str], article: dict | None) -> str | None:
    """Return the ISO 639-1 language the markup declares: <html lang>, meta, og:locale, JSON-LD."""
    declared = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    declared += [meta.get(key) for key in _LANGUAGE_META]
    declared.append((article or {}).get("inLanguage") if isinstance((article or {}).get("inLanguage"), str) else None)
    return next((code for tag in declared if (code := normalise_language_tag(tag))), None)


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•]\s+")


def _strip_site_suffix(title: str, site_name: str | None) -> str | None:
    """Return ``title`` without a trailing " | Site Section" naming the site (CNN Politics, TIME)."""
    parts = _TITLE_SEPARATOR.split(title)
    if site_name and len(parts) > 1:
        last, site = parts[-1].casefold(), site_name.casefold()
        if site in last:
            return title[: title.rfind(parts[-1])].rstrip(" |-–—·•") or None
    return title or None


def _absolute(url: str, link: object) -> str | None:
    """Return ``link`` resolved against the page URL, or None when there is no link."""
    if isinstance(link, dict):
        link = link.get("url") or link.get("@id")
    if isinstance(link, list):
        link = link[0] if link else None
    return urljoin(url, link.strip()) if isinstance(link, str) and link.strip() else None


def _names_of(publisher: object) -> list[str]:
    """Return the name(s) of a JSON-LD publisher value."""
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        return [publisher["name"]]
    if isinstance(publisher, list):
        return [name for item in publisher for name in _names_of(item)]
    return []
