-- Question: casualty figures claimed by each party for the same event, side by side.
--
-- One row per event cluster and party: the largest figure each party gave for killed and
-- wounded (and destroyed), how they worded it, and which outlets carried it. Restricted to
-- clusters of the last 7 days that mention Aleppo / حلب; drop that condition for all events.
-- A NULL figure with wording such as "tens عشرات القتلى" is a vague claim ("dozens killed").
SELECT n.cluster_id,
       n.event_title,
       n.speaker_name   AS party,
       n.killed,
       n.wounded,
       n.destroyed,
       n.figures_as_claimed,
       n.outlets,
       n.claims,
       n.first_published
  FROM claim_numbers_by_cluster n
 WHERE (n.killed IS NOT NULL OR n.wounded IS NOT NULL
        OR n.figures_as_claimed ~ '(killed|wounded): ')
   AND n.last_published >= now() - interval '7 days'
   AND EXISTS (SELECT 1 FROM articles a
                WHERE coalesce(a.cluster_id, a.id) = n.cluster_id
                  AND (a.search @@ to_tsquery('arabic', 'حلب')
                       OR a.search @@ to_tsquery('english', 'aleppo')))
 ORDER BY n.cluster_id, n.killed DESC NULLS LAST, party;
