-- Report: per event (story cluster) touched by the night's articles (parameter run), the figures each
-- party claimed, side by side (view claim_numbers_by_cluster: the largest figure per category).
SELECT n.cluster_id,
       n.event_title,
       n.speaker_name                               AS party,
       n.killed, n.wounded, n.arrested, n.displaced, n.destroyed, n.money,
       n.figures_as_claimed,
       n.outlets,
       n.stories
  FROM claim_numbers_by_cluster n
 WHERE n.cluster_id IN (SELECT coalesce(a.cluster_id, a.id) FROM articles a WHERE a.run_id = :run)
 ORDER BY n.cluster_id, n.killed DESC NULLS LAST, n.speaker_name
