"""Where an Arabic claim's content starts and where it must stop.

After the subject, the content is the أن/إن complement or a quotation close by (past a
relative clause that describes the speaker, past where and when it was said, past the name of
a medium in quotation marks), else the object clause. It stops before the next cue's clause:
a participle or a cue after a comma, an attribution phrase, a cue with its own و, a cue after a
clause opener (كما، لكنه، فيما), the reporter's next clause ("… وندد البيان …") or an
as-reported ("، كما نقلت …"). The construction rules of :mod:`etl.claims.arabic` ask here.
"""

from __future__ import annotations

from etl.claims.context import Sentence
from etl.claims.lexicon import AR_PARTICIPLES, AR_QUOTE_ONLY, AR_VERBS
from etl.claims.nouns_ar import AR_COMP, AR_SAID_IN, AR_STOP, NP_MAX
from etl.claims.spans import in_quote, quote_at
from etl.claims.subjects_ar import AR_CLAUSE_BREAKS, AR_RELATIVES, QUOTE_REACH
from etl.claims.tokens import Tok, index_after, is_word, toks_between, word_keys

_AR_WHILE = word_keys("فيما بينما وبينما وفيما")
# Words that open a clause of their own: a cue right after one ("… ( الفرنسية ) كما دعا X",
# "… لكنه لم يوضح …", "…، فيما طالبت …") starts a new claim, so the one before stops there.
_AR_OPENERS = word_keys("كما وكما لكن لكنه لكنها لكنهم ولكن ولكنه ولكنها فيما وفيما بينما وبينما")
_AR_NEGATIONS = word_keys("لم لا لن قد")
_RELATIVE_REACH = 20  # words a relative clause or adjuncts may put between the subject and its quotation
_ADJUNCT_QUOTE_MIN = 4  # ... when adjuncts do, a quotation of at least this many words (not a title)
_AR_ADJUNCT_OPENERS = word_keys("خلال أثناء عقب بعد أمام لدى عند مع")


def next_content_start(toks: list[Tok], j: int, limit: int, quotes,
                        comps: frozenset[str] = AR_COMP) -> tuple[int, bool]:
    """Return where the content starts after ``toks[j]`` and whether a complementizer led it.

    The first أن/إن-type word, or a quotation of two or more words close to the subject,
    wins; else the content starts at ``j`` (object clause: "تؤكد دعمها للأسد"). An أن after
    another cue or a new clause of the reporter's is not this cue's ("أبلغ أنان بتحفظه على
    تصريحه الذي قال فيه إن …", "لافتا الى الابعاد … وكانت مصر … مايفيد ان").
    """
    words = 0
    j = _skip_statement_adjunct(toks, j, limit)
    j, reach, min_quote = _skip_relative(toks, j, limit, comps)
    k = j
    while k < limit:
        t = toks[k]
        if t.key in AR_CLAUSE_BREAKS or (k > j and t.bare in AR_VERBS):
            break
        if t.bare in comps or t.key in comps:
            return t.end, True
        q = quote_at(quotes, t.start)
        n = len(toks_between(toks, q[0], q[1])) if q else 0
        if q and _is_addressed(toks, k, n):
            k = index_after(toks, q[1])  # the medium's name is no content, nor is an "ان" inside it
            continue
        if q and ((words <= QUOTE_REACH and n >= 2) or (words <= reach and n >= min_quote)):
            return t.start, True
        words += is_word(t)
        k += 1
    return (toks[j].start if j < limit else -1), False


def _skip_relative(toks: list[Tok], j: int, limit: int, comps: frozenset[str]) -> tuple[int, int, int]:
    """Return where to seek the content after the subject, how far a quotation may be, and its least length.

    A relative clause after the subject is the reporter's description of the speaker ("قال
    الرئيس الإيراني الذي وصف إسرائيل بأنها " ورم خبيث " ، أن …"): when an أن opens the clause
    after its comma, that one is the cue's; with no comma, the quotation after it is the content ("وقال بولتون الذي دعم النص مع سفراء … " نحن
    سعداء … ""). Where and when it was said ("خلال لقائه مع … في بيان مقتضب للرئاسة " … "") lets
    a longer quotation stand further away.
    """
    if j < limit and toks[j].key in AR_RELATIVES:
        comma = next((m for m in range(j, limit) if toks[m].text in ",،"), None)
        if comma is None:
            return j, _RELATIVE_REACH, 2
        if any(t.bare in comps or t.key in comps for t in toks[comma + 1:min(limit, comma + 1 + QUOTE_REACH)]):
            return comma + 1, QUOTE_REACH, 2
    if j < limit and toks[j].key in _AR_ADJUNCT_OPENERS:
        return j, _RELATIVE_REACH, _ADJUNCT_QUOTE_MIN
    return j, QUOTE_REACH, 2


def _is_addressed(toks: list[Tok], k: int, words: int) -> bool:
    """Return True for a short quotation after لـ or a medium ("لـ " سي ان ان "", "لشبكة " …""): whom it was said to.

    A longer one is what was said to them ("قال للصحفيين "نواصل بالطبع …"").
    """
    prev = toks[k - 1].key if k else ""
    return words <= 3 and (prev == "ل" or (prev.startswith("ل") and prev in AR_STOP))


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


def content_boundary(s: Sentence, triggers: list[tuple[int, str]], n: int) -> int:
    """Return where the content of trigger ``n`` must stop: before the next cue's clause.

    That is a participle or a cue after a comma, an attribution phrase, a cue with its own
    conjunction ("… وأضاف البيان أن …"), or a verb opening the reporter's next clause
    ("… وندد البيان …").
    """
    toks, lo, quotes = s.toks, s.lo, s.quotes
    end = s.end
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
        opener = _opener_before(toks, lo, k)
        if opener is not None:
            end = toks[opener - 1].start if opener > lo and toks[opener - 1].text in ",،" else toks[opener].start
            break
    first = triggers[n][0] + 2
    subordinate = toks[lo].key in _AR_WHILE  # "فيما سارع X الى التأكيد على ان … فإن Y اعلن"
    stop = index_after(toks, end - 1)
    for m in range(first, stop):
        t = toks[m]
        if in_quote(quotes, t.start):
            continue
        if t.key in AR_CLAUSE_BREAKS or subordinate and t.key == "فان":
            return t.start
        if _is_as_reported(toks, m):
            return toks[m - 1].start
    return end


def _opener_before(toks: list[Tok], lo: int, k: int) -> int | None:
    """Return the index of a clause opener right before the cue ``toks[k]`` (a negation may sit between)."""
    j = k - 1
    if j > lo and toks[j].key in _AR_NEGATIONS:
        j -= 1  # "لكنه لم يوضح"
    return j if j >= lo and toks[j].key in _AR_OPENERS else None


def _is_as_reported(toks: list[Tok], m: int) -> bool:
    """Return True at "، كما نقلت/ذكرت/قال …": the reporter names a source, the content has ended."""
    return (toks[m].key == "كما" and m > 0 and toks[m - 1].text in ",،" and m + 1 < len(toks)
            and (toks[m + 1].bare in AR_VERBS or toks[m + 1].key in AR_QUOTE_ONLY))
