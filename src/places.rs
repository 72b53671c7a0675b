//! Places at events: the lock that makes answers to one event take turns, the
//! first-come waitlist, and what a person gives up when they stop being part
//! of a club (leaving, removal) or of the site (deactivation).
//!
//! Lock order, the same on every path so two of them never wait for each
//! other: the person (`users`, then `club_members`) first, then events in id
//! order. An answer takes the person's rows `FOR SHARE` before it locks its
//! event; a removal or deactivation changes those rows first, so it waits for
//! answers already under way and then sees (and releases) what they saved.
//!
//! Locking an event and promoting from its waitlist touch rows the person
//! asking may not change themselves (row-level security lets them write only
//! their own answer): both run as the owner, in `bookwork_private` functions,
//! for the one event asked about.
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppError;

/// Locks the event row for the rest of the transaction; returns its limit
/// (`NotFound` for an event the viewer may not see).
pub async fn lock_event(db: &mut PgConnection, event: Uuid) -> Result<Option<i32>, AppError> {
    sqlx::query_scalar!(
        r#"SELECT max_attendees FROM bookwork_private.lock_event($1)"#,
        event
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)
}

/// Confirms waitlisted people, first come first served, while there are
/// places. The caller holds the event lock.
pub async fn promote(
    db: &mut PgConnection,
    event: Uuid,
    max_attendees: Option<i32>,
) -> Result<i64, AppError> {
    let promoted = sqlx::query_scalar!(
        r#"SELECT bookwork_private.promote_waitlist($1, $2) AS "promoted!""#,
        event,
        max_attendees
    )
    .fetch_one(&mut *db)
    .await?;
    crate::platform::metrics::waitlist_promotions(promoted);
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
pub async fn release(db: &mut PgConnection, user: Uuid, leaving: Leaving) -> Result<(), AppError> {
    let club = match leaving {
        Leaving::Club(club) => Some(club),
        Leaving::Everywhere => None,
    };
    let events = sqlx::query_scalar!(
        "SELECT e.id FROM events e JOIN availability a ON a.event_id = e.id AND a.user_id = $2
          WHERE ($1::uuid IS NULL OR e.club_id = $1) AND e.starts_at >= now()
          ORDER BY e.id",
        club,
        user
    )
    .fetch_all(&mut *db)
    .await?;
    for event in events {
        let max = lock_event(db, event).await?;
        sqlx::query!(
            "DELETE FROM availability WHERE event_id = $1 AND user_id = $2",
            event,
            user
        )
        .execute(&mut *db)
        .await?;
        promote(db, event, max).await?;
    }
    sqlx::query!(
        "UPDATE event_items i SET assigned_to = NULL
           FROM events e
          WHERE e.id = i.event_id AND i.assigned_to = $2 AND i.status IN ('pending', 'in_progress')
            AND ($1::uuid IS NULL OR e.club_id = $1) AND e.starts_at >= now()",
        club,
        user
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
