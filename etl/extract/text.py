"""Find an article page's main text, or say why the page has none.

trafilatura first, and only when its result fails a measured quality test
(``first_result_problem``: too short, a truncated copy of the site's JSON-LD ``articleBody``, or
far shorter than the page's densest block of paragraphs) the fallbacks: the JSON-LD body,
trafilatura in balanced mode, the densest block of <p>. Then the related-links, comment-policy and
share tails trafilatura keeps are trimmed, and index pages, cookie walls and stubs are refused
(``""`` with a ``problem``) instead of passing their teasers on as an article.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt

from etl.clean import clean_text

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")  # what counts as a word for length thresholds

# A paragraph that opens a related-links / recommendations block: it and the list or
# short teaser lines after it are dropped.
_RELATED_HEADING = re.compile(
    r"^(?:(?:read|see|watch) (?:more|also|next)|related(?: \w+)?|more (?:must-reads|stories|"
    r"from|on|in)\b.*|(?:you )?(?:might|may) (?:also )?(?:like|be interested).*|recommended(?: \w+)?|"
    r"most (?:read|popular|viewed)|trending(?: now)?|top stories|"
    r"[اإ]قرأ (?:أيض|ايض|المزيد)\S*|(?:مواضيع|أخبار|اخبار|مقالات|موضوعات) (?:ذات صلة|متعلقة|مشابهة)|"
    r"الأكثر (?:قراءة|مشاهدة)|(?:شاهد|طالع) (?:أيض|ايض)\S*|المزيد من .*)[:：]?$",
    re.I,
)
# Paragraphs that are never article text: cross-links to other stories ("Read more: <other
# headline>" — a headline of another story must not reach claim extraction), comment
# policies, newsletter and share prompts, copyright lines, "Write to ... at" footers.
_BOILERPLATE = re.compile(
    r"^(?:(?:read|see|watch) (?:more|also)\s*[:：-]\s*\S.{0,200}|"
    r"(?:[اإ]قرأ|شاهد|طالع) (?:أيض|ايض|المزيد)\S*\s*[:：-]\s*\S.{0,200}|write to .{3,80} at \S+@\S+|contact (?:us|the author) at .*|advertisement|"
    r"(?:share|tweet|print|email)(?: this)?(?: article| story)?|all rights reserved.*|©.*|copyright .*|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,60}newsletter.*|"
    r"إعلان|اعلان|جميع الحقوق محفوظة.*|شارك(?: المقال| الخبر)?|"
    r"الآراء الواردة .{0,40}لا تعبر عن .*|ترحب .{0,30}بالنقاش .*|"
    r".{0,200}\b(?:comments? (?:are|is) moderated|comment policy|community guidelines)\b.{0,200})$",
    re.I,
)
# Cookie/consent-wall vocabulary ("consent" alone is not enough: legal news uses it).
_COOKIE = re.compile(
    r"\bcookies?\b|\bconsent (?:settings|preferences|manager)\b|\bmanage consent\b|"
    r"\bprivacy (?:policy|settings)\b|\baccept all\b|\bmanage (?:preferences|options)\b|"
    r"ملفات تعريف الارتباط|الكوكيز|سياسة الخصوصية",
    re.I,
)
_COOKIE_WALL_MAX_WORDS = 400  # a consent wall is short; a long text mentioning cookies is an article
_LIST_ITEM = re.compile(r"^[-•*]\s")
_SENTENCE_ENDS = (".", "!", "?", "؟", "…", '"', "”", "»", "»", ")")
_MIN_WORDS = 20  # an article shorter than this is a stub, a teaser or a caption
_PROSE_WORDS = 15  # a paragraph of prose, as opposed to a headline or teaser line


def _words(text: str) -> int:
    """Return the number of words in ``text``."""
    return len(_WORD.findall(text))


def _is_teaser(paragraph: str) -> bool:
    """Return True for a headline-like line: short and not ending a sentence."""
    return _words(paragraph) < _PROSE_WORDS and not paragraph.rstrip().endswith(_SENTENCE_ENDS)


def trim_boilerplate(paragraphs: list[str]) -> list[str]:
    """Return ``paragraphs`` without related-links blocks and policy/share/copyright lines."""
    kept: list[str] = []
    in_related = False
    for paragraph in paragraphs:
        if _RELATED_HEADING.match(paragraph):
            in_related = True
            continue
        if in_related and (_LIST_ITEM.match(paragraph) or _is_teaser(paragraph)):
            continue
        in_related = False
        if len(paragraph) < 500 and _BOILERPLATE.match(paragraph):
            continue
        kept.append(paragraph)
    return kept


# trafilatura drops every character str.isprintable() refuses, and with them the invisible
# characters that are published text: ZWNJ and ZWJ (Persian orthography, emoji) and the direction
# marks LRM, RLM and ALM (etl.clean keeps them). They cross it as printable stand-ins (Linear B
# syllables, a script no news page is written in) and are put back in its paragraphs.
_KEPT_INVISIBLE = "\u200c\u200d\u200e\u200f\u061c"
_STAND_INS = "".join(chr(0x10000 + i) for i in range(len(_KEPT_INVISIBLE)))
_TO_STAND_INS = str.maketrans(_KEPT_INVISIBLE, _STAND_INS)
_FROM_STAND_INS = str.maketrans(_STAND_INS, _KEPT_INVISIBLE)
_HAS_KEPT_INVISIBLE = re.compile(f"[{_KEPT_INVISIBLE}]")
_HAS_STAND_IN = re.compile(f"[{_STAND_INS}]")


def protect_invisible(tree: HtmlElement) -> HtmlElement | None:
    """Return a copy of ``tree`` with its kept invisible characters as stand-ins, or None when it has none
    (or already holds a stand-in, when they could not be told apart). Texts, tails and the
    ``content`` of meta tags (og:title) are translated; ``restore_invisible`` undoes it."""
    texts = [t for el in tree.iter() for t in (el.text, el.tail, _meta_content(el)) if isinstance(t, str)]
    joined = "".join(texts)
    if not _HAS_KEPT_INVISIBLE.search(joined) or _HAS_STAND_IN.search(joined):
        return None
    copy = deepcopy(tree)
    for el in copy.iter():
        if isinstance(el.text, str):
            el.text = el.text.translate(_TO_STAND_INS)
        if isinstance(el.tail, str):
            el.tail = el.tail.translate(_TO_STAND_INS)
        if _meta_content(el) is not None:
            el.set("content", el.get("content").translate(_TO_STAND_INS))
    return copy


def restore_invisible(text: str | None) -> str | None:
    """Return ``text`` (out of trafilatura, from a ``protect_invisible`` tree) with its invisible characters back."""
    return text.translate(_FROM_STAND_INS) if text is not None else None


def _meta_content(el: HtmlElement) -> str | None:
    """Return the ``content`` attribute of a meta tag, else None."""
    return el.get("content") if el.tag == "meta" else None


def _trafilatura_paragraphs(tree: HtmlElement, url: str, *, precision: bool,
                            protected: HtmlElement | None | bool = True) -> tuple[list[str], float]:
    """Return trafilatura's paragraphs and the share of their characters inside links.

    ``protected`` is ``protect_invisible(tree)`` when the caller already made it (None: the page
    has no invisible characters to keep); True makes it here.
    """
    if protected is True:
        protected = protect_invisible(tree)
    paragraphs, link_share = _bare_paragraphs(protected if protected is not None else tree, url, precision=precision)
    if protected is not None:
        paragraphs = [restore_invisible(p) for p in paragraphs]
    return paragraphs, link_share


def _bare_paragraphs(tree: HtmlElement, url: str, *, precision: bool) -> tuple[list[str], float]:
    """Return trafilatura's paragraphs of ``tree`` and the share of their characters inside links."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=precision,
        include_comments=False,  # comments are not the article (trafilatura's default keeps them)
        include_links=True,  # only to measure link density; the links are stripped below
        include_tables=True,
    )
    if document is None or document.body is None:
        return [], 0.0
    body = document.body
    total = len("".join(body.itertext())) or 1
    linked = sum(len("".join(ref.itertext())) for ref in body.iter("ref"))
    etree.strip_tags(body, "ref")
    return [line for line in xmltotxt(body, include_formatting=False).split("\n") if line.strip()], linked / total


def _json_ld_paragraphs(article: dict | None) -> list[str]:
    """Return the JSON-LD ``articleBody`` as paragraphs (markup stripped when sites put HTML in)."""
    body = (article or {}).get("articleBody")
    if not isinstance(body, str) or not body.strip():
        return []
    if "<" in body and ">" in body:
        from lxml.html import fragment_fromstring

        body = "\n".join(fragment_fromstring(body, create_parent="div").itertext())
    return [line for line in body.split("\n") if line.strip()]


_FURNITURE = re.compile(r"comment|cookie|consent|newsletter|related|share|footer|sidebar|menu", re.I)


def _is_page_furniture(element: HtmlElement) -> bool:
    """Return True for containers that never hold the article: nav, footer, comments ..."""
    if element.tag in ("nav", "footer", "aside", "header", "form"):
        return True
    return bool(_FURNITURE.search(f"{element.get('class', '')} {element.get('id', '')}"))


def _densest_block_paragraphs(tree: HtmlElement) -> list[str]:
    """Return the <p> texts of the element holding the most paragraph text outside links."""
    scores: dict[HtmlElement, int] = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        if parent is None or any(_is_page_furniture(a) for a in paragraph.iterancestors()):
            continue
        text = paragraph.text_content()
        linked = sum(len(a.text_content()) for a in paragraph.iter("a"))
        scores[parent] = scores.get(parent, 0) + max(0, len(text.strip()) - 2 * linked)
    if not scores:
        return []
    best = max(scores, key=scores.__getitem__)
    return [p.text_content() for p in best.iterfind("p") if p.text_content().strip()]


def has_article_markup(tree: HtmlElement, meta: dict[str, str], article: dict | None) -> bool:
    """Return True when the page says it is one article: og:type, JSON-LD, published time, one <article>."""
    return bool(
        meta.get("og:type", "").startswith("article")
        or article
        or "article:published_time" in meta
        or len(tree.xpath(".//article")) == 1
    )


def looks_like_listing(tree: HtmlElement) -> bool:
    """Return True for index/section pages: many teaser headline links.

    Teaser summaries read like prose and fool text-only checks, so the page structure
    decides: outside nav/header/footer/aside, at least 6 headings that are links, or 3+
    <article> elements. Only asked for pages without article markup.
    """
    linked_headings = tree.xpath(
        ".//*[self::h2 or self::h3 or self::h4][.//a][not(ancestor::nav or ancestor::header"
        " or ancestor::footer or ancestor::aside)]"
    )
    return len(linked_headings) >= 6 or len(tree.xpath(".//article")) >= 3


def _reads_like_a_list(paragraphs: list[str]) -> bool:
    """Return True when the text is mostly list items or headline-length lines, not prose."""
    items = sum(1 for p in paragraphs if _LIST_ITEM.match(p))
    prose = sum(1 for p in paragraphs if _words(p) >= _PROSE_WORDS and not _LIST_ITEM.match(p))
    return items > 0.6 * len(paragraphs) or (len(paragraphs) >= 6 and prose < 0.25 * len(paragraphs))


def _no_article_problem(paragraphs: list[str], link_density: float, page_text: str, tree: HtmlElement, *,
                        is_article: bool) -> str | None:
    """Return why ``paragraphs`` are not an article (listing, cookie wall, stub), or None.

    ``is_article`` (the markup says so) disables the listing and cookie-wall verdicts: a
    short story about cookie fines is still a story.
    """
    words = sum(_words(p) for p in paragraphs)
    if not page_text.strip():
        return "empty page"
    if not is_article and looks_like_listing(tree):
        return "no article text found (page looks like an index/listing)"
    if not paragraphs:
        if _COOKIE.search(page_text) and _words(page_text) < _COOKIE_WALL_MAX_WORDS:
            return "no article text found (cookie/consent wall)"
        return "no article text found"
    cookie_words = sum(_words(p) for p in paragraphs if _COOKIE.search(p))
    if not is_article and words < _COOKIE_WALL_MAX_WORDS and cookie_words >= words / 2:
        return "no article text found (cookie/consent wall)"
    if link_density > 0.5 or (not is_article and _reads_like_a_list(paragraphs)):
        return "no article text found (page looks like an index/listing)"
    if words < _MIN_WORDS:
        return f"no article text found (only {words} words)"
    return None


# The quality test a first (trafilatura) result must pass before any fallback runs. Each
# threshold says when the result is measurably not the article:
_SHORT_VS_PAGE = 0.4  # fewer words than this share of the page's densest block of <p> ...
_SHORT_VS_PAGE_MIN = 150  # ... when that block is a real article's length
_JSON_LD_LONGER = 1.5  # the site's articleBody this many times longer (+ 200 characters) ...
_JSON_LD_CONTAINS = 0.6  # ... and holding this share of trafilatura's words: a truncated copy
_TEASER_SHARE = 0.5  # this share of headline-like lines (names, teaser titles): related-stories blocks


def first_result_problem(paragraphs: list[str], tree: HtmlElement, json_ld: list[str]) -> str | None:
    """Return why trafilatura's paragraphs fail the quality test ("too-short", …), or None.

    A fallback only runs for a result that fails, so the usual page costs one extraction and a
    good result is never replaced by a worse one:

    - ``too-short``: under 20 words (a stub, a caption, or a page rendered by script);
    - ``boilerplate-heavy``: half or more of the lines are headline-like (teaser titles, bylines
      of other stories): trafilatura took a related-stories block for the article;
    - ``truncated-vs-json-ld``: the site's own ``articleBody`` is much longer *and* contains
      most of trafilatura's words, so trafilatura kept a part of the same text (a longer JSON-LD
      body that is another text, such as a summary of several stories, does not count);
    - ``short-vs-page``: well under half the words of the page's densest block of paragraphs.
    """
    words = sum(_words(p) for p in paragraphs)
    if words < _MIN_WORDS:
        return "too-short"
    if len(paragraphs) >= 4 and sum(map(_is_teaser, paragraphs)) >= _TEASER_SHARE * len(paragraphs):
        return "boilerplate-heavy"
    if json_ld and _chars(json_ld) > _JSON_LD_LONGER * _chars(paragraphs) + 200 and (
            _contained(paragraphs, json_ld) >= _JSON_LD_CONTAINS):
        return "truncated-vs-json-ld"
    block = sum(_words(p) for p in _densest_block_paragraphs(tree))
    if block >= _SHORT_VS_PAGE_MIN and words < _SHORT_VS_PAGE * block:
        return "short-vs-page"
    return None


def _chars(paragraphs: list[str]) -> int:
    """Return the number of characters of ``paragraphs``."""
    return sum(map(len, paragraphs))


def _contained(part: list[str], whole: list[str]) -> float:
    """Return the share of the words of ``part`` that also occur in ``whole``."""
    words = _WORD.findall(" ".join(part).casefold())
    vocabulary = set(_WORD.findall(" ".join(whole).casefold()))
    return sum(w in vocabulary for w in words) / len(words) if words else 0.0


def _extract_paragraphs(tree: HtmlElement, url: str, article: dict | None, *, precision: bool,
                        protected: HtmlElement | None | bool = True) -> tuple[list[str], str, float]:
    """Return (paragraphs, extractor name, link density) from the best extractor for this page.

    trafilatura first. Only when its result fails ``first_result_problem`` do the fallbacks
    run, in order: the site's JSON-LD ``articleBody`` when trafilatura kept a truncated copy
    of it; trafilatura in balanced mode when precision mode kept too little; the densest block
    of <p> when nothing else gave an article's length.
    """
    paragraphs, link_density = _trafilatura_paragraphs(tree, url, precision=precision, protected=protected)
    paragraphs = trim_boilerplate(paragraphs)
    from_json_ld = trim_boilerplate(_json_ld_paragraphs(article))
    problem = first_result_problem(paragraphs, tree, from_json_ld)
    if problem is None:
        return paragraphs, "trafilatura", link_density
    log.debug("trafilatura result fails the quality test (%s) for %s", problem, url)
    if from_json_ld and _chars(from_json_ld) > _JSON_LD_LONGER * _chars(paragraphs) + 200:
        return from_json_ld, "fallback-jsonld", 0.0
    if precision:
        balanced, balanced_density = _trafilatura_paragraphs(tree, url, precision=False, protected=protected)
        balanced = trim_boilerplate(balanced)
        if sum(_words(p) for p in balanced) > sum(_words(p) for p in paragraphs):
            paragraphs, link_density = balanced, balanced_density
    if sum(_words(p) for p in paragraphs) >= _MIN_WORDS:
        return paragraphs, "trafilatura", link_density
    densest = trim_boilerplate(_densest_block_paragraphs(tree))
    if sum(_words(p) for p in densest) > sum(_words(p) for p in paragraphs):
        return densest, "fallback-densest-block", 0.0
    return paragraphs, "trafilatura", link_density


def _drop_leading_title(paragraphs: list[str], title: str | None) -> list[str]:
    """Return ``paragraphs`` without a first line that repeats the headline (the <h1>)."""
    if title and paragraphs and _WORD.findall(paragraphs[0].casefold()) == _WORD.findall(title.casefold()):
        return paragraphs[1:]
    return paragraphs


def extract_text(
    tree: HtmlElement, url: str, meta: dict[str, str], article: dict | None, title: str | None, *, precision: bool,
    protected: HtmlElement | None | bool = True,
) -> tuple[str, str, str | None]:
    """Return (cleaned text, extractor, problem); text is "" and extractor "none" when there is a problem.

    ``protected``: the caller's ``protect_invisible(tree)``, so a page is scanned and copied once.
    """
    paragraphs, extractor, link_density = _extract_paragraphs(tree, url, article, precision=precision,
                                                              protected=protected)
    paragraphs = _drop_leading_title(paragraphs, title)
    body = tree.find("body")
    page_text = body.text_content() if body is not None else tree.text_content()
    is_article = has_article_markup(tree, meta, article)
    if problem := _no_article_problem(paragraphs, link_density, page_text, tree, is_article=is_article):
        return "", "none", problem
    return clean_text("\n\n".join(paragraphs)), extractor, None
