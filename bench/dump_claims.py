"""Dump ``etl.claims.extract_claims`` over every text the evaluations use, for refactoring checks.

Usage::

    .venv/bin/python bench/dump_claims.py --out /tmp/before.json   # before a change
    .venv/bin/python bench/dump_claims.py --out /tmp/after.json    # after it
    cmp /tmp/before.json /tmp/after.json                           # a refactoring: byte-identical

Texts: the claims gold set (Arabic and English), the frozen Arabic test, the second Arabic dev
part, PolNeAR train and dev (when ../shared/data has it), the sample site's articles and
titles; each without entities and with the recogniser's entities. The recogniser's spans are
cached (``--ner-cache``) so that a change to the rules is compared on the same entities.
The dump holds corpus text (PolNeAR has no licence): write it outside the repository, never
commit it. Claims of the frozen test are dumped, never shown: compare dumps with ``cmp``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import eval_claims, eval_polnear  # noqa: E402
from etl import ner  # noqa: E402
from etl.claims import extract_claims  # noqa: E402
from etl.errors import ConfigError  # noqa: E402
from etl.extract.article import extract_article  # noqa: E402
from etl.models import EntitySpan  # noqa: E402


def eval_texts() -> list[tuple[str, str, str]]:
    """Return (name, text, lang) of every text the claim evaluations read."""
    texts = []
    for name, path in (("gold", eval_claims.GOLD), ("frozen", eval_claims.FROZEN_TEST),
                       ("dev2_", ROOT / "bench" / "data" / "claims_dev2_ar.jsonl")):
        if path.exists():
            texts += [(f"{name}{i}", d["text"], d["lang"]) for i, d in enumerate(eval_claims.load_gold(path))]
    try:
        root = eval_polnear.polnear_root(os.environ)
        for split in ("train", "dev"):
            texts += [(f"polnear/{split}/{d.doc_id}", d.text, "en") for d in eval_polnear.load_split(root, split)]
    except ConfigError:
        pass
    for p in sorted((ROOT / "etl" / "samples" / "site").glob("*/*.html")):
        page = extract_article(p.read_bytes(), url=f"https://example.org/{p.name}")
        lang = "en" if p.parent.name == "en" else "ar"
        texts += [(f"sample/{p.parent.name}/{p.name}", page.text, lang),
                  (f"sample-title/{p.parent.name}/{p.name}", page.title or "", lang)]
    return texts


def _plain(o):
    """Return a dataclass tree as plain JSON values."""
    if dataclasses.is_dataclass(o):
        return {f.name: _plain(getattr(o, f.name)) for f in dataclasses.fields(o)}
    if isinstance(o, (list, tuple)):
        return [_plain(x) for x in o]
    return o


def main(argv: list[str] | None = None) -> int:
    """Write the claims of every evaluation text, without and with NER, as sorted JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--ner-cache", type=Path, help="default: claims_ner_cache.json beside --out")
    args = ap.parse_args(argv)
    cache_path = args.ner_cache or args.out.parent / "claims_ner_cache.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    out = {}
    for name, text, lang in eval_texts():
        if name not in cache:
            cache[name] = [dataclasses.asdict(e) for e in ner.recognise(text, lang)]
        out[name] = _plain(extract_claims(text, lang, []))
        out[name + "#ner"] = _plain(extract_claims(text, lang, [EntitySpan(**e) for e in cache[name]]))
    cache_path.write_text(json.dumps(cache, ensure_ascii=False))
    args.out.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, indent=0))
    print(f"{len(out)} texts, {sum(len(v) for v in out.values())} claims -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
