-- Question: how often were Peskov, the Kremlin and SANA quoted, per day?
--
-- Each party is a list of names in both languages; names are matched to entities through
-- entities.norm_key and entity_aliases, and to unlinked speakers through their key, so
-- "دميتري بيسكوف", "بيسكوف" and "Dmitry Peskov" count as one party. One row per publication day
-- (UTC) in the seven days up to the latest night in pipeline_runs, with a column per party.
--
-- Unit: stories. A party "was quoted" once per story that attributes at least one statement to
-- it, direct quotes and reported speech alike; a wire copy carried by several outlets
-- (articles.duplicate_of) is one story, so ingesting a copy again changes nothing. It is the
-- unit of speaker_claims_daily.stories, and the two agree.
WITH night AS (
    -- The latest night loaded (pipeline_runs), not today: the query answers on the data it runs
    -- on, also a copy restored weeks later. For another night: SELECT date '2026-11-24' AS night.
    SELECT coalesce(max(logical_date), (now() AT TIME ZONE 'UTC')::date) AS night
      FROM pipeline_runs WHERE run_id LIKE 'news_ingest/%'
), parties(party, name) AS (
    VALUES ('Peskov', 'دميتري بيسكوف'), ('Peskov', 'بيسكوف'), ('Peskov', 'Dmitry Peskov'),
           ('Peskov', 'Peskov'),
           ('Kremlin', 'الكرملين'), ('Kremlin', 'Kremlin'), ('Kremlin', 'the Kremlin'),
           ('SANA', 'سانا'), ('SANA', 'وكالة الأنباء السورية الرسمية "سانا"'),
           ('SANA', 'الوكالة العربية السورية للأنباء'), ('SANA', 'SANA'),
           ('SANA', 'Syrian Arab News Agency')
), keys AS (
    SELECT DISTINCT party, claims_name_key(name) AS k FROM parties
), party_entities AS (
    SELECT keys.party, e.id AS entity_id
      FROM entities e JOIN keys ON claims_name_key(e.canonical_name) = keys.k OR e.norm_key = keys.k
    UNION
    SELECT keys.party, ea.entity_id
      FROM entity_aliases ea JOIN keys ON claims_name_key(ea.alias) = keys.k OR ea.alias_key = keys.k
), attributed AS (
    SELECT DISTINCT cs.copy_of, cs.published_day, pe.party
      FROM claims_with_speakers cs JOIN party_entities pe ON pe.entity_id = cs.speaker_entity_id
    UNION
    SELECT DISTINCT cs.copy_of, cs.published_day, keys.party
      FROM claims_with_speakers cs
      JOIN keys ON cs.speaker_entity_id IS NULL
               AND (claims_name_key(cs.speaker_text) = keys.k
                    OR claims_name_key(cs.speaker_text) LIKE '% ' || keys.k)
)
SELECT published_day AS day,
       count(DISTINCT copy_of) FILTER (WHERE party = 'Peskov')  AS peskov,
       count(DISTINCT copy_of) FILTER (WHERE party = 'Kremlin') AS kremlin,
       count(DISTINCT copy_of) FILTER (WHERE party = 'SANA')    AS sana
  FROM attributed CROSS JOIN night
 WHERE published_day BETWEEN night.night - 6 AND night.night
 GROUP BY published_day
 ORDER BY published_day;
