//! Periodic clean-up of rows that can never be used again. However many
//! instances run, one at a time does it, once per interval: a run claims the
//! `maintenance_runs` row (FOR UPDATE SKIP LOCKED) and works in that same
//! transaction, so nothing outlives it (fine behind a transaction-mode
//! pooler). Every statement is an idempotent DELETE anyway.
use std::time::Duration;

use sqlx::{PgConnection, PgPool};

/// Deletes dead refresh tokens, long-finished sign-ins, old rate-limit
/// records and expired web sessions. Returns how many rows went.
pub async fn clean_up(pool: &PgPool) -> Result<u64, sqlx::Error> {
    crate::platform::db::in_transaction(pool, async |db| clean_up_in(db).await).await
}

async fn clean_up_in(db: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let tokens: i32 = sqlx::query_scalar("SELECT cleanup_expired_tokens()")
        .fetch_one(&mut *db)
        .await?;
    // API idempotency keys older than a day (row security hides them from
    // a transaction with no viewer, so the owner's function forgets them).
    let keys: i32 = sqlx::query_scalar("SELECT bookwork_private.forget_idempotency_keys()")
        .fetch_one(&mut *db)
        .await?;
    // The API's request counts for minutes gone by (only the owner's
    // functions touch that table).
    let counts: i32 = sqlx::query_scalar("SELECT bookwork_private.forget_api_request_counts()")
        .fetch_one(&mut *db)
        .await?;
    let mut removed = [tokens, keys, counts]
        .into_iter()
        .map(|n| u64::try_from(n).unwrap_or(0))
        .sum::<u64>();
    for statement in [
        // Kept a while after they end so "where you're signed in" history and
        // reuse detection have something to go on.
        "DELETE FROM session_families WHERE coalesce(revoked_at, expires_at) < now() - interval '30 days'",
        "DELETE FROM auth_attempts WHERE created_at < now() - interval '1 day'",
        "DELETE FROM tower_sessions.session WHERE expiry_date < now()",
    ] {
        removed += sqlx::query(statement)
            .execute(&mut *db)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// What one instance's turn at the clean-up came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// This instance ran it and removed this many rows.
    Ran(u64),
    /// Another instance is running it now, or ran it within the interval.
    Skipped,
}

/// Runs the clean-up unless another instance is running it or ran it less
/// than 90 % of `every` ago.
pub async fn clean_up_once(pool: &PgPool, every: Duration) -> Result<Turn, sqlx::Error> {
    let mut tx = crate::platform::db::begin(pool).await?;
    let due: Option<bool> = sqlx::query_scalar(
        "SELECT started_at IS NULL OR started_at <= now() - make_interval(secs => $1)
           FROM maintenance_runs WHERE job = 'clean_up'
            FOR UPDATE SKIP LOCKED",
    )
    .bind(every.mul_f64(0.9).as_secs_f64())
    .fetch_optional(&mut *tx)
    .await?;
    if due != Some(true) {
        return Ok(Turn::Skipped);
    }
    sqlx::query("UPDATE maintenance_runs SET started_at = now() WHERE job = 'clean_up'")
        .execute(&mut *tx)
        .await?;
    let removed = clean_up_in(&mut tx).await?;
    sqlx::query(
        "UPDATE maintenance_runs
            SET finished_at = clock_timestamp(), rows_removed = $1, ran_by = $2
          WHERE job = 'clean_up'",
    )
    .bind(i64::try_from(removed).unwrap_or(i64::MAX))
    .bind(crate::platform::state::instance_name())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Turn::Ran(removed))
}

/// Re-derives the instants of future events from their wall-clock time and
/// zone, for when the time-zone rules themselves changed (a tzdata update):
/// the trigger keeps them in step on every write, but rules change without
/// one. Returns how many moved.
///
/// Every club's events, whoever runs it: the work is done as the owner, in
/// `bookwork_private.refresh_event_instants`.
pub async fn refresh_event_instants(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let moved: i64 = crate::platform::db::in_transaction(pool, async |db| {
        sqlx::query_scalar("SELECT bookwork_private.refresh_event_instants()")
            .fetch_one(db)
            .await
    })
    .await?;
    Ok(u64::try_from(moved).unwrap_or(0))
}

/// Takes a turn at the clean-up ([`clean_up_once`]) and runs
/// [`refresh_event_instants`] every `every` for as long as the server runs.
pub fn spawn(pool: PgPool, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match clean_up_once(&pool, every).await {
                Ok(Turn::Ran(n)) => {
                    crate::platform::metrics::clean_up(true, n);
                    tracing::debug!(removed = n, "clean-up done");
                }
                Ok(Turn::Skipped) => tracing::debug!("clean-up skipped: another instance has it"),
                Err(err) => {
                    crate::platform::metrics::clean_up(false, 0);
                    tracing::warn!(error = %err, "clean-up failed; will try again");
                }
            }
            match refresh_event_instants(&pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(events = n, "event times moved with new time-zone rules"),
                Err(err) => tracing::warn!(error = %err, "refreshing event times failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::postgres::PgPoolOptions;

    #[sqlx::test]
    async fn removes_only_what_is_dead(pool: PgPool) {
        let user: uuid::Uuid =
            sqlx::query_scalar("INSERT INTO users (name, email, password_hash) VALUES ('A', 'a@example.com', 'x') RETURNING id")
                .fetch_one(&pool)
                .await
                .unwrap();
        sqlx::query(
            "INSERT INTO session_families (user_id, created_at, expires_at, revoked_at)
             VALUES ($1, now() - interval '90 days', now() + interval '1 day', now() - interval '60 days'),
                    ($1, now(), now() + interval '30 days', NULL)",
        )
        .bind(user)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO auth_attempts (key, created_at) VALUES ('client:x', now() - interval '2 days'), ('client:x', now())")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(clean_up(&pool).await.unwrap(), 2);
        let families: i64 = sqlx::query_scalar("SELECT count(*) FROM session_families")
            .fetch_one(&pool)
            .await
            .unwrap();
        let attempts: i64 = sqlx::query_scalar("SELECT count(*) FROM auth_attempts")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!((families, attempts), (1, 1));
        assert_eq!(clean_up(&pool).await.unwrap(), 0, "idempotent");
    }

    /// Instances share the clean-up: while one runs it the others skip, and
    /// once it has run nobody runs it again within the interval; of ten
    /// instances starting together exactly one runs it.
    #[sqlx::test]
    async fn the_clean_up_runs_on_one_instance_at_a_time(pool: PgPool) {
        let hour = Duration::from_secs(3600);
        let instance = || async {
            PgPoolOptions::new()
                .max_connections(2)
                .connect_with((*pool.connect_options()).clone())
                .await
                .unwrap()
        };
        let (a, b) = (instance().await, instance().await);
        // A is in the middle of a run (it holds the claim): B skips.
        let mut running = a.begin().await.unwrap();
        sqlx::query("SELECT 1 FROM maintenance_runs WHERE job = 'clean_up' FOR UPDATE")
            .execute(&mut *running)
            .await
            .unwrap();
        assert_eq!(clean_up_once(&b, hour).await.unwrap(), Turn::Skipped);
        running.rollback().await.unwrap();
        // Nobody has run it yet: B does, and then A's turn comes too soon.
        assert!(matches!(
            clean_up_once(&b, hour).await.unwrap(),
            Turn::Ran(_)
        ));
        assert_eq!(clean_up_once(&a, hour).await.unwrap(), Turn::Skipped);
        let (ran_by, finished): (String, bool) = sqlx::query_as(
            "SELECT ran_by, finished_at >= started_at FROM maintenance_runs WHERE job = 'clean_up'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(ran_by.contains(&std::process::id().to_string()));
        assert!(finished);
        // An hour later, ten instances take their turn at once: one runs it.
        sqlx::query("UPDATE maintenance_runs SET started_at = now() - interval '61 minutes'")
            .execute(&pool)
            .await
            .unwrap();
        let mut together = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let pool = instance().await;
            together
                .spawn(async move { clean_up_once(&pool, hour).await.map_err(|e| e.to_string()) });
        }
        let turns = together.join_all().await;
        let ran = turns
            .iter()
            .filter(|t| matches!(t, Ok(Turn::Ran(_))))
            .count();
        assert_eq!(ran, 1, "{turns:?}");
        assert!(turns.iter().all(Result::is_ok), "{turns:?}");
    }
}
