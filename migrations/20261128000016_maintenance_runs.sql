-- The periodic clean-up runs on one instance at a time, once per interval,
-- however many instances there are: each run claims this row (FOR UPDATE
-- SKIP LOCKED: an instance finding it taken skips), checks when it last ran,
-- and does its work in the same transaction (transaction-scoped, so it
-- works through a transaction-mode pooler). The row also tells operators
-- when it last ran and what it removed.
SET LOCAL ROLE bookwork_owner;

CREATE TABLE maintenance_runs (
    job          text PRIMARY KEY CHECK (job IN ('clean_up')),
    -- When the last run started and finished (null: never).
    started_at   timestamptz,
    finished_at  timestamptz,
    rows_removed bigint NOT NULL DEFAULT 0,
    -- Which instance ran it (its host and process id), for the operator.
    ran_by       text NOT NULL DEFAULT ''
);
INSERT INTO maintenance_runs (job) VALUES ('clean_up');

-- The server's login claims and records runs; nothing else to see here.
REVOKE INSERT, DELETE ON maintenance_runs FROM bookwork_app;
