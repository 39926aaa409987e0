"""Turn one fetched article page into an ``ExtractedPage``: the stage's entry point.

``extract_article`` only orders the work: decode (``decode``), parse, read the markup
(``metadata``, ``dates``), find the main text (``text``), detect the language. Pure: bytes or
a string in, a record out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

import htmldate
import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from etl.clean import detect_language
from etl.extract.dates import find_dates
from etl.extract.decode import decode_html, repair_mojibake
from etl.extract.metadata import (
    find_authors,
    find_canonical_url,
    find_image,
    find_main_article,
    find_markup_language,
    find_title,
    read_meta_tags,
)
from etl.extract.text import extract_text, protect_invisible, restore_invisible

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = (
    f"newsetl-extract/4 trafilatura/{trafilatura.__version__} htmldate/{htmldate.__version__}"
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


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(html: str) -> HtmlElement | None:
    """Return the lxml tree of ``html`` (XML declaration removed: lxml refuses it on str)."""
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    return load_html(html)


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
    meta = read_meta_tags(tree)
    canonical = find_canonical_url(tree, url, meta)
    article = find_main_article(tree, {url, canonical})
    protected = protect_invisible(tree)  # trafilatura drops direction marks from titles too
    found = extract_metadata(protected if protected is not None else tree, url, None, True, set())
    found_site, found_image = restore_invisible(found.sitename), restore_invisible(found.image)
    site_name = meta.get("og:site_name") or found_site
    title = find_title(restore_invisible(found.title), article, site_name)
    text, extractor, problem = extract_text(tree, url, meta, article, title, precision=precision, protected=protected)
    published, modified = find_dates(tree, meta, article, url)
    markup_language = find_markup_language(tree, meta, article)
    log.debug("extracted %s: %d chars by %s, problem %s", url, len(text), extractor, problem)
    return ExtractedPage(
        title=title,
        text=text,
        published=published,
        modified=modified,
        authors=find_authors(tree, meta, article, site_names=(site_name, found_site)),
        canonical_url=canonical,
        site_name=site_name,
        image=find_image(url, meta, found_image, article),
        markup_language=markup_language,
        language=detect_language(text or title or "", hint=markup_language),
        extractor=extractor,
        extractor_version=EXTRACTOR_VERSION,
        problem=problem,
    )


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
