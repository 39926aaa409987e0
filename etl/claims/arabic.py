"""Arabic reporting constructions, one sentence at a time.

Verb first is the rule ("وقال المتحدث … إن …"); a present-tense verb after a noun is subject
first ("وموسكو تؤكد …"); a participle ("مشيرا إلى أن") has no subject of its own and is
resolved to the speaker before it; "نقلت الوكالة عن مصدر" and "نسبت … إلى" hand the claim to
the source. Attribution phrases (بحسب، وفق، نقلا عن) take the content before or after them.
Content runs from the أن/إن complement or the quotation (else the object clause) to the next
cue's clause, or to the reporter's next clause in run-on wire text ("… وندد البيان …", "،
وذلك …"). Verbal nouns ("الى التأكيد على ان"، "بالإعلان انها") and "جاء في بيان … أن" are cues
too; a statement speaks for its issuer ("بيان لهيئة الإفتاء" … "وقال البيان").
"""

from __future__ import annotations

import re
from bisect import bisect_left

from etl.claims.candidates import dedupe, Candidate, merge_phrase
from etl.claims.lexicon import (
    AR_APPEALS,
    AR_MASDAR_OWNED,
    AR_MASDARS,
    AR_PARTICIPLES,
    AR_PHRASES,
    AR_QUOTE_ONLY,
    AR_VERBS,
)
from etl.claims.nouns_ar import (
    AR_COMP,
    AR_SAID_IN,
    AR_STOP,
    NP_MAX,
    apposition_name,
    ar_np,
    extend_to_entity,
    is_definite,
    is_preposition,
    issuer_before_document,
    statement_issuers,
    strip_l,
)
from etl.claims.spans import (
    QUOTE_CHARS,
    content_span,
    in_quote,
    outside_quotes,
    quote_at,
    text_span,
    strip_span,
)
from etl.claims.speakers import is_backref, speaker_from
from etl.claims.tokens import index_after, is_word, word_key, word_keys, Tok, toks_between
from etl.models import Span

_AR_RELATIVES = frozenset(word_key(w) for w in ("الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي"))
_AR_PRESENT_PREFIX = ("ي", "ت")
_AR_PRONOUNS = word_keys("هو هي هم هذا هذه ذلك تلك")
_AR_KANA = word_keys("كان كانت كانوا")
_PRE_SUBJECT_MAX = 12  # words of a subject standing before its verb ("… إن السفير … سيدت توقع أن")
_PRE_SUBJECT_PLAIN = 7  # … unless an أن/فإن opens its clause
_AR_PRE_SKIP = word_keys("لكن ولكن فيما بينما كما")
_WAW_NOUNS = word_keys("وزارة وزير وكالة وفد وسائل")
_QUOTE_REACH = 4  # words allowed between the subject and a quotation that is the content
_AR_SKIP_AFTER_CUE = word_keys("فيه فيها له لها اليوم أمس أيضا كذلك بدوره بدورها مجددا")
_AR_TO = word_keys("إلى الى على")  # what an appeal calls for: "دعا إلى", "حث السلطات على"
# "وفقا لـ" a rule or plan is not an attribution ("وفقا للقانون", "وفقا للاتفاقية").
_AR_NOT_SOURCES = word_keys("قانون دستور اتفاق اتفاقية قرار خطة معايير شروط نظام جدول برنامج مبدأ "
                        "قواعد أحكام")
_AR_IMPERSONAL = word_keys("يذكر يشار تجدر يجدر")
_AR_WHILE = word_keys("فيما بينما وبينما وفيما")
_AR_DOCUMENT_ACC = word_keys("بيانا تقريرا رسالة وثيقة")
_AR_IN_IT = word_keys("فيه فيها")
_AR_CAME = word_keys("جاء ورد")
_AR_DOCUMENTS = word_keys("بيان البيان بيانها بيانه تقرير التقرير رسالة الرسالة وثيقة الوثيقة نص النص")
_AR_TELL = word_keys("أبلغ أبلغت أبلغوا يبلغ تبلغ")
_AR_OBJECT_PREPS = word_keys("عن على إلى الى فقد")
_AR_PHRASE_OPENERS = word_keys("فقد فإن فإنه")
# A new clause of the reporter's own begins here, so a content running on stops before it
# (ANERcorp-style run-on sentences: "… وندد البيان …", "… وكانت مصر قد شهدت …").
_AR_CLAUSE_BREAKS = word_keys(
    "وندد وشجب ووصف وأعرب وعبر وأدان ورحب وانتقد واتهم وأبدى وكان وكانت وكانوا وخلص وذلك"
)


def _next_content_start(toks: list[Tok], j: int, limit: int, quotes,
                        comps: frozenset[str] = AR_COMP) -> tuple[int, bool]:
    """Return where the content starts after ``toks[j]`` and whether a complementizer led it.

    The first أن/إن-type word, or a quotation of two or more words close to the subject,
    wins; else the content starts at ``j`` (object clause: "تؤكد دعمها للأسد"). An أن after
    another cue or a new clause of the reporter's is not this cue's ("أبلغ أنان بتحفظه على
    تصريحه الذي قال فيه إن …", "لافتا الى الابعاد … وكانت مصر … مايفيد ان").
    """
    words = 0
    j = _skip_statement_adjunct(toks, j, limit)
    for k in range(j, limit):
        t = toks[k]
        if t.key in _AR_CLAUSE_BREAKS or (k > j and t.bare in AR_VERBS):
            break
        if t.bare in comps or t.key in comps:
            return t.end, True
        q = quote_at(quotes, t.start)
        if q and words <= _QUOTE_REACH and len(toks_between(toks, q[0], q[1])) >= 2:
            return t.start, True
        words += is_word(t)
    return (toks[j].start if j < limit else -1), False


def _skip_statement_adjunct(toks: list[Tok], j: int, limit: int) -> int:
    """Return ``j`` moved past "في تصريح لقناة فوكس الاحد", "في بيان مقتضب للرئاسة".

    Where the words were said is not what was said: the quotation or أن after it is the content.
    """
    if not (j + 1 < limit and toks[j].key == "في" and toks[j + 1].bare in AR_SAID_IN):
        return j
    e = j + 2
    while e < limit and is_word(toks[e]) and toks[e].key not in AR_STOP and toks[e].bare not in AR_COMP:
        e += 1
        if e - j > NP_MAX:
            return j
    return e


def _triggers_ar(toks: list[Tok], lo: int, hi: int, quotes) -> list[tuple[int, str]]:
    """Return (token index, "verb" | "phrase") for each Arabic cue outside quotations."""
    out = []
    for k in outside_quotes(toks, lo, hi, quotes):
        t = toks[k]
        if t.bare in AR_VERBS or t.key in AR_VERBS:
            if t.bare in _AR_IMPERSONAL:
                continue  # "ويذكر أن …": the reporter's background, nobody's claim
            if k > lo and toks[k - 1].key in _AR_RELATIVES and t.bare.startswith(("يعتبر", "تعتبر", "يرى", "ترى")):
                continue  # "الذي يعتبر المرشح الأوفر حظا": "who is considered", not speech
            if k > lo and t.bare in AR_PARTICIPLES and is_preposition(toks[k - 1]):
                continue  # "ومن مطالبه": after a preposition the word is a noun ("his demands")
            out.append((k, "verb"))
        elif t.bare in _AR_CAME and k + 2 < hi and toks[k + 1].key == "في" and toks[k + 2].bare in _AR_DOCUMENTS:
            out.append((k, "came"))  # "وجاء في البيان أن", "كما جاء في بيان للمعارضة أن"
        elif (t.key in AR_MASDARS and _masdar_comp(toks, k, hi) is not None
              and not (k > lo and toks[k - 1].bare in _AR_IMPERSONAL)):  # "وتجدر الإشارة إلى أن"
            out.append((k, "masdar"))
        elif (t.key in AR_PHRASES or t.bare in AR_PHRASES or (
                t.bare == "نقلا" and k + 1 < hi and toks[k + 1].key == "عن")) and not _is_rule_source(toks, k, hi):
            out.append((k, "phrase"))
    return out


def _boundary(toks: list[Tok], lo: int, triggers, n: int, sent_end: int, quotes) -> int:
    """Return where the content of trigger ``n`` must stop: before the next cue's clause.

    That is a participle or a cue after a comma, an attribution phrase, a cue with its own
    conjunction ("… وأضاف البيان أن …"), or a verb opening the reporter's next clause
    ("… وندد البيان …").
    """
    end = sent_end
    for k, kind in triggers[n + 1:]:
        t = toks[k]
        prev = toks[k - 1] if k else None
        comma = prev is not None and prev.text in ",،"
        if t.bare in AR_PARTICIPLES or comma:
            end = prev.start if comma else t.start
            break
        if kind == "phrase" and t.bare != "نقلا":  # "أفادت رويترز نقلا عن مسؤولين أن …" goes on
            end = t.start
            break
        if kind == "verb" and t.key != t.bare:
            end = t.start
            break
    first = triggers[n][0] + 2
    subordinate = toks[lo].key in _AR_WHILE  # "فيما سارع X الى التأكيد على ان … فإن Y اعلن"
    stop = index_after(toks, end - 1)
    for m in range(first, stop):
        t = toks[m]
        if in_quote(quotes, t.start):
            continue
        if t.key in _AR_CLAUSE_BREAKS or subordinate and t.key == "فان":
            return t.start
        if _is_as_reported(toks, m):
            return toks[m - 1].start
    return end


def _is_as_reported(toks: list[Tok], m: int) -> bool:
    """Return True at "، كما نقلت/ذكرت/قال …": the reporter names a source, the content has ended."""
    return (toks[m].key == "كما" and m > 0 and toks[m - 1].text in ",،" and m + 1 < len(toks)
            and (toks[m + 1].bare in AR_VERBS or toks[m + 1].key in AR_QUOTE_ONLY))


def _clause_start(toks: list[Tok], lo: int, k: int) -> int:
    """Return the first token of the clause holding ``toks[k]``: after a comma or an أن/إن."""
    for j in range(k - 1, lo - 1, -1):
        if toks[j].text in ",،:؛;" or toks[j].bare in AR_COMP:
            return j + 1
        if toks[j].key in _AR_CLAUSE_BREAKS:
            return j  # "… وكانت كافة المراصد … قد اكدت": the clause opens with وكانت
    return lo


def _pre_subject(toks: list[Tok], lo: int, k: int, quotes) -> tuple[int, int] | None:
    """Return token bounds of a subject standing before the verb (وموسكو تؤكد …), if any.

    A long one keeps its head noun phrase ("فإن الدكتور سامي حداد استاذ الاقتصاد … اعلن ان").
    """
    a = _clause_start(toks, lo, k)
    while a < k and toks[a].key in _AR_PRE_SKIP:
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
    if words[0].key in AR_STOP or words[0].bare in AR_STOP or words[0].key in _AR_CLAUSE_BREAKS or any(
            t.bare in AR_COMP or t.bare in AR_VERBS for t in words):
        return None
    if any(t.key in _AR_RELATIVES or t.bare in _AR_PRONOUNS for t in words):
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
                       and t.bare not in AR_VERBS and t.key not in _AR_RELATIVES for t in between):
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


def _verb_claim_ar(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> Candidate | None:
    """Return the claim of the Arabic reporting verb at ``toks[k]``."""
    t = toks[k]
    limit = min(index_after(toks, end_pos - 1), hi)
    subject, e = _subject_ar(toks, lo, k, limit, quotes, entities)
    before = _quote_ending_at(text, quotes, t.start)
    if before is not None and subject is not None:  # '«لا صحة لهذه الأنباء»، قال مصدر …'
        return _build_ar(text, toks, lo, t, subject, (text_span(text, *before), "direct"), entities, si)
    appeal = t.bare in AR_APPEALS
    start, led = _next_content_start(toks, e, limit, quotes, AR_COMP | _AR_TO if appeal else AR_COMP)
    if start < 0 or start >= end_pos or (not led and (t.bare in AR_QUOTE_ONLY or appeal)):
        return None  # an appeal needs a clause: "دعا لغير ذلك" is not one
    if (not led and t.bare in AR_PARTICIPLES and not t.bare.endswith("ا") and k > lo
            and is_word(toks[k - 1]) and toks[k - 1].key != "و"):
        return None  # "اعتصامات مؤكدة في الساحة": a participle agreeing with its noun is an adjective
    if led and subject:
        subject = apposition_name(toks, subject, index_after(toks, start - 1) - 1, entities) or subject
        e = max(e, subject[1])
    if t.bare in AR_QUOTE_ONLY and sum(is_word(x) for x in toks[e:limit] if x.start < start) > _QUOTE_REACH:
        return None  # "تعتبر تراجعا عن وعود كان من الواجب أن": the أن is not its complement
    if not led:  # object clause: "أفاد المرصد عن اشتباكات …" → اشتباكات …
        while e < limit and toks[e].key in _AR_OBJECT_PREPS:
            e += 1
        start = toks[e].start if e < limit else end_pos
    found = content_span(text, quotes, start, end_pos)
    if found is None:
        return None
    return _build_ar(text, toks, lo, t, subject, found, entities, si)


def _build_ar(text, toks, lo: int, t: Tok, subject, found: tuple[Span, str], entities, si: int) -> Candidate:
    """Return the Arabic claim of cue ``t`` with subject bounds ``subject`` and its content."""
    speaker, label = None, None
    if subject:
        s = speaker_from(text, entities, toks[subject[0]].start, toks[subject[1] - 1].end,
                          strip_conj=subject[0] == lo, whole=True)
        speaker, label = s if s else (None, None)
    a, b = sorted((toks[subject[0]].start if subject else t.end, found[0].start))
    item = Candidate(cue=text_span(text, t.start, t.end), content=found[0], kind=found[1], speaker=speaker,
                  label=label, sentence=si)
    item.is_statement = bool(re.search("بيان", (speaker.text if speaker else "") + text[a:b]))
    item.backref = speaker is None or is_backref(speaker, "ar")
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
    closed = q[1] < len(text) and text[q[1]] in QUOTE_CHARS
    if closed and len(gap) <= 3 and not gap.strip(" ،,.") and len(text[q[0] + 1:q[1]].split()) >= 2:
        return strip_span(text, q[0] + 1, q[1])
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
    participle = t.bare in AR_PARTICIPLES
    if participle:
        return None, j
    if k - 2 >= lo and toks[k - 1].bare in _AR_DOCUMENT_ACC and toks[k + 1 if k + 1 < limit else k].key in _AR_IN_IT:
        return issuer_before_document(toks, lo, k - 1), j
    pre = _pre_subject(toks, lo, k, quotes)
    e = extend_to_entity(toks, ar_np(toks, j, limit, quotes), limit, entities)
    if t.bare.startswith(("نسب", "ينسب", "تنسب")) and e < limit and toks[e].key in _AR_TO:
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


def _masdar_comp(toks: list[Tok], k: int, hi: int) -> int | None:
    """Return the index of the أن/إن that a verbal noun cue governs ("التأكيد على ان"), if any."""
    m = k + 1
    if m < hi and toks[m].key in _AR_OBJECT_PREPS:
        m += 1
    return m if m < hi and toks[m].bare in AR_COMP else None


def _masdar_claim_ar(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> Candidate | None:
    """Return the claim of a verbal noun cue: "سارع الدكتور علي جمعة الى التأكيد على ان …".

    The speaker is the subject of the verb the noun hangs on (the noun phrase after the
    nearest verb-like word before it); "بتأكيده أن" points back to the previous speaker.
    """
    t = toks[k]
    m = _masdar_comp(toks, k, hi)
    found = content_span(text, quotes, toks[m].end, end_pos) if m is not None else None
    if found is None:
        return None
    subject = None
    if t.key not in AR_MASDAR_OWNED:
        a = _clause_start(toks, lo, k)
        v = next((j for j in range(k - 1, a - 1, -1) if toks[j].key[:1] in "وف" and len(toks[j].key) >= 4
                  and not is_definite(toks[j]) and toks[j].key not in _WAW_NOUNS
                  and toks[j].key not in _AR_PRE_SKIP and toks[j].key not in AR_STOP), None)
        if v is None:
            while a < k and toks[a].key in _AR_PRE_SKIP:
                a += 1
            v = a
        # no name run: "نقابة المخابز الوطنية تبرئة نفسها بالاعلان" ends at الوطنية
        e = extend_to_entity(toks, ar_np(toks, v + 1, k, quotes, names=False), k, entities)
        subject = (v + 1, e) if e > v + 1 else None
    return _build_ar(text, toks, lo, t, subject, found, entities, si)


def _came_claim_ar(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> Candidate | None:
    """Return the claim of "جاء في بيان للمعارضة أن …": the document's issuer speaks.

    With no issuer named ("وجاء في البيان أن") the document points back to an earlier speaker.
    """
    doc = k + 2
    issuer = statement_issuers(text, toks, quotes, entities, doc, min(hi, doc + NP_MAX + 3))
    e = doc + 1
    if issuer:
        e = index_after(toks, issuer[0][1].end - 1)
    start, led = _next_content_start(toks, e, min(hi, index_after(toks, end_pos - 1)), quotes)
    if not led or start >= end_pos:
        return None
    found = content_span(text, quotes, start, end_pos)
    if found is None:
        return None
    speaker, label = issuer[0][1:] if issuer else (text_span(text, toks[doc].start, toks[doc].end), "ROLE")
    item = Candidate(cue=text_span(text, toks[k].start, toks[doc].end), content=found[0], kind=found[1],
                  speaker=speaker, label=label, sentence=si, is_statement=True)
    item.backref = not issuer
    return item


def _is_rule_source(toks: list[Tok], k: int, hi: int) -> bool:
    """Return True for "وفقا لرؤية دار الافتاء", "وفق القانون": a rule, not a speaker."""
    j = k + 1
    if j < hi and toks[j].key == "ل":
        j += 1
    return j < hi and strip_l(toks[j].bare) in _AR_NOT_SOURCES


def _is_led(toks: list[Tok], e: int, limit: int) -> bool:
    """Return True when a complementizer follows ``toks[e]`` closely."""
    return any(x.bare in AR_COMP for x in toks[e:min(limit, e + _QUOTE_REACH)])


def _skip_addressee(toks: list[Tok], e: int, limit: int) -> int:
    """Return where "what was told" starts after the addressee of أبلغ: at عن or a ب- word."""
    for m in range(e, min(limit, e + NP_MAX + 4)):
        if toks[m].key == "عن":
            return m + 1
        if toks[m].key.startswith("ب") and m > e and is_word(toks[m]) and toks[m].key not in AR_STOP:
            return m
    return e


def _phrase_claim_ar(text, toks, lo, hi, k, end_pos, quotes, entities, si) -> Candidate | None:
    """Return the claim of the Arabic attribution phrase at ``toks[k]`` (بحسب، وفق، نقلا عن)."""
    t = toks[k]
    cue_end = t.end
    j = k + 1
    if t.bare == "نقلا":
        cue_end, j = toks[k + 1].end, k + 2
    elif t.bare == "حسبما" and j < hi and (toks[j].bare in AR_VERBS):
        j += 1
    if j < hi and toks[j].key == "ل":
        j += 1
    np_end = e = ar_np(toks, j, hi, quotes)
    if e == j:
        return None
    if all(not is_word(x) or x.key == "و" for x in toks[lo:k]):  # "وبحسب X فإن …"
        start, led = _next_content_start(toks, e, hi, quotes)
        if not led:
            while e < hi and toks[e].key in _AR_PHRASE_OPENERS:
                e += 1
            start = toks[e].start if e < hi else end_pos
        found = content_span(text, quotes, start, end_pos)
    else:  # "…، بحسب البيان ذاته": the content is what came before
        found = content_span(text, quotes, toks[lo].start, toks[k - 1].start if toks[k - 1].text in ",،" else t.start)
    if found is None:
        return None
    content, kind = found
    np_text = text[toks[j].start:toks[np_end - 1].end]
    speaker, label = speaker_from(text, entities, toks[j].start, toks[np_end - 1].end, whole=True) or (None, None)
    item = Candidate(cue=text_span(text, t.start, cue_end), content=content, kind=kind, speaker=speaker,
                  label=label, sentence=si, is_phrase=True)
    item.is_statement = bool(speaker and re.search("بيان", np_text))
    item.backref = speaker is None or is_backref(speaker, "ar")
    return item


def sentence_claims_ar(text, toks, lo, hi, sent_end, quotes, entities, si) -> list[Candidate]:
    """Return the claims of one Arabic sentence (tokens ``lo..hi``)."""
    triggers = _triggers_ar(toks, lo, hi, quotes)
    out: list[Candidate] = []
    for n, (k, kind) in enumerate(triggers):
        end_pos = _boundary(toks, lo, triggers, n, sent_end, quotes)
        build = {"verb": _verb_claim_ar, "phrase": _phrase_claim_ar, "masdar": _masdar_claim_ar,
                 "came": _came_claim_ar}[kind]
        if kind == "phrase" and out and out[-1].cue.start < toks[k].start < out[-1].content.start:
            continue  # "أفادت رويترز نقلا عن مسؤولين أن …": already the verb claim's source
        item = build(text, toks, lo, hi, k, end_pos, quotes, entities, si)
        if item is None:
            continue
        if item.is_phrase and out and out[-1].content.end <= item.cue.start:
            merge_phrase(out[-1], item)  # "وأكدت القيادة …، وفق نفس البيان": one claim
            continue
        out.append(item)
    return dedupe(out)


