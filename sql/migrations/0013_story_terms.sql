-- newsetl revision 0011: document frequencies of story terms, for IDF-weighted story similarity.
-- The cluster stage weighs the words and names two articles share by how rare they are in the
-- history ("avalanche" or a victim's name much, "said", Trump or سوريا little). Counting them in
-- article_story_keys at every lookup would read every row of a common word; here each term has
-- one row with the number of clustered articles holding it, updated as each article is placed
-- (and uncounted first when it is placed again), so a lookup is one primary-key probe per term.
CREATE TABLE story_terms (
    term      text PRIMARY KEY,
    articles  bigint NOT NULL CHECK (articles >= 0)
);
COMMENT ON TABLE story_terms IS 'Document frequencies of story terms: how many clustered articles hold each term (the IDF of the cluster stage''s term cosine).';
COMMENT ON COLUMN story_terms.term IS 'A story term as in article_story_keys.key (''t:'' title word, ''w:'' word of the title or the lead, ''e:'' entity key), or ''#all'' for the count of clustered articles with any term.';
COMMENT ON COLUMN story_terms.articles IS 'The number of clustered articles whose story keys hold the term (for ''#all'': the number of clustered articles with any story key).';

-- Articles clustered before this revision are counted by the keys they have (title words and
-- entities; their lead words were never stored).
INSERT INTO story_terms (term, articles)
SELECT key, count(*) FROM article_story_keys GROUP BY key
UNION ALL
SELECT '#all', count(DISTINCT article_id) FROM article_story_keys;

COMMENT ON COLUMN article_story_keys.key IS '''t:'' and a normalised title word (articles.title_key), ''w:'' and a word of the title or the lead (the first 100 words of the body; from revision 0011), or ''e:'' and an entity key (entities.key).';
