//! What `/admin/system` reports: this instance (build, uptime, pool) and the
//! database as it sees it, through the `monitoring` views (migration 17).
//! A database that cannot be asked is reported, not an error: the page is
//! most useful exactly then.
use std::time::{Duration, Instant};

use sqlx::PgConnection;

use crate::admin::model::{
    CleanUpRun, DatabaseStatus, PoolUsage, SlowStatement, SystemReport, TableSize,
};
use crate::platform::state::{instance_name, AppState};

/// How many of the slowest statements and largest tables the page lists.
const LISTED: i64 = 10;
/// Statement texts are cut to this many characters on the page.
const QUERY_CHARS: usize = 240;

pub async fn status(state: &AppState) -> SystemReport {
    let pool = &state.pool;
    SystemReport {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: env!("BOOKWORK_COMMIT").to_owned(),
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .to_owned(),
        instance: instance_name(),
        started: utc(state.started.utc),
        uptime: uptime(state.started.at.elapsed()),
        pool: PoolUsage {
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: state.config.max_connections,
            waiting: crate::platform::metrics::waiting_for_connection(),
        },
        database: database(state).await.map_err(|e| {
            tracing::warn!(error = %e, "the system page could not ask the database");
            e.to_string()
        }),
    }
}

async fn database(state: &AppState) -> Result<DatabaseStatus, sqlx::Error> {
    // While the page renders, in its one transaction (on the connection it
    // already holds: a page never waits for a second one). Behind a
    // transaction-mode pooler, statements with parameters must not be split
    // across server connections, and `in_transaction` sees to that too.
    crate::platform::db::in_transaction(&state.pool, async |db| {
        let took = Instant::now();
        sqlx::query("SELECT 1").execute(&mut *db).await?;
        let latency_ms = took.elapsed().as_secs_f64() * 1000.0;
        read(db, latency_ms).await
    })
    .await
}

async fn read(db: &mut PgConnection, latency_ms: f64) -> Result<DatabaseStatus, sqlx::Error> {
    let server_version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut *db)
        .await?;
    let health = sqlx::query!(
        r#"SELECT pg_size_pretty(database_size) AS "size!", connections AS "connections!",
                  active AS "active!", idle_in_transaction AS "idle_in_transaction!",
                  justify_interval(date_trunc('second', longest_transaction))::text AS "longest!",
                  cache_hit_ratio::float8 AS cache_hit_ratio, deadlocks AS "deadlocks!",
                  users AS "users!", active_users AS "active_users!", clubs AS "clubs!",
                  events AS "events!", upcoming_events AS "upcoming_events!", rsvps AS "rsvps!"
             FROM monitoring.db_health_summary"#
    )
    .fetch_one(&mut *db)
    .await?;
    let statements_tracked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')",
    )
    .fetch_one(&mut *db)
    .await?;
    let slowest = sqlx::query!(
        r#"SELECT query AS "query!", calls AS "calls!", mean_ms AS "mean_ms!",
                  max_ms AS "max_ms!", total_ms AS "total_ms!"
             FROM monitoring.slow_queries_now($1::int)"#,
        LISTED as i32
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| SlowStatement {
        query: shorten(&r.query),
        calls: r.calls,
        mean_ms: r.mean_ms,
        max_ms: r.max_ms,
        total_ms: r.total_ms,
    })
    .collect();
    let tables = sqlx::query!(
        r#"SELECT schema || '.' || table_name AS "name!", pg_size_pretty(total_bytes) AS "total!",
                  pg_size_pretty(index_bytes) AS "indexes!", estimated_rows AS "rows!"
             FROM monitoring.table_sizes LIMIT $1"#,
        LISTED
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| TableSize {
        name: r.name,
        total: r.total,
        indexes: r.indexes,
        estimated_rows: r.rows,
    })
    .collect();
    let run = sqlx::query!(
        r#"SELECT started_at AS "started_at: chrono::DateTime<chrono::Utc>",
                  finished_at AS "finished_at: chrono::DateTime<chrono::Utc>",
                  rows_removed, ran_by
             FROM maintenance_runs WHERE job = 'clean_up'"#
    )
    .fetch_optional(&mut *db)
    .await?;
    let clean_up = match run {
        Some(r) => CleanUpRun {
            started: r.started_at.map(utc),
            // A run that failed part-way leaves an older finish behind.
            finished: r
                .finished_at
                .filter(|f| r.started_at.is_none_or(|s| *f >= s))
                .map(utc),
            rows_removed: r.rows_removed,
            ran_by: r.ran_by,
        },
        None => CleanUpRun {
            started: None,
            finished: None,
            rows_removed: 0,
            ran_by: String::new(),
        },
    };
    Ok(DatabaseStatus {
        latency_ms,
        server_version,
        size: health.size,
        connections: health.connections,
        active: health.active,
        idle_in_transaction: health.idle_in_transaction,
        longest_transaction: health.longest,
        cache_hit_ratio: health.cache_hit_ratio,
        deadlocks: health.deadlocks,
        users: health.users,
        active_users: health.active_users,
        clubs: health.clubs,
        events: health.events,
        upcoming_events: health.upcoming_events,
        rsvps: health.rsvps,
        statements_tracked,
        slowest,
        tables,
        clean_up,
    })
}

fn utc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// "3 days 4 h 12 min", "12 min 5 s": the largest units that matter.
fn uptime(d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, minutes, seconds) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min {seconds} s"),
        (0, _) => format!("{hours} h {minutes} min"),
        (1, _) => format!("1 day {hours} h {minutes} min"),
        _ => format!("{days} days {hours} h {minutes} min"),
    }
}

/// One line of at most [`QUERY_CHARS`] characters.
fn shorten(query: &str) -> String {
    let line = query.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(QUERY_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_names_the_units_that_matter() {
        assert_eq!(uptime(Duration::from_secs(65)), "1 min 5 s");
        assert_eq!(uptime(Duration::from_secs(3 * 3600 + 120)), "3 h 2 min");
        assert_eq!(uptime(Duration::from_secs(86_400 + 60)), "1 day 0 h 1 min");
        assert_eq!(
            uptime(Duration::from_secs(3 * 86_400 + 7200)),
            "3 days 2 h 0 min"
        );
    }

    #[test]
    fn statements_are_one_shortened_line() {
        assert_eq!(shorten("SELECT 1\n  FROM   x"), "SELECT 1 FROM x");
        let long = "é".repeat(QUERY_CHARS + 5);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), QUERY_CHARS + 1);
        assert!(short.ends_with('…'));
    }
}
