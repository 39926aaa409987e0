"""Arabic reporting constructions, one sentence at a time.

Verb first is the rule ("وقال المتحدث … إن …"); a present-tense verb after a noun is subject
first ("وموسكو تؤكد …"); a participle ("مشيرا إلى أن") has no subject of its own and is
resolved to the speaker before it; "نقلت الوكالة عن مصدر" and "نسبت … إلى" hand the claim to
the source. Attribution phrases (بحسب، وفق، نقلا عن) take the content before or after them.
Content runs from the أن/إن complement or the quotation (else the object clause) to the next
cue's clause, or to the reporter's next clause in run-on wire text ("… وندد البيان …", "،
وذلك …"). Verbal nouns ("الى التأكيد على ان"، "بالإعلان انها") and "جاء في بيان … أن" are cues
too; a statement speaks for its issuer ("بيان لهيئة الإفتاء" … "وقال البيان"). Where the
subject of a verb stands is :mod:`etl.claims.subjects_ar`'s question, where its content starts
and stops :mod:`etl.claims.content_ar`'s.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from etl.claims.candidates import Candidate, dedupe, merge_phrase
from etl.claims.content_ar import content_boundary, next_content_start
from etl.claims.context import Sentence
from etl.claims.lexicon import (
    AR_APPEALS,
    AR_MASDAR_OWNED,
    AR_MASDARS,
    AR_NEEDS_CLAUSE,
    AR_PARTICIPLES,
    AR_PHRASES,
    AR_QUOTE_ONLY,
    AR_VERBS,
)
from etl.claims.nouns_ar import (
    AR_COMP,
    AR_STOP,
    NP_MAX,
    apposition_name,
    ar_np,
    extend_to_entity,
    is_definite,
    is_preposition,
    speaker_phrase_end,
    statement_issuers,
    strip_l,
)
from etl.claims.spans import (
    QUOTE_CHARS,
    content_span,
    outside_quotes,
    strip_span,
    text_span,
)
from etl.claims.speakers import is_backref, speaker_from
from etl.claims.subjects_ar import (
    AR_CLAUSE_BREAKS,
    AR_PRE_SKIP,
    AR_RELATIVES,
    AR_TO,
    QUOTE_REACH,
    clause_start,
    subject_ar,
)
from etl.claims.tokens import Tok, index_after, is_word, word_key, word_keys
from etl.models import Span

_WAW_NOUNS = word_keys("وزارة وزير وكالة وفد وسائل")
# "وفقا لـ" a rule or plan is not an attribution ("وفقا للقانون", "وفقا للاتفاقية").
_AR_NOT_SOURCES = word_keys("قانون دستور اتفاق اتفاقية قرار خطة معايير شروط نظام جدول برنامج مبدأ "
                        "قواعد أحكام")
_AR_IMPERSONAL = word_keys("يذكر يشار تجدر يجدر")
_AR_CAME = word_keys("جاء ورد")
_AR_DOCUMENTS = word_keys("بيان البيان بيانها بيانه تقرير التقرير رسالة الرسالة وثيقة الوثيقة نص النص")
_AR_OBJECT_PREPS = word_keys("عن على إلى الى فقد")
_AR_PHRASE_OPENERS = word_keys("فقد فإن فإنه")
_DASHES = ("-", "–", "—")
# "من المنتظر أن يعلن …", "ومن المقرر أن يلقي …": what someone is due to say has not been said.
_AR_DUE = word_keys("المنتظر المقرر المتوقع المفترض")
_AR_WHAT = word_keys("ما وما مما")  # "وما يشير إليه": "what it points to", a relative, not a cue


def _triggers_ar(s: Sentence) -> list[tuple[int, str]]:
    """Return (token index, "verb" | "phrase" | "came" | "masdar") for each Arabic cue outside quotations."""
    toks, lo, hi = s.toks, s.lo, s.hi
    out = []
    for k in outside_quotes(toks, lo, hi, s.quotes):
        t = toks[k]
        if t.bare in AR_VERBS or t.key in AR_VERBS:
            if t.bare in _AR_IMPERSONAL:
                continue  # "ويذكر أن …": the reporter's background, nobody's claim
            if k > lo and toks[k - 1].key in AR_RELATIVES and t.bare.startswith(("يعتبر", "تعتبر", "يرى", "ترى")):
                continue  # "الذي يعتبر المرشح الأوفر حظا": "who is considered", not speech
            if k > lo and t.bare in AR_PARTICIPLES and is_preposition(toks[k - 1]):
                continue  # "ومن مطالبه": after a preposition the word is a noun ("his demands")
            if _is_relative_or_due(toks, lo, k):
                continue
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


def _is_relative_or_due(toks: list[Tok], lo: int, k: int) -> bool:
    """Return True for a verb after "وما" ("what it says") or "حسب ما", or one that is due ("من المنتظر أن يعلن")."""
    if k > lo and toks[k - 1].key in _AR_WHAT:
        return True
    return k - 1 > lo and toks[k - 1].bare in AR_COMP and toks[k - 2].key in _AR_DUE


def _verb_claim_ar(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of the Arabic reporting verb at ``toks[k]``, its content ending by ``end_pos``."""
    text, toks, lo, quotes, entities = s.text, s.toks, s.lo, s.quotes, s.entities
    t = toks[k]
    limit = min(index_after(toks, end_pos - 1), s.hi)
    subject, e = subject_ar(s, k, limit)
    # '«لا صحة لهذه الأنباء»، قال مصدر …'; a cue with its own و opens a new clause after a
    # quotation that is a headline or another's words ('" دعوة الاقتصاديات … " ودعا البنك …')
    before = _quote_ending_at(text, quotes, t.start) if t.key == t.bare else None
    if before is not None and subject is not None:
        return _build_ar(s, t, subject, (text_span(text, *before), "direct"))
    appeal = t.bare in AR_APPEALS
    start, led = next_content_start(toks, e, limit, quotes, AR_COMP | AR_TO if appeal else AR_COMP)
    if appeal and not led and _asks_for(toks, e, limit):
        start, led = toks[e].start, True  # "وتطالب الرابطة شركة النفط بدفع تعويضات": whom, and what for
    if start < 0 or start >= end_pos or (not led and (t.bare in AR_QUOTE_ONLY or t.bare in AR_NEEDS_CLAUSE or appeal)):
        return None  # an appeal needs a clause: "دعا لغير ذلك" is not one
    if (not led and t.bare in AR_PARTICIPLES and not t.bare.endswith("ا") and k > lo
            and is_word(toks[k - 1]) and toks[k - 1].key != "و"):
        return None  # "اعتصامات مؤكدة في الساحة": a participle agreeing with its noun is an adjective
    if led and subject:
        subject = apposition_name(toks, subject, index_after(toks, start - 1) - 1, entities) or subject
        e = max(e, subject[1])
    if t.bare in AR_QUOTE_ONLY and sum(is_word(x) for x in toks[e:limit] if x.start < start) > QUOTE_REACH:
        return None  # "تعتبر تراجعا عن وعود كان من الواجب أن": the أن is not its complement
    if not led:  # object clause: "أفاد المرصد عن اشتباكات …" → اشتباكات …
        while e < limit and toks[e].key in _AR_OBJECT_PREPS:
            e += 1
        start = toks[e].start if e < limit else end_pos
    found = content_span(text, quotes, start, end_pos)
    if found is None or (not led and not _says_something(found[0].text)):
        return None
    return _build_ar(s, t, subject, found)


def _asks_for(toks: list[Tok], e: int, limit: int) -> bool:
    """Return True when an addressee after an appeal is followed by what it is asked for (بـ + a noun)."""
    for m in range(e + 1, min(limit, e + NP_MAX)):
        t = toks[m]
        if not is_word(t) or t.bare in AR_VERBS or t.key in AR_CLAUSE_BREAKS:
            return False
        if t.key.startswith("ب") and len(t.key) >= 4 and t.key not in AR_STOP and not is_preposition(t):
            return True
    return False


def _says_something(content: str) -> bool:
    """Return True when an object clause has two words that are not stop words ("لها", "ذلك" say nothing)."""
    return sum(1 for w in content.split() if w[:1].isalnum() and word_key(w) not in AR_STOP) >= 2


def _build_ar(s: Sentence, t: Tok, subject: tuple[int, int] | None, found: tuple[Span, str]) -> Candidate:
    """Return the Arabic claim of cue ``t`` with subject bounds ``subject`` and its content."""
    text, toks = s.text, s.toks
    speaker, label = None, None
    if subject:
        named = speaker_from(text, s.entities, toks[subject[0]].start, toks[subject[1] - 1].end,
                             strip_conj=subject[0] == s.lo, whole=True)
        speaker, label = named if named else (None, None)
    a, b = sorted((toks[subject[0]].start if subject else t.end, found[0].start))
    return Candidate(cue=text_span(text, t.start, t.end), content=found[0], kind=found[1], speaker=speaker,
                     label=label, sentence=s.index,
                     is_statement=bool(re.search("بيان", (speaker.text if speaker else "") + text[a:b])),
                     backref=speaker is None or is_backref(speaker, "ar"))


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


def _masdar_comp(toks: list[Tok], k: int, hi: int) -> int | None:
    """Return the index of the أن/إن that a verbal noun cue governs ("التأكيد على ان"), if any."""
    m = k + 1
    if m < hi and toks[m].key in _AR_OBJECT_PREPS:
        m += 1
    return m if m < hi and toks[m].bare in AR_COMP else None


def _masdar_claim_ar(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of a verbal noun cue: "سارع الدكتور علي جمعة الى التأكيد على ان …".

    The speaker is the subject of the verb the noun hangs on (the noun phrase after the
    nearest verb-like word before it); "بتأكيده أن" points back to the previous speaker.
    """
    text, toks, lo, quotes = s.text, s.toks, s.lo, s.quotes
    t = toks[k]
    m = _masdar_comp(toks, k, s.hi)
    found = content_span(text, quotes, toks[m].end, end_pos) if m is not None else None
    if found is None:
        return None
    subject = None
    if t.key not in AR_MASDAR_OWNED:
        a = clause_start(toks, lo, k)
        v = next((j for j in range(k - 1, a - 1, -1) if toks[j].key[:1] in "وف" and len(toks[j].key) >= 4
                  and not is_definite(toks[j]) and toks[j].key not in _WAW_NOUNS
                  and toks[j].key not in AR_PRE_SKIP and toks[j].key not in AR_STOP), None)
        if v is None:
            while a < k and toks[a].key in AR_PRE_SKIP:
                a += 1
            v = a
        # no name run: "نقابة المخابز الوطنية تبرئة نفسها بالاعلان" ends at الوطنية
        e = extend_to_entity(toks, ar_np(toks, v + 1, k, quotes, names=False), k, s.entities)
        subject = (v + 1, e) if e > v + 1 else None
    return _build_ar(s, t, subject, found)


def _came_claim_ar(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of "جاء في بيان للمعارضة أن …": the document's issuer speaks.

    With no issuer named ("وجاء في البيان أن") the document points back to an earlier speaker.
    """
    text, toks, hi, quotes = s.text, s.toks, s.hi, s.quotes
    doc = k + 2
    issuer = statement_issuers(text, toks, quotes, s.entities, doc, min(hi, doc + NP_MAX + 3))
    e = doc + 1
    if issuer:
        e = index_after(toks, issuer[0][1].end - 1)
    start, led = next_content_start(toks, e, min(hi, index_after(toks, end_pos - 1)), quotes)
    if not led or start >= end_pos:
        return None
    found = content_span(text, quotes, start, end_pos)
    if found is None:
        return None
    speaker, label = issuer[0][1:] if issuer else (text_span(text, toks[doc].start, toks[doc].end), "ROLE")
    return Candidate(cue=text_span(text, toks[k].start, toks[doc].end), content=found[0], kind=found[1],
                     speaker=speaker, label=label, sentence=s.index, is_statement=True, backref=not issuer)


def _is_rule_source(toks: list[Tok], k: int, hi: int) -> bool:
    """Return True for "وفقا لرؤية دار الافتاء", "وفق القانون": a rule, not a speaker."""
    j = k + 1
    if j < hi and toks[j].key == "ل":
        j += 1
    return j < hi and strip_l(toks[j].bare) in _AR_NOT_SOURCES


def _is_hasab_ma(toks: list[Tok], k: int, hi: int) -> bool:
    """Return True at "حسب ما قال": a two-word حسبما, the verb belonging to the phrase."""
    return (toks[k].bare == "حسب" and k + 2 < hi and toks[k + 1].key == "ما"
            and (toks[k + 2].bare in AR_VERBS or toks[k + 2].key in AR_VERBS))


def _phrase_content(s: Sentence, k: int, e: int, end_pos: int) -> tuple[Span, str] | None:
    """Return the content of the attribution phrase at ``toks[k]`` whose source ends before ``toks[e]``.

    Opening the sentence ("وبحسب X فإن …") it is what follows; set off by dashes ("وذلك للرد - حسب
    منظمي المعرض - على الرسوم …") the clause after the parenthesis; else what came before
    ("…، بحسب البيان ذاته").
    """
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    if all(not is_word(x) or x.key == "و" for x in toks[lo:k]):
        start, led = next_content_start(toks, e, hi, quotes)
        if not led:
            while e < hi and toks[e].key in _AR_PHRASE_OPENERS:
                e += 1
            start = toks[e].start if e < hi else end_pos
        return content_span(text, quotes, start, end_pos)
    if toks[k - 1].text in _DASHES and e < hi and toks[e].text in _DASHES:
        return content_span(text, quotes, toks[e].end, end_pos)
    return content_span(text, quotes, toks[lo].start, toks[k - 1].start if toks[k - 1].text in ",،" else toks[k].start)


def _phrase_claim_ar(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of the Arabic attribution phrase at ``toks[k]`` (بحسب، وفق، نقلا عن)."""
    text, toks, hi, quotes = s.text, s.toks, s.hi, s.quotes
    t = toks[k]
    cue_end = t.end
    j = k + 1
    if t.bare == "نقلا":
        cue_end, j = toks[k + 1].end, k + 2
    elif t.bare == "حسبما" and j < hi and (toks[j].bare in AR_VERBS):
        j += 1
    elif _is_hasab_ma(toks, k, hi):
        j += 2  # "حسب ما قال جاك بوت": the speaker follows the verb
    if j < hi and toks[j].key == "ل":
        j += 1
    np_end = ar_np(toks, j, hi, quotes)
    if np_end == j:
        return None
    found = _phrase_content(s, k, np_end, end_pos)
    if found is None:
        return None
    content, kind = found
    np_text = text[toks[j].start:toks[np_end - 1].end]
    speaker, label = speaker_from(text, s.entities, toks[j].start, toks[np_end - 1].end, whole=True) or (None, None)
    return Candidate(cue=text_span(text, t.start, cue_end), content=content, kind=kind, speaker=speaker,
                     label=label, sentence=s.index, is_phrase=True, is_statement=bool(speaker and re.search("بيان", np_text)),
                     backref=speaker is None or is_backref(speaker, "ar"))


_RULES = {"verb": _verb_claim_ar, "phrase": _phrase_claim_ar, "masdar": _masdar_claim_ar, "came": _came_claim_ar}


def sentence_claims_ar(s: Sentence) -> list[Candidate]:
    """Return the claims of one Arabic sentence (tokens ``s.lo..s.hi``)."""
    triggers = _triggers_ar(s)
    out: list[Candidate] = []
    for n, (k, kind) in enumerate(triggers):
        end_pos = content_boundary(s, triggers, n)
        if kind == "phrase" and out and out[-1].cue.start < s.toks[k].start < out[-1].content.start:
            continue  # "أفادت رويترز نقلا عن مسؤولين أن …": already the verb claim's source
        item = _RULES[kind](s, k, end_pos)
        if item is None:
            continue
        if item.is_phrase and out and out[-1].content.end <= item.cue.start:
            out[-1] = merge_phrase(out[-1], item)  # "وأكدت القيادة …، وفق نفس البيان": one claim
            continue
        if item.speaker is None and not out:
            item = _with_opening_subject(s, k, item)
        out.append(item)
    return dedupe(out)


def _with_opening_subject(s: Sentence, k: int, item: Candidate) -> Candidate:
    """Give a cue with no subject of its own the subject of the verb that opens its sentence.

    "واتهم فؤاد السنيورة الولايات المتحدة … ، مشددا على أن …", "وأشاد مسؤول كبير في البنك …
    ، لكنه دعا إلى …": the participle or the verb after لكنه goes on with the sentence's
    subject, not with whoever spoke last. The opening word must look like a verb (a و/ف-joined
    word that is no noun with ال, no preposition), and the phrase after it must name a speaker
    (``nouns_ar.speaker_phrase_end``: "وشجب مشروع الاستيلاء … وقال" opens with an object).
    """
    toks, lo = s.toks, s.lo
    first = toks[lo]
    if k <= lo + 1 or first.key[:1] not in "وف" or len(first.key) < 4 or is_definite(first) or (
            first.key in _WAW_NOUNS or first.key in AR_PRE_SKIP or first.key in AR_STOP or is_preposition(first)):
        return item
    e = speaker_phrase_end(toks, lo + 1, k, s.quotes, s.entities)
    if e <= lo + 1:
        return item
    found = speaker_from(s.text, s.entities, toks[lo + 1].start, toks[e - 1].end, whole=True)
    if found is None or is_backref(found[0], "ar"):
        return item
    return replace(item, speaker=found[0], label=found[1], backref=False)


