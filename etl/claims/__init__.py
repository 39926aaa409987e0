"""Claims: who said what, with which numbers (Arabic and English), by rules.

``extract_claims(text, lang, entities)`` finds reported speech and returns
:class:`~etl.models.Claim` records whose spans are exact offsets into ``text``:

- a *cue*: a reporting verb in any person, tense or clitic form (وقال، وأكدت، مشيرا، تؤكد;
  said, says, told, denied), or an attribution phrase (بحسب، وفق، نقلا عن; according to);
- a *speaker*: the NER entity inside the subject phrase (PER before ORG; a place standing for
  its government, "وموسكو تؤكد", is labelled ORG), else the phrase itself with label ROLE
  (مصدر عسكري, "a senior official"); in Arabic a role phrase with an organisation or place
  inside stays whole ("مصدر عسكري في وزارة الدفاع", "جهات سورية معارضة"), and the pipeline
  links role speakers to the party they name (``etl.entities.role_antecedent``); a back-reference (البيان ذاته، وأضاف with no subject,
  "he", "the statement") takes the span and label of the earlier speaker it points to, and an
  unresolvable pronoun stays as written with label None;
- a *content*: the quotation (marks excluded) → kind ``direct``; otherwise the clause after
  أن/إن/that, or the clause the attribution phrase hangs on → kind ``indirect``;
- a *polarity*: ``deny`` for denial cues (نفى، كذب، denied) or denial phrases in the content
  (عارٍ من الصحة، لا صحة، baseless), else ``assert``;
- *quantities*: the numbers inside the content (:mod:`etl.quantities`).

Rules are deliberate: they are explainable to an analyst and cheap per article. See
``bench/data/ANNOTATION_RULES.md`` for what counts as a claim, and ``bench/eval_claims.py``
for how well the rules do.

Layout, one concept per module: ``tokens`` (words with offsets and matching keys), ``spans``
(quotations, sentences, content spans), ``lexicon`` (cue words and denial markers),
``arabic`` and ``english`` (the constructions of each language, one sentence at a time;
``english_colon`` the "Speaker: words" colons, ``english_phrase`` "according to", polls and noun
cues, ``english_content`` where an English reported clause stops, ``english_np`` where an English speaker phrase
starts and ends),
``nouns_ar`` (where an Arabic subject, source or name ends; who issued a statement),
``subjects_ar`` (where an Arabic verb's subject stands: after it, before it, after كان or أما),
``content_ar`` (where an Arabic claim's content starts after its subject and where it stops),
``speakers`` (speaker phrases and back-references), ``candidates`` (a claim being built, a
frozen record, and how one sentence's candidates merge), ``context`` (the frozen
:class:`~etl.claims.context.Sentence` every rule of both languages reads: text, tokens, the
sentence's token range and end, quotations, entities, its number), ``extractor`` (the
document driver, ``extract_claims``). Names used across these modules are public; a leading
underscore marks a helper private to its module.
"""

from __future__ import annotations

from etl.claims.extractor import extract_claims
from etl.claims.spans import find_quotes, split_sentences

__all__ = ["EXTRACTOR_VERSION", "extract_claims", "find_quotes", "split_sentences"]

EXTRACTOR_VERSION = "rules-2026.12.03-en"
