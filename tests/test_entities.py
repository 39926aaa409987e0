"""Canonical entities: titles, partial names, clitics and cross-language keys."""

from __future__ import annotations

from collections import Counter

import pytest

from etl.entities import (
    Alias,
    build_alias_index,
    entity_key,
    read_alias_table,
    resolve_entities,
    role_antecedent,
    strip_title,
)
from etl.models import EntitySpan


def spans_of(text: str, *items: tuple[str, str]) -> list[EntitySpan]:
    """Return EntitySpans for (surface, label) pairs, each at its first place after the last."""
    out, pos = [], 0
    for surface, label in items:
        start = text.index(surface, pos)
        out.append(EntitySpan(start, start + len(surface), surface, label))
        pos = start + len(surface)
    return out


def by_text(text: str, lang: str, *items: tuple[str, str]) -> dict[str, object]:
    return {m.text: m for m in resolve_entities(text, lang, spans_of(text, *items))}


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("الرئيس السوري بشار الأسد", "ar", "بشار الأسد"),
        ("المتحدث باسم الرئاسة الروسية دميتري بيسكوف", "ar", "دميتري بيسكوف"),
        ("وزير الخارجية الروسي سيرغي لافروف", "ar", "سيرغي لافروف"),
        ("President Bashar al-Assad", "en", "Bashar al-Assad"),
        ("Syrian President Bashar al-Assad", "en", "Bashar al-Assad"),
        ("Kremlin spokesman Dmitry Peskov", "en", "Dmitry Peskov"),
        ("Dr. Ahmed Zewail", "en", "Ahmed Zewail"),
        ("U.S. Secretary of State Marco Rubio", "en", "Marco Rubio"),
        ("وزير الخارجية الأمريكي ماركو روبيو", "ar", "ماركو روبيو"),
        ("بشار الأسد", "ar", "بشار الأسد"),  # nothing to strip
        ("President", "en", "President"),  # never strip a name away entirely
    ],
)
def test_strip_title(name: str, lang: str, expected: str) -> None:
    assert strip_title(name, lang) == expected


def test_titled_and_bare_mentions_share_key_and_name_ar() -> None:
    text = "قال الرئيس السوري بشار الأسد إن الجيش يتقدم. وأكد بشار الأسد ذلك."
    spans = spans_of(text, ("الرئيس السوري بشار الأسد", "PER"), ("بشار الأسد", "PER"))
    titled, bare = resolve_entities(text, "ar", spans)
    assert titled.key == bare.key
    assert titled.canonical_name == bare.canonical_name == "بشار الأسد"
    # offsets stay those of the recognised span
    assert (titled.start, titled.end, titled.text) == (spans[0].start, spans[0].end, spans[0].text)


def test_titles_are_only_stripped_from_people() -> None:
    text = "قالت الرئاسة الروسية ووزارة الدفاع إن Foreign Ministry"
    found = by_text(text, "ar", ("الرئاسة الروسية", "ORG"), ("وزارة الدفاع", "ORG"),
                    ("Foreign Ministry", "ORG"))
    assert found["الرئاسة الروسية"].canonical_name == "الرئاسة الروسية"
    assert found["Foreign Ministry"].key == "ORG:foreign ministry"


def test_partial_name_corefers_with_full_name_ar() -> None:
    text = "أكد الرئيس بشار الأسد أن الجيش يتقدم، وقال الأسد إن المعركة مستمرة."
    found = by_text(text, "ar", ("بشار الأسد", "PER"), ("الأسد", "PER"))
    assert found["الأسد"].key == found["بشار الأسد"].key
    assert found["الأسد"].canonical_name == "بشار الأسد"


def test_partial_name_corefers_with_full_name_en() -> None:
    text = "Kremlin spokesman Dmitry Peskov told reporters. Peskov added that Moscow agreed."
    found = by_text(text, "en", ("Dmitry Peskov", "PER"), ("Peskov", "PER"), ("Moscow", "LOC"))
    assert found["Peskov"].key == found["Dmitry Peskov"].key
    assert found["Peskov"].canonical_name == "Dmitry Peskov"


def test_partial_name_without_alias_takes_fullest_form() -> None:
    text = "Sami Kassab Haddad spoke first. Haddad then left."
    found = by_text(text, "en", ("Sami Kassab Haddad", "PER"), ("Haddad", "PER"))
    assert found["Haddad"].key == found["Sami Kassab Haddad"].key == "PER:sami kassab haddad"
    assert found["Haddad"].canonical_name == "Sami Kassab Haddad"


def test_ambiguous_surname_is_left_alone() -> None:
    text = "Hafez Assad and Bashar Assad are father and son. Assad ruled."
    found = by_text(text, "en", ("Hafez Assad", "PER"), ("Bashar Assad", "PER"), ("Assad", "PER"))
    assert found["Assad"].key not in (found["Hafez Assad"].key, found["Bashar Assad"].key)


def test_short_organisation_name_links_to_the_full_name_given_earlier_ar() -> None:
    text = ("أعلنت القيادة العامة لقوات الأمن الداخلي حظر التجول في المدينة، "
            "وأضافت القيادة العامة أن الحظر يبدأ مساء الجمعة.")
    found = by_text(text, "ar", ("القيادة العامة لقوات الأمن الداخلي", "ORG"), ("القيادة العامة", "ORG"))
    assert found["القيادة العامة"].key == found["القيادة العامة لقوات الأمن الداخلي"].key
    assert found["القيادة العامة"].canonical_name == "القيادة العامة لقوات الأمن الداخلي"


def test_short_organisation_name_links_to_the_full_name_en() -> None:
    text = "The Foreign Ministry of Lithuania summoned the envoy. The Foreign Ministry said talks failed."
    found = by_text(text, "en", ("Foreign Ministry of Lithuania", "ORG"), ("Foreign Ministry", "ORG"))
    assert found["Foreign Ministry"].key == found["Foreign Ministry of Lithuania"].key


def test_organisation_head_shared_by_two_full_names_is_left_alone() -> None:
    text = "وزارة الصحة العراقية ووزارة الصحة الأردنية اتفقتا، وقالت وزارة الصحة إن الاتفاق نهائي."
    found = by_text(text, "ar", ("وزارة الصحة العراقية", "ORG"), ("وزارة الصحة الأردنية", "ORG"),
                    ("وزارة الصحة", "ORG"))
    assert found["وزارة الصحة"].key not in (found["وزارة الصحة العراقية"].key, found["وزارة الصحة الأردنية"].key)


def test_one_word_organisation_is_not_linked_by_its_head() -> None:
    text = "قالت وزارة الداخلية إن الوزارة ستحقق."
    found = by_text(text, "ar", ("وزارة الداخلية", "ORG"), ("الوزارة", "ORG"))
    assert found["الوزارة"].key != found["وزارة الداخلية"].key


def test_surname_is_not_linked_across_types() -> None:
    text = "Bashar Assad spoke. Assad Street was closed."
    found = by_text(text, "en", ("Bashar Assad", "PER"), ("Assad Street", "LOC"))
    assert found["Assad Street"].key.startswith("LOC:")


def test_clitic_forms_share_key() -> None:
    assert entity_key("والأسد", "PER") == entity_key("الأسد", "PER")
    assert entity_key("بحلب", "LOC") == entity_key("حلب", "LOC")
    assert entity_key("وموسكو", "LOC") == entity_key("موسكو", "LOC")
    # vocalised and tatweel-stretched spellings too
    assert entity_key("دِمَشْق", "LOC") == entity_key("دمـــشق", "LOC") == entity_key("دمشق", "LOC")


def test_clitic_mention_resolves_like_bare_one() -> None:
    text = "دعم الأسد، وأكد والأسد."
    found = by_text(text, "ar", ("الأسد", "PER"), ("والأسد", "PER"))
    assert found["والأسد"].key == found["الأسد"].key


def test_aleppo_has_one_key_in_both_languages() -> None:
    ar = resolve_entities("غارات على حلب", "ar", spans_of("غارات على حلب", ("حلب", "LOC")))[0]
    en = resolve_entities("Strikes on Aleppo", "en", spans_of("Strikes on Aleppo", ("Aleppo", "LOC")))[0]
    assert ar.key == en.key == "LOC:aleppo"
    assert ar.canonical_name == "حلب"
    assert en.canonical_name == "Aleppo"


@pytest.mark.parametrize(
    ("ar_text", "ar_label", "en_text", "en_label"),
    [
        ("بشار الأسد", "PER", "Bashar al-Assad", "PER"),
        ("دميتري بيسكوف", "PER", "Dmitry Peskov", "PER"),
        ("الكرملين", "ORG", "Kremlin", "ORG"),
        ("سانا", "ORG", "SANA", "ORG"),
        ("وكالة الأنباء السورية", "ORG", "SANA", "ORG"),
        ("دمشق", "LOC", "Damascus", "LOC"),
        ("إدلب", "LOC", "Idlib", "LOC"),
        ("حماة", "LOC", "Hama", "LOC"),
        ("روسيا", "LOC", "Russia", "LOC"),
        ("لروسيا", "LOC", "Russia", "LOC"),
        ("موسكو", "LOC", "Moscow", "LOC"),
        ("ألمانيا", "LOC", "Germany", "LOC"),  # CLDR territory names
        ("بغداد", "LOC", "Baghdad", "LOC"),  # CLDR exemplar cities
    ],
)
def test_cross_language_aliases(ar_text: str, ar_label: str, en_text: str, en_label: str) -> None:
    ar = resolve_entities(ar_text, "ar", [EntitySpan(0, len(ar_text), ar_text, ar_label)])[0]
    en = resolve_entities(en_text, "en", [EntitySpan(0, len(en_text), en_text, en_label)])[0]
    assert ar.key == en.key


def test_alias_table_overrides_a_wrong_type() -> None:
    text = "the Kremlin said"
    m = resolve_entities(text, "en", spans_of(text, ("Kremlin", "PER")))[0]
    assert (m.label, m.key, m.canonical_name) == ("ORG", "ORG:kremlin", "Kremlin")


def test_place_names_do_not_retype_people() -> None:
    text = "Jordan scored twice."
    m = resolve_entities(text, "en", spans_of(text, ("Jordan", "PER")))[0]
    assert (m.label, m.key) == ("PER", "PER:jordan")


def test_unknown_entity_keyed_by_label_and_normalised_name() -> None:
    text = "زار وفدٌ مدينةَ السُّفيرة"
    m = resolve_entities(text, "ar", spans_of(text, ("وفدٌ", "ORG")))[0]
    assert m.key == "ORG:وفد"
    assert m.canonical_name == "وفدٌ"  # display keeps the text as published


def test_shipped_alias_table_is_consistent() -> None:
    rows = read_alias_table()
    assert len(rows) > 50
    assert {r.label for r in rows} <= {"PER", "ORG", "LOC", "MISC"}
    assert {r.lang for r in rows} == {"ar", "en"}
    owners: dict[str, set[str]] = {}
    for r in rows:
        owners.setdefault(entity_key(r.alias, r.label), set()).add(r.key_name)
    assert [k for k, names in owners.items() if len(names) > 1] == []
    # every entity in the table has a name in both languages
    langs = Counter((r.key_name, r.lang) for r in rows)
    assert {name for name, _ in langs} == {name for name, lang in langs if lang == "ar"}
    assert {name for name, _ in langs} == {name for name, lang in langs if lang == "en"}


def test_curated_display_name_wins_over_cldr() -> None:
    base = [Alias("Syria", "LOC", "سوريا", "ar"), Alias("Syria", "LOC", "Syria", "en")]
    curated = [Alias("Syria", "LOC", "سورية", "ar")]
    index = build_alias_index(base, curated)
    assert index.display[("LOC:syria", "ar")] == "سورية"
    assert index.by_alias[entity_key("سوريا", "LOC")] == ("LOC:syria", "LOC")


def test_language_picked_by_script_when_not_ar_or_en() -> None:
    text = "قال الرئيس السوري بشار الأسد"
    span = [EntitySpan(4, len(text), text[4:], "PER")]
    assert resolve_entities(text, "und", span) == resolve_entities(text, "ar", span)
    assert resolve_entities(text, "ar", span)[0].canonical_name == "بشار الأسد"


def test_no_spans_no_mentions() -> None:
    assert resolve_entities("لا شيء هنا", "ar", []) == []


def _antecedent(text: str, lang: str, role: str, spans: list[EntitySpan]) -> str | None:
    """Return the surface of the mention that the last ``role`` in ``text`` names, or None."""
    start = text.rindex(role)
    i = role_antecedent(text, lang, start, start + len(role), spans)
    return None if i is None else spans[i].text


def test_a_definite_role_names_the_organisation_or_person_introduced_before_it():
    text = ("أعلنت القيادة العامة للجيش السوري أن القوات تقدمت . وقال وزير النقل سامي داود إن الجسر جاهز ."
            " وأكدت القيادة العامة أن الهجوم انتهى . وأضاف الوزير أن الطريق فتح . وقالت الوزارة إن …")
    spans = spans_of(text, ("القيادة العامة للجيش السوري", "ORG"), ("سامي داود", "PER"))
    assert _antecedent(text, "ar", "القيادة العامة", spans) == "القيادة العامة للجيش السوري"
    assert _antecedent(text, "ar", "الوزير", spans) == "سامي داود"
    # "الوزارة" heads no organisation named before: no link rather than a guess
    assert _antecedent(text, "ar", "الوزارة", spans) is None
    text = "The Foreign Ministry said talks would resume. Defense Secretary Lloyd Austin agreed. The ministry added …"
    spans = spans_of(text, ("Foreign Ministry", "ORG"), ("Lloyd Austin", "PER"))
    assert _antecedent(text, "en", "The ministry", spans) == "Foreign Ministry"


def test_an_indefinite_role_or_a_title_of_someone_else_is_no_antecedent():
    text = "وقالت وزارة الدفاع إن الطائرات عادت . وقال مصدر في الوزارة إن …"
    spans = spans_of(text, ("وزارة الدفاع", "ORG"))
    assert _antecedent(text, "ar", "مصدر", spans) is None  # someone new
    assert _antecedent(text, "ar", "الوزارة", spans) == "وزارة الدفاع"
    # the title before كمال is the president's, not a minister's: "الوزير" is not him
    text = "وقال وزير الخارجية إن الرئيس كمال داود سيزور باريس . وأضاف الوزير أن … وقال الرئيس إن …"
    spans = spans_of(text, ("كمال داود", "PER"))
    assert _antecedent(text, "ar", "الوزير", spans) is None
    assert _antecedent(text, "ar", "الرئيس", spans) == "كمال داود"


def test_a_role_that_fits_two_parties_is_left_unlinked():
    text = ("وقال وزير الخارجية سامي داود إن المحادثات مستمرة . وقال وزير الدفاع كمال يوسف إن القوات جاهزة ."
            " وأكد الوزير أن … وأعلن الجيش السوري أن … وأعلن الجيش الروسي أن … وأضاف الجيش أن … وقال وزير الدفاع إن …")
    spans = spans_of(text, ("سامي داود", "PER"), ("كمال يوسف", "PER"), ("الجيش السوري", "ORG"),
                     ("الجيش الروسي", "ORG"))
    assert _antecedent(text, "ar", "الوزير", spans) is None
    assert _antecedent(text, "ar", "الجيش", spans) is None
    assert _antecedent(text, "ar", "وزير الدفاع", spans) == "كمال يوسف"
