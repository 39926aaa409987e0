"""Tests for etl.clean: one test per cleaning rule, language detection on real text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from etl.clean import clean_text, detect_language, normalise_language_tag

ARTICLE = (Path(__file__).parent / "fixtures" / "pages" / "aleppo_strikes_ar.txt").read_text(encoding="utf-8")
TITLE_AR = ARTICLE.split("\n", 1)[0]


# --- clean_text ---------------------------------------------------------------------


def test_clean_text_composes_to_nfc() -> None:
    decomposed = "Damas, Syrie — le pre\u0301sident"  # e + combining acute
    cleaned = clean_text(decomposed)
    assert "président" in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_composes_arabic_madda() -> None:
    assert clean_text("\u0627\u0653\u0644\u064a\u0627\u062a") == "آليات"  # alef + madda above


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u200b", "zero width space"),
        ("\ufeff", "byte order mark"),
        ("\u2060", "word joiner"),
        ("\u00ad", "soft hyphen"),
        ("\u202b", "right-to-left embedding"),
        ("\u202c", "pop directional formatting"),
        ("\u2067", "right-to-left isolate"),
        ("\u2069", "pop directional isolate"),
        ("\x07", "C0 control"),
        ("\x85", "C1 control"),
    ],
)
def test_clean_text_removes_invisible_characters(char: str, name: str) -> None:
    assert clean_text(f"حل{char}ب قال{char} المصدر") == "حلب قال المصدر", name


def test_clean_text_keeps_direction_marks_as_published() -> None:
    # Arabic publishers put an RLM after numbers and Latin names so they display in order
    marked = _marked(TITLE_AR + " 400 مسلح خلال الـ 24 ساعة (AFP)")
    assert marked.count("\u200f") == 3 and marked.count("\u200e") == 2
    assert clean_text(marked) == marked
    assert clean_text("حلب\u061c قال") == "حلب\u061c قال"  # ALM too


def test_clean_text_drops_embeddings_beside_kept_marks_and_paragraphs_of_marks_alone() -> None:
    assert clean_text("\u202bحلب\u200f\u202c قال\n\n\u200f\u200e\n\nالمصدر") == "حلب\u200f قال\n\nالمصدر"


@pytest.mark.parametrize("hidden", ["<\u200fscript>alert(1)</script>", "<scr\u200eipt>alert(1)</script>",
                                    "&\u200flt;script&gt;alert(1)&lt;/\u200fscript&gt;"])
def test_a_direction_mark_cannot_hide_markup(hidden: str) -> None:
    assert clean_text(f"{hidden}حلب\u200f") == "حلب\u200f"


def test_keys_tokens_and_analysis_are_the_same_with_or_without_direction_marks() -> None:
    from etl.arabic import normalise_arabic, normalise_key
    from etl.claims import extract_claims
    from etl.dedup import content_hash
    from etl.ner import recognise
    from etl.tokens import TOKEN, tokenise

    plain = clean_text(ARTICLE)
    marked = clean_text(_marked(ARTICLE))
    assert marked != plain and marked.count("\u200f") > 20
    assert normalise_key(marked) == normalise_key(plain) and normalise_arabic(marked) == normalise_arabic(plain)
    assert content_hash(marked) == content_hash(plain)
    assert [marked[a:b] for a, b in tokenise(marked)] == [plain[a:b] for a, b in tokenise(plain)]
    assert [m.group() for m in TOKEN.finditer(marked)] == [m.group() for m in TOKEN.finditer(plain)]
    entities = recognise(marked, "ar")
    assert [e.text for e in entities] == [e.text for e in recognise(plain, "ar")] and entities
    claims = extract_claims(marked, "ar", entities)
    assert len(claims) >= 5
    assert ([(c.speaker and c.speaker.text, re.sub("[\u200e\u200f]", "", c.content.text)) for c in claims]
            == [(c.speaker and c.speaker.text, c.content.text) for c in extract_claims(plain, "ar", recognise(plain, "ar"))])


def _marked(text: str) -> str:
    """Return ``text`` with an RLM after every number and full stop or comma, and an LRM around every Latin
    word, as Arabic sites do."""
    text = re.sub(r"\d+|[.،]+", "\\g<0>\u200f", text)
    return re.sub(r"[A-Za-z]+", "\u200e\\g<0>\u200e", text)


def test_clean_text_keeps_persian_zwnj_between_letters() -> None:
    # می‌خواهم (I want) is spelled with a ZWNJ; removing it changes the word's shape
    assert clean_text("من می\u200cخواهم") == "من می\u200cخواهم"


def test_clean_text_drops_stray_and_repeated_joiners() -> None:
    assert clean_text("\u200cمی\u200c\u200cخواهم \u200cبروم\u200c") == "می\u200cخواهم بروم"


def test_clean_text_keeps_zwj_inside_emoji_sequence() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"صورة {family} العائلة") == f"صورة {family} العائلة"


def test_clean_text_turns_odd_spaces_into_one_space() -> None:
    spaced = "قال\u00a0المصدر\u202fإن  \t400\u2009مسلح\u3000قتلوا"
    assert clean_text(spaced) == "قال المصدر إن 400 مسلح قتلوا"


def test_clean_text_joins_soft_wrapped_lines_and_keeps_paragraphs() -> None:
    text = "  Line one\nstill one.  \r\n\r\n\n\nSecond\tparagraph.\n \n Third.\u2029Fourth."
    assert clean_text(text) == "Line one still one.\n\nSecond paragraph.\n\nThird.\n\nFourth."


def test_clean_text_keeps_diacritics_and_tatweel_as_published() -> None:
    text = "مُسلَّح عارٍ من الصحة خلال الـ 48 ساعة وشنّته"
    assert clean_text(text) == text


def test_clean_text_keeps_the_real_article_unchanged_but_for_paragraph_breaks() -> None:
    cleaned = clean_text(ARTICLE.replace("\n", "\n\n"))
    assert cleaned == "\n\n".join(line for line in ARTICLE.split("\n") if line.strip())


def test_clean_text_is_idempotent_and_handles_empty() -> None:
    messy = "\ufeff  a\u200b b \n\n\n c\u00ad d "
    assert clean_text(clean_text(messy)) == clean_text(messy) == "a b\n\nc d"
    assert clean_text("") == ""
    assert clean_text(" \n\u200b\n ") == ""


# --- detect_language --------------------------------------------------------------


def test_detect_language_on_the_arabic_article_and_its_title() -> None:
    assert detect_language(ARTICLE) == "ar"
    assert detect_language(TITLE_AR) == "ar"
    assert detect_language("غارات على حلب") == "ar"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Aleppo strikes kill 400 militants", "en"),
        ("Russia says it continues to support Syrian President Bashar al-Assad after the offensive.", "en"),
        ("Le président syrien a rencontré hier à Damas une délégation russe conduite par le ministre.", "fr"),
        ("Die syrische Armee hat gestern Stellungen in der Provinz Idlib angegriffen.", "de"),
        ("El ejército sirio bombardeó ayer posiciones rebeldes en la provincia de Alepo.", "es"),
        ("Правительство Сирии заявило вчера о новых ударах", "ru"),
        ("من می\u200cخواهم به پاکستان و چین بروم و گزارش بنویسم", "fa"),
        ("میں نے کل پاکستان کے بارے میں ایک رپورٹ پڑھی اور وہ بہت اچھی تھی", "ur"),
        ("הממשלה החליטה אתמול", "he"),
        ("叙利亚政府昨天宣布", "zh"),
        ("シリア政府は昨日発表した", "ja"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_detect_language_hint_never_overrides_a_confident_detection() -> None:
    assert detect_language(ARTICLE, hint="en") == "ar"
    assert detect_language("Russia says it continues to support the Syrian president.", hint="ar") == "en"
    # a misconfigured template (<html lang="en">) on an Arabic page: the script wins
    assert detect_language(TITLE_AR, hint="en") == "ar"


def test_detect_language_hint_breaks_ties_on_short_text() -> None:
    # two words of Arabic script could be Persian: the page's own lang decides
    assert detect_language("غارات على حلب", hint="fa-IR") == "fa"
    # "Aleppo strikes" is weak evidence for English; a close second named by the hint wins
    assert detect_language("Aleppo strikes", hint="id") == "id"
    assert detect_language("Aleppo strikes") == "en"


def test_detect_language_without_letters_is_none() -> None:
    assert detect_language("") is None
    assert detect_language("123 456 — 2024", hint="ar") is None


@pytest.mark.parametrize(
    ("tag", "code"),
    [("ar", "ar"), ("ar-SA", "ar"), ("en_US", "en"), (" EN-gb ", "en"), ("", None), (None, None), ("arabic", None)],
)
def test_normalise_language_tag(tag: str | None, code: str | None) -> None:
    assert normalise_language_tag(tag) == code
