//! Periodic clean-up of rows that can never be used again. Every statement is
//! an idempotent DELETE, so several instances may run it at the same time.
use std::time::Duration;

use sqlx::PgPool;

/// Deletes dead refresh tokens, long-finished sign-ins, old rate-limit
/// records and expired web sessions. Returns how many rows went.
pub async fn clean_up(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let tokens: i32 = sqlx::query_scalar("SELECT cleanup_expired_tokens()")
        .fetch_one(pool)
        .await?;
    let mut removed = u64::try_from(tokens).unwrap_or(0);
    for statement in [
        // Kept a while after they end so "where you're signed in" history and
        // reuse detection have something to go on.
        "DELETE FROM session_families WHERE coalesce(revoked_at, expires_at) < now() - interval '30 days'",
        "DELETE FROM auth_attempts WHERE created_at < now() - interval '1 day'",
        "DELETE FROM tower_sessions.session WHERE expiry_date < now()",
    ] {
        removed += sqlx::query(statement).execute(pool).await?.rows_affected();
    }
    Ok(removed)
}

/// Re-derives the instants of future events from their wall-clock time and
/// zone, for when the time-zone rules themselves changed (a tzdata update):
/// the trigger keeps them in step on every write, but rules change without
/// one. Returns how many moved.
///
/// Every club's events, whoever runs it: the work is done as the owner, in
/// `bookwork_private.refresh_event_instants`.
pub async fn refresh_event_instants(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let moved: i64 = sqlx::query_scalar("SELECT bookwork_private.refresh_event_instants()")
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(moved).unwrap_or(0))
}

/// Runs [`clean_up`] and [`refresh_event_instants`] every `every` for as
/// long as the server runs.
pub fn spawn(pool: PgPool, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match clean_up(&pool).await {
                Ok(n) => {
                    crate::platform::metrics::clean_up(true, n);
                    tracing::debug!(removed = n, "clean-up done");
                }
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
}
