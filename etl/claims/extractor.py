"""The document driver: ``extract_claims`` runs one language's sentence rules over a text.

Claims are found sentence by sentence (:mod:`etl.claims.arabic`, :mod:`etl.claims.english`);
what needs the whole document happens here: back-references resolve to speakers of earlier
sentences, a cue-less quotation right after a quoted claim continues it, and each candidate
becomes a public :class:`~etl.models.Claim` with its polarity and quantities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from etl.claims.arabic import sentence_claims_ar
from etl.claims.candidates import Candidate
from etl.claims.context import Sentence
from etl.claims.english import sentence_claims_en
from etl.claims.lexicon import DENY_CUES, DENY_PHRASES
from etl.claims.nouns_ar import statement_issuers
from etl.claims.spans import direct_quote, find_quotes, index_quotes, split_sentences, text_span
from etl.claims.speakers import resolve_backref, resolve_head, with_opening_entity
from etl.claims.tokens import bare_key, token_range, tokenise, word_key
from etl.models import Claim, EntityIndex, EntitySpan, Span
from etl.quantities import extract_quantities
from etl.tokens import TOKEN, without_direction_marks

_CLOSING_MARKS = frozenset('»”"')


def extract_claims(text: str, lang: str, entities: Sequence[EntitySpan]) -> list[Claim]:
    """Return the claims in ``text`` (speaker, cue, content, kind, polarity, quantities).

    ``lang`` is "ar" or "en"; ``entities`` are NER spans of the same text (may be empty).
    Pure and deterministic; every span is an exact slice of ``text``; sorted by content start.
    The rules read ``text`` with its direction marks as spaces (``without_direction_marks``), so a
    marked text gives the claims of the unmarked one; the spans' texts are then cut from ``text``.
    """
    view = without_direction_marks(text)
    found = _extract_claims(view, lang, EntityIndex.of(entities))
    return found if view is text else [_cut_from(text, claim) for claim in found]


def _cut_from(text: str, claim: Claim) -> Claim:
    """Return ``claim`` with every span's text cut from ``text`` at the same offsets."""
    def cut(span: Span | None) -> Span | None:
        return None if span is None else Span(span.start, span.end, text[span.start:span.end])

    return replace(claim, speaker=cut(claim.speaker), cue=cut(claim.cue), content=cut(claim.content),
                   quantities=tuple(replace(q, text=text[q.start:q.end]) for q in claim.quantities))


def _extract_claims(text: str, lang: str, entities: EntityIndex) -> list[Claim]:
    """Return the claims of ``text``, a text without direction marks (``extract_claims``)."""
    lang = "ar" if lang.startswith("ar") else "en"
    toks = tokenise(text)
    quotes = index_quotes(find_quotes(text), text)
    sentences = split_sentences(text, quotes)
    per_sentence = sentence_claims_ar if lang == "ar" else sentence_claims_en
    found: list[Candidate] = []
    genders: dict[str, str] = {}
    issuers = statement_issuers(text, toks, quotes, entities) if lang == "ar" else []
    for si, (a, b) in enumerate(sentences):
        sentence = Sentence(text, toks, *token_range(toks, a, b), a, b, quotes, entities, si)
        items = [i for i in per_sentence(sentence) if _says_something(i)]
        if not items and found:
            grown = _continued(text, sentences, si, quotes, found[-1], lang)
            if grown is not None:
                found[-1] = grown
                continue
            follow = _follow_on(text, sentences, si, quotes, found[-1]) if lang == "ar" else None
            items = [follow] if follow and _says_something(follow) else []
        for item in items:
            if any(f.content == item.content for f in found[-3:]):
                continue  # '… الى " بذل جهودها … ". وقالت القوى …': the quotation is already claimed
            if item.speaker is None and not any(f.sentence == si for f in found):
                item = with_opening_entity(item, entities, a)  # "أنان عبر من روما … وقال": the opening name
            if item.backref:
                item = resolve_backref(found, item, entities, genders, issuers)
            elif lang == "ar":
                item = resolve_head(found, item, issuers)
            found.append(item)
    # a tagged name (تدمر, Palmyra) is no verb; MISC spans are not names (the recogniser tags
    # currencies and nationalities MISC: "دولار" still says money)
    names = EntityIndex(e for e in entities if e.label in ("PER", "ORG", "LOC"))
    return sorted((_to_claim(text, f, lang, names) for f in found), key=lambda c: (c.content.start, c.cue.start))


def _continued(text: str, sentences, si: int, quotes, previous: Candidate, lang: str) -> Candidate | None:
    """Return the previous claim grown over sentence ``si`` when that sentence carries its words on.

    English reporting quotes a speaker over several sentences as one statement ("“A,” Sanders
    said. “B.”"); Arabic gold counts each quotation apart, but one quotation left open at the end
    of its paragraph and closed at the end of the next ("قالت إن " … .\nشرط أن … "") is one.
    """
    if lang == "ar":
        end = _closes_open_quote(text, sentences[si], previous, si)
    else:
        follow = _follow_on(text, sentences, si, quotes, previous)
        end = follow.content.end if follow else None
    return None if end is None else replace(previous, content=text_span(text, previous.content.start, end), sentence=si)


def _closes_open_quote(text: str, sentence: tuple[int, int], previous: Candidate, si: int) -> int | None:
    """Return where the quotation of the previous sentence's claim closes in ``sentence``, if it does there.

    The previous claim is a quotation that ran to the end of its paragraph unclosed; this
    sentence has one quotation mark, a closing one at its end.
    """
    a, b = sentence
    if previous.kind != "direct" or previous.sentence != si - 1:
        return None
    gap = text[previous.content.end:a]
    marks = [i for i in range(a, b) if text[i] in _CLOSING_MARKS]
    if "\n" not in gap or any(c in _CLOSING_MARKS for c in gap) or len(marks) != 1:
        return None
    if text[marks[0] + 1:b].strip(" .،,؛;!?؟…"):
        return None  # words after the mark: not the close of the quotation
    return len(text[:marks[0]].rstrip(" .،,؛;!?؟…")) if marks[0] > a else None


def _says_something(item: Candidate) -> bool:
    """Return whether a candidate's content has two characters at least: an empty quotation
    ('" . .', or the '" .' left after a quotation closed on the next line) says nothing."""
    return item.content.end - item.content.start >= 2


def _follow_on(text: str, sentences, si: int, quotes, previous: Candidate) -> Candidate | None:
    """Return a claim for a cue-less quotation right after a quoted claim in the same paragraph."""
    a, b = sentences[si]
    gap = text[previous.content.end:a]
    if previous.kind != "direct" or ("\n" in gap and not _left_open(gap)):
        return None
    if previous.sentence != si - 1:
        return None
    inner = direct_quote(text, quotes, a, b)
    if inner is None:
        return None
    return Candidate(cue=previous.cue, content=text_span(text, *inner), kind="direct",
                     speaker=previous.speaker, label=previous.label, sentence=si,
                     is_statement=previous.is_statement, backref=previous.backref)


def _left_open(gap: str) -> bool:
    """Return True when a quotation ran to its paragraph's end without a closing mark.

    News style leaves a quotation open over paragraphs and reopens it in the next one
    ("“… more.\n\n“And …”"): the next paragraph's quotation continues the same statement.
    """
    before = gap.split("\n", 1)[0]
    return gap.count("\n") <= 2 and not any(c in before for c in "”\"’»") and not gap.strip(" \n.,")


def _to_claim(text: str, f: Candidate, lang: str, names: EntityIndex) -> Claim:
    """Return the public Claim record of a built claim."""
    label = f.label
    if f.speaker is not None and f.backref:
        label = None  # an unresolved pronoun or "the statement": keep the words, no label
    return Claim(
        speaker=f.speaker,
        cue=f.cue,
        content=f.content,
        kind=f.kind,  # type: ignore[arg-type]
        polarity=_polarity(f.cue, f.content),  # type: ignore[arg-type]
        quantities=tuple(extract_quantities(text, f.content.start, f.content.end, lang, names)),
        speaker_label=label,
    )


def _polarity(cue: Span, content: Span) -> str:
    """Return ``deny`` for a denial cue or a denial phrase in the content, else ``assert``."""
    if bare_key(word_key(cue.text)) in DENY_CUES or word_key(cue.text) in DENY_CUES:
        return "deny"
    padded = " " + " ".join(word_key(m.group()) for m in TOKEN.finditer(content.text) if m.group()[0].isalnum()) + " "
    # English phrases start at a word ("this false story" holds no "is false"); Arabic ones may
    # follow a clitic (ولا صحة) and take endings (مفبركة).
    hit = any((f" {p}" in padded) if p.isascii() else (p in padded) for p in DENY_PHRASES)
    return "deny" if hit else "assert"
