-- newsetl revision 0005: every item a feed listed is loaded or counted with a reason.
ALTER TABLE feed_fetches ADD COLUMN items_dropped jsonb NOT NULL DEFAULT '{}'::jsonb;
COMMENT ON COLUMN feed_fetches.items_dropped IS 'Items of this fetch not loaded, by reason: duplicate-guid, no-content, url-too-long, url-has-control-characters, rejected (refused by the database; see pipeline_errors). items_seen = items_new + already-seen + these.';
