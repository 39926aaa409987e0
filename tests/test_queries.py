"""The analyst queries in sql/queries/ on the demo's data: the rows the bundled samples imply.

Expected rows are read off the samples (etl/samples/site): the Aleppo story of وكالة الشام للأنباء
(ar/feed.xml, 23 Nov 2026) and its windows-1256 wire copy in صحيفة الفرات (ar2/), the Kremlin
feed item of صحيفة الفرات quoting Peskov, and the army command's figures in the Aleppo story.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from etl.db import SQL_DIR, TABLE_NAMES, make_engine
from etl.pipeline import run_night
from etl.sampleserver import SAMPLE_BASE, serve_samples
from etl.settings import FetchSettings, Settings, StorageSettings

NIGHT = date(2026, 11, 24)
SHAM, FURAT = "وكالة الشام للأنباء", "صحيفة الفرات"


def load_demo_night(engine: sa.Engine, tmp_path, *, base: str | None = SAMPLE_BASE) -> None:
    """Load the samples as the demo does (under SAMPLE_BASE), or under the server's own address."""
    with serve_samples() as server:
        fetch = replace(FetchSettings(), allow_private_networks=True, per_host_delay_s=0.0, max_retries=1,
                        connect_to=((SAMPLE_BASE.removeprefix("http://") + ":80",
                                     server.base_url.removeprefix("http://")),))
        settings = Settings(fetch=fetch, storage=StorageSettings(database_url=engine.url.render_as_string(
            hide_password=False), state_dir=tmp_path))
        feeds = server.feeds_file(tmp_path / f"feeds-{len(base or '')}.yaml", base=base)
        run_night(NIGHT, settings=settings, feeds_file=feeds, engine=engine)


def truncate(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLE_NAMES)} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def demo_engine(database_url, tmp_path_factory):
    engine = make_engine(database_url)
    truncate(engine)
    load_demo_night(engine, tmp_path_factory.mktemp("demo"))
    yield engine
    engine.dispose()


def run_query(engine: sa.Engine, name: str) -> list[sa.Row]:
    sql = (SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")
    with engine.connect() as conn:
        return conn.execute(sa.text(sql.replace(":", r"\:"))).all()


def test_every_query_says_it_is_anchored_to_the_latest_night():
    for query in sorted((SQL_DIR / "queries").glob("*.sql")):
        text = query.read_text(encoding="utf-8")
        # now() only as the fallback of an empty database, never as the anchor of a window
        assert "coalesce(max(logical_date), (now()" in text and text.count("now()") == 1, query.name
        assert text.startswith("-- Question:"), query.name


def test_aleppo_outlets_last_night_are_the_story_and_its_wire_copy(demo_engine):
    rows = run_query(demo_engine, "aleppo_outlets_last_night")
    assert [(r.outlet, r.url.removeprefix(SAMPLE_BASE)) for r in rows] == [
        (SHAM, "/ar/aleppo-strikes.html"), (FURAT, "/ar2/syria-russia-strikes.html")]
    assert len({r.copy_of for r in rows}) == 1 and rows[0].articles_with_this_copy == 2
    assert set(rows[0].same_copy_outlets.split(", ")) == {SHAM, FURAT}


def test_army_command_claims_this_week_come_from_both_copies_with_the_400(demo_engine):
    rows = run_query(demo_engine, "army_command_claims_this_week")
    assert {r.outlet for r in rows} == {SHAM, FURAT}
    assert all("القيادة العامة" in r.speaker_name for r in rows)
    killed = {(r.outlet, r.value) for r in rows if r.category == "killed"}
    assert {(SHAM, 400), (FURAT, 400)} <= killed  # "أكثر من 400 مسلح" in both copies
    assert any(r.polarity == "deny" for r in rows)  # "كل ما يشاع من سيطرة ... عار عن الصحة"


def test_casualties_side_by_side_are_the_command_and_the_military_source(demo_engine):
    rows = run_query(demo_engine, "casualties_by_party_side_by_side")
    assert [(r.party, r.killed) for r in rows] == [("القيادة العامة للجيش السوري", 400), ("مصدر عسكري", None)]
    assert "عشرات" in rows[1].figures_as_claimed  # the vague "tens" figure, no value
    assert set(rows[0].outlets.split(", ")) == {SHAM, FURAT}


def test_quoted_per_day_counts_stories(demo_engine):
    rows = run_query(demo_engine, "quoted_per_day_peskov_kremlin_sana")
    # Peskov: the Aleppo story (carried twice, one story) and the Kremlin feed item.
    assert [(r.day, r.peskov) for r in rows] == [(date(2026, 11, 23), 2)]
    assert rows[0].kremlin >= 1 and rows[0].sana >= 1


def _view(engine: sa.Engine, sql: str) -> list[sa.Row]:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).all()


def test_story_cluster_articles_show_the_aleppo_story_its_wire_copy_and_the_kremlin_item(demo_engine):
    rows = _view(demo_engine, "SELECT * FROM story_cluster_articles ORDER BY cluster_id, article_id")
    assert len(rows) == 8 and sum(r.is_copy for r in rows) == 1
    copy = next(r for r in rows if r.is_copy)
    assert (copy.outlet, copy.original_outlet, copy.duplicate_reason, copy.duplicate_similarity) == (
        FURAT, SHAM, "body-hash", 1.0)
    cluster = [(r.outlet, r.url.removeprefix(SAMPLE_BASE), r.copy_of == copy.copy_of, r.copies)
               for r in rows if r.cluster_id == copy.cluster_id]
    assert cluster == [(SHAM, "/ar/aleppo-strikes.html", True, 1),
                       (FURAT, "/ar2/syria-russia-strikes.html", True, 0),
                       (FURAT, "/ar2/missing-page.html", False, 0)]  # the Kremlin item: same event, own story
    assert all(r.sightings == 1 and r.first_seen_at <= r.last_seen_at for r in rows)


def test_story_clusters_count_the_wire_copy_once_with_both_outlets_and_the_languages(demo_engine):
    rows = {r.cluster_id: r for r in _view(demo_engine, "SELECT * FROM story_clusters")}
    assert len(rows) == 6  # 8 articles: the copy and the Kremlin item join the Aleppo cluster
    aleppo = next(r for r in rows.values() if r.articles > 1)
    assert (aleppo.articles, aleppo.stories, aleppo.copies, aleppo.outlet_count, aleppo.languages) == (3, 2, 1, 2, "ar")
    assert set(aleppo.outlets.split(", ")) == {SHAM, FURAT} and "حلب" in aleppo.title
    assert (aleppo.first_published.hour, aleppo.last_published.hour) == (8, 11)  # 08:30 story, 11:00 Kremlin item
    assert sorted(r.languages for r in rows.values()) == ["ar"] * 4 + ["en"] * 2
    assert all(r.language_count == 1 for r in rows.values())


def test_source_syndication_is_half_for_the_paper_that_carried_the_wire_copy(demo_engine):
    rows = {r.outlet: r for r in _view(demo_engine, "SELECT * FROM source_syndication")}
    got = {name: (r.articles, r.originals, r.copies_of_others, r.own_copies, r.syndication_share, r.copied_from,
                  r.originals_copied_by_others) for name, r in rows.items()}
    assert got == {SHAM: (4, 4, 0, 0, Decimal("0.000"), None, 1),
                   FURAT: (2, 1, 1, 0, Decimal("0.500"), SHAM, 0),
                   "World Desk": (2, 2, 0, 0, Decimal("0.000"), None, 0),
                   "Broken Outlet": (0, 0, 0, 0, None, None, 0)}


def _quoted(engine: sa.Engine) -> tuple[list[tuple], list[tuple]]:
    query = [(r.day, r.peskov, r.kremlin, r.sana) for r in run_query(engine, "quoted_per_day_peskov_kremlin_sana")]
    with engine.connect() as conn:
        view = conn.execute(sa.text(
            "SELECT day, speaker_name, stories, claims FROM speaker_claims_daily ORDER BY day, speaker_key")).all()
    return query, [tuple(r) for r in view]


def test_query_and_view_agree_and_a_duplicate_ingest_moves_neither(database_url, tmp_path):
    # Last in this module: it loads the night again, so it starts from empty tables itself.
    engine = make_engine(database_url)
    truncate(engine)
    load_demo_night(engine, tmp_path)
    query, view = _quoted(engine)
    peskov_in_view = {(day, stories) for day, name, stories, _ in view if name == "دميتري بيسكوف"}
    assert {(day, peskov) for day, peskov, *_ in query} == peskov_in_view == {(date(2026, 11, 23), 2)}
    # The same stories ingested again under other URLs (the samples' own address): copies, not news.
    load_demo_night(engine, tmp_path, base=None)
    with engine.connect() as conn:
        copies = conn.execute(sa.text("SELECT count(*) FROM articles WHERE url NOT LIKE :b"),
                              {"b": SAMPLE_BASE + "%"}).scalar_one()
    assert copies == 8
    assert _quoted(engine) == (query, view)
    with engine.connect() as conn:
        stories = conn.execute(sa.text("SELECT sum(stories), sum(articles) FROM story_clusters")).one()
        own = conn.execute(sa.text("SELECT sum(own_copies), sum(copies_of_others) FROM source_syndication")).one()
    # The re-ingest adds copies, no stories: seven of the eight new articles copy their own outlet's
    # article; the wire copy's second sighting points at the original (وكالة الشام), another outlet's.
    assert tuple(stories) == (7, 16) and tuple(own) == (7, 2)
    engine.dispose()
