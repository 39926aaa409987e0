"""Numbers inside claims: value, what is counted, and how the figure is hedged.

``extract_quantities(text, start, end, lang)`` reads digits (ASCII and Eastern Arabic),
number words (ثلاث، خمسة، dozens…) and multipliers (آلاف، million) inside ``text[start:end]``
and returns :class:`~etl.models.Quantity` records with offsets into ``text``.

Categories: ``killed``, ``wounded``, ``arrested``, ``displaced``, ``destroyed``, ``money``,
``percent``, ``time`` (durations and dates: "الـ 48 ساعة", "24 hours", "in 1988" — never a
count of people), ``other``. Vague plurals (عشرات، مئات، آلاف، dozens, hundreds) get
``value=None`` and the order of magnitude as qualifier ("tens", "hundreds", "thousands"):
we do not invent a figure the speaker did not give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from etl.arabic import to_ascii_digits
from etl.models import EntityIndex, Quantity
from etl.tokens import Token, cached_key, tokens_between

_DIGITS = re.compile(r"\d+(?:[.,٫٬]\d+)*$")


_Tok = Token
_key = cached_key
_tokens = tokens_between



_UNITS_AR = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "اثنتان": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "مءه": 100, "مايه": 100, "مءتين": 200, "مءتان": 200, "الف": 1000, "الفين": 2000, "الفان": 2000,
    "ثلاثمءه": 300, "ثلاثماءه": 300, "اربعمءه": 400, "اربعماءه": 400,
    "خمسمءه": 500, "خمسماءه": 500, "ستمءه": 600, "ستماءه": 600, "سبعمءه": 700, "سبعماءه": 700,
    "ثمانمءه": 800, "ثمانماءه": 800, "تسعمءه": 900, "تسعماءه": 900,
}
# A dual noun is a number by itself: "عامين" is two years.
_DUALS_AR = ("عامين", "عامان", "سنتين", "سنتان", "يومين", "يومان", "شهرين", "شهران", "اسبوعين",
             "ساعتين", "ساعتان")
_UNITS_EN = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100, "thousand": 1000,
}
_MULTIPLIERS = {
    "الاف": 1e3, "الف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9, "مليارات": 1e9,
    "thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
    "hundred": 100, "مءه": 100, "مايه": 100,
}
# Vague plurals: no figure, only an order of magnitude.
_VAGUE = {
    "عشرات": "tens", "مءات": "hundreds", "الاف": "thousands", "عده": "several",
    "العشرات": "tens", "المءات": "hundreds", "الالاف": "thousands",
    "dozens": "tens", "scores": "tens", "hundreds": "hundreds", "thousands": "thousands",
    "millions": "millions", "several": "several",
}
_QUALIFIERS = (  # (words before the number, qualifier), longest first per language
    (("ما", "يزيد", "عن"), "more than"), (("ما", "يزيد", "على"), "more than"),
    (("ما", "لا", "يقل", "عن"), "at least"), (("لا", "يقل", "عن"), "at least"),
    (("ما", "يقارب"), "about"), (("اكثر", "من"), "more than"), (("ازيد", "من"), "more than"),
    (("يزيد", "عن"), "more than"), (("يزيد", "على"), "more than"), (("اقل", "من"), "less than"),
    (("نحو",), "about"), (("حوالي",), "about"), (("حوالى",), "about"), (("قرابه",), "about"),
    (("زهاء",), "about"), (("ما", "يصل", "الي"), "up to"),
    (("more", "than"), "more than"), (("at", "least"), "at least"), (("fewer", "than"), "less than"),
    (("less", "than"), "less than"), (("up", "to"), "up to"), (("over",), "more than"),
    (("about",), "about"), (("around",), "about"), (("nearly",), "nearly"),
    (("almost",), "nearly"), (("roughly",), "about"), (("approximately",), "about"),
    (("some",), "about"), (("an", "estimated"), "about"),
)
_AT_LEAST_AFTER = (("على", "الاقل"), ("at", "least"))

_CATEGORY_WORDS = {
    "killed": (
        "قتل", "مقتل", "قتلي", "قتيل", "القتلي", "قتيلا", "القضاء", "مصرع", "حتفهم", "حتفه",
        "استشهاد", "شهيد", "شهداء", "الشهداء", "جثه", "جثث", "قتلوا", "قتلت", "لقوا", "لقي",
        "مصرعهم",
        "kill", "killed", "kills", "killing", "dead", "death", "deaths", "died", "die",
        "murdered", "fatalities", "lives", "bodies",
    ),
    "wounded": (
        "جرحي", "الجرحي", "جريح", "جريحا", "اصابه", "اصابات", "مصاب", "مصابا", "مصابين",
        "اصيب", "اصيبوا", "جرحوا", "wounded", "injured", "injuries", "hurt", "burns",
    ),
    "arrested": (
        "اعتقال", "معتقل", "معتقلا", "معتقلين", "اعتقل", "توقيف", "موقوف", "موقوفين", "اسر",
        "اسري", "اعتقلوا", "اعتقلت", "arrested", "arrests", "detained", "detainees", "jailed", "arrest",
    ),
    "displaced": (
        "نزوح", "نازح", "نازحين", "النازحين", "نزحوا", "مهجر", "مهجرين", "تهجير", "لاجء", "لاجءين",
        "displaced", "fled", "refugees", "evacuated", "homeless",
    ),
    "destroyed": (
        "تدمير", "دمر", "دمرت", "تدمر", "destroyed", "destroying", "destroy", "razed",
    ),
}
# Word beginnings that carry a category whatever the clitics ("وقتلته", "وجرحت", "اعتقلتهم").
_CATEGORY_ROOTS = (
    ("killed", ("قتل", "مقتل", "قتيل", "مصرع")), ("wounded", ("جرح", "جريح", "اصيب", "مصاب")),
    ("arrested", ("اعتقل", "معتقل", "موقوف", "توقيف")), ("displaced", ("نزح", "نازح", "مهجر", "تهجير")),
    ("destroyed", ("دمر", "تدمير", "مدمر")),
)
_MONEY = (
    "دولار", "دولارا", "دولارات", "يورو", "ليره", "ليرات", "جنيه", "جنيها", "جنيهات", "ريال", "ريالات",
    "درهم", "دراهم", "دينار", "دنانير",
    "$", "€", "£", "dollars", "dollar", "euros", "euro", "pounds", "usd", "bucks",
)
_PERCENT = ("%", "٪", "بالمءه", "بالماءه", "percent", "per", "pct")
_TIME = (
    "ساعه", "ساعات", "الساعات", "ساعتين", "يوم", "ايام", "الايام", "يوما", "اسبوع", "اسابيع",
    "شهر", "اشهر", "شهور", "سنه", "سنوات", "عام", "اعوام", "عاما", "دقيقه", "دقاءق", *_DUALS_AR,
    "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
    "minute", "minutes", "decade", "decades", "seconds", "am", "pm",
)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو",
    "اغسطس", "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر",
)
_SKIP_OBJECT = {"من", "of", "the", "ال", "الـ"}
_NOT_OBJECT = {"in", "on", "at", "for", "to", "a", "an", "and", "or", "by", "from", "with", "is", "are",
               "was", "were", "في", "علي", "الي", "عن", "مع", "او", "ثم"}
_CONTEXT = 3  # tokens either side searched for a category trigger
# Counted nouns that are units, places or things: a number of them is never a count of people
# killed, wounded, arrested or displaced ("وعدة كتائب", "5 مقرات", "12 vehicles"), whatever verb
# stands nearby; they may be destroyed.
_THINGS = (
    "كتيبه", "كتاءب", "لواء", "الويه", "فصيل", "فصاءل", "مقر", "مقرات", "مستودع", "مستودعات", "اليه",
    "اليات", "الاليات", "مركبه", "مركبات", "دبابه", "دبابات", "سياره", "سيارات", "منزل",
    "منازل", "مبني", "مباني", "مدرسه", "مدارس", "مستشفي", "مستشفيات", "قريه", "قري", "بلده", "بلدات",
    "مدينه", "مدن", "حاجز", "حواجز", "موقع", "مواقع", "صاروخ", "صواريخ", "قذيفه", "قذاءف", "طاءره",
    "طاءرات", "مدفع", "مدافع", "battalion", "battalions", "brigade", "brigades", "vehicle", "vehicles",
    "tank", "tanks", "building", "buildings", "house", "houses", "homes", "schools", "hospitals",
    "villages", "towns", "checkpoints", "positions", "rockets", "missiles", "shells", "aircraft",
    "planes", "drones", "headquarters", "depots", "warehouses", "cars", "trucks",
)
_PEOPLE_CATEGORIES = frozenset({"killed", "wounded", "arrested", "displaced"})

# The tables above are written as read; match on their normalised keys (على → علي, مئة → مءه).
_UNITS_AR = {_key(k): v for k, v in _UNITS_AR.items()}
_MULTIPLIERS = {_key(k): v for k, v in _MULTIPLIERS.items()}
_VAGUE = {_key(k): v for k, v in _VAGUE.items()}
_QUALIFIERS = tuple((tuple(_key(w) for w in words), name) for words, name in _QUALIFIERS)
_AT_LEAST_AFTER = tuple(tuple(_key(w) for w in words) for words in _AT_LEAST_AFTER)
_CATEGORY_WORDS = {cat: frozenset(_key(w) for w in words) for cat, words in _CATEGORY_WORDS.items()}
_CATEGORY_ROOTS = tuple((cat, tuple(_key(r) for r in roots)) for cat, roots in _CATEGORY_ROOTS)
_DUALS_AR = frozenset(_key(w) for w in _DUALS_AR)
_RANGE_OPENERS = frozenset({"بين", "between", "from", "من"})
_RANGE_JOINERS = frozenset({"و", "and", "to", "-", "الي", "حتي"})
_IN_LIST = frozenset({"بينهم", "بينهن", "منهم", "including", "among"})
_MONEY, _PERCENT, _TIME, _MONTHS = (frozenset(_key(w) for w in ws) for ws in (_MONEY, _PERCENT, _TIME, _MONTHS))
_SKIP_OBJECT = frozenset(_key(w) for w in _SKIP_OBJECT)
_THINGS = frozenset(_key(w) for w in _THINGS)
_NOT_OBJECT = frozenset(_key(w) for w in _NOT_OBJECT)
_COORDINATORS = frozenset({"و", "and", ",", "،", "or", "او"}) | _IN_LIST


def _stem(key: str) -> str:
    """Return ``key`` without a leading و/ف/ب/ل conjunction or preposition, if it had one."""
    for prefix in ("وال", "بال", "فال", "لل", "و", "ف", "ب", "ل"):
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            return key[len(prefix):]
    return key


def _parse_digits(raw: str) -> float:
    """Return the value of a digit string: 1,400 and ١٬٤٠٠ are 1400; 1.5 and ١٫٥ are 1.5."""
    raw = to_ascii_digits(raw).replace("٬", ",").replace("٫", ".")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}(,\d+)?", raw):
        raw = raw.replace(".", "")  # "1.428.000": two or more dot groups can only be thousands
    return float(raw.replace(",", "."))


def _word_value(key: str) -> float | None:
    """Return the value of a number word (ثلاث, twenty-five), or None."""
    if key not in _UNITS_AR and key[:1] in ("و", "ل", "ب") and key[1:] in _UNITS_AR:
        key = key[1:]  # وعشرين, لعشر, بثلاثة
    if key not in _UNITS_AR and key.startswith("ال") and key[2:] in _UNITS_AR:
        key = key[2:]  # "المراقبين الأربعة"
    if key in _DUALS_AR:
        return 2.0
    if key in _UNITS_AR:
        return float(_UNITS_AR[key])
    if key in _UNITS_EN:
        return float(_UNITS_EN[key])
    return None


def _read_number(toks: list[_Tok], i: int) -> tuple[int, float | None, str | None] | None:
    """Return (next index, value, vague magnitude) for a number starting at ``toks[i]``."""
    key = toks[i].key
    if _DIGITS.match(to_ascii_digits(toks[i].text)):
        value, j = _parse_digits(toks[i].text), i + 1
    elif (key := _vague_key(key)) in _VAGUE and not (key == "الاف" and i and _is_number_tok(toks[i - 1])):
        j = i + 1
        while j < len(toks):
            if toks[j].key in ("of", "من") and j + 1 < len(toks) and toks[j + 1].key in _VAGUE:
                j += 2  # "hundreds of thousands", "مئات من الآلاف": keep the larger order
            elif toks[j].key in _VAGUE and _VAGUE[toks[j].key] != "several":
                j += 1  # "عشرات الآلاف"
            else:
                break
        return j, None, _VAGUE[_vague_key(toks[j - 1].key)]
    elif key in ("مليون", "مليار") and not (i and _is_number_tok(toks[i - 1])):
        value, j = 1.0, i  # "مليون نازح": one million (the multiplier below applies)
    elif (value := _word_value(key)) is not None:
        j = i + 1
        # compounds: خمسة وعشرين, twenty - five, two hundred
        while j < len(toks):
            nxt = toks[j + 1].key if toks[j].text in "-‐" and j + 1 < len(toks) else toks[j].key
            step = 2 if toks[j].text in "-‐" else 1
            extra = _word_value(nxt)
            if extra is None or nxt in _MULTIPLIERS:
                break
            value, j = value + extra, j + step
    else:
        return None
    if j < len(toks) and toks[j].key in _MULTIPLIERS:
        scale = _MULTIPLIERS[toks[j].key]
        value, j = value * scale, j + 1
        rest = _read_number(toks, j + 1) if scale >= 1000 and j + 1 < len(toks) and toks[j].key == "و" else None
        if rest is not None and rest[1] is not None and rest[1] < scale:
            value, j = value + rest[1], rest[0]  # "مليون و200 ألف": 1,200,000
    return j, value, None


def _vague_key(key: str) -> str:
    """Return the key of a vague plural with its و/ب/ل clitic removed ("بعشرات" → عشرات)."""
    if key not in _VAGUE and key[:1] in ("و", "ب", "ل") and key[1:] in _VAGUE:
        return key[1:]
    return key


def _is_number_tok(tok: _Tok) -> bool:
    """Return True when ``tok`` is a digit string or a number word."""
    return bool(_DIGITS.match(to_ascii_digits(tok.text))) or _word_value(tok.key) is not None


def _qualifier(toks: list[_Tok], i: int, j: int) -> tuple[str | None, int]:
    """Return the hedge before ``toks[i]`` (or "at least" after ``toks[j-1]``) and its start."""
    for words, name in _QUALIFIERS:
        n = len(words)
        if i >= n and tuple(_stem(t.key) if k == 0 else t.key for k, t in enumerate(toks[i - n:i])) in (
            words,
            tuple(_stem(w) for w in words[:1]) + words[1:],
        ):
            return name, i - n
    for words in _AT_LEAST_AFTER:
        for k in (j, j + 1):  # "400 مسلح على الأقل" — one object word may sit between
            if tuple(t.key for t in toks[k:k + 2]) == words:
                return "at least", i
    return None, i


def _category(toks: list[_Tok], i: int, j: int, obj: str | None) -> str:
    """Return what the number at ``toks[i:j]`` counts, from its object and nearby words.

    ``i`` is where the number or its qualifier starts ("القضاء على ما يزيد عن 400": the
    trigger القضاء sits before the qualifier).
    """
    before = toks[i - 1].key if i else ""
    after = [t.key for t in toks[j:j + 3] if t.key not in ("من", "of")][:2]
    before2 = [t.key for t in toks[max(0, i - 3):i]]
    if toks[j - 1].key in _DUALS_AR or any(_stem(k) in _TIME or k in _TIME for k in after[:1] + before2[-2:]) or (
        after[:1] and after[0] in _MONTHS) or before in _MONTHS:
        return "time"
    if before in _MONEY or any(k in _MONEY or _stem(k).removeprefix("ال") in _MONEY for k in after):
        return "money"
    if any(k in _PERCENT for k in after[:1]):
        return "percent"
    # nearest trigger first; at distance one the counted noun after the number wins ("خمسمائة
    # جريح"), unless that word opens the next clause ("قتلت اثنين واعتقلت 16")
    window = []
    for d in range(1, _CONTEXT + 2):
        pair = [toks[i - d].key] if i - d >= 0 else []
        pair += [toks[j + d - 1].key] if j + d - 1 < len(toks) else []
        if d == 1 and j < len(toks) and toks[j].key[:1] not in ("و", "ف"):
            pair.reverse()
        window += pair
    if obj is not None:
        window.insert(min(2, len(window)), _key(obj))
    for key in window:
        cat = _category_of(key)
        if cat is not None:
            return cat
    return "other"


def _category_of(key: str) -> str | None:
    """Return the category a word signals (قتلى, وجرحت, اعتقلتهم, wounded), or None."""
    stem = _stem(key)
    for cat, words in _CATEGORY_WORDS.items():
        if key in words or stem in words:
            return cat
    for cat, roots in _CATEGORY_ROOTS:
        if stem.startswith(roots) or key.startswith(roots):
            return cat
    return None


def event_category(word: str) -> str | None:
    """Return the casualty or damage category a word names (مقتل, اعتقال, تدمير, wounded), or None.

    The claims rules ask it too: "أعلن الجيش مقتل ثمانية" announces an event, so the event noun
    is what was said, never part of who said it.
    """
    return _category_of(_key(word))


def _object(toks: list[_Tok], j: int) -> str | None:
    """Return the counted noun after a number ending at ``toks[j-1]`` ("400 مسلح" → مسلح)."""
    while j < len(toks) and toks[j].key in _SKIP_OBJECT:
        j += 1
    if (j >= len(toks) or not toks[j].text[0].isalpha() or toks[j].key in _MULTIPLIERS
            or toks[j].key in _NOT_OBJECT or len(toks[j].text) < 2):
        return None
    return toks[j].text


def _is_coordinated(toks: list[_Tok], previous: Quantity, i: int) -> bool:
    """Return True when ``toks[i]`` follows ``previous`` in a list (و / and / comma)."""
    gap = [t for t in toks[:i] if t.start >= previous.end]
    return 1 <= len(gap) <= 4 and gap[-1].key in _COORDINATORS


def _range_end(toks: list[_Tok], i: int, j: int) -> tuple[int, float] | None:
    """Return (end, upper bound) of a range "بين 10 و20" / "between 10 and 20" at ``toks[i:j]``."""
    if not i or toks[i - 1].key not in _RANGE_OPENERS or j + 1 >= len(toks) or toks[j].key not in _RANGE_JOINERS:
        return None
    upper = _read_number(toks, j + 1)
    return (upper[0], upper[1]) if upper is not None and upper[1] is not None else None


def _second_category(toks: list[_Tok], j: int, category: str) -> tuple[str, str] | None:
    """Return (category, noun) of a second casualty noun coordinated after a number's noun.

    "عشرات القتلى والجرحى", "dozens killed and wounded": each noun names what is counted, so
    the figure stands for both (tens killed and tens wounded).
    """
    at = [m for m in range(j, min(j + 5, len(toks))) if toks[m].key not in _SKIP_OBJECT][:3]
    if len(at) < 2:
        return None
    m = at[1]  # right after the counted noun, nothing between
    key = toks[m].key
    if key in ("and", "or") and len(at) > 2:
        m = at[2]
        key = toks[m].key
    elif key[:1] == "و" and len(key) > 3:
        key = key[1:]
    else:
        return None
    tok = toks[m]
    if m + 1 < len(toks) and _read_number(toks, m + 1) is not None:
        return None  # "مصرع أربعة أشخاص … وإصابة ثلاثة": the second noun has its own figure
    other = _category_of(key)
    if other in _PEOPLE_CATEGORIES and other != category:
        return other, tok.text.removeprefix("و")
    return None


def _is_year(tok: _Tok, value: float | None) -> bool:
    """Return True when a bare four-digit number looks like a calendar year."""
    return value is not None and len(tok.text) == 4 and 1500 <= value <= 2100


def extract_quantities(text: str, start: int, end: int, lang: str,
                       names: Sequence[tuple[int, int]] | EntityIndex = ()) -> list[Quantity]:
    """Return the numbers in ``text[start:end]`` as Quantities with offsets into ``text``.

    ``names`` are (start, end) spans the entity layer tagged as names, or an ``EntityIndex`` (looked
    up by position, so a whole article's names cost nothing per claim): a word inside one is a
    name, never a category trigger ("تدمر" is Palmyra, not "destroys").
    """
    if isinstance(names, EntityIndex):
        inside = [(e.start, e.end) for e in names.overlapping(start, end)]
    else:
        inside = [(a, b) for a, b in names if a < end and b > start]
    toks = [replace(t, key="") if any(a <= t.start < b for a, b in inside) else t
            for t in _tokens(text, start, end)]
    head = _category_of(toks[0].key) if toks and toks[0].key else None  # "اعتقال …", "مقتل …"
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        read = _read_number(toks, i)
        if read is None or (toks[i].key in ("one", "واحد") and lang == "en"):
            i += 1
            continue
        j, value, vague = read
        out.extend(_quantities_at(text, toks, i, j, value, vague, out[-1] if out else None, head))
        i = out[-1].end_tok if out else j
    return [q.quantity for q in out]


@dataclass(frozen=True, slots=True)
class _Read:
    """A quantity read at a token position, with where reading goes on."""

    quantity: Quantity
    end_tok: int

    @property
    def end(self) -> int:
        return self.quantity.end

    @property
    def category(self) -> str:
        return self.quantity.category


def _quantities_at(text, toks, i, j, value, vague, previous: _Read | None, head) -> list[_Read]:
    """Return the quantity read at ``toks[i:j]`` (two for "القتلى والجرحى"), with its bounds."""
    qualifier, q_start = _qualifier(toks, i, j)
    low = high = value
    if qualifier is None and (rng := _range_end(toks, i, j)) is not None:
        j, high = rng  # "بين 10 و20": both bounds kept, the value is the lower one
        qualifier, q_start = "between", i - 1
    obj = _object(toks, j)
    if _is_year(toks[i], value) and j == i + 1:
        category = "time"
    else:
        category = _category(toks, q_start, j, obj)
    if category == "other" and previous is not None and _is_coordinated(toks, previous.quantity, q_start):
        category = previous.category  # "تدمير 5 مقرات و7 مستودعات": 7 is destroyed too
    if category == "other" and head is not None:
        category = head  # "اعتقال قائد … إضافة إلى 40 مشتبها به": the claim is about arrests
    if category in _PEOPLE_CATEGORIES and obj is not None and (_key(obj) in _THINGS or _stem(_key(obj)) in _THINGS):
        category = "other"  # "وعدة كتائب": battalions are counted, not casualties
    span_start, span_end = toks[q_start].start, toks[j - 1].end
    first = Quantity(text=text[span_start:span_end], start=span_start, end=span_end, value=value,
                     category=category, qualifier=qualifier or vague,
                     object=obj if category != "time" else None, value_low=low, value_high=high)
    out = [_Read(first, j)]
    second = _second_category(toks, j, category) if category in _PEOPLE_CATEGORIES else None
    if second is not None:
        out.append(_Read(replace(first, category=second[0], object=second[1]), j))
    return out
