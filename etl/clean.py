"""Clean extracted article text and detect its language.

Cleaning keeps the text *as published*: no diacritics stripping, no tatweel removal, no
letter folding (that is what ``etl.arabic`` keys are for). It only removes what is
invisible or layout-only — zero-width characters, bidi embeddings, overrides and isolates,
soft hyphens, odd spaces — and gives every text the same shape: NFC, paragraphs separated by
one blank line, single spaces inside a paragraph.

The direction marks RLM, LRM and ALM (U+200F, U+200E, U+061C) are kept: Arabic publishers
put them beside numbers, Latin names and punctuation so the text displays in the right order,
and they cannot reorder anything beyond the next neutral character, unlike the embeddings and
overrides (U+202A–U+202E, U+2066–U+2069) that make text display as something else. Every key
folds them out (``etl.arabic.normalise_arabic``), the tokenisers never make a token of one
(``etl.tokens``), and ``arabic_fold`` removes them from the search vector (migration 0010), so
matching, dedup and search are the same with or without them.

Joiners are kept on purpose: ZWNJ (U+200C) is orthography in Persian, Urdu and Kurdish
(می‌خواهم is not میخواهم) and ZWJ (U+200D) glues emoji sequences. Only stray joiners —
at a paragraph edge, next to a space, or repeated — are dropped. Keys built by
``etl.arabic.normalise_key`` drop them anyway.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Invisible characters with no meaning in stored text: zero-width space, word joiner,
# BOM / ZWNBSP, soft hyphen, Mongolian vowel separator, bidi embeddings, overrides and
# isolates, and C0/C1 controls other than tab and newline. Not the direction marks (below).
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
DIRECTION_MARKS = "\u200e\u200f\u061c"
"""LRM, RLM and ALM: kept in stored text as published (see the module docstring)."""
# A direction mark inside what would otherwise be a tag or an entity ("<\u200fscript",
# "</scr\u200fipt", "&\u200flt;") hides markup; no published text puts one between two ASCII
# letters or after "<", "&", "/" or "#", so only there are they removed.
_MARK_IN_MARKUP = re.compile(f"(?<=[<&/#A-Za-z])[{DIRECTION_MARKS}]+(?=[A-Za-z/#!])")
# Markup is not published text. Entity-escaped markup (&lt;script&gt;, twice escaped in some
# feeds) becomes markup again once unescaped, so markup is removed after unescaping, until stable.
_SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[|\]\]>|</?[A-Za-z][^<>]*(?:>|$)|<![A-Za-z][^<>]*>", re.S)
_MAX_UNESCAPES = 5

# For fields written on the way into the database (the store's last line of defence):
# C0/C1 controls PostgreSQL text cannot hold (NUL) or nobody can read, and, in one-line fields
# (titles, authors, categories, URLs), the bidi embeddings, overrides and isolates that can
# make text display as something else (U+202E). RLM/LRM/ALM stay: they are part of Arabic text.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JOINERS = "\u200c\u200d"
_REPEATED_JOINER = re.compile(f"([{_JOINERS}])[{_JOINERS}]+")
_STRAY_JOINER = re.compile(f"(?:(?<=\\s)|^)[{_JOINERS}]+|[{_JOINERS}]+(?=\\s|$)")
# Every Unicode space separator (NBSP, narrow NBSP, thin, ideographic ...) and tab.
_SPACES = re.compile(r"[^\S\n]+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")

# ISO 639-1 codes the detector chooses from: the languages our feeds publish in and the
# ones most often confused with them (fa/ur with ar, he, the big European languages).
DETECTOR_LANGUAGES = (
    "ar", "en", "fr", "es", "de", "fa", "ur", "tr", "ru", "uk", "he", "it", "pt", "nl",
    "zh", "ja", "ko", "id",
)  # fmt: skip
# Characters of a text that language detection reads (lingua is as sure on 2,000 as on 20,000).
_DETECT_CHARS = 2000
# Below this many letters a script decides on its own and lingua is not asked.
_SHORT_TEXT = 40
# lingua confidence above which the markup hint cannot override a detection.
_CONFIDENT = 0.6
_URDU_LETTERS = frozenset("ٹڈڑںےۓھ")
_PERSIAN_LETTERS = frozenset("پچژگکی")


def strip_markup(text: str) -> str:
    """Return ``text`` without tags, comments, or script/style content, entities unescaped, until stable.

    ``a < b`` and ``x<3`` are text, not tags (a tag starts with ``<`` and a letter, ``/`` or ``!``).
    """
    for _ in range(_MAX_UNESCAPES):
        if "<" not in text and "&" not in text:
            break
        stripped = _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text))
        unescaped = html.unescape(stripped) if "&" in stripped else stripped
        if unescaped == text:
            break
        text = unescaped
    return _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text))


def clean_text(text: str) -> str:
    """Return ``text`` in NFC without markup or invisible characters, one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    for _ in range(_MAX_UNESCAPES):  # an invisible character inside "<\u200bscript" hides a tag
        stripped = strip_markup(_MARK_IN_MARKUP.sub("", _INVISIBLE.sub("", text)))
        if stripped == text:
            break
        text = stripped
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        # inside a paragraph a single newline is a soft wrap, like any other space
        block = _SPACES.sub(" ", block.replace("\n", " ")).strip()
        block = _REPEATED_JOINER.sub(r"\1", block)
        block = _STRAY_JOINER.sub("", block).strip()
        if block.strip(DIRECTION_MARKS):  # a paragraph of marks alone shows nothing
            paragraphs.append(block)
    # NFC again: removing a control between two combining marks can leave them out of canonical order
    return unicodedata.normalize("NFC", "\n\n".join(paragraphs))


def strip_controls(text: str) -> str:
    """Return ``text`` without C0/C1 control characters, newlines, tabs and carriage returns kept."""
    return _CONTROLS.sub("", text)


def strip_line_controls(text: str) -> str:
    """Return a one-line field without any C0/C1 control or bidi embedding/override/isolate."""
    return _LINE_CONTROLS.sub("", text)


def has_line_controls(text: str) -> bool:
    """Return True when ``text`` holds a control ``strip_line_controls`` would remove."""
    return _LINE_CONTROLS.search(text) is not None


def normalise_language_tag(tag: str | None) -> str | None:
    """Return the ISO 639-1 code of a BCP 47 / locale tag (``ar-SA``, ``en_US`` → ``ar``, ``en``)."""
    if not tag:
        return None
    code = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return code if len(code) == 2 and code.isalpha() else None


def _count_scripts(text: str) -> dict[str, int]:
    """Return how many letters of ``text`` belong to each script we tell apart by script alone."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        point = ord(char)
        if 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or 0xFB50 <= point <= 0xFEFC:
            script = "arabic"
        elif 0x0590 <= point <= 0x05FF:
            script = "hebrew"
        elif 0x0400 <= point <= 0x04FF:
            script = "cyrillic"
        elif 0x3040 <= point <= 0x30FF:
            script = "kana"
        elif 0xAC00 <= point <= 0xD7AF or 0x1100 <= point <= 0x11FF:
            script = "hangul"
        elif 0x4E00 <= point <= 0x9FFF or 0x3400 <= point <= 0x4DBF:
            script = "han"
        elif point < 0x0250 or 0x1E00 <= point <= 0x1EFF:
            script = "latin"
        else:
            script = "other"
        counts[script] = counts.get(script, 0) + 1
    return counts


def _guess_arabic_script_language(text: str) -> str:
    """Return ar, fa or ur for short Arabic-script text from the letters only those use."""
    urdu = sum(1 for c in text if c in _URDU_LETTERS)
    persian = sum(1 for c in text if c in _PERSIAN_LETTERS)
    if urdu >= 2:
        return "ur"
    if persian >= 2:
        return "fa"
    return "ar"


@cache
def _detector() -> LanguageDetector:
    """Build the lingua detector once per process.

    High-accuracy mode, because titles and feed summaries are short and low-accuracy mode
    is weak under ~120 characters. Models load on first use (~1 s, ~250 MB RSS for our
    18 languages; preloading them all would take ~460 MB). ~1.5 ms per article after that.
    """
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTOR_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def _detect_with_lingua(text: str, hint: str | None) -> str | None:
    """Return lingua's answer, or the hint when lingua is unsure and ranks the hint close."""
    values = _detector().compute_language_confidence_values(text[:_DETECT_CHARS])
    if not values:
        return hint
    best = values[0]
    best_code = best.language.iso_code_639_1.name.lower()
    if best.value >= _CONFIDENT or hint is None or hint == best_code:
        return best_code
    for value in values[1:4]:
        if value.language.iso_code_639_1.name.lower() == hint and value.value >= best.value / 3:
            return hint
    return best_code


def detect_language(text: str, hint: str | None = None) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language, or None when it has no letters.

    The script decides first (Arabic, Hebrew, Cyrillic, CJK need no statistics, so short
    titles work); lingua decides among languages sharing a script. ``hint`` (from
    ``<html lang>`` etc.) only breaks low-confidence cases; it never overrides a confident
    detection.
    """
    hint = normalise_language_tag(hint)
    # A prefix decides the language: counting the scripts of a whole long article cost more than lingua.
    text = text[:_DETECT_CHARS]
    scripts = _count_scripts(text)
    letters = sum(scripts.values())
    if not letters:
        return None
    script, count = max(scripts.items(), key=lambda item: item[1])
    share = count / letters
    if share >= 0.5:
        if script == "arabic":
            if letters < _SHORT_TEXT:
                return hint if hint in ("ar", "fa", "ur") else _guess_arabic_script_language(text)
            return _detect_with_lingua(text, hint)
        if script == "hebrew":
            return "he"
        if script == "hangul":
            return "ko"
        if script in ("kana", "han"):
            return "ja" if scripts.get("kana", 0) else "zh"
    return _detect_with_lingua(text, hint)
