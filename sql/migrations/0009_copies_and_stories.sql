-- newsetl revision 0009: copies and stories across the whole history.
-- LSH bands of MinHash signatures in an indexed table (candidates of a new article are found by
-- index probes, whatever the size of the history), sightings of known articles, the canonical
-- URL key, and an index on each article's publication time for the incremental story clusters.

ALTER TABLE articles ADD COLUMN minhash bytea;
ALTER TABLE articles ADD COLUMN shingle_count integer;
ALTER TABLE articles ADD COLUMN duplicate_similarity real;
ALTER TABLE articles ADD COLUMN duplicate_reason text
    CHECK (duplicate_reason IN ('canonical-url', 'body-hash', 'near-copy'));
ALTER TABLE articles ADD COLUMN canonical_key text;
ALTER TABLE articles ADD COLUMN cluster_version text;
COMMENT ON COLUMN articles.minhash IS 'MinHash signature of the body''s word 3-shingles (normalised Arabic keys): 96 little-endian uint32 values; NULL for texts under 20 words.';
COMMENT ON COLUMN articles.shingle_count IS 'Number of distinct word 3-shingles of the body (turns the estimated Jaccard into the share of the shorter text found in the other).';
COMMENT ON COLUMN articles.duplicate_similarity IS 'Estimated share of the shorter text found in the original (1 for equal canonical URL or body hash); NULL when not a copy.';
COMMENT ON COLUMN articles.duplicate_reason IS 'Why the article is a copy of duplicate_of: canonical-url, body-hash or near-copy (MinHash); NULL when not a copy.';
COMMENT ON COLUMN articles.canonical_key IS 'normalise_url of the page''s rel=canonical / og:url: a copy found after the page fetch has the same key as its original.';
COMMENT ON COLUMN articles.cluster_version IS 'Story-clustering version that placed this article in cluster_id; NULL means not clustered yet.';
COMMENT ON COLUMN articles.simhash IS 'No longer written (dedup/1 SimHash, replaced by minhash in revision 0009); kept for old rows.';
COMMENT ON COLUMN articles.duplicate_of IS 'The original this article copies (same canonical URL, same body hash or MinHash near copy; always an earlier, smaller id, itself no copy); NULL for originals.';

CREATE INDEX articles_canonical_key_idx ON articles (md5(canonical_key)) WHERE canonical_key IS NOT NULL;
CREATE INDEX articles_feed_guid_idx ON articles (feed_id, md5(guid)) WHERE guid IS NOT NULL;
CREATE INDEX articles_story_time_idx ON articles ((coalesce(published_at, created_at)));
CREATE INDEX articles_title_words_idx ON articles USING gin (string_to_array(title_key, ' '));
CREATE INDEX articles_cluster_todo_idx ON articles (id) WHERE cluster_version IS NULL;
CREATE INDEX articles_duplicate_of_idx ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE TABLE article_lsh_bands (
    band        smallint NOT NULL,
    hash        bigint NOT NULL,
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, hash, article_id)
);
CREATE INDEX article_lsh_bands_article_idx ON article_lsh_bands (article_id);
COMMENT ON TABLE article_lsh_bands IS 'LSH bands of each article''s MinHash signature (32 bands of 3 values): two articles sharing a row are candidate copies, verified by their estimated similarity.';
COMMENT ON COLUMN article_lsh_bands.band IS 'Band number, 0–31.';
COMMENT ON COLUMN article_lsh_bands.hash IS 'Signed 64-bit hash of the band''s three signature values.';
COMMENT ON COLUMN article_lsh_bands.article_id IS 'The article whose signature has this band.';

CREATE TABLE article_sightings (
    id             bigserial PRIMARY KEY,
    article_id     bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    feed_id        integer REFERENCES feeds (id),
    url            text NOT NULL,
    guid           text,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    first_run_id   text REFERENCES pipeline_runs (run_id),
    last_run_id    text REFERENCES pipeline_runs (run_id)
);
CREATE UNIQUE INDEX article_sightings_key ON article_sightings (article_id, coalesce(feed_id, 0), md5(url));
CREATE INDEX article_sightings_feed_idx ON article_sightings (feed_id);
COMMENT ON TABLE article_sightings IS 'Every feed and URL under which an article was listed (one row per article, feed and URL): re-seeing a known story updates last_seen_at and creates no second article.';
COMMENT ON COLUMN article_sightings.id IS 'Surrogate key.';
COMMENT ON COLUMN article_sightings.article_id IS 'The article seen.';
COMMENT ON COLUMN article_sightings.feed_id IS 'The feed that listed it.';
COMMENT ON COLUMN article_sightings.url IS 'The link as the feed gave it (tracking parameters and all).';
COMMENT ON COLUMN article_sightings.guid IS 'The feed item''s GUID, if any (scoped to its feed).';
COMMENT ON COLUMN article_sightings.first_seen_at IS 'When this feed first listed it under this URL.';
COMMENT ON COLUMN article_sightings.last_seen_at IS 'When this feed last listed it under this URL.';
COMMENT ON COLUMN article_sightings.first_run_id IS 'The run that first saw it.';
COMMENT ON COLUMN article_sightings.last_run_id IS 'The run that last saw it.';

INSERT INTO article_sightings (article_id, feed_id, url, guid, first_seen_at, last_seen_at, first_run_id, last_run_id)
SELECT id, feed_id, url, guid, created_at, created_at, run_id, run_id FROM articles
ON CONFLICT DO NOTHING;

-- Every article is deduplicated and clustered again by the new stages (one backfill night).
UPDATE articles SET dedup_version = NULL;
