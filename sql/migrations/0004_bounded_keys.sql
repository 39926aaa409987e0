-- newsetl revision 0002: keys and search vector that any item fits.
-- A single oversized value must never reject a whole night's writes:
-- * URL uniqueness is kept by unique B-tree indexes on md5(url) (32 characters whatever the URL's
--   length) instead of indexes on the URL itself, which PostgreSQL refuses for values over ~2.7 kB
--   ("index row size … exceeds"). md5 is a lookup key here, not a security boundary. (A PostgreSQL
--   hash index cannot be UNIQUE, hence B-tree over the hash.)
-- * The search vector indexes the first 100,000 characters of title and body: to_tsvector refuses
--   more than 1 MB of lexemes ("string is too long for tsvector"), which a page of ~1.8 MB of distinct
--   words reaches. Stored text is never truncated; only what full-text search sees.

ALTER TABLE feeds DROP CONSTRAINT feeds_url_key;
ALTER TABLE feeds DROP CONSTRAINT feeds_configured_url_key;
CREATE UNIQUE INDEX feeds_url_md5_key ON feeds (md5(url));
CREATE UNIQUE INDEX feeds_configured_url_md5_key ON feeds (md5(configured_url));

ALTER TABLE articles DROP CONSTRAINT articles_url_key_key;
CREATE UNIQUE INDEX articles_url_key_md5_key ON articles (md5(url_key));

ALTER TABLE pipeline_errors DROP CONSTRAINT pipeline_errors_run_id_stage_url_article_id_key;
CREATE UNIQUE INDEX pipeline_errors_once_key ON pipeline_errors (run_id, stage, md5(url), article_id) NULLS NOT DISTINCT;

ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector(CASE WHEN language = 'ar' THEN 'arabic'::regconfig
                     WHEN language = 'en' THEN 'english'::regconfig
                     ELSE 'simple'::regconfig END,
                arabic_fold(left(coalesce(title, '') || ' ' || coalesce(body, ''), 100000)))) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
COMMENT ON COLUMN articles.search IS 'Full-text vector (arabic/english/simple config by language) over arabic_fold of the first 100,000 characters of title and body: query it with plainto_tsquery(''arabic'', arabic_fold(''…'')) so hamza, diacritic and digit variants match.';
COMMENT ON COLUMN articles.url_key IS 'Normalised URL (scheme/host lower-cased, tracking parameters and fragment removed); natural key, unique through md5(url_key) so any length fits.';
