"""Arabic subjects: who speaks for a reporting verb, wherever the sentence puts them.

Verb first is the rule ("وقال المتحدث …"); a present-tense verb after a noun is subject first
("وموسكو تؤكد …"), and so is a verb embedded after أن/فإن ("فإن الدكتور سامي حداد … اعلن");
كان takes its subject before the verb ("وكانت الوزارة قد أعلنت"), "أما X، فقد قال" its topic;
"نقلت الوكالة عن مصدر" and "نسبت … إلى" hand the claim to the source; "أصدرت الوزارة بيانا
دعت فيه" to the document's issuer. A participle ("مشيرا") has no subject of its own. The
construction rules of :mod:`etl.claims.arabic` ask here for the subject's token bounds.
"""

from __future__ import annotations

from etl.claims.context import Sentence
from etl.claims.lexicon import AR_PARTICIPLES, AR_VERBS
from etl.claims.nouns_ar import (
    AR_COMP,
    AR_STOP,
    NP_MAX,
    ar_np,
    extend_to_entity,
    issuer_before_document,
)
from etl.claims.tokens import Tok, is_word, word_key, word_keys

AR_RELATIVES = frozenset(word_key(w) for w in ("الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي"))
_AR_PRESENT_PREFIX = ("ي", "ت")
_AR_PRONOUNS = word_keys("هو هي هم هذا هذه ذلك تلك")
_AR_KANA = word_keys("كان كانت كانوا")
_PRE_SUBJECT_MAX = 12  # words of a subject standing before its verb ("… إن السفير … سيدت توقع أن")
_PRE_SUBJECT_PLAIN = 7  # … unless an أن/فإن opens its clause
AR_PRE_SKIP = word_keys("لكن ولكن لكنه لكنها لكنهم ولكنه ولكنها بل فيما بينما كما")
QUOTE_REACH = 4  # words allowed between the subject and a quotation that is the content
_AR_SKIP_AFTER_CUE = word_keys("فيه فيها له لها اليوم أمس أيضا كذلك بدوره بدورها مجددا")
AR_TO = word_keys("إلى الى على")  # what an appeal calls for: "دعا إلى", "حث السلطات على"
_AR_DOCUMENT_ACC = word_keys("بيانا تقريرا رسالة وثيقة")
_AR_IN_IT = word_keys("فيه فيها")
_AR_TELL = word_keys("أبلغ أبلغت أبلغوا يبلغ تبلغ")
# A new clause of the reporter's own begins here, so a content running on stops before it
# (ANERcorp-style run-on sentences: "… وندد البيان …", "… وكانت مصر قد شهدت …").
AR_CLAUSE_BREAKS = word_keys(
    "وندد وشجب ووصف وأعرب وعبر وأدان ورحب وانتقد واتهم وأبدى وكان وكانت وكانوا وخلص وذلك"
)


def clause_start(toks: list[Tok], lo: int, k: int) -> int:
    """Return the first token of the clause holding ``toks[k]``: after a comma or an أن/إن."""
    for j in range(k - 1, lo - 1, -1):
        if toks[j].text in ",،:؛;" or toks[j].bare in AR_COMP:
            return j + 1
        if toks[j].key in AR_CLAUSE_BREAKS or toks[j].key in AR_PRE_SKIP:
            return j  # "… وكانت كافة المراصد … قد اكدت", "… ولكن رابطة أصحاب المحطات قالت": a new clause
    return lo


def _pre_subject(toks: list[Tok], lo: int, k: int, quotes) -> tuple[int, int] | None:
    """Return token bounds of a subject standing before the verb (وموسكو تؤكد …), if any.

    A long one keeps its head noun phrase ("فإن الدكتور سامي حداد استاذ الاقتصاد … اعلن ان").
    """
    a = clause_start(toks, lo, k)
    while a < k and toks[a].key in AR_PRE_SKIP:
        a += 1  # "لكن أحد أقرباء العائلة أكد"
    words = toks[a:k]
    inner = _kana_subject(toks, a, k)
    if inner is not None:
        return inner
    if not 1 <= len(words) <= _PRE_SUBJECT_MAX or not all(is_word(t) for t in words):
        return None
    if len(words) >= 3 and words[0].bare in _AR_KANA and words[-1].key == "قد":
        return a + 1, k - 1  # "وكانت الوزارة قد أعلنت أن …"
    if len(words) >= 2 and words[0].bare in _AR_KANA and words[-1].key not in AR_STOP:
        return a + 1, k  # "وكان بيل كلينتون قال في تصريح …"
    if len(words) > _PRE_SUBJECT_PLAIN and not (a > lo and toks[a - 1].bare in AR_COMP):
        return None  # a long one only right after أن/فإن: "فإن الدكتور سامي حداد استاذ الاقتصاد … اعلن"
    if words[0].key in AR_STOP or words[0].bare in AR_STOP or words[0].key in AR_CLAUSE_BREAKS or any(
            t.bare in AR_COMP or t.bare in AR_VERBS for t in words):
        return None
    if any(t.key in AR_RELATIVES or t.bare in _AR_PRONOUNS for t in words):
        return None  # "أن هذا هو الذي جعل هذه الدولة تعلن": a clause, not a subject
    if any(t.key in AR_STOP for t in words):
        e = ar_np(toks, a, k, quotes)
        return (a, e) if e > a else None
    return a, k


def _kana_subject(toks: list[Tok], a: int, k: int) -> tuple[int, int] | None:
    """Return the subject of a كان inside the clause: "الانسحاب الذي كان الوزير سامي داود قال إنه …".

    كان, its subject, then the verb (with or without قد) is the pluperfect; the words between
    must be a plain noun phrase (no preposition, verb or أن) to count.
    """
    m = next((m for m in range(k - 2, max(a, k - _PRE_SUBJECT_PLAIN - 2), -1) if toks[m].bare in _AR_KANA), None)
    if m is None:
        return None
    e = k - 1 if toks[k - 1].key == "قد" else k
    between = toks[m + 1:e]
    if between and all(is_word(t) and t.key not in AR_STOP and t.bare not in AR_COMP
                       and t.bare not in AR_VERBS and t.key not in AR_RELATIVES for t in between):
        return m + 1, e
    return None


def _ama_subject(toks: list[Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the topic of "أما X، فقد قال" as the subject, if the sentence is built so."""
    if toks[lo].key != word_key("أما"):
        return None
    for j in range(lo + 1, k):
        if toks[j].text in ",،":
            return lo + 1, j
    return None


def subject_ar(s: Sentence, k: int, limit: int) -> tuple[tuple[int, int] | None, int]:
    """Return the subject's token bounds (or None) and where the search for content starts.

    Verb first (وقال المتحدث …) is the rule; a present-tense verb after a noun is subject
    first (وموسكو تؤكد …); a participle (مشيرا) has no subject of its own.
    """
    toks, lo, quotes = s.toks, s.lo, s.quotes
    t = toks[k]
    j = k + 1
    while j < limit and toks[j].key in _AR_SKIP_AFTER_CUE:
        j += 1
    participle = t.bare in AR_PARTICIPLES
    if participle:
        return None, j
    if k - 2 >= lo and toks[k - 1].bare in _AR_DOCUMENT_ACC and toks[k + 1 if k + 1 < limit else k].key in _AR_IN_IT:
        return issuer_before_document(toks, lo, k - 1), j
    pre = _pre_subject(toks, lo, k, quotes)
    e = extend_to_entity(toks, ar_np(toks, j, limit, quotes), limit, s.entities)
    if t.bare.startswith(("نسب", "ينسب", "تنسب")) and e < limit and toks[e].key in AR_TO:
        j, e = e + 1, ar_np(toks, e + 1, limit, quotes)  # "نسبت بيلد إلى السفير أن": he speaks
    elif e < limit and (toks[e].key == "عن" and t.bare.startswith(("نقل", "ينقل", "تنقل"))
                        or toks[e].bare == "نقلا" and e + 1 < limit and toks[e + 1].key == "عن"):
        a = e + 1 if toks[e].key == "عن" else e + 2  # "نقلت الوكالة عن مصدر …": the source speaks
        j, e = a, ar_np(toks, a, limit, quotes)
    embedded = pre and pre[0] > lo and toks[pre[0] - 1].bare in AR_COMP and t.key == t.bare
    if pre and (t.bare.startswith(_AR_PRESENT_PREFIX) or embedded):
        if t.bare in _AR_TELL and not _is_led(toks, e, limit):
            return pre, _skip_addressee(toks, e, limit)  # "أن الأخير أبلغ أنان … عن أسفه"
        return pre, j
    if e > j:
        return (j, e), e
    if pre and t.key.startswith("و") and t.key != t.bare:
        # "وكشف X أن الجيش سلم خرائط … وقال : …": a past verb joined by و opens a new verb-first
        # clause, so with no subject after it the subject is "he": the noun before is no subject
        return None, e
    return pre or _ama_subject(toks, lo, k), e


def _is_led(toks: list[Tok], e: int, limit: int) -> bool:
    """Return True when a complementizer follows ``toks[e]`` closely."""
    return any(x.bare in AR_COMP for x in toks[e:min(limit, e + QUOTE_REACH)])


def _skip_addressee(toks: list[Tok], e: int, limit: int) -> int:
    """Return where "what was told" starts after the addressee of أبلغ: at عن or a ب- word."""
    for m in range(e, min(limit, e + NP_MAX + 4)):
        if toks[m].key == "عن":
            return m + 1
        if toks[m].key.startswith("ب") and m > e and is_word(toks[m]) and toks[m].key not in AR_STOP:
            return m
    return e
