"""English colon attributions: "Sanders: We need a political revolution", "More from Jones: “…”".

Headlines and round-ups name a speaker and give the words after a colon, with no verb at all.
The speaker is a short name-like phrase right before the colon, opening its sentence or a
dashed segment ("… - Philip Bump: “…”"); a colon after a clause ("He listed the qualities:")
is no attribution, because the phrase before it is not name-like.
"""

from __future__ import annotations

from etl.claims.candidates import Candidate
from etl.claims.context import Sentence
from etl.claims.spans import content_span, outside_quotes, text_span
from etl.claims.speakers import speaker_from
from etl.claims.tokens import Tok, is_word, word_keys

_NAME_GLUE = word_keys("of and the for ’s 's")  # inside a name-like phrase: "Ortega and Lindqvist"
_LEAD_INS = word_keys("from more")  # "More from the audit: …", "From Okafor: …"
_NOT_SOURCES = word_keys("note update editor editors full text watch read related correction "
                     "breaking exclusive video photos live and but so")
_MAX_WORDS = 6


def _colon_speaker(toks: list[Tok], lo: int, k: int) -> tuple[int, int] | None:
    """Return token bounds of the name-like phrase that ends right before the colon ``toks[k]``."""
    a = k
    while a > lo and toks[a - 1].text not in "-–—" and k - a <= _MAX_WORDS + 2:
        a -= 1
    if a > lo and toks[a - 1].text not in "-–—":
        return None  # the phrase does not open its sentence or a dashed segment
    while a < k and toks[a].key in _LEAD_INS:
        a += 1
    words = [t for t in toks[a:k] if is_word(t)]
    if not words or len(words) > _MAX_WORDS or any(t.key in _NOT_SOURCES for t in words):
        return None
    if not all(t.text[0].isupper() or t.key in _NAME_GLUE for t in words):
        return None
    if not (words[0].text[0].isupper() or words[0].key == "the"):
        return None
    return a, k


def colon_claims_en(s: Sentence) -> list[Candidate]:
    """Return the claims of "Speaker: content" colons in one sentence (tokens ``s.lo..s.hi``)."""
    text, toks, lo, hi, quotes = s.text, s.toks, s.lo, s.hi, s.quotes
    out = []
    for k in outside_quotes(toks, lo, hi, quotes):
        if toks[k].text != ":" or k + 1 >= hi:
            continue
        np = _colon_speaker(toks, lo, k)
        if np is None:
            continue
        found = content_span(text, quotes, toks[k + 1].start, s.end)
        if found is None or len(found[0].text.split()) < 3:
            continue
        speaker, label = speaker_from(text, s.entities, toks[np[0]].start, toks[np[1] - 1].end) or (None, None)
        out.append(Candidate(cue=text_span(text, toks[k].start, toks[k].end), content=found[0], kind=found[1],
                          speaker=speaker, label=label, sentence=s.index, is_phrase=True))
    return out
