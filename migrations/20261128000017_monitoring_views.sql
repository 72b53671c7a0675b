-- The reference guide's monitoring views, fixed for PostgreSQL 13+ (its
-- `slow_queries` used `total_time`/`mean_time`, renamed `*_exec_time` in 13;
-- its health summary's `COUNT(DISTINCT user_id) FROM users` does not parse).
-- In a schema of their own, readable by the owner and `bookwork_readonly`
-- (reports) and by the server's login for /admin/system.
SET LOCAL ROLE bookwork_owner;

CREATE SCHEMA monitoring;
GRANT USAGE ON SCHEMA monitoring TO bookwork_app, bookwork_readonly;

-- The slowest statements by mean time, from pg_stat_statements when it is
-- installed and loaded (shared_preload_libraries); none otherwise. Query
-- texts of other logins need pg_read_all_stats (`bookwork db roles` grants
-- it where it can).
CREATE FUNCTION monitoring.slow_queries_now(max_rows integer DEFAULT 50)
RETURNS TABLE (query text, calls bigint, total_ms double precision, mean_ms double precision,
               max_ms double precision, rows bigint, shared_blks_hit bigint, shared_blks_read bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    home name;
BEGIN
    SELECT n.nspname INTO home FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements';
    IF home IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT s.query, s.calls, s.total_exec_time, s.mean_exec_time, s.max_exec_time, s.rows,
                s.shared_blks_hit, s.shared_blks_read
           FROM %I.pg_stat_statements s
          WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
          ORDER BY s.mean_exec_time DESC
          LIMIT $1', home) USING max_rows;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
    -- Installed but not loaded: nothing to show yet.
    RETURN;
END
$$;
CREATE VIEW monitoring.slow_queries AS SELECT * FROM monitoring.slow_queries_now(50);

-- One row: how the database is doing.
CREATE FUNCTION monitoring.health_now()
RETURNS TABLE (database_size bigint, connections bigint, active bigint, idle_in_transaction bigint,
               longest_transaction interval, cache_hit_ratio numeric, deadlocks bigint,
               commits bigint, rollbacks bigint, users bigint, active_users bigint, clubs bigint,
               events bigint, upcoming_events bigint, rsvps bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT pg_catalog.pg_database_size(pg_catalog.current_database()),
           (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.datname = pg_catalog.current_database()),
           (SELECT count(*) FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.state = 'active'),
           (SELECT count(*) FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.state LIKE 'idle in transaction%'),
           (SELECT COALESCE(max(now() - a.xact_start), interval '0') FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.xact_start IS NOT NULL),
           (SELECT round(d.blks_hit::numeric / NULLIF(d.blks_hit + d.blks_read, 0), 4)
              FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT d.deadlocks FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT d.xact_commit FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT d.xact_rollback FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT count(*) FROM public.users),
           (SELECT count(*) FROM public.users u WHERE u.is_active),
           (SELECT count(*) FROM public.clubs),
           (SELECT count(*) FROM public.events),
           (SELECT count(*) FROM public.events e WHERE e.starts_at > now() AND e.cancelled_at IS NULL),
           (SELECT count(*) FROM public.availability)
$$;
CREATE VIEW monitoring.db_health_summary AS SELECT * FROM monitoring.health_now();

-- Bookwork's tables by size, with their indexes.
CREATE VIEW monitoring.table_sizes AS
SELECT n.nspname AS schema, c.relname AS table_name,
       pg_catalog.pg_total_relation_size(c.oid) AS total_bytes,
       pg_catalog.pg_relation_size(c.oid) AS table_bytes,
       pg_catalog.pg_indexes_size(c.oid) AS index_bytes,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'tower_sessions')
 ORDER BY pg_catalog.pg_total_relation_size(c.oid) DESC;

-- Indexes never used since statistics were last reset, biggest first;
-- those that enforce a primary key or uniqueness are left out (they do
-- their job without being scanned).
CREATE VIEW monitoring.unused_indexes AS
SELECT s.schemaname AS schema, s.relname AS table_name, s.indexrelname AS index_name,
       pg_catalog.pg_relation_size(s.indexrelid) AS index_bytes, s.idx_scan AS scans
  FROM pg_catalog.pg_stat_user_indexes s
  JOIN pg_catalog.pg_index i ON i.indexrelid = s.indexrelid
 WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
   AND s.schemaname IN ('public', 'tower_sessions')
 ORDER BY pg_catalog.pg_relation_size(s.indexrelid) DESC;

REVOKE EXECUTE ON FUNCTION monitoring.slow_queries_now(integer), monitoring.health_now() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.slow_queries_now(integer), monitoring.health_now()
    TO bookwork_app, bookwork_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA monitoring TO bookwork_app, bookwork_readonly;
