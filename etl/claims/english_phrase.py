"""English attribution phrases and noun cues: "according to X", "in a new X poll", "his claim that".

The phrase is the outer attribution of the clause it sources ("According to X, Y said C"
reports X); a noun of saying with its owner ("Lopes’s warning that …") is a claim of the owner.
The verb rules are in :mod:`etl.claims.english`.
"""

from __future__ import annotations

from etl.claims.candidates import Candidate
from etl.claims.context import Sentence
from etl.claims.english_content import candidate_en, clause_en, reporter_tail
from etl.claims.english_np import (
    EN_APPOSITION_NEXT,
    EN_DETERMINERS,
    EN_STOP,
    is_cap,
    np_after,
    np_before,
    np_token_ok,
)
from etl.claims.spans import content_span, text_span
from etl.claims.speakers import POSSESSIVES_EN
from etl.claims.tokens import Tok, is_word, word_keys
from etl.models import Span

_POLLS = word_keys("poll polls survey surveys")
# Nouns of saying that take a that-clause: "his claim that …", "Lopes’s warning that …".
EN_CUE_NOUNS = word_keys("claim claims assertion argument warning warnings promise pledge suggestion statement "
                      "belief view insistence contention allegation allegations announcement admission "
                      "prediction charge accusation vow")


def possessor(toks: list[Tok], k: int, lo: int) -> tuple[int, int] | None:
    """Return token bounds of who owns the cue noun at ``toks[k]`` ("his", "Trump’s", "the mayor's").

    Adjectives may stand between ("his by-now-familiar claim"); the owner is the speaker.
    """
    j = k
    while j > lo and is_word(toks[j - 1]) and toks[j - 1].text[0].islower() and toks[j - 1].key not in (
            POSSESSIVES_EN | {"s"}) and k - j < 3 or j > lo and toks[j - 1].text == "-":
        j -= 1
    if j > lo and toks[j - 1].key in POSSESSIVES_EN:
        return j - 1, j
    if j - 2 > lo and toks[j - 1].key == "s" and toks[j - 2].text in "’'":
        np = np_before(toks, j - 2, lo)
        return np if np and is_cap(toks[np[0]]) or np and toks[np[0]].key == "the" else None
    return None


def poll_after(toks: list[Tok], k: int, hi: int) -> int | None:
    """Return the index after the poll noun of "in a new Gallup poll", "in the polls" (None: none).

    A poll is a source the way a speaker is: "Lopes leads by 9 points in the latest survey".
    """
    for m in range(k + 1, min(hi, k + 9)):
        if toks[m].key in _POLLS:
            return m + 1 if m > k + 1 else None
        if not (np_token_ok(toks[m]) and (is_word(toks[m]) or toks[m].text in "’'-")):
            return None
    return None


def phrase_claim_en(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of "according to X" at ``toks[k]``: the outer attribution of its clause.

    "According to X, C." and "C, according to X." source all of C, a "Y said …" inside it
    included: X is who the writer cites. The source phrase runs to its comma ("according to
    reports in the local press, …"); "…, according to X, which monitors …" keeps the clause
    before it, and "… and, according to X, adopted …" the whole sentence around it.
    """
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    t = toks[k]
    j = k + 1 if t.key == "according" else k
    np = np_after(toks, j, hi)
    if np is None:
        return None
    cue = text_span(text, t.start, toks[j].end)
    if t.key == "in":  # "in a new Gallup poll": the poll speaks
        np = (np[0], poll_after(toks, k, hi) or np[1])
        if k > lo and toks[k - 1].text != ",":
            return _poll_clause_claim(s, k, np, cue)
    a, e = np
    comma = _source_comma(toks, e, hi)
    words_before = sum(is_word(x) for x in toks[lo:k] if x.key not in ("but", "and"))
    if comma is not None and words_before == 0 and not toks[comma].end < end_pos:
        end_pos = reporter_tail(text, toks[comma].end, s.end)  # "According to X, Y said C": all of it
    if comma is not None and toks[comma].end < end_pos and words_before == 0:
        found = content_span(text, quotes, toks[comma].end, end_pos)  # "According to X, C."
    elif comma is not None and words_before and _resumes_clause(toks, comma, hi):
        found = content_span(text, quotes, toks[lo].start, end_pos)  # "… and, according to X, adopted …"
    else:
        stop = toks[k - 1].start if k > lo and toks[k - 1].text in ",(—–" else t.start
        found = content_span(text, quotes, toks[lo].start, stop)  # "C, according to X."
    if found is None:
        return None
    return candidate_en(s, toks[a].start, toks[e - 1].end, cue, found[0], found[1], phrase=True)


_SUBORDINATORS = word_keys("when where who which that while as because if although though since after before")


def _poll_clause_claim(s: Sentence, k: int, np: tuple[int, int], cue: Span) -> Candidate | None:
    """Return the claim of a clause that ends "in the polls" ("… where Lopes has led in the polls").

    The content is the clause the poll phrase closes: from after the last comma or subordinator
    before it; a poll phrase that the sentence goes on after is left alone.
    """
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    e = np[1]
    if e < hi and is_word(toks[e]) and toks[e].key not in ("and", "but"):
        return None
    a = k
    while a > lo and toks[a - 1].text not in ",;:—–" and toks[a - 1].key not in _SUBORDINATORS:
        a -= 1
    while a < k and toks[a].key in ("and", "but"):
        a += 1
    found = content_span(text, quotes, toks[a].start, toks[k].start) if a < k else None
    if found is None or sum(is_word(x) for x in toks[a:k]) > 12:
        return None
    return candidate_en(s, toks[np[0]].start, toks[e - 1].end, cue, found[0], found[1], phrase=True)


def noun_claim_en(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of "his claim that C", "the mayor’s warning that C": the owner speaks."""
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    np = possessor(toks, k, lo)
    found = clause_en(text, quotes, toks[k + 2].start, reporter_tail(text, toks[k + 2].start, end_pos)) \
        if k + 2 < hi and np else None
    if found is None:
        return None
    cue = text_span(text, toks[k].start, toks[k].end)
    return candidate_en(s, toks[np[0]].start, toks[np[1] - 1].end, cue, found[0], found[1])


def _source_comma(toks: list[Tok], e: int, hi: int) -> int | None:
    """Return the index of the comma (or dash) closing an "according to" source that ends at ``e``."""
    for m in range(e, min(hi, e + 12)):
        if toks[m].text in ",—–":
            return m
        if not (is_word(toks[m]) or toks[m].text in ".’'-()"):
            return None
    return None


def _resumes_clause(toks: list[Tok], comma: int, hi: int) -> bool:
    """Return True when a lowercase verb-like word follows the source's comma ("…, adopted a plan")."""
    nxt = toks[comma + 1] if comma + 1 < hi else None
    return (nxt is not None and is_word(nxt) and nxt.text[0].islower()
            and nxt.key not in EN_APPOSITION_NEXT and nxt.key not in EN_STOP and not nxt.text[0].isdigit()
            and nxt.key not in EN_DETERMINERS)
