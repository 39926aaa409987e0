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

Modules, one concern each: ``article`` (``extract_article``, the record), ``decode``
(encodings, mojibake), ``metadata`` (title, authors, canonical URL, image, language),
``dates`` (published/modified, Arabic dates) and ``text`` (main text, boilerplate,
no-article pages).
"""

from etl.extract.article import EXTRACTOR_VERSION, ExtractedPage, extract_article, extract_record
from etl.extract.dates import parse_arabic_date, parse_datetime
from etl.extract.decode import declared_encodings, decode_html, mojibake_score, repair_mojibake
from etl.extract.text import has_article_markup, looks_like_listing, trim_boilerplate

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractedPage",
    "declared_encodings",
    "decode_html",
    "extract_article",
    "extract_record",
    "has_article_markup",
    "looks_like_listing",
    "mojibake_score",
    "parse_arabic_date",
    "parse_datetime",
    "repair_mojibake",
    "trim_boilerplate",
]
