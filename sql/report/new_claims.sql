-- Report: claims in the articles the night loaded (parameter run), each statement once per story
-- (copy_of, content) with every outlet that carried it; numbers as worded. total = all of them,
-- before the parameter limit cuts the list.
SELECT min(cs.speaker_name)                          AS speaker,
       min(cs.speaker_label)                         AS speaker_label,
       cs.content,
       min(cs.cue)                                   AS cue,
       min(cs.kind)                                  AS kind,
       min(cs.polarity)                              AS polarity,
       min(cs.numbers)                               AS numbers,
       string_agg(DISTINCT cs.outlet, ', ')          AS outlets,
       min(cs.published_at)                          AS first_published,
       min(cs.language)                              AS language,
       count(*) OVER ()                              AS total
  FROM claims_with_speakers cs
  JOIN articles a ON a.id = cs.article_id
 WHERE a.run_id = :run
 GROUP BY cs.copy_of, cs.content
 -- Statements several outlets carried first, then those with numbers, then in publication order.
 ORDER BY count(DISTINCT cs.outlet) DESC, min(cs.numbers) IS NULL, min(cs.published_at) NULLS LAST,
          min(cs.claim_id)
 LIMIT :limit
