"""Arabic noun phrases: where a subject, a source or a name ends, and who issued a statement.

The reporting rules of :mod:`etl.claims.arabic` ask one question of a phrase: where does it
stop? Definite words chain (القيادة العامة للجيش السوري), a name follows a title (الدكتور خالد
منصور) or closes on a stop word (… مارك سميث للصحفيين), and a definite word that is what was
said ends it (نفى المتحدث الأنباء).
"""

from __future__ import annotations

from etl.arabic import normalise_arabic
from etl.claims.lexicon import AR_PHRASES, AR_VERBS
from etl.claims.spans import quote_at
from etl.claims.speakers import speaker_from
from etl.claims.tokens import Tok, index_after, is_word, toks_between, word_key, word_keys
from etl.models import EntityIndex, Span
from etl.ner import person_names
from etl.quantities import event_category
from etl.titles import HONORIFICS_AR, TITLES_AR

AR_COMP = word_keys("أن إن أنه إنه أنها إنها أنهم إنهم أنهما أننا إننا بأن بأنه بأنها بأنهم فإن فإنه فإنها")
AR_STOP = word_keys(
    "في فيه فيها على إلى عبر خلال أمام بعد قبل أثناء حول مع منذ ضمن لدى عند إزاء من عن له لها "
    "اليوم أمس الأحد الإثنين الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء ليل يوم "
    "الليلة لاحقا أيضا كذلك بدوره بدورها مجددا سابقا هو هي وهو وهي الذي التي "
    "فقد قد لقد قوله قولها قولهم نقلا لن لم لا ليس ليست سوف"
)
# Whom it was said to closes the speaker ("قال المتحدث X للصحفيين", "… لوكالة الأنباء"): the
# press and the media, each with لـ (لوكالة) or لل (للوكالة), generated from the nouns.
_AR_MEDIA = ("صحفيين", "صحافيين", "صحافة", "صحفي", "وكالة", "قناة", "صحيفة", "جريدة", "مجلة", "موقع",
             "تلفزيون", "إذاعة", "فضائية", "محطة", "شبكة", "مراسلين", "إعلام", "رويترز")
_AR_ADDRESSEES = word_keys(" ".join(f"ل{w} لل{w}" for w in _AR_MEDIA))
AR_STOP = AR_STOP | _AR_ADDRESSEES
_AR_LINKERS = word_keys("باسم عن")
_AR_SOURCE_PREPS = word_keys("في من")
_AR_SOURCE_HEADS = word_keys("مصدر مصادر مسؤول مسؤولون مسؤولين متحدث ناطق شهود ناشطون ناشط")
NP_MAX = 8
_AR_PREPOSITIONS = word_keys("من في على عن إلى الى مع لدى عند")
# Verbs of issuing a document: what stands between one and "بيانا" issued it.
_AR_ISSUE_VERBS = tuple(word_key(w) for w in ("أصدر", "اصدر", "نشر", "وزع", "أذاع", "اذاع", "بث", "أرسل",
                                           "ارسل", "وجه", "عمم", "قدم"))
_ISSUER_MAX = 7  # words searched back from the document for the verb
AR_SAID_IN = word_keys("تصريح تصريحات بيان حديث مقابلة مؤتمر رسالة كلمة خطاب تغريدة لقاء")
# What is said, not who says it: nouns of news and reports ("نفى المتحدث الأنباء").
_AR_OBJECT_HEADS = word_keys(
    "الأنباء الانباء التقارير الشائعات الإشاعات المعلومات الاتهامات الأخبار الادعاءات المزاعم الخبر "
    "التهم"
)
_AR_AFTER_NAME = word_keys("بدوره بدورها أيضا كذلك اليوم أمس مجددا")  # "… كريس كلارك بدوره ان"
_DASH_TEXTS = ("-", "–")
_NAME_CLOSERS = (":", '"', "«", "“")  # what may follow a title's name before a quotation
_NAME_JOINERS = word_keys("عبد أبو ابو بن ابن نصر")  # names with a definite part: عبد الله، نصر الله
_AR_TITLES = word_keys(" ".join(HONORIFICS_AR))
_AR_STATEMENT = word_keys("بيان بيانا")
_AR_ISSUED = word_keys("صادر صادرا صادرة الصادر")



def is_definite(tok: Tok) -> bool:
    """Return True for a definite Arabic word (ال…, لل…)."""
    return tok.bare.startswith("ال") or tok.key.startswith("لل") or tok.bare.startswith("بال")


def ar_np(toks: list[Tok], i: int, limit: int, quotes, *, names: bool = True) -> int:
    """Return the end index of the Arabic noun phrase starting at ``toks[i]`` (== i if none).

    Definite words chain (القيادة العامة للجيش السوري); an indefinite head takes indefinite
    adjectives (مصدر عسكري); after a definite word, up to three more words are a name only
    when a stop word follows (المتحدث باسم الوزارة مارك سميث للصحفيين). An
    indefinite source head that already took an adjective takes no definite genitive: in "نفى
    مصدر عسكري الأنباء" the definite word is the object (but "أحد موقعي النداء" is one phrase).
    """
    j, seen_def = i, False
    while j < limit and j - i < NP_MAX:
        t = toks[j]
        if not is_word(t):
            q = quote_at(quotes, t.start)
            if q and j > i and len(toks_between(toks, q[0], q[1])) <= 3:  # وكالة … "سانا"
                j = index_after(toks, q[1])
                continue
            break
        if t.bare in _AR_LINKERS and j > i and (t.bare == "باسم" or toks[j - 1].bare.startswith(("صادر", "الصادر"))):
            j += 1
            continue
        if not seen_def and t.key in _AR_SOURCE_PREPS and toks[i].bare in _AR_SOURCE_HEADS and _is_def_np(toks, j + 1, limit):
            j, seen_def = j + 2, True  # "مصادر في الشرطة", "مصدر مقرب من الامم المتحدة", "… في وزارة الدفاع"
            continue
        if seen_def and toks[j - 1].bare in _AR_TITLES and not is_definite(t):
            return _title_name(toks, j, limit)  # "الدكتور خالد منصور": خالد is a name here
        if t.key in AR_STOP or t.bare in AR_COMP or t.bare in AR_VERBS or t.key in AR_PHRASES:
            break
        if _is_object_head(t) and (j == i or not is_definite(t) or is_definite(toks[j - 1])):
            break  # "وكالة الأنباء" is one name: a definite object follows a definite subject
        if seen_def and not is_definite(t):
            return _name_run(toks, j, limit) if names else j
        if is_definite(t) and not seen_def and j - i >= 2 and toks[i].bare in _AR_SOURCE_HEADS:
            return j
        seen_def = seen_def or is_definite(t)
        j += 1
    return j


def _is_def_np(toks: list[Tok], j: int, limit: int) -> bool:
    """Return True when a definite noun phrase starts at ``toks[j]``: "الشرطة", "وزارة الدفاع"."""
    if j >= limit or not is_word(toks[j]) or toks[j].key in AR_STOP:
        return False
    return is_definite(toks[j]) or (j + 1 < limit and is_word(toks[j + 1]) and is_definite(toks[j + 1])
                                and toks[j + 1].key not in AR_STOP and not toks[j].key.startswith("ل"))


def _is_object_head(tok: Tok) -> bool:
    """Return True for a word that is what was said: news nouns and announced events (مقتل، اعتقال)."""
    return tok.bare in _AR_OBJECT_HEADS or event_category(tok.text) is not None


def _title_name(toks: list[Tok], j: int, limit: int) -> int:
    """Return the end of the name (≤ 2 plain words) after a title (الدكتور، العقيد، الشيخ).

    "الدكتور سامي حداد استاذ الاقتصاد": the name, not the apposition after it.
    """
    end = j
    while end < limit and end - j < 2 and is_word(toks[end]) and not is_definite(toks[end]) and not (
            (end > j and toks[end].key in AR_STOP) or toks[end].bare in AR_COMP or toks[end].bare in AR_VERBS):
        end += 1
    return end


def extend_to_entity(toks: list[Tok], e: int, limit: int, entities) -> int:
    """Return ``e`` moved past a PER entity that continues the subject phrase.

    "مدرب المنتخب الوطني لكرة السلة مارك سميث أن": the phrase rules stop at لكرة,
    the recogniser knows مارك سميث; nothing but plain words may sit between them.
    """
    for m in range(e, min(limit, e + 6)):
        t = toks[m]
        hit = next((x for x in EntityIndex.of(entities).starting(t.start) if x.label == "PER"), None)
        if hit is not None:
            return index_after(toks, hit.end - 1)
        # only genitive continuations (لكرة القدم) may stand between; "جاهزية رجال" is an object
        if not is_word(t) or not (is_definite(t) or t.key.startswith("ل")) or t.key in AR_STOP:
            return e
    return e


def _name_run(toks: list[Tok], j: int, limit: int) -> int:
    """Return the end of a personal name (≤ 5 words) at ``toks[j]`` that a stop word closes.

    A family name may be definite right after a known given name ("فؤاد السنيورة لـ"، "بشار الأسد
    المجتمع الدولي"; the name list of the entity layer, ``etl.ner.person_names``): the two words
    are the name, whatever follows ("جاهزية رجال الجيش" is no name). A hyphen may join two parts
    ("ميشال اليو - ماري").
    """
    longest = 3 if toks[j].key.startswith("ل") else 5  # "لحقوق الإنسان": a genitive, not a long name
    for end in range(j + 1, min(limit, j + longest) + 1):
        run = toks[j:end]
        if any(t.key in AR_STOP or t.bare in AR_COMP or _is_object_head(t) for t in run) or not is_word(run[0]):
            break
        if not is_word(run[-1]):
            if run[-1].text in _DASH_TEXTS and end < limit and is_word(toks[end]):
                continue  # "اليو - ماري"
            break
        defs = [m for m, t in enumerate(run, j) if is_definite(t) and toks[m - 1].bare not in _NAME_JOINERS]
        if defs and not toks[j].key.startswith("ل"):
            if defs == [end - 1] and end - j == 2 and _is_name_word(run[0]):
                return end  # "فؤاد السنيورة": a definite family name closes the name
            break  # "العميري اتفاق الهدنة باق" is an object; "لحقوق الإنسان" a genitive
        nxt = toks[end] if end < limit else None
        if nxt is not None and nxt.text in _DASH_TEXTS and end + 1 < limit and is_word(toks[end + 1]):
            continue
        if nxt is None or not is_word(nxt) or nxt.key in AR_STOP or nxt.bare in AR_COMP or nxt.key.startswith("لل"):
            return end  # "… مارك سميث للإذاعة أنه": the addressee closes the name
    return j


def speaker_phrase_end(toks: list[Tok], a: int, limit: int, quotes, entities) -> int:
    """Return the end of a phrase at ``toks[a]`` that names someone who speaks (``a`` if it does not).

    It must open like a speaker: a recognised entity, a known personal name (which then ends the
    phrase: "فؤاد السنيورة الولايات المتحدة …" is the name and the object), a title (الرئيس،
    وزيرة، مندوب) or a source (مسؤول، مصدر). "مشروع الاستيلاء", "آراء المذيعة" name no one.
    """
    if a >= limit or not is_word(toks[a]):
        return a
    t = toks[a]
    if _is_name_word(t) and not is_definite(t):
        e = _name_run(toks, a, limit)
        if e > a:
            return e
    named = any(x.label in ("PER", "ORG", "LOC") for x in EntityIndex.of(entities).starting(t.start))
    if not (named or t.bare in _AR_SOURCE_HEADS or normalise_arabic(t.bare) in TITLES_AR):
        return a
    return extend_to_entity(toks, ar_np(toks, a, limit, quotes), limit, entities)


def _is_name_word(tok: Tok) -> bool:
    """Return True for a word the entity layer's name list knows as a given or family name."""
    return normalise_arabic(tok.text) in person_names("ar")


def strip_l(key: str) -> str:
    """Return ``key`` without a leading لـ/لل/ال (للقانون → قانون, لرؤية → رؤية)."""
    for prefix in ("لل", "ال", "ل"):
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            return key[len(prefix):]
    return key


def statement_issuers(text: str, toks, quotes, entities, lo: int = 0, hi: int | None = None
                       ) -> list[tuple[int, Span, str]]:
    """Return (offset, speaker, label) of each body named as a statement's issuer.

    "انتقد بيان لنقابة الأطباء في الأردن …", "بيان صادر عن المكتب الإعلامي": a later "وقال
    البيان" or "الهيئة" with no claim of that body before it points here.
    """
    out = []
    hi = len(toks) if hi is None else min(hi, len(toks))
    for m in range(lo, hi - 2):
        t = toks[m]
        if t.bare not in _AR_STATEMENT:
            continue
        nxt = toks[m + 1]
        if nxt.key in _AR_ISSUED and toks[m + 2].key == "عن":
            a = m + 3
        elif nxt.key.startswith("ل") and is_word(nxt):
            a = m + 1
        else:
            continue
        e = ar_np(toks, a, hi, quotes) if a < hi else a
        if e == a:
            continue
        start = toks[a].start + (1 if toks[a].key.startswith("ل") and not toks[a].key.startswith("لل") else 0)
        found = speaker_from(text, entities, start, toks[e - 1].end, whole=True)
        if found:
            out.append((t.start, *found))
    return out


def is_preposition(tok: Tok) -> bool:
    """Return True for a preposition, with or without a leading و/ف ("من", "ومن")."""
    return tok.key in _AR_PREPOSITIONS or (tok.key[:1] in "وف" and tok.key[1:] in _AR_PREPOSITIONS)


def issuer_before_document(toks, lo: int, doc: int) -> tuple[int, int] | None:
    """Return the token bounds of who issued the document at ``toks[doc]`` ("… بيانا دعت فيه").

    The words between a verb of issuing and the document are the issuer ("أصدرت وزارة الري
    بيانا"); with no such verb near, the definite words before it ("الخارجية الروسية بيانا").
    """
    for v in range(doc - 1, max(lo, doc - _ISSUER_MAX) - 1, -1):
        if toks[v].bare.startswith(_AR_ISSUE_VERBS):
            return (v + 1, doc) if v + 1 < doc else None
    a = doc
    while a - 1 >= lo and is_definite(toks[a - 1]):
        a -= 1
    return (a, doc) if a < doc else None


def _is_l_genitive(gap: list[Tok]) -> bool:
    """Return True when ``gap`` opens with a لـ genitive of the title: "لكرة القدم", "لشؤون اللاجئين"."""
    return (len(gap) >= 2 and gap[0].key.startswith("ل") and not is_definite(gap[0]) and gap[0].key not in AR_STOP
            and is_definite(gap[1]))


def apposition_name(toks: list[Tok], subject: tuple[int, int], comp: int, entities) -> tuple[int, int] | None:
    """Return the bounds of a name standing right before the أن/إن (or a quotation), after the subject's title.

    "وقال سفير الصين لدى الأمم المتحدة مارك لي إن …": the title's phrase stops at لدى (or at a
    لـ genitive: "مدرب المنتخب لكرة السلة …"), and the one to three plain words that close the
    phrase before إن (an adverb such as بدوره may follow them) are the person's name (the
    apposition rule: the name, not the role). Where it was said ("في تصريح صحفي إن")
    and time words are not names. Before a quotation the phrase may also close on whom it was said
    to ("وقال السفير الاميركي في الامم المتحدة جون بولتون لشبكة " سي ان ان " : " …"").
    """
    if comp <= subject[1] or not (toks[comp].bare in AR_COMP or toks[comp].text in _NAME_CLOSERS) or any(
            x.label == "PER" and toks[subject[0]].start <= x.start < toks[subject[1] - 1].end for x in entities):
        return None  # a subject that is a recognised person needs no guess
    gap = toks[subject[1]:comp]
    to = next((n for n, t in enumerate(gap) if n > 0 and t.key in _AR_ADDRESSEES), None)
    gap = gap if to is None else gap[:to]  # "… جون بولتون لشبكة " سي ان ان " : " …"": whom it was said to
    while gap and (not is_word(gap[-1]) or gap[-1].key in _AR_AFTER_NAME):
        gap = gap[:-1]
    if not 3 <= len(gap) <= 9 or not (is_preposition(gap[0]) or _is_l_genitive(gap)) or any(
            x.bare in AR_SAID_IN for x in gap):
        return None
    n = 0
    while n < min(3, len(gap) - 2):
        w = gap[-1 - n]
        if not is_word(w) or is_definite(w) or len(w.bare) < 3 or w.key in AR_STOP or w.bare in AR_VERBS:
            break
        n += 1
    if n == 0 or not is_definite(gap[-1 - n]):
        return None
    first = subject[1] + len(gap) - n
    return first, first + n
