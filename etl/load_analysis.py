"""Store side of ``find_entities`` and ``find_claims``: partitions of articles to analyse, their
mentions, entities and claims written in batches.

Split out of ``etl.load`` (feeds, pages, runs): the analysis stages write only here. Natural keys:
entities.key, and (article_id, start_char, end_char) for mentions and claims; a batch refused by
PostgreSQL is redone item by item (``write_isolated``), so one poison article costs its own rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection, Engine

from etl.db import is_item_error, table
from etl.models import (
    ArticleClaims,
    ArticleEntities,
    ArticleText,
    Claim,
    EntityAlias,
    ResolvedMention,
    Run,
    StoredMention,
)

_t = table

AnalysisStage = Literal["find_entities", "find_claims"]
_ROWS_PER_STATEMENT = 1000
T = TypeVar("T")
R = TypeVar("R")


def _todo(t: sa.Table, stage: AnalysisStage, *, model_version: str, nlp_version: str) -> sa.ColumnElement[bool]:
    """Return the condition of articles ``stage`` still has to analyse under the running versions."""
    if stage == "find_entities":
        return t.c.entities_version.is_distinct_from(model_version)
    # claims link speakers to mentions: only articles whose mentions come from the current model
    return sa.and_(t.c.nlp_version.is_distinct_from(nlp_version), t.c.entities_version == model_version)


def analysis_todo_ids(engine: Engine, run: Run, stage: AnalysisStage, *, model_version: str,
                      nlp_version: str, id_range: tuple[int, int] | None = None) -> list[int]:
    """Return the ids of this night's articles ``stage`` still has to analyse, in id order (ids only: no texts).

    This night's: loaded by its run, or last changed by it (an earlier night's page it retried).
    A backfill of an old night leaves tonight's articles alone and tonight leaves the old night's;
    a model upgrade reaches older articles when their nights are run again. With ``id_range``
    (first, last), only those between (a partition of the DAG's mapped stage).
    """
    t = _t(engine, "articles")
    query = sa.select(t.c.id).where(sa.or_(t.c.run_id == run.run_id, t.c.updated_run_id == run.run_id),
                                    _todo(t, stage, model_version=model_version, nlp_version=nlp_version))
    if id_range is not None:
        query = query.where(t.c.id.between(*id_range))
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(t.c.id)).scalars())


def lock_analysis_batch(conn: Connection, ids: Sequence[int], stage: AnalysisStage, *, model_version: str,
                        nlp_version: str) -> list[ArticleText]:
    """Lock and return the articles of ``ids`` that ``stage`` still has to do (``FOR UPDATE SKIP LOCKED``).

    A partition is claimed by the transaction that writes its results: another worker given the
    same ids skips the locked rows, finds the ones already written no longer to do, and a killed
    worker's locks go with its connection, so its articles stay to do for the retry.
    """
    t = _t(conn, "articles")
    query = (sa.select(t.c.id, t.c.full_text, t.c.language)
             .where(t.c.id.in_(list(ids)), _todo(t, stage, model_version=model_version, nlp_version=nlp_version))
             .order_by(t.c.id).with_for_update(skip_locked=True, of=t))
    return [ArticleText(id=r.id, full_text=r.full_text, language=r.language) for r in conn.execute(query)]


def write_isolated(conn: Connection, items: Sequence[T], write: Callable[[Sequence[T]], R]
                   ) -> tuple[list[R], list[tuple[T, Exception]]]:
    """Write ``items`` in one go under a savepoint; when PostgreSQL refuses them, redo them one by one.

    Returns what each successful ``write`` returned and the items refused with why: one poison
    item costs its own row, never its batch's. Errors that are not the items' (connection lost,
    deadlock) propagate so the task fails and is retried.
    """
    if not items:
        return [], []
    try:
        with conn.begin_nested():
            return [write(items)], []
    except (sa.exc.DBAPIError, ValueError) as exc:
        if not is_item_error(exc):
            raise
    results, refused = [], []
    for item in items:
        try:
            with conn.begin_nested():
                results.append(write([item]))
        except (sa.exc.DBAPIError, ValueError) as exc:
            if not is_item_error(exc):
                raise
            refused.append((item, exc))
    return results, refused


def _chunks(rows: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(rows), _ROWS_PER_STATEMENT):
        yield rows[i:i + _ROWS_PER_STATEMENT]


def _is_better_name(new: str, old: str) -> bool:
    """Return True when ``new`` should replace ``old`` as display name: longer, or as long and first in code-point order.

    The tie-break makes the stored name independent of the order articles are analysed in
    (one worker or several); SQL compares with ``COLLATE "C"``, which is code-point order too.
    """
    return len(new) > len(old) or (len(new) == len(old) and new < old)


def _upsert_entities(conn: Connection, run: Run, batch: Sequence[ArticleEntities], model_version: str
                     ) -> dict[str, int]:
    """Upsert the batch's canonical entities in multi-row statements (key order); return id per key.

    One ``INSERT … VALUES (…), (…) ON CONFLICT … RETURNING`` per 1,000 entities, not one per
    entity (psycopg2 runs an executemany with RETURNING row by row). Key order also keeps two
    workers taking the same entities' locks in one order, so they wait, never deadlock.
    """
    best: dict[str, tuple[ResolvedMention, str]] = {}
    for item in batch:
        norm = dict(item.norm_keys)
        for m in item.mentions:
            old = best.get(m.key)
            if old is None or _is_better_name(m.canonical_name, old[0].canonical_name):
                best[m.key] = (m, norm[m.key])
    t = _t(conn, "entities")
    ids: dict[str, int] = {}
    rows = [{"key": key, "canonical_name": m.canonical_name, "type": m.label, "norm_key": norm_key,
             "model_version": model_version, "run_id": run.run_id} for key, (m, norm_key) in sorted(best.items())]
    for chunk in _chunks(rows):
        stmt = insert(t).values(list(chunk))
        new, old = stmt.excluded.canonical_name, t.c.canonical_name
        better = sa.or_(sa.func.length(new) > sa.func.length(old),
                        sa.and_(sa.func.length(new) == sa.func.length(old), new.collate("C") < old.collate("C")))
        stmt = stmt.on_conflict_do_update(index_elements=[t.c.key], set_={
            "canonical_name": sa.case((better, new), else_=old),
            "norm_key": sa.case((better, stmt.excluded.norm_key), else_=t.c.norm_key)})
        ids.update((r.key, r.id) for r in conn.execute(stmt.returning(t.c.key, t.c.id)))
    return ids


def store_entities(conn: Connection, run: Run, batch: Sequence[ArticleEntities], *, model_version: str) -> int:
    """Write a batch of articles' entities, aliases and mentions and stamp their version; return mentions written.

    A handful of statements per batch whatever its size; an article's old mentions are replaced.
    The display name of an entity only grows (see ``_is_better_name``).
    """
    if not batch:
        return 0
    ids = _upsert_entities(conn, run, batch, model_version)
    ta, tm, tart = _t(conn, "entity_aliases"), _t(conn, "entity_mentions"), _t(conn, "articles")
    aliases = {(ids[a.key], a.alias): a for item in batch for a in sorted(item.aliases, key=_alias_order)}
    if aliases:
        conn.execute(insert(ta).on_conflict_do_nothing(index_elements=[ta.c.entity_id, ta.c.alias]), [
            {"entity_id": entity_id, "alias": alias, "alias_key": a.alias_key, "language": a.language}
            for (entity_id, alias), a in sorted(aliases.items(), key=lambda kv: kv[0])])
    article_ids = [item.article_id for item in batch]
    conn.execute(sa.delete(tm).where(tm.c.article_id.in_(article_ids)))
    mentions = [{"article_id": item.article_id, "entity_id": ids[m.key], "start_char": m.start, "end_char": m.end,
                 "surface": m.text, "label": m.label, "run_id": run.run_id, "model_version": model_version}
                for item in batch for m in item.mentions]
    if mentions:
        # An upsert, not a plain insert: a second run analysing the same article at the same time
        # inserts rows this transaction's DELETE could not see, and must not violate the key.
        stmt = insert(tm)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[tm.c.article_id, tm.c.start_char, tm.c.end_char],
            set_={c: stmt.excluded[c] for c in ("entity_id", "surface", "label", "model_version", "run_id")}),
            mentions)
    conn.execute(sa.update(tart).where(tart.c.id.in_(article_ids)).values(entities_version=model_version))
    return len(mentions)


def _alias_order(alias: EntityAlias) -> tuple[str, str, str]:
    return alias.key, alias.alias, alias.language


def forget_entities(conn: Connection, article_ids: Sequence[int]) -> None:
    """Remove the mentions of articles whose analysis failed and mark them to do (they may point into an older text)."""
    if article_ids:
        tm, t = _t(conn, "entity_mentions"), _t(conn, "articles")
        conn.execute(sa.delete(tm).where(tm.c.article_id.in_(list(article_ids))))
        conn.execute(sa.update(t).where(t.c.id.in_(list(article_ids))).values(entities_version=None))


def stored_mentions(conn: Connection, article_ids: Sequence[int]) -> dict[int, list[StoredMention]]:
    """Return the stored entity mentions of ``article_ids`` in text order, per article (one query)."""
    tm = _t(conn, "entity_mentions")
    out: dict[int, list[StoredMention]] = {article_id: [] for article_id in article_ids}
    query = (sa.select(tm.c.article_id, tm.c.start_char, tm.c.end_char, tm.c.surface, tm.c.label, tm.c.entity_id)
             .where(tm.c.article_id.in_(list(article_ids))).order_by(tm.c.article_id, tm.c.start_char))
    for r in conn.execute(query):
        out[r.article_id].append(StoredMention(r.article_id, r.start_char, r.end_char, r.surface, r.label,
                                               r.entity_id))
    return out


def _numeric(value: float | None) -> float | int | None:
    """Return whole numbers as int so NUMERIC keeps no ".0" scale (400, not 400.0)."""
    return int(value) if value is not None and float(value).is_integer() else value


def _claim_row(run: Run, article_id: int, c: Claim, sentence: str, speaker_id: int | None,
               extractor_version: str) -> dict[str, Any]:
    return {
        "article_id": article_id, "speaker_text": c.speaker.text if c.speaker else None,
        "speaker_start": c.speaker.start if c.speaker else None,
        "speaker_end": c.speaker.end if c.speaker else None, "speaker_entity_id": speaker_id,
        "speaker_label": c.speaker_label, "cue": c.cue.text, "cue_start": c.cue.start, "cue_end": c.cue.end,
        "content": c.content.text, "start_char": c.content.start, "end_char": c.content.end, "kind": c.kind,
        "polarity": c.polarity, "sentence": sentence, "extractor_version": extractor_version,
        "run_id": run.run_id}


def store_claims(conn: Connection, run: Run, batch: Sequence[ArticleClaims], *, extractor_version: str,
                 nlp_version: str | None = None) -> tuple[int, int]:
    """Replace a batch of articles' claims and quantities, stamp ``nlp_version``; return (claims written, dropped).

    Two claims of one article with the same content span are one claim: the first is kept, the
    others are counted as dropped (as are quantities repeating a start offset and category
    within one claim). One multi-row upsert per 1,000 claims, one for their quantities.
    """
    tc, tq, t = _t(conn, "claims"), _t(conn, "claim_quantities"), _t(conn, "articles")
    article_ids = [item.article_id for item in batch]
    conn.execute(sa.delete(tc).where(tc.c.article_id.in_(article_ids)))  # quantities go with them (cascade)
    kept: dict[tuple[int, int, int], tuple[Claim, dict[str, Any]]] = {}
    for item in batch:
        for claim, sentence, speaker_id in zip(item.claims, item.sentences, item.speaker_ids, strict=True):
            kept.setdefault((item.article_id, claim.content.start, claim.content.end),
                            (claim, _claim_row(run, item.article_id, claim, sentence, speaker_id, extractor_version)))
    ids: dict[tuple[int, int, int], int] = {}
    for chunk in _chunks(list(kept.values())):
        stmt = insert(tc).values([row for _, row in chunk])
        # Upserts: concurrent runs of one article cannot violate the keys (their DELETE missed ours).
        stmt = stmt.on_conflict_do_update(
            index_elements=[tc.c.article_id, tc.c.start_char, tc.c.end_char],
            set_={c: stmt.excluded[c] for c in chunk[0][1] if c not in ("article_id", "start_char", "end_char")})
        ids.update(((r.article_id, r.start_char, r.end_char), r.id) for r in
                   conn.execute(stmt.returning(tc.c.article_id, tc.c.start_char, tc.c.end_char, tc.c.id)))
    quantities = [
        {"claim_id": ids[key], "value": _numeric(q.value), "text": q.text, "category": q.category,
         "qualifier": q.qualifier, "object": q.object, "start_char": q.start, "end_char": q.end,
         "value_low": _numeric(q.value_low), "value_high": _numeric(q.value_high)}
        for key, (claim, _) in kept.items()
        for q in {(q.start, q.category): q for q in claim.quantities}.values()]
    if quantities:
        qstmt = insert(tq)
        conn.execute(qstmt.on_conflict_do_update(
            index_elements=[tq.c.claim_id, tq.c.start_char, tq.c.category],
            set_={c: qstmt.excluded[c] for c in quantities[0] if c not in ("claim_id", "start_char", "category")}),
            quantities)
    if nlp_version is not None:
        conn.execute(sa.update(t).where(t.c.id.in_(article_ids)).values(nlp_version=nlp_version))
    found = sum(len(item.claims) for item in batch)
    dropped = found - len(kept) + sum(len(c.quantities) for c, _ in kept.values()) - len(quantities)
    return len(kept), dropped
