"""Precision and recall of copies (``duplicate_of``) and of same-event clusters (``cluster_id``), per language.

Copies (issue 13): labelled pairs are built from ../shared/data text: Arabic documents from
ANERcorp (runs of 20 consecutive sentences) and the Arabic samples, English documents from
PolNeAR's train texts (read at run time, never stored). True copies of each document: a changed
headline, an added "read also" box, the first half only, another byline, re-encoded diacritics
(Arabic harakat, English typographic quotes). True non-copies: each document against its most
similar other document (by shared words: the hardest negatives), and two documents wrapped in
the same outlet template.

Same-event clusters: ``bench/data/same_event_pairs.tsv`` holds pairs of different articles labelled
by reading them as the same event or different events (how, in bench/data/SAME_EVENT_PAIRS.md):
the 12 real feeds' items, PolNeAR articles (2015-16, seven outlets), hand-delimited ANERcorp
articles and the two Arabic samples. Every document of those corpora goes through the real
stages (dedup, entities, clusters) in a scratch database, and a pair counts as "same" when both
articles end in one cluster. Pairs are split into dev and test by document (connected groups of
pairs, by a hash of their first document), so no document is in both; no threshold was tuned on
either, and both are printed.
"""

from __future__ import annotations

import csv
import html
import os
import random
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from etl import load
from etl.db import local_admin_url, make_engine, scratch_database, upgrade_schema
from etl.dedup import article_keys, find_duplicates, normalise_url
from etl.models import Run, Source
from etl.settings import PROJECT_ROOT, DedupSettings, Settings, StorageSettings, data_dir

PAIRS = PROJECT_ROOT / "bench" / "data" / "same_event_pairs.tsv"

TEMPLATE = ("{outlet} | الرئيسية | أخبار | سياسة | اقتصاد | رياضة | تابعونا على وسائل التواصل الاجتماعي "
            "Home | News | World | Business | Sport | Follow us | Subscribe to our newsletter for the latest news ")


def _arabic_docs(root: Path) -> list[str]:
    words: list[list[str]] = [[]]
    for line in (root / "ner/ar/ANERCorp_CamelLab_train.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words[-1].append(line.rsplit(" ", 1)[0])
        elif words[-1]:
            words.append([])
    sentences = [" ".join(s) for s in words if len(s) > 5]
    docs = [" ".join(sentences[i:i + 20]) for i in range(0, len(sentences) - 20, 20)]
    return docs + [(root / "samples/aleppo_strikes_ar.txt").read_text(encoding="utf-8")]


def _english_docs(root: Path) -> list[str]:
    texts = sorted((root / "claims/en/polnear/train/text").glob("*.txt"))
    return [t for t in (p.read_text(encoding="utf-8") for p in texts) if len(t.split()) > 150]


def _copies(doc: str, lang: str, rng: random.Random) -> dict[str, str]:
    box = ("\nاقرأ أيضا: الأمم المتحدة تحذر من أزمة إنسانية جديدة في المنطقة" if lang == "ar"
           else "\nRead also: UN warns of a new humanitarian crisis in the region")
    byline = "بقلم: مراسل الوكالة\n" if lang == "ar" else "By a staff correspondent\n"
    if lang == "ar":
        recoded = " ".join(w + "َ" if rng.random() < 0.3 else w.replace("ا", "ـا", 1) for w in doc.split())
    else:
        recoded = doc.replace("'", "\u2019").replace('"', "\u201c")
    return {"headline": "عنوان آخر للخبر\n" + doc if lang == "ar" else "Another headline\n" + doc,
            "read-also": doc + box, "truncated": doc[: len(doc) // 2], "byline": byline + doc, "diacritics": recoded}


def _nearest(docs: list[str]) -> list[tuple[int, int]]:
    sets = [set(d.split()) for d in docs]
    pairs = []
    for i, s in enumerate(sets):
        j = max((k for k in range(len(sets)) if k != i), key=lambda k: len(s & sets[k]) / (len(s | sets[k]) or 1))
        pairs.append((i, j))
    return pairs


def _is_copy(a: str, b: str, threshold: float) -> bool:
    ka, kb = article_keys(1, None, a), article_keys(2, None, b)
    return find_duplicates([ka, kb], candidates={}, min_similarity=threshold)[1].duplicate_of == 1


def evaluate(lang: str, docs: list[str], threshold: float, rng: random.Random) -> list[str]:
    """Return the printed row for copies."""
    tp = fn = fp = tn = 0
    kinds: dict[str, int] = {}
    for doc in docs:
        for kind, copy in _copies(doc, lang, rng).items():
            hit = _is_copy(doc, copy, threshold)
            tp, fn = tp + hit, fn + (not hit)
            kinds[kind] = kinds.get(kind, 0) + hit
    negatives = [(docs[i], docs[j]) for i, j in _nearest(docs)]
    negatives += [(TEMPLATE.format(outlet="X") + docs[i] + TEMPLATE, TEMPLATE.format(outlet="X") + docs[i - 1] + TEMPLATE)
                  for i in range(1, len(docs))]
    for a, b in negatives:
        hit = _is_copy(a, b, threshold)
        fp, tn = fp + hit, tn + (not hit)
    dup = [f"{lang}  copies      P={tp / max(tp + fp, 1):.3f} R={tp / max(tp + fn, 1):.3f}  "
           f"({tp + fn} copies, {fp + tn} non-copies, {fp} merged)  recall by kind: "
           + ", ".join(f"{k} {v}/{len(docs)}" for k, v in kinds.items())]
    return dup


@dataclass(frozen=True, slots=True)
class Doc:
    """One article of the same-event evaluation, keyed as in same_event_pairs.tsv."""

    key: str
    lang: str
    outlet: str
    title: str | None
    body: str
    at: datetime | None


def _feed_docs(root: Path) -> Iterator[Doc]:
    import feedparser

    for path in sorted((root / "feeds/real").glob("*.xml")):
        for i, entry in enumerate(feedparser.parse(path.read_bytes()).entries):
            summary = html.unescape(re.sub(r"<[^>]+>", " ", entry.get("summary", ""))).strip()
            stamp = entry.get("published_parsed")
            yield Doc(f"feeds/real/{path.stem}#{i}", "en", path.stem, entry.get("title"), summary,
                      datetime(*stamp[:6], tzinfo=UTC) if stamp else None)


def _polnear_docs(root: Path) -> Iterator[Doc]:
    base = root / "claims/en/polnear"
    with (base / "metadata_train_dev.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            text = (base / row["compartment"] / "text" / f"{row['filename']}.txt").read_text(encoding="utf-8")
            at = datetime.fromisoformat(row["publication_date"]).replace(hour=12, tzinfo=UTC)
            yield Doc(f"polnear/{row['filename']}", "en", row["publisher"], row["title"], text, at)


def _arabic_docs_for_events(root: Path, keys: set[str]) -> Iterator[Doc]:
    """The hand-delimited ANERcorp articles (sentence ranges, 1-based) and the two Arabic samples.

    ANERcorp has no dates, titles or outlets: the articles get none (all in one story window).
    """
    sentences: list[list[str]] = [[]]
    for line in (root / "ner/ar/ANERCorp_CamelLab_train.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentences[-1].append(line.rsplit(" ", 1)[0])
        elif sentences[-1]:
            sentences.append([])
    for key in sorted(k for k in keys if k.startswith("anercorp/")):
        start, end = (int(n) for n in key.removeprefix("anercorp/s").split("-"))
        yield Doc(key, "ar", key, None, "\n".join(" ".join(s) for s in sentences[start - 1:end]), None)
    aleppo = (root / "samples/aleppo_strikes_ar.txt").read_text(encoding="utf-8").split("\n", 1)
    yield Doc("samples/aleppo_strikes_ar", "ar", "samples-a", aleppo[0], aleppo[1], None)
    cnn = (root / "samples/pages/arabic_article.gold.txt").read_text(encoding="utf-8")
    yield Doc("samples/pages/arabic_article", "ar", "samples-b", None, cnn, None)


def _article_row(doc: Doc, feed: object) -> dict:
    url = "https://eval.example/" + doc.key.replace("#", "/item-")
    return {"url": url, "url_key": normalise_url(url), "guid": None, "source_id": feed.source_id,  # type: ignore[attr-defined]
            "feed_id": feed.id, "title": doc.title, "summary": None, "body": doc.body,  # type: ignore[attr-defined]
            "language": doc.lang, "published_at": doc.at, "body_source": "page", "page_status": "ok"}


def cluster_docs(docs: list[Doc]) -> dict[str, int]:
    """Return the story cluster of every document after the real dedup, entity and cluster stages."""
    from etl.pipeline.nlp import run_entities
    from etl.pipeline.stories import run_clusters, run_dedup

    admin = local_admin_url(PROJECT_ROOT / ".newsetl" / "bench-pg")
    with scratch_database(admin, prefix="newsetl_eval_events") as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        settings = Settings(storage=StorageSettings(database_url=url))
        run = Run(run_id="eval-events", logical_date=date(2026, 12, 1))
        load.start_run(engine, run, code_version="eval")
        outlets = sorted({d.outlet for d in docs})
        slug = {o: re.sub(r"[^a-z0-9]+", "-", o.lower()).strip("-") for o in outlets}
        load.register_sources(engine, [Source(name=o, feeds=(f"https://{slug[o]}.example/feed.xml",)) for o in outlets])
        feeds = {f.url: f for f in load.active_feeds(engine)}
        with engine.begin() as conn:
            load.insert_feed_articles(conn, run, [_article_row(d, feeds[f"https://{slug[d.outlet]}.example/feed.xml"])
                                                  for d in docs])
        for stage in (run_dedup, run_entities, run_clusters):
            stage(run, engine=engine, settings=settings)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT url, coalesce(cluster_id, id) AS cluster FROM articles")).all()
        engine.dispose()
    key_of = {"https://eval.example/" + d.key.replace("#", "/item-"): d.key for d in docs}
    return {key_of[r.url]: r.cluster for r in rows}


def read_pairs(path: Path = PAIRS) -> list[dict[str, str]]:
    """Return the labelled pairs with a ``split`` (dev/test) given by their group of linked documents."""
    with path.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f, delimiter="\t"))
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for p in pairs:
        a, b = root(p["doc_a"]), root(p["doc_b"])
        parent[max(a, b)] = min(a, b)
    for p in pairs:
        p["split"] = "dev" if zlib.crc32(root(p["doc_a"]).encode()) % 2 == 0 else "test"
    return pairs


def score_events(pairs: list[dict[str, str]], clusters: dict[str, int]) -> list[str]:
    """Return the printed rows: same-event precision and recall per language and split."""
    out = []
    for lang in ("ar", "en"):
        for split in ("dev", "test", "all"):
            chosen = [p for p in pairs if p["lang"] == lang and split in (p["split"], "all")]
            same = [clusters[p["doc_a"]] == clusters[p["doc_b"]] for p in chosen]
            tp = sum(s and p["label"] == "same" for s, p in zip(same, chosen, strict=True))
            fp = sum(s and p["label"] == "different" for s, p in zip(same, chosen, strict=True))
            positives = sum(p["label"] == "same" for p in chosen)
            precision = f"{tp / (tp + fp):.3f}" if tp + fp else "—"  # nothing joined: no precision
            out.append(f"{lang}  same-event  {split:<4}  P={precision} R={tp / max(positives, 1):.3f}  "
                       f"({positives} same-event pairs, {len(chosen) - positives} different-event, {fp} merged)")
    return out


def evaluate_events(root: Path) -> list[str]:
    """Cluster the evaluation corpora with the real stages and score the labelled pairs."""
    pairs = read_pairs()
    keys = {p[k] for p in pairs for k in ("doc_a", "doc_b")}
    docs = [*_feed_docs(root), *_polnear_docs(root), *_arabic_docs_for_events(root, keys)]
    missing = keys - {d.key for d in docs}
    if missing:
        sys.exit(f"eval_dedup: labelled documents not found: {sorted(missing)[:5]}")
    clusters = cluster_docs(docs)
    if "--show-dev" in sys.argv:  # error analysis on the dev half only; the test half is read as scores
        for p in pairs:
            if p["split"] == "dev":
                got = "same" if clusters[p["doc_a"]] == clusters[p["doc_b"]] else "different"
                print(f"dev {p['label']:>9} got {got:>9}  {p['doc_a']}  {p['doc_b']}  {p['note']}")
    return score_events(pairs, clusters)


def main() -> None:
    root = data_dir(os.environ)
    if not (root / "ner/ar/ANERCorp_CamelLab_train.txt").exists() or not (root / "claims/en/polnear/train").exists():
        sys.exit(f"eval_dedup: corpora not found under {root} (set NEWSETL_DATA_DIR)")
    threshold = DedupSettings().min_similarity
    rng = random.Random(13)  # noqa: S311 - reproducible test data
    print(f"copies: MinHash copy similarity ≥ {threshold}")
    for lang, docs in (("ar", _arabic_docs(root)), ("en", _english_docs(root)[:200])):
        print("\n".join(evaluate(lang, docs, threshold, rng)))
    if "--copies-only" not in sys.argv:
        print("\nsame-event clusters: labelled pairs of different articles (bench/data/same_event_pairs.tsv)")
        print("\n".join(evaluate_events(root)))


if __name__ == "__main__":
    main()
