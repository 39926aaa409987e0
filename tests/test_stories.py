"""Copies and stories in the database: sightings, near copies over the whole history, clusters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from etl import load
from etl.dedup import normalise_url
from etl.models import Run, Source
from etl.parse import parse_feed
from etl.pipeline.nlp import run_entities
from etl.pipeline.stories import run_clusters, run_dedup

FIXTURES = Path(__file__).parent / "fixtures"
ALEPPO = (FIXTURES / "pages" / "aleppo_strikes_ar.txt").read_text(encoding="utf-8")
ENGLISH = (FIXTURES / "pages" / "en_article_boxes.gold.txt").read_text(encoding="utf-8")
CNN_AR = (FIXTURES / "real_pages" / "arabic_article.gold.txt").read_text(encoding="utf-8")
T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


def _setup(engine, night=date(2026, 11, 20)) -> tuple[Run, list[int]]:
    run = Run(run_id=f"test-{night}", logical_date=night)
    load.start_run(engine, run, code_version="test")
    load.register_sources(engine, [
        Source(name="wire", feeds=("http://wire.example/feed.xml", "http://wire.example/world.xml")),
        Source(name="paper", feeds=("http://paper.example/feed.xml",))])
    return run, [f.id for f in load.active_feeds(engine)]


def _row(feed_id: int, source_id: int, url: str, title: str, body: str, at: datetime, guid: str | None = None):
    return {"url": url, "url_key": normalise_url(url), "guid": guid, "source_id": source_id, "feed_id": feed_id,
            "title": title, "summary": None, "body": body, "language": "ar", "published_at": at,
            "body_source": "page", "page_status": "ok"}


def _en(row: dict) -> dict:
    return {**row, "language": "en"}


def _add(engine, run, rows) -> int:
    with engine.begin() as conn:
        return load.insert_feed_articles(conn, run, rows)[0]


def _articles(engine) -> dict[str, sa.Row]:
    with engine.connect() as conn:
        return {r.url: r for r in conn.execute(sa.text(
            "SELECT id, url, duplicate_of, duplicate_reason, duplicate_similarity, cluster_id FROM articles"))}


def _source(engine, feed_id) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT source_id FROM feeds WHERE id = :f"), {"f": feed_id}).scalar_one()


def test_same_story_via_two_feeds_and_tracking_urls_is_one_article_with_sightings(engine):
    run, (wire, world, paper) = _setup(engine)
    src = _source(engine, wire)
    assert _add(engine, run, [_row(wire, src, "https://wire.example/ar/news/1?utm_source=rss", "غارات", ALEPPO, T0)]) == 1
    assert _add(engine, run, [_row(world, src, "https://m.wire.example/amp/ar/news/1/?fbclid=x", "غارات", ALEPPO, T0),
                              _row(world, src, "https://wire.example/ar/news/1?outputType=amp#top", "غارات", ALEPPO, T0)]) == 0
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() == 1
        sightings = conn.execute(sa.text("SELECT feed_id, url FROM article_sightings ORDER BY id")).all()
    assert {s.feed_id for s in sightings} == {wire, world} and len(sightings) == 3


def test_english_story_via_two_feeds_with_amp_and_click_ids_is_one_article(engine):
    run, (wire, world, _) = _setup(engine)
    src = _source(engine, wire)
    assert _add(engine, run, [_en(_row(wire, src, "https://www.bbc.com/news/articles/c0000000?utm_source=rss",
                                       "Hansen warns", ENGLISH, T0))]) == 1
    assert _add(engine, run, [_en(_row(world, src, "https://amp.bbc.com/news/articles/c0000000.amp?gclid=abc",
                                       "Hansen warns", ENGLISH, T0))]) == 0
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() == 1
        assert {r.feed_id for r in conn.execute(sa.text("SELECT feed_id FROM article_sightings"))} == {wire, world}


def test_same_guid_in_one_feed_is_one_article_but_not_across_feeds(engine):
    run, (wire, world, _) = _setup(engine)
    src = _source(engine, wire)
    _add(engine, run, [_row(wire, src, "https://wire.example/en/a?id=1", "Heat", ENGLISH, T0, guid="g-1")])
    assert _add(engine, run, [_row(wire, src, "https://wire.example/en/a-renamed?id=1", "Heat", ENGLISH, T0, guid="g-1")]) == 0
    assert _add(engine, run, [_row(world, src, "https://wire.example/en/b?id=2", "Other", ENGLISH[:300], T0, guid="g-1")]) == 1


def test_copies_over_thirty_days_with_new_headline_added_paragraph_and_truncation(engine, settings):
    run, (wire, _, paper) = _setup(engine)
    src_w, src_p = _source(engine, wire), _source(engine, paper)
    _add(engine, run, [_row(wire, src_w, "https://wire.example/ar/1", "غارات سورية روسية على المسلحين بحلب", ALEPPO,
                            T0 - timedelta(days=30)),
                       _row(wire, src_w, "https://wire.example/en/2", "Hansen warns", ENGLISH, T0 - timedelta(days=30))])
    run_dedup(run, engine=engine, settings=settings)
    later = Run(run_id="test-later", logical_date=date(2026, 11, 21))
    load.start_run(engine, later, code_version="test")
    box = "\n\nاقرأ أيضا: الأمم المتحدة تدعو إلى وقف إطلاق النار في شمال سوريا وتحذر من كارثة إنسانية جديدة"
    half = ENGLISH[: len(ENGLISH) // 2]
    added = ENGLISH + "\n\nThe agency's correspondent added that the findings will be presented to the UN climate panel next month."
    _add(engine, later, [
        _en(_row(paper, src_p, "https://paper.example/en/11", "Climate scientist says warming is speeding up", added, T0)),
        _row(paper, src_p, "https://paper.example/ar/12", "غارات على ريف حلب", ALEPPO[: len(ALEPPO) // 2], T0),
        _row(paper, src_p, "https://paper.example/ar/9", "الطيران الروسي يقصف ريف حلب", ALEPPO.replace("الأسد", "الأسَد") + box, T0),
        _row(paper, src_p, "https://paper.example/en/9", "Warming is faster, says Hansen", half, T0),
        _row(paper, src_p, "https://paper.example/ar/10", "المعارضة تسيطر على مستودعات", CNN_AR, T0)])
    stats = run_dedup(later, engine=engine, settings=settings)
    rows = _articles(engine)
    assert rows["https://paper.example/ar/9"].duplicate_of == rows["https://wire.example/ar/1"].id
    assert rows["https://paper.example/ar/9"].duplicate_reason == "near-copy"
    assert rows["https://paper.example/en/9"].duplicate_of == rows["https://wire.example/en/2"].id
    assert rows["https://paper.example/en/9"].duplicate_similarity >= 0.8
    assert rows["https://paper.example/en/11"].duplicate_of == rows["https://wire.example/en/2"].id
    assert rows["https://paper.example/ar/12"].duplicate_of == rows["https://wire.example/ar/1"].id
    assert rows["https://paper.example/ar/10"].duplicate_of is None
    assert stats.discards["duplicate"] == 4


def _two_stories(engine, run, wire, paper, shift=timedelta(0)):
    """Two different Arabic reports of the Aleppo strikes (each half of the article, other headline),
    an English article the same day, and a copy of the first report."""
    src_w, src_p = _source(engine, wire), _source(engine, paper)
    paragraphs = ALEPPO.split("\n")
    first, second = "\n".join(paragraphs[: len(paragraphs) // 2]), "\n".join(paragraphs[len(paragraphs) // 2:])
    _add(engine, run, [
        _row(wire, src_w, "https://wire.example/ar/a", "غارات سورية روسية على المسلحين بحلب", first, T0 + shift),
        _row(paper, src_p, "https://paper.example/ar/b", "الكرملين: نواصل دعم الرئيس الأسد", second,
             T0 + shift + timedelta(hours=5)),
        _row(paper, src_p, "https://paper.example/en/c", "Hansen warns", ENGLISH, T0 + shift),
        _row(paper, src_p, "https://paper.example/ar/d", "قصف على ريف حلب", first, T0 + shift + timedelta(hours=9))])


def _night(engine, settings, run):
    for stage in (run_dedup, run_entities, run_clusters):
        stage(run, engine=engine, settings=settings)


def test_different_reports_of_one_event_are_no_copies_but_share_a_cluster(engine, settings):
    run, (wire, _, paper) = _setup(engine)
    _two_stories(engine, run, wire, paper)
    _night(engine, settings, run)
    rows = _articles(engine)
    a, b, c, d = (rows[u] for u in ("https://wire.example/ar/a", "https://paper.example/ar/b",
                                    "https://paper.example/en/c", "https://paper.example/ar/d"))
    assert b.duplicate_of is None and d.duplicate_of == a.id
    assert a.cluster_id == b.cluster_id == d.cluster_id == a.id
    assert c.cluster_id == c.id


def _feed_item(name: str, title_word: str):
    raw = (FIXTURES / "real_feeds" / name).read_bytes()
    return next(i for i in parse_feed(raw, feed_url=f"https://{name}.example/feed.xml", now=T0).items
                if title_word in (i.title or ""))


def test_two_outlets_real_reports_of_one_event_share_a_cluster_but_a_third_story_does_not(engine, settings):
    """NDTV's and Japan Today's items on Peru's Congress removing its president (real feed text),
    and Japan Today's item on Ukraine's ex-minister the same day (also a corruption case)."""
    run, (wire, _, paper) = _setup(engine)
    src_w, src_p = _source(engine, wire), _source(engine, paper)
    ndtv, japan = _feed_item("08f1ee71883dbcde.xml", "Peru"), _feed_item("18138c717652f678.xml", "Peru")
    ukraine = _feed_item("18138c717652f678.xml", "Ukrainian ex-minister")
    _add(engine, run, [_en(_row(paper, src_p, "https://ndtv.example/peru", ndtv.title, ndtv.summary, T0)),
                       _en(_row(wire, src_w, "https://jt.example/peru", japan.title, japan.summary, T0)),
                       _en(_row(wire, src_w, "https://jt.example/ukraine", ukraine.title, ukraine.summary, T0))])
    _night(engine, settings, run)
    rows = _articles(engine)
    peru_a, peru_b, other = (rows[u] for u in ("https://ndtv.example/peru", "https://jt.example/peru",
                                                "https://jt.example/ukraine"))
    assert peru_a.duplicate_of is None and peru_b.duplicate_of is None
    assert peru_a.cluster_id == peru_b.cluster_id
    assert other.cluster_id not in (peru_a.cluster_id, peru_b.cluster_id)


def _clusters_by_url(engine):
    return {url: (r.cluster_id, r.duplicate_of) for url, r in _articles(engine).items()}


def test_the_same_articles_give_the_same_clusters_on_any_night_and_reruns_write_nothing(engine, settings):
    run, (wire, _, paper) = _setup(engine, night=date(2026, 11, 20))
    _two_stories(engine, run, wire, paper)
    _night(engine, settings, run)
    first = _clusters_by_url(engine)
    with engine.connect() as conn:
        counts = [conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608 - fixed names
                  for t in ("articles", "article_sightings", "article_lsh_bands", "article_story_keys", "story_terms")]
    assert run_dedup(run, engine=engine, settings=settings).written == 0
    assert run_clusters(run, engine=engine, settings=settings).written == 0
    _two_stories(engine, run, wire, paper)  # the feeds list them again
    with engine.connect() as conn:
        assert counts == [conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608 - fixed names
                          for t in ("articles", "article_sightings", "article_lsh_bands", "article_story_keys", "story_terms")]
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE articles, article_sightings, article_lsh_bands, article_story_keys, story_terms, "
                             "entity_mentions, entities "
                             "RESTART IDENTITY CASCADE"))
    other = Run(run_id="test-other-night", logical_date=date(2026, 12, 24))
    load.start_run(engine, other, code_version="test")
    _two_stories(engine, other, wire, paper)
    _night(engine, settings, other)
    assert _clusters_by_url(engine) == first


def _story_terms(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT term, articles FROM story_terms WHERE articles > 0")).all())


def test_term_frequencies_count_each_clustered_article_once_even_when_it_is_placed_again(engine, settings):
    """story_terms holds, per term, the number of clustered articles whose story keys hold it; an
    article clustered again (its dedup redone) is uncounted first, so the counts do not drift."""
    run, (wire, _, paper) = _setup(engine)
    _two_stories(engine, run, wire, paper)
    _night(engine, settings, run)
    counts = _story_terms(engine)
    with engine.connect() as conn:
        expected = dict(conn.execute(sa.text("SELECT key, count(*) FROM article_story_keys GROUP BY key")).all())
        expected["#all"] = conn.execute(sa.text("SELECT count(DISTINCT article_id) FROM article_story_keys")).scalar()
    assert counts == expected and counts["#all"] == 4
    assert counts["w:حلب"] >= 2 and counts["t:حلب"] == 2  # بحلب and حلب: one title term; lead words apart
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE articles SET cluster_version = NULL WHERE url LIKE '%/ar/b'"))
    assert run_clusters(run, engine=engine, settings=settings).processed == 1
    assert _story_terms(engine) == counts


OTHER_NEWS_EN = [  # other news of those days (written for the tests): common words in many items
    ("Police say two people hurt in city centre crash", "Police said two people were taken to hospital after a car hit a bus."),
    ("Officials say budget talks will continue", "Officials said the talks on the budget would go on next week."),
    ("Storm cuts power to thousands of homes", "Officials said thousands of people were without power after the storm."),
    ("Court hears appeal in fraud case", "The court heard the appeal on Tuesday, officials said."),
    ("Minister says new rail line will open next year", "The minister said the line would open next year."),
]


def test_a_report_between_two_clusters_merges_them_in_the_database(engine, settings):
    """A follow-up published between two reports three and a half days apart links both: their
    clusters become one (the smallest id), and a rerun changes nothing."""
    run, (wire, _, paper) = _setup(engine)
    src_w, src_p = _source(engine, wire), _source(engine, paper)
    _add(engine, run, [_en(_row(paper, src_p, f"https://paper.example/en/other-{i}", title, body, T0))
                       for i, (title, body) in enumerate(OTHER_NEWS_EN)])
    _add(engine, run, [
        _en(_row(wire, src_w, "https://wire.example/en/1", "Avalanche buries ten skiers on Sierra ridge",
                 "Ten skiers were buried by an avalanche on a Sierra ridge.", T0)),
        _en(_row(paper, src_p, "https://paper.example/en/2", "Sierra avalanche: ten skiers found alive",
                 "Ten skiers buried by the avalanche were found alive.", T0 + timedelta(days=3, hours=12)))])
    _night(engine, settings, run)
    before = {r.cluster_id for u, r in _articles(engine).items() if "other" not in u}
    _add(engine, run, [_en(_row(wire, src_w, "https://wire.example/en/3",
                                "Ten skiers buried by Sierra avalanche still missing",
                                "Rescuers search for ten skiers buried by the avalanche.", T0 + timedelta(days=1, hours=18)))])
    run_dedup(run, engine=engine, settings=settings)
    run_entities(run, engine=engine, settings=settings)
    stats = run_clusters(run, engine=engine, settings=settings)
    rows = _articles(engine)
    assert len(before) == 2
    assert {r.cluster_id for u, r in rows.items() if "other" not in u} == {rows["https://wire.example/en/1"].id}
    assert stats.extra["merged-articles"] == 1
    assert run_clusters(run, engine=engine, settings=settings).written == 0


# Two reports of one event in each language, and another story of the same place and day
# (written for this test: other words, the same people).
NEVADA = ["""Maria Castellanos won the Nevada caucuses on Saturday, beating Thomas Whitfield by eleven points.
Whitfield conceded in Reno and thanked his field director, Priya Raman. Castellanos, speaking in Las Vegas
with Senator Harold Lindgren and Mayor Denise Okoro at her side, said the Culinary Workers Union had carried her.
The Nevada Democratic Party said turnout passed eighty thousand. Governor Luis Ortega congratulated her.""",
          """In Las Vegas, the union halls decided it. The Culinary Workers Union sent members door to door for
Maria Castellanos, and Priya Raman, who ran Thomas Whitfield's ground game, admitted the numbers never moved.
Senator Harold Lindgren called the result a warning; Mayor Denise Okoro said Reno voters had stayed home.
Governor Luis Ortega, neutral until now, praised the Nevada Democratic Party for a smooth count."""]
IRBID = ["""أعلن محافظ إربد خالد الزعبي أن جسر وادي العرب انهار صباح الأحد بعد سيول غزيرة، وقال مدير الدفاع المدني
العميد سامر الحوراني إن فرق الإنقاذ انتشلت ثلاثة مصابين نقلوا إلى مستشفى الأميرة بسمة. وقال وزير الأشغال
العامة يوسف الخطيب إن لجنة فنية ستحقق في أسباب الانهيار، فيما طالبت نقابة المهندسين الأردنيين بمراجعة الجسور القديمة.""",
         """انتشلت فرق الدفاع المدني ثلاثة جرحى من تحت ركام جسر وادي العرب في إربد، ونقلتهم إلى مستشفى الأميرة بسمة.
وأكد العميد سامر الحوراني أن المياه جرفت الدعامات، بينما زار المحافظ خالد الزعبي الموقع. وشكل الوزير يوسف الخطيب
لجنة للتحقيق، ودعت نقابة المهندسين الأردنيين إلى فحص كل جسور المملكة."""]


def _two_events(engine, run, wire, paper, shift=timedelta(0)):
    src_w, src_p = _source(engine, wire), _source(engine, paper)
    _add(engine, run, [
        _en(_row(wire, src_w, "https://wire.example/en/nv1", "Castellanos wins Nevada caucuses", NEVADA[0], T0 + shift)),
        _en(_row(paper, src_p, "https://paper.example/en/nv2", "How the union halls carried Castellanos", NEVADA[1],
                 T0 + shift + timedelta(hours=20))),
        _en(_row(paper, src_p, "https://paper.example/en/nv3", "Reno opens a new library",
                 "Reno opened a new public library on Saturday, the city said; it holds forty thousand books.",
                 T0 + shift)),
        _row(wire, src_w, "https://wire.example/ar/ir1", "انهيار جسر وادي العرب في إربد", IRBID[0], T0 + shift),
        _row(paper, src_p, "https://paper.example/ar/ir2", "ثلاثة جرحى تحت ركام جسر", IRBID[1], T0 + shift + timedelta(hours=6)),
        _row(paper, src_p, "https://paper.example/ar/ir3", "مدرسة جديدة في إربد",
             "افتتح وزير التربية في إربد مدرسة جديدة تتسع لألف طالب، وقال مدير التربية إن المدرسة تخدم ثلاث قرى.",
             T0 + shift)])


def test_reports_of_one_event_in_each_language_share_a_cluster_on_any_night_and_a_rerun_writes_nothing(
        engine, settings):
    """Through the real entity stage and the database: each pair of reports (other words, other
    headline, the same people) is one story and no copy; the other story of the same place and day
    is not; the same articles on another night give the same clusters, and a rerun writes nothing."""
    run, (wire, _, paper) = _setup(engine)
    _two_events(engine, run, wire, paper)
    _night(engine, settings, run)
    rows = _articles(engine)
    for a, b, other in (("https://wire.example/en/nv1", "https://paper.example/en/nv2", "https://paper.example/en/nv3"),
                        ("https://wire.example/ar/ir1", "https://paper.example/ar/ir2", "https://paper.example/ar/ir3")):
        assert rows[a].duplicate_of is None and rows[b].duplicate_of is None
        assert rows[a].cluster_id == rows[b].cluster_id == rows[a].id
        assert rows[other].cluster_id == rows[other].id
    assert rows["https://wire.example/en/nv1"].cluster_id != rows["https://wire.example/ar/ir1"].cluster_id
    first = _clusters_by_url(engine)
    assert run_clusters(run, engine=engine, settings=settings).written == 0
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE articles, article_sightings, article_lsh_bands, article_story_keys, story_terms, "
                             "entity_mentions, entities RESTART IDENTITY CASCADE"))
    other = Run(run_id="test-later-night", logical_date=date(2027, 1, 5))
    load.start_run(engine, other, code_version="test")
    _two_events(engine, other, wire, paper)
    _night(engine, settings, other)
    assert _clusters_by_url(engine) == first
