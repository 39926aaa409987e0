"""Numbers inside claims: digits in both scripts, number words, hedges, what is counted."""

from __future__ import annotations

import pytest

from etl.quantities import extract_quantities


def quantities(text: str, lang: str = "ar") -> list[tuple]:
    """Return (text, value, category, qualifier, object) for each number in ``text``."""
    found = extract_quantities(text, 0, len(text), lang)
    for q in found:
        assert text[q.start:q.end] == q.text
    return [(q.text, q.value, q.category, q.qualifier, q.object) for q in found]


def test_ascii_digits_with_qualifier_and_killed_context():
    text = ("وأدت الضربات إلى القضاء على ما يزيد عن 400 مسلح من بينهم أشخاص يحملون جنسيات أجنبية")
    assert quantities(text) == [("ما يزيد عن 400", 400.0, "killed", "more than", "مسلح")]


def test_eastern_arabic_digits_and_clitic_waw():
    text = "مقتل ٤٠٠ مسلح على الأقل و٥ جرحى"
    assert quantities(text) == [
        ("٤٠٠", 400.0, "killed", "at least", "مسلح"),
        ("٥", 5.0, "wounded", None, "جرحى"),
    ]


def test_destroyed_list_shares_its_verb():
    text = "ما أسفر عن تدمير 5 مقرات قيادة و7 مستودعات ذخيرة وسلاح متنوع"
    assert [(v, c, o) for _, v, c, _, o in quantities(text)] == [
        (5.0, "destroyed", "مقرات"), (7.0, "destroyed", "مستودعات")]


@pytest.mark.parametrize(("text", "value"), [
    ("في ثلاث محافظات بشمال البلاد", 3.0),
    ("سيطروا على ثلاثة مستودعات للذخيرة", 3.0),
    ("اعتقال خمسة وعشرين شخصا", 25.0),
    ("لعشر سنوات أخرى", 10.0),
    ("twenty-five people were arrested", 25.0),
    ("killed eight people", 8.0),
])
def test_number_words(text, value):
    lang = "en" if text.isascii() else "ar"
    assert quantities(text, lang)[0][1] == value


def test_vague_plurals_keep_no_figure_but_their_magnitude():
    assert quantities("موقعاً عشرات القتلى والجرحى في صفوفهم") == [
        ("عشرات", None, "killed", "tens", "القتلى"), ("عشرات", None, "wounded", "tens", "الجرحى")]
    assert quantities("dozens of people were killed and hundreds of thousands displaced", "en") == [
        ("dozens", None, "killed", "tens", "people"),
        ("hundreds of thousands", None, "displaced", "thousands", "displaced"),
    ]


@pytest.mark.parametrize(("text", "lang", "qualifier", "value"), [
    ("نحو 3 آلاف نازح", "ar", "about", 3000.0),
    ("حوالي 200 معتقل", "ar", "about", 200.0),
    ("أكثر من 30 قتيلا", "ar", "more than", 30.0),
    ("taking more than 200 hostages", "en", "more than", 200.0),
    ("at least 21 manned checkpoints", "en", "at least", 21.0),
    ("About 100 U.S. military personnel", "en", "about", 100.0),
    ("from up to 100 meters away", "en", "up to", 100.0),
])
def test_qualifiers(text, lang, qualifier, value):
    [(_, got_value, _, got_qualifier, _)] = quantities(text, lang)
    assert (got_qualifier, got_value) == (qualifier, value)


@pytest.mark.parametrize(("text", "lang", "category"), [
    ("القضاء على 400 مسلح", "ar", "killed"),
    ("مصرع ثلاثة أشخاص", "ar", "killed"),
    ("العثور على 40 جثة", "ar", "killed"),
    ("إصابة 12 مدنيا بجروح", "ar", "wounded"),
    ("اعتقال 15 شخصا", "ar", "arrested"),
    ("نزوح 3 آلاف عائلة", "ar", "displaced"),
    ("تدمير 5 دبابات", "ar", "destroyed"),
    ("رصدت الحكومة 5 ملايين دولار", "ar", "money"),
    ("more than 25 people were wounded", "en", "wounded"),
    ("police arrested 12 protesters", "en", "arrested"),
    ("pledged $5 billion toward rebuilding", "en", "money"),
    ("في ثلاث محافظات", "ar", "other"),
])
def test_categories(text, lang, category):
    assert quantities(text, lang)[0][2] == category


@pytest.mark.parametrize(("text", "lang"), [
    ("بعد أن قامت بتحريرها خلال الـ 48 ساعة الماضية", "ar"),
    ("خلال الساعات الـ 24 الماضية تواصلت الاستهدافات", "ar"),
    ("within 24 hours of the strike", "en"),
    ("In 2015, after the Paris Climate Accord", "en"),
])
def test_times_and_years_are_not_counts(text, lang):
    [(_, _, category, _, obj)] = quantities(text, lang)
    assert category == "time"
    assert obj is None


def test_multipliers_and_decimals():
    assert quantities("قتل ١٫٥ مليون شخص")[0][:3] == ("١٫٥ مليون", 1_500_000.0, "killed")
    assert quantities("murdered 1,400 people", "en")[0][:3] == ("1,400", 1400.0, "killed")
    assert quantities("spend A$3.9 billion on ships", "en")[0][1:3] == (3_900_000_000.0, "money")


def test_only_the_requested_window_with_offsets_into_the_text():
    text = "قتل 7 أشخاص. وقال المصدر إن 12 آخرين أصيبوا"
    start = text.index("إن")
    [q] = extract_quantities(text, start, len(text), "ar")
    assert (q.value, q.start, text[q.start:q.end]) == (12.0, text.index("12"), "12")


def test_no_numbers():
    assert extract_quantities("نواصل بالطبع دعم الرئيس بشار الأسد", 0, 34, "ar") == []


# --- Written sentences in the shapes of Arabic news (none is a gold sentence) ---------------------


def _vc(text: str, lang: str = "ar") -> list[tuple]:
    """Return (text, value, category, qualifier) for each number in ``text``."""
    return [q[:4] for q in quantities(text, lang)]


def test_nearest_verb_decides_the_category():
    text = "أن قوات الأمن قتلت ثلاثة واعتقلت 12 إثر مداهمة لأحد المخازن"
    assert _vc(text) == [("ثلاثة", 3.0, "killed", None), ("12", 12.0, "arrested", None)]
    text = "أنها قتلت خمسة وجرحت أربعة آخرين في السوق"
    assert _vc(text) == [("خمسة", 5.0, "killed", None), ("أربعة", 4.0, "wounded", None)]


def test_category_roots_through_clitics_and_lists():
    text = "داهمت منزل سالم علي فجرا وقتلته مع ستة من أقاربه بينهم ثلاث نساء"
    assert _vc(text) == [("ستة", 6.0, "killed", None), ("ثلاث", 3.0, "killed", None)]


def test_content_head_gives_the_category():
    text = "اعتقال زعيم عصابة التهريب في الميناء وشريك آخر له إضافة إلى 25 مشتبها به في المحافظة"
    assert ("25", 25.0, "arrested", None) in _vc(text)


def test_definite_number_word_and_dual():
    assert _vc("حزنه العميق لمقتل الصحفيين الثلاثة") == [("الثلاثة", 3.0, "killed", None)]
    assert _vc("أن تخسر الشركة حصتها في السوق في غضون عام أو عامين") == [
        ("عامين", 2.0, "time", None)]


def test_composite_numbers_hundreds_and_millions():
    assert _vc("قتل خمسة وعشرين شخصا") == [("خمسة وعشرين", 25.0, "killed", None)]
    assert _vc("سقط ثلاثمئة قتيل وخمسمائة جريح") == [
        ("ثلاثمئة", 300.0, "killed", None), ("وخمسمائة", 500.0, "wounded", None)]
    assert _vc("ارتفع عدد النازحين إلى مليون و200 ألف نازح") == [
        ("مليون و200 ألف", 1_200_000.0, "displaced", None)]


def test_ranges_are_one_quantity_with_the_lower_bound():
    assert _vc("سقط ما بين 10 و20 قتيلا") == [("بين 10 و20", 10.0, "killed", "between")]
    assert _vc("between 10 and 20 people were killed", "en") == [
        ("between 10 and 20", 10.0, "killed", "between")]


def test_money_with_currency_after_min_and_vague_chain():
    assert _vc("أن الشركة تبرعت بعشرات الآلاف من الدولارات لدعم المدارس") == [
        ("بعشرات الآلاف", None, "money", "thousands")]
    assert _vc("دفع 200 ألف ليرة سورية") == [("200 ألف", 200_000.0, "money", None)]
    assert _vc("اعتقال العشرات من المشتبه بهم") == [("العشرات", None, "arrested", "tens")]


def test_a_coordinated_casualty_noun_with_its_own_figure_is_not_the_same_count():
    text = "مصرع أربعة أشخاص بينهم طفل وإصابة ثلاثة بانفجار"
    assert _vc(text) == [("أربعة", 4.0, "killed", None), ("ثلاثة", 3.0, "wounded", None)]
    text = "مصرع أربعة أشخاص وإصابة ثلاثة آخرين"
    assert _vc(text) == [("أربعة", 4.0, "killed", None), ("ثلاثة", 3.0, "wounded", None)]
    assert [q[2] for q in _vc("سقوط عشرات القتلى والجرحى في القصف")] == ["killed", "wounded"]


def test_vague_plural_with_a_clitic():
    assert _vc("أسفر عن مقتل شخص وعدة جرحى") == [("وعدة", None, "wounded", "several")]


def test_dots_as_thousands_separators_parse():
    [q] = extract_quantities("نزح 1.428.000 شخص من المدينة", 0, 28, "ar")
    assert (q.value, q.category) == (1428000.0, "displaced")


def test_units_and_things_are_never_casualties():
    text = "قتل 30 عنصرا في الهجوم على الفوج وعدة كتائب متمركزة قربه"
    got = [(q.text, q.category) for q in extract_quantities(text, 0, len(text), "ar")]
    assert got == [("30", "killed"), ("وعدة", "other")]
    text = "The strike killed 4 soldiers and hit 12 vehicles near the bridge."
    got = [(q.value, q.category) for q in extract_quantities(text, 0, len(text), "en")]
    assert got == [(4.0, "killed"), (12.0, "other")]


def test_killed_and_wounded_gives_both():
    text = "the shelling left dozens killed and wounded in the old market"
    got = [(q.category, q.qualifier, q.object) for q in extract_quantities(text, 0, len(text), "en")]
    assert got == [("killed", "tens", "killed"), ("wounded", "tens", "wounded")]


def test_ranges_keep_both_bounds():
    text = "أسفر القصف عن مقتل ما بين 12 و15 مدنيا"
    [q] = extract_quantities(text, 0, len(text), "ar")
    assert (q.value, q.value_low, q.value_high, q.category) == (12.0, 12.0, 15.0, "killed")
    text = "between 200 and 300 people were displaced"
    [q] = extract_quantities(text, 0, len(text), "en")
    assert (q.value_low, q.value_high) == (200.0, 300.0)


def test_a_tagged_place_name_is_not_a_verb():
    text = "قصفت الطائرات محيط تدمر بعشرين صاروخا"
    at = text.index("تدمر")
    assert [q.category for q in extract_quantities(text, 0, len(text), "ar")] == ["destroyed"]
    assert [q.category for q in extract_quantities(text, 0, len(text), "ar", [(at, at + 4)])] == ["other"]
