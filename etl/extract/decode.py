"""Find the real encoding of an article page, and undo mojibake in text that reached us decoded.

Headers lie (Arabic sites still serve windows-1256 labelled iso-8859-1, or nothing at all),
so every declared charset is checked against the bytes and a decoding that looks like
mojibake (ÇáÓæÑí) loses to one that reads as text. ``mojibake_score`` is that judge;
``repair_mojibake`` uses it on strings that were decoded wrongly before they reached us.
Byte-order marks are read by ``etl.encodings`` (shared with feed decoding).
"""

from __future__ import annotations

import codecs
import logging
import re

from etl.encodings import decode_bom, has_bom
from etl.errors import PermanentError

log = logging.getLogger(__name__)

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
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


def is_clean_text(text: str) -> bool:
    """Return True when ``text`` does not look mis-decoded (a declared charset may be believed)."""
    return mojibake_score(text) < _CLEAN


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
    if b"\x00" in sample and _utf16_without_bom(raw) is None and not has_bom(raw):
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
    if (text := decode_bom(raw)) is not None:
        return text
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
