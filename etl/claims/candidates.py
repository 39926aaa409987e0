"""A claim being built, and how the candidates of one sentence merge into claims.

The Arabic and English rules each turn a cue into a candidate (:class:`Candidate`): spans plus
hints for resolving the speaker later. A candidate is frozen: a rule that learns more about it
(a merged phrase, a resolved back-reference) returns a new one with ``dataclasses.replace``, so
a candidate already handed on never changes under its holder. Two cues can yield one claim ("وتابعت قائلة «…»"), and
a trailing attribution phrase often only repeats the source of a verb claim ("…، وفق نفس
البيان"); the merging rules here are the same for both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from etl.models import Span


@dataclass(frozen=True, slots=True)
class Candidate:
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

    def with_speaker_of(self, other: Candidate) -> Candidate:
        """Return this candidate with the speaker (span, label, back-reference flag) of ``other``."""
        return replace(self, speaker=other.speaker, label=other.label, backref=other.backref)


def dedupe(items: list[Candidate]) -> list[Candidate]:
    """Drop a phrase claim whose content another claim of the sentence already covers."""
    keep: list[Candidate] = []
    for item in items:
        n = next((n for n, k in enumerate(keep) if _overlap(k.content, item.content) >= 0.5), None)
        twin = keep[n] if n is not None else None
        if twin is not None and twin.content == item.content and not item.is_phrase:
            continue  # "وتابعت قائلة "…"": two cues, one claim
        if twin is None:
            keep.append(item)
        elif item.is_phrase:
            keep[n] = merge_phrase(twin, item)
        elif twin.is_phrase:
            keep[n] = merge_phrase(item, twin)
        else:
            keep.append(item)  # "Trump told N. he would …, sources say": a claim inside a claim
    return keep


def merge_phrase(verb: Candidate, phrase: Candidate) -> Candidate:
    """Return the verb claim with a trailing attribution phrase that sources it folded in."""
    verb = replace(verb, is_statement=verb.is_statement or phrase.is_statement)
    return verb.with_speaker_of(phrase) if verb.speaker is None or verb.backref else verb


def _overlap(a: Span, b: Span) -> float:
    """Return the share of the shorter span that the two spans have in common."""
    common = min(a.end, b.end) - max(a.start, b.start)
    return max(common, 0) / max(1, min(a.end - a.start, b.end - b.start))
