"""Where an English reported clause stops, and the candidate an English rule builds.

Shared by the verb rules (:mod:`etl.claims.english`) and the phrase rules
(:mod:`etl.claims.english_phrase`): the writer's own continuation after a reported clause
(", but …", a spaced dash) is not the speaker's, and a quotation that only opens a longer
clause does not make the claim direct.
"""

from __future__ import annotations

import re

from etl.claims.candidates import Candidate
from etl.claims.context import Sentence
from etl.claims.spans import content_span, direct_quote, strip_span, text_span
from etl.claims.speakers import is_backref, speaker_from
from etl.models import Span


def candidate_en(s: Sentence, a: int | None, b: int | None, cue: Span, content: Span, kind: str, *,
                 phrase: bool = False) -> Candidate:
    """Return a built English claim with the speaker phrase ``text[a:b]`` (None: unknown)."""
    text = s.text
    speaker = label = None
    if a is not None and b is not None and b > a:
        speaker, label = speaker_from(text, s.entities, a, b) or (None, None)
    gap = text[cue.end:content.start] if content.start > cue.end else ""
    return Candidate(cue=cue, content=content, kind=kind, speaker=speaker, label=label, sentence=s.index, is_phrase=phrase,
                     is_statement=bool(re.search(r"statement|report", (speaker.text if speaker else "") + gap, re.I)),
                     backref=speaker is None or is_backref(speaker, "en"))


_TAIL = re.compile(r",? (?:but|even as|yet) |\s[-–—]\s|, (?:and|with|while|as|although|though|whereas) |; ")


def reporter_tail(text: str, a: int, b: int) -> int:
    """Return where the reported clause ``text[a:b]`` ends before the reporter's own words.

    "…say Orbán is eroding democracy, but Trump is forging closer relations": the clause after
    ", but" / ", even as" / a spaced dash is the outlet's, not the speaker's.
    """
    m = _TAIL.search(text, a, b)
    return m.start() if m and not _in_quote_text(text, a, m.start()) else b


def _in_quote_text(text: str, a: int, pos: int) -> bool:
    """Return True when an opening quote before ``pos`` (from ``a``) is still open at ``pos``."""
    seg = text[a:pos]
    return seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1


def clause_en(text, quotes, a: int, b: int) -> tuple[Span, str] | None:
    """Return the reported clause ``text[a:b]`` after a cue: direct only when it is one quotation.

    In "Ryan said “we need more information” about the decision" the quoted words open the
    clause but the claim is the whole clause, which the writer paraphrases around them.
    """
    found = content_span(text, quotes, a, b)
    if found is None or found[1] != "direct" or direct_quote(text, quotes, a, b) is not None:
        return found
    a, b = strip_span(text, a, b)
    return text_span(text, a, b), "indirect"
