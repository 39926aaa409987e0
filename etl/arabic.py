"""Arabic normalisation for derived keys (matching, dedup, entity keys, search).

Stored text is never normalised: these functions build *keys* from it. The same keys are
used by every stage that matches text, so a vocalised, tatweel-stretched or hamza-variant
spelling lands on the same key as the plain one.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = "\u0640"
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "ء",
        "ئ": "ء",
        "ک": "ك",  # Persian keheh
        "ی": "ي",  # Persian yeh
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
        "،": ",",
        "؛": ";",
        "؟": "?",
    }
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+", re.UNICODE)

# Proclitics, longest first; stripped only when a stem of >= 2 letters remains.
_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def to_ascii_digits(text: str) -> str:
    """Return ``text`` with Eastern Arabic and Persian digits replaced by ASCII digits."""
    return text.translate(_DIGITS)


def strip_diacritics(text: str) -> str:
    """Return ``text`` without harakat, tanween, shadda, sukun and tatweel."""
    return _DIACRITICS.sub("", text).replace(_TATWEEL, "")


def normalise_arabic(text: str) -> str:
    """Return the matching form of Arabic text.

    NFKC (folds presentation forms), diacritics and tatweel removed, alef variants → ا,
    alef maqsura → ي, ta marbuta → ه, hamza carriers → ء, digits → ASCII, whitespace
    collapsed. Non-Arabic characters pass through unchanged.
    """
    text = unicodedata.normalize("NFKC", text)
    text = strip_diacritics(text)
    text = text.translate(_LETTERS).translate(_DIGITS)
    return _SPACE.sub(" ", text).strip()


def strip_clitics(word: str) -> str:
    """Return an already-normalised Arabic word without its leading clitics (و ف ب ل ك ال)."""
    if not _ARABIC_LETTER.match(word):
        return word
    for prefix in _PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return word


def normalise_key(text: str, *, strip_clitic: bool = False) -> str:
    """Return a language-neutral matching key: Arabic-normalised, casefolded, punctuation-free.

    With ``strip_clitic`` each Arabic word also loses its proclitics, so والأسد, بالأسد and
    الأسد share a key.
    """
    words = _TOKEN.findall(normalise_arabic(text).casefold())
    if strip_clitic:
        words = [strip_clitics(w) for w in words]
    return " ".join(words)


def is_arabic(text: str, *, threshold: float = 0.5) -> bool:
    """Return True when at least ``threshold`` of the letters in ``text`` are Arabic."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return arabic / len(letters) >= threshold
