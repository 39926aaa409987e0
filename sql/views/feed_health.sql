-- feed_health: one row per feed, so an analyst can find feeds that silently stopped.
-- Columns: last success, consecutive failures, and items seen per day over the last 14 days.
CREATE OR REPLACE VIEW feed_health AS
SELECT f.id AS feed_id,
       s.name AS source,
       f.url,
       f.active,
       f.last_success_at,
       f.consecutive_failures,
       f.last_status,
       f.last_error,
       (SELECT round(coalesce(sum(ff.items_seen), 0) / 14.0, 2)
          FROM feed_fetches ff
         WHERE ff.feed_id = f.id AND ff.attempted_at > now() - interval '14 days') AS items_seen_per_day,
       (SELECT count(*) FROM articles a
         WHERE a.feed_id = f.id AND a.created_at > now() - interval '14 days') AS new_articles_14d
  FROM feeds f
  JOIN sources s ON s.id = f.source_id;
COMMENT ON VIEW feed_health IS 'Per feed: last success, consecutive failures, items seen per day (14-day mean), new articles in 14 days.';
