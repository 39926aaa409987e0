-- newsetl schema, revision 0003: the morning report, stored per night.

-- The nightly DAG renders the report as its last task and keeps it here, not on a worker's
-- disk, so whichever worker ran the task, `newsetl report --date D` prints the same page again.
-- One row per night: rerunning the night replaces the row.
CREATE TABLE reports (
    night         date PRIMARY KEY,
    html          text NOT NULL,
    run_id        text REFERENCES pipeline_runs (run_id),
    code_version  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE reports IS 'The morning report of each night: one self-contained HTML page (charts as inline SVG), written by the DAG''s last task (write_report); print it with newsetl report --date YYYY-MM-DD.';
COMMENT ON COLUMN reports.night IS 'The logical night the report covers (pipeline_runs.logical_date); natural key.';
COMMENT ON COLUMN reports.html IS 'The whole page: HTML with inline CSS and SVG, no scripts, nothing fetched when it is opened.';
COMMENT ON COLUMN reports.run_id IS 'Run whose rows the report shows (NULL when rendered for a night without a run).';
COMMENT ON COLUMN reports.code_version IS 'newsetl version and model/extractor versions that rendered the report.';
COMMENT ON COLUMN reports.created_at IS 'When this version of the report was rendered (a rerun of the night replaces it).';
