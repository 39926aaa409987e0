"""Byte-order marks: the one encoding signal that never lies, shared by feeds and pages.

Kept apart from ``etl.extract`` so that parsing a feed does not load the article extractor.
"""

from __future__ import annotations

import codecs

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def has_bom(raw: bytes) -> bool:
    """Return True when ``raw`` starts with a Unicode byte-order mark."""
    return raw.startswith(tuple(bom for bom, _ in BOMS))


def decode_bom(raw: bytes) -> str | None:
    """Return ``raw`` decoded by its byte-order mark (the mark removed), or None without one."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="replace")
    return None
