"""Story clusters: articles about the same event, across outlets and languages, built incrementally.

Dedup finds copies of one text; analysts also need "the same event" — the wire story, the
rewrite, the short feed item that quotes one line of it, the English report of it — to put
each party's figures side by side. An article published within a couple of days of another
(around each one's own publication time, never the run date) is linked to it when
 - one copies the other (``duplicate_of``) or their MinHash signatures overlap (a rewrite);
 - their normalised titles share most words;
 - they name the same entities: at least two shared entity keys (canonical, cross-language),
   a person or organisation among them, carrying half or more of the smaller article's entity weight,
   rarer entities weighing more (IDF over the other articles around them), so two stories that only both
   mention "Syria" stay apart;
 - their words (title and lead) and entity keys have an IDF-weighted cosine
   of ``MIN_TERM_COSINE`` or more. A reworded headline shares a third of its words and a feed item
   names one or two entities, but both share the event's rare words (a town, a victim, "avalanche",
   "skiers"); IDF comes from every article clustered before (``story_terms``: document
   frequencies kept in PostgreSQL), so "said", "Trump" or "سوريا" weigh little;
 - they share many rare entities: the IDFs of the entity keys both name add up to
   ``MIN_SHARED_ENTITY_WEIGHT`` never-seen entities or more, a person or organisation among
   them. Long reports of one primary or debate name twenty candidates, states and aides each,
   which drowns their cosine (0.03-0.17, like two campaign stories of the same days), but what
   they share adds up to more than two different stories of the same days share.
Incremental: each new article, in id order, joins the smallest cluster among the already
clustered articles it links to, or starts its own (``cluster_id`` = its id); when it links to
several clusters they are merged into the smallest (single link: the article shows they report
one event). History is never re-clustered: a night adds articles and merges only the clusters its
articles link; the same articles give the same clusters on any night.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from etl.arabic import normalise_key
from etl.dedup import TITLE_JACCARD_MIN, copy_similarity, estimate_jaccard

CLUSTERS_VERSION = "clusters/4 shared-entity-weight"
MAX_DAYS_APART = 2
MIN_SHARED_ENTITIES = 2
MIN_ENTITY_OVERLAP = 0.5
REWRITE_MIN_SIMILARITY = 0.3
"""A rewrite keeps this share of the shorter text's shingles (copies keep 0.8 and more)."""
MAX_NEIGHBOURS = 1000
LEAD_WORDS = 100
"""Words of the body that count as its lead: news puts the event first, and a bound keeps the
terms of a long page (and its rows in ``article_story_keys``) as few as a feed item's."""
LEAD_CHARS = 3000
"""Characters of the body read for the lead (more than ``LEAD_WORDS`` words in either language)."""
MIN_TERM_COSINE = 0.25
MIN_SHARED_ENTITY_WEIGHT = 6.25
"""Never-seen entities' worth of shared entity keys (``shared_entity_weight``) that links two articles."""
ALL_ARTICLES = "#all"
"""The ``story_terms`` row counting the articles themselves (the N of IDF)."""


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What clustering looks at for one article (``cluster_id`` None while not yet clustered)."""

    id: int
    at: datetime | None
    duplicate_of: int | None
    signature: np.ndarray | None
    shingle_count: int
    title_words: frozenset[str]
    entities: frozenset[str]
    cluster_id: int | None = None
    terms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TermCounts:
    """Document frequencies of story terms over the articles clustered so far (``story_terms``)."""

    df: Mapping[str, int]
    articles: int
    _squared: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    """IDF² per term already asked for: a night's neighbours share most of their terms."""

    def idf(self, term: str) -> float:
        """Return the smoothed IDF of ``term``: log((N + 1) / (df + 1)), 0 for a term in every article."""
        return math.log((self.articles + 1) / (self.df.get(term, 0) + 1))

    def idf_squared(self, term: str) -> float:
        """Return ``idf(term)`` squared, computed once per term."""
        if (w := self._squared.get(term)) is None:
            w = self._squared[term] = self.idf(term) ** 2
        return w


@dataclass(frozen=True, slots=True)
class TermVector:
    """One article's story terms weighed against one ``TermCounts``: their IDF² and the norm.

    Built once per article and reused for every neighbour it is compared with (the new article
    meets up to ``MAX_NEIGHBOURS`` of them): the IDF of its terms and its norm were recomputed
    for each neighbour before. The IDF² themselves are kept once per term in ``TermCounts``.
    """

    terms: frozenset[str]
    squared: Mapping[str, float]
    """IDF² per term (of this article's terms among others)."""
    norm: float
    """Norm of the ``w:`` and ``e:`` terms (``term_cosine``)."""


def term_vector(terms: frozenset[str], counts: TermCounts) -> TermVector:
    """Return ``terms`` weighed by their IDF under ``counts``."""
    squared = counts.idf_squared
    norm = math.sqrt(sum(squared(t) for t in terms if not t.startswith("t:")))
    return TermVector(terms, counts._squared, norm)


def story_terms(title_key: str | None, body: str | None, entities: frozenset[str] | Sequence[str]) -> frozenset[str]:
    """Return an article's story keys: ``t:`` title words (to find neighbours by), ``w:`` words of
    the title and the lead, ``e:`` entity keys (the last two weighed by ``term_cosine``).

    Words are the normalised, clitic-stripped keys of ``etl.arabic`` (3 characters or more, no
    numbers), so والأسد and الأسد, or a vocalised and a plain spelling, are one term. A title word
    is also a ``w:`` word: one headline's word is often in the other's lead.
    """
    title = (title_key or "").split()
    lead = normalise_key((body or "")[:LEAD_CHARS], strip_clitic=True).split()[:LEAD_WORDS]
    return frozenset({"t:" + w for w in title}
                     | {"w:" + w for w in (*title, *lead) if len(w) >= 3 and not w.isdigit()}
                     | {"e:" + k for k in entities})


def term_cosine(a: frozenset[str] | TermVector, b: frozenset[str] | TermVector,
                counts: TermCounts | None = None) -> float:
    """Return the cosine of the two articles' words and entities (``w:`` and ``e:`` terms), each
    weighted by its IDF (term sets are weighed by ``counts``; vectors already are)."""
    va, vb = (x if isinstance(x, TermVector) else term_vector(x, counts) for x in (a, b))  # type: ignore[arg-type]
    if not va.norm or not vb.norm:
        return 0.0
    shared = sum(va.squared[t] for t in va.terms & vb.terms if not t.startswith("t:"))
    return shared / (va.norm * vb.norm)


def shared_entity_weight(a: TermVector, b: TermVector, counts: TermCounts) -> float:
    """Return how many never-seen entities the entity keys both articles name are worth: the sum
    of their IDFs, each over the IDF of a key no article holds (log(N + 1)), so the figure does not
    grow with the history. 0 when no person or organisation is among them (places and
    nationalities alone do not make an event, as in ``entity_overlap``)."""
    shared = [t for t in a.terms & b.terms if t.startswith("e:")]
    if not any(t.startswith(("e:PER:", "e:ORG:")) for t in shared) or counts.articles < 1:
        return 0.0
    return sum(math.sqrt(a.squared[t]) for t in shared) / math.log(counts.articles + 1)


def _close_in_time(a: StoryFeatures, b: StoryFeatures) -> bool:
    return a.at is None or b.at is None or abs((a.at - b.at).total_seconds()) <= MAX_DAYS_APART * 86400


def _rewrite(a: StoryFeatures, b: StoryFeatures) -> bool:
    if a.signature is None or b.signature is None:
        return False
    similarity = copy_similarity(estimate_jaccard(a.signature, b.signature), a.shingle_count, b.shingle_count)
    return similarity >= REWRITE_MIN_SIMILARITY


def _same_title(a: StoryFeatures, b: StoryFeatures) -> bool:
    words = a.title_words | b.title_words
    return bool(words) and len(a.title_words & b.title_words) / len(words) >= TITLE_JACCARD_MIN


def idf(stories: Sequence[StoryFeatures]) -> dict[str, float]:
    """Return the inverse document frequency of each entity key over ``stories``."""
    df = Counter(key for story in stories for key in story.entities)
    n = len(stories)
    return {key: math.log((n + 1) / count) + 1.0 for key, count in df.items()}


def _pair_weights(a: StoryFeatures, b: StoryFeatures, df: Counter[str], n: int) -> dict[str, float]:
    """Return IDF weights of the pair's keys counted over the *other* stories around them.

    The pair itself is left out: two reports of one event share its names, and counting them
    would make exactly those names look common.
    """
    keys = a.entities | b.entities
    return {k: math.log((n + 1) / (df[k] - (k in a.entities) - (k in b.entities) + 1)) + 1.0 for k in keys}


def entity_overlap(a: frozenset[str], b: frozenset[str], weights: dict[str, float]) -> float:
    """Return the IDF-weighted share of the smaller entity set that the other one also names."""
    shared = a & b
    # Places and nationalities alone do not make an event ("British", "UK" and "Canada" are in
    # many unrelated stories): a person or an organisation must be among the shared names.
    if len(shared) < MIN_SHARED_ENTITIES or not any(k.startswith(("PER:", "ORG:")) for k in shared):
        return 0.0
    smaller = min(sum(weights.get(k, 1.0) for k in a), sum(weights.get(k, 1.0) for k in b))
    return sum(weights.get(k, 1.0) for k in shared) / smaller if smaller else 0.0


def is_same_event(a: StoryFeatures, b: StoryFeatures, df: Counter[str], n: int, counts: TermCounts,
                  a_vector: TermVector | None = None) -> bool:
    """Return True when ``a`` and ``b`` report the same event (see the module docstring).
    ``a_vector`` is ``a``'s terms weighed by ``counts`` when the caller has it already."""
    if a.duplicate_of == b.id or b.duplicate_of == a.id:
        return True
    if not _close_in_time(a, b):
        return False
    if _rewrite(a, b) or _same_title(a, b):
        return True
    if entity_overlap(a.entities, b.entities, _pair_weights(a, b, df, n)) >= MIN_ENTITY_OVERLAP:
        return True
    if a.terms.isdisjoint(b.terms):
        return False
    va, vb = a_vector or term_vector(a.terms, counts), term_vector(b.terms, counts)
    return (term_cosine(va, vb) >= MIN_TERM_COSINE
            or shared_entity_weight(va, vb, counts) >= MIN_SHARED_ENTITY_WEIGHT)


def linked_clusters(story: StoryFeatures, neighbours: Sequence[StoryFeatures], counts: TermCounts) -> set[int]:
    """Return the clusters of the clustered neighbours ``story`` reports the same event as.
    ``counts`` are the term frequencies before ``story`` is counted; the story's terms are weighed
    by them once, not once per neighbour."""
    df = Counter(key for s in (story, *neighbours) for key in s.entities)
    mine = term_vector(story.terms, counts)
    return {n.cluster_id for n in neighbours
            if n.cluster_id is not None
            and is_same_event(story, n, df, len(neighbours) + 1, counts, mine)}


def choose_cluster(story: StoryFeatures, neighbours: Sequence[StoryFeatures], counts: TermCounts) -> int:
    """Return the cluster ``story`` joins: the smallest cluster among linked, clustered neighbours,
    else its own id (a new story). The other linked clusters are merged into it (``cluster_stories``,
    ``run_clusters``): an article linked to two clusters shows they report one event."""
    return min(linked_clusters(story, neighbours, counts), default=story.id)


def cluster_stories(stories: Sequence[StoryFeatures]) -> dict[int, int]:
    """Return cluster id per article id for ``stories`` clustered from scratch, in id order.

    The same rule the nightly stage applies article by article against the database (used by
    the evaluation and tests: one batch in memory).
    """
    done: list[StoryFeatures] = []
    out: dict[int, int] = {}
    df: Counter[str] = Counter()
    counted = 0  # as in story_terms: an article without terms is not counted
    for story in sorted(stories, key=lambda s: s.id):
        linked = linked_clusters(story, done, TermCounts(df, counted))
        cluster = min(linked, default=story.id)
        if len(linked) > 1:
            done = [replace(s, cluster_id=cluster) if s.cluster_id in linked else s for s in done]
            out.update({s.id: cluster for s in done if s.cluster_id == cluster})
        out[story.id] = cluster
        done.append(replace(story, cluster_id=cluster))
        df.update(story.terms)
        counted += bool(story.terms)
    return out
