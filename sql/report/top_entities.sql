-- Report: the entities most present in the night's articles (loaded by the run in parameter run), ranked by
-- stories (a wire copy carried by several outlets counts once), then mentions.
SELECT e.canonical_name                                  AS name,
       e.type,
       count(DISTINCT coalesce(a.duplicate_of, a.id))    AS stories,
       count(*)                                          AS mentions
  FROM entity_mentions m
  JOIN articles a ON a.id = m.article_id
  JOIN entities e ON e.id = m.entity_id
 WHERE a.run_id = :run
 GROUP BY e.id, e.canonical_name, e.type
 ORDER BY stories DESC, mentions DESC, e.canonical_name
 LIMIT :limit
