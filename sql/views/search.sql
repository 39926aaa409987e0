-- search: ranked article search and fuzzy entity names, for analysts in plain SQL.
--
--   search_articles(query, lang)        articles matching every word of query, best first
--   find_entities(name, min_similarity) entities whose name or an alias is close to name, best first
--   name_similarity(a, b)               0..1 trigram similarity: pg_trgm's when the extension is
--                                       installed, else name_similarity_sql (same idea, in SQL, slower)

-- A query word matches as typed or without its proclitics (لحلب finds حلب), after the same
-- folding as the stored vector (diacritics, hamza forms, tatweel, digits): articles.search.
CREATE OR REPLACE FUNCTION search_tsquery(query text, config regconfig) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
SELECT to_tsquery(config, string_agg(
           '(' || quote_literal(w) || ' | ' || quote_literal(arabic_strip_clitics(w)) || ')', ' & '))
  FROM regexp_split_to_table(lower(arabic_fold(coalesce(query, ''))), '[^[:alnum:]_]+') AS w
 WHERE w <> ''
$fn$;
COMMENT ON FUNCTION search_tsquery(text, regconfig) IS
  'The tsquery search_articles uses: every word of query, each as typed or without its Arabic proclitics, folded like articles.search.';

CREATE OR REPLACE FUNCTION search_articles(query text, lang text DEFAULT NULL)
RETURNS TABLE (article_id bigint, rank real, title text, outlet text, published_at timestamptz,
               language text, url text, copy_of bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
WITH configured AS (
    SELECT a.*, CASE a.language WHEN 'ar' THEN 'arabic'::regconfig WHEN 'en' THEN 'english'::regconfig
                                ELSE 'simple'::regconfig END AS config
      FROM articles a
     WHERE lang IS NULL OR a.language = lang
), hits AS (
    SELECT c.*, search_tsquery(query, c.config) AS q FROM configured c
)
SELECT h.id,
       (ts_rank_cd(h.search, h.q)
        -- the words in the title count more than the same words deep in the body
        + CASE WHEN to_tsvector(h.config, arabic_fold(coalesce(h.title, ''))) @@ h.q THEN 1 ELSE 0 END
       )::real AS rank,
       h.title, s.name, h.published_at, h.language, h.url, coalesce(h.duplicate_of, h.id)
  FROM hits h JOIN sources s ON s.id = h.source_id
 WHERE h.search @@ h.q
 ORDER BY rank DESC, h.published_at DESC NULLS LAST, h.id
$fn$;
COMMENT ON FUNCTION search_articles(text, text) IS
  'Articles matching every word of query (Arabic folded: diacritics, hamza forms, tatweel; proclitics stripped: لحلب finds حلب), in language lang (ar, en) or any, best first: SELECT * FROM search_articles(''لحلب'');';

-- The trigrams of pg_trgm (each word padded with two spaces before and one after), in SQL.
CREATE OR REPLACE FUNCTION name_trigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
SELECT coalesce(array_agg(DISTINCT substr(p, i, 3)), '{}')
  FROM (SELECT '  ' || w || ' ' AS p
          FROM regexp_split_to_table(lower(coalesce(t, '')), '[^[:alnum:]]+') AS w WHERE w <> '') words,
       generate_series(1, length(p) - 2) AS i
$fn$;
COMMENT ON FUNCTION name_trigrams(text) IS 'The set of trigrams of a text, as pg_trgm forms them; for name_similarity_sql.';

CREATE OR REPLACE FUNCTION name_similarity_sql(a text, b text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
SELECT CASE WHEN cardinality(u) = 0 THEN 0 ELSE cardinality(i)::real / cardinality(u) END
  FROM (SELECT ARRAY(SELECT unnest(name_trigrams(a)) INTERSECT SELECT unnest(name_trigrams(b))) AS i,
               ARRAY(SELECT unnest(name_trigrams(a)) UNION SELECT unnest(name_trigrams(b))) AS u) sets
$fn$;
COMMENT ON FUNCTION name_similarity_sql(text, text) IS
  'Shared trigrams over all trigrams (0..1), like pg_trgm similarity(): the fallback where pg_trgm is not installed (the embedded server), slower and without an index.';

-- pg_trgm where the extension is installed (migration 0002 installs it when the server has it).
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE OR REPLACE FUNCTION name_similarity(a text, b text) RETURNS real
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT similarity(a, b)';
    ELSE
        CREATE OR REPLACE FUNCTION name_similarity(a text, b text) RETURNS real
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT name_similarity_sql(a, b)';
    END IF;
END
$do$;
COMMENT ON FUNCTION name_similarity(text, text) IS
  'Trigram similarity 0..1 of two names: pg_trgm similarity() when the extension is installed, else name_similarity_sql().';

CREATE OR REPLACE FUNCTION find_entities(name text, min_similarity real DEFAULT 0.3)
RETURNS TABLE (entity_id bigint, canonical_name text, type text, similarity real, matched_name text,
               mentions bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
WITH target AS (
    SELECT claims_name_key(name) AS k
), names AS (
    SELECT e.id, e.canonical_name AS n FROM entities e
    UNION
    SELECT ea.entity_id, ea.alias FROM entity_aliases ea
), scored AS (
    -- the whole name, or its closest word: بيسكوف is close to دميتري بيسكوف
    SELECT nm.id, nm.n,
           greatest(name_similarity(claims_name_key(nm.n), t.k),
                    (SELECT max(name_similarity(w, t.k))
                       FROM regexp_split_to_table(claims_name_key(nm.n), ' ') AS w)) AS sim
      FROM names nm CROSS JOIN target t
)
SELECT e.id, e.canonical_name, e.type, max(sc.sim)::real,
       (array_agg(sc.n ORDER BY sc.sim DESC, sc.n))[1],
       (SELECT count(*) FROM entity_mentions m WHERE m.entity_id = e.id)
  FROM scored sc JOIN entities e ON e.id = sc.id
 WHERE sc.sim >= min_similarity
 GROUP BY e.id
 ORDER BY 4 DESC, 6 DESC, e.id
$fn$;
COMMENT ON FUNCTION find_entities(text, real) IS
  'Entities whose canonical name or an alias is close to name (trigram similarity of claims_name_key forms, whole name or closest word, at least min_similarity), best first, with their mention counts: SELECT * FROM find_entities(''بيسكوف'');';
