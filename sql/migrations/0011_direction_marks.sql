-- newsetl revision 0010: the direction marks kept in stored text are folded out of search.
-- etl.clean now keeps LRM, RLM and ALM (U+200E, U+200F, U+061C) in titles and bodies as published.
-- Whether PostgreSQL's text-search parser reads them as blanks depends on the server's locale (one
-- server indexes "400<RLM>" as a word of its own), so arabic_fold removes them, as
-- etl.arabic.normalise_arabic does: a marked and an unmarked text have the same search vector.
CREATE OR REPLACE FUNCTION arabic_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN translate(
    regexp_replace(t, '[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u200e\u200f\u061c]', '', 'g'),
    'أإآٱىةؤئکی٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹',
    'اااايهءءكي01234567890123456789');
COMMENT ON FUNCTION arabic_fold(text) IS
  'Arabic spelling-variant folding (diacritics, tatweel, direction marks LRM/RLM/ALM, alef/ya/ta marbuta/hamza forms, digits). Search with search @@ plainto_tsquery(''arabic'', arabic_fold(''الأسد'')).';

-- Rows stored before this revision hold no marks (clean_text removed them); any that do are re-indexed
-- (articles.search is generated: an update recomputes it).
UPDATE articles SET title = title
 WHERE coalesce(title, '') || coalesce(body, '') ~ '[\u200e\u200f\u061c]';
