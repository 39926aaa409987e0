"""Speakers in the database: every way one article names a party is one row of speaker_claims_daily.

Real PostgreSQL, the real recogniser and claim rules; the article is written for this test in
the shape of Arabic wire copy (no gold-set or ANERcorp sentence).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from etl import load
from etl.dedup import normalise_url
from etl.models import Run, Source
from etl.pipeline.nlp import run_claims, run_entities

ARTICLE = (
    "أعلنت القيادة العامة للجيش السوري في بيان أن وحداتها استعادت السيطرة على ثلاث قرى شمال حماة .\n"
    "وأكدت القيادة العامة أن العمليات مستمرة حتى تأمين الطريق الدولي .\n"
    "من جهته قال وزير الإعلام السوري كمال داود إن الإعلام الأجنبي يبالغ في أرقام الضحايا .\n"
    "وأضاف الوزير أن الحكومة ستسمح للصحفيين بزيارة المنطقة .\n"
    "وأوضح أن الزيارة ستتم الأسبوع المقبل .\n"
)


def test_a_role_speaker_and_a_bare_verb_count_for_the_party_named_before(engine, settings):
    run = Run(run_id="test-speakers", logical_date=date(2026, 11, 21))
    load.start_run(engine, run, code_version="test")
    load.register_sources(engine, [Source(name="wire", feeds=("http://wire.example/feed.xml",))])
    [feed] = load.active_feeds(engine)
    url = "https://wire.example/ar/hama"
    with engine.begin() as conn:
        source_id = conn.execute(sa.text("SELECT source_id FROM feeds WHERE id = :f"), {"f": feed.id}).scalar_one()
        load.insert_feed_articles(conn, run, [{
            "url": url, "url_key": normalise_url(url), "guid": None, "source_id": source_id, "feed_id": feed.id,
            "title": "الجيش يستعيد قرى شمال حماة", "summary": None, "body": ARTICLE, "language": "ar",
            "published_at": datetime(2026, 11, 21, 9, tzinfo=UTC), "body_source": "page", "page_status": "ok"}])
    run_entities(run, engine=engine, settings=settings)
    run_claims(run, engine=engine, settings=settings)
    with engine.connect() as conn:
        claims = conn.execute(sa.text(
            "SELECT speaker_text, speaker_name FROM claims_with_speakers ORDER BY claim_id")).all()
        daily = conn.execute(sa.text(
            "SELECT speaker_name, claims FROM speaker_claims_daily ORDER BY speaker_name")).all()
    # the words of the article stay the speaker text; the party is the entity they name
    assert [tuple(c) for c in claims] == [
        ("القيادة العامة للجيش السوري", "القيادة العامة للجيش السوري"),
        ("القيادة العامة", "القيادة العامة للجيش السوري"),
        ("كمال داود", "كمال داود"),
        ("الوزير", "كمال داود"),
        ("الوزير", "كمال داود"),  # "وأوضح" with no subject: the previous claim's speaker
    ]
    assert [tuple(r) for r in daily] == [("القيادة العامة للجيش السوري", 2), ("كمال داود", 3)]
