-- newsetl revision 0003: a failed run says why.
ALTER TABLE pipeline_runs ADD COLUMN error text;
COMMENT ON COLUMN pipeline_runs.error IS 'Why the latest attempt failed: exception class and the first line of its message (never article text or parameters); NULL unless status = failed.';
