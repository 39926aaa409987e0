"""Claims: who said what, with which numbers (Arabic and English), by rules.

``extract_claims(text, lang, entities)`` finds reported speech and returns
:class:`~etl.models.Claim` records whose spans are exact offsets into ``text``:

- a *cue*: a reporting verb in any person, tense or clitic form (وقال، وأكدت، مشيرا، تؤكد;
  said, says, told, denied), or an attribution phrase (بحسب، وفق، نقلا عن; according to);
- a *speaker*: the NER entity inside the subject phrase (PER before ORG; a place standing for
  its government, "وموسكو تؤكد", is labelled ORG), else the phrase itself with label ROLE
  (مصدر عسكري, "a senior official"); a back-reference (البيان ذاته، وأضاف with no subject,
  "he", "the statement") takes the span and label of the earlier speaker it points to, and an
  unresolvable pronoun stays as written with label None;
- a *content*: the quotation (marks excluded) → kind ``direct``; otherwise the clause after
  أن/إن/that, or the clause the attribution phrase hangs on → kind ``indirect``;
- a *polarity*: ``deny`` for denial cues (نفى، كذب، denied) or denial phrases in the content
  (عارٍ من الصحة، لا صحة، baseless), else ``assert``;
- *quantities*: the numbers inside the content (:mod:`etl.quantities`).

Rules are deliberate: they are explainable to an analyst and cheap per article. See
``bench/data/ANNOTATION_RULES.md`` for what counts as a claim, and ``bench/eval_claims.py``
for how well the rules do.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from etl.arabic import normalise_arabic
from etl.models import Claim, EntitySpan, Span
from etl.quantities import extract_quantities

EXTRACTOR_VERSION = "rules-2026.11.24"

_TOKEN = re.compile(r"\d+(?:[.,٫٬]\d+)*|(?:[^\W\d_]|[\u0640\u064b-\u065f\u0670])+|[^\s\w]")
_OPEN_CLOSE = {"«": "»", "“": "”", '"': '"', "„": "“"}
_QUOTE_CHARS = set("«»“”\"„")
_PUNCT_END = " \t\n.,،؛;:!?؟…"


@dataclass(frozen=True, slots=True)
class _Tok:
    """A token with offsets, its matching key and its key without a leading و/ف clitic."""

    start: int
    end: int
    text: str
    key: str
    bare: str


@dataclass(slots=True)
class _Found:
    """A claim being built: spans, the speaker phrase it came from, and resolution hints."""

    cue: Span
    content: Span
    kind: str
    speaker: Span | None
    label: str | None
    sentence: int
    is_statement: bool = False  # speaker issued a written statement (بيان, "statement")
    is_phrase: bool = False  # cue is an attribution phrase, not a verb
    backref: bool = False  # speaker must be resolved to an earlier one


def _key(word: str) -> str:
    """Return the matching key of one word: Arabic-normalised and casefolded."""
    return normalise_arabic(word).casefold()


def _bare(key: str) -> str:
    """Return an Arabic key without a leading و/ف conjunction when a 3-letter stem remains."""
    if key[:1] in ("و", "ف") and len(key) >= 4:
        return key[1:]
    return key


class _Toks(list):
    """The tokens of a text, with their start offsets for bisecting."""

    starts: list[int]


class _Quotes(list):
    """The quotations of a text as (open, close) pairs, indexed by opening offset."""

    by_open: dict[int, tuple[int, int]]


def _tokenise(text: str) -> _Toks:
    """Return every token of ``text`` with offsets."""
    out = _Toks()
    for m in _TOKEN.finditer(text):
        key = _key(m.group())
        out.append(_Tok(m.start(), m.end(), m.group(), key, _bare(key)))
    out.starts = [t.start for t in out]
    return out


def _index_quotes(pairs: list[tuple[int, int]]) -> _Quotes:
    """Return ``pairs`` with a lookup by opening offset."""
    out = _Quotes(pairs)
    out.by_open = {q[0]: q for q in pairs}
    return out


def _keys(words: str) -> frozenset[str]:
    """Return the normalised keys of a space-separated word list."""
    return frozenset(_key(w) for w in words.split())


# --- Quotations and sentences ---------------------------------------------------------------


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Return (open, close) offsets of quotation marks; a quote never crosses a paragraph.

    An opening mark left unclosed at the end of its paragraph runs to the paragraph end
    (news style leaves multi-paragraph quotes open).
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        i = 0
        while i < len(para):
            ch = para[i]
            if ch in _OPEN_CLOSE and (ch != '"' or _is_opening(para, i)):
                close = para.find(_OPEN_CLOSE[ch], i + 1)
                if close == -1:
                    close = len(para.rstrip())
                out.append((pos + i, pos + close))
                i = close + 1
                continue
            i += 1
        pos += len(para) + 1
    return out


def _is_opening(para: str, i: int) -> bool:
    """Return True when a straight quote at ``para[i]`` can open a quotation."""
    return i == 0 or not para[i - 1].isalnum() or para[i - 1] in "لب"


_ABBREV = _keys("mr mrs ms dr gen sen rep st jan feb mar apr jun jul aug sep sept oct nov dec "
                "u.s u.n jr sr inc corp no vs lt col maj sgt gov")


def split_sentences(text: str, quotes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence; never splits inside a quotation."""
    inside = [False] * (len(text) + 1)
    for a, b in quotes:
        for k in range(a, min(b + 1, len(text))):
            inside[k] = True
    out, start = [], 0
    for m in re.finditer(r"\n+|(?<=[.!?؟…])[\"”»’]?\s+|\.\.+\s*", text):
        cut = m.start()
        if text[cut - 1:cut] == "." and not m.group().startswith(".") and "\n" not in m.group():
            word = re.findall(r"[\w.]+\.$", text[max(0, cut - 12):cut])
            if word and (word[0][:-1].casefold() in _ABBREV or (len(word[0]) == 2 and word[0][0].isupper())
                         or re.fullmatch(r"([^\W\d_]\.){2,}", word[0])):
                continue
            if inside[cut - 1] and inside[min(m.end(), len(text) - 1)]:
                continue
        elif "\n" not in m.group() and inside[cut]:
            continue
        end = cut + len(m.group()) - len(m.group().lstrip(".\"”»’")) if m.group()[:1] in "\"”»’" else cut
        if text[start:end].strip():
            out.append((start, end))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return [_trim(text, a, b) for a, b in out]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Return (a, b) narrowed past surrounding whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    """Return (a, b) narrowed past whitespace and trailing punctuation and stray quotes."""
    a, b = _trim(text, a, b)
    while b > a and text[b - 1] in _PUNCT_END:
        b -= 1
    while a < b and text[a] in _PUNCT_END:
        a += 1
    # a quote mark left open or closed at only one edge is not part of the content
    if b > a and text[b - 1] in _QUOTE_CHARS and not any(c in _QUOTE_CHARS for c in text[a:b - 1]):
        b -= 1
    if b > a and text[a] in _QUOTE_CHARS and not any(c in _QUOTE_CHARS for c in text[a + 1:b]):
        a += 1
    return _trim(text, a, b)


def _span(text: str, a: int, b: int) -> Span:
    """Return the Span of ``text[a:b]``."""
    return Span(a, b, text[a:b])


def _quote_at(quotes: Sequence[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """Return the quote that opens at ``pos``, if any."""
    if isinstance(quotes, _Quotes):
        return quotes.by_open.get(pos)
    for q in quotes:
        if q[0] == pos:
            return q
    return None


def _in_quote(quotes: Sequence[tuple[int, int]], pos: int) -> bool:
    """Return True when ``pos`` lies strictly inside a quotation."""
    if isinstance(quotes, _Quotes):  # quotations never nest or overlap: check the last opener
        k = bisect_left(quotes, (pos, -1)) - 1
        return k >= 0 and quotes[k][0] < pos < quotes[k][1]
    return any(a < pos < b for a, b in quotes)


def _direct(text: str, quotes, a: int, b: int) -> tuple[int, int] | None:
    """Return the quote's inner span when ``text[a:b]`` is exactly one quotation."""
    a, b = _trim(text, a, b)
    while b > a and text[b - 1] in ".,،؛;!?؟…":
        b -= 1
    q = _quote_at(quotes, a)
    if q and q[1] >= b - 1 and q[1] - q[0] > 1:
        return _strip_span(text, q[0] + 1, q[1])
    return None


def _content(text: str, quotes, a: int, b: int) -> tuple[Span, str] | None:
    """Return the content span of ``text[a:b]`` and its kind.

    Direct when the content is one quotation, or opens with a quotation of two or more
    words ("شدد على "ضرورة …" في بيان"): the words after it are the reporter's, not the speaker's.
    """
    inner = _direct(text, quotes, a, b)
    a2, _ = _trim(text, a, b)
    q = _quote_at(quotes, a2)
    if inner is None and q and len(text[q[0] + 1:q[1]].split()) >= 2 and q[1] <= b:
        inner = _strip_span(text, q[0] + 1, q[1])
    if inner is not None:
        return _span(text, *inner), "direct"
    a, b = _strip_span(text, a, b)
    if b - a < 3:
        return None
    return _span(text, a, b), "indirect"


# --- Polarity --------------------------------------------------------------------------------

_DENY_CUES = _keys("نفى نفت نفوا ينفي تنفي نافيا نافية كذب كذبت يكذب تكذب مكذبا "
                   "denied denies deny denying rejected rejects dismissed dismisses refuted")
_DENY_PHRASES = tuple(_key(p) for p in (
    "عار من الصحة", "عارية من الصحة", "عار عن الصحة", "عارية عن الصحة", "لا صحة", "لا أساس له",
    "لا أساس لها", "غير صحيح", "غير صحيحة", "مفبرك", "ادعاءات كاذبة", "أنباء كاذبة",
    "baseless", "untrue", "fake news", "is false", "are false", "was false", "were false",
))


def _polarity(text: str, cue: Span, content: Span) -> str:
    """Return ``deny`` for a denial cue or a denial phrase in the content, else ``assert``."""
    if _bare(_key(cue.text)) in _DENY_CUES or _key(cue.text) in _DENY_CUES:
        return "deny"
    words = " ".join(_key(m.group()) for m in _TOKEN.finditer(content.text) if m.group()[0].isalnum())
    return "deny" if any(p in f" {words} " or words.startswith(p) for p in _DENY_PHRASES) else "assert"


# --- Speakers --------------------------------------------------------------------------------


def _entity_in(entities: Sequence[EntitySpan], a: int, b: int) -> EntitySpan | None:
    """Return the PER (else ORG, else LOC) entity overlapping ``[a, b)``."""
    hits = [e for e in entities if e.start < b and e.end > a and e.label in ("PER", "ORG", "LOC")]
    for label in ("PER", "ORG", "LOC"):
        for e in hits:
            if e.label == label:
                return e
    return None


def _speaker_from(text: str, entities, a: int, b: int, *, strip_conj: bool = False) -> tuple[Span, str] | None:
    """Return the speaker span and label for the subject phrase ``text[a:b]``."""
    a, b = _strip_span(text, a, b)
    if b <= a:
        return None
    ent = _entity_in(entities, a, b)
    if ent is not None:
        # a place standing for its government ("Moscow confirms") speaks as an organisation
        return _span(text, ent.start, ent.end), "ORG" if ent.label == "LOC" else ent.label
    m = re.search(r"\b(?:صادر|صادرة|الصادر|الصادرة)\s+عن\s+", text[a:b])
    if m:  # "بيان صادر عن القيادة العامة": the issuer speaks
        a += m.end()
    if strip_conj and text[a] in "وف" and _key(text[a:b].split()[0]) not in _WAW_WORDS:
        a += 1  # sentence-initial "وموسكو تؤكد": the و is the conjunction, not the name
    return _span(text, a, b), "ROLE"


# Words that begin with و/ف as a root letter, not a conjunction.
_WAW_WORDS = _keys("وكالة وكالات وزارة وزير وزراء وفد وحدات وحدة ولاية واشنطن وسائل والي "
                   "وثيقة وسيط فرنسا فصائل فصيل فريق فلسطين فنزويلا")


_BACKREF_AR = _keys("ذاته ذاتها نفسه نفسها نفس ذات")
_BACKREF_HEADS_AR = _keys("البيان بيانه المصدر الوكالة المتحدث الناطق")
_PRONOUNS_EN = _keys("he she they it we i")
_BACKREF_EN = ("the statement", "the report", "the spokesman", "the spokeswoman",
               "the spokesperson", "the official", "the ministry", "the agency")


def _is_backref(span: Span, lang: str) -> bool:
    """Return True when a subject phrase points back to an earlier speaker."""
    words = [_bare(_key(w)) for w in span.text.split()]
    if lang == "ar":
        return bool(set(words) & _BACKREF_AR) or (len(words) == 1 and words[0] in _BACKREF_HEADS_AR)
    return span.text.casefold() in _BACKREF_EN or (len(words) == 1 and words[0] in _PRONOUNS_EN)


def _resolve(found: list[_Found], item: _Found, entities: Sequence[EntitySpan],
             genders: dict[str, str]) -> None:
    """Point a back-reference (or a missing subject) at the earlier speaker it refers to.

    "البيان ذاته" / "the statement" prefer the latest speaker who issued a statement; "he" and
    "she" take the latest speaker or PER mention not already known to be the other pronoun.
    """
    pronoun = item.speaker.text.casefold() if item.speaker is not None else ""
    if pronoun in ("he", "she"):
        _resolve_pronoun(found, item, entities, genders, pronoun)
        return
    wants_statement = item.speaker is not None and re.search(r"بيان|statement", item.speaker.text)
    earlier = [f for f in found if f.speaker is not None and not f.backref]
    if wants_statement and any(f.is_statement for f in earlier):
        earlier = [f for f in earlier if f.is_statement]
    if earlier:
        item.speaker, item.label = earlier[-1].speaker, earlier[-1].label
        item.is_statement = item.is_statement or earlier[-1].is_statement
        item.backref = False
    elif item.speaker is not None and pronoun not in _PRONOUNS_EN:
        item.backref = False  # "The ministry said" with nothing before: the phrase is the speaker


def _resolve_pronoun(found, item: _Found, entities, genders: dict[str, str], pronoun: str) -> None:
    """Resolve he/she to the nearest earlier speaker or PER mention of a compatible gender."""
    here = item.cue.start
    cands = [(f.cue.start, f.speaker, f.label) for f in found if f.speaker is not None and not f.backref]
    cands += [(e.start, _span_of(e), "PER") for e in entities if e.label == "PER" and e.end <= here]
    for _, span, label in sorted(cands, key=lambda c: c[0], reverse=True):
        key = _name_key(span.text)
        if genders.get(key, pronoun) != pronoun:
            continue
        genders[key] = pronoun
        item.speaker, item.label, item.backref = span, label, False
        return


def _span_of(e: EntitySpan) -> Span:
    """Return the Span of an entity mention."""
    return Span(e.start, e.end, e.text)


def _name_key(name: str) -> str:
    """Return the last word of a name, casefolded: "Elizabeth Prelogar" and "Prelogar" agree."""
    words = _key(name).split()
    return words[-1] if words else ""


# --- Arabic ----------------------------------------------------------------------------------

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
_AR_NOT_VERBS = _keys("طالب")  # the bare form is also "student"
# "تابع" is "went on (saying)" only before a quotation or أن; else it is "followed".
_AR_QUOTE_ONLY = frozenset(_key(w) for w in ("تابع", "تابعت", "تابعوا", "يتابع", "تتابع"))
_AR_RELATIVES = frozenset(_key(w) for w in ("الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي"))


def _inflect_ar(row: str) -> set[str]:
    """Return the 3rd-person forms of one verb row: past, present and participle."""
    past, present, participle = row.split()
    forms = {past, past + "ت", past + "وا", past + "تا", present, "ت" + present[1:],
             present + "ون", "ت" + present[1:] + "ان"}
    if participle != "-":
        stem = participle.removesuffix("ا")
        forms |= {participle, stem + "ة", stem + "ين"}
    return forms


_AR_VERBS = frozenset(_key(w) for row in _AR_VERB_TABLE for w in _inflect_ar(row)) | _keys(
    _AR_IRREGULAR) - _AR_NOT_VERBS
_AR_PARTICIPLES = frozenset(
    _key(w) for row in _AR_VERB_TABLE if row.split()[2] != "-"
    for w in (row.split()[2], row.split()[2].removesuffix("ا") + "ة", row.split()[2].removesuffix("ا") + "ين")
) | _keys("نافيا نافية داعيا داعية")
_AR_PRESENT_PREFIX = ("ي", "ت")
_AR_PHRASES = _keys("بحسب حسب وفق وفقا طبقا حسبما")  # + نقلا عن
_AR_COMP = _keys("أن إن أنه إنه أنها إنها أنهم إنهم أنهما أننا إننا بأن بأنه بأنها بأنهم فإن فإنه فإنها")
_AR_STOP = _keys(
    "في فيه فيها على إلى عبر خلال أمام بعد قبل أثناء حول مع منذ ضمن لدى عند إزاء من عن له لها "
    "اليوم أمس الأحد الإثنين الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء ليل يوم "
    "الليلة لاحقا أيضا كذلك بدوره بدورها مجددا سابقا للصحفيين للصحافيين للصحافة لوكالة لقناة "
    "لصحيفة لموقع للتلفزيون لتلفزيون للإذاعة لإذاعة للوكالة لرويترز هو هي وهو وهي الذي التي "
    "فقد قد لقد قوله قولها قولهم نقلا"
)
_AR_LINKERS = _keys("باسم عن")
_AR_KANA = _keys("كان كانت كانوا")
_AR_SOURCE_HEADS = _keys("مصدر مصادر مسؤول مسؤولون مسؤولين متحدث ناطق شهود ناشطون ناشط")
_AR_APPEALS = frozenset(_key(w) for row in ("حض يحض -", "حث يحث -", "طالب يطالب مطالبا")
                        for w in _inflect_ar(row)) | _keys("دعا دعت دعوا دعتا يدعو تدعو يدعون داعيا داعية")
_PRE_SUBJECT_MAX = 7  # words of a subject standing before its verb ("… إن السفير … سيدت توقع أن")
_QUOTE_REACH = 4  # words allowed between the subject and a quotation that is the content
_AR_SKIP_AFTER_CUE = _keys("فيه فيها له لها اليوم أمس أيضا كذلك بدوره بدورها مجددا")
_AR_QUOTE_ONLY = _AR_QUOTE_ONLY | frozenset(_key(w) for w in ("نقل", "نقلت", "نقلوا", "ينقل", "تنقل"))
_NP_MAX = 8


def _is_def(tok: _Tok) -> bool:
    """Return True for a definite Arabic word (ال…, لل…)."""
    return tok.bare.startswith("ال") or tok.key.startswith("لل") or tok.bare.startswith("بال")


def _is_word(tok: _Tok) -> bool:
    """Return True for a word token (not punctuation)."""
    return tok.text[0].isalnum()


def _ar_np(toks: list[_Tok], i: int, limit: int, quotes) -> int:
    """Return the end index of the Arabic noun phrase starting at ``toks[i]`` (== i if none).

    Definite words chain (القيادة العامة للجيش السوري); an indefinite head takes indefinite
    adjectives (مصدر عسكري); after a definite word, up to three more words are a name only
    when a stop word follows (المتحدث باسم الرئاسة الروسية دميتري بيسكوف للصحفيين). An
    indefinite source head that already took an adjective takes no definite genitive: in "نفى
    مصدر عسكري الأنباء" the definite word is the object (but "أحد موقعي النداء" is one phrase).
    """
    j, seen_def = i, False
    while j < limit and j - i < _NP_MAX:
        t = toks[j]
        if not _is_word(t):
            q = _quote_at(quotes, t.start)
            if q and j > i and len(_toks_between(toks, q[0], q[1])) <= 3:  # وكالة … "سانا"
                j = _index_after(toks, q[1])
                continue
            break
        if t.bare in _AR_LINKERS and j > i and (t.bare == "باسم" or toks[j - 1].bare.startswith(("صادر", "الصادر"))):
            j += 1
            continue
        if t.key in _AR_STOP or t.bare in _AR_COMP or t.bare in _AR_VERBS or t.key in _AR_PHRASES:
            break
        if seen_def and not _is_def(t):
            return _name_run(toks, j, limit)
        if _is_def(t) and not seen_def and j - i >= 2 and toks[i].bare in _AR_SOURCE_HEADS:
            return j
        seen_def = seen_def or _is_def(t)
        j += 1
    return j


def _extend_to_entity(toks: list[_Tok], e: int, limit: int, entities) -> int:
    """Return ``e`` moved past a PER entity that continues the subject phrase.

    "نائب رئيس نادي أرسنال الإنجليزي لكرة القدم ديفد دين أن": the phrase rules stop at لكرة,
    the recogniser knows ديفد دين; nothing but plain words may sit between them.
    """
    for m in range(e, min(limit, e + 6)):
        t = toks[m]
        hit = next((x for x in entities if x.start == t.start and x.label == "PER"), None)
        if hit is not None:
            return _index_after(toks, hit.end - 1)
        # only genitive continuations (لكرة القدم) may stand between; "جاهزية رجال" is an object
        if not _is_word(t) or not (_is_def(t) or t.key.startswith("ل")) or t.key in _AR_STOP:
            return e
    return e


def _name_run(toks: list[_Tok], j: int, limit: int) -> int:
    """Return the end of a personal name (≤ 3 words) at ``toks[j]`` that a stop word closes."""
    for n in (1, 2, 3):
        end = j + n
        if end > limit:
            break
        if any(not _is_word(t) or t.key in _AR_STOP or t.bare in _AR_COMP for t in toks[j:end]):
            break
        if end == limit or not _is_word(toks[end]) or toks[end].key in _AR_STOP or toks[end].bare in _AR_COMP:
            return end
    return j


def _toks_between(toks: _Toks, a: int, b: int) -> list[_Tok]:
    """Return the tokens inside ``(a, b]`` (the words of a quotation between its marks)."""
    lo = bisect_right(toks.starts, a)
    return [t for t in toks[lo:bisect_right(toks.starts, b)] if t.end <= b]


def _index_after(toks: _Toks, pos: int) -> int:
    """Return the index of the first token starting after ``pos``."""
    return bisect_right(toks.starts, pos)


def _next_content_start(text: str, toks: list[_Tok], j: int, limit: int, quotes,
                        comps: frozenset[str] = _AR_COMP) -> tuple[int, bool]:
    """Return where the content starts after ``toks[j]`` and whether a complementizer led it.

    The first أن/إن-type word, or a quotation of two or more words close to the subject,
    wins; else the content starts at ``j`` (object clause: "تؤكد دعمها للأسد").
    """
    words = 0
    for k in range(j, limit):
        t = toks[k]
        if t.bare in comps or t.key in comps:
            return t.end, True
        q = _quote_at(quotes, t.start)
        if q and words <= _QUOTE_REACH and len(_toks_between(toks, q[0], q[1])) >= 2:
            return t.start, True
        words += _is_word(t)
    return (toks[j].start if j < limit else -1), False


def _triggers_ar(toks: list[_Tok], lo: int, hi: int, quotes) -> list[tuple[int, str]]:
    """Return (token index, "verb" | "phrase") for each Arabic cue outside quotations."""
    out = []
    for k in range(lo, hi):
        t = toks[k]
        if _in_quote(quotes, t.start):
            continue
        if t.bare in _AR_VERBS or t.key in _AR_VERBS:
            if k > lo and toks[k - 1].key in _AR_RELATIVES and t.bare.startswith(("يعتبر", "تعتبر", "يرى", "ترى")):
                continue  # "الذي يعتبر المرشح الأوفر حظا": "who is considered", not speech
            out.append((k, "verb"))
        elif t.key in _AR_PHRASES or t.bare in _AR_PHRASES or (
                t.bare == "نقلا" and k + 1 < hi and toks[k + 1].key == "عن"):
            out.append((k, "phrase"))
    return out


def _boundary(toks: list[_Tok], triggers, n: int, hi: int, sent_end: int) -> int:
    """Return where the content of trigger ``n`` must stop: before the next cue's clause."""
    for k, kind in triggers[n + 1:]:
        t = toks[k]
        prev = toks[k - 1] if k else None
        comma = prev is not None and prev.text in ",،"
        if t.bare in _AR_PARTICIPLES or comma:
            return prev.start if comma else t.start
        if kind == "phrase" and t.bare != "نقلا":  # "أفادت رويترز نقلا عن مسؤولين أن …" goes on
            return t.start
    return sent_end


def _clause_start(toks: list[_Tok], lo: int, k: int) -> int:
    """Return the first token of the clause holding ``toks[k]``: after a comma or an أن/إن."""
    for j in range(k - 1, lo - 1, -1):
        if toks[j].text in ",،:؛;" or toks[j].bare in _AR_COMP:
            return j + 1
    return lo


def _pre_subject(toks: list[_Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return token bounds of a subject standing before the verb (وموسكو تؤكد …), if any."""
    a = _clause_start(toks, lo, k)
    words = toks[a:k]
    if not 1 <= len(words) <= _PRE_SUBJECT_MAX or not all(_is_word(t) for t in words):
        return None
    if len(words) >= 3 and words[0].bare in _AR_KANA and words[-1].key == "قد":
        return a + 1, k - 1  # "وكانت الوزارة قد أعلنت أن …"
    if any(t.key in _AR_STOP or t.bare in _AR_COMP or t.bare in _AR_VERBS for t in words):
        return None
    return a, k


def _ama_subject(toks: list[_Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the topic of "أما X، فقد قال" as the subject, if the sentence is built so."""
    if toks[lo].key != _key("أما"):
        return None
    for j in range(lo + 1, k):
        if toks[j].text in ",،":
            return lo + 1, j
    return None


def _verb_claim_ar(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> _Found | None:
    """Return the claim of the Arabic reporting verb at ``toks[k]``."""
    t = toks[k]
    limit = min(_index_after(toks, end_pos - 1), hi)
    subject, e = _subject_ar(toks, lo, k, limit, quotes, entities)
    before = _quote_ending_at(text, quotes, t.start)
    if before is not None and subject is not None:  # '«لا صحة لهذه الأنباء»، قال مصدر …'
        return _build_ar(text, toks, lo, t, subject, (_span(text, *before), "direct"), entities, si)
    comps = _AR_COMP | _keys("إلى الى") if t.bare in _AR_APPEALS else _AR_COMP
    start, led = _next_content_start(text, toks, e, limit, quotes, comps)
    if start < 0 or start >= end_pos or (t.bare in _AR_QUOTE_ONLY and not led):
        return None
    if not led:  # object clause: "أفاد المرصد عن اشتباكات …" → اشتباكات …
        while e < limit and toks[e].key in _keys("عن على إلى فقد"):
            e += 1
        start = toks[e].start if e < limit else end_pos
    found = _content(text, quotes, start, end_pos)
    if found is None:
        return None
    return _build_ar(text, toks, lo, t, subject, found, entities, si)


def _build_ar(text, toks, lo: int, t: _Tok, subject, found: tuple[Span, str], entities, si: int) -> _Found:
    """Return the Arabic claim of cue ``t`` with subject bounds ``subject`` and its content."""
    speaker, label = None, None
    if subject:
        s = _speaker_from(text, entities, toks[subject[0]].start, toks[subject[1] - 1].end,
                          strip_conj=subject[0] == lo)
        speaker, label = s if s else (None, None)
    a, b = sorted((toks[subject[1] - 1].end if subject else t.end, found[0].start))
    item = _Found(cue=_span(text, t.start, t.end), content=found[0], kind=found[1], speaker=speaker,
                  label=label, sentence=si)
    item.is_statement = bool(re.search("بيان", (speaker.text if speaker else "") + text[a:b]))
    item.backref = speaker is None or _is_backref(speaker, "ar")
    return item


def _quote_ending_at(text: str, quotes, pos: int) -> tuple[int, int] | None:
    """Return the inner span of a quotation that closes just before ``pos`` ('«…»، قال')."""
    k = bisect_left(quotes, (pos, -1)) - 1
    while k >= 0 and quotes[k][1] >= pos:
        k -= 1
    if k < 0:
        return None
    q = quotes[k]
    gap = text[q[1] + 1:pos]
    closed = q[1] < len(text) and text[q[1]] in _QUOTE_CHARS
    if closed and len(gap) <= 3 and not gap.strip(" ،,.") and len(text[q[0] + 1:q[1]].split()) >= 2:
        return _strip_span(text, q[0] + 1, q[1])
    return None


def _subject_ar(toks, lo: int, k: int, limit: int, quotes, entities) -> tuple[tuple[int, int] | None, int]:
    """Return the subject's token bounds (or None) and where the search for content starts.

    Verb first (وقال المتحدث …) is the rule; a present-tense verb after a noun is subject
    first (وموسكو تؤكد …); a participle (مشيرا) has no subject of its own.
    """
    t = toks[k]
    j = k + 1
    while j < limit and toks[j].key in _AR_SKIP_AFTER_CUE:
        j += 1
    participle = t.bare in _AR_PARTICIPLES
    if participle:
        return None, j
    pre = _pre_subject(toks, lo, k)
    e = _extend_to_entity(toks, _ar_np(toks, j, limit, quotes), limit, entities)
    if t.bare.startswith(("نسب", "ينسب", "تنسب")) and e < limit and toks[e].key in _keys("إلى الى"):
        j, e = e + 1, _ar_np(toks, e + 1, limit, quotes)  # "نسبت بيلد إلى السفير أن": he speaks
    elif e < limit and (toks[e].key == "عن" and t.bare.startswith(("نقل", "ينقل", "تنقل"))
                        or toks[e].bare == "نقلا" and e + 1 < limit and toks[e + 1].key == "عن"):
        a = e + 1 if toks[e].key == "عن" else e + 2  # "نقلت الوكالة عن مصدر …": the source speaks
        j, e = a, _ar_np(toks, a, limit, quotes)
    if pre and t.bare.startswith(_AR_PRESENT_PREFIX):
        return pre, j
    if e > j:
        return (j, e), e
    return pre or _ama_subject(toks, lo, k), e


def _phrase_claim_ar(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> _Found | None:
    """Return the claim of the Arabic attribution phrase at ``toks[k]`` (بحسب، وفق، نقلا عن)."""
    t = toks[k]
    cue_end = t.end
    j = k + 1
    if t.bare == "نقلا":
        cue_end, j = toks[k + 1].end, k + 2
    elif t.bare == "حسبما" and j < hi and (toks[j].bare in _AR_VERBS):
        j += 1
    if j < hi and toks[j].key in ("ل", "لـ"):
        j += 1
    np_end = e = _ar_np(toks, j, hi, quotes)
    if e == j:
        return None
    if all(not _is_word(x) or x.key == "و" for x in toks[lo:k]):  # "وبحسب X فإن …"
        start, led = _next_content_start(text, toks, e, hi, quotes)
        if not led:
            while e < hi and toks[e].key in _keys("فقد فإن فإنه"):
                e += 1
            start = toks[e].start if e < hi else end_pos
        found = _content(text, quotes, start, end_pos)
    else:  # "…، بحسب البيان ذاته": the content is what came before
        found = _content(text, quotes, toks[lo].start, toks[k - 1].start if toks[k - 1].text in ",،" else t.start)
    if found is None:
        return None
    content, kind = found
    np_text = text[toks[j].start:toks[np_end - 1].end]
    speaker, label = _speaker_from(text, entities, toks[j].start, toks[np_end - 1].end) or (None, None)
    item = _Found(cue=_span(text, t.start, cue_end), content=content, kind=kind, speaker=speaker,
                  label=label, sentence=si, is_phrase=True)
    item.is_statement = bool(speaker and re.search("بيان", np_text))
    item.backref = speaker is None or _is_backref(speaker, "ar")
    return item


def _sentence_claims_ar(text, toks, lo, hi, sent_end, quotes, entities, si) -> list[_Found]:
    """Return the claims of one Arabic sentence (tokens ``lo..hi``)."""
    triggers = _triggers_ar(toks, lo, hi, quotes)
    out: list[_Found] = []
    for n, (k, kind) in enumerate(triggers):
        end_pos = _boundary(toks, triggers, n, hi, sent_end)
        build = _verb_claim_ar if kind == "verb" else _phrase_claim_ar
        if kind == "phrase" and out and out[-1].cue.start < toks[k].start < out[-1].content.start:
            continue  # "أفادت رويترز نقلا عن مسؤولين أن …": already the verb claim's source
        item = build(text, toks, lo, hi, k, end_pos, quotes, entities, si)
        if item is None:
            continue
        if item.is_phrase and out and out[-1].content.end <= item.cue.start:
            _merge_phrase(out[-1], item)  # "وأكدت القيادة …، وفق نفس البيان": one claim
            continue
        out.append(item)
    return _dedupe(out)


def _merge_phrase(verb: _Found, phrase: _Found) -> None:
    """Fold a trailing attribution phrase into the verb claim it sources."""
    verb.is_statement = verb.is_statement or phrase.is_statement
    if verb.speaker is None or verb.backref:
        verb.speaker, verb.label, verb.backref = phrase.speaker, phrase.label, phrase.backref


# --- Driver ----------------------------------------------------------------------------------


def _token_range(toks: _Toks, a: int, b: int) -> tuple[int, int]:
    """Return the token index range covering ``[a, b)``."""
    return bisect_left(toks.starts, a), bisect_left(toks.starts, b)


def _follow_on(text, toks, sentences, si, quotes, previous: _Found, lang: str) -> _Found | None:
    """Return a claim for a cue-less quotation right after a quoted claim in the same paragraph."""
    a, b = sentences[si]
    if previous.kind != "direct" or "\n" in text[previous.content.end:a]:
        return None
    if previous.sentence != si - 1:
        return None
    inner = _direct(text, quotes, a, b)
    if inner is None:
        return None
    return _Found(cue=previous.cue, content=_span(text, *inner), kind="direct",
                  speaker=previous.speaker, label=previous.label, sentence=si,
                  is_statement=previous.is_statement, backref=previous.backref)


def extract_claims(text: str, lang: str, entities: Sequence[EntitySpan]) -> list[Claim]:
    """Return the claims in ``text`` (speaker, cue, content, kind, polarity, quantities).

    ``lang`` is "ar" or "en"; ``entities`` are NER spans of the same text (may be empty).
    Pure and deterministic; every span is an exact slice of ``text``; sorted by content start.
    """
    lang = "ar" if lang.startswith("ar") else "en"
    toks = _tokenise(text)
    quotes = _index_quotes(find_quotes(text))
    sentences = split_sentences(text, quotes)
    per_sentence = _sentence_claims_ar if lang == "ar" else _sentence_claims_en
    found: list[_Found] = []
    genders: dict[str, str] = {}
    for si, (a, b) in enumerate(sentences):
        lo, hi = _token_range(toks, a, b)
        items = [i for i in per_sentence(text, toks, lo, hi, b, quotes, entities, si)
                 if i.content.end - i.content.start >= 2]  # an empty quotation '" . .' says nothing
        if not items and found:
            follow = _follow_on(text, toks, sentences, si, quotes, found[-1], lang)
            items = [follow] if follow else []
        for item in items:
            if item.backref:
                _resolve(found, item, entities, genders)
            found.append(item)
    return sorted((_to_claim(text, f, lang) for f in found), key=lambda c: (c.content.start, c.cue.start))


def _to_claim(text: str, f: _Found, lang: str) -> Claim:
    """Return the public Claim record of a built claim."""
    label = f.label
    if f.speaker is not None and f.backref:
        label = None  # an unresolved pronoun or "the statement": keep the words, no label
    return Claim(
        speaker=f.speaker,
        cue=f.cue,
        content=f.content,
        kind=f.kind,  # type: ignore[arg-type]
        polarity=_polarity(text, f.cue, f.content),  # type: ignore[arg-type]
        quantities=tuple(extract_quantities(text, f.content.start, f.content.end, lang)),
        speaker_label=label,
    )




# --- English ---------------------------------------------------------------------------------

_EN_VERBS = _keys(
    "said says say told tells stated announced announces confirmed confirms denied denies deny "
    "warned warns claimed claims claim argued argues argue wrote writes insisted insists "
    "explained explains alleged alleges rejected rejects dismissed dismisses vowed pledged "
    "admitted admits predicted acknowledged acknowledges suggested estimated reiterated confirm "
    "added adds asked asks responded replied replies declared declares continued interjected "
    "countered rejoined quipped joked cautioned conceded"
)
# Verbs that report speech only next to a quotation or a that-clause ("the case continued").
_EN_QUOTE_ONLY = _keys("added adds asked asks responded replied replies declared declares continued "
                       "interjected countered rejoined quipped joked suggested estimated argued argues "
                       "argue confirmed confirms confirm wrote writes acknowledged acknowledges")
# Quote-only verbs that may also take a bare clause ("he suggested the approach rang hollow").
_EN_CLAUSE_VERBS = _keys("suggested acknowledged acknowledges confirmed confirms confirm estimated")
_EN_PARTICIPLES = _keys("saying adding noting warning insisting claiming asserting telling "
                        "denying explaining stressing")
_EN_CLAUSE_OPENERS = _keys("it he she they we i there the a an this these those his her their its "
                           "no some many most all")
_EN_OBJECT_VERBS = _keys("told tells telling asked asks warned assured informed")
_EN_DETERMINERS = _keys("the a an his her its their this that these those such of our your my s any "
                        "no every each false new")
_EN_PASSIVE = _keys("was were been be being is are when if")
_EN_ADVERBS = _keys("also had has have later recently then once previously further again repeatedly "
                    "reportedly publicly privately earlier still now initially separately overall "
                    "only just already would will")
_EN_STOP = _keys(
    "that which who whom whose when while as if because but after before where than so since "
    "although though is are was were has have had will would can could may might should must "
    "did do does to for with in on at by from about into over under during without and or not "
    "it’s there here this"
)
_EN_ADJUNCT_STARTS = _keys("in on at during via through after before earlier later also recently "
                           "today yesterday last this monday tuesday wednesday thursday friday "
                           "saturday sunday")
_EN_NP_KEEP = _keys("the a an of and")  # inside a speaker phrase: "the chief of the U.S. Ski Team"
_EN_NP_MAX = 10
_EN_AUDIENCE = _keys("reporters journalists lawmakers supporters parliament congress"
                     " senators students crowd")


def _is_cap(tok: _Tok) -> bool:
    """Return True for a capitalised word or an abbreviation piece (U.S.)."""
    return tok.text[:1].isupper()


def _np_token_ok(tok: _Tok) -> bool:
    """Return True when ``tok`` may sit inside an English speaker phrase."""
    if _is_word(tok):
        return tok.key not in _EN_STOP or tok.key in _EN_NP_KEEP
    return tok.text in ".’'-‌\u200c"


def _np_before(toks: list[_Tok], k: int, lo: int) -> tuple[int, int] | None:
    """Return token bounds of the speaker phrase ending right before the cue ``toks[k]``."""
    j = k
    while j > lo and toks[j - 1].key in _EN_ADVERBS:
        j -= 1
    end, a = j, j
    while a > lo and end - a < _EN_NP_MAX and _np_token_ok(toks[a - 1]) and toks[a - 1].key not in _EN_VERBS:
        a -= 1
    while a < end and (not _is_word(toks[a]) or toks[a].key in ("and", "of")):
        a += 1
    if a >= end or (end - a == 1 and not _is_word(toks[a])):
        return None
    return a, end


def _is_abbreviation_dot(toks: list[_Tok], j: int, a: int, hi: int) -> bool:
    """Return True when the full stop at ``toks[j]`` belongs to an abbreviation (U.S., Dept.)."""
    before_initial = j + 1 < hi and len(toks[j + 1].text) == 1 and _is_cap(toks[j + 1])
    after_short = j > a and len(toks[j - 1].text) <= 2 and _is_cap(toks[j - 1])
    return before_initial or after_short


def _np_after(toks: list[_Tok], k: int, hi: int) -> tuple[int, int] | None:
    """Return token bounds of a speaker phrase right after the cue ("…,” says Azza")."""
    a = j = k + 1
    while j < hi and j - a < _EN_NP_MAX and _np_token_ok(toks[j]):
        if toks[j].text == "." and not _is_abbreviation_dot(toks, j, a, hi):
            break
        j += 1
    while j > a and (not _is_word(toks[j - 1]) or toks[j - 1].key in _EN_NP_KEEP) and toks[j - 1].text != ".":
        j -= 1
    return (a, j) if j > a else None


def _triggers_en(toks: list[_Tok], lo: int, hi: int, quotes) -> list[tuple[int, str]]:
    """Return (token index, "verb" | "participle" | "phrase") for English cues outside quotes."""
    out = []
    for k in range(lo, hi):
        t = toks[k]
        if _in_quote(quotes, t.start):
            continue
        prev = toks[k - 1].key if k > lo else ""
        nxt = toks[k + 1].key if k + 1 < hi else ""
        if (t.key == "according" and nxt == "to") or t.key == "citing":
            out.append((k, "phrase"))
        elif t.key in _EN_PARTICIPLES:
            out.append((k, "participle"))
        elif t.key in _EN_VERBS and t.text[0].islower():
            if prev in _EN_PASSIVE or nxt in ("than", "by"):
                continue
            if t.key in _keys("claim claims") and prev in _EN_DETERMINERS:
                continue
            out.append((k, "verb"))
    return out


def _quote_before(text, toks, k: int, lo: int, quotes) -> tuple[tuple[int, int], int] | None:
    """Return (quote, gap start index) when a quotation closes shortly before the cue."""
    for q in quotes:
        if not (toks[lo].start <= q[1] < toks[k].start):
            continue
        gap = [t for t in toks[lo:k] if t.start > q[1]]
        words = [t for t in gap if _is_word(t)]
        if len(words) <= 6 and all(_np_token_ok(t) or t.text in ",—–" or t.key in _EN_ADVERBS for t in gap):
            if words and any(t.text in ",—" for t in gap[1:]):
                continue  # "“…,” Alito said, …" is fine; a clause between is not
            return q, next((i for i in range(lo, k + 1) if toks[i].start > q[1]), k)
    return None


def _quote_after(text, toks, j: int, hi: int, quotes, sent_end: int) -> tuple[int, int] | None:
    """Return the inner span of a quotation opening within a few words after ``toks[j]``."""
    words = 0
    for i in range(j, hi):
        q = _quote_at(quotes, toks[i].start)
        if q is not None:
            rest = text[q[1] + 1:sent_end].strip(" .,;:!?…\"”’")
            if not rest or len(rest.split()) <= 2:
                return _strip_span(text, q[0] + 1, q[1])
            return None
        words += _is_word(toks[i])
        if words > 5:
            return None
    return None


def _split_quote_end(text, toks, i: int, hi: int, quotes) -> int | None:
    """Return the end of a quotation resuming after ``toks[i]`` ("…,” X said, “…")."""
    for n in range(i, min(hi, i + 14)):
        q = _quote_at(quotes, toks[n].start)
        if q is not None:
            return _strip_span(text, q[0] + 1, q[1])[1] if n > i and toks[n - 1].text in ",:—" else None
    return None


def _boundary_en(toks: list[_Tok], triggers, n: int, lo: int, sent_end: int) -> int:
    """Return where the content of English trigger ``n`` stops: before the next cue's clause."""
    for k, kind in triggers[n + 1:]:
        np = _np_before(toks, k, lo) if kind == "verb" else None
        a = np[0] if np else k
        if a > lo and toks[a - 1].text in ",;—(":
            return toks[a - 1].start
        if np is None and a > lo and toks[a - 1].key in ("but", "and"):  # "denies X but warned Y"
            return toks[a - 1].start
        if kind != "verb":
            return toks[k].start
    return sent_end


def _skip_object(toks: list[_Tok], j: int, hi: int) -> int:
    """Return the index after the addressee of told/asked ("told CBS News", "told the justices")."""
    if j < hi and _is_cap(toks[j]) and toks[j].key not in _PRONOUNS_EN:
        while j < hi and (_is_cap(toks[j]) or toks[j].text in ".’'"):
            j += 1
    elif j + 1 < hi and toks[j].key in _keys("the a his her their"):
        j += 2
    elif j < hi and (toks[j].key in _EN_AUDIENCE or toks[j].key in _keys("him her them us me")):
        j += 1
    return j


def _item(text, entities, a: int | None, b: int | None, cue: Span, content: Span, kind: str,
          si: int, *, phrase: bool = False) -> _Found:
    """Return a built English claim with the speaker phrase ``text[a:b]`` (None: unknown)."""
    speaker = label = None
    if a is not None and b is not None and b > a:
        speaker, label = _speaker_from(text, entities, a, b) or (None, None)
    item = _Found(cue=cue, content=content, kind=kind, speaker=speaker, label=label,
                  sentence=si, is_phrase=phrase)
    gap = text[cue.end:content.start] if content.start > cue.end else ""
    item.is_statement = bool(re.search(r"statement|report", (speaker.text if speaker else "") + gap, re.I))
    item.backref = speaker is None or _is_backref(speaker, "en")
    return item


def _phrase_claim_en(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> _Found | None:
    """Return the claim of "according to X" / "citing X" at ``toks[k]``."""
    t = toks[k]
    j = k + 1 if t.key == "according" else k
    np = _np_after(toks, j, hi)
    if np is None:
        return None
    cue = _span(text, t.start, toks[j].end)
    a, e = np
    if e < hi and toks[e].text == "," and toks[e].end < end_pos and (
            k == lo or toks[k - 1].text in ",(" or toks[k - 1].key in ("but", "and")):
        found = _content(text, quotes, toks[e].end, end_pos)  # "According to X, C."
    else:
        stop = toks[k - 1].start if k > lo and toks[k - 1].text in ",(" else t.start
        found = _content(text, quotes, toks[lo].start, stop)  # "C, according to X."
    if found is None:
        return None
    return _item(text, entities, toks[a].start, toks[e - 1].end, cue, found[0], found[1], si, phrase=True)


def _verb_claim_en(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> _Found | None:
    """Return the claim of the English reporting verb at ``toks[k]``."""
    t = toks[k]
    cue = _span(text, t.start, t.end)
    qb = _quote_before(text, toks, k, lo, quotes)
    if qb is not None:  # "“…,” Prelogar said" / "“…,” says Azza"
        return _quoted_claim_en(text, toks, k, hi, qb, quotes, entities, cue, si)
    np = _np_before(toks, k, lo)
    j = _skip_object(toks, k + 1, hi) if t.key in _EN_OBJECT_VERBS else k + 1
    j, led = _after_that(toks, j, hi)
    direct = _quote_after(text, toks, j, hi, quotes, end_pos)
    opens_clause = j < hi and (toks[j].key in _EN_CLAUSE_OPENERS or toks[j].key in ("how", "why", "what"))
    if t.key in _EN_QUOTE_ONLY and not (led or direct or (t.key in _EN_CLAUSE_VERBS and opens_clause)):
        return None
    inv = _np_after(toks, k, hi) if np is None and k > lo and toks[k - 1].text == "," else None
    appositive = _sentence_subject(toks, lo, k)
    if appositive and toks[appositive[1] + 1].key in _keys("who which a an the"):
        inv = None  # "Jeffrey Wall, who was …, said …": the subject stands before the apposition
    if inv is not None and _ends_clause(toks, inv[1], hi):  # "…, said U.S. Capitol Police Chief X."
        found = _content(text, quotes, toks[lo].start, toks[k - 1].start)
        return _item(text, entities, *_strip_np(toks, inv), cue, *found, si) if found else None
    if direct is not None:
        found = (_span(text, *direct), "direct")
    else:
        found = _indirect_en(text, toks, lo, hi, j, end_pos, np, led, quotes)
    if found is None:
        return None
    return _item(text, entities, *_strip_np(toks, np or appositive), cue, found[0], found[1], si)


def _quoted_claim_en(text, toks, k, hi, qb, quotes, entities, cue: Span, si: int) -> _Found:
    """Return the claim of a quotation closed just before the cue ("“…,” X said, “…”")."""
    q, g = qb
    np = _np_before(toks, k, g) if any(_is_word(x) for x in toks[g:k]) else _np_after(toks, k, hi)
    inner = _strip_span(text, q[0] + 1, q[1])
    resume = _split_quote_end(text, toks, (np[1] if np and np[0] > k else k + 1), hi, quotes)
    content = _span(text, inner[0], resume or inner[1])
    return _item(text, entities, *_strip_np(toks, np), cue, content, "direct", si)


def _indirect_en(text, toks, lo, hi, j, end_pos, np, led, quotes) -> tuple[Span, str] | None:
    """Return the reported clause of a verb whose speaker phrase is ``np``.

    After the verb as a rule; before it when the attribution closes the sentence ("…, police
    said."); after a parenthesis ("This, he says, is …").
    """
    comma_before = np is not None and np[0] > lo and toks[np[0] - 1].text == ","
    parenthetical = comma_before and j < hi and toks[j].text == ","
    after = [x for x in toks[j:hi] if _is_word(x) and x.start < end_pos]
    if parenthetical and toks[np[0] - 1].start - toks[lo].start < 12:
        return _content(text, quotes, toks[j].end, end_pos)
    if comma_before and (len(after) <= 6 or parenthetical) and not led:
        return _content(text, quotes, toks[lo].start, toks[np[0] - 1].start)
    if j >= hi:
        return None
    return _content(text, quotes, toks[j].start, _reporter_tail(text, toks[j].start, end_pos))


def _after_that(toks: list[_Tok], j: int, hi: int) -> tuple[int, bool]:
    """Return the index after a "that" opening the reported clause ("said in a statement that").

    Only adjuncts may come between the verb and "that" ("said Monday that", "in a statement");
    in "added a footnote that said" the "that" belongs to the noun.
    """
    if j < hi and toks[j].key != "that" and toks[j].key not in _EN_ADJUNCT_STARTS:
        return j, False
    for m in range(j, min(hi, j + 6)):
        if toks[m].key == "that":
            return m + 1, True
        if not _is_word(toks[m]) or toks[m].key in _EN_VERBS:
            break
    return j, False


def _ends_clause(toks: list[_Tok], j: int, hi: int) -> bool:
    """Return True when a phrase ending before ``toks[j]`` closes its clause."""
    return j >= hi or not _is_word(toks[j]) and toks[j].text not in "“\"«" or toks[j].key in _EN_STOP


_TAIL = re.compile(r",? (?:but|even as|yet) |\s[-–—]\s")


def _reporter_tail(text: str, a: int, b: int) -> int:
    """Return where the reported clause ``text[a:b]`` ends before the reporter's own words.

    "…say Orbán is eroding democracy, but Trump is forging closer relations": the clause after
    ", but" / ", even as" / a spaced dash is the outlet's, not the speaker's.
    """
    m = _TAIL.search(text, a, b)
    return m.start() if m and not _in_quote_text(text, a, m.start()) else b


def _in_quote_text(text: str, a: int, pos: int) -> bool:
    """Return True when an opening quote before ``pos`` (from ``a``) is still open at ``pos``."""
    seg = text[a:pos]
    return seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1


def _strip_np(toks: list[_Tok], np: tuple[int, int] | None) -> tuple[int | None, int | None]:
    """Return character bounds of a token range, or (None, None)."""
    if np is None or np[1] <= np[0]:
        return None, None
    return toks[np[0]].start, toks[np[1] - 1].end


def _sentence_subject(toks: list[_Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the capitalised phrase opening the sentence ("Jeffrey Wall, who …, said")."""
    j = lo
    while j < k and (_is_cap(toks[j]) or toks[j].text in ".’'") and toks[j].key not in _keys("the a an"):
        j += 1
    if j > lo and j < k and toks[j].text == ",":
        return lo, j
    return None


def _participle_claim_en(text, toks, lo, hi, k, end_pos, quotes, entities, si, out) -> _Found | None:
    """Return the claim of "…, saying that …": the speaker is the clause's subject."""
    t = toks[k]
    led = k + 1 < hi and toks[k + 1].key == "that"
    j = k + 1 + led
    if j >= hi:
        return None
    direct = _quote_after(text, toks, j, hi, quotes, end_pos)
    if not (led or direct or toks[j].key in _EN_CLAUSE_OPENERS or _is_cap(toks[j])):
        return None
    found = (_span(text, *direct), "direct") if direct else _content(text, quotes, toks[j].start, end_pos)
    if found is None:
        return None
    item = _item(text, entities, None, None, _span(text, t.start, t.end), found[0], found[1], si)
    same = [f for f in out if f.sentence == si]
    np = _sentence_subject(toks, lo, k) or _np_subject_run(toks, lo, k)
    if same:
        item.speaker, item.label, item.backref = same[-1].speaker, same[-1].label, same[-1].backref
    elif np:
        item = _item(text, entities, *_strip_np(toks, np), item.cue, item.content, item.kind, si)
    return item


def _np_subject_run(toks: list[_Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the leading capitalised run of the sentence ("Wall referred to …, saying")."""
    j = lo
    while j < k and _is_word(toks[j]) and _is_cap(toks[j]):
        j += 1
    return (lo, j) if j > lo else None


def _sentence_claims_en(text, toks, lo, hi, sent_end, quotes, entities, si) -> list[_Found]:
    """Return the claims of one English sentence (tokens ``lo..hi``)."""
    triggers = _triggers_en(toks, lo, hi, quotes)
    out: list[_Found] = []
    for n, (k, kind) in enumerate(triggers):
        end_pos = _boundary_en(toks, triggers, n, lo, sent_end)
        if kind == "phrase":
            item = _phrase_claim_en(text, toks, lo, hi, k, end_pos, quotes, entities, si)
        elif kind == "participle":
            item = _participle_claim_en(text, toks, lo, hi, k, end_pos, quotes, entities, si, out)
        else:
            item = _verb_claim_en(text, toks, lo, hi, k, end_pos, quotes, entities, si)
        if item is not None:
            out.append(item)
    return _dedupe(out)


def _dedupe(items: list[_Found]) -> list[_Found]:
    """Drop a phrase claim whose content another claim of the sentence already covers."""
    keep: list[_Found] = []
    for item in items:
        twin = next((k for k in keep if _overlap(k.content, item.content) >= 0.5), None)
        if twin is not None and twin.content == item.content and not item.is_phrase:
            continue  # "وتابعت قائلة "…"": two cues, one claim
        if twin is None:
            keep.append(item)
        elif item.is_phrase:
            _merge_phrase(twin, item)
        elif twin.is_phrase:
            _merge_phrase(item, twin)
            keep[keep.index(twin)] = item
        else:
            keep.append(item)  # "Trump told N. he would …, sources say": a claim inside a claim
    return keep


def _overlap(a: Span, b: Span) -> float:
    """Return the share of the shorter span that the two spans have in common."""
    common = min(a.end, b.end) - max(a.start, b.start)
    return max(common, 0) / max(1, min(a.end - a.start, b.end - b.start))
