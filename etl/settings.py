"""Typed settings, one frozen dataclass per stage, read once from ``NEWSETL_*`` variables.

Settings are built by ``load_settings(os.environ)`` at the edge (CLI, DAG task) and passed
down explicitly; no module reads the environment on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = PROJECT_ROOT / ".newsetl"
SHARED_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
"""The developers' corpora beside the checkout (``../shared/data``): the default of
``data_dir``. A user's clone has no such folder; tests, the demo and the nightly run never
read it."""
DATA_DIR_VARIABLE = "NEWSETL_DATA_DIR"


def data_dir(environ: Mapping[str, str]) -> Path:
    """Return the corpus folder that training, evaluation and benchmarks read.

    ``NEWSETL_DATA_DIR`` when set, else ``../shared/data`` when it exists. Anything else is a
    ``ConfigError`` naming the variable: a script that scored whatever files happened to be
    there would report a number for a different test set.
    """
    chosen = environ.get(DATA_DIR_VARIABLE)
    path = Path(chosen) if chosen else SHARED_DATA_DIR
    if not path.is_dir():
        where = f"{DATA_DIR_VARIABLE}={chosen}" if chosen else f"{DATA_DIR_VARIABLE} is unset and {path}"
        raise ConfigError(f"no corpus folder: {where} does not exist; "
                          f"set {DATA_DIR_VARIABLE} to the folder holding ner/, claims/, samples/, feeds/")
    return path


def data_file(environ: Mapping[str, str], relative: str) -> Path:
    """Return one required file of the corpus folder, or a ``ConfigError`` naming it."""
    path = data_dir(environ) / relative
    if not path.exists():
        raise ConfigError(f"missing {path}: the corpus folder ({DATA_DIR_VARIABLE}) is "
                          f"incomplete, and no partial score is reported")
    return path


def _number(environ: Mapping[str, str], var: str, cast: type[int] | type[float]) -> int | float:
    """Return ``environ[var]`` as a number, or a ``ConfigError`` naming the variable."""
    try:
        return cast(environ[var])
    except ValueError:
        raise ConfigError(f"{var}={environ[var]!r} is not a number") from None


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How the crawler talks to news sites."""

    user_agent: str = "newsetl/0.1 (+https://github.com/newsetl/newsetl)"
    """User-Agent sent with every request: names the project and a contact URL."""
    allow_private_networks: bool = False
    """Allow loopback/private/link-local targets (demo and tests only: SSRF guard)."""
    timeout_s: float = 20.0
    """Total deadline for one request, body included."""
    connect_timeout_s: float = 5.0
    """Deadline for the TCP/TLS connection."""
    max_bytes: int = 5 * 1024 * 1024
    """Largest body accepted (after decompression)."""
    max_redirects: int = 5
    """Redirects followed before giving up."""
    max_retries: int = 3
    """Retries for timeouts, 5xx, 429 (with backoff and jitter)."""
    backoff_base_s: float = 0.5
    """First retry delay; doubles each time, with jitter."""
    max_retry_after_s: float = 60.0
    """Longest Retry-After honoured before recording a failure."""
    per_host_concurrency: int = 1
    """Requests in flight to one host at once."""
    per_host_delay_s: float = 1.0
    """Minimum time between request starts to one host."""
    global_concurrency: int = 64
    """Requests in flight across all hosts."""
    obey_robots: bool = True
    """Check robots.txt before fetching article pages."""
    max_page_attempts: int = 3
    """Nights an article page is retried before it stays feed-only."""
    max_robots_bytes: int = 512 * 1024
    """Largest robots.txt read; the rest is ignored, as RFC 9309 allows (500 KiB minimum)."""
    max_crawl_delay_s: float = 10.0
    """Longest robots.txt Crawl-delay honoured between page requests to one host."""
    ca_file: str | None = None
    """Extra PEM file of CA certificates to trust besides certifi's (tests, TLS proxies)."""
    allowed_networks: tuple[str, ...] = ()
    """Non-public networks (CIDR) the SSRF guard lets through, e.g. an internal feed mirror."""
    connect_to: tuple[tuple[str, str], ...] = ()
    """("host:port", "address:port") pairs: connect there instead, keeping URL and Host (curl's
    --connect-to). The demo serves its samples under one fixed URL, whatever port is free."""


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """Where state lives."""

    database_url: str | None = None
    """SQLAlchemy URL of the news database; None means embedded PostgreSQL."""
    state_dir: Path = DEFAULT_STATE_DIR
    """Local state: embedded PostgreSQL data, Airflow metadata for the demo."""
    raw_retention_days: int = 30
    """Days raw feed/page bytes are kept for re-parsing (0 keeps them forever)."""
    lease_ttl_s: float = 4 * 3600.0
    """How long a night's run lease lasts without renewal (each stage renews it) before another run may take over."""


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    """When a stage gives up, and how much of an article the analysis reads."""

    max_error_rate: float = 0.5
    """Share of a stage's items (feeds, pages, articles) that may fail before the stage fails (and Airflow retries)."""
    min_items_for_error_rate: int = 20
    """Below this many items a stage never fails on its error rate (one broken feed of four is not an outage)."""
    max_analysis_chars: int = 200_000
    """Longer article texts are analysed (entities, claims) on their first this many characters, counted as truncated."""
    workers: int = 1
    """Processes ``fetch_pages`` (host shards) and the NLP stages (id batches) run their partitions in; ``newsetl run`` defaults to the core count."""
    partitions: int = 8
    """Mapped tasks per partitioned stage of the DAG at most (host shards for the fetches, id ranges for the NLP stages)."""


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """How alike two texts must be to be one copy, and how many articles a batch holds."""

    min_similarity: float = 0.8
    """Estimated share of the shorter text's word 3-shingles found in the other (from the MinHash Jaccard) for a copy."""
    batch_size: int = 500
    """Articles deduplicated (one candidate query) and clustered per transaction."""


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings of one run."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Return settings from ``NEWSETL_*`` variables, defaults for the rest."""
    fetch_kwargs: dict[str, object] = {}
    if "NEWSETL_USER_AGENT" in environ:
        fetch_kwargs["user_agent"] = environ["NEWSETL_USER_AGENT"]
    if "NEWSETL_ALLOW_PRIVATE_NETWORKS" in environ:
        fetch_kwargs["allow_private_networks"] = _flag(environ["NEWSETL_ALLOW_PRIVATE_NETWORKS"])
    numeric = {
        "NEWSETL_TIMEOUT_S": ("timeout_s", float),
        "NEWSETL_MAX_BYTES": ("max_bytes", int),
        "NEWSETL_MAX_RETRIES": ("max_retries", int),
        "NEWSETL_PER_HOST_CONCURRENCY": ("per_host_concurrency", int),
        "NEWSETL_PER_HOST_DELAY_S": ("per_host_delay_s", float),
        "NEWSETL_GLOBAL_CONCURRENCY": ("global_concurrency", int),
        "NEWSETL_BACKOFF_BASE_S": ("backoff_base_s", float),
        "NEWSETL_MAX_PAGE_ATTEMPTS": ("max_page_attempts", int),
    }
    for var, (name, cast) in numeric.items():
        if var in environ:
            fetch_kwargs[name] = _number(environ, var, cast)
    if environ.get("NEWSETL_ALLOWED_NETWORKS"):
        fetch_kwargs["allowed_networks"] = tuple(
            n.strip() for n in environ["NEWSETL_ALLOWED_NETWORKS"].split(",") if n.strip())
    if environ.get("NEWSETL_CONNECT_TO"):
        fetch_kwargs["connect_to"] = parse_connect_to(environ["NEWSETL_CONNECT_TO"])
    if environ.get("NEWSETL_CA_FILE"):
        fetch_kwargs["ca_file"] = environ["NEWSETL_CA_FILE"]
    if "NEWSETL_OBEY_ROBOTS" in environ:
        fetch_kwargs["obey_robots"] = _flag(environ["NEWSETL_OBEY_ROBOTS"])
    storage = StorageSettings(
        database_url=environ.get("NEWSETL_DATABASE_URL") or None,
        state_dir=Path(environ.get("NEWSETL_STATE_DIR") or DEFAULT_STATE_DIR),
        raw_retention_days=_number({"NEWSETL_RAW_RETENTION_DAYS": "30", **environ}, "NEWSETL_RAW_RETENTION_DAYS", int),
        lease_ttl_s=_number({"NEWSETL_LEASE_TTL_S": "14400", **environ}, "NEWSETL_LEASE_TTL_S", float),
    )
    pipeline = PipelineSettings(
        max_error_rate=_number({"NEWSETL_MAX_ERROR_RATE": "0.5", **environ}, "NEWSETL_MAX_ERROR_RATE", float),
        min_items_for_error_rate=_number({"NEWSETL_MIN_ITEMS_FOR_ERROR_RATE": "20", **environ},
                                         "NEWSETL_MIN_ITEMS_FOR_ERROR_RATE", int),
        max_analysis_chars=_number({"NEWSETL_MAX_ANALYSIS_CHARS": "200000", **environ},
                                   "NEWSETL_MAX_ANALYSIS_CHARS", int),
        workers=_number({"NEWSETL_WORKERS": "1", **environ}, "NEWSETL_WORKERS", int),
        partitions=max(1, _number({"NEWSETL_PARTITIONS": "8", **environ}, "NEWSETL_PARTITIONS", int)),
    )  # type: ignore[arg-type]
    dedup = DedupSettings(
        min_similarity=_number({"NEWSETL_DUPLICATE_MIN_SIMILARITY": "0.8", **environ},
                               "NEWSETL_DUPLICATE_MIN_SIMILARITY", float),
        batch_size=_number({"NEWSETL_DEDUP_BATCH_SIZE": "500", **environ}, "NEWSETL_DEDUP_BATCH_SIZE", int),
    )  # type: ignore[arg-type]
    return Settings(fetch=FetchSettings(**fetch_kwargs), storage=storage, pipeline=pipeline,  # type: ignore[arg-type]
                    dedup=dedup)


def parse_connect_to(value: str) -> tuple[tuple[str, str], ...]:
    """Return ``host:port=address:port,...`` as pairs; a ``ConfigError`` names a malformed one."""
    pairs = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        source, sep, target = item.partition("=")
        if not sep or not source.rpartition(":")[2].isdigit() or not target.rpartition(":")[2].isdigit():
            raise ConfigError(f"NEWSETL_CONNECT_TO: expected host:port=address:port, got {item!r}")
        pairs.append((source.strip(), target.strip()))
    return tuple(pairs)
