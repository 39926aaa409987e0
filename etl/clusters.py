"""Story clusters: articles about the same event, across outlets and languages.

Dedup finds copies of one text; analysts also need "the same event" — the wire story, the
rewrite, the short feed item that quotes one line of it, the English report of it — to put
each party's figures side by side. Articles published within a couple of days are linked when
 - one copies the other (``duplicate_of``) or their SimHashes are close (a rewrite);
 - their normalised titles share most words;
 - they name the same entities: at least two shared entity keys (canonical, cross-language),
   a person or organisation among them, carrying most of the smaller article's entity weight, with rarer
   entities weighing more (IDF over the window), so two stories that only both mention
   "Syria" stay apart.
Clusters are the connected components; ``cluster_id`` is the smallest article id in each, so
the same input always gives the same ids.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from etl.dedup import CLUSTER_MAX_BITS, TITLE_JACCARD_MIN, hamming

CLUSTERS_VERSION = "clusters/1 entity-overlap"
MAX_DAYS_APART = 2
MIN_SHARED_ENTITIES = 2
MIN_ENTITY_OVERLAP = 0.6
MAX_KEY_SHARE = 0.2
"""Keys carried by more than this share of the window's articles are too common to link on."""


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What clustering looks at for one article."""

    id: int
    day: date | None
    duplicate_of: int | None
    simhash: int | None
    title_words: frozenset[str]
    entities: frozenset[str]


class _Components:
    """Union-find whose representative is the smallest id."""

    def __init__(self, ids: Iterable[int]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _close_in_time(a: StoryFeatures, b: StoryFeatures) -> bool:
    return a.day is None or b.day is None or abs((a.day - b.day).days) <= MAX_DAYS_APART


def _rewrite(a: StoryFeatures, b: StoryFeatures) -> bool:
    return a.simhash is not None and b.simhash is not None and hamming(a.simhash, b.simhash) <= CLUSTER_MAX_BITS


def _same_title(a: StoryFeatures, b: StoryFeatures) -> bool:
    words = a.title_words | b.title_words
    return bool(words) and len(a.title_words & b.title_words) / len(words) >= TITLE_JACCARD_MIN


def _idf(stories: Sequence[StoryFeatures]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for story in stories:
        for key in story.entities:
            df[key] += 1
    n = len(stories)
    return {key: math.log((n + 1) / count) + 1.0 for key, count in df.items()}


def entity_overlap(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Return the IDF-weighted share of the smaller entity set that the other one also names."""
    shared = a & b
    # Places and nationalities alone do not make an event ("British", "UK" and "Canada" are in
    # many unrelated stories): a person or an organisation must be among the shared names.
    if len(shared) < MIN_SHARED_ENTITIES or not any(k.startswith(("PER:", "ORG:")) for k in shared):
        return 0.0
    smaller = min(sum(idf.get(k, 1.0) for k in a), sum(idf.get(k, 1.0) for k in b))
    return sum(idf.get(k, 1.0) for k in shared) / smaller if smaller else 0.0


def _candidate_pairs(stories: Sequence[StoryFeatures]) -> set[tuple[int, int]]:
    """Return index pairs sharing a not-too-common entity key or title word (inverted index)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(stories):
        for key in story.entities:
            index["e:" + key].append(i)
        for word in story.title_words:
            index["t:" + word].append(i)
    cap = max(2, int(MAX_KEY_SHARE * len(stories)) + 1) if len(stories) > 20 else len(stories)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if 1 < len(members) <= cap:
            pairs.update(combinations(members, 2))
    return pairs


def cluster_stories(stories: Sequence[StoryFeatures]) -> dict[int, int]:
    """Return cluster id (smallest member id) per article id."""
    components = _Components(s.id for s in stories)
    ids = {s.id for s in stories}
    for s in stories:
        if s.duplicate_of is not None and s.duplicate_of in ids:
            components.union(s.id, s.duplicate_of)
    idf = _idf(stories)
    # Only pairs sharing an entity or a title word are compared (a rewrite shares both), so
    # the cost grows with the stories that overlap, not with the square of the window.
    for i, j in _candidate_pairs(stories):
        a, b = stories[i], stories[j]
        if not _close_in_time(a, b):
            continue
        if (_rewrite(a, b) or _same_title(a, b)
                or entity_overlap(a.entities, b.entities, idf) >= MIN_ENTITY_OVERLAP):
            components.union(a.id, b.id)
    return {s.id: components.find(s.id) for s in stories}
