"""Build the bundled sample site (feeds + article pages) from the corpus folder (NEWSETL_DATA_DIR).

Run once by a developer (``python -m etl.samples.build``); the output under
``etl/samples/site`` is committed so the demo and tests need nothing else. Feeds contain the
placeholder ``{{BASE}}``, replaced by the sample server with its own address.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from etl.settings import data_dir

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"

PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="{charset}">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{{{{BASE}}}}/{path}">
</head>
<body>
<header><nav><a href="/">{home}</a> | <a href="/syria">{nav1}</a> | <a href="/world">{nav2}</a></nav>
<div class="cookie-banner">{cookie}</div></header>
<main>
<article>
<h1>{title}</h1>
<div class="byline">{byline} — <time datetime="{date}">{date}</time></div>
{paragraphs}
</article>
<aside class="read-also"><h3>{also}</h3><ul><li><a href="/a1">{also1}</a></li><li><a href="/a2">{also2}</a></li></ul></aside>
<section class="comments"><h3>{comments}</h3><p>{comment1}</p></section>
</main>
<footer>© {site} — {rights}</footer>
</body>
</html>
"""

AR_CHROME = dict(lang="ar", dir="rtl", home="الرئيسية", nav1="سوريا", nav2="العالم",
                 cookie="نستخدم ملفات تعريف الارتباط لتحسين تجربتك. موافق",
                 also="اقرأ أيضا", also1="أسعار النفط ترتفع مع تراجع المخزونات الأمريكية",
                 also2="منتخب مصر يتأهل إلى نهائي البطولة", comments="التعليقات",
                 comment1="تعليق من قارئ: شكرا على التغطية", rights="جميع الحقوق محفوظة")
EN_CHROME = dict(lang="en", dir="ltr", home="Home", nav1="Middle East", nav2="World",
                 cookie="We use cookies to improve your experience. Accept",
                 also="Read also", also1="Oil prices rise as US stocks fall",
                 also2="Egypt reach the final", comments="Comments",
                 comment1="Reader comment: thanks for the coverage", rights="All rights reserved")


def page(*, title: str, paragraphs: list[str], site: str, path: str, date: str, byline: str,
         chrome: dict[str, str], charset: str = "utf-8") -> str:
    """Return a news page with navigation, a cookie banner, read-also box and comments."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return PAGE.format(title=html.escape(title), paragraphs=body, site=site, path=path, date=date,
                       byline=byline, charset=charset, **chrome)


def item(*, title: str, link: str, guid: str, date: str, summary: str) -> str:
    """Return one RSS 2.0 item."""
    return (f"<item><title>{html.escape(title)}</title><link>{{{{BASE}}}}/{link}</link>"
            f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{date}</pubDate>"
            f"<description>{html.escape(summary)}</description></item>")


def rss(*, title: str, link: str, lang: str, items: list[str], encoding: str = "utf-8") -> str:
    """Return an RSS 2.0 document."""
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
            f"<title>{html.escape(title)}</title><link>{{{{BASE}}}}/{link}</link>"
            f"<language>{lang}</language>{''.join(items)}</channel></rss>\n")


def anercorp_articles(data: Path, n: int, sentences_each: int) -> list[list[str]]:
    """Return ``n`` short Arabic news texts detokenised from ANERcorp sentences."""
    raw = (data / "ner/ar/ANERCorp_CamelLab_train.txt").read_text(encoding="utf-8")
    sentences = []
    for block in raw.split("\n\n"):
        tokens = [line.rsplit(" ", 1)[0] for line in block.splitlines() if line.strip()]
        text = " ".join(tokens)
        text = re.sub(r" ([.,،:؛؟!)])", r"\1", text).replace("( ", "(")
        if 12 <= len(tokens) <= 60:
            sentences.append(text)
    picks = []
    for k in range(n):
        start = 400 + k * 97
        picks.append(sentences[start:start + sentences_each])
    return picks


def main() -> None:
    DATA = data_dir(os.environ)  # noqa: N806 - the corpus folder, read-only
    if SITE.exists():
        shutil.rmtree(SITE)
    for sub in ("ar", "ar2", "en", "broken"):
        (SITE / sub).mkdir(parents=True)

    aleppo = (DATA / "samples/aleppo_strikes_ar.txt").read_text(encoding="utf-8").strip().splitlines()
    title, paras = aleppo[0], [p for p in aleppo[1:] if p.strip()]
    date_iso, date_rfc = "2026-11-23T08:30:00+00:00", "Mon, 23 Nov 2026 08:30:00 +0000"
    (SITE / "ar/aleppo-strikes.html").write_text(page(
        title=title, paragraphs=paras, site="وكالة الشام للأنباء", path="ar/aleppo-strikes.html",
        date=date_iso, byline="دمشق - الشام للأنباء", chrome=AR_CHROME), encoding="utf-8")
    shutil.copy(DATA / "samples/pages/arabic_article.html", SITE / "ar/cnn-syria.html")

    ar_items = [item(title=title, link="ar/aleppo-strikes.html", guid="sham-2026-11-23-aleppo",
                     date=date_rfc, summary=paras[0])]
    cnn_title = "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    ar_items.append(item(title=cnn_title, link="ar/cnn-syria.html", guid="cnn-ar-syria-clashes",
                         date="Sat, 03 Aug 2013 10:00:00 +0000",
                         summary="أكدت جهات سورية معارضة أن فصائل مسلحة تمكنت من السيطرة على مستودعات للأسلحة بريف دمشق"))
    for k, sentences in enumerate(anercorp_articles(DATA, 2, 5)):
        path = f"ar/story-{k + 1}.html"
        head = sentences[0][:70].rsplit(" ", 1)[0]
        (SITE / path).write_text(page(title=head, paragraphs=sentences, site="وكالة الشام للأنباء",
                                      path=path, date=date_iso, byline="الشام للأنباء", chrome=AR_CHROME),
                                 encoding="utf-8")
        ar_items.append(item(title=head, link=path, guid=f"sham-story-{k + 1}", date=date_rfc,
                             summary=sentences[0]))
    (SITE / "ar/feed.xml").write_text(rss(title="وكالة الشام للأنباء", link="ar/", lang="ar",
                                          items=ar_items), encoding="utf-8")

    # A second outlet republishing the same wire copy, served in windows-1256 (feed and page),
    # plus an item whose page is gone: it must still land from what the feed says.
    copy_path = "ar2/syria-russia-strikes.html"
    copy_title = "الطيران السوري والروسي يقصف مواقع المسلحين في ريف حلب"
    (SITE / copy_path).write_bytes(page(
        title=copy_title, paragraphs=paras, site="صحيفة الفرات", path=copy_path,
        date="2026-11-23T09:10:00+00:00", byline="حلب - الفرات", chrome=AR_CHROME,
        charset="windows-1256").encode("cp1256"))
    ar2_items = [
        item(title=copy_title, link=copy_path, guid="furat-991", date="Mon, 23 Nov 2026 09:10:00 +0000",
             summary=paras[0]),
        item(title="الكرملين: نواصل دعم الرئيس بشار الأسد", link="ar2/missing-page.html",
             guid="furat-992", date="Mon, 23 Nov 2026 11:00:00 +0000",
             summary="قال المتحدث باسم الرئاسة الروسية دميتري بيسكوف للصحفيين \"نواصل بالطبع دعم الرئيس بشار الأسد\"."),
    ]
    (SITE / "ar2/feed.xml").write_bytes(rss(title="صحيفة الفرات", link="ar2/", lang="ar", items=ar2_items,
                                            encoding="windows-1256").encode("cp1256"))

    en_items = []
    for name, date in (("time_001", "Tue, 17 Feb 2026 12:00:00 +0000"), ("wired_001", "Tue, 17 Feb 2026 15:00:00 +0000")):
        shutil.copy(DATA / f"samples/pages/{name}.html", SITE / f"en/{name}.html")
        gold_title = re.search(r'"title":\s*"([^"]+)"', (DATA / f"samples/pages/{name}.gold.json").read_text())
        first = (DATA / f"samples/pages/{name}.gold.txt").read_text(encoding="utf-8").strip().split("\n")[0]
        en_items.append(item(title=gold_title.group(1) if gold_title else name, link=f"en/{name}.html",
                             guid=name, date=date, summary=first[:300]))
    (SITE / "en/feed.xml").write_text(rss(title="World Desk", link="en/", lang="en", items=en_items),
                                      encoding="utf-8")
    (SITE / "broken/feed.xml").write_text(
        "<!DOCTYPE html><html><head><title>Page moved</title></head><body><h1>Our feeds moved</h1>"
        "<p>Please visit our home page.</p></body></html>\n", encoding="utf-8")


if __name__ == "__main__":
    main()
