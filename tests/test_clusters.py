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
