-- story_views: the analyst face of copies and story clusters (articles.duplicate_of, cluster_id,
-- article_sightings).
--
-- Applied after the core schema (articles, sources, article_sightings). Everything here is
-- CREATE OR REPLACE, so re-applying is harmless. Words as in the schema: a copy is the same text
-- republished (duplicate_of); a story is an original with its copies (copy_of); a story cluster
-- is the set of articles about one event (cluster_id), copies included. An article not clustered
-- yet is a cluster of its own, as in claims_with_speakers.
--
--   story_cluster_articles   one row per article: its cluster, its story, copy or original, outlet, first/last seen
--   story_clusters           per cluster: articles, stories, copies, outlets, languages, first/last published and seen
--   source_syndication       per outlet: the share of its articles that are copies of another outlet's


CREATE OR REPLACE VIEW story_cluster_articles AS
SELECT coalesce(a.cluster_id, a.id)                  AS cluster_id,
       a.id                                          AS article_id,
       coalesce(a.duplicate_of, a.id)                AS copy_of,
       a.duplicate_of IS NOT NULL                    AS is_copy,
       a.duplicate_reason,
       a.duplicate_similarity,
       o.name                                        AS original_outlet,
       (SELECT count(*) FROM articles c WHERE c.duplicate_of = a.id) AS copies,
       s.name                                        AS outlet,
       a.language,
       a.title,
       a.url,
       a.published_at,
       coalesce(seen.first_seen_at, a.created_at)    AS first_seen_at,
       coalesce(seen.last_seen_at, a.created_at)     AS last_seen_at,
       coalesce(seen.sightings, 0)                   AS sightings
  FROM articles a
  JOIN sources s ON s.id = a.source_id
  LEFT JOIN articles oa ON oa.id = a.duplicate_of
  LEFT JOIN sources o ON o.id = oa.source_id
  LEFT JOIN LATERAL (
      SELECT min(g.first_seen_at) AS first_seen_at, max(g.last_seen_at) AS last_seen_at,
             count(*) AS sightings
        FROM article_sightings g
       WHERE g.article_id = a.id) seen ON true;
COMMENT ON VIEW story_cluster_articles IS
  'One row per article with its story cluster (cluster_id), its story (copy_of: a copy shares its original''s), whether it is a copy (and why, how similar, of which outlet''s article), how many copies it has, its outlet, language and when the feeds first and last listed it. All of one cluster: WHERE cluster_id = …; one story with all its copies: WHERE copy_of = ….';


CREATE OR REPLACE VIEW story_clusters AS
SELECT sca.cluster_id,
       (SELECT a.title FROM articles a WHERE a.id = sca.cluster_id)  AS title,
       count(*)                                                      AS articles,
       count(DISTINCT sca.copy_of)                                   AS stories,
       count(*) FILTER (WHERE sca.is_copy)                           AS copies,
       count(DISTINCT sca.outlet)                                    AS outlet_count,
       string_agg(DISTINCT sca.outlet, ', ')                         AS outlets,
       count(DISTINCT sca.language)                                  AS language_count,
       string_agg(DISTINCT sca.language, ', ')                       AS languages,
       min(sca.published_at)                                         AS first_published,
       max(sca.published_at)                                         AS last_published,
       min(sca.first_seen_at)                                        AS first_seen_at,
       max(sca.last_seen_at)                                         AS last_seen_at
  FROM story_cluster_articles sca
 GROUP BY sca.cluster_id;
COMMENT ON VIEW story_clusters IS
  'Per story cluster (one event across outlets and languages): its articles (every copy), stories (a wire copy carried by several outlets is one story), copies, the outlets and languages that carried it, first/last publication and first/last time a feed listed one of its articles. Its articles: story_cluster_articles WHERE cluster_id = ….';


CREATE OR REPLACE VIEW source_syndication AS
WITH per_article AS (
    SELECT a.source_id,
           a.id,
           a.duplicate_of IS NULL                                    AS is_original,
           a.duplicate_of IS NOT NULL AND oa.source_id <> a.source_id AS copies_other,
           a.duplicate_of IS NOT NULL AND oa.source_id = a.source_id  AS copies_own,
           CASE WHEN oa.source_id <> a.source_id THEN oa.source_id END AS copied_source_id
      FROM articles a
      LEFT JOIN articles oa ON oa.id = a.duplicate_of
)
SELECT s.id                                                           AS source_id,
       s.name                                                         AS outlet,
       count(p.id)                                                    AS articles,
       count(p.id) FILTER (WHERE p.is_original)                       AS originals,
       count(p.id) FILTER (WHERE p.copies_other)                      AS copies_of_others,
       count(p.id) FILTER (WHERE p.copies_own)                        AS own_copies,
       round(count(p.id) FILTER (WHERE p.copies_other)::numeric / nullif(count(p.id), 0), 3)
                                                                      AS syndication_share,
       string_agg(DISTINCT cs.name, ', ')                             AS copied_from,
       (SELECT count(DISTINCT c.duplicate_of)
          FROM articles c JOIN articles oc ON oc.id = c.duplicate_of
         WHERE oc.source_id = s.id AND c.source_id <> s.id)           AS originals_copied_by_others
  FROM sources s
  LEFT JOIN per_article p ON p.source_id = s.id
  LEFT JOIN sources cs ON cs.id = p.copied_source_id
 GROUP BY s.id, s.name;
COMMENT ON VIEW source_syndication IS
  'Per outlet (every source, also those with no article yet): its articles, how many are originals, copies of another outlet''s article (syndication) or of its own, the share of its articles that are copies of another outlet''s (syndication_share), which outlets it copied, and how many of its originals other outlets copied. Over the whole history; for a period, count story_cluster_articles instead.';
