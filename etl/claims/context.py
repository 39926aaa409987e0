"""The sentence a claim rule reads: one frozen record instead of nine loose arguments.

Every construction rule of both languages (:mod:`etl.claims.arabic`, :mod:`etl.claims.english`,
:mod:`etl.claims.english_colon`) looks at the same things: the document text (spans are
offsets into it), its tokens, which of them make up the sentence, where the sentence ends,
the quotations and the named entities, and the sentence's number in the document. The driver
(:mod:`etl.claims.extractor`) builds one :class:`Sentence` per sentence and hands it to the
rules, so a rule's signature says only what is particular to it (which cue, where its
content must stop).
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.claims.spans import Quotes
from etl.claims.tokens import Tokens
from etl.models import EntityIndex


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, as every claim rule sees it."""

    text: str  # the whole document text, without direction marks
    toks: Tokens  # the document's tokens; the sentence's are toks[lo:hi]
    lo: int  # index of the sentence's first token
    hi: int  # one past its last token
    start: int  # character offset where the sentence starts
    end: int  # character offset where it ends
    quotes: Quotes  # the document's quotations (spans.index_quotes)
    entities: EntityIndex  # the document's named-entity spans
    index: int  # the sentence's number in the document (Candidate.sentence)
