"""Text analysis shared by the pipeline and ``newsetl analyze``: entities and claims.

One function, ``analyze_text``, so the numbers an analyst or an evaluation script gets from
the CLI are exactly what the nightly run stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from etl import claims, entities, ner
from etl.arabic import analysis_language
from etl.models import Claim, EntitySpan, ResolvedMention


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP stages found in one text."""

    lang: str
    entities: tuple[EntitySpan, ...]
    resolved: tuple[ResolvedMention, ...]
    claims: tuple[Claim, ...]


def nlp_version() -> str:
    """Return the combined version of the NER model and claim extractor (provenance key)."""
    return f"{ner.MODEL_VERSION}; {claims.EXTRACTOR_VERSION}"


def find_entities(text: str, lang: str | None) -> tuple[str, list[EntitySpan], list[ResolvedMention]]:
    """Return the analysis language, the recognised spans and their canonical entities."""
    lang = analysis_language(text, lang)
    spans = ner.recognise(text, lang)
    return lang, spans, entities.resolve_entities(text, lang, spans)


def find_claims(text: str, lang: str | None, spans: list[EntitySpan]) -> list[Claim]:
    """Return the claims of ``text`` given its entity spans."""
    return claims.extract_claims(text, analysis_language(text, lang), spans)


def analyze_text(text: str, lang: str | None = None) -> Analysis:
    """Return entities and claims of one text, offsets into ``text``."""
    lang, spans, resolved = find_entities(text, lang)
    found = find_claims(text, lang, spans)
    return Analysis(lang=lang, entities=tuple(spans), resolved=tuple(resolved), claims=tuple(found))


def _span(start: int, end: int, text: str) -> dict[str, Any]:
    return {"text": text, "start": start, "end": end}


def analysis_to_json(record_id: Any, analysis: Analysis) -> dict[str, Any]:
    """Return the stable ``newsetl analyze`` output object for one input line."""
    return {
        "id": record_id,
        "lang": analysis.lang,
        "entities": [{"start": e.start, "end": e.end, "text": e.text, "label": e.label}
                     for e in analysis.entities],
        "claims": [
            {
                "speaker": _span(c.speaker.start, c.speaker.end, c.speaker.text) if c.speaker else None,
                "cue": _span(c.cue.start, c.cue.end, c.cue.text),
                "content": _span(c.content.start, c.content.end, c.content.text),
                "kind": c.kind,
                "polarity": c.polarity,
                "quantities": [{"text": q.text, "value": q.value, "category": q.category}
                               for q in c.quantities],
            }
            for c in analysis.claims
        ],
    }
