-- Question: every claim made by the Syrian army command this week, with its numbers.
--
-- The speaker is found through the entity tables (entities.norm_key, entity_aliases), not by
-- exact strings, so "القيادة العامة للجيش السوري", "قيادة الجيش السوري" and "Syrian army command"
-- all land on the same rows; speakers the recogniser did not link (speaker_entity_id NULL,
-- speaker_label ROLE) are matched on the same keys. Back-references ("بحسب البيان ذاته") were
-- resolved by the extractor, so they carry the command as speaker. Add names to names.
-- "This week" = the seven UTC days up to and including the latest night in pipeline_runs.
WITH night AS (
    -- The latest night loaded (pipeline_runs), not today: the query answers on the data it runs
    -- on, also a copy restored weeks later. For another night: SELECT date '2026-11-24' AS night.
    SELECT coalesce(max(logical_date), (now() AT TIME ZONE 'UTC')::date) AS night
      FROM pipeline_runs WHERE run_id LIKE 'news_ingest/%'
), params AS (
    SELECT (n.night - 6)::timestamp AT TIME ZONE 'UTC' AS since,
           (n.night + 1)::timestamp AT TIME ZONE 'UTC' AS until
      FROM night n
), names(name) AS (
    -- 'القيادة العامة' alone is how the article refers back to the command; it can also be
    -- another army's command, so drop it if it brings in noise.
    VALUES ('القيادة العامة للجيش السوري'), ('قيادة الجيش السوري'), ('القيادة العامة للجيش'),
           ('القيادة العامة'),
           ('القيادة العامة للجيش والقوات المسلحة'), ('Syrian army command'),
           ('Syrian Army General Command'), ('General Command of the Syrian Army')
), keys AS (
    SELECT claims_name_key(name) AS k FROM names
), speaker_entities AS (
    SELECT e.id FROM entities e JOIN keys ON claims_name_key(e.canonical_name) = keys.k OR e.norm_key = keys.k
    UNION
    SELECT ea.entity_id FROM entity_aliases ea JOIN keys ON claims_name_key(ea.alias) = keys.k OR ea.alias_key = keys.k
)
SELECT cs.published_at,
       cs.outlet,
       cs.speaker_name,
       cs.cue,
       cs.content,
       cs.kind,
       cs.polarity,
       q.category,
       q.qualifier,
       q.value,
       q.text   AS figure_as_written,
       q.object,
       cs.url
  FROM claims_with_speakers cs
  CROSS JOIN params p
  LEFT JOIN claim_quantities q ON q.claim_id = cs.claim_id AND q.category <> 'time'
 WHERE cs.published_at >= p.since AND cs.published_at < p.until
   AND (cs.speaker_entity_id IN (SELECT id FROM speaker_entities)
        OR claims_name_key(cs.speaker_text) IN (SELECT k FROM keys))
 ORDER BY cs.published_at, cs.claim_id, q.start_char;
