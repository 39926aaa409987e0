"""Titles and offices that stand before names: the one home of these lists.

Each list serves one decision, and they differ on purpose:

* ``TITLES_AR`` / ``TITLES_EN`` — words stripped from the front of a PER mention to key it
  (الرئيس السوري بشار الأسد and بشار الأسد are one person; Syrian President Assad and Assad too).
  Arabic words are in ``normalise_arabic`` form.
* ``ROLE_TITLES_EN`` — offices the English recogniser cuts off a PER span, as CoNLL annotates
  ("President [Bashar al-Assad]"); honorifics the English corpora keep inside names (Sheikh
  Bahai, King Arthur) are not among them.
* ``NAME_TITLES_EN`` — titles dropped from the front of a GUM/re3d mention when reading it as a
  name for training ("professor [Smith]").
* ``HONORIFICS_AR`` — titles after which a plain word is a name (الدكتور علي جمعة), as published;
  the claim rules key them themselves.
"""

from __future__ import annotations

TITLES_AR = frozenset(
    ["الرءيس", "رءيس", "الرءيسه", "رءيسه", "نايب", "ونايب", "والرءيس", "السيد", "السيده", "الشيخ", "الامير", "الملك", "الملكه", "الوزير", "وزير", "وزيره", "الوزيره", "المتحدث", "الناطق", "باسم", "الدكتور", "د", "العقيد", "اللواء", "العميد", "الجنرال", "المشير", "الفريق", "الرايد", "النقيب", "المستشار", "السفير", "الزعيم", "القايد", "المرشد", "البابا", "الامين", "العام", "مدير", "المدير", "رءيسا", "زعيم", "قايد", "الحاج", "الاستاذ", "المهندس", "الكاتب", "الصحفي", "المبعوث", "الخاص", "الرءاسه", "الخارجيه", "الدفاع", "الداخليه", "الوزراء"]
)
TITLES_EN = frozenset(
    ["president", "vice", "prime", "minister", "foreign", "defence", "defense", "interior", "secretary", "general", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "professor", "sir", "king", "queen", "prince", "princess", "sheikh", "emir", "gen", "gen.", "lt", "lt.", "col", "col.", "colonel", "major", "maj.", "sgt", "sgt.", "captain", "capt.", "admiral", "senator", "sen.", "rep.", "gov.", "governor", "chancellor", "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "leader", "commander", "chief", "pope", "kremlin", "state", "special"]
)
ROLE_TITLES_EN = frozenset(
    ["president", "minister", "spokesman", "spokeswoman", "secretary", "senator", "sen", "governor", "gov", "chancellor", "premier", "leader", "commander", "general", "gen", "col", "colonel", "lt", "sgt", "rep"]
)
NAME_TITLES_EN = frozenset(
    ["professor", "prof.", "dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "president", "sir", "king", "queen", "saint", "st.", "general", "senator", "pope", "lord"]
)
HONORIFICS_AR = ["الدكتور", "الشيخ", "العقيد", "النقيب", "اللواء", "العميد", "الجنرال", "المقدم", "الرائد", "السيد", "السيدة", "الأمير", "الملك", "الرئيس", "الوزير", "السفير", "القاضي", "المستشار", "الأستاذ", "البروفيسور"]
