//! The connection pool and migrations.
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::config::Config;

/// Every migration in `migrations/`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn connect(url: &str, config: &Config) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.application_name("bookwork");
    pool_options(config).connect_with(options).await
}

/// The pool settings the server runs with (tests build their servers' pools
/// from these too, so a wait for a connection behaves as in production).
pub fn pool_options(config: &Config) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(config.max_connections)
        .min_connections(config.min_connections)
        .max_lifetime(config.conn_max_lifetime)
        .idle_timeout(config.conn_max_idle_time)
        // Fail fast when the database is down (or every connection is busy),
        // so /readyz and requests answer promptly instead of queueing.
        .acquire_timeout(Duration::from_secs(5))
}

/// Applies pending migrations. sqlx holds a PostgreSQL advisory lock while it
/// does, so two instances starting together apply each migration once.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}
