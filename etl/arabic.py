"""Arabic normalisation for derived keys (matching, dedup, entity keys, search).

Stored text is never normalised: these functions build *keys* from it. The same keys are
used by every stage that matches text, so a vocalised, tatweel-stretched or hamza-variant
spelling lands on the same key as the plain one.

What folds to what (``normalise_arabic``):

* NFKC first: presentation forms (ﻻ, ﷲ) and full-width digits become ordinary letters.
* Harakat, tanween, shadda, sukun, dagger alef, Quranic marks and tatweel go
  (مُسلَّح → مسلح, الـ 48 → ال 48), and so do invisible format characters (ZWNJ, ZWJ,
  LRM/RLM, bidi embeddings): a key must not depend on them.
* Alef forms أ إ آ ٱ → ا (إدلب → ادلب); alef maqsura ى → ي (مستشفى → مستشفي);
  ta marbuta ة → ه (سورية → سوريه); hamza on carriers ؤ ئ → ء, so both spellings of
  مسؤول / مسئول meet; Persian/Urdu letters ی ک ۀ ھ → ي ك ه ه.
* Eastern Arabic and Persian digits → ASCII (٤٠٠, ۴۰۰ → 400); Arabic comma, semicolon,
  question mark and decimal/thousands separators → ASCII.

Clitic stripping (``strip_clitics``, for keys only) removes the proclitics in the two
layers they stack in — a conjunction (و ف), then a preposition and/or the article
(ب ل ك ال, بال, كال, لل) — so والأسد, بالأسد, الأسد, أسد → اسد and وبحلب, بحلب → حلب.
It is a heuristic without a lexicon, tuned to err on the side of keeping letters (the
first version stripped whenever 2 letters remained, turning بلد into لد, لبنان into بنان,
بيان into يان and وزير into زير):

* a prefix is removed only when at least 3 letters remain (بلد, ولد, وصل, الله stay whole
  — most Arabic roots have three letters, so a 2-letter remainder is rarely a stem);
* words in ``_NOT_CLITIC_WORDS`` are never stripped: ~200 frequent news words and names
  whose first letter is a root letter (بيان, بشار, بيسكوف, وزير, فصائل, لبنان, كانت ...);
  an entry of 4+ letters also protects its derived forms (لبنانيين, وزيرة, بيانات).
  The list is the knob: add a word when a key comes out wrong;
* a clitic glued to a number goes (و7 → 7, ب400 → 400), and a bare ال left by a
  tatweel (الـ 48) is dropped from stripped keys.

What stays wrong: rarer words outside the list (e.g. بقعة → قعه) — harmless for matching
as long as both sides are keyed the same way, which is why every stage uses these functions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = "\u0640"
# Format characters that change nothing visible: ZWNJ, ZWJ, LRM, RLM, ALM, bidi controls,
# word joiner, BOM, soft hyphen.
_FORMAT = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\u00ad]")
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
        "ۀ": "ه",  # Persian heh with yeh above
        "ھ": "ه",  # Urdu heh doachashmee
        "ە": "ه",  # Kurdish ae
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

# Proclitics in the two layers they stack in: a conjunction (و ف), then a preposition and/or
# the article (ب ل ك ال). See the module docstring for when they are stripped.
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("بال", "كال", "لل", "ال", "ب", "ل", "ك")
_PROCLITICS = (*_CONJUNCTIONS, *_PREPOSITIONS)
_MIN_STEM = 3
PROCLITIC_PREFIXES = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
"""Proclitic letter sequences a token may start with, longest first: the recogniser trims them
off entity spans (وموسكو → موسكو) when what remains is a known name."""
# An exception this long also protects its derived forms (لبنانيين, وزيرة, بيانات).
_PROTECTS_PREFIX = 4

_NOT_CLITIC_WORDS = """
بيان بيانات بشار بيسكوف بوتين بلدة بلدات بلاد بلدية بيروت بغداد بريطانيا بنغازي بنك بنوك
بداية برلمان بطولة بعثة بيت بيوت بحر بحرية بحيرة بريد بطل بطاقة بيئة بقية بقاء بدائل بند
بنود بعض بعيد بسيط بشري بشرية بشكل بضائع بوابة بورصة برنامج برامج بكين بولندا بلجيكا بنما
فصائل فصيل فرنسا فلسطين فلسطيني فلسطينية فريق فرقة فرق فرص فرصة فترة فكرة فيلم فندق فقير
فوز فوضى فيروس فنزويلا فنلندا فيتنام فيينا فاتورة فاعل فعالية فلاح فئة فئات
كتائب كتيبة كتاب كتب كبير كبيرة كثير كثيرة كلمة كلية كرة كريم كرسي كمية كميات كنيسة كهرباء
كوريا كندا كوبا كولومبيا كازاخستان كردستان كراتشي كابول كيلو كيلومتر كيان كارثة كيماوي
لبنان لبناني لبنانية ليبيا ليبي ليبية لندن لجنة لجان لواء لقاء لقاءات لحظة ليلة لعبة لاعب
لاجئ لاجئين لاجئون لوبي لغة لائحة لحوم لصوص لاهاي لوكسمبورغ لاتفيا ليتوانيا
وزير وزيرة وزراء وزارة وزارات وكالة وكالات وحدة وحدات ولاية ولايات واشنطن وطني وطنية وقود
وسط وسائل وسيلة وثيقة وثائق واقع وعود وجه وجود وفد وفود وقف وضع وضعت وقائع وقت وقوع وفاة
وفيات ورقة ولادة والد والدة وادي واحة ورشة وظيفة وظائف وباء وارسو ويلز ولي وصول واسع واسعة
وتيرة واجب واضح واضحة وراء والي وسيط
فؤاد فيصل فاروق فادي فريد فهد فايز فلاديمير فيليب وليد وائل وفاء وليام
كمال كاظم كنعان كلثوم كوفي بسام بسمة بلال بكر بدر لطفي لؤي لطيفة ليلى وسام وديع
كانت كانوا كافة كامل كاملة كبرى كأس كيف ليست ليسوا لأجل
فقدان فيديو فعلا فيها فيضان فرار فجوة فرنسي فنان فساد فضيحة فلول فروع فكري فتوى فتاة فتيات
فرحة فقراء ورود كويت كرامة كلام
"""


def to_ascii_digits(text: str) -> str:
    """Return ``text`` with Eastern Arabic and Persian digits replaced by ASCII digits."""
    return text.translate(_DIGITS)


def strip_diacritics(text: str) -> str:
    """Return ``text`` without harakat, tanween, shadda, sukun and tatweel."""
    return _DIACRITICS.sub("", text).replace(_TATWEEL, "")


def normalise_arabic(text: str) -> str:
    """Return the matching form of Arabic text.

    NFKC (folds presentation forms), diacritics, tatweel and invisible format characters
    removed, alef variants → ا, alef maqsura → ي, ta marbuta → ه, hamza carriers → ء,
    digits → ASCII, whitespace collapsed. Non-Arabic characters pass through unchanged.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _FORMAT.sub("", strip_diacritics(text))
    text = text.translate(_LETTERS).translate(_DIGITS)
    return _SPACE.sub(" ", text).strip()


_NOT_CLITIC = frozenset(normalise_arabic(word) for word in _NOT_CLITIC_WORDS.split())
_NOT_CLITIC_PREFIXES = tuple(sorted(w for w in _NOT_CLITIC if len(w) >= _PROTECTS_PREFIX))
# The clitic rules, public for their SQL twin (etl/sqlgen.py writes sql/views/arabic_clitics.sql).
CLITIC_RULES = (_CONJUNCTIONS, _PREPOSITIONS, _MIN_STEM, tuple(sorted(_NOT_CLITIC)), _NOT_CLITIC_PREFIXES)


def _is_whole_word(word: str) -> bool:
    """Return True when ``word`` starts with a letter that only looks like a proclitic."""
    return word in _NOT_CLITIC or word.startswith(_NOT_CLITIC_PREFIXES)


def _strip_one(word: str, prefixes: tuple[str, ...]) -> str:
    """Return ``word`` without the first of ``prefixes`` that leaves a plausible stem."""
    if _is_whole_word(word):
        return word
    for prefix in prefixes:
        if word.startswith(prefix):
            stem = word[len(prefix) :]
            if stem.isdigit() or len(stem) >= _MIN_STEM:
                return stem
    return word


def strip_conjunction(word: str) -> str:
    """Return an already-normalised Arabic word without a leading و/ف conjunction (وقال →
    قال), by the first layer of ``strip_clitics`` and its exceptions (وزير, فرنسا, وليد stay).

    The claim rules match cue words this way, and a speaker phrase starting with و loses it.
    """
    return _strip_one(word, _CONJUNCTIONS) if _ARABIC_LETTER.match(word) else word


def strip_clitics(word: str) -> str:
    """Return an already-normalised Arabic word without its leading clitics (و ف ب ل ك ال).

    Conservative: a stem of at least three letters must remain, and frequent words whose
    first letter is part of the word (بيان, لبنان, وزير) are left alone. Layers: والاسد →
    الاسد → اسد; وبحلب → بحلب → حلب; ولبنان → لبنان.
    """
    if not _ARABIC_LETTER.match(word):
        return word
    stem = _strip_one(word, _CONJUNCTIONS)
    if stem.isdigit():
        return stem
    return _strip_one(stem, _PREPOSITIONS)


def arabic_match_key(word: str) -> str:
    """Return a normalised Arabic word without و/ف and ب/ل/ك proclitics, keeping ال.

    بحلب → حلب, وموسكو → موسكو, للأسد → الاسد; السورية stays apart from سورية (unlike
    ``strip_clitics``), so the adjective "Syrian" is not matched with the country.
    """
    if _is_whole_word(word):  # the same exceptions as strip_clitics: كمال and بلال are names
        return word
    if word[:1] in "وف" and len(word) > 3:
        word = word[1:]
    if _is_whole_word(word):
        return word
    if word.startswith("لل") and len(word) > 4:
        return "ا" + word[1:]
    if word[:1] in "بلك" and len(word) > 3:
        return word[1:]
    return word


def normalise_key(text: str, *, strip_clitic: bool = False) -> str:
    """Return a language-neutral matching key: Arabic-normalised, casefolded, punctuation-free.

    With ``strip_clitic`` each Arabic word also loses its proclitics, so والأسد, بالأسد and
    الأسد share a key, and a bare ال (الـ 48 ساعة) is dropped.
    """
    if len(text) <= _CACHED_KEY_CHARS:  # names and aliases recur across a night's articles
        return _cached_key(text, strip_clitic)
    return _normalise_key(text, strip_clitic)


_CACHED_KEY_CHARS = 200
"""Texts up to this long (names, titles) have their keys cached; article bodies do not fill the cache."""


@lru_cache(maxsize=65536)
def _cached_key(text: str, strip_clitic: bool) -> str:
    return _normalise_key(text, strip_clitic)


def _normalise_key(text: str, strip_clitic: bool) -> str:
    words = _TOKEN.findall(normalise_arabic(text).casefold())
    if strip_clitic:
        words = [stem for w in words if (stem := strip_clitics(w)) and stem not in _PROCLITICS]
    return " ".join(words)


def is_arabic(text: str, *, threshold: float = 0.5) -> bool:
    """Return True when at least ``threshold`` of the letters in ``text`` are Arabic-script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for c in letters if _is_arabic_letter(c))
    return arabic / len(letters) >= threshold


def _is_arabic_letter(char: str) -> bool:
    """Return True for letters of the Arabic blocks, supplements and presentation forms."""
    return (
        "\u0600" <= char <= "\u06ff"
        or "\u0750" <= char <= "\u077f"
        or "\u08a0" <= char <= "\u08ff"
        or "\ufb50" <= char <= "\ufdff"
        or "\ufe70" <= char <= "\ufeff"
    )


def analysis_language(text: str, lang: str | None) -> str:
    """Return "ar" or "en": the given language if supported, else the text's script decides.

    The one rule for NER, entity keys, claims and ``eval-ner`` alike.
    """
    if lang in ("ar", "en"):
        return lang
    return "ar" if is_arabic(text, threshold=0.3) else "en"
