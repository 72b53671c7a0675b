-- What a metrics scrape asks the database (server::metrics): how busy the
-- server is, the oldest open transaction, e-mails waiting, when the
-- clean-up and the last backup finished. The alerting rules in
-- deploy/prometheus/ watch these.
SET LOCAL ROLE bookwork_owner;

-- Backups that finished, as `bookwork backup` and the backup units record
-- them (pgBackRest itself keeps the backups; this is what monitoring needs
-- to know of them, in the database every instance can ask).
CREATE TABLE monitoring.backups (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    finished_at timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL CHECK (kind IN ('full', 'diff', 'incr')),
    -- pgBackRest's label for it, when known ("20261206-021500F").
    label       text CHECK (char_length(label) <= 100)
);
CREATE INDEX backups_finished ON monitoring.backups (finished_at);

-- Records a finished backup. The owner's (and a superuser's, who may run
-- anything): the backup units run `psql -c "SELECT monitoring.record_backup('full')"`
-- as postgres on the database host.
CREATE FUNCTION monitoring.record_backup(kind text, label text DEFAULT NULL) RETURNS void
    LANGUAGE sql VOLATILE SET search_path = '' AS $$
    INSERT INTO monitoring.backups (kind, label) VALUES (kind, label);
    -- A year of nightly backups is plenty to look back on.
    DELETE FROM monitoring.backups WHERE finished_at < now() - interval '400 days';
$$;
REVOKE ALL ON FUNCTION monitoring.record_backup(text, text) FROM PUBLIC;

-- One row for the scrape. Times are seconds (since the epoch for "when";
-- 0 when it never happened). Connections count every login on the server;
-- the oldest transaction is this database's (other logins' transactions
-- show their start only with pg_read_all_stats, which `bookwork db roles`
-- grants the owner where it can).
CREATE FUNCTION monitoring.gauges_now()
RETURNS TABLE (connections bigint, max_connections integer, longest_transaction_seconds double precision,
               emails_due bigint, oldest_email_due_seconds double precision,
               cleanup_last_success double precision, backup_last_success double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.backend_type = 'client backend'),
           pg_catalog.current_setting('max_connections')::integer,
           (SELECT COALESCE(max(extract(epoch FROM now() - a.xact_start)), 0)::float8
              FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.xact_start IS NOT NULL
               AND a.pid <> pg_catalog.pg_backend_pid()),
           e.due, e.oldest,
           COALESCE((SELECT extract(epoch FROM m.finished_at)::float8
                       FROM public.maintenance_runs m WHERE m.job = 'clean_up'), 0),
           COALESCE((SELECT extract(epoch FROM max(b.finished_at))::float8 FROM monitoring.backups b), 0)
      FROM (SELECT count(*) AS due,
                   COALESCE(extract(epoch FROM now() - min(n.email_due_at)), 0)::float8 AS oldest
              FROM public.notifications n
             WHERE n.email_status = 'pending' AND n.email_due_at <= now()) e
$$;
REVOKE ALL ON FUNCTION monitoring.gauges_now() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.gauges_now() TO bookwork_app, bookwork_readonly;
