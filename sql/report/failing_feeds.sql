-- Report: feeds whose fetch failed in the night's run (parameter run), with how long they have been failing.
SELECT s.name                  AS source,
       f.url,
       ff.status_code,
       ff.error_kind,
       ff.error,
       f.consecutive_failures,
       f.last_success_at
  FROM feed_fetches ff
  JOIN feeds f ON f.id = ff.feed_id
  JOIN sources s ON s.id = f.source_id
 WHERE ff.run_id = :run AND ff.outcome = 'error'
 ORDER BY f.consecutive_failures DESC, s.name, f.url
