"""Property tests (hypothesis): the parsers and extractors never crash, offsets always point at
their text, and normalisation is idempotent, whatever text or bytes they are given."""

from __future__ import annotations

import contextlib
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.arabic import normalise_arabic
from etl.claims import extract_claims
from etl.clean import clean_text, strip_controls, strip_line_controls
from etl.errors import NotAFeedError
from etl.parse import parse_feed
from etl.quantities import extract_quantities

# Derandomised: the same examples on every run, so CI never turns red by the luck of a seed;
# widen the search by hand with HYPOTHESIS_SEED or a larger max_examples when hunting.
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
# Arabic letters, harakat, tatweel, digits of both kinds, punctuation, bidi and control characters.
ALPHABET = st.sampled_from(list("قال بيسكوف إن روسيا ستواصل دعم حلب ًٌٍَُِّْـ٠١٢٣ 0123 said Peskov \"«»:.،\n\t")
                           + ["\u200f", "\u202e", "\u2066", "\x00", "\x01", "\x85", "<", ">", "&", ";", "#"])
TEXT = st.text(alphabet=ALPHABET, max_size=400)
ITEM_TEXT = st.text(alphabet=st.sampled_from(list("ab حلب &;#x<>/D800 ")), max_size=60)


@FAST
@given(TEXT)
def test_normalisers_are_idempotent_and_remove_what_they_promise(text):
    assert normalise_arabic(normalise_arabic(text)) == normalise_arabic(text)
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\x00" not in strip_controls(text) and "\x01" not in strip_controls(text)
    assert not set("\u202e\u2066\x85\n") & set(strip_line_controls(text))


@FAST
@given(st.lists(st.tuples(ITEM_TEXT, ITEM_TEXT), max_size=5))
@example(items=[("<<>/", ">")])  # "</" and ">": neither field is markup, only their join looked like it
def test_the_feed_parser_returns_items_or_refuses_never_crashes(items):
    body = "".join(f"<item><title>{t}</title><link>http://a.example/{i}</link><description>{d}</description></item>"
                   for i, (t, d) in enumerate(items))
    raw = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode()
    try:
        parsed = parse_feed(raw, feed_url="http://a.example/feed")
    except NotAFeedError:
        return
    for item in parsed.items:  # no tag survives in a plain-text field
        for field in (item.title, item.summary):
            assert re.search(r"<[A-Za-z/!][^<>]*>", field or "") is None


@FAST
@given(st.binary(max_size=300))
def test_the_feed_parser_never_crashes_on_bytes(raw):
    with contextlib.suppress(NotAFeedError):  # a refusal is an answer; any other exception fails
        parse_feed(raw, feed_url="http://a.example/feed")


@FAST
@given(TEXT, st.sampled_from(["ar", "en"]))
def test_claims_and_quantities_have_offsets_into_their_text(text, lang):
    for claim in extract_claims(text, lang, []):
        for span in (claim.cue, claim.content, claim.speaker):
            if span is not None:
                assert text[span.start:span.end] == span.text
    for q in extract_quantities(text, 0, len(text), lang):
        assert text[q.start:q.end] == q.text


SPANS = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), max_size=40)


@FAST
@given(SPANS, st.integers(0, 230), st.integers(0, 40))
def test_the_entity_index_finds_what_a_scan_finds(spans, a, width):
    from etl.models import EntityIndex, EntitySpan

    entities = [EntitySpan(s, s + n, "x" * n, "PER") for s, n in spans]
    index = EntityIndex(entities)
    b = a + width
    assert sorted(index.overlapping(a, b), key=lambda e: (e.start, e.end)) == sorted(
        (e for e in entities if e.start < b and e.end > a), key=lambda e: (e.start, e.end))
    assert sorted(index.starting(a, b), key=lambda e: (e.start, e.end)) == sorted(
        (e for e in entities if a <= e.start < b), key=lambda e: (e.start, e.end))
    assert sorted(index.ended_by(a), key=lambda e: (e.start, e.end)) == sorted(
        (e for e in entities if e.end <= a), key=lambda e: (e.start, e.end))
    assert [e.start for e in index.ended_by(a)] == sorted((e.start for e in entities if e.end <= a), reverse=True)
