-- newsetl revision 0010: indexes for the story views on a large history.
-- story_cluster_articles exposes coalesce(cluster_id, id) AS cluster_id and coalesce(duplicate_of, id)
-- AS copy_of (an article not clustered yet is a cluster of its own; an original is its own story).
-- "All of one cluster" (WHERE cluster_id = …) and "one story with its copies" (WHERE copy_of = …)
-- filter on those expressions, which the plain indexes on cluster_id and duplicate_of cannot answer:
-- without these, each such lookup read every article (a sequential scan of the whole history).

CREATE INDEX articles_story_cluster_idx ON articles ((coalesce(cluster_id, id)));
CREATE INDEX articles_story_copy_idx ON articles ((coalesce(duplicate_of, id)));

-- Story neighbours by key and publication time. The cluster stage looks for clustered articles
-- published within two days of a new one that share a title word or an entity with it. Through
-- the title-word GIN index and entity_mentions that lookup read every article of the history
-- holding a common word or entity ("the", "على", Syria) and only then filtered on time, so its
-- cost grew with the history (81 → 109 ms per article from 10k to 100k rows). Here each key of a
-- clustered article is stored with its publication time, and one index range per key returns
-- only the articles inside the window, whatever the size of the history.
CREATE TABLE article_story_keys (
    key         text NOT NULL,
    at          timestamptz NOT NULL,
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (key, at, article_id)
);
CREATE INDEX article_story_keys_article_idx ON article_story_keys (article_id);
COMMENT ON TABLE article_story_keys IS 'The title words and entity keys of every clustered article with its publication time: the index the cluster stage finds an article''s possible same-event neighbours by (one range per key within the time window).';
COMMENT ON COLUMN article_story_keys.key IS '''t:'' and a normalised title word (articles.title_key), or ''e:'' and an entity key (entities.key).';
COMMENT ON COLUMN article_story_keys.at IS 'The article''s publication time (published_at, else created_at), as the story window uses it.';
COMMENT ON COLUMN article_story_keys.article_id IS 'The clustered article.';

INSERT INTO article_story_keys (key, at, article_id)
SELECT 't:' || w.word, coalesce(a.published_at, a.created_at), a.id
  FROM articles a, unnest(string_to_array(a.title_key, ' ')) AS w(word)
 WHERE a.cluster_version IS NOT NULL AND w.word <> ''
UNION
SELECT 'e:' || e.key, coalesce(a.published_at, a.created_at), a.id
  FROM articles a JOIN entity_mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id
 WHERE a.cluster_version IS NOT NULL
ON CONFLICT DO NOTHING;
