-- Question: which outlets reported the Aleppo strikes last night, and which of those stories
-- are the same wire copy?
--
-- "Last night" = published in the 24 hours before the start of today (UTC); change the
-- window in params. Stories match when their full-text vector (Arabic or English stemming)
-- matches حلب / Aleppo. Rows with the same copy_of are one wire copy carried by several
-- outlets (articles.duplicate_of points at the earliest copy); cluster_id groups rewrites of
-- the same event.
WITH params AS (
    SELECT (date_trunc('day', now() AT TIME ZONE 'UTC') - interval '1 day') AT TIME ZONE 'UTC' AS since,
           date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'                    AS until
), hits AS (
    SELECT a.id, a.title, a.url, a.published_at, a.language, s.name AS outlet,
           coalesce(a.duplicate_of, a.id) AS copy_of,
           coalesce(a.cluster_id, a.id)   AS cluster_id
      FROM articles a
      JOIN sources s ON s.id = a.source_id
      CROSS JOIN params p
     WHERE a.published_at >= p.since AND a.published_at < p.until
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
