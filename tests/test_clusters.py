"""Story clusters: same event across outlets and languages, not just the same text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from etl.clusters import StoryFeatures, cluster_stories
from etl.dedup import article_keys

DAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def story(id_, *, entities=(), title=(), day=DAY, duplicate_of=None, text=None):
    keys = article_keys(id_, None, text)
    return StoryFeatures(id=id_, at=day, duplicate_of=duplicate_of, signature=keys.signature,
                         shingle_count=keys.shingle_count, title_words=frozenset(title), entities=frozenset(entities))


ALEPPO = story(1, entities={"LOC:aleppo", "PER:بشار اسد", "PER:دميتري بيسكوف", "ORG:كرملين", "ORG:جيش سوري",
                            "LOC:idlib", "LOC:hama", "ORG:سانا"}, title={"غارات", "سوريه", "روسيه", "مسلحين"})
KREMLIN_ITEM = story(6, entities={"ORG:كرملين", "PER:بشار اسد", "PER:دميتري بيسكوف"},
                     title={"كرملين", "نواصل", "دعم", "رءيس"})


def test_short_item_quoting_the_same_people_joins_the_story():
    assert cluster_stories([ALEPPO, KREMLIN_ITEM]) == {1: 1, 6: 1}


def test_places_and_nationalities_alone_do_not_make_an_event():
    visas = story(10, entities={"LOC:china", "LOC:united kingdom", "MISC:british", "LOC:canada"})
    starmer = story(11, entities={"LOC:united kingdom", "MISC:british", "PER:keir starmer"})
    assert cluster_stories([visas, starmer]) == {10: 10, 11: 11}


def test_stories_far_apart_in_time_stay_apart():
    old = story(2, entities=KREMLIN_ITEM.entities, day=datetime(2013, 8, 3, tzinfo=UTC))
    assert cluster_stories([old, KREMLIN_ITEM]) == {2: 2, 6: 6}


def test_copies_and_rewrites_join_and_ids_are_the_smallest_member():
    copy = story(5, duplicate_of=1)
    words = " ".join(f"word{i}" for i in range(60))
    original_hash = story(3, text=words, entities={"LOC:aleppo"})
    rewrite = story(9, text=" ".join(words.split()[:25]) + " " + " ".join(f"other{i}" for i in range(30)),
                    entities={"LOC:aleppo"})
    decided = cluster_stories([rewrite, copy, ALEPPO, original_hash])
    assert decided == {1: 1, 5: 1, 9: 3, 3: 3}


def test_same_title_words_join():
    a = story(20, title={"jesse", "jackson", "dies", "aged"})
    b = story(21, title={"jesse", "jackson", "dies", "aged", "civil"})
    assert cluster_stories([a, b]) == {20: 20, 21: 20}


def test_one_common_name_is_not_enough():
    a = story(30, entities={"PER:donald trump", "LOC:iran"})
    b = story(31, entities={"PER:donald trump", "LOC:greenland"})
    assert cluster_stories([a, b]) == {30: 30, 31: 31}


def test_the_window_is_around_each_publication_time_not_a_night():
    near_midnight = story(40, entities=KREMLIN_ITEM.entities, day=DAY + timedelta(days=1, hours=23))
    too_late = story(41, entities=KREMLIN_ITEM.entities, day=DAY + timedelta(days=2, hours=1))
    assert cluster_stories([KREMLIN_ITEM, near_midnight]) == {6: 6, 40: 6}
    assert cluster_stories([KREMLIN_ITEM, too_late]) == {6: 6, 41: 41}
