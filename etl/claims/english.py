"""English reporting constructions, one sentence at a time.

"X said (that) …", "“…,” X said" and "“…,” says X", "…, police said.", "This, he says, is …",
"X told Y that …", "according to X", "…, saying …" / "…, citing …" (the clause's subject
speaks). Quote-only verbs ("added", "asked") count only next to a quotation or a
that-clause; the content stops before the next cue's clause and before the reporter's own
words (", but …").
"""

from __future__ import annotations

from bisect import bisect_left

from etl.claims.candidates import Candidate, dedupe
from etl.claims.context import Sentence
from etl.claims.english_colon import colon_claims_en
from etl.claims.english_content import candidate_en, clause_en, reporter_tail
from etl.claims.english_np import (
    EN_ADVERBS,
    EN_APPOSITION_NEXT,
    EN_DETERMINERS,
    EN_STOP,
    before_apposition,
    ends_clause,
    is_cap,
    name_apposition,
    np_after,
    np_before,
    np_bounds,
    np_subject_run,
    np_token_ok,
    relative_antecedent,
    sentence_subject,
    subject_before_verb,
)
from etl.claims.english_phrase import (
    EN_CUE_NOUNS,
    noun_claim_en,
    phrase_claim_en,
    poll_after,
    possessor,
)
from etl.claims.lexicon import (
    EN_CLAUSE_VERBS,
    EN_OBJECT_VERBS,
    EN_PARTICIPLES,
    EN_PRONOUN_CLAUSE_VERBS,
    EN_QUOTE_ONLY,
    EN_VERBS,
)
from etl.claims.spans import (
    content_span,
    outside_quotes,
    quote_at,
    strip_span,
    text_span,
)
from etl.claims.speakers import PRONOUNS_EN
from etl.claims.tokens import Tok, is_word, word_keys
from etl.models import Span

_EN_CLAUSE_OPENERS = word_keys("it he she they we i there the a an this these those his her their its "
                           "no some many most all")
_EN_PASSIVE = word_keys("was were been be being is are when if")
_EN_ADJUNCT_STARTS = word_keys("in on at during via through after before earlier later early late last also recently "
                           "today yesterday last this monday tuesday wednesday thursday friday "
                           "saturday sunday")
_EN_PARTICLES = word_keys("out back")
# Reporting verbs whose content follows a preposition: "referring to …", "called for …".
_EN_PREP_CUES = {
    **dict.fromkeys(word_keys("refer refers referred referring point points pointed pointing"), "to"),
    **dict.fromkeys(word_keys("talk talks talked talking complain complains complained complaining"), "about"),
    **dict.fromkeys(word_keys("call calls called calling"), "for"),
    **dict.fromkeys(word_keys("rail rails railed railing"), "against"),
    **dict.fromkeys(word_keys("focus focuses focused focusing"), "on"),
}
_EN_MEANS = word_keys("phone telephone email e-mail text video")  # "said by phone" is no passive
_EN_PREPOSITIONS = word_keys("in of on at from for with about into by to")
_EN_CLAIM_NOUNS = word_keys("claim claims")  # "the claims" is a noun, not "X claims"
# After these a cue word is a noun ("the view", "his criticism", "a call"), never the verb.
_EN_NOUN_DETERMINERS = word_keys("the a an his her its their our my your this these those every each")
_EN_OBJECT_DETERMINERS = word_keys("the a his her their")
_EN_OBJECT_PRONOUNS = word_keys("him her them us me")
_EN_SUBJECT_PRONOUNS = word_keys("he she they it we i there")
_EN_AUDIENCE = word_keys("reporters journalists lawmakers supporters parliament congress"
                     " senators students crowd")


def _triggers_en(s: Sentence) -> list[tuple[int, str]]:
    """Return (token index, "verb" | "participle" | "phrase" | "noun") for English cues outside quotes."""
    toks, lo, hi = s.toks, s.lo, s.hi
    out = []
    headline = _is_title_case(toks, lo, hi)
    for k in outside_quotes(toks, lo, hi, s.quotes):
        t = toks[k]
        prev = toks[k - 1].key if k > lo else ""
        nxt = toks[k + 1].key if k + 1 < hi else ""
        if t.key == "according" and nxt == "to" or t.key == "in" and poll_after(toks, k, hi) is not None:
            out.append((k, "phrase"))
        elif t.key in EN_CUE_NOUNS and nxt == "that" and possessor(toks, k, lo) is not None:
            out.append((k, "noun"))
        elif t.key in EN_PARTICIPLES or t.key == "citing":
            out.append((k, "participle"))
        elif t.key in EN_VERBS and (t.text[0].islower() or (headline and k > lo)):
            means = toks[k + 2].key if k + 2 < hi else ""
            if prev in _EN_PASSIVE or nxt == "than" or (nxt == "by" and means not in _EN_MEANS) or prev[:1].isdigit():
                # "has 40 sworn members": after a number the word is an adjective
                continue
            if prev in _EN_NOUN_DETERMINERS or (t.key in _EN_CLAIM_NOUNS and prev in EN_DETERMINERS):
                continue
            if k - 2 >= lo and toks[k - 2].key in _EN_ARTICLES_AN and is_word(toks[k - 1]) and not (
                    t.key.endswith(("s", "ed")) or t.key in _EN_IRREGULAR_PAST):
                continue  # "a keen advocate": no finite verb in its base form follows "a X"
            if _in_prepositional_name(toks, k, lo):
                continue
            out.append((k, "verb"))
    return out


_EN_ARTICLES_AN = word_keys("a an")
_EN_ASK = word_keys("asked asks ask")
_EN_QUESTION_OPENERS = word_keys("if whether what how why who when where about")
_EN_IRREGULAR_PAST = word_keys("said told wrote thought knew saw felt gave made took spoke sought")
def _is_title_case(toks: list[Tok], lo: int, hi: int) -> bool:
    """Return True for a headline in title case ("Senator Says The Vote Was Rigged").

    There every word is capitalised, so a capitalised reporting verb is still a cue.
    """
    words = [t for t in toks[lo:hi] if is_word(t) and t.text[0].isalpha()]
    long_words = [t for t in words if len(t.text) > 3]
    return len(words) >= 4 and bool(long_words) and all(is_cap(t) for t in long_words)


def _in_prepositional_name(toks: list[Tok], k: int, lo: int) -> bool:
    """Return True when ``toks[k]`` ends a noun phrase after a preposition ("in the Epstein files").

    A subject does not follow "in the"/"of the"; the word after "the" and a name is its noun.
    """
    j = k
    while j > lo and is_cap(toks[j - 1]) and is_word(toks[j - 1]):
        j -= 1
    return lo + 1 < j < k and toks[j - 1].key == "the" and toks[j - 2].key in _EN_PREPOSITIONS


def _quote_before(toks, k: int, lo: int, quotes) -> tuple[tuple[int, int], int] | None:
    """Return (quote, gap start index) when a quotation closes shortly before the cue."""
    # quotations are sorted and never overlap: only those opening before the cue can close here
    first = max(0, bisect_left(quotes, (toks[lo].start, -1)) - 1)
    for q in quotes[first:bisect_left(quotes, (toks[k].start, -1))]:
        if not (toks[lo].start <= q[1] < toks[k].start):
            continue
        g = next((i for i in range(lo, k + 1) if toks[i].start > q[1]), k)
        gap = toks[g:k]
        words = [t for t in gap if is_word(t)]
        if len(words) <= 6 and all(np_token_ok(t) or t.text in ",—–" or t.key in EN_ADVERBS for t in gap):
            if words and any(t.text in ",—" for t in gap[1:]):
                if before_apposition(toks, k, g) is not None:
                    return q, g  # "“…,” Ms. Silva, a spokeswoman, said"
                continue  # "“…,” Alito said, …" is fine; a clause between is not
            return q, g
        if before_apposition(toks, k, g) is not None and len(words) <= 16:
            return q, g
    return None


def _quote_after(text, toks, j: int, hi: int, quotes, sent_end: int, *,
                 max_words: int = 5) -> tuple[int, int] | None:
    """Return the inner span of a quotation opening within a few words after ``toks[j]``.

    After "that" the quotation must open the clause: in "told reporters that Trump “may have
    broken the law”" the quoted words are part of an indirect claim, not the whole of it.
    """
    words = 0
    for i in range(j, hi):
        q = quote_at(quotes, toks[i].start)
        if q is not None:
            rest = text[q[1] + 1:sent_end].strip(" .,;:!?…\"”’")
            if not rest or len(rest.split()) <= 2:
                return strip_span(text, q[0] + 1, q[1])
            return None
        words += is_word(toks[i])
        if words > max_words:
            return None
    return None


def _split_quote_end(text, toks, i: int, hi: int, quotes) -> int | None:
    """Return the end of a quotation resuming after ``toks[i]`` ("…,” X said, “…")."""
    for n in range(i, min(hi, i + 14)):
        if toks[n].key in EN_PARTICIPLES:
            return None  # "“…,” she said, adding, “…”": the second quotation has its own cue
        q = quote_at(quotes, toks[n].start)
        if q is not None:
            return strip_span(text, q[0] + 1, q[1])[1] if n > i and toks[n - 1].text in ",:—" else None
    return None


def _boundary_en(s: Sentence, triggers: list[tuple[int, str]], n: int) -> int:
    """Return where the content of English trigger ``n`` stops: before the next cue's clause."""
    toks, lo = s.toks, s.lo
    for k, kind in triggers[n + 1:]:
        if kind == "noun":
            continue  # "rejected his claim that …": the noun's claim is inside the content
        np = np_before(toks, k, lo) if kind == "verb" else None
        a = np[0] if np else k
        if a > lo and toks[a - 1].text in ",;—(":
            return toks[a - 1].start
        if np is None and a > lo and toks[a - 1].key in ("but", "and"):  # "denies X but warned Y"
            return toks[a - 1].start
        if kind == "participle":
            continue  # "said she would look into releasing the transcripts": no comma, no new claim
        if kind != "verb":
            return toks[k].start
    return s.end


def _skip_object(toks: list[Tok], j: int, hi: int) -> int:
    """Return the index after the addressee of told/asked ("told CBS News", "told the justices")."""
    if j < hi and is_cap(toks[j]) and toks[j].key not in PRONOUNS_EN:
        while j < hi and (is_cap(toks[j]) or toks[j].text in ".’'"):
            j += 1
    elif j + 1 < hi and toks[j].key in _EN_OBJECT_DETERMINERS:
        j += 2
    elif j < hi and (toks[j].key in _EN_AUDIENCE or toks[j].key in _EN_OBJECT_PRONOUNS):
        j += 1
    else:  # "told local radio that", "told a crowd in Ohio that": the addressee ends at "that"
        for m in range(j, min(hi, j + 6)):
            if toks[m].key == "that" and m > j:
                return m
            if not (is_word(toks[m]) and toks[m].key not in EN_VERBS and
                    (toks[m].key not in EN_STOP or toks[m].key in _EN_PREPOSITIONS)):
                break
    return j


def _verb_claim_en(s: Sentence, k: int, end_pos: int) -> Candidate | None:
    """Return the claim of the English reporting verb at ``toks[k]``."""
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    t = toks[k]
    cue = text_span(text, t.start, t.end)
    qb = _quote_before(toks, k, lo, quotes)
    if qb is not None:  # "“…,” Prelogar said" / "“…,” says Azza"
        return _quoted_claim_en(s, k, qb, cue)
    np = np_before(toks, k, lo)
    j = _skip_object(toks, k + 1, hi) if t.key in EN_OBJECT_VERBS else k + 1
    prep = j == k + 1 and j < hi and _EN_PREP_CUES.get(t.key) == toks[j].key  # "called for …"
    if j == k + 1 and j < hi and (toks[j].key in _EN_PARTICLES or prep):  # "pointed out that", "fired back"
        cue, j = text_span(text, t.start, toks[j].end), j + 1
    j, led = _after_that(toks, j, hi)
    direct = _quote_after(text, toks, j, hi, quotes, end_pos, max_words=0 if led else 5)
    opens_clause = j < hi and (toks[j].key in _EN_CLAUSE_OPENERS or toks[j].key in ("how", "why", "what"))
    pronoun_clause = t.key in EN_PRONOUN_CLAUSE_VERBS and j < hi and toks[j].key in _EN_SUBJECT_PRONOUNS
    question = t.key in _EN_ASK and j < hi and toks[j].key in _EN_QUESTION_OPENERS  # "asked if …"
    if t.key in EN_QUOTE_ONLY and not (led or direct or pronoun_clause or question or prep
                                        or (t.key in EN_CLAUSE_VERBS and opens_clause)):
        return None
    inv = (np_after(toks, k, hi) if np is None and k > lo and toks[k - 1].text == ","
           and t.key not in EN_OBJECT_VERBS else None)  # "X, 39, told ABC News that": the addressee
    appositive = sentence_subject(toks, lo, k)
    if np is None and k > lo and toks[k - 1].key in ("and", "or"):
        np = appositive or np_subject_run(toks, lo, k)  # "Okafor arrived … and explained"
    np = np or relative_antecedent(toks, k, lo) or before_apposition(toks, k, lo) or name_apposition(toks, k, lo)
    if appositive and appositive[1] + 1 < hi and (toks[appositive[1] + 1].key in EN_APPOSITION_NEXT
                                                  or _descriptor_only(toks, appositive[1] + 1, k - 1)):
        inv = None  # "Jeffrey Wall, who was …, said …": the subject stands before the apposition
    if inv is not None and ends_clause(toks, inv[1], hi):  # "…, said U.S. Capitol Police Chief X."
        found = content_span(text, quotes, toks[lo].start, toks[k - 1].start)
        return candidate_en(s, *np_bounds(toks, inv), cue, *found) if found else None
    if direct is not None:
        found = (text_span(text, *direct), "direct")
    else:
        found = _indirect_en(s, j, end_pos, np, led)
    if found is None:
        return None
    return candidate_en(s, *np_bounds(toks, np or appositive), cue, found[0], found[1])


def _descriptor_only(toks: list[Tok], a: int, b: int) -> bool:
    """Return True when ``toks[a:b]`` is a short description with no verb ("associate professor at X").

    "Ann Lee, associate professor of history, said …": the words between the commas describe
    the name; a clause there ("Ohio, the vote is close, said …") has a verb.
    """
    words = [t for t in toks[a:b] if is_word(t)]
    return 0 < len(words) <= 14 and not any(
        t.key in _EN_PASSIVE or t.key in EN_VERBS or (t.text[0].islower() and t.key.endswith("ed"))
        or t.text in "“\"" for t in toks[a:b])


def _quoted_claim_en(s: Sentence, k: int, qb: tuple[tuple[int, int], int], cue: Span) -> Candidate:
    """Return the claim of a quotation closed just before the cue ("“…,” X said, “…”")."""
    text, toks, hi, quotes = s.text, s.toks, s.hi, s.quotes
    q, g = qb
    np = np_before(toks, k, g) if any(is_word(x) for x in toks[g:k]) else np_after(toks, k, hi)
    np = before_apposition(toks, k, g) or np
    inner = strip_span(text, q[0] + 1, q[1])
    resume = _split_quote_end(text, toks, (np[1] if np and np[0] > k else k + 1), hi, quotes)
    content = text_span(text, inner[0], resume or inner[1])
    return candidate_en(s, *np_bounds(toks, np), cue, content, "direct")


def _indirect_en(s: Sentence, j: int, end_pos: int, np: tuple[int, int] | None, led: bool) -> tuple[Span, str] | None:
    """Return the reported clause of a verb whose speaker phrase is ``np``.

    After the verb as a rule; before it when the attribution closes the sentence ("…, police
    said."); around it when the attribution interrupts the clause ("This, he says, is …").
    """
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    comma_before = np is not None and np[0] > lo and toks[np[0] - 1].text == ","
    parenthetical = comma_before and j < hi and toks[j].text == ","
    after = [x for x in toks[j:hi] if is_word(x) and x.start < end_pos]
    if parenthetical:  # "The main problem, Palmieri says, is …": the whole clause around it
        return content_span(text, quotes, toks[lo].start, end_pos)
    if np is not None and np[0] == lo + 1 and toks[lo].key == "as":  # "As Ruiz said in May, the bridge …"
        comma = next((m for m in range(j, min(hi, j + 8)) if toks[m].text == ","), None)
        if comma is not None and toks[comma].end < end_pos:
            return content_span(text, quotes, toks[comma].end, end_pos)
    before = [x for x in toks[lo:np[0]] if is_word(x)] if np is not None else []
    if comma_before and len(after) <= 6 and not led and len(before) > min(len(after), 3):
        return content_span(text, quotes, toks[lo].start, toks[np[0] - 1].start)  # "…, police said."
    if j >= hi:
        return None
    return clause_en(text, quotes, toks[j].start,
                      reporter_tail(text, toks[j].start, _subordinate_end(toks, lo, hi, j, end_pos)))


_EN_LEADING_SUBORDINATORS = word_keys("while although though if as when because since whereas even")


def _subordinate_end(toks: list[Tok], lo: int, hi: int, j: int, end_pos: int) -> int:
    """Return where a clause reported inside an opening subordinate clause ends: at its comma.

    "While only 3 in 10 said they would move, most …": the main clause after the
    comma is the writer's.
    """
    if toks[lo].key not in _EN_LEADING_SUBORDINATORS or any(t.text == "," for t in toks[lo:j]):
        return end_pos
    comma = next((t for t in toks[j:hi] if t.text == "," and t.start < end_pos), None)
    return comma.start if comma is not None else end_pos


def _after_that(toks: list[Tok], j: int, hi: int) -> tuple[int, bool]:
    """Return the index after a "that" opening the reported clause ("said in a statement that").

    Only adjuncts may come between the verb and "that" ("said Monday that", "in a statement");
    in "added a footnote that said" the "that" belongs to the noun.
    """
    if j < hi and toks[j].key != "that" and toks[j].key not in _EN_ADJUNCT_STARTS:
        return j, False
    for m in range(j, min(hi, j + 6)):
        if toks[m].key == "that":
            return m + 1, True
        if not is_word(toks[m]) or toks[m].key in EN_VERBS:
            break
    return j, False


def _participle_claim_en(s: Sentence, k: int, end_pos: int, out: list[Candidate]) -> Candidate | None:
    """Return the claim of "…, saying that …": the speaker is the clause's subject."""
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    t = toks[k]
    led = k + 1 < hi and toks[k + 1].key == "that"
    prep = k + 1 < hi and _EN_PREP_CUES.get(t.key) == toks[k + 1].key  # "…, referring to …"
    j = k + 1 + (led or prep)
    if j >= hi:
        return None
    direct = _quote_after(text, toks, j, hi, quotes, end_pos)
    if not (led or prep or direct or toks[j].key in _EN_CLAUSE_OPENERS or is_cap(toks[j]) or t.key == "citing"):
        return None  # "citing" takes what is cited: "…, citing legal risks"
    found = (text_span(text, *direct), "direct") if direct else content_span(text, quotes, toks[j].start, end_pos)
    if found is None:
        return None
    cue = text_span(text, t.start, toks[k + 1].end if prep else t.end)
    item = candidate_en(s, None, None, cue, found[0], found[1])
    same = [f for f in out if f.sentence == s.index]
    np = sentence_subject(toks, lo, k) or np_subject_run(toks, lo, k) or subject_before_verb(toks, lo, k)
    if same:
        item = item.with_speaker_of(same[-1])
    elif np:
        item = candidate_en(s, *np_bounds(toks, np), item.cue, item.content, item.kind)
    return item


def sentence_claims_en(s: Sentence) -> list[Candidate]:
    """Return the claims of one English sentence (tokens ``s.lo..s.hi``)."""
    triggers = _triggers_en(s)
    out: list[Candidate] = []
    for n, (k, kind) in enumerate(triggers):
        end_pos = _boundary_en(s, triggers, n)
        if kind == "phrase":
            item = phrase_claim_en(s, k, end_pos)
        elif kind == "noun":
            item = noun_claim_en(s, k, end_pos)
        elif kind == "participle":
            item = _participle_claim_en(s, k, end_pos, out)
        else:
            item = _verb_claim_en(s, k, end_pos)
            if item is not None and out and k > s.lo and s.toks[k - 1].key in ("and", "or"):
                # "Huckabee's campaign said … and suggested …": the two verbs share a subject
                item = item.with_speaker_of(out[-1])
        if item is not None:
            out.append(item)
    outer = [i for i in out if i.is_phrase and any(_nested(o, i) for o in out)]
    rest = [i for i in out if i not in outer and not any(_nested(i, o) for o in outer)]
    return _outer_only(dedupe(rest + colon_claims_en(s)) + outer)


def _nested(inner: Candidate, outer: Candidate) -> bool:
    """Return True when ``inner``'s cue lies in the stretch ``outer`` sources ("According to X, Y said …").

    The stretch runs from the outer cue over its content, either way: "“…,” Y said, according
    to X" sources the quotation and the "Y said" beside it.
    """
    a, b = min(outer.content.start, outer.cue.start), max(outer.content.end, outer.cue.end)
    return inner is not outer and a <= inner.cue.start < b


def _outer_only(items: list[Candidate]) -> list[Candidate]:
    """Drop a claim reported inside another claim's content: the outer speaker is the source.

    In "The mayor said that the governor had promised new funds" only the mayor is heard;
    that the governor promised anything is the mayor's claim.
    """
    def inside(inner: Candidate, outer: Candidate) -> bool:
        if inner.cue.text.casefold() in EN_CUE_NOUNS:
            return False  # "Critics rejected his claim that …": the claim is his, not the critics'
        return (inner is not outer and outer.content.start <= inner.cue.start < outer.content.end
                and inner.content.end <= outer.content.end)

    return [i for i in items if not any(inside(i, o) for o in items)]
