"""A claim being built, and how the candidates of one sentence merge into claims.

The Arabic and English rules each turn a cue into a candidate (:class:`Candidate`): spans plus
hints for resolving the speaker later. Two cues can yield one claim ("وتابعت قائلة «…»"), and
a trailing attribution phrase often only repeats the source of a verb claim ("…، وفق نفس
البيان"); the merging rules here are the same for both languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.models import Span


@dataclass(slots=True)
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


def dedupe(items: list[Candidate]) -> list[Candidate]:
    """Drop a phrase claim whose content another claim of the sentence already covers."""
    keep: list[Candidate] = []
    for item in items:
        twin = next((k for k in keep if _overlap(k.content, item.content) >= 0.5), None)
        if twin is not None and twin.content == item.content and not item.is_phrase:
            continue  # "وتابعت قائلة "…"": two cues, one claim
        if twin is None:
            keep.append(item)
        elif item.is_phrase:
            merge_phrase(twin, item)
        elif twin.is_phrase:
            merge_phrase(item, twin)
            keep[keep.index(twin)] = item
        else:
            keep.append(item)  # "Trump told N. he would …, sources say": a claim inside a claim
    return keep


def merge_phrase(verb: Candidate, phrase: Candidate) -> None:
    """Fold a trailing attribution phrase into the verb claim it sources."""
    verb.is_statement = verb.is_statement or phrase.is_statement
    if verb.speaker is None or verb.backref:
        verb.speaker, verb.label, verb.backref = phrase.speaker, phrase.label, phrase.backref


def _overlap(a: Span, b: Span) -> float:
    """Return the share of the shorter span that the two spans have in common."""
    common = min(a.end, b.end) - max(a.start, b.start)
    return max(common, 0) / max(1, min(a.end - a.start, b.end - b.start))
