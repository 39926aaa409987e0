"""A generated news site for the pipeline benchmark: N feeds over M hosts, pages of real-page weight.

The text is real: Arabic sentences of ANERcorp and of the Arabic sample articles, English ones
of re3d, GUM and the English sample pages (all read from the corpus folder, ``etl.settings.data_dir``),
detokenised and recombined, so every article is a new draw of 10–24 sentences of one language.
One article in ten is an exact copy of an earlier one of the same language (a wire copy on another
feed), one in ten a near copy (a sentence dropped, one added, the title reworded). Feeds
alternate languages; hosts hold every M-th feed.

Each page weighs what a news page weighs (30–100 KB): a head with inline scripts, a stylesheet
and JSON-LD, a menu of 30–60 links, the article, a "most read" box of teasers of other articles,
and a footer of links. Everything is a pure function of (seed, article number), so the server
(another process: its CPU is not the runner's) and the trafilatura baseline see the same bytes
and nothing is held in memory or on disk, whatever the night's size.

Hosts are names (``host03.bench.test``) the crawler connects to 127.0.0.1 through
``FetchSettings.connect_to``; the server tells them apart by the Host header.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from etl.settings import data_file

_TOKENS = {"ar": ["ner/ar/ANERCorp_CamelLab_train.txt"],
           "en": ["ner/en/re3d-train.conll", "ner/en/gum-train.conll"]}
_TEXTS = {"ar": ["samples/aleppo_strikes_ar.txt", "samples/pages/arabic_article.gold.txt"],
          "en": ["samples/pages/cnn_001.gold.txt", "samples/pages/time_001.gold.txt",
                 "samples/pages/wired_001.gold.txt"]}
_SECTIONS = {"ar": ["الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "ثقافة", "العالم", "العربي", "تقارير",
                    "مقالات", "فيديو", "صور", "منوعات", "صحة", "تكنولوجيا", "آراء", "حوارات", "مجتمع"],
             "en": ["Home", "News", "World", "Politics", "Business", "Markets", "Sport", "Culture", "Opinion",
                    "Science", "Health", "Technology", "Video", "Podcasts", "Travel", "Weather", "Local"]}
_MOST_READ = {"ar": "الأكثر قراءة", "en": "Most read"}
_UPDATE = {"ar": "تحديث: ", "en": "Update: "}
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]»،؛؟%])")
_NO_SPACE_AFTER = re.compile(r"([(\[«]) ")


def _sentences_of_tokens(path: str) -> list[str]:
    """Return the sentences of a one-token-a-line NER file, detokenised."""
    out, tokens = [], []
    for line in data_file(os.environ, path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if len(tokens) >= 6:
                text = _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", " ".join(tokens)))
                out.append(text)
            tokens = []
            continue
        tokens.append(re.split(r"[\t ]", line.strip())[0])
    return out


def _sentences_of_text(path: str) -> list[str]:
    text = data_file(os.environ, path).read_text(encoding="utf-8")
    return [s.strip() for s in re.split(r"(?<=[.!?؟])\s+", text) if len(s.strip()) > 40]


def sentence_pools() -> dict[str, list[str]]:
    """Return the real sentences of each language (at least 30 characters each)."""
    pools = {}
    for lang in ("ar", "en"):
        sentences = [s for p in _TOKENS[lang] for s in _sentences_of_tokens(p)]
        sentences += [s for p in _TEXTS[lang] for s in _sentences_of_text(p)]
        pools[lang] = [s for s in sentences if len(s) >= 30]
    return pools


@dataclass(frozen=True, slots=True)
class Article:
    number: int
    feed: int
    lang: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    copy_of: int | None
    kind: str
    """new, exact or near."""


@dataclass
class Site:
    """The night's articles, feeds and hosts; every page is rebuilt from (seed, number) on demand."""

    articles: int
    feeds: int
    hosts: int
    port: int = 0
    seed: int = 12
    night: datetime = datetime(2026, 11, 20, tzinfo=UTC)

    @cached_property
    def pools(self) -> dict[str, list[str]]:
        return sentence_pools()

    def host_of(self, feed: int) -> str:
        return f"host{feed % self.hosts:02d}.bench.test"

    def lang_of(self, feed: int) -> str:
        return "ar" if feed % 2 == 0 else "en"

    def origin(self, feed: int) -> str:
        return f"http://{self.host_of(feed)}:{self.port}"

    def feed_urls(self) -> list[str]:
        return [f"{self.origin(f)}/feeds/{f}.xml" for f in range(self.feeds)]

    def connect_to(self) -> tuple[tuple[str, str], ...]:
        hosts = sorted({self.host_of(f) for f in range(self.feeds)})
        return tuple((f"{h}:{self.port}", f"127.0.0.1:{self.port}") for h in hosts)

    def url_of(self, number: int) -> str:
        feed = number % self.feeds
        return f"{self.origin(feed)}/{self.lang_of(feed)}/{feed}/{number}.html"

    def article(self, number: int) -> Article:
        """Return article ``number``: a new draw of sentences, or a copy of an earlier one."""
        rng = random.Random(self.seed * 1_000_003 + number)  # noqa: S311 - a reproducible corpus, no secret
        feed = number % self.feeds
        lang = self.lang_of(feed)
        published = self.night + timedelta(seconds=rng.randrange(0, 20 * 3600))
        roll = rng.random()
        if number >= 2 and roll < 0.2:
            base = self.article(number - 2 * rng.randint(1, min(number // 2, 50)))  # same feed parity: language
            base = self.article(base.copy_of) if base.copy_of is not None else base
            if roll < 0.1:
                return Article(number, feed, lang, base.title, base.paragraphs, published, base.number, "exact")
            paragraphs = [list(p) for p in _split(base.paragraphs)]
            paragraphs[-1] = paragraphs[-1][:-1] or paragraphs[-1]  # drop a sentence
            paragraphs[0].insert(0, rng.choice(self.pools[lang]))  # add one at the top
            return Article(number, feed, lang, _UPDATE[lang] + base.title,
                           tuple(" ".join(p) for p in paragraphs), published, base.number, "near")
        pool = self.pools[lang]
        sentences = rng.sample(pool, rng.randint(10, 24))
        title_words = rng.choice(pool).split()[: rng.randint(7, 12)]
        paragraphs, i = [], 0
        while i < len(sentences):
            n = rng.randint(2, 4)
            paragraphs.append(" ".join(sentences[i:i + n]))
            i += n
        return Article(number, feed, lang, " ".join(title_words).rstrip(".,،"), tuple(paragraphs), published,
                       None, "new")

    def numbers_of_feed(self, feed: int) -> range:
        return range(feed, self.articles, self.feeds)

    def feed_xml(self, feed: int) -> bytes:
        items = []
        for number in self.numbers_of_feed(feed):
            a = self.article(number)
            lead = html.escape(a.paragraphs[0][:300])
            items.append(f"<item><title>{html.escape(a.title)}</title><link>{self.url_of(number)}</link>"
                         f"<guid isPermaLink='false'>bench-{feed}-{number}</guid>"
                         f"<pubDate>{format_datetime(a.published)}</pubDate><description>{lead}</description></item>")
        lang = self.lang_of(feed)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench feed {feed}'
                f"</title><link>{self.origin(feed)}/</link><language>{lang}</language>{''.join(items)}"
                "</channel></rss>").encode()

    def page_html(self, number: int) -> bytes:
        """Return the page of article ``number``: 30–100 KB with menus, teasers, scripts and a footer."""
        a = self.article(number)
        rng = random.Random(self.seed * 7_000_001 + number)  # noqa: S311 - a reproducible corpus, no secret
        target = rng.randint(30_000, 100_000)
        sections = _SECTIONS[a.lang]
        menu = "".join(f"<li><a href='/{a.lang}/section/{i}'>{html.escape(rng.choice(sections))}</a></li>"
                       for i in range(rng.randint(30, 60)))
        teasers = []
        for _ in range(rng.randint(8, 15)):
            other = self.article(rng.randrange(0, max(1, self.articles)))
            teasers.append(f"<li class='teaser'><a href='{self.url_of(other.number)}'><h3>{html.escape(other.title)}"
                           f"</h3></a><p>{html.escape(other.paragraphs[0][:140])}…</p></li>")
        footer = "".join(f"<a href='/{a.lang}/about/{i}'>{html.escape(rng.choice(sections))}</a> "
                         for i in range(30))
        body = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
        json_ld = (f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{html.escape(a.title)}",'
                   f'"datePublished":"{a.published.isoformat()}","inLanguage":"{a.lang}"}}')
        head = (f"<!DOCTYPE html><html lang='{a.lang}' dir='{'rtl' if a.lang == 'ar' else 'ltr'}'><head>"
                f"<meta charset='utf-8'><title>{html.escape(a.title)}</title>"
                f"<meta name='description' content='{html.escape(a.paragraphs[0][:150])}'>"
                f"<link rel='canonical' href='{self.url_of(number)}'>"
                f"<script type='application/ld+json'>{json_ld}</script><style>{_css(rng)}</style>")
        page = (f"<body><header><div class='logo'>Bench {a.feed}</div><nav><ul class='menu'>{menu}</ul></nav>"
                f"</header><main><article><h1>{html.escape(a.title)}</h1><div class='byline'>By Desk {a.feed}"
                f"</div><time datetime='{a.published.isoformat()}'>{a.published:%d %b %Y}</time>{body}</article>"
                f"<aside><h2>{_MOST_READ[a.lang]}</h2><ul>{''.join(teasers)}</ul></aside></main>"
                f"<footer>{footer}<p>© Bench</p></footer></body></html>")
        scripts = []
        size = len(head.encode()) + len(page.encode())
        while size < target:
            script = f"<script>{_js(rng)}</script>"
            scripts.append(script)
            size += len(script)
        return (head + "".join(scripts) + "</head>" + page).encode()


def _split(paragraphs: tuple[str, ...]) -> list[list[str]]:
    return [re.split(r"(?<=[.!?؟])\s+", p) for p in paragraphs]


def _css(rng: random.Random) -> str:
    rules = [f".c{rng.randrange(10**6)} {{ margin: {rng.randint(0, 40)}px; color: #{rng.randrange(16**6):06x}; "
             f"font-size: {rng.randint(10, 30)}px }}" for _ in range(rng.randint(40, 120))]
    return " ".join(rules)


def _js(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(20, 60)):
        name = f"f{rng.randrange(10**8):x}"
        parts.append(f"function {name}(a,b){{var t=document.querySelectorAll('.c{rng.randrange(10**6)}');"
                     f"for(var i=0;i<t.length;i++){{t[i].dataset.v='{rng.randrange(10**9):x}';}}"
                     f"return window.dataLayer&&window.dataLayer.push({{event:'{name}',v:a+b}});}}")
    return "\n".join(parts)


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if m := re.fullmatch(r"/feeds/(\d+)\.xml", path):
            return self._send(200, self.site.feed_xml(int(m[1])), "application/rss+xml; charset=utf-8")
        if (m := re.fullmatch(r"/(ar|en)/(\d+)/(\d+)\.html", path)) and int(m[3]) < self.site.articles:
            return self._send(200, self.site.page_html(int(m[3])), "text/html; charset=utf-8")
        return self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(site: Site, ready: multiprocessing.synchronize.Event, port: multiprocessing.sharedctypes.Synchronized
           ) -> None:
    _Handler.site = site
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    port.value = site.port = httpd.server_address[1]  # the feeds' links name it
    ready.set()
    httpd.serve_forever()


class SiteServer:
    """The site served by another process on 127.0.0.1 (a free port), for the length of a ``with``."""

    def __init__(self, site: Site) -> None:
        self.site = site
        context = multiprocessing.get_context("fork")
        self._ready, self._port = context.Event(), context.Value("i", 0)
        self._process = context.Process(target=_serve, args=(site, self._ready, self._port), daemon=True)

    def __enter__(self) -> Site:
        self.site.pools  # noqa: B018 - read the corpus once, before the fork
        self._process.start()
        if not self._ready.wait(30):
            raise RuntimeError("the bench site did not start")
        self.site.port = self._port.value
        return self.site

    def __exit__(self, *exc: object) -> None:
        self._process.terminate()
        self._process.join(10)
