"""Arabic claim speakers: the whole noun phrase the sentence gives, and who it names.

The sentences are written for these tests in the shapes of Arabic wire copy; none is from a
gold set of ``bench/data`` or from ANERcorp.
"""

from __future__ import annotations

from etl.claims import extract_claims
from etl.models import Claim, EntitySpan


def ent(text: str, surface: str, label: str, nth: int = 0) -> EntitySpan:
    """Return the EntitySpan of the ``nth`` occurrence of ``surface`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return EntitySpan(start, start + len(surface), surface, label)  # type: ignore[arg-type]


def by_cue(claims: list[Claim], cue: str) -> Claim:
    """Return the claim whose cue is ``cue``."""
    [claim] = [c for c in claims if c.cue.text == cue]
    return claim


def test_a_wa_verb_with_no_subject_after_it_is_he_said_not_the_noun_before_it():
    text = ("وأوضح رئيس بعثة الصليب الأحمر يان موريس أن الطريق إلى المدينة مغلق منذ أسبوع "
            "وقال : لم نتمكن من إيصال الأدوية .")
    claims = extract_claims(text, "ar", [])
    said = by_cue(claims, "وقال")
    # not "الطريق إلى المدينة", the subject of the reported clause before وقال
    assert said.speaker == by_cue(claims, "وأوضح").speaker
    assert said.speaker.text.endswith("يان موريس")


def test_a_name_after_a_la_genitive_of_the_title_is_the_speaker():
    text = "وكشف مدير مكتب الأمم المتحدة لشؤون اللاجئين توماس بيرغ بدوره أن المخيم استقبل ألف عائلة ."
    [claim] = extract_claims(text, "ar", [])
    assert claim.cue.text == "وكشف"
    assert claim.speaker.text == "توماس بيرغ"
    assert claim.content.text.startswith("المخيم استقبل")
    text = "أكد مدرب نادي الوحدة لكرة اليد سامي داود أن الفريق جاهز للمباراة ."
    [claim] = extract_claims(text, "ar", [])
    assert claim.speaker.text == "سامي داود"


def test_kana_inside_a_clause_gives_the_subject_of_the_pluperfect_verb():
    text = ("وسيؤخر الخلاف افتتاح الجسر الذي كان وزير النقل سامي داود قال إنه سيفتح في الربيع .\n"
            "وتأجل الموعد الذي كانت الوزارة قد أعلنت أنه نهائي .")
    claims = extract_claims(text, "ar", [])
    assert by_cue(claims, "قال").speaker.text == "وزير النقل سامي داود"
    assert by_cue(claims, "أعلنت").speaker.text == "الوزارة"


def test_an_organisation_or_place_inside_a_role_phrase_keeps_the_whole_phrase():
    text = "وقال مصدر عسكري في وزارة الدفاع إن الطائرات عادت إلى قواعدها ."
    [claim] = extract_claims(text, "ar", [ent(text, "وزارة الدفاع", "ORG")])
    assert (claim.speaker.text, claim.speaker_label) == ("مصدر عسكري في وزارة الدفاع", "ROLE")
    text = "وأكدت جهات سورية معارضة أن القصف طال حيين سكنيين ."
    [claim] = extract_claims(text, "ar", [ent(text, "سورية", "LOC")])
    assert (claim.speaker.text, claim.speaker_label) == ("جهات سورية معارضة", "ROLE")
    text = "وأعلن مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية أن القافلة وصلت ."
    [claim] = extract_claims(text, "ar", [ent(text, "الأمم المتحدة", "ORG")])
    assert claim.speaker.text == "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية"


def test_the_organisation_that_opens_or_closes_its_description_is_the_speaker():
    text = "وذكرت وكالة الأنباء الفلسطينية الرسمية \"وفا\" أن المعبر فتح صباحا ."
    [claim] = extract_claims(text, "ar", [ent(text, "وفا", "ORG")])
    assert (claim.speaker.text, claim.speaker_label) == ("وفا", "ORG")
    text = "وقالت وزارة الصحة الفلسطينية إن المستشفى يعمل بطاقة محدودة ."
    [claim] = extract_claims(text, "ar", [ent(text, "وزارة الصحة", "ORG")])
    assert (claim.speaker.text, claim.speaker_label) == ("وزارة الصحة", "ORG")
    # a person in the phrase speaks by name (the apposition rule)
    text = "وقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن موسكو سترد ."
    [claim] = extract_claims(text, "ar", [ent(text, "الخارجية الروسية", "ORG"), ent(text, "ماريا زاخاروفا", "PER")])
    assert (claim.speaker.text, claim.speaker_label) == ("ماريا زاخاروفا", "PER")
