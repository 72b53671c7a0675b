//! Places at events: the lock that makes answers to one event take turns, the
//! first-come waitlist, and what a person gives up when they stop being part
//! of a club (leaving, removal) or of the site (deactivation).
//!
//! Lock order, the same on every path so two of them never wait for each
//! other: the person (`users`, then `club_members`) first, then events in id
//! order. An answer takes the person's rows `FOR SHARE` before it locks its
//! event; a removal or deactivation changes those rows first, so it waits for
//! answers already under way and then sees (and releases) what they saved.
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Locks the event row for the rest of the transaction; returns its limit.
pub async fn lock_event(tx: &mut Transaction<'_, Postgres>, event: Uuid) -> AppResult<Option<i32>> {
    sqlx::query_scalar!(
        "SELECT max_attendees FROM events WHERE id = $1 FOR UPDATE",
        event
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)
}

/// Confirms waitlisted people, first come first served, while there are
/// places. The caller holds the event lock.
pub async fn promote(
    tx: &mut PgConnection,
    event: Uuid,
    max_attendees: Option<i32>,
) -> AppResult<u64> {
    let promoted = sqlx::query!(
        "UPDATE availability SET waitlisted = false
          WHERE id IN (
                SELECT id FROM availability
                 WHERE event_id = $1 AND waitlisted
                 ORDER BY arrival
                 LIMIT GREATEST(0, COALESCE($2::bigint, 9223372036854775807)
                        - (SELECT count(*) FROM availability
                            WHERE event_id = $1 AND status = 'available' AND NOT waitlisted)))",
        event,
        max_attendees.map(i64::from)
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(promoted)
}

/// Where a departing person's places and tasks are given up.
#[derive(Debug, Clone, Copy)]
pub enum Leaving {
    /// They left one club (or were removed from it).
    Club(Uuid),
    /// Their account was deactivated: every club.
    Everywhere,
}

/// Gives up `user`'s answers to upcoming events (promoting from each
/// waitlist) and unassigns their open tasks there, in the caller's
/// transaction, which has already changed the membership or the account (see
/// the lock order above). Past events keep their history.
pub async fn release(
    tx: &mut Transaction<'_, Postgres>,
    user: Uuid,
    leaving: Leaving,
) -> AppResult<()> {
    let club = match leaving {
        Leaving::Club(club) => Some(club),
        Leaving::Everywhere => None,
    };
    let events = sqlx::query!(
        "SELECT e.id, e.max_attendees FROM events e JOIN availability a ON a.event_id = e.id AND a.user_id = $2
          WHERE ($1::uuid IS NULL OR e.club_id = $1) AND e.starts_at >= now()
          ORDER BY e.id FOR UPDATE OF e",
        club,
        user
    )
    .fetch_all(&mut **tx)
    .await?;
    for e in events {
        sqlx::query!(
            "DELETE FROM availability WHERE event_id = $1 AND user_id = $2",
            e.id,
            user
        )
        .execute(&mut **tx)
        .await?;
        promote(tx, e.id, e.max_attendees).await?;
    }
    sqlx::query!(
        "UPDATE event_items i SET assigned_to = NULL
           FROM events e
          WHERE e.id = i.event_id AND i.assigned_to = $2 AND i.status IN ('pending', 'in_progress')
            AND ($1::uuid IS NULL OR e.club_id = $1) AND e.starts_at >= now()",
        club,
        user
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
