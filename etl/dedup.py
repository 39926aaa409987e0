"""Deduplication keys and near-duplicate detection over the whole history.

Three levels, as analysts ask for them:
- the same story URL (``normalise_url``: tracking parameters, AMP and mobile variants removed)
  or the same feed GUID within one feed is one ``articles`` row, seen again as a sighting;
- the same copy (a wire story republished by several outlets, maybe with a different
  headline, byline, an added "read also" box, or cut short) gets ``duplicate_of`` = its
  original: equal canonical URL, equal body hash, or a MinHash similarity over word shingles
  above a threshold;
- the same event is ``etl.clusters``' job.
MinHash signatures are cut into LSH bands that PostgreSQL indexes (``article_lsh_bands``), so
finding the candidates of a new article costs one index probe per band, whatever the size of
the history. Keys use the Arabic normalisation (``etl.arabic.normalise_key``) so vocalised or
tatweel-stretched copies match plain ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from etl.arabic import normalise_key

DEDUP_VERSION = "dedup/2 minhash96-lsh32x3-w3"
URL_KEY_VERSION = 2
"""Bumped with every change to ``normalise_url``; migration 0009 recomputed the keys for version 2."""
NUM_PERM = 96
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WIDTH = 3
MIN_TOKENS = 20
"""Texts with fewer words (a headline-only feed item) get no signature: too short to call a copy."""
TITLE_JACCARD_MIN = 0.6

_TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
                    "mc_eid", "ocid", "cmpid", "ref", "src", "at_medium", "at_campaign", "_ga", "spm",
                    "__twitter_impression", "amp", "output"}
_AMP_VALUES = {"", "1", "true", "amp"}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")


def _is_tracking(key: str, value: str) -> bool:
    key = key.lower()
    if key.startswith("utm_"):
        return True
    if key in {"outputtype", "amp", "output", "format"}:  # AMP switches: ?outputType=amp, ?amp=1
        return value.lower() in _AMP_VALUES
    return key in _TRACKING_PARAMS


def _strip_amp_path(path: str) -> str:
    """Return the path without its AMP marker: /amp/… or …/amp segments, a .amp suffix."""
    path = re.sub(r"^/amp(?=/)", "", path)
    path = re.sub(r"/amp/?$", "", path)
    return re.sub(r"\.amp(?=(\.html?)?$)", "", path)


def normalise_url(url: str) -> str:
    """Return the URL key of a story: lower-cased host without www./m./amp., no scheme, default
    port, fragment, tracking or AMP parameters, AMP path markers or trailing slash; sorted query."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    port = parts.port
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, v))
    path = _strip_amp_path(parts.path).rstrip("/") or "/"
    # http and https copies of one story are the same story.
    return urlunsplit(("", netloc, path, urlencode(query), "")).lstrip("/")


def content_hash(text: str) -> str:
    """Return the SHA-256 of the normalised text key: equal for copies differing only in
    diacritics, tatweel, hamza forms, digits' script, case, punctuation or spacing."""
    return hashlib.sha256(normalise_key(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """Return the word 3-shingles of the normalised, clitic-stripped text (empty when too short)."""
    tokens = normalise_key(text, strip_clitic=True).split()
    if len(tokens) < MIN_TOKENS:
        return set()
    return {" ".join(tokens[i:i + SHINGLE_WIDTH]) for i in range(len(tokens) - SHINGLE_WIDTH + 1)}


# Multiply-shift hashing (a * x + b mod 2**64, top 32 bits): NUM_PERM independent hash functions,
# fixed seeds so signatures stored years ago still compare with tonight's.
_RNG = np.random.default_rng(20261201)
_A = _RNG.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9][:ROWS], dtype=np.uint64)


def minhash(items: set[str]) -> np.ndarray | None:
    """Return the NUM_PERM-value MinHash signature (uint32) of ``items``; None for an empty set."""
    if not items:
        return None
    base = np.fromiter((int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
                        for s in items), dtype=np.uint64, count=len(items))
    with np.errstate(over="ignore"):
        mixed = (base[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32)


def band_hashes(signature: np.ndarray) -> list[int]:
    """Return one signed 64-bit hash per LSH band (band b = values b*ROWS … b*ROWS+ROWS-1)."""
    rows = signature.astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = (rows * _BAND_MIX[None, :]).sum(axis=1, dtype=np.uint64) + np.arange(BANDS, dtype=np.uint64)
    return [int(v) for v in mixed.view(np.int64)]


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Return the share of equal signature values: an unbiased estimate of the shingle Jaccard."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def copy_similarity(jaccard: float, size_a: int, size_b: int) -> float:
    """Return the estimated share of the smaller text's shingles found in the other (containment).

    A copy cut to half its length has a Jaccard of 0.5 but is wholly contained in its original:
    |A ∪ B| = (|A| + |B|) / (1 + J), so |A ∩ B| / min(|A|, |B|) = J (|A| + |B|) / ((1 + J) min).
    """
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / ((1.0 + jaccard) * smaller))


def signature_bytes(signature: np.ndarray | None) -> bytes | None:
    """Return the signature as stored in ``articles.minhash`` (little-endian uint32)."""
    return None if signature is None else signature.astype("<u4").tobytes()


def signature_from_bytes(blob: bytes | None) -> np.ndarray | None:
    """Return a stored signature (None when the article had none)."""
    return None if blob is None else np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def title_words(title: str | None) -> frozenset[str]:
    """Return the set of normalised, clitic-stripped title words of 3+ characters."""
    return frozenset(w for w in normalise_key(title or "", strip_clitic=True).split() if len(w) >= 3)


@dataclass(frozen=True, slots=True)
class DedupKeys:
    """Dedup keys of one article, computed from its stored text (or read back from the database)."""

    id: int
    content_hash: str | None
    signature: np.ndarray | None
    shingle_count: int
    title_words: frozenset[str]
    canonical_key: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An earlier article that may be the original of a new one, with its root."""

    keys: DedupKeys
    duplicate_of: int | None


@dataclass(frozen=True, slots=True)
class DedupDecision:
    """The copy an article duplicates (or None), how similar it is, and why."""

    id: int
    duplicate_of: int | None
    similarity: float | None = None
    reason: str | None = None  # "canonical-url", "body-hash" or "near-copy"


def article_keys(article_id: int, title: str | None, body: str | None,
                 canonical_url: str | None = None) -> DedupKeys:
    """Return the dedup keys of an article (body hash and signature only when there is a body)."""
    body = body or ""
    items = shingles(body)
    return DedupKeys(id=article_id, content_hash=content_hash(body) if body.strip() else None,
                     signature=minhash(items), shingle_count=len(items), title_words=title_words(title),
                     canonical_key=normalise_url(canonical_url) if canonical_url else None)


def _match(keys: DedupKeys, other: DedupKeys, *, min_similarity: float) -> tuple[float, str] | None:
    """Return (similarity, reason) when ``other`` is the same text as ``keys``, else None."""
    if keys.canonical_key is not None and keys.canonical_key == other.canonical_key:
        return 1.0, "canonical-url"
    if keys.content_hash is not None and keys.content_hash == other.content_hash:
        return 1.0, "body-hash"
    if keys.signature is None or other.signature is None:
        return None
    similarity = copy_similarity(estimate_jaccard(keys.signature, other.signature),
                                 keys.shingle_count, other.shingle_count)
    return (similarity, "near-copy") if similarity >= min_similarity else None


def _batch_keys(keys: DedupKeys) -> list[tuple[object, ...]]:
    """Return the keys under which articles of one batch find each other (as the database does)."""
    out: list[tuple[object, ...]] = []
    if keys.canonical_key is not None:
        out.append(("url", keys.canonical_key))
    if keys.content_hash is not None:
        out.append(("hash", keys.content_hash))
    if keys.signature is not None:
        out += [("band", band, value) for band, value in enumerate(band_hashes(keys.signature))]
    return out


def find_duplicates(new: Sequence[DedupKeys], *, candidates: dict[int, Sequence[Candidate]],
                    min_similarity: float) -> list[DedupDecision]:
    """Decide ``duplicate_of`` for ``new`` articles, oldest id first.

    ``candidates`` holds, per new article id, the earlier articles sharing a key or an LSH band
    with it (found in the database). New articles are also compared with each other in id order
    (through the same keys, in memory), so the earliest copy is always the original. The most
    similar earlier copy wins (then the smallest id) and the decision points at its root, so
    chains of copies share one original. Deterministic for the same input.
    """
    out: list[DedupDecision] = []
    batch: dict[tuple[object, ...], list[Candidate]] = {}
    for keys in sorted(new, key=lambda k: k.id):
        own = _batch_keys(keys)
        seen = {c.keys.id: c for key in own for c in batch.get(key, ())}
        best: tuple[float, int, int, str] | None = None
        for cand in [*candidates.get(keys.id, ()), *seen.values()]:
            if cand.keys.id >= keys.id:
                continue
            found = _match(keys, cand.keys, min_similarity=min_similarity)
            if found and (best is None or (-found[0], cand.keys.id) < (-best[0], best[1])):
                best = (found[0], cand.keys.id, cand.duplicate_of or cand.keys.id, found[1])
        decision = (DedupDecision(keys.id, None) if best is None
                    else DedupDecision(keys.id, best[2], round(best[0], 4), best[3]))
        out.append(decision)
        for key in own:
            batch.setdefault(key, []).append(Candidate(keys, decision.duplicate_of))
    return out
