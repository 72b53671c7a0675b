-- Server-side web sessions (tower-sessions' PostgreSQL store): short-lived
-- state such as a form's values carried across a no-JavaScript redirect.
-- Kept in the database so any app instance can serve any request. The shape
-- is the one tower-sessions-sqlx-store expects.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          text PRIMARY KEY NOT NULL,
    data        bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_tower_sessions_expiry ON tower_sessions.session (expiry_date);
