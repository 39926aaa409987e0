"""Tests for etl.extract: encodings, extraction, no-article pages, metadata, the CLI record.

Pages live in tests/fixtures/pages (built by make_pages.py from the real Arabic wire
article) and tests/fixtures/real_pages (real TIME, WIRED and CNN Arabic pages with gold
text, from the newspaper4k test data).
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl.errors import PermanentError
from etl.extract import (
    EXTRACTOR_VERSION,
    ExtractedPage,
    declared_encodings,
    decode_html,
    extract_article,
    extract_record,
    mojibake_score,
    parse_arabic_date,
    parse_datetime,
    repair_mojibake,
    trim_boilerplate,
)

PAGES = Path(__file__).parent / "fixtures" / "pages"
SAMPLES = Path(__file__).parent / "fixtures" / "real_pages"  # gold text and metadata
# The pages themselves are the bundled sample site's copies (etl/samples/build.py copies them).
_SITE = Path(__file__).resolve().parent.parent / "etl" / "samples" / "site"
PAGE_HTML = {"arabic_article": _SITE / "ar" / "cnn-syria.html", "time_001": _SITE / "en" / "time_001.html",
             "wired_001": _SITE / "en" / "wired_001.html"}
URL = "https://news.example.sy/2024/12/02/aleppo-strikes.html"
ARTICLE = (PAGES / "aleppo_strikes_ar.txt").read_text(encoding="utf-8").strip().split("\n")
TITLE = ARTICLE[0]
GOLD_AR = (PAGES / "ar_cp1256_meta.gold.txt").read_text(encoding="utf-8")
MOJIBAKE = "ÇáÓæÑí"  # السوري in windows-1256 bytes read as Latin-1


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def f1(predicted: str, gold: str) -> float:
    """Token F1 as bench/eval_extract.py computes it."""
    p, g = (Counter(t for t in re.split(r"[\W_]+", unicodedata.normalize("NFC", s)) if t) for s in (predicted, gold))
    overlap = sum((p & g).values())
    return 2 * overlap / (sum(p.values()) + sum(g.values())) if overlap else 0.0


# --- decode_html --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("ar_cp1256_meta.html", None),  # labelled correctly in <meta http-equiv>
        ("ar_cp1256_meta.html", "text/html; charset=windows-1256"),
        ("ar_cp1256_nocharset.html", None),  # no label anywhere
        ("ar_cp1256_nocharset.html", "text/html"),
        ("ar_cp1256_nocharset.html", "text/html; charset=utf-8"),  # the header lies
        ("ar_cp1256_nocharset.html", "text/html; charset=ISO-8859-1"),  # the header lies
        ("ar_cp1256_as_latin1.html", None),  # <meta charset=iso-8859-1> lies
        ("ar_cp1256_meta.html", "text/html; charset=utf-8"),  # header and meta disagree
        ("ar_iso8859_6.html", None),
        ("ar_iso8859_6.html", "text/html; charset=iso-8859-6"),
        ("ar_utf16.html", None),  # BOM
        ("ar_utf16le_nobom.html", None),
        ("ar_utf16le_nobom.html", "text/html; charset=utf-8"),
    ],
)
def test_decode_html_recovers_arabic_whatever_the_labels_say(name: str, content_type: str | None) -> None:
    html = decode_html(page(name), content_type)
    assert TITLE in html
    assert ARTICLE[5] in html
    assert MOJIBAKE not in html
    assert "\ufffd" not in html


def test_decode_html_unlabelled_iso8859_6_is_not_read_as_windows_1256() -> None:
    raw = page("ar_iso8859_6.html").replace(b'<meta charset="iso-8859-6">', b"")
    assert TITLE in decode_html(raw)


def test_decode_html_bom_wins_over_labels() -> None:
    # UTF-16: only the byte-order mark can say so (the labels say otherwise, UTF-8 fails).
    raw = "<html><head><meta charset='windows-1256'></head><body>حلب</body></html>".encode("utf-16")
    html = decode_html(raw, "text/html; charset=iso-8859-1")
    assert html.startswith("<html>") and html.endswith("حلب</body></html>")


def test_decode_html_reads_xml_declaration() -> None:
    raw = '<?xml version="1.0" encoding="windows-1256"?><html><body><p>غارات على حلب</p></body></html>'.encode("cp1256")
    assert declared_encodings(raw) == ["cp1256"]
    assert "غارات على حلب" in decode_html(raw)


def test_decode_html_trusts_valid_utf8_over_a_wrong_label() -> None:
    raw = "<meta charset='windows-1256'><p>غارات على حلب — Peskov</p>".encode()
    assert "غارات على حلب — Peskov" in decode_html(raw, "text/html; charset=iso-8859-1")


def test_decode_html_keeps_latin1_french_as_french() -> None:
    french = "<p>Le président a déclaré à l'AFP que l'ÉCOLE était fermée. Élections prévues en été.</p>"
    raw = french.encode("cp1252")
    assert decode_html(raw, "text/html; charset=iso-8859-1") == french
    assert decode_html(raw) == french


def test_decode_html_mostly_utf8_with_a_broken_byte_keeps_the_text() -> None:
    raw = f"<meta charset='utf-8'><p>{ARTICLE[2]}</p>".encode() + b"\xff<p>end</p>"
    html = decode_html(raw)
    assert ARTICLE[2] in html and html.count("\ufffd") == 1


@pytest.mark.parametrize("raw", [b"%PDF-1.7\n%\xe2\xe3", b"\x89PNG\r\n\x1a\n\x00\x00", b"\x1f\x8b\x08\x00\x00"])
def test_decode_html_refuses_binary_bodies(raw: bytes) -> None:
    with pytest.raises(PermanentError, match="undecodable"):
        decode_html(raw)


def test_mojibake_score_and_repair() -> None:
    assert mojibake_score(GOLD_AR) == 0.0
    assert mojibake_score("Le président à l'école") == 0.0
    latin1 = GOLD_AR.encode("cp1256").decode("latin-1")
    assert mojibake_score(latin1) > 0.5
    assert repair_mojibake(latin1) == GOLD_AR
    double = GOLD_AR.encode("utf-8").decode("cp1252", errors="ignore")
    assert mojibake_score(double) > 0.5
    assert repair_mojibake("Le président à l'école") == "Le président à l'école"


# --- extract_article: the Arabic fixture pages ----------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["ar_cp1256_meta.html", "ar_cp1256_nocharset.html", "ar_cp1256_as_latin1.html", "ar_iso8859_6.html",
     "ar_utf16.html", "ar_utf16le_nobom.html"],
)  # fmt: skip
def test_extract_article_arabic_pages_give_exactly_the_article(name: str) -> None:
    result = extract_article(page(name), url=URL)
    assert result.text == GOLD_AR
    assert result.problem is None
    assert result.extractor == "trafilatura"
    assert result.language == "ar"


def test_extract_article_drops_site_clutter() -> None:
    text = extract_article(page("ar_cp1256_nocharset.html"), url=URL, content_type="text/html; charset=utf-8").text
    for clutter in ("اقرأ أيضاً", "الكرملين: نتابع الوضع", "ملفات تعريف الارتباط", "اشترك في نشرتنا",
                    "الله يحمي سوريا", "أبو محمد", "الأكثر قراءة", "جميع الحقوق محفوظة", "الرئيسية", TITLE):  # fmt: skip
        assert clutter not in text
    assert "\n\nدعم روسي\n\n" in text  # the sub-heading is part of the article


def test_extract_article_metadata_of_the_arabic_page() -> None:
    result = extract_article(page("ar_cp1256_as_latin1.html"), url="https://news.example.sy/amp/x")
    assert result.title == TITLE
    assert result.authors == ("سامر الحلبي",)
    assert result.published == datetime(2024, 12, 2, 6, 30, tzinfo=UTC)
    assert result.modified == datetime(2024, 12, 2, 8, 5, tzinfo=UTC)
    assert result.canonical_url == URL
    assert result.site_name == "أخبار المثال"
    assert result.image == "https://news.example.sy/images/aleppo.jpg"
    assert result.markup_language == "ar"
    assert result.extractor_version == EXTRACTOR_VERSION


def test_extract_article_text_is_cleaned() -> None:
    raw = page("ar_cp1256_meta.html").decode("cp1256").replace("غارات متتالية", "غارات\u200b\u200f متتالية")
    text = extract_article(raw, url=URL).text
    assert text.startswith("غارات\u200f متتالية")  # the zero-width space goes, the RLM is published text
    assert "\n\n\n" not in text and "  " not in text


def test_extract_article_keeps_joiners_and_direction_marks_trafilatura_would_drop() -> None:
    html = page("ar_cp1256_meta.html").decode("cp1256")
    html = html.replace("غارات متتالية", "غارات\u200f متتالية\u200e (می\u200cخواهم)")
    text = extract_article(html, url=URL).text
    assert text.startswith("غارات\u200f متتالية\u200e (می\u200cخواهم)")
    assert not any(0x10000 <= ord(c) < 0x10010 for c in text)  # no stand-in left behind


def test_extract_article_keeps_direction_marks_in_the_title() -> None:
    html = page("ar_cp1256_meta.html").decode("cp1256").replace("بحلب..", "بحلب\u200f..")
    result = extract_article(html, url=URL)
    assert result.title == "غارات سورية روسية على المسلحين بحلب\u200f.. وموسكو تؤكد دعمها للأسد"
    assert result.site_name == "أخبار المثال"
    assert not any(0x10000 <= ord(c) < 0x10010 for c in result.title + (result.image or ""))


def test_extract_article_accepts_str_and_repairs_mojibake() -> None:
    html = page("ar_cp1256_meta.html").decode("cp1256")
    assert extract_article(html, url=URL).text == GOLD_AR
    wrongly_decoded = page("ar_cp1256_nocharset.html").decode("latin-1")
    assert extract_article(wrongly_decoded, url=URL).text == GOLD_AR


def test_extract_article_english_page_with_boxes() -> None:
    result = extract_article(page("en_article_boxes.html"), url="https://example.com/climate/hansen")
    assert result.text == (PAGES / "en_article_boxes.gold.txt").read_text(encoding="utf-8")
    assert result.language == "en" and result.markup_language == "en"
    assert result.authors == ("Alejandro de la Garza",)
    assert result.published == datetime(2023, 11, 2, 19, 53, 52, tzinfo=UTC)


def test_extract_article_falls_back_to_json_ld_body() -> None:
    result = extract_article(page("ar_jsonld_only.html"), url=URL)
    assert result.extractor == "fallback-jsonld"
    assert result.text == GOLD_AR
    assert result.markup_language == "ar"  # from JSON-LD inLanguage
    assert result.authors == ("سامر الحلبي",)


# --- pages without an article ------------------------------------------------------------


@pytest.mark.parametrize("name", ["ar_listing.html", "ar_listing_summaries.html"])
def test_listing_page_has_no_text_and_says_why(name: str) -> None:
    result = extract_article(page(name), url="https://news.example.sy/syria/")
    assert result.text == ""
    assert result.problem == "no article text found (page looks like an index/listing)"
    assert result.extractor == "none"


def test_cookie_wall_has_no_text_and_says_why() -> None:
    result = extract_article(page("cookie_wall.html"), url="https://example.com/story")
    assert result.text == ""
    assert "cookie/consent wall" in (result.problem or "")


@pytest.mark.parametrize("raw", [b"", b"   ", page("empty.html"), b"<html><body><p>Short.</p></body></html>"])
def test_empty_and_stub_pages(raw: bytes) -> None:
    result = extract_article(raw, url="https://example.com/x")
    assert result.text == ""
    assert result.problem and result.problem.startswith(("empty page", "no article text found"))


# --- the real sample pages against their gold text ---------------------------------------

SAMPLE_NAMES = ["arabic_article", "time_001", "wired_001"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_overlap_gold(name: str) -> None:
    gold = json.loads((SAMPLES / f"{name}.gold.json").read_text(encoding="utf-8"))
    result = extract_article(PAGE_HTML[name].read_bytes(), url=gold["url"])
    assert f1(result.text, (SAMPLES / f"{name}.gold.txt").read_text(encoding="utf-8")) >= 0.97
    assert result.language == gold["language"]
    assert result.canonical_url == gold["canonical_link"]


def test_sample_metadata() -> None:
    def run(name: str) -> ExtractedPage:
        return extract_article(PAGE_HTML[name].read_bytes(), url=f"https://example.com/{name}")

    time_, wired, arabic = run("time_001"), run("wired_001"), run("arabic_article")
    assert time_.authors == ("Alejandro de la Garza",)  # as in time_001.gold.json
    assert time_.published == datetime(2023, 11, 2, 19, 53, 52, tzinfo=UTC)
    assert wired.authors == ("Tom Bennett",)  # the meta author "Condé Nast" is the publisher
    assert wired.published == datetime(2023, 11, 7, 7, 0, tzinfo=UTC)
    assert arabic.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert arabic.site_name == "CNNArabic"
    # written on the page as: الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)
    assert arabic.published == datetime(2013, 8, 28, 10, 0, tzinfo=UTC)
    assert "الآراء الواردة" not in arabic.text  # comment policy dropped


# --- dates, boilerplate, record ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-07T02:00:00.000-05:00", datetime(2023, 11, 7, 7, 0, tzinfo=UTC)),
        ("2023-11-06T13:00:15Z", datetime(2023, 11, 6, 13, 0, 15, tzinfo=UTC)),
        ("2023-11-02T19:53:52", datetime(2023, 11, 2, 19, 53, 52, tzinfo=UTC)),  # no zone: UTC
        ("2023-11-02", datetime(2023, 11, 2, tzinfo=UTC)),
        ("2023-11-02 08:15:00+03:00", datetime(2023, 11, 2, 5, 15, tzinfo=UTC)),
        ("Mon, 02 Dec 2024 09:30:00 +0300", datetime(2024, 12, 2, 6, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
        ("0001-01-01T00:00:00Z", None),
    ],
)
def test_parse_datetime(value: str | None, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", datetime(2013, 8, 28, 10, 0, tzinfo=UTC)),
        ("الاثنين ٢ كانون الأول ٢٠٢٤", datetime(2024, 12, 2, tzinfo=UTC)),
        ("نشر في 5 أكتوبر 2024 - 09:45", datetime(2024, 10, 5, 9, 45, tzinfo=UTC)),
        ("3 شتنبر 2023", datetime(2023, 9, 3, tzinfo=UTC)),
        ("منذ 3 ساعات", None),
        ("31 شباط 2024", None),
    ],
)
def test_parse_arabic_date(text: str, expected: datetime | None) -> None:
    assert parse_arabic_date(text) == expected


def test_trim_boilerplate() -> None:
    paragraphs = [
        "Prelogar told the justices the agency had been funded this way for every year of the nation’s history.",
        "Read more: A Controversial Technology Is Creating an Unprecedented Rift",
        "More Must-Reads From TIME",
        "- The Best Inventions of 2023",
        "- Is Using the Snooze Button Bad for You?",
        "Write to Alejandro de la Garza at alejandro.delagarza@time.com",
        "اقرأ أيضاً:",
        "- الكرملين: نتابع الوضع",
        "اقرأ أيضا: الجيش السوري يعزز مواقعه في ريف حماة",
        "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.",
        "وقال المتحدث باسم الرئاسة الروسية دميتري بيسكوف للصحفيين إن موسكو ستواصل دعمها.",
    ]
    assert trim_boilerplate(paragraphs) == [paragraphs[0], paragraphs[-1]]


def test_extracted_page_is_frozen_with_slots() -> None:
    result = extract_article(page("ar_cp1256_meta.html"), url=URL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = ""  # type: ignore[misc]
    assert not hasattr(result, "__dict__")
    assert EXTRACTOR_VERSION.startswith("newsetl-extract/") and "trafilatura/2." in EXTRACTOR_VERSION


def test_extract_record_shape() -> None:
    html = page("ar_cp1256_meta.html").decode("cp1256")
    record = extract_record({"id": 7, "url": URL, "html": html})
    assert list(record) == ["id", "title", "text", "published", "language", "authors"]
    assert record["id"] == 7 and record["title"] == TITLE and record["text"] == GOLD_AR
    assert record["published"] == "2024-12-02T06:30:00+00:00"
    assert record["language"] == "ar" and record["authors"] == ["سامر الحلبي"]
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record


def test_extract_record_without_article() -> None:
    record = extract_record({"id": "a1", "url": "https://news.example.sy/syria/", "html": page("ar_listing.html").decode()})
    assert record["text"] == "" and record["published"] is None and record["authors"] == []


def test_authors_come_from_a_byline_that_says_so_not_from_a_dateline() -> None:
    html = page("ar_cp1256_meta.html").decode("cp1256")
    without_json_ld = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    assert extract_article(without_json_ld, url=URL).authors == ("سامر الحلبي",)
    dateline = without_json_ld.replace(
        '<div class="byline">بقلم <span class="author">سامر الحلبي</span>',
        '<div class="byline">دمشق - الشام للأنباء',
    )
    assert extract_article(dateline, url=URL).authors == ()


@pytest.mark.parametrize(
    ("label", "codec"),
    [("windows-1256", "cp1256"), ("ISO-8859-6", "iso8859_6"), ("arabic", "iso8859_6"), ("ISO-8859-6-I", "iso8859_6"),
     ("iso-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"), ("utf-16", "utf_8"), ("x-nonsense", None)],
)  # fmt: skip
def test_declared_encodings_follow_browser_rules(label: str, codec: str | None) -> None:
    expected = [codec] if codec else []
    assert declared_encodings(b"<html>", f'text/html; charset="{label}"') == expected


def test_declared_encodings_precedence_http_then_xml_then_meta() -> None:
    raw = b'<?xml version="1.0" encoding="iso-8859-6"?><html><head><meta charset="windows-1256">'
    assert declared_encodings(raw, "text/html; charset=utf-8") == ["utf_8", "iso8859_6", "cp1256"]


def test_header_date_of_today_is_not_the_publication_date() -> None:
    html = (
        '<html><head><meta charset="utf-8"></head><body><header><div class="date">الأحد 24 تشرين الثاني 2026</div></header>'
        f'<article><h1>{TITLE}</h1><div class="post-date">2 كانون الأول 2024</div>'
        + "".join(f"<p>{p}</p>" for p in ARTICLE[1:6])
        + "</article></body></html>"
    )
    assert extract_article(html, url="https://news.example.sy/a").published == datetime(2024, 12, 2, tzinfo=UTC)


def test_densest_block_fallback_picks_the_article_paragraphs_not_comments_or_nav() -> None:
    # last resort when trafilatura returns nothing; private, so tested directly
    from lxml.html import fromstring

    from etl.extract.text import _densest_block_paragraphs

    comments = "".join(f"<p>{p} {p}</p>" for p in ARTICLE[6:9])  # longer than the article
    html = (
        f"<html><body><nav><p>{ARTICLE[2]}</p></nav><div class='story'>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE[1:5])
        + f"<p><a href='/x'>{ARTICLE[8]}</a></p></div><div id='comments'>{comments}</div></body></html>"
    )
    assert _densest_block_paragraphs(fromstring(html)) == [*ARTICLE[1:5], ARTICLE[8]]


def test_an_article_about_cookies_is_still_an_article() -> None:
    paragraphs = [
        "Regulators fined the company for setting tracking cookies before visitors could accept all or manage their consent settings.",
        "The privacy policy of the site said cookies were needed, but the court found that the consent banner was misleading.",
        "Lawyers for the company said they would appeal, arguing that the cookies were strictly necessary for the service.",
    ]
    html = "<html><head><meta charset='utf-8'><meta property='og:type' content='article'></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in paragraphs
    ) + "</article></body></html>"
    result = extract_article(html, url="https://example.com/cookies-fine")
    assert result.problem is None and result.text == "\n\n".join(paragraphs)


def test_a_listicle_article_is_not_a_listing() -> None:
    items = "".join(f"<li>{p}</li>" for p in ARTICLE[2:9])
    html = (f"<html><head><meta charset='utf-8'><meta property='og:type' content='article'></head><body>"
            f"<article><h1>{TITLE}</h1><p>{ARTICLE[1]}</p><ul>{items}</ul></article></body></html>")
    result = extract_article(html, url="https://news.example.sy/five-things")
    assert result.problem is None and ARTICLE[8] in result.text


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Analysis: The nonstop sparring match | CNN Politics", "CNN", "Analysis: The nonstop sparring match"),
        ("معارضون يسيطرون على مخازن للصواريخ بريف دمشق - CNNArabic.com", "CNNArabic", "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"),
        ("Russia - Syria talks resume", "CNN", "Russia - Syria talks resume"),
        ("Peace talks: Geneva", "Geneva Times", "Peace talks: Geneva"),
        ("TIME", "TIME", "TIME"),
    ],
)
def test_site_name_suffix_is_stripped_from_titles(title: str, site: str, expected: str) -> None:
    from etl.extract.metadata import _strip_site_suffix

    assert _strip_site_suffix(title, site) == expected


# --- the quality test that decides whether a fallback runs -------------------------------


def _real(name: str) -> tuple[bytes, str, str]:
    """Return (page bytes, URL, gold text) of one real sample page."""
    gold = json.loads((SAMPLES / f"{name}.gold.json").read_text(encoding="utf-8"))
    return PAGE_HTML[name].read_bytes(), gold["url"], (SAMPLES / f"{name}.gold.txt").read_text(encoding="utf-8")


def _without_article_paragraphs(raw: bytes, gold: str) -> bytes:
    """Return the page with every <p> of the article removed, as a script-rendered page is served."""
    from lxml.html import fromstring, tostring

    tree = fromstring(raw)
    for p in list(tree.iter("p")):
        text = " ".join(p.text_content().split())
        if len(text) > 40 and text[:40] in " ".join(gold.split()):
            p.drop_tree()
    return tostring(tree)


def test_a_good_trafilatura_result_runs_no_fallback() -> None:
    # WIRED's real page carries a JSON-LD articleBody too: trafilatura's text passes, so it stays
    from lxml.html import fromstring

    from etl.extract.metadata import find_main_article
    from etl.extract.text import _json_ld_paragraphs, _trafilatura_paragraphs, first_result_problem

    raw, url, gold = _real("wired_001")
    result = extract_article(raw, url=url)
    assert result.extractor == "trafilatura"
    assert f1(result.text, gold) >= 0.97
    tree = fromstring(raw)
    paragraphs = trim_boilerplate(_trafilatura_paragraphs(tree, url, precision=True)[0])
    json_ld = _json_ld_paragraphs(find_main_article(tree, {url}))
    assert json_ld and first_result_problem(paragraphs, tree, json_ld) is None


def test_a_failed_trafilatura_result_falls_back_to_the_sites_json_ld() -> None:
    # the same real page with its article paragraphs missing from the HTML (rendered by script)
    raw, url, gold = _real("wired_001")
    result = extract_article(_without_article_paragraphs(raw, gold), url=url)
    assert result.extractor == "fallback-jsonld"
    assert f1(result.text, gold) >= 0.9


def test_a_longer_json_ld_body_that_is_another_text_does_not_replace_a_good_result() -> None:
    # the real CNN Arabic page, given a JSON-LD body three times longer that is not its article
    raw, url, gold = _real("arabic_article")
    other = (SAMPLES / "time_001.gold.txt").read_text(encoding="utf-8")
    ld = json.dumps({"@type": "NewsArticle", "url": url, "articleBody": other}, ensure_ascii=False)
    raw = raw.replace(b"</head>", f'<script type="application/ld+json">{ld}</script></head>'.encode(), 1)
    result = extract_article(raw, url=url)
    assert result.extractor == "trafilatura"
    assert f1(result.text, gold) >= 0.97


def test_a_result_far_shorter_than_the_pages_paragraphs_fails_the_test() -> None:
    from lxml.html import fromstring

    from etl.extract.text import first_result_problem

    raw, _, gold = _real("arabic_article")
    tree = fromstring(raw)
    paragraphs = [p for p in gold.split("\n") if p.strip()]
    assert first_result_problem(paragraphs, tree, []) is None
    assert first_result_problem(paragraphs[:2], tree, []) == "short-vs-page"
    assert first_result_problem(["قصير جدا"], tree, []) == "too-short"
