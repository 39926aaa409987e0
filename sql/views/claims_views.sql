-- claims_views: the analyst face of the claims tables (who said what, with which numbers).
--
-- Applied after the core schema (claims, claim_quantities, articles, sources, entities,
-- entity_aliases). Everything here is CREATE OR REPLACE, so re-applying is harmless.
--
--   claims_name_key(text)      the matching key of a name, as etl.arabic.normalise_key(strip_clitic=True)
--   claims_with_speakers       one row per claim: speaker name and key, outlet, date, numbers
--   claim_numbers_by_cluster   per event cluster and party: killed / wounded / ... side by side
--   speaker_claims_daily       per day: speakers ranked by the number of claims attributed to them

-- A matching key for names typed by an analyst or stored as speaker_text: no harakat or
-- tatweel, alef/ya/ta marbuta/hamza folded, Eastern digits to ASCII, lower case, punctuation to
-- spaces, and the article with its attached particles (ال، وال، بال، لل …) off each Arabic word.
-- It is deliberately simpler than etl.arabic.normalise_key (no lone و/ب/ل stripping, which needs
-- the Python exception list), so compare it with itself on both sides:
--     WHERE claims_name_key(ea.alias) = claims_name_key('دميتري بيسكوف')
CREATE OR REPLACE FUNCTION claims_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
SELECT btrim(regexp_replace(
         regexp_replace(
           regexp_replace(
             lower(arabic_fold(coalesce(name, ''))),
             '[^0-9a-z_\u00c0-\u024f\u0621-\u064a\u0671-\u06d3]+', ' ', 'g'),
           '(^| )(وبال|وكال|فبال|وال|فال|بال|كال|لل|ال)([^ ]{3,})', '\1\3', 'g'),
         ' +', ' ', 'g'))
$fn$;
COMMENT ON FUNCTION claims_name_key(text) IS
  'Matching key of a name: Arabic-normalised, lower case, punctuation-free, definite article off each word. Compare claims_name_key(x) = claims_name_key(y).';


CREATE OR REPLACE VIEW claims_with_speakers AS
SELECT c.id                                          AS claim_id,
       c.article_id,
       a.published_at,
       (a.published_at AT TIME ZONE 'UTC')::date     AS published_day,
       s.name                                        AS outlet,
       a.language,
       a.title,
       a.url,
       coalesce(a.cluster_id, a.id)                  AS cluster_id,
       coalesce(a.duplicate_of, a.id)                AS copy_of,
       coalesce(e.canonical_name, c.speaker_text)    AS speaker_name,
       -- One key function for linked and unlinked speakers alike, so one party never splits in two.
       claims_name_key(coalesce(e.canonical_name, c.speaker_text)) AS speaker_key,
       c.speaker_text,
       c.speaker_label,
       c.speaker_entity_id,
       e.type                                        AS speaker_entity_type,
       c.cue,
       c.content,
       c.kind,
       c.polarity,
       c.sentence,
       (SELECT count(*) FROM claim_quantities q WHERE q.claim_id = c.id) AS n_quantities,
       (SELECT string_agg(concat_ws(' ', q.qualifier, coalesce(q.value::text, q.text), q.object,
                                    '(' || q.category || ')'), '; ' ORDER BY q.start_char)
          FROM claim_quantities q WHERE q.claim_id = c.id)              AS numbers,
       c.extractor_version,
       c.run_id
  FROM claims c
  JOIN articles a ON a.id = c.article_id
  JOIN sources s ON s.id = a.source_id
  LEFT JOIN entities e ON e.id = c.speaker_entity_id;
COMMENT ON VIEW claims_with_speakers IS
  'One row per claim with its speaker (canonical entity name when linked, else the words of the article; speaker_key for matching), outlet, publication date, event cluster, wire-copy group (copy_of) and its numbers as text.';


CREATE OR REPLACE VIEW claim_numbers_by_cluster AS
WITH numbers AS (
    SELECT cs.cluster_id, cs.speaker_key, cs.speaker_name, cs.outlet, cs.article_id,
           cs.published_at, cs.claim_id, cs.copy_of, cs.content, q.category, q.value, q.qualifier,
           claims_name_key(q.object) AS object_key, q.object,
           concat_ws(' ', q.qualifier, coalesce(q.value::text, q.text), q.object) AS shown
      FROM claims_with_speakers cs
      JOIN claim_quantities q ON q.claim_id = cs.claim_id
     WHERE q.category NOT IN ('time', 'other', 'percent')
       AND cs.speaker_key <> ''  -- figures nobody is said to have given are not a party
)
SELECT n.cluster_id,
       (SELECT a.title FROM articles a WHERE a.id = n.cluster_id)   AS event_title,
       n.speaker_key,
       min(n.speaker_name)                                          AS speaker_name,
       max(n.value) FILTER (WHERE n.category = 'killed')            AS killed,
       max(n.value) FILTER (WHERE n.category = 'wounded')           AS wounded,
       max(n.value) FILTER (WHERE n.category = 'arrested')          AS arrested,
       max(n.value) FILTER (WHERE n.category = 'displaced')         AS displaced,
       -- "5 مقرات" and "7 مستودعات" are different things: one destroyed figure only when one
       -- kind of object was counted; every kind is in destroyed_by_object
       CASE WHEN count(DISTINCT n.object_key) FILTER (WHERE n.category = 'destroyed') <= 1
            THEN max(n.value) FILTER (WHERE n.category = 'destroyed') END AS destroyed,
       max(n.value) FILTER (WHERE n.category = 'money')             AS money,
       string_agg(DISTINCT n.category || ': ' || n.shown, '; ')     AS figures_as_claimed,
       count(DISTINCT (n.copy_of, n.content))                       AS claims,
       count(DISTINCT n.article_id)                                 AS articles,
       string_agg(DISTINCT n.outlet, ', ')                          AS outlets,
       min(n.published_at)                                          AS first_published,
       max(n.published_at)                                          AS last_published,
       count(DISTINCT n.copy_of)                                    AS stories,
       (SELECT string_agg(d.object || ': ' || d.most, '; ' ORDER BY d.object)
          FROM (SELECT min(m.object) AS object, max(m.value)::text AS most
                  FROM numbers m
                 WHERE m.cluster_id = n.cluster_id AND m.speaker_key = n.speaker_key
                   AND m.category = 'destroyed' AND m.value IS NOT NULL
                 GROUP BY m.object_key) d)                          AS destroyed_by_object
  FROM numbers n
 GROUP BY n.cluster_id, n.speaker_key;
COMMENT ON VIEW claim_numbers_by_cluster IS
  'Per event cluster and party (speaker_key): the largest figure each party claimed per category (killed, wounded, arrested, displaced, destroyed, money) side by side, the figures as worded, and which outlets carried them. Vague figures ("dozens") have no value but appear in figures_as_claimed. Counts: stories (a wire copy carried by several outlets is one story), claims (distinct statements per story), articles (every copy).';


CREATE OR REPLACE VIEW speaker_claims_daily AS
SELECT cs.published_day                                  AS day,
       cs.speaker_key,
       min(cs.speaker_name)                              AS speaker_name,
       min(cs.speaker_label)                             AS speaker_label,
       min(cs.speaker_entity_id)                         AS speaker_entity_id,
       -- A wire copy carried by several outlets is one statement: count each once ...
       count(DISTINCT (cs.copy_of, cs.content))          AS claims,
       count(DISTINCT (cs.copy_of, cs.content)) FILTER (WHERE cs.kind = 'direct')   AS direct_quotes,
       count(DISTINCT (cs.copy_of, cs.content)) FILTER (WHERE cs.polarity = 'deny') AS denials,
       -- ... and how many times outlets carried them.
       count(*)                                          AS reports,
       count(DISTINCT cs.article_id)                     AS articles,
       count(DISTINCT cs.outlet)                         AS outlets,
       -- "How often was X quoted" = stories (a wire copy counted once) quoting X: the ranking.
       dense_rank() OVER (PARTITION BY cs.published_day
                          ORDER BY count(DISTINCT cs.copy_of) DESC,
                                   count(DISTINCT (cs.copy_of, cs.content)) DESC) AS rank_in_day,
       count(DISTINCT cs.copy_of)                        AS stories
  FROM claims_with_speakers cs
 WHERE cs.speaker_key IS NOT NULL AND cs.speaker_key <> ''
 GROUP BY cs.published_day, cs.speaker_key;
COMMENT ON VIEW speaker_claims_daily IS
  'Per publication day (UTC) and speaker (speaker_key): how often the speaker was quoted, in stories (a wire copy carried by several outlets is one story; the unit of every "how often quoted" query), distinct claims per story, direct quotes, denials, reports (claims as carried by every outlet), articles and outlets, ranked within the day by stories, then claims (rank_in_day 1 = most quoted).';
