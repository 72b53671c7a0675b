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

/// What became of one claimed notice.
enum Outcome {
    Sent,
    Failed,
    /// The reader turned this kind of e-mail off (or was deactivated, or
    /// left the club, or the meeting was cancelled) after it was written.
    NoLongerWanted,
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
        // Reading targets tomorrow: the readers who have not got there.
        loop {
            let mut tx = begin(&self.pool).await?;
            let taken: i32 = sqlx::query_scalar!(
                r#"SELECT bookwork_private.take_reading_targets($1) AS "n!""#,
                REMINDER_BATCH
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            if taken < REMINDER_BATCH {
                break;
            }
        }
        // Polls closing within a day: their voters who have not voted.
        loop {
            let mut tx = begin(&self.pool).await?;
            let taken: i32 = sqlx::query_scalar!(
                r#"SELECT bookwork_private.take_closing_polls($1) AS "n!""#,
                REMINDER_BATCH
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            if taken < REMINDER_BATCH {
                break;
            }
        }
        while let Some(outcome) = self.send_one().await? {
            match outcome {
                Outcome::Sent => round.sent += 1,
                Outcome::Failed => round.failed += 1,
                Outcome::NoLongerWanted => {}
            }
        }
        Ok(round)
    }

    /// Claims one due e-mail and sends it; `None` when nothing is due.
    async fn send_one(&self) -> Result<Option<Outcome>, sqlx::Error> {
        let mut tx = begin(&self.pool).await?;
        // Claimed and finished by owner's functions: notices are under row
        // security (each reader sees only their own), and the worker acts
        // for every reader.
        let Some(row) = sqlx::query!(
            r#"SELECT id AS "id!", kind AS "kind!", user_id, payload AS "payload!", attempts AS "attempts!",
                      address AS "to!", name, unwanted AS "unwanted!", stale AS "stale!",
                      starts, previous_starts
                 FROM bookwork_private.claim_notice()"#
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let finish = |outcome: &'static str, tries: i32, error: Option<String>, retry_in: f64| {
            sqlx::query!(
                "SELECT bookwork_private.finish_notice($1, $2, $3, $4, $5)",
                row.id,
                outcome,
                tries,
                error,
                retry_in
            )
        };
        if row.unwanted || row.stale {
            let outcome = if row.unwanted { "off" } else { "skipped" };
            finish(outcome, row.attempts, None, 0.0)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(Some(Outcome::NoLongerWanted));
        }
        let sent = self
            .deliver(
                &row.kind,
                row.payload.clone(),
                row.user_id,
                &row.to,
                row.name.as_deref(),
                row.starts.as_deref(),
                row.previous_starts.as_deref(),
            )
            .await;
        let attempts = row.attempts + 1;
        let (outcome, counted) = match sent {
            Ok(()) => {
                finish("sent", attempts, None, 0.0)
                    .execute(&mut *tx)
                    .await?;
                (Outcome::Sent, "sent")
            }
            Err(error) => {
                let last = attempts >= MAX_ATTEMPTS;
                tracing::warn!(notification = row.id, attempts, error = %error, last, "sending a notification failed");
                let status = if last { "failed" } else { "pending" };
                finish(
                    status,
                    attempts,
                    Some(error),
                    backoff(attempts).as_secs_f64(),
                )
                .execute(&mut *tx)
                .await?;
                (Outcome::Failed, if last { "failed" } else { "retry" })
            }
        };
        tx.commit().await?;
        crate::platform::metrics::email(counted);
        Ok(Some(outcome))
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
