"""Speakers: who a claim is attributed to, and back-references resolved to earlier speakers.

A subject phrase becomes the NER entity inside it (PER before ORG; a place speaks as its
government, ORG), else the phrase itself as a ROLE ("مصدر عسكري", "a senior official").
Phrases that point back ("البيان ذاته", "the statement", "he") take the span and label of an
earlier speaker of the document, so resolution runs across sentences in the driver.
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import replace
from operator import itemgetter

from etl.claims.candidates import Candidate
from etl.claims.spans import strip_span, text_span
from etl.claims.tokens import bare_key, word_key, word_keys
from etl.models import EntityIndex, EntitySpan, Span


def _entity_in(entities: Sequence[EntitySpan], a: int, b: int) -> EntitySpan | None:
    """Return the PER (else ORG, else LOC) entity overlapping ``[a, b)``."""
    hits = [e for e in EntityIndex.of(entities).overlapping(a, b) if e.label in ("PER", "ORG", "LOC")]
    for label in ("PER", "ORG", "LOC"):
        for e in hits:
            if e.label == label:
                return e
    return None


def speaker_from(text: str, entities, a: int, b: int, *, strip_conj: bool = False,
                  whole: bool = False) -> tuple[Span, str] | None:
    """Return the speaker span and label for the subject phrase ``text[a:b]``.

    ``whole`` (the Arabic rules): an organisation or place inside a role phrase keeps the
    phrase ("مصدر عسكري في وزارة الدفاع", "جهات سورية معارضة"), which the pipeline links to
    the organisation it names; a person still speaks by name (the apposition rule).
    """
    a, b = strip_span(text, a, b)
    if b <= a:
        return None
    ent = _entity_in(entities, a, b)
    if ent is not None and (ent.label == "PER" or not whole):
        # a place standing for its government ("Moscow confirms") speaks as an organisation
        return text_span(text, ent.start, ent.end), "ORG" if ent.label == "LOC" else ent.label
    m = re.search(r"\b(?:صادر|صادرة|الصادر|الصادرة)\s+عن\s+", text[a:b])
    if m:  # "بيان صادر عن القيادة العامة": the issuer speaks
        a += m.end()
    first = word_key(text[a:b].split()[0])
    if (strip_conj and text[a] in "وف" and bare_key(first) != first
            and text[a + 1:a + 2] not in _NOT_INITIAL and not EntityIndex.of(entities).starting(a)):
        a += 1  # sentence-initial "وموسكو تؤكد": the و is the conjunction, not the name
    a = _issuer_start(text, a, b)
    ent = _entity_in(entities, a, b) if ent is not None else None
    if ent is not None and (ent.start <= a + 1 or _is_apposition(text, a, b, ent)):
        return text_span(text, ent.start, ent.end), "ORG" if ent.label == "LOC" else ent.label
    return text_span(text, a, b), "ROLE"


def _is_apposition(text: str, a: int, b: int, ent: EntitySpan) -> bool:
    """Return True when ``ent`` closes the phrase right after a definite word: a name in apposition.

    "وكالة الأنباء السورية الرسمية سانا" is the agency by name; "مصدر في وزارة الدفاع",
    "المتحدث باسم الجيش" and "مراسل الجزيرة" are roles whose organisation closes the phrase.
    A place there is more often the object the phrase ran into ("أبلغ الجانب الإسرائيلي لبنان").
    """
    before = text[a:ent.start].strip(' "«»“”').split()
    rest = text[ent.end:b].strip(' "«»“”')
    return ent.label == "ORG" and bool(before) and not rest and word_key(before[-1]).startswith("ال")


def _issuer_start(text: str, a: int, b: int) -> int:
    """Return where the issuer starts in "بيان الهيئة", "تصريحات وزير الدفاع", "بيان لهيئة …".

    A statement, report or remarks speak for whoever issued them; a bare "البيان" or "بيان
    آخر" has no issuer in the phrase and stays as it is.
    """
    words = text[a:b].split()
    if len(words) < 2 or word_key(words[0]) not in _STATEMENT_NOUNS:
        return a
    nxt = word_key(words[1])
    if not (nxt.startswith("ال") or nxt.startswith("ل")):
        return a
    start = text.index(words[1], a + len(words[0]))
    return start + 1 if nxt.startswith("ل") and not nxt.startswith("لل") else start


_NOT_INITIAL = set("ؤئةى")  # "فؤاد": no Arabic word starts with ؤ, so the ف is the name's
_STATEMENT_NOUNS = word_keys("بيان بيانات تصريح تصريحات تقرير تقارير حديث أرقام إحصاءات إحصائيات تقديرات")
_BACKREF_AR = word_keys("ذاته ذاتها نفسه نفسها نفس ذات")
_BACKREF_HEADS_AR = word_keys("البيان بيانه المصدر الوكالة المتحدث الناطق الأخير الأخيرة")
PRONOUNS_EN = word_keys("he she they it we i")
_FIRST_PERSON_EN = word_keys("i we")  # outside a quotation "I" and "we" are the writer: no one earlier
POSSESSIVES_EN = word_keys("his her their its")  # "his claim that …": the owner is a back-reference
_BACKREF_EN = ("the statement", "the report", "the spokesman", "the spokeswoman",
               "the spokesperson", "the official", "the ministry", "the agency")


def is_backref(span: Span, lang: str) -> bool:
    """Return True when a subject phrase points back to an earlier speaker."""
    words = [bare_key(word_key(w)) for w in span.text.split()]
    if lang == "ar":
        return bool(set(words) & _BACKREF_AR) or (len(words) == 1 and words[0] in _BACKREF_HEADS_AR)
    return span.text.casefold() in _BACKREF_EN or descriptor_head(span.text) is not None or (
        len(words) == 1 and words[0] in PRONOUNS_EN | POSSESSIVES_EN and words[0] not in _FIRST_PERSON_EN)


def with_opening_entity(item: Candidate, entities: Sequence[EntitySpan], start: int) -> Candidate:
    """Return ``item`` (a cue with no subject) spoken by the entity opening its sentence, if one does.

    "سميث عبر من باريس عن غضبه … وقال «…»": the sentence's subject speaks, not whoever spoke
    last. Only a recognised entity counts: a bare opening word may be a verb.
    """
    for e in EntityIndex.of(entities).starting(start, start + 2):
        if e.end <= item.cue.start and e.label in ("PER", "ORG", "LOC"):
            return replace(item, speaker=Span(e.start, e.end, e.text), label="ORG" if e.label == "LOC" else e.label,
                           backref=False)
    return item


def resolve_head(found: list[Candidate], item: Candidate, issuers) -> Candidate:
    """Return ``item`` with a one-word definite speaker ("الهيئة", "المصادر") pointed at the body it names again.

    The latest earlier speaker or statement issuer with the same head word wins ("مصادر في
    الشرطة" … "وأكدت المصادر"); with none, the word itself stays the speaker.
    """
    words = item.speaker.text.split() if item.speaker is not None else []
    if len(words) != 1 or not word_key(words[0]).startswith("ال"):
        return item
    stem = word_key(words[0])[2:]
    here = item.cue.start
    # latest first, lazily: the walk stops at the first match instead of sorting the whole document
    before = bisect_left(issuers, here, key=itemgetter(0))
    named = (issuers[i] for i in range(before - 1, -1, -1))
    for _, span, label in heapq.merge(_spoken(found), named, key=lambda c: -c[0]):
        if span != item.speaker and any(_head(w) == stem for w in word_key(span.text).split()):
            return replace(item, speaker=span, label=label)
    return item


def _spoken(found: list[Candidate]) -> Iterator[tuple[int, Span, str | None]]:
    """Yield (cue start, speaker, label) of the claims found so far that have their own speaker, latest first."""
    return ((f.cue.start, f.speaker, f.label) for f in reversed(found) if f.speaker is not None and not f.backref)


def _latest(found: list[Candidate], *, statement: bool = False) -> Candidate | None:
    """Return the latest claim found so far with its own speaker (and issuing a statement, if asked)."""
    return next((f for f in reversed(found) if f.speaker is not None and not f.backref
                 and (f.is_statement or not statement)), None)


def _head(key: str) -> str:
    """Return an Arabic word key without a leading ال/لل/ل/ب."""
    for prefix in ("ال", "لل", "ل", "ب"):
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            return key[len(prefix):]
    return key


def resolve_backref(found: list[Candidate], item: Candidate, entities: Sequence[EntitySpan],
                    genders: dict[str, str], issuers=()) -> Candidate:
    """Return ``item`` (a back-reference or a missing subject) spoken by the earlier speaker it refers to.

    "البيان ذاته" / "the statement" prefer the latest speaker who issued a statement; "he" and
    "she" take the latest speaker or PER mention not already known to be the other pronoun.
    """
    pronoun = item.speaker.text.casefold() if item.speaker is not None else ""
    pronoun = {"his": "he", "her": "she"}.get(pronoun, pronoun)
    if pronoun in ("he", "she"):
        return _resolve_pronoun(found, item, entities, genders, pronoun)
    if item.speaker is not None and descriptor_head(item.speaker.text) is not None:
        return _resolve_descriptor(found, item)
    wants_statement = item.speaker is not None and re.search(r"بيان|statement", item.speaker.text)
    chosen = _latest(found, statement=True) if wants_statement else None
    if wants_statement and chosen is None:
        before = bisect_left(issuers, item.cue.start, key=itemgetter(0))
        if before:  # "وصف بيان لهيئة الإفتاء … وقال البيان": the body named as its issuer
            speaker, label = issuers[before - 1][1:]
            return replace(item, speaker=speaker, label=label, is_statement=True, backref=False)
        if wants_statement.group() != "statement":  # English "the statement" with none before: no one else issued it
            chosen = _latest(found)
    else:
        chosen = chosen or _latest(found)
    if chosen is not None:
        return replace(item, speaker=chosen.speaker, label=chosen.label,
                       is_statement=item.is_statement or chosen.is_statement, backref=False)
    if item.speaker is not None and pronoun not in PRONOUNS_EN:
        return replace(item, backref=False)  # "The ministry said" with nothing before: the phrase is the speaker
    return item


# A descriptor's head and the words that name the same role in a name: "the senator" is
# "Sen. Ana Ruiz", "the congressman" "Rep. Tom Hale".
TITLES_EN = {"senator": ("sen", "senator"), "governor": ("gov", "governor"),
              "congressman": ("rep", "representative", "congressman"), "congresswoman": (
                  "rep", "representative", "congresswoman"), "representative": ("rep", "representative"),
              "secretary": ("secretary", "sec"), "general": ("gen", "general")}
_DESCRIPTOR_HEADS_EN = word_keys(
    "senator governor congressman congresswoman representative president candidate campaign mayor judge "
    "minister secretary chairman chairwoman commissioner prosecutor lawmaker nominee justice general "
    "committee company poll survey group party")


def descriptor_head(text: str) -> str | None:
    """Return the head of a descriptor that points back ("the senator", "the Vermont senator"), else None."""
    words = text.split()
    if not 2 <= len(words) <= 4 or word_key(words[0]) != "the" or any(w[:1].isupper() for w in words[1:]):
        return None  # "the Lopes campaign" names whose campaign it is
    head = word_key(words[-1])
    return head if head in _DESCRIPTOR_HEADS_EN else None


def _resolve_descriptor(found: list[Candidate], item: Candidate) -> Candidate:
    """Return ``item`` with "the senator", "the campaign" pointed at the latest speaker named with that role.

    "Sen. Ana Ruiz said … The senator added …": the earlier phrase carries the head word or its
    title ("Sen.", "Gov.", "Rep."); with none, the descriptor itself is the speaker.
    """
    head = descriptor_head(item.speaker.text)
    marks = set(TITLES_EN.get(head, (head,)))
    for _, span, label in _spoken(found):
        words = {word_key(w.rstrip(".’'s")) for w in span.text.split()} | {word_key(w) for w in span.text.split()}
        if span != item.speaker and words & marks and descriptor_head(span.text) is None:
            return replace(item, speaker=span, label=label, backref=False)
    return replace(item, backref=False)


def _resolve_pronoun(found, item: Candidate, entities, genders: dict[str, str], pronoun: str) -> Candidate:
    """Return ``item`` with he/she resolved to the latest earlier speaker of a compatible gender, else a PER mention.

    News goes on quoting whom it quoted ("“…,” Sanders said. … “…,” he added"): the people named
    in between are mostly what the speaker talks about, so a mention counts only when no
    earlier speaker fits.
    """
    here = item.cue.start
    people = ((e.start, _span_of(e), "PER") for e in EntityIndex.of(entities).ended_by(here) if e.label == "PER")
    for _, span, label in itertools.chain(_spoken(found), people):  # each latest first
        key = _name_key(span.text)
        if genders.get(key, _gender_of(span.text) or pronoun) != pronoun:
            continue
        genders[key] = pronoun
        return replace(item, speaker=span, label=label, backref=False)
    return item


_MALE_EN = word_keys("mr spokesman congressman chairman husband father son brother king sir")
_FEMALE_EN = word_keys("mrs ms miss spokeswoman congresswoman chairwoman wife mother daughter sister "
                   "queen lady madam")


def _gender_of(text: str) -> str | None:
    """Return "he" or "she" when a title or noun of the phrase says so ("Mrs. Clinton", "the spokesman")."""
    words = {word_key(w.rstrip(".")) for w in text.split()}
    if words & _FEMALE_EN:
        return "she"
    return "he" if words & _MALE_EN else None


def _span_of(e: EntitySpan) -> Span:
    """Return the Span of an entity mention."""
    return Span(e.start, e.end, e.text)


def _name_key(name: str) -> str:
    """Return the last word of a name, casefolded: "Elizabeth Prelogar" and "Prelogar" agree."""
    words = word_key(name).split()
    return words[-1] if words else ""
