-- newsetl revision 0012: the partitions of a night's mapped stages.
-- The DAG runs fetch_feeds, fetch_pages, find_entities and find_claims as mapped tasks, one per
-- partition (feeds or pages of a host shard, a range of article ids). A task claims its row with
-- SELECT ... FOR UPDATE SKIP LOCKED and holds the lock while it works: two workers never run the
-- same partition, a killed worker's lock goes with its connection, and a partition marked done is
-- not run again by a retry or a cleared task of the same night.
CREATE TABLE stage_partitions (
    run_id    text NOT NULL REFERENCES pipeline_runs (run_id) ON DELETE CASCADE,
    stage     text NOT NULL,
    part      text NOT NULL,
    owner     text,
    tries     integer NOT NULL DEFAULT 0,
    done_at   timestamptz,
    stats     jsonb,
    PRIMARY KEY (run_id, stage, part)
);
COMMENT ON TABLE stage_partitions IS 'One row per partition of a mapped stage of a night (Airflow dynamic task mapping): who ran it, whether it is done, and what it counted.';
COMMENT ON COLUMN stage_partitions.run_id IS 'Run (night) the partition belongs to.';
COMMENT ON COLUMN stage_partitions.stage IS 'Stage: fetch_feeds, fetch_pages, find_entities or find_claims.';
COMMENT ON COLUMN stage_partitions.part IS 'The partition: "hosts 3/8" (feeds or pages whose host falls in shard 3 of 8) or "ids 101-300 <version>" (article ids, for that analysis version).';
COMMENT ON COLUMN stage_partitions.owner IS 'Who last finished it (airflow:<dag run id>).';
COMMENT ON COLUMN stage_partitions.tries IS 'How many times a worker finished it (1 unless the plan was run again after it was done, which does nothing).';
COMMENT ON COLUMN stage_partitions.done_at IS 'When it was finished; NULL while it is still to do (never started, running, or its worker died).';
COMMENT ON COLUMN stage_partitions.stats IS 'Counts of the partition (processed, written, errors, discards), summed into pipeline_runs.stats by the stage''s total task.';
