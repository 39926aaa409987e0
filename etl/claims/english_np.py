"""English speaker phrases: where the noun phrase of who spoke starts and ends.

The construction rules in :mod:`etl.claims.english` find a cue and ask here for the phrase
before it ("Deputy minister Hana Kovac said"), after it ("…,” said council leader Priya
Nair"), before an apposition ("Col. Ana Silva, a military spokeswoman, said"), before a
relative "who", or opening the sentence; time words, sentence adverbs and subordinators
around a subject are trimmed off, because they are not who spoke.
"""

from __future__ import annotations

from etl.claims.lexicon import EN_VERBS
from etl.claims.spans import ABBREVIATIONS
from etl.claims.tokens import Tok, is_word, word_keys

EN_ADVERBS = word_keys("also had has have later recently then once previously further again repeatedly "
                    "reportedly publicly privately earlier still now initially separately overall "
                    "only just already would will long never always often")
EN_STOP = word_keys(
    "that which who whom whose when while as if because but after before where than so since "
    "although though is are was were has have had will would can could may might should must "
    "did do does to for with in on at by from about into over under during without and or not "
    "it’s there here this"
)
_EN_NP_KEEP = word_keys("the a an of and")  # inside a speaker phrase: "the chief of the U.S. Ski Team"
_EN_NP_MAX = 10
# Words around a subject that are not the speaker: time words, sentence adverbs, subordinators.
_EN_NP_DROP = word_keys(
    "and or of when while whereas but even also so yet then thus still meanwhile moreover however "
    "instead indeed last next this week weekend month year day days weeks months years today "
    "yesterday tonight morning afternoon evening night earlier later recently both in on at during "
    "monday tuesday wednesday thursday friday saturday sunday january february march april june "
    "july august september october november december ago once perhaps maybe now here often first finally "
    "sometimes soon as after before since because if although though"
)
_EN_AUXILIARIES = word_keys("is are was were has have had will would can could may might should must did do does")
_EN_APPOSITION_STARTS = word_keys("a an the now who whose")
_EN_TIME_WORDS = word_keys("monday tuesday wednesday thursday friday saturday sunday week weekend month "
                       "year night morning afternoon evening today yesterday tonight")
# A lone determiner is no one; "many", "some" and "others" are sources left unnamed (ROLE).
_EN_NOT_SPEAKERS = word_keys("the a an his her their its our my your himself herself themselves itself"
                         " both all none each other")
_EN_ARTICLES = word_keys("the a an")
# Determiners before a noun: after them a cue word is the noun ("the claims"), not the verb.
EN_DETERMINERS = word_keys("the a an his her its their this that these those such of our your my s any "
                           "no every each false new")
# Words that open an apposition or relative clause after a name's comma ("X, who …", "X, a …").
EN_APPOSITION_NEXT = word_keys("who which a an the")


def is_cap(tok: Tok) -> bool:
    """Return True for a capitalised word or an abbreviation piece (U.S.)."""
    return tok.text[:1].isupper()


# -ly words that open a sentence as adverbs, not names ("Shortly after, …", "Repeatedly, …")
_EN_CAPITAL_ADVERBS = word_keys("shortly repeatedly separately similarly finally initially previously recently "
                            "likewise currently clearly certainly frankly notably apparently eventually")


def _is_ly_adverb(tok: Tok) -> bool:
    """Return True for an -ly adverb ("reportedly"); a capitalised word is a name ("Carly", "Kelly").

    A sentence may open with a capitalised adverb ("Separately, …"), which the comma after it
    already keeps out of a speaker phrase.
    """
    return tok.key.endswith("ly") and (tok.text[0].islower() or tok.key in _EN_CAPITAL_ADVERBS)


def np_token_ok(tok: Tok) -> bool:
    """Return True when ``tok`` may sit inside an English speaker phrase."""
    if is_word(tok):
        return tok.key not in EN_STOP or tok.key in _EN_NP_KEEP
    return tok.text in ".’'-‌\u200c"


def np_before(toks: list[Tok], k: int, lo: int) -> tuple[int, int] | None:
    """Return token bounds of the speaker phrase ending right before the cue ``toks[k]``."""
    j = _skip_time_adjunct(toks, k, lo)
    while j > lo and (toks[j - 1].key in EN_ADVERBS or _is_ly_adverb(toks[j - 1])):
        j -= 1
    end = a = _before_party_tag(toks, j, lo)
    while a > lo and end - a < _EN_NP_MAX and np_token_ok(toks[a - 1]) and toks[a - 1].key not in EN_VERBS:
        a -= 1
    if end > lo and toks[end - 1].key in ("and", "or"):
        return None  # "… met the press and explained": the cue shares the clause's subject
    return _trim_np(toks, a, end)


def _before_party_tag(toks: list[Tok], j: int, lo: int) -> int:
    """Return the index of a parenthesis closing a name tag right before ``toks[j]``, else ``j``.

    "Sen. Ada Moss (D-Vt.) called", "Rep. Tom Ruiz (R-N.M.), said": the party and state
    tag belongs to the name; the speaker is the name before it.
    """
    end = j - 1 if j - 1 > lo and toks[j - 1].text == "," else j
    if end - 1 <= lo or toks[end - 1].text != ")":
        return j
    for i in range(end - 2, max(lo, end - 10), -1):
        if toks[i].text == "(":
            return i if i > lo else j
    return j


def _skip_time_adjunct(toks: list[Tok], k: int, lo: int) -> int:
    """Return the index before a time phrase right before the cue ("The campaign on Tuesday said").

    "on Tuesday", "last week", "Monday" sit between subject and verb; the subject is before them.
    """
    j = k
    while j > lo and toks[j - 1].key in _EN_TIME_WORDS:
        j -= 1
    if j < k and j > lo and toks[j - 1].key in ("on", "this", "last", "next", "earlier", "late"):
        j -= 1
    return j if j > lo and j < k and is_word(toks[j - 1]) else k


def _trim_np(toks: list[Tok], a: int, end: int) -> tuple[int, int] | None:
    """Return a speaker phrase without the time words and openers around it (None: nothing left).

    "On Tuesday, Clinton …", "Trump last week said", "When Beck said": a date, a sentence
    adverb or a subordinator is not who spoke; a lone determiner ("the", "their") is no one.
    """
    while a < end and (not is_word(toks[a]) or toks[a].key in _EN_NP_DROP or _is_ly_adverb(toks[a])):
        a += 1
    while end > a and (not is_word(toks[end - 1]) and toks[end - 1].text != "."
                       or toks[end - 1].key in _EN_NP_DROP):
        end -= 1
    if a >= end or (end - a == 1 and toks[a].key in _EN_NOT_SPEAKERS):
        return None
    return a, end


def _is_abbreviation_dot(toks: list[Tok], j: int, a: int, hi: int) -> bool:
    """Return True when the full stop at ``toks[j]`` belongs to an abbreviation (U.S., Dept.)."""
    before_initial = j + 1 < hi and len(toks[j + 1].text) == 1 and is_cap(toks[j + 1])
    after_short = j > a and len(toks[j - 1].text) <= 2 and is_cap(toks[j - 1])
    title = j > a and is_cap(toks[j - 1]) and toks[j - 1].key in ABBREVIATIONS  # "Rep. Lena Ford"
    return before_initial or after_short or title


def np_after(toks: list[Tok], k: int, hi: int) -> tuple[int, int] | None:
    """Return token bounds of a speaker phrase right after the cue ("…,” says Azza")."""
    a = j = k + 1
    while j < hi and j - a < _EN_NP_MAX and np_token_ok(toks[j]):
        if toks[j].text == "." and not _is_abbreviation_dot(toks, j, a, hi):
            break
        j += 1
    while j > a and (not is_word(toks[j - 1]) or toks[j - 1].key in _EN_NP_KEEP) and toks[j - 1].text != ".":
        j -= 1
    return (a, j) if j > a else None


def ends_clause(toks: list[Tok], j: int, hi: int) -> bool:
    """Return True when a phrase ending before ``toks[j]`` closes its clause.

    An auxiliary after it ("…, said the convoy had left") makes the phrase a subject instead.
    """
    if j < hi and (toks[j].key in _EN_AUXILIARIES or toks[j].key == "that"):
        return False  # "…, said late Tuesday that …": the phrase after the cue is no speaker
    if j + 1 < hi and toks[j].text == "," and is_word(toks[j + 1]) and not (
            toks[j + 1].key in _EN_APPOSITION_STARTS or toks[j + 1].text[0].isdigit()
            or toks[j + 1].key.endswith("ing") or toks[j + 1].key in EN_STOP):
        return False  # "…, said their speeches, already long, would …": a subject with an aside
    return j >= hi or not is_word(toks[j]) and toks[j].text not in "“\"«" or toks[j].key in EN_STOP


def np_bounds(toks: list[Tok], np: tuple[int, int] | None) -> tuple[int | None, int | None]:
    """Return character bounds of a token range, or (None, None)."""
    if np is None or np[1] <= np[0]:
        return None, None
    return toks[np[0]].start, toks[np[1] - 1].end


def relative_antecedent(toks: list[Tok], k: int, lo: int) -> tuple[int, int] | None:
    """Return the phrase a "who" before the cue stands for ("Beck, who has long argued …").

    The relative pronoun is no speaker; the noun phrase before it (and its comma) is.
    """
    j = k
    while j > lo and (toks[j - 1].key in EN_ADVERBS or _is_ly_adverb(toks[j - 1])):
        j -= 1
    if j <= lo or toks[j - 1].key != "who":
        return None
    w = j - 1
    if w > lo and toks[w - 1].text == ",":
        w -= 1
    return np_before(toks, w, lo) if w > lo else None


def before_apposition(toks: list[Tok], k: int, lo: int) -> tuple[int, int] | None:
    """Return the name before an apposition that ends right before the cue.

    "Col. Ana Silva, a military spokeswoman in Kabul, said …": the apposition describes the
    speaker, the name before its comma is the speaker.
    """
    if k - 1 <= lo or toks[k - 1].text != ",":
        return None
    for c in range(k - 2, max(lo, k - 14), -1):
        if toks[c].text == ",":
            if (toks[c + 1].key in _EN_APPOSITION_STARTS or _describes(toks, c + 1, k - 1)) and c > lo:
                np = np_before(toks, c, lo)
                if np and (not is_cap(toks[np[0]]) or toks[np[0]].key in _EN_ARTICLES):
                    np = name_apposition(toks, k, lo) or np  # "the director, Omar Haddad, said": the name
                return np if np and is_cap(toks[np[0]]) else None
            return None
        if not (is_word(toks[c]) or toks[c].text in ".’'-()"):
            return None
    return None


def name_apposition(toks: list[Tok], k: int, lo: int) -> tuple[int, int] | None:
    """Return the name set off by commas right before the cue after a descriptor.

    "The regional health director, Omar Haddad, said …": the descriptor opens the sentence,
    the name between the commas is who spoke.
    """
    if k - 1 <= lo or toks[k - 1].text != ",":
        return None
    c = k - 2
    while c > lo and (is_word(toks[c]) and is_cap(toks[c]) or toks[c].text in ".’'-"):
        c -= 1
    if c <= lo or c == k - 2 or toks[c].text != ",":
        return None
    if not all(np_token_ok(t) for t in toks[lo:c]) or not any(is_word(t) for t in toks[lo:c]):
        return None
    return _trim_np(toks, c + 1, k - 1)


def _describes(toks: list[Tok], a: int, b: int) -> bool:
    """Return True when ``toks[a:b]`` reads as a description, not a clause ("Republican of New York").

    It opens with a capitalised word or a role word ("senior vice president for X") and has no
    verb: "Jones, who …" is caught elsewhere, "…, the vote is close, said" has "is".
    """
    words = [t for t in toks[a:b] if is_word(t)]
    return 0 < len(words) <= 10 and not any(
        t.key in _EN_AUXILIARIES or t.key in EN_VERBS or t.key in ("that", "which", "who")
        or (t.text[0].islower() and t.key.endswith("ed")) for t in words)


def sentence_subject(toks: list[Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the capitalised phrase opening the sentence ("Jeffrey Wall, who …, said")."""
    j = lo = _after_dateline(toks, lo, k)
    while j < k and (is_cap(toks[j]) or toks[j].text in ".’'") and toks[j].key not in _EN_ARTICLES:
        j += 1
    if j > lo and j < k and toks[j].text == ",":
        return _trim_np(toks, lo, j)
    return None


def _after_dateline(toks: list[Tok], lo: int, k: int) -> int:
    """Return the index after a dateline opening the sentence ("ATLANTIC CITY — ", "WASHINGTON (AP) —").

    The place a story was filed from is not its subject.
    """
    j = lo
    while j < k and (toks[j].text.isupper() or toks[j].text in "()"):
        j += 1
    return j + 1 if lo < j < k and toks[j].text in "—–-" else lo


def np_subject_run(toks: list[Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the leading capitalised run of the sentence ("Wall referred to …, saying")."""
    j = lo = _after_dateline(toks, lo, k)
    while j < k and (is_word(toks[j]) and is_cap(toks[j]) or (
            toks[j].text == "." and j > lo and j + 1 < k and is_cap(toks[j + 1]))):  # "Sen. Lopes"
        j += 1
    return _trim_np(toks, lo, j) if j > lo else None


def subject_before_verb(toks: list[Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return the words opening the sentence up to its first past-tense verb.

    "The airline cancelled the flights, citing …": a participle's speaker is the clause's
    subject, which need not be capitalised.
    """
    for j in range(lo + 1, min(k, lo + _EN_NP_MAX + 1)):
        t = toks[j]
        if not np_token_ok(t):
            return None
        if t.text[0].islower() and (t.key.endswith("ed") or t.key in EN_VERBS):
            return _trim_np(toks, lo, j)
    return None
