"""Cue words, Arabic and English: reporting verbs, attribution phrases, denial markers.

Arabic reporting verbs are listed once per verb (past, present, participle) and their
3rd-person forms are generated; irregular forms are listed in full. The construction rules
in :mod:`etl.claims.arabic` and :mod:`etl.claims.english` only ask which class a word is in,
so a new verb is one entry here.
"""

from __future__ import annotations

from importlib.resources import files

from etl.claims.tokens import word_key, word_keys

# --- Arabic cues -----------------------------------------------------------------------------

# One row per reporting verb: past (he), present (he), active participle (accusative).
# Regular person/number forms are generated below; irregular ones are listed in full.
_AR_VERB_TABLE = (
    "قال يقول قائلا", "أكد يؤكد مؤكدا", "أعلن يعلن معلنا", "ذكر يذكر -", "أورد يورد -",
    "أوضح يوضح موضحا", "أشار يشير مشيرا", "شدد يشدد مشددا", "كذب يكذب مكذبا", "أفاد يفيد مفيدا",
    "كشف يكشف كاشفا", "صرح يصرح مصرحا", "حذر يحذر محذرا", "أضاف يضيف مضيفا", "أردف يردف مردفا",
    "اعتبر يعتبر معتبرا", "زعم يزعم زاعما", "لفت يلفت لافتا", "أبلغ يبلغ مبلغا", "توقع يتوقع متوقعا",
    "حض يحض -", "حث يحث -", "طالب يطالب مطالبا", "لاحظ يلاحظ -", "اعترف يعترف معترفا",
    "نسب ينسب -", "تابع يتابع -", "نقل ينقل -",
)
_AR_IRREGULAR = (
    "قالت قالوا قالتا نفى نفت نفوا نفتا ينفي تنفي ينفون نافيا نافية رأى رأت رأوا يرى ترى يرون "
    "ادعى ادعت ادعوا يدعي تدعي يدعون دعا دعت دعوا دعتا يدعو تدعو يدعون داعيا داعية"
)
_AR_NOT_VERBS = word_keys("طالب")  # the bare form is also "student"
# "تابع" is "went on (saying)" only before a quotation or أن; else it is "followed".
# So is "نقل", which is also "carried" or "moved".
# "كشف" is also "uncovered" (كشف نفقا), and the present "يعتبر/يرى" also "is considered/sees".
AR_QUOTE_ONLY = word_keys("تابع تابعت تابعوا يتابع تتابع نقل نقلت نقلوا ينقل تنقل "
                       "كشف كشفت كشفوا يكشف تكشف يعتبر تعتبر يعتبرون يرى ترى يرون")


def _inflect_ar(row: str) -> set[str]:
    """Return the 3rd-person forms of one verb row: past, present and participle."""
    past, present, participle = row.split()
    forms = {past, past + "ت", past + "وا", past + "تا", present, "ت" + present[1:],
             present + "ون", "ت" + present[1:] + "ان"}
    return forms | _participle_forms(participle)


def _participle_forms(participle: str) -> set[str]:
    """Return a participle's masculine, feminine and plural forms (none for "-")."""
    if participle == "-":
        return set()
    stem = participle.removesuffix("ا")
    return {participle, stem + "ة", stem + "ين"}


AR_VERBS = (frozenset(word_key(w) for row in _AR_VERB_TABLE for w in _inflect_ar(row))
             | word_keys(_AR_IRREGULAR)) - _AR_NOT_VERBS
AR_PARTICIPLES = frozenset(
    word_key(w) for row in _AR_VERB_TABLE for w in _participle_forms(row.split()[2])
) | word_keys("نافيا نافية داعيا داعية")
# Verbs of opinion are a claim only with their أن-clause, near or far ("وتوقع X في ختام زيارته
# … بان …"): without one "رأى" is "saw" (رأى القطار) and "توقع" "expected something of someone"
# (تتوقع من الخرطوم الامتثال).
AR_NEEDS_CLAUSE = frozenset(word_key(w) for w in _inflect_ar("توقع يتوقع -")) | word_keys("رأى رأت رأوا")
AR_PHRASES = word_keys("بحسب حسب وفق وفقا طبقا حسبما")  # + نقلا عن
AR_APPEALS = frozenset(word_key(w) for row in ("حض يحض -", "حث يحث -", "طالب يطالب مطالبا")
                        for w in _inflect_ar(row)) | word_keys("دعا دعت دعوا دعتا يدعو تدعو يدعون داعيا داعية")


# Verbal nouns of reporting verbs, a cue when an أن-clause follows ("الى التأكيد على ان",
# "بالاعلان انها", "بتأكيده أن"): every prefix (ال، بال، لل، ب) and pronoun suffix form.
_AR_MASDAR_STEMS = ("تأكيد", "إعلان", "تصريح", "إشارة", "تحذير", "نفي", "توضيح", "قول")
AR_MASDARS = frozenset(
    word_key(prefix + stem + suffix)
    for stem in _AR_MASDAR_STEMS
    for prefix in ("", "ال", "بال", "لل", "ب", "و", "وب")
    for suffix in (("", "ه", "ها", "هم") if prefix in ("", "ب", "و", "وب") else ("",))
) - word_keys("قول وقول بقول")  # the bare noun "قول" is too common
AR_MASDAR_OWNED = frozenset(k for k in AR_MASDARS if k.endswith(("ه", "ها", "هم")))


# --- English cues ----------------------------------------------------------------------------

# Cue words counted on PolNeAR's train documents (our 4 in 5; ``bench/build_cue_verbs_en.py``):
# word, times it sat in the cue of an attribution with a source, times it occurs outside
# quotations, and the claims these rules built on it over train with how many were right. A word
# that is a cue in most of its occurrences ("said" 0.82, "noted" 0.81) reports speech by itself;
# one that often is not ("called" 0.28, "think") counts only next to a quotation or a clause; one
# whose claims on train are mostly wrong is left out.
CUE_ALWAYS_SHARE = 0.25
CUE_MIN_PRECISION = 0.2  # below this share of right claims on train a word is no cue ...
CUE_MIN_CLAIMS = 5  # ... once the rules built at least this many claims on it


def _read_cue_table() -> tuple[tuple[str, int, int], ...]:
    """Return (word, cue count, occurrences) of the cue words of ``etl/data/cue_verbs_en.tsv``."""
    rows = []
    for line in files("etl").joinpath("data/cue_verbs_en.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, cues, seen, *rule = line.split("\t")
        if rule and rule[0] != "-" and int(rule[0]) >= CUE_MIN_CLAIMS and int(rule[1]) < CUE_MIN_PRECISION * int(rule[0]):
            continue
        rows.append((word, int(cues), int(seen)))
    return tuple(rows)


_EN_CUE_TABLE = _read_cue_table()
_EN_COUNTED_ING = frozenset(word_key(w) for w, _, _ in _EN_CUE_TABLE if w.endswith("ing"))
EN_COUNTED = frozenset(word_key(w) for w, _, _ in _EN_CUE_TABLE if not w.endswith("ing"))
_EN_COUNTED_WEAK = frozenset(word_key(w) for w, n, seen in _EN_CUE_TABLE
                             if not w.endswith("ing") and n / seen < CUE_ALWAYS_SHARE)

EN_VERBS = word_keys(
    "said says say told tells stated announced announces confirmed confirms denied denies deny "
    "warned warns claimed claims claim argued argues argue wrote writes insisted insists "
    "explained explains alleged alleges rejected rejects dismissed dismisses vowed pledged "
    "admitted admits predicted acknowledged acknowledges suggested estimated reiterated confirm "
    "added adds asked asks responded replied replies declared declares continued interjected "
    "countered rejoined quipped joked cautioned conceded suggests complained complains complain"
) | EN_COUNTED
# Verbs that report speech only next to a quotation or a that-clause ("the case continued").
EN_QUOTE_ONLY = word_keys("added adds asked asks responded replied replies declared declares continued "
                       "interjected countered rejoined quipped joked suggested estimated argued argues "
                       "argue confirmed confirms confirm wrote writes acknowledged acknowledges suggests "
                       "complained complains complain") | _EN_COUNTED_WEAK
# Quote-only verbs that may also take a bare clause ("he suggested the approach rang hollow").
EN_CLAUSE_VERBS = word_keys("suggested suggests acknowledged acknowledges confirmed confirms confirm estimated")
# ... and those that take one only when a pronoun opens it ("argue they should", not "argues the cases")
EN_PRONOUN_CLAUSE_VERBS = word_keys("argue argues argued")
EN_PARTICIPLES = word_keys("saying adding noting warning insisting claiming asserting telling "
                        "denying explaining stressing") | _EN_COUNTED_ING
EN_OBJECT_VERBS = word_keys("told tells telling asked asks warned assured informed")


# --- Denial ----------------------------------------------------------------------------------

DENY_CUES = word_keys("نفى نفت نفوا ينفي تنفي نافيا نافية كذب كذبت يكذب تكذب مكذبا "
                   "denied denies deny denying rejected rejects dismissed dismisses refuted")
DENY_PHRASES = tuple(word_key(p) for p in (
    "عار من الصحة", "عارية من الصحة", "عار عن الصحة", "عارية عن الصحة", "لا صحة", "لا أساس له",
    "لا أساس لها", "غير صحيح", "غير صحيحة", "مفبرك", "ادعاءات كاذبة", "أنباء كاذبة",
    "baseless", "untrue", "fake news", "is false", "are false", "was false", "were false",
))
