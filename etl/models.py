"""Typed records passed between stages.

Each stage's output is the next stage's input. Records are frozen: change them with
``dataclasses.replace`` so a stage never mutates what an earlier stage produced.
Modules may define further records of their own; the ones here are the shared contract.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import accumulate
from typing import Any, Literal

Lang = Literal["ar", "en"]
EntityLabel = Literal["PER", "ORG", "LOC", "MISC"]
ClaimKind = Literal["direct", "indirect"]
Polarity = Literal["assert", "deny"]
FetchKind = Literal["feed", "page"]


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher as named in the feeds file."""

    name: str
    homepage: str | None = None
    language: str | None = None
    country: str | None = None
    feeds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed row as the fetcher needs it: where, and what we saw last time."""

    id: int
    source_id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """One nightly batch: the logical night and the id every row it writes carries."""

    run_id: str
    logical_date: date


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a text with its character offsets (end exclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named-entity mention as the recogniser found it."""

    start: int
    end: int
    text: str
    label: EntityLabel


class EntityIndex(tuple[EntitySpan, ...]):
    """Entity spans sorted by start, found by position in O(log n + hits), not by a scan.

    The claim and quantity rules ask "which entity is at this token / inside this phrase" for
    every candidate; scanning every entity of the article each time made claims quadratic in
    article length. Iterating it gives the spans in start order, like ``recognise``.
    """

    _starts: list[int]
    _max_end: list[int]

    def __new__(cls, entities: Iterable[EntitySpan] = ()) -> EntityIndex:
        spans = sorted(entities, key=lambda e: e.start)
        index = super().__new__(cls, spans)
        index._starts = [e.start for e in spans]
        index._max_end = list(accumulate((e.end for e in spans), max))
        return index

    @classmethod
    def of(cls, entities: Iterable[EntitySpan]) -> EntityIndex:
        """Return ``entities`` as an index (itself when it is one already)."""
        return entities if isinstance(entities, EntityIndex) else cls(entities)

    def overlapping(self, a: int, b: int) -> list[EntitySpan]:
        """Return the spans overlapping ``[a, b)``, in start order."""
        i = bisect_left(self._starts, b)
        hits = []
        while i > 0 and self._max_end[i - 1] > a:  # no span before i - 1 ends past a: stop
            i -= 1
            if self[i].end > a:
                hits.append(self[i])
        return hits[::-1]

    def ended_by(self, pos: int) -> Iterator[EntitySpan]:
        """Yield the spans ending at or before ``pos``, latest start first."""
        for i in range(bisect_left(self._starts, pos) - 1, -1, -1):
            if self[i].end <= pos:
                yield self[i]

    def starting(self, a: int, b: int | None = None) -> list[EntitySpan]:
        """Return the spans starting at ``a`` (or in ``[a, b)``), in start order."""
        return list(self[bisect_left(self._starts, a):bisect_left(self._starts, a + 1 if b is None else b)])


@dataclass(frozen=True, slots=True)
class ResolvedMention:
    """A mention tied to a canonical entity.

    ``key`` identifies the real-world entity across articles and languages (same key =
    same ``entities`` row); ``canonical_name`` is how the entity is displayed.
    """

    start: int
    end: int
    text: str
    label: EntityLabel
    key: str
    canonical_name: str


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number inside a claim: its value, what is counted, and how it is hedged."""

    text: str
    start: int
    end: int
    value: float | None
    category: str
    qualifier: str | None = None
    object: str | None = None
    value_low: float | None = None  # a range "بين 10 و20" keeps both bounds; exact figures: low = high = value
    value_high: float | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """Who said what: speaker, reporting cue and the content, all with offsets."""

    speaker: Span | None
    cue: Span
    content: Span
    kind: ClaimKind
    polarity: Polarity
    quantities: tuple[Quantity, ...] = ()
    speaker_label: str | None = None  # PER, ORG, ROLE or None when unknown


@dataclass(slots=True)
class StageStats:
    """What one stage did in one run: counts, and every discard with its reason."""

    stage: str
    processed: int = 0
    written: int = 0
    errors: int = 0
    discards: Counter[str] = field(default_factory=Counter)
    extra: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (for XCom and ``pipeline_runs.stats``)."""
        return {
            "stage": self.stage,
            "processed": self.processed,
            "written": self.written,
            "errors": self.errors,
            "discards": dict(self.discards),
            **self.extra,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StageStats:
        """Return the stats ``as_dict`` wrote (from XCom or ``stage_partitions.stats``)."""
        known = {"stage", "processed", "written", "errors", "discards"}
        return cls(stage=str(data["stage"]), processed=int(data["processed"]), written=int(data["written"]),
                   errors=int(data["errors"]), discards=Counter(data.get("discards") or {}),
                   extra={k: int(v) for k, v in data.items() if k not in known})

    def add(self, other: StageStats) -> None:
        """Add ``other``'s counts (a partition's) to these (the stage's)."""
        self.processed += other.processed
        self.written += other.written
        self.errors += other.errors
        self.discards.update(other.discards)
        for key, value in other.extra.items():
            self.extra[key] = self.extra.get(key, 0) + value


@dataclass(frozen=True, slots=True)
class PipelineError:
    """A recorded, non-fatal failure: which stage, which feed or URL, and why."""

    stage: str
    reason: str
    url: str | None = None
    feed_id: int | None = None
    article_id: int | None = None
    error_class: str = "PermanentError"
    at: datetime | None = None


# --- the morning report: what etl.report_data reads and etl.report renders --------------------


@dataclass(frozen=True, slots=True)
class NightSummary:
    """The night at a glance: the run's status and what it loaded (stories count wire copies once)."""

    run_status: str | None
    code_version: str | None
    articles: int
    stories: int
    claims: int
    feeds_fetched: int
    feeds_failed: int


@dataclass(frozen=True, slots=True)
class SourceNight:
    """Articles one source delivered in one night's run."""

    night: date
    source: str
    articles: int
    stories: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity of the night's articles: in how many stories, in how many mentions."""

    name: str
    type: str
    stories: int
    mentions: int


@dataclass(frozen=True, slots=True)
class ReportClaim:
    """One statement of the night, once per story, with every outlet that carried it."""

    speaker: str | None
    speaker_label: str | None
    content: str
    cue: str
    kind: str
    polarity: str
    numbers: str | None
    outlets: str
    language: str | None


@dataclass(frozen=True, slots=True)
class PartyFigures:
    """The largest figure one party claimed per category about one event (story cluster)."""

    cluster_id: int
    event_title: str | None
    party: str
    figures: tuple[tuple[str, float], ...]  # (category, value) for the categories with a value
    figures_as_claimed: str
    outlets: str
    stories: int


@dataclass(frozen=True, slots=True)
class FailingFeed:
    """A feed whose fetch failed in the night's run."""

    source: str
    url: str
    status_code: int | None
    error_kind: str | None
    error: str | None
    consecutive_failures: int
    last_success_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the morning report of one night shows, read from the database."""

    night: date
    run_id: str
    summary: NightSummary
    per_source: tuple[SourceNight, ...]
    entities: tuple[EntityCount, ...]
    claims: tuple[ReportClaim, ...]
    claims_total: int
    figures: tuple[PartyFigures, ...]
    failing_feeds: tuple[FailingFeed, ...]


@dataclass(frozen=True, slots=True)
class PageState:
    """What the page stages read of an article before deciding what its page writes."""

    id: int
    page_attempts: int
    title: str | None
    published_at: datetime | None
    language: str | None
    body_source: str | None


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A kept raw page to extract again: its article, URL, raw bytes' hash and content type."""

    article_id: int
    url: str
    raw_sha256: str
    content_type: str | None


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article as the NLP stages read it: its id, stored text and language."""

    id: int
    full_text: str
    language: str | None


@dataclass(frozen=True, slots=True)
class EntityAlias:
    """A name an entity is known by (a surface form or an alias-table name), keyed by entity key."""

    key: str
    alias: str
    alias_key: str
    language: str


@dataclass(frozen=True, slots=True)
class ArticleEntities:
    """What ``find_entities`` stores for one article: its mentions, their entities' keys and aliases."""

    article_id: int
    mentions: tuple[ResolvedMention, ...]
    norm_keys: tuple[tuple[str, str], ...]  # (entity key, normalised canonical name)
    aliases: tuple[EntityAlias, ...]


@dataclass(frozen=True, slots=True)
class ArticleClaims:
    """What ``find_claims`` stores for one article: claims with their sentences and speaker entities."""

    article_id: int
    claims: tuple[Claim, ...]
    sentences: tuple[str, ...]
    speaker_ids: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class StoredMention:
    """An entity mention as stored: what ``find_claims`` links speakers to."""

    article_id: int
    start_char: int
    end_char: int
    surface: str
    label: str
    entity_id: int


@dataclass(frozen=True, slots=True)
class FeedAlert:
    """An active feed that keeps failing or has gone silent: what ``quality_checks`` logs."""

    url: str
    consecutive_failures: int
    last_error: str | None
    last_success_at: datetime | None


@dataclass(frozen=True, slots=True)
class RunTotals:
    """What a run left: its feeds and recorded errors, and the rows of the main tables."""

    feeds_ok: int
    feeds_failed: int
    articles: int
    copies: int
    from_page: int
    entities: int
    mentions: int
    claims: int
    quantities: int
    errors: tuple[tuple[str, str | None, str], ...]  # (stage, url, reason)


_VERSION_STAMPS = frozenset({"dedup_version", "entities_version", "nlp_version"})


@dataclass(frozen=True, slots=True)
class ArticleUpdate:
    """The article columns the page stages may set: a name outside them fails at construction.

    ``None`` leaves a column as stored; ``cleared`` names the columns set to NULL (a page's text
    changed, so the version stamps of the stages that read it are cleared and the article is to do).
    """

    page_attempts: int | None = None
    page_status: str | None = None
    page_error: str | None = None
    raw_sha256: str | None = None
    extractor_version: str | None = None
    extractor: str | None = None
    canonical_url: str | None = None
    body: str | None = None
    body_source: str | None = None
    language: str | None = None
    markup_language: str | None = None
    authors: tuple[str, ...] | None = None
    title: str | None = None
    published_at: datetime | None = None
    date_status: str | None = None
    cleared: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = self.cleared - set(self.__dataclass_fields__) - _VERSION_STAMPS
        if unknown or "cleared" in self.cleared:
            raise ValueError(f"ArticleUpdate cannot clear {sorted(unknown or {'cleared'})}")

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> ArticleUpdate:
        """Return the update that ``values`` describes, a None value clearing its column."""
        given = {k: (tuple(v) if k == "authors" else v) for k, v in values.items() if v is not None}
        return cls(**given, cleared=frozenset(k for k, v in values.items() if v is None))

    def columns(self) -> dict[str, Any]:
        """Return column → value for the UPDATE (lists for array columns, None for cleared ones)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name != "cleared" and value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        return {**out, **dict.fromkeys(self.cleared)}
