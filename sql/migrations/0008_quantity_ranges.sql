-- 0008_quantity_ranges: ranges keep both bounds; one figure may count two things.
--
-- "بين 12 و15 قتيلا" keeps 12 and 15 (value stays the lower bound, as before); "عشرات القتلى
-- والجرحى" is one figure for killed and for wounded, so a quantity is unique per claim, offset
-- and category, not per offset.
ALTER TABLE claim_quantities ADD COLUMN value_low numeric;
ALTER TABLE claim_quantities ADD COLUMN value_high numeric;
COMMENT ON COLUMN claim_quantities.value_low IS 'Lower bound: the value itself for an exact figure, the first number of a range (between 12 and 15); NULL when vague.';
COMMENT ON COLUMN claim_quantities.value_high IS 'Upper bound: the value itself for an exact figure, the second number of a range; NULL when vague.';
UPDATE claim_quantities SET value_low = value, value_high = value WHERE value IS NOT NULL;

ALTER TABLE claim_quantities DROP CONSTRAINT claim_quantities_claim_id_start_char_key;
ALTER TABLE claim_quantities ADD CONSTRAINT claim_quantities_claim_id_start_char_category_key
    UNIQUE (claim_id, start_char, category);
