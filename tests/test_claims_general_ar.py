"""Arabic claims: general rules found on the second dev part (``bench/data/claims_dev2_ar.jsonl``).

Each rule came from an error there and is tested here on sentences written for these tests in
the shapes of Arabic wire copy; none is from a gold set of ``bench/data`` or from ANERcorp.
"""

from __future__ import annotations

from etl.claims import extract_claims
from etl.models import Claim


def claims(text: str) -> list[Claim]:
    """Return the claims of ``text`` without entity spans (the rules alone)."""
    return extract_claims(text, "ar", [])


def rows(text: str) -> list[tuple[str, str | None, str]]:
    """Return (cue, speaker, content) of each claim of ``text``."""
    return [(c.cue.text, c.speaker.text if c.speaker else None, c.content.text) for c in claims(text)]


def test_a_cue_after_a_clause_opener_ends_the_claim_before_it():
    found = rows("وقال الوزير إن الحكومة ستخفض الضرائب ( أ ف ب ) كما دعا رئيس البرلمان النواب "
                 "إلى إقرار الموازنة .")
    assert [(cue, content) for cue, _, content in found] == [
        ("وقال", "الحكومة ستخفض الضرائب ( أ ف ب )"), ("دعا", "إقرار الموازنة")]
    found = rows("وقال المدير إن الشركة ستفتح فرعا جديدا لكنه لم يوضح موعد الافتتاح .")
    assert found[0] == ("وقال", "المدير", "الشركة ستفتح فرعا جديدا")


def test_hasab_ma_qala_is_one_attribution_phrase():
    found = rows("وارتفعت أسعار الخبز بنسبة كبيرة هذا الشهر حسب ما قال خبير اقتصادي .")
    assert found == [("حسب", "خبير اقتصادي", "وارتفعت أسعار الخبز بنسبة كبيرة هذا الشهر")]


def test_an_attribution_phrase_between_dashes_sources_the_clause_after_it():
    found = rows("وجاءت الزيارة - حسب مصادر دبلوماسية - لبحث ملف المياه بين البلدين .")
    assert found == [("حسب", "مصادر دبلوماسية", "لبحث ملف المياه بين البلدين")]


def test_no_cue_after_the_relative_ma_or_in_what_is_due_to_be_said():
    assert claims("ورفض المجلس القرار وهو ما يؤكد عمق الخلاف بين الطرفين .") == []
    assert claims("ومن المنتظر أن يعلن الوزير نتائج التحقيق في الحادث غدا .") == []


def test_a_relative_clause_after_the_subject_is_not_the_content():
    found = rows('وقال السفير الذي وصف العاصمة قبل أيام بأنها " مدينة جميلة " ، إن بلاده ستدعم الاتفاق .')
    assert [(cue, content) for cue, _, content in found] == [("وقال", "بلاده ستدعم الاتفاق")]
    [claim] = claims('وقال المدرب الذي قاد الفريق إلى الفوز في المباراة النهائية أمس " لقد قدم اللاعبون '
                     'أداء رائعا " .')
    assert (claim.content.text, claim.kind) == ("لقد قدم اللاعبون أداء رائعا", "direct")


def test_adjuncts_may_stand_between_the_subject_and_a_long_quotation():
    [claim] = claims('وقال الرئيس خلال لقائه مع وفد من رجال الأعمال في القصر " نحن نرحب بالاستثمار في '
                     'كل القطاعات " .')
    assert (claim.content.text, claim.kind) == ("نحن نرحب بالاستثمار في كل القطاعات", "direct")


def test_a_short_quotation_after_la_is_the_medium_and_its_an_no_complementizer():
    [claim] = claims('وأكد الوزير لـ " صوت الساحل " أن المفاوضات ستستأنف الأسبوع المقبل .')
    assert claim.content.text == "المفاوضات ستستأنف الأسبوع المقبل"
    [claim] = claims('وقال المتحدث للصحفيين " سنواصل العمل حتى إعادة التيار الكهربائي " .')
    assert (claim.content.text, claim.kind) == ("سنواصل العمل حتى إعادة التيار الكهربائي", "direct")


def test_ra_a_and_tawaqqa_are_claims_only_with_their_an_clause():
    assert claims("ورأى السائق الشاحنة تقترب بسرعة من المعبر .") == []
    assert claims("وتتوقع الحكومة من الشركات الالتزام بالقواعد الجديدة .") == []
    found = rows("وتوقع الخبير في حديث لوكالة الأنباء المحلية أمس بأن ترتفع الأسعار .")
    assert [(cue, content) for cue, _, content in found] == [("وتوقع", "ترتفع الأسعار")]


def test_a_titles_name_may_end_in_a_definite_family_name_or_take_a_hyphen():
    [claim] = claims("وأكد رئيس الوزراء العراقي نوري المالكي الحكومة ماضية في خطتها .")
    assert claim.speaker.text.endswith("نوري المالكي")
    [claim] = claims("وقالت وزيرة الصحة ماري - كلود بونيه إن المستشفيات مستعدة لاستقبال الجرحى .")
    assert claim.speaker.text.endswith("ماري - كلود بونيه")
    [claim] = claims("وأكدت القيادة العامة جاهزية القوات للدفاع عن المدينة .")
    assert claim.speaker.text == "القيادة العامة"  # a noun that is no known name stays the object


def test_a_subjectless_cue_takes_the_subject_of_the_opening_verb_when_it_names_someone():
    text = ("وقال وزير المالية إن العجز تراجع هذا العام . واستقبل وزير الخارجية الوفد الأوروبي في "
            "بغداد ، مشددا على أن العراق يرفض التدخل في شؤونه .")
    participle = next(c for c in claims(text) if c.cue.text == "مشددا")
    assert participle.speaker.text.startswith("وزير الخارجية")
    text = "وقال وزير المالية إن العجز تراجع هذا العام . وانتقد قرار البرلمان الأخير وقال إنه متسرع ."
    second = next(c for c in claims(text) if c.content.text == "متسرع")
    assert second.speaker.text == "وزير المالية"  # "قرار البرلمان" is what he criticised, not who spoke


def test_a_quotation_before_a_wa_cue_is_not_its_content():
    [claim] = claims('" إصلاحات عاجلة للاقتصاد " ودعا الصندوق الحكومة إلى خفض الإنفاق العام .')
    assert (claim.cue.text, claim.content.text) == ("ودعا", "خفض الإنفاق العام")


def test_an_object_clause_must_say_something():
    assert claims("وقالت الوزارة في بيان لها .") == []


def test_an_appeal_with_bi_asks_its_addressee_for_something():
    [claim] = claims("وطالبت النقابة وزارة العمل بإطلاق سراح العمال المعتقلين .")
    assert (claim.cue.text, claim.speaker.text) == ("وطالبت", "النقابة")
    assert claim.content.text == "وزارة العمل بإطلاق سراح العمال المعتقلين"
    assert claims("وطالبت النقابة وزارة العمل في اجتماع أمس .") == []  # no بـ: nothing asked for


def test_bal_opens_a_clause_so_the_words_before_it_are_no_subject():
    text = ("وقال الوزير إن الخطة جاهزة . وخالفه النائب الذي كان متحمسا للمشروع مستهينا بكلفته بل رأى "
            "أن الكلفة مقبولة .")
    claim = next(c for c in claims(text) if c.cue.text == "رأى")
    assert "متحمسا" not in (claim.speaker.text if claim.speaker else "")


def test_a_titles_name_before_whom_it_was_said_to_and_a_quotation_is_the_speaker():
    [claim] = claims('وقال السفير البرازيلي لدى الاتحاد الافريقي ماركو فرنانديز لاذاعة " صوت الساحل " : " سندرس '
                     'الاقتراح بجدية تامة " .')
    assert (claim.speaker.text, claim.content.text, claim.kind) == ("ماركو فرنانديز", "سندرس الاقتراح بجدية تامة",
                                                                    "direct")


def test_a_quotation_left_open_at_its_paragraph_end_and_closed_in_the_next_is_one_claim():
    text = ('وقالت الوزيرة إن " الحكومة ستوافق على الخطة في الأسابيع المقبلة . .\n'
            'بشرط أن تضمن الشركات حقوق العمال كاملة " .')
    [claim] = claims(text)
    assert claim.kind == "direct"
    assert claim.content.text == ("الحكومة ستوافق على الخطة في الأسابيع المقبلة . .\n"
                                  "بشرط أن تضمن الشركات حقوق العمال كاملة")
    two = claims('وقالت الوزيرة إن " الحكومة ستوافق على الخطة " .\nوأضافت أن الشركات " ملتزمة " بالقواعد .')
    assert len(two) == 2  # a closed quotation does not run on


def test_a_closing_mark_alone_on_the_next_line_gives_no_empty_claim():
    text = 'وقال المدير إن " المصنع سيفتح أبوابه في الربيع .\n" .'
    assert [c for c in claims(text) if not c.content.text.strip()] == []
    assert any("المصنع سيفتح أبوابه" in c.content.text for c in claims(text))
