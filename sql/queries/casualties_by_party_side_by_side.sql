-- Question: casualty figures claimed by each party for the same event, side by side.
--
-- One row per event cluster and party: the largest figure each party gave for killed and
-- wounded (and destroyed), how they worded it, and which outlets carried it. Restricted to
-- clusters published in the seven UTC days up to the latest night in pipeline_runs that
-- mention Aleppo / حلب; drop that condition for all events.
-- A NULL figure with wording such as "tens عشرات القتلى" is a vague claim ("dozens killed").
WITH night AS (
    -- The latest night loaded (pipeline_runs), not today: the query answers on the data it runs
    -- on, also a copy restored weeks later. For another night: SELECT date '2026-11-24' AS night.
    SELECT coalesce(max(logical_date), (now() AT TIME ZONE 'UTC')::date) AS night
      FROM pipeline_runs WHERE run_id LIKE 'news_ingest/%'
)
SELECT n.cluster_id,
       n.event_title,
       n.speaker_name   AS party,
       n.killed,
       n.wounded,
       n.destroyed,
       n.figures_as_claimed,
       n.outlets,
       n.claims,
       n.first_published
  FROM claim_numbers_by_cluster n
  CROSS JOIN night
 WHERE (n.killed IS NOT NULL OR n.wounded IS NOT NULL
        OR n.figures_as_claimed ~ '(killed|wounded): ')
   AND n.last_published >= (night.night - 6)::timestamp AT TIME ZONE 'UTC'
   AND n.first_published < (night.night + 1)::timestamp AT TIME ZONE 'UTC'
   AND EXISTS (SELECT 1 FROM articles a
                WHERE coalesce(a.cluster_id, a.id) = n.cluster_id
                  AND (a.search @@ to_tsquery('arabic', 'حلب')
                       OR a.search @@ to_tsquery('english', 'aleppo')))
 ORDER BY n.cluster_id, n.killed DESC NULLS LAST, party;
