-- Question: which outlets reported the Aleppo strikes last night, and which of those stories
-- are the same wire copy?
--
-- "Last night" = published on the UTC day before the latest night in pipeline_runs (the run
-- of night D covers what appeared on D-1), or, undated, first loaded by that night's run. Stories match when their full-text vector (Arabic or English stemming)
-- matches حلب / Aleppo. Rows with the same copy_of are one wire copy carried by several
-- outlets (articles.duplicate_of points at the earliest copy); cluster_id groups rewrites of
-- the same event.
WITH night AS (
    -- The latest night loaded (pipeline_runs), not today: the query answers on the data it runs
    -- on, also a copy restored weeks later. For another night: SELECT date '2026-11-24' AS night.
    SELECT coalesce(max(logical_date), (now() AT TIME ZONE 'UTC')::date) AS night
      FROM pipeline_runs WHERE run_id LIKE 'news_ingest/%'
), params AS (
    SELECT (n.night - 1)::timestamp AT TIME ZONE 'UTC' AS since,
           n.night::timestamp AT TIME ZONE 'UTC'       AS until,
           'news_ingest/' || n.night                   AS run_id
      FROM night n
), hits AS (
    SELECT a.id, a.title, a.url, a.published_at, a.language, s.name AS outlet,
           coalesce(a.duplicate_of, a.id) AS copy_of,
           coalesce(a.cluster_id, a.id)   AS cluster_id
      FROM articles a
      JOIN sources s ON s.id = a.source_id
      CROSS JOIN params p
     WHERE ((a.published_at >= p.since AND a.published_at < p.until)
            OR (a.published_at IS NULL AND a.run_id = p.run_id))
       AND (a.search @@ to_tsquery('arabic', 'حلب')
            OR a.search @@ to_tsquery('english', 'aleppo')
            OR a.title ILIKE '%حلب%' OR a.title ILIKE '%aleppo%')
)
SELECT h.outlet,
       h.title,
       h.url,
       h.published_at,
       h.copy_of,
       count(*) OVER (PARTITION BY h.copy_of)                   AS articles_with_this_copy,
       string_agg(h.outlet, ', ') OVER (PARTITION BY h.copy_of) AS same_copy_outlets,
       h.cluster_id
  FROM hits h
 ORDER BY h.cluster_id, h.copy_of, h.published_at;
