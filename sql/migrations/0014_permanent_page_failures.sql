-- newsetl revision 0014: a page whose fetch failed permanently (404, 410, robots.txt, over the
-- size cap) is given up at once; only transient failures (timeouts, 5xx) wait for a later night.
COMMENT ON COLUMN articles.page_status IS 'pending, ok, failed (a transient fetch failure: retried on a later night), no-article, gave-up (retries exhausted, a permanent fetch failure such as 404/410/robots.txt, or a page the database refused on its last attempt).';
