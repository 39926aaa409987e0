-- newsetl revision 0010: indexes for the story views on a large history.
-- story_cluster_articles exposes coalesce(cluster_id, id) AS cluster_id and coalesce(duplicate_of, id)
-- AS copy_of (an article not clustered yet is a cluster of its own; an original is its own story).
-- "All of one cluster" (WHERE cluster_id = …) and "one story with its copies" (WHERE copy_of = …)
-- filter on those expressions, which the plain indexes on cluster_id and duplicate_of cannot answer:
-- without these, each such lookup read every article (a sequential scan of the whole history).

CREATE INDEX articles_story_cluster_idx ON articles ((coalesce(cluster_id, id)));
CREATE INDEX articles_story_copy_idx ON articles ((coalesce(duplicate_of, id)));
