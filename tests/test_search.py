"""Search in SQL: search_articles (Arabic folding and clitics) and find_entities (fuzzy names)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_queries import load_demo_night, truncate

from etl.arabic import CLITIC_RULES, normalise_arabic, strip_clitics
from etl.db import make_engine
from etl.sqlgen import CLITICS_FILE, clitics_sql

ALEPPO_STORY = {"/ar/aleppo-strikes.html", "/ar2/syria-russia-strikes.html"}  # the story and its wire copy


def test_the_sql_clitic_rules_are_generated_from_etl_arabic():
    assert CLITICS_FILE.read_text(encoding="utf-8") == clitics_sql(), "run: python -m etl.sqlgen"


def test_sql_and_python_strip_the_same_clitics(engine):
    conjunctions, prepositions, _, whole_words, _ = CLITIC_RULES
    stems = ["حلب", "اسد", "بد", "400", "قصف", "لد", "مسلحين", *whole_words]
    words = {normalise_arabic(w) for w in stems}
    words |= {c + p + s for c in ("", *conjunctions) for p in ("", *prepositions) for s in stems[:6]}
    words |= {normalise_arabic(w) for w in ["وبحلب", "والأسد", "للأسد", "ولبنان", "بلد", "وزيرة", "لبنانيين", "Aleppo"]}
    words = sorted(words)
    with engine.connect() as conn:
        in_sql = conn.execute(sa.text("SELECT arabic_strip_clitics(w) FROM unnest(CAST(:w AS text[])) "
                                      "WITH ORDINALITY AS t(w, n) ORDER BY n"), {"w": words}).scalars().all()
    assert dict(zip(words, in_sql, strict=True)) == {w: strip_clitics(w) for w in words}


@pytest.fixture(scope="module")
def demo_engine(database_url, tmp_path_factory):
    engine = make_engine(database_url)
    truncate(engine)
    load_demo_night(engine, tmp_path_factory.mktemp("search"))
    yield engine
    engine.dispose()


def _search(engine: sa.Engine, query: str, lang: str | None = None) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT url FROM search_articles(:q, :lang)"), {"q": query, "lang": lang})
        return [url.split("newsetl.test", 1)[1] for (url,) in rows]


@pytest.mark.parametrize("query", ["حلب", "لحلب", "وبحلب", "حَلَب", "لِحَلَبَ", "حلـــب"])
def test_search_finds_aleppo_with_clitics_diacritics_and_tatweel(demo_engine, query):
    assert set(_search(demo_engine, query)) == ALEPPO_STORY


def test_lahalab_missed_by_the_plain_tsquery_is_found(demo_engine):
    with demo_engine.connect() as conn:
        plain = conn.execute(sa.text("SELECT count(*) FROM articles "
                                     "WHERE search @@ plainto_tsquery('arabic', arabic_fold('لحلب'))")).scalar_one()
    assert plain == 0 and set(_search(demo_engine, "لحلب")) == ALEPPO_STORY


def test_hamza_variants_find_the_same_articles_and_the_title_ranks_first(demo_engine):
    hamza, bare = _search(demo_engine, "للأسد"), _search(demo_engine, "الاسد")
    assert hamza == bare and len(hamza) >= 3
    assert hamza[0] == "/ar/aleppo-strikes.html"  # "… دعمها للأسد" in its title


def test_every_word_must_match_and_lang_filters(demo_engine):
    assert set(_search(demo_engine, "غارات حلب")) == ALEPPO_STORY
    assert _search(demo_engine, "حلب واشنطن") == []
    assert _search(demo_engine, "لحلب", "en") == []
    assert _search(demo_engine, "surveillance", "en") == ["/en/wired_001.html"]


@pytest.mark.parametrize("name", ["بيسكوف", "بِيسكوف", "بسكوف", "دميتري بيسكوف", "Peskov"])
def test_find_entities_is_fuzzy_over_names_and_aliases(demo_engine, name):
    with demo_engine.connect() as conn:
        best = conn.execute(sa.text("SELECT * FROM find_entities(:n)"), {"n": name}).first()
    assert best.canonical_name == "دميتري بيسكوف" and best.type == "PER" and best.mentions >= 2


def test_name_similarity_is_pg_trgm_where_installed_and_the_sql_fallback_agrees(demo_engine):
    pairs = [("بيسكوف", "بسكوف"), ("دميتري بيسكوف", "بيسكوف"), ("كرملين", "الكرملين"), ("peskov", "peskow"),
             ("حلب", "بيروت")]
    with demo_engine.connect() as conn:
        installed = conn.execute(sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")).scalar_one()
        available = conn.execute(sa.text(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar_one()
        body = conn.execute(sa.text("SELECT prosrc FROM pg_proc WHERE proname = 'name_similarity'")).scalar_one()
        fallback = [conn.execute(sa.text("SELECT name_similarity_sql(:a, :b)"), {"a": a, "b": b}).scalar_one()
                    for a, b in pairs]
        used = [conn.execute(sa.text("SELECT name_similarity(:a, :b)"), {"a": a, "b": b}).scalar_one()
                for a, b in pairs]
    assert installed == available  # the migration installs it wherever the server has it
    assert ("similarity(a, b)" in body and "name_similarity_sql" not in body) == bool(installed)
    assert used == pytest.approx(fallback, abs=1e-6)  # same trigrams, same answers
    assert fallback[0] > 0.4 and fallback[-1] == 0
