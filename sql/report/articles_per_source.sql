-- Report: articles per source per night, for the 7 nights ending at the report's
-- night (parameter night, a date).
-- A "night" is the run that first loaded the article (articles.run_id -> pipeline_runs.logical_date),
-- not its publication date: publication dates range over years, the nightly intake is what
-- tells an editor that an outlet went quiet. Nights without articles are absent; the
-- renderer draws every night of the window.
SELECT r.logical_date                                AS night,
       s.name                                        AS source,
       count(*)                                      AS articles,
       count(*) FILTER (WHERE a.duplicate_of IS NULL) AS stories
  FROM articles a
  JOIN pipeline_runs r ON r.run_id = a.run_id
  JOIN sources s ON s.id = a.source_id
 WHERE r.logical_date BETWEEN CAST(:night AS date) - 6 AND CAST(:night AS date)
 GROUP BY r.logical_date, s.name
 ORDER BY r.logical_date, s.name
