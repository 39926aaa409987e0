-- Question: how often were Peskov, the Kremlin and SANA quoted, per day?
--
-- Each party is a list of names in both languages; names are matched to entities through
-- entities.norm_key and entity_aliases, and to unlinked speakers through their key, so
-- "دميتري بيسكوف", "بيسكوف" and "Dmitry Peskov" count as one party. One row per day with a
-- column per party (claims attributed to it that day, direct quotes and reported speech alike).
WITH parties(party, name) AS (
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
    SELECT DISTINCT cs.claim_id, cs.published_day, pe.party
      FROM claims_with_speakers cs JOIN party_entities pe ON pe.entity_id = cs.speaker_entity_id
    UNION
    SELECT DISTINCT cs.claim_id, cs.published_day, keys.party
      FROM claims_with_speakers cs
      JOIN keys ON cs.speaker_entity_id IS NULL
               AND (claims_name_key(cs.speaker_text) = keys.k
                    OR claims_name_key(cs.speaker_text) LIKE '% ' || keys.k)
)
SELECT published_day AS day,
       count(*) FILTER (WHERE party = 'Peskov')  AS peskov,
       count(*) FILTER (WHERE party = 'Kremlin') AS kremlin,
       count(*) FILTER (WHERE party = 'SANA')    AS sana
  FROM attributed
 GROUP BY published_day
 ORDER BY published_day;
