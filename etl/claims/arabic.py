"""Arabic reporting constructions, one sentence at a time.

Verb first is the rule ("وقال المتحدث … إن …"); a present-tense verb after a noun is subject
first ("وموسكو تؤكد …"); a participle ("مشيرا إلى أن") has no subject of its own and is
resolved to the speaker before it; "نقلت الوكالة عن مصدر" and "نسبت … إلى" hand the claim to
the source. Attribution phrases (بحسب، وفق، نقلا عن) take the content before or after them.
Content runs from the أن/إن complement or the quotation (else the object clause) to the next
cue's clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from etl.claims.candidates import _dedupe, _Found, _merge_phrase
from etl.claims.lexicon import (
    _AR_APPEALS,
    _AR_PARTICIPLES,
    _AR_PHRASES,
    _AR_QUOTE_ONLY,
    _AR_VERBS,
)
from etl.claims.spans import _QUOTE_CHARS, _content, _outside_quotes, _quote_at, _span, _strip_span
from etl.claims.speakers import _is_backref, _speaker_from
from etl.claims.tokens import _index_after, _is_word, _key, _keys, _Tok, _toks_between
from etl.models import Span

_AR_RELATIVES = frozenset(_key(w) for w in ("الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي"))
_AR_PRESENT_PREFIX = ("ي", "ت")
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
_PRE_SUBJECT_MAX = 7  # words of a subject standing before its verb ("… إن السفير … سيدت توقع أن")
_QUOTE_REACH = 4  # words allowed between the subject and a quotation that is the content
_AR_SKIP_AFTER_CUE = _keys("فيه فيها له لها اليوم أمس أيضا كذلك بدوره بدورها مجددا")
_NP_MAX = 8


def _is_def(tok: _Tok) -> bool:
    """Return True for a definite Arabic word (ال…, لل…)."""
    return tok.bare.startswith("ال") or tok.key.startswith("لل") or tok.bare.startswith("بال")


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
    for k in _outside_quotes(toks, lo, hi, quotes):
        t = toks[k]
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
