//! The worker every server instance runs: turns reminders that fell due into
//! notifications, then sends the e-mail that is due, one notice per
//! transaction. Claims use `FOR UPDATE SKIP LOCKED` inside a transaction
//! (nothing session-level, so it works through a transaction-mode pooler):
//! instances side by side take different rows, a claimed row is marked sent
//! in the same transaction, and one whose instance dies mid-send is rolled
//! back and sent by another. (Mail the dying instance had already handed
//! over is then sent again; nothing is lost, which is the side to err on.)
//!
//! Why this small table and loop rather than a job-queue crate: the notice
//! must be written in the caller's sqlx transaction, and the queue crates
//! for PostgreSQL either pin another sqlx version or keep their own tables
//! and connections; a dozen lines of SQL do what is needed here.
use std::time::Duration;

use lettre::message::Mailbox;
use sqlx::PgPool;
use uuid::Uuid;

use super::db::rendered;
use super::mail::{compose, Mailer};
use super::model::Kind;
use super::unsubscribe::{link, UnsubscribeKey};
use crate::platform::config::Config;
use crate::platform::db::begin;

/// Tries before a notice counts as failed (its last error is kept).
pub const MAX_ATTEMPTS: i32 = 6;

/// Reminders turned into notifications per transaction.
const REMINDER_BATCH: i32 = 20;

#[derive(Clone)]
pub struct Worker {
    pool: PgPool,
    mailer: Mailer,
    from: Mailbox,
    public_url: String,
    key: UnsubscribeKey,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub reminders: u64,
    pub sent: u64,
    pub failed: u64,
}

/// Waiting after the n-th failed try: 1, 2, 4, … minutes, at most an hour.
fn backoff(attempts: i32) -> Duration {
    let minutes = 1u64 << attempts.clamp(1, 7).saturating_sub(1);
    Duration::from_secs(60 * minutes.min(60))
}

impl Worker {
    pub fn new(pool: PgPool, config: &Config, mailer: Mailer) -> Worker {
        Worker {
            pool,
            mailer,
            from: config
                .mail
                .from
                .parse()
                .expect("MAIL_FROM was checked with the configuration"),
            public_url: config.public_url.clone(),
            key: UnsubscribeKey::from_secret(config.jwt_secret.expose()),
        }
    }

    /// Does everything that is due now.
    pub async fn run_once(&self) -> Result<Round, sqlx::Error> {
        let mut round = Round::default();
        loop {
            let mut tx = begin(&self.pool).await?;
            let taken: i32 = sqlx::query_scalar!(
                r#"SELECT bookwork_private.take_due_reminders($1) AS "n!""#,
                REMINDER_BATCH
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            round.reminders += u64::try_from(taken).unwrap_or(0);
            if taken < REMINDER_BATCH {
                break;
            }
        }
        while let Some(sent) = self.send_one().await? {
            if sent {
                round.sent += 1;
            } else {
                round.failed += 1;
            }
        }
        Ok(round)
    }

    /// Claims one due e-mail and sends it. `None` when nothing is due;
    /// `Some(false)` when this try failed.
    async fn send_one(&self) -> Result<Option<bool>, sqlx::Error> {
        let mut tx = begin(&self.pool).await?;
        let Some(row) = sqlx::query!(
            r#"SELECT n.id, n.kind AS "kind!: String", n.user_id, n.payload, n.attempts,
                      COALESCE(u.email, n.address) AS "to!", u.name AS "name?",
                      (n.user_id IS NOT NULL AND NOT (u.is_active AND COALESCE(p.email, true))) AS "unwanted!",
                      notice_time((n.payload->>'starts_at')::timestamptz, z.zone) AS starts,
                      notice_time((n.payload->>'previous_starts_at')::timestamptz, z.zone) AS previous_starts
                 FROM notifications n
                 LEFT JOIN users u ON u.id = n.user_id
                 LEFT JOIN notification_preferences p ON p.user_id = n.user_id AND p.kind = n.kind
                 CROSS JOIN LATERAL (SELECT COALESCE(u.time_zone, n.payload->>'event_zone', 'UTC') AS zone) z
                WHERE n.email_status = 'pending' AND n.email_due_at <= now()
                ORDER BY n.email_due_at, n.id
                LIMIT 1
                  FOR UPDATE OF n SKIP LOCKED"#
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        if row.unwanted {
            sqlx::query!(
                "UPDATE notifications SET email_status = 'off' WHERE id = $1",
                row.id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Some(true));
        }
        let outcome = self
            .deliver(
                &row.kind,
                row.payload,
                row.user_id,
                &row.to,
                row.name.as_deref(),
                row.starts.as_deref(),
                row.previous_starts.as_deref(),
            )
            .await;
        let attempts = row.attempts + 1;
        match &outcome {
            Ok(()) => {
                // An invitation's link is a secret: gone once it is sent.
                sqlx::query!(
                    "UPDATE notifications
                        SET email_status = 'sent', emailed_at = now(), attempts = $2, last_error = NULL,
                            payload = payload - 'invite_path'
                      WHERE id = $1",
                    row.id,
                    attempts
                )
                .execute(&mut *tx)
                .await?;
            }
            Err(error) => {
                let last = attempts >= MAX_ATTEMPTS;
                tracing::warn!(notification = row.id, attempts, error = %error, last, "sending a notification failed");
                sqlx::query!(
                    "UPDATE notifications
                        SET email_status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
                            attempts = $2, last_error = $4,
                            email_due_at = now() + make_interval(secs => $5),
                            payload = CASE WHEN $3 THEN payload - 'invite_path' ELSE payload END
                      WHERE id = $1",
                    row.id,
                    attempts,
                    last,
                    error,
                    backoff(attempts).as_secs_f64()
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(Some(outcome.is_ok()))
    }

    #[allow(clippy::too_many_arguments)]
    async fn deliver(
        &self,
        kind: &str,
        payload: serde_json::Value,
        user: Option<Uuid>,
        to: &str,
        name: Option<&str>,
        starts: Option<&str>,
        previous_starts: Option<&str>,
    ) -> Result<(), String> {
        let (kind, rendered, _) = rendered(kind, payload, starts, previous_starts)
            .ok_or_else(|| format!("cannot read a stored {kind} notice"))?;
        let address = to
            .parse()
            .map_err(|e| format!("not an address we can send to: {e}"))?;
        let to = Mailbox::new(name.map(str::to_owned), address);
        let unsubscribe = user
            .filter(|_| kind != Kind::Invitation)
            .map(|user| link(&self.public_url, &self.key.token(user, kind)));
        let message = compose(
            &self.from,
            to,
            &rendered,
            &self.public_url,
            unsubscribe.as_deref(),
        )?;
        self.mailer.send(message).await
    }

    /// Runs rounds every `every` until the process ends. A round that fails
    /// (the database is away) is logged and tried again next time.
    pub fn spawn(self, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match self.run_once().await {
                    Ok(round) if round != Round::default() => {
                        tracing::info!(
                            reminders = round.reminders,
                            sent = round.sent,
                            failed = round.failed,
                            "notifications delivered"
                        )
                    }
                    Ok(_) => {}
                    Err(err) => {
                        tracing::warn!(error = %err, "delivering notifications failed; will try again")
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(60));
        assert_eq!(backoff(2), Duration::from_secs(120));
        assert_eq!(backoff(3), Duration::from_secs(240));
        assert_eq!(backoff(7), Duration::from_secs(3600));
        assert_eq!(backoff(50), Duration::from_secs(3600));
    }
}
