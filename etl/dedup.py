"""Deduplication keys and near-duplicate detection.

Three levels, as analysts ask for them:
- the same story URL (normalised URL key) is one ``articles`` row;
- the same copy (a wire story republished by several outlets, maybe with a different
  headline or byline) gets ``duplicate_of`` = the earliest copy: equal content hash, or a
  SimHash within a few bits over normalised word shingles;
- the same event is ``etl.clusters``' job (rewrites, shared titles, shared entities); the
  constants for rewrites and titles live here because both stages read SimHash and titles.
Keys use the Arabic normalisation (``etl.arabic.normalise_key``) so vocalised or
tatweel-stretched copies match plain ones.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from etl.arabic import normalise_key

DEDUP_VERSION = "dedup/1 simhash64-w3"
DUPLICATE_MAX_BITS = 3
CLUSTER_MAX_BITS = 10
TITLE_JACCARD_MIN = 0.6
MIN_TOKENS_FOR_SIMHASH = 20

_TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "ocid", "cmpid", "ref", "src", "at_medium", "at_campaign"}


def normalise_url(url: str) -> str:
    """Return the URL key of a story: lower-cased scheme and host, no default port,
    no fragment, no tracking parameters (utm_*, fbclid, …), sorted query, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    )
    path = parts.path.rstrip("/") or "/"
    # http and https copies of one story are the same story.
    return urlunsplit(("", netloc, path, urlencode(query), "")).lstrip("/")


def content_hash(text: str) -> str:
    """Return the SHA-256 of the normalised text key: equal for copies differing only in
    diacritics, tatweel, hamza forms, digits' script, case, punctuation or spacing."""
    return hashlib.sha256(normalise_key(text).encode("utf-8")).hexdigest()


def _shingles(tokens: Sequence[str], width: int = 3) -> Iterable[str]:
    if len(tokens) < width:
        yield " ".join(tokens)
        return
    for i in range(len(tokens) - width + 1):
        yield " ".join(tokens[i:i + width])


def simhash(text: str) -> int | None:
    """Return a signed 64-bit SimHash of word 3-shingles of the normalised text.

    None for texts too short to compare reliably (a headline-only feed item).
    """
    tokens = normalise_key(text, strip_clitic=True).split()
    if len(tokens) < MIN_TOKENS_FOR_SIMHASH:
        return None
    weights = [0] * 64
    for shingle in _shingles(tokens):
        h = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    value = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    # Stored in a Postgres bigint: shift into the signed range.
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """Return the number of differing bits between two 64-bit hashes (signed or not)."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def title_words(title: str | None) -> frozenset[str]:
    """Return the set of normalised, clitic-stripped title words of 3+ characters."""
    return frozenset(w for w in normalise_key(title or "", strip_clitic=True).split() if len(w) >= 3)


@dataclass(frozen=True, slots=True)
class DedupKeys:
    """Dedup keys of one article, computed from its stored text."""

    id: int
    content_hash: str | None
    simhash: int | None
    title_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class DedupDecision:
    """Where one article belongs: the copy it duplicates (or None) and its cluster."""

    id: int
    duplicate_of: int | None
    cluster_id: int


def article_keys(article_id: int, title: str | None, body: str | None) -> DedupKeys:
    """Return the dedup keys of an article (body hash only when there is a body)."""
    body = body or ""
    return DedupKeys(
        id=article_id,
        content_hash=content_hash(body) if body.strip() else None,
        simhash=simhash(body),
        title_words=title_words(title),
    )


_BANDS = 4  # 64-bit SimHash cut into 4 bands of 16 bits


def _bands(value: int) -> list[tuple[int, int]]:
    """Return (band number, band bits): hashes within DUPLICATE_MAX_BITS (< 4) share a band."""
    unsigned = value & ((1 << 64) - 1)
    return [(i, unsigned >> (16 * i) & 0xFFFF) for i in range(_BANDS)]


def find_duplicates(
    new: Sequence[DedupKeys], *, earlier: Sequence[tuple[DedupKeys, DedupDecision]] = ()
) -> list[DedupDecision]:
    """Decide ``duplicate_of`` (and a first ``cluster_id``) for ``new`` articles, oldest id first.

    ``earlier`` holds already-decided articles (keys and decision) that new ones may copy; new
    articles are also compared with each other in id order, so the earliest copy is always
    the original. Lookups go through a content-hash index and SimHash bands (pigeonhole: two
    hashes at most 3 bits apart agree on one 16-bit band), so a night costs about one probe per
    article instead of a comparison with every earlier one. The ``cluster_id`` set here is
    the copy's root; ``etl.clusters`` later groups rewrites and related stories.
    Deterministic for the same input.
    """
    decided: dict[int, DedupDecision] = {d.id: d for _, d in earlier}
    by_hash: dict[str, int] = {}
    by_band: dict[tuple[int, int], list[DedupKeys]] = defaultdict(list)

    def index(keys: DedupKeys) -> None:
        if keys.content_hash is not None:
            by_hash[keys.content_hash] = min(keys.id, by_hash.get(keys.content_hash, keys.id))
        if keys.simhash is not None:
            for band in _bands(keys.simhash):
                by_band[band].append(keys)

    for keys, _ in earlier:
        index(keys)
    out: list[DedupDecision] = []
    for keys in sorted(new, key=lambda k: k.id):
        copies = []
        if keys.content_hash is not None and by_hash.get(keys.content_hash, keys.id) < keys.id:
            copies.append(by_hash[keys.content_hash])
        if keys.simhash is not None:
            copies += [other.id for band in _bands(keys.simhash) for other in by_band[band]
                       if other.id < keys.id and hamming(keys.simhash, other.simhash) <= DUPLICATE_MAX_BITS]
        duplicate_of = None
        if copies:
            first = min(copies)
            duplicate_of = decided[first].duplicate_of or first
        decision = DedupDecision(id=keys.id, duplicate_of=duplicate_of, cluster_id=duplicate_of or keys.id)
        decided[keys.id] = decision
        index(keys)
        out.append(decision)
    return out
