"""Story clusters: same event across outlets and languages, not just the same text."""

from __future__ import annotations

import math
from collections import Counter
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


# --- IDF-weighted term cosine (sentences written for these tests) --------------------------

def _item(id_, title, body, *, entities=(), day=DAY):
    from etl.clusters import story_terms
    from etl.dedup import title_words

    title_key = " ".join(sorted(title_words(title)))
    return StoryFeatures(id=id_, at=day, duplicate_of=None, signature=None, shingle_count=0,
                         title_words=frozenset(title_key.split()), entities=frozenset(entities),
                         terms=story_terms(title_key, body, entities))


# Other news of the same days: common words ("said", "police", "people", "officials") in many items.
BACKGROUND_EN = [
    _item(100 + i, title, body) for i, (title, body) in enumerate([
        ("Police say two people hurt in city centre crash", "Police said two people were taken to hospital after a car hit a bus on Monday."),
        ("Officials say budget talks will continue", "Officials said the talks on the budget would go on next week, people familiar with them said."),
        ("Storm cuts power to thousands of homes", "Officials said thousands of people were without power after the storm, police said roads were closed."),
        ("Court hears appeal in fraud case", "The court heard the appeal on Tuesday, officials said, and police gave evidence."),
        ("Minister says new rail line will open next year", "The minister said the line would open next year and carry thousands of people a day."),
        ("Police arrest man after shop robbery", "Police said a man was arrested on Monday after a robbery, and no people were hurt."),
    ])]


def test_reworded_reports_sharing_rare_words_join_through_the_term_cosine():
    """Two headlines sharing one word in four, no entity found in either: the rare words of the
    event (avalanche, skiers, ridge) carry them; an item sharing only common words stays apart."""
    a = _item(901, "Avalanche buries skiers on Sierra ridge",
              "Rescuers searched on Tuesday for eight skiers buried by an avalanche on a ridge, police said.")
    b = _item(902, "Eight missing after avalanche, rescuers say",
              "Eight backcountry skiers are missing after an avalanche swept a ridge on Tuesday, officials said.")
    other = _item(903, "Police say eight people hurt in bus crash",
                  "Police said eight people were hurt on Tuesday when a bus left the road, officials said.")
    decided = cluster_stories([*BACKGROUND_EN, a, b, other])
    assert decided[902] == decided[901] == 901
    assert decided[903] != decided[901]


BACKGROUND_AR = [
    _item(200 + i, title, body) for i, (title, body) in enumerate([
        ("الحكومة السورية تعلن خطة جديدة للكهرباء", "قال مسؤولون في سوريا إن الحكومة ستعلن خطة جديدة للكهرباء الأسبوع المقبل."),
        ("سوريا: ارتفاع أسعار الخبز في دمشق", "قال مسؤولون إن أسعار الخبز ارتفعت في سوريا هذا الأسبوع."),
        ("وزير سوري يزور موسكو", "قال مسؤولون إن وزيرا سوريا سيزور موسكو لبحث التعاون بين البلدين."),
        ("سوريا تفتح معبرا حدوديا مع الأردن", "قال مسؤولون في سوريا إن المعبر سيفتح أمام المسافرين يوم الأحد."),
        ("الأمطار تغرق شوارع في اللاذقية", "قال مسؤولون إن الأمطار أغرقت شوارع في اللاذقية وإن الدفاع المدني تدخل."),
    ])]


def test_arabic_reports_of_one_flood_join_and_a_report_sharing_only_syria_does_not():
    """Clitics and vocalisation do not split a word (بالفيضان / الفيضان, قرية / القرية): the flood in
    one village joins; another Syrian story of the day shares only common words and سوريا."""
    a = _item(901, "فيضان يجرف منازل في قرية الزيتونة شمال سوريا",
              "قال مسؤولون إن الفيضان جرف عشرات المنازل في قرية الزيتونة بعد أمطار غزيرة.")
    b = _item(902, "عشرات العائلات بلا مأوى بعد فيضان الزيتونة",
              "جرفت مياه الفَيَضان منازل عشرات العائلات في قرية الزيتونة، وقال الدفاع المدني إن الأمطار الغزيرة "
              "هي الأسوأ منذ سنوات.")
    other = _item(903, "سوريا: مسؤولون يعلنون موعد الانتخابات المحلية",
                  "قال مسؤولون في سوريا إن الانتخابات المحلية ستجري بعد أسابيع.")
    decided = cluster_stories([*BACKGROUND_AR, a, b, other])
    assert decided[902] == decided[901] == 901
    assert decided[903] != decided[901]


def test_term_weights_come_from_the_history_rare_terms_weigh_more():
    from etl.clusters import TermCounts, term_cosine

    counts = TermCounts({"w:said": 90, "w:avalanche": 1, "w:skiers": 1}, 100)
    assert counts.idf("w:said") < counts.idf("w:avalanche") < counts.idf("w:never-seen")
    common = term_cosine(frozenset({"w:said", "w:avalanche"}), frozenset({"w:said", "w:skiers"}), counts)
    rare = term_cosine(frozenset({"w:said", "w:avalanche"}), frozenset({"w:avalanche", "w:skiers"}), counts)
    assert common < 0.01 < 0.4 < rare


def test_a_headline_word_meets_the_same_word_in_the_other_reports_lead():
    """One word space for titles and leads: غارات in one headline and بالغارات in the other's first
    sentence are one term; title words are also kept apart (``t:``) to look neighbours up by."""
    from etl.clusters import story_terms
    from etl.dedup import title_words

    title = " ".join(sorted(title_words("غارات روسية على ريف إدلب")))
    terms = story_terms(title, "قال الدفاع المدني إن القرية تعرضت للقصف صباح اليوم.", {"LOC:idlib"})
    other = story_terms("", "قتل خمسة مدنيين بالغارات التي استهدفت ريف إدلب فجر الثلاثاء.", ())
    assert {"t:غارات", "w:غارات", "e:LOC:idlib"} <= terms
    assert {"w:غارات", "w:ريف", "w:ادلب"} <= terms & other
    assert not any(t.startswith("t:") for t in other)


def test_an_article_linked_to_two_clusters_merges_them_into_the_smallest():
    """The first and last report are more than two days apart and cannot link; the middle one links
    both, so all three are one story (single link), (the other news of those days gives the words their weight)."""
    first = _item(901, "Avalanche buries ten skiers on Sierra ridge", "Ten skiers were buried by an avalanche.")
    last = _item(902, "Sierra avalanche: ten skiers found alive", "Ten skiers buried by the avalanche were found alive.",
                 day=DAY + timedelta(days=3, hours=12))
    middle = _item(903, "Ten skiers buried by Sierra avalanche still missing", "Rescuers search for ten skiers.",
                   day=DAY + timedelta(days=1, hours=18))
    alone = cluster_stories([*BACKGROUND_EN, first, last])
    assert (alone[901], alone[902]) == (901, 902)
    merged = cluster_stories([*BACKGROUND_EN, first, last, middle])
    assert (merged[901], merged[902], merged[903]) == (901, 901, 901)


# --- shared rare entities (clusters/4; articles written for these tests) -------------------

# Other campaign news of the same days: the front-runners and the big states are in most items.
CAMPAIGN_EN = [
    _item(300 + i, title, body, entities=entities) for i, (title, body, entities) in enumerate([
        ("Poll shows tight race", "A poll showed Smith level with her rival.", {"PER:alice smith", "LOC:ohio", "PER:hal ford", "ORG:civic polls"}),
        ("Jones raises record sum", "Jones raised a record sum, his campaign said.", {"PER:bob jones", "LOC:texas", "PER:mona patel", "LOC:austin"}),
        ("Smith courts farmers", "Smith spoke to farmers about trade.", {"PER:alice smith", "ORG:farm bureau", "LOC:fresno", "PER:ned cole"}),
        ("Debate rules announced", "The parties agreed on rules for the debates.", {"PER:bob jones", "LOC:ohio", "ORG:debate commission", "PER:rita gomez"}),
        ("Texas early voting starts", "Early voting began on Monday.", {"LOC:texas", "PER:alice smith", "LOC:el paso", "ORG:texas secretary of state"}),
    ])]
PRIMARY_NAMES = {"PER:alice smith", "PER:bob jones", "LOC:ohio", "LOC:vermont", "PER:carla reyes",
                 "PER:dan okafor", "PER:eva lindqvist", "ORG:vermont election board", "PER:frank moreau",
                 "LOC:burlington", "PER:grace liu", "ORG:reyes for america"}
# Each long report also names a dozen people and places the other does not (a donor, a county, a
# pollster): less than half of either one's names are shared.
OWN_NAMES = [{f"PER:night source {i}" for i in range(8)} | {f"LOC:night county {i}" for i in range(6)},
             {f"PER:analyst {i}" for i in range(8)} | {f"LOC:hill town {i}" for i in range(6)}]


def test_long_reports_of_one_primary_naming_the_same_rare_people_join_though_their_words_differ():
    """Two long reports of one primary night tell it in other words (a term cosine below the
    threshold) and name many people the other does not (less than half their names shared), but
    both name the same dozen candidates, aides, towns and boards; a campaign story of the same day
    sharing only the front-runners and a state stays apart."""
    night = _item(401, "Reyes wins Vermont primary as Okafor concedes",
                  "Carla Reyes won the Vermont primary on Tuesday night, beating Dan Okafor by nine points after "
                  "a campaign built on rural clinics and broadband. Okafor conceded in Burlington shortly before "
                  "midnight and thanked volunteers who knocked on doors through the snow. Turnout rose above "
                  "forty percent, officials reported, the highest since the board began keeping records. Reyes "
                  "told cheering supporters she would carry the message to Ohio next week.",
                  entities=PRIMARY_NAMES | OWN_NAMES[0])
    analysis = _item(402, "How the upstart carried the Green Mountain State",
                     "Small towns in the northern hills delivered the upset. Canvassers for the challenger spent "
                     "months in diners, churches and fire halls, and exit interviews suggested voters there cared "
                     "more about hospitals closing than about national fights. Her rival's television money "
                     "bought little where signals barely reach. Analysts expect the momentum to fade in larger, "
                     "more suburban contests, where name recognition and donors matter more.",
                     entities=PRIMARY_NAMES | OWN_NAMES[1])
    other = _item(403, "Smith and Jones trade barbs over trade",
                  "Smith said Jones had no plan for Ohio factories; Jones called her plan a fantasy.",
                  entities={"PER:alice smith", "PER:bob jones", "LOC:ohio", "PER:ivan petrov", "LOC:toledo",
                            "ORG:ohio steel workers union", "PER:judy kim"})
    from etl.clusters import (
        MIN_ENTITY_OVERLAP,
        MIN_TERM_COSINE,
        TermCounts,
        entity_overlap,
        term_cosine,
    )

    df = Counter(t for s in (*CAMPAIGN_EN, night) for t in s.terms)
    assert term_cosine(night.terms, analysis.terms, TermCounts(df, len(CAMPAIGN_EN) + 1)) < MIN_TERM_COSINE
    assert entity_overlap(night.entities, analysis.entities, {}) < MIN_ENTITY_OVERLAP
    decided = cluster_stories([*CAMPAIGN_EN, night, analysis, other])
    assert decided[402] == decided[401] == 401
    assert decided[403] not in (401, 402)


def test_an_articles_terms_are_weighed_once_and_give_the_same_cosine_as_term_sets():
    from etl.clusters import TermCounts, shared_entity_weight, term_cosine, term_vector

    counts = TermCounts({"w:said": 90, "w:avalanche": 1, "e:PER:ann lee": 2, "e:LOC:oslo": 40}, 100)
    a = frozenset({"w:said", "w:avalanche", "e:PER:ann lee", "e:LOC:oslo", "t:avalanche"})
    b = frozenset({"w:said", "w:avalanche", "e:PER:ann lee", "t:skiers"})
    va, vb = term_vector(a, counts), term_vector(b, counts)
    assert term_cosine(va, vb) == term_cosine(a, b, counts) > 0.5
    assert counts.idf_squared("w:said") == counts.idf("w:said") ** 2  # computed once, kept
    assert shared_entity_weight(va, vb, counts) == counts.idf("e:PER:ann lee") / math.log(101)
    assert shared_entity_weight(va, term_vector(frozenset({"e:LOC:oslo"}), counts), counts) == 0.0
