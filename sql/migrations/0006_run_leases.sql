-- newsetl revision 0004: one run per night at a time.
-- Each Airflow task is its own process, so a session-level advisory lock cannot span a DAG run:
-- a row per night says who runs it, until when. A second run of the night refuses to start; a
-- lease whose owner crashed (expires_at passed) can be taken over.
CREATE TABLE run_leases (
    logical_date  date PRIMARY KEY,
    owner         text NOT NULL,
    claimed_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
COMMENT ON TABLE run_leases IS 'Who is running each night right now: claimed by the CLI and by the DAG''s first task, renewed by every stage, released when the run ends.';
COMMENT ON COLUMN run_leases.logical_date IS 'The night (logical date) the lease is for; one lease per night.';
COMMENT ON COLUMN run_leases.owner IS 'Who holds it: airflow:<dag run id> or cli:<host>:<pid>:<nonce>.';
COMMENT ON COLUMN run_leases.claimed_at IS 'When the current owner claimed it.';
COMMENT ON COLUMN run_leases.heartbeat_at IS 'When the owner last renewed it (start of each stage).';
COMMENT ON COLUMN run_leases.expires_at IS 'After this the owner is presumed dead and another run may take the night over.';
