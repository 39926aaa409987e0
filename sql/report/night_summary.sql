-- Report: the night at a glance, for the run of the night (parameter run, e.g. news_ingest/2026-11-24).
-- Stories count a wire copy carried by several outlets once (coalesce(duplicate_of, id)),
-- the unit of every "how often" in the views.
SELECT (SELECT r.status FROM pipeline_runs r WHERE r.run_id = :run)                     AS run_status,
       (SELECT r.code_version FROM pipeline_runs r WHERE r.run_id = :run)               AS code_version,
       (SELECT count(*) FROM articles a WHERE a.run_id = :run)                          AS articles,
       (SELECT count(DISTINCT coalesce(a.duplicate_of, a.id)) FROM articles a
         WHERE a.run_id = :run)                                                         AS stories,
       (SELECT count(*) FROM claims c JOIN articles a ON a.id = c.article_id
         WHERE a.run_id = :run)                                                         AS claims,
       (SELECT count(*) FROM feed_fetches ff WHERE ff.run_id = :run)                    AS feeds_fetched,
       (SELECT count(*) FROM feed_fetches ff WHERE ff.run_id = :run AND ff.outcome = 'error') AS feeds_failed
