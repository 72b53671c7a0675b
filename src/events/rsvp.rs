//! RSVPs with a first-come waitlist.
//!
//! Every change that can move someone on or off the waitlist runs in a
//! transaction that first locks the event row (`FOR UPDATE`). Answers for the
//! same event are therefore accepted one at a time, and the arrival number
//! each "available" answer takes from a sequence is the order of acceptance:
//! forty simultaneous answers for five places give five confirmed and
//! thirty-five waitlisted, in that order.
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::authz::EventAction;
use super::db::event_standing;
use super::model::{Answer, MyRsvp, RsvpCounts, RSVP_STATUSES};
use crate::auth::api::SessionUser;
use crate::error::{AppError, AppResult};

/// Locks the event row for the rest of the transaction; returns its limit.
pub(crate) async fn lock_event(
    tx: &mut Transaction<'_, Postgres>,
    event: Uuid,
) -> AppResult<Option<i32>> {
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
pub(crate) async fn promote(
    tx: &mut Transaction<'_, Postgres>,
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
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(promoted)
}

/// Records the viewer's answer to an event.
pub async fn answer(
    pool: &PgPool,
    event: Uuid,
    viewer: Option<&SessionUser>,
    status: &str,
    note: &str,
) -> AppResult<()> {
    let s = event_standing(pool, event, viewer).await?;
    if !s.is_member {
        s.require(EventAction::Rsvp, "Join the club to answer for its events.")?;
    }
    let viewer = viewer.ok_or(AppError::Unauthorized)?;
    if s.cancelled {
        return Err(AppError::Conflict("This event was cancelled.".into()));
    }
    if s.past {
        return Err(AppError::Conflict(
            "This event has already taken place.".into(),
        ));
    }
    if !RSVP_STATUSES.contains(&status) {
        return Err(AppError::validation(
            "status",
            "Choose available, maybe or unavailable.",
        ));
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::validation(
            "note",
            "Keep the note to 500 characters.",
        ));
    }
    let note = (!note.is_empty()).then_some(note);
    let mut tx = pool.begin().await?;
    let max = lock_event(&mut tx, event).await?;
    // Still a member? Holding the membership row (FOR SHARE) until commit
    // makes a removal wait for this answer, and then release it.
    let member = sqlx::query_scalar!(
        "SELECT user_id FROM club_members WHERE club_id = $1 AND user_id = $2 AND is_active FOR SHARE",
        s.club_id,
        viewer.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if member.is_none() {
        return Err(AppError::Forbidden(
            "Join the club to answer for its events.".into(),
        ));
    }
    let previous = sqlx::query!(
        "SELECT status, waitlisted FROM availability WHERE event_id = $1 AND user_id = $2",
        event,
        viewer.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let was_available = previous.as_ref().is_some_and(|p| p.status == "available");
    let held_a_place = previous
        .as_ref()
        .is_some_and(|p| p.status == "available" && !p.waitlisted);
    if status == "available" && was_available {
        // Still coming: keep the place (or the place in the queue).
        sqlx::query!(
            "UPDATE availability SET notes = $3 WHERE event_id = $1 AND user_id = $2",
            event,
            viewer.id,
            note
        )
        .execute(&mut *tx)
        .await?;
    } else if status == "available" {
        let confirmed = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM availability WHERE event_id = $1 AND status = 'available' AND NOT waitlisted"#,
            event
        )
        .fetch_one(&mut *tx)
        .await?;
        let waitlisted = max.is_some_and(|m| confirmed >= i64::from(m));
        sqlx::query!(
            "INSERT INTO availability (event_id, user_id, status, notes, arrival, waitlisted)
             VALUES ($1, $2, 'available', $3, nextval('availability_arrival_seq'), $4)
             ON CONFLICT (event_id, user_id) DO UPDATE
                SET status = 'available', notes = $3, arrival = nextval('availability_arrival_seq'), waitlisted = $4",
            event,
            viewer.id,
            note,
            waitlisted
        )
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query!(
            "INSERT INTO availability (event_id, user_id, status, notes, arrival, waitlisted)
             VALUES ($1, $2, $3, $4, DEFAULT, false)
             ON CONFLICT (event_id, user_id) DO UPDATE
                SET status = $3, notes = $4, waitlisted = false",
            event,
            viewer.id,
            status,
            note
        )
        .execute(&mut *tx)
        .await?;
        if held_a_place {
            promote(&mut tx, event, max).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Gives up `user`'s answers to the club's upcoming events (they left or were
/// removed), promoting from each waitlist. Runs inside the caller's
/// transaction, which also changes the membership.
pub(crate) async fn release_member(
    tx: &mut Transaction<'_, Postgres>,
    club: Uuid,
    user: Uuid,
) -> AppResult<()> {
    // Locks in id order, like every other multi-event path, to avoid
    // deadlocks between two releases.
    let events = sqlx::query!(
        "SELECT e.id, e.max_attendees FROM events e JOIN availability a ON a.event_id = e.id AND a.user_id = $2
          WHERE e.club_id = $1 AND (e.event_date + e.event_time) AT TIME ZONE e.time_zone >= now()
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
    Ok(())
}

pub async fn counts(pool: &PgPool, event: Uuid) -> AppResult<RsvpCounts> {
    let r = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE status = 'available' AND NOT waitlisted) AS "available!",
                  count(*) FILTER (WHERE waitlisted) AS "waitlisted!",
                  count(*) FILTER (WHERE status = 'maybe') AS "maybe!",
                  count(*) FILTER (WHERE status = 'unavailable') AS "unavailable!"
             FROM availability WHERE event_id = $1"#,
        event
    )
    .fetch_one(pool)
    .await?;
    Ok(RsvpCounts {
        available: r.available,
        waitlisted: r.waitlisted,
        maybe: r.maybe,
        unavailable: r.unavailable,
    })
}

pub async fn mine(pool: &PgPool, event: Uuid, user: Uuid) -> AppResult<Option<MyRsvp>> {
    Ok(sqlx::query!(
        r#"SELECT status, COALESCE(notes, '') AS "note!",
                  CASE WHEN waitlisted THEN
                       (SELECT count(*) FROM availability w WHERE w.event_id = a.event_id AND w.waitlisted AND w.arrival <= a.arrival)
                  END AS waitlist_position
             FROM availability a WHERE event_id = $1 AND user_id = $2"#,
        event,
        user
    )
    .fetch_optional(pool)
    .await?
    .map(|r| MyRsvp {
        status: r.status,
        note: r.note,
        waitlist_position: r.waitlist_position,
    }))
}

/// Everyone's answers: confirmed first, then the waitlist in order, then
/// maybe and unavailable.
pub async fn answers(pool: &PgPool, event: Uuid) -> AppResult<Vec<Answer>> {
    Ok(sqlx::query_as!(
        Answer,
        r#"SELECT u.name, a.status, COALESCE(a.notes, '') AS "note!",
                  CASE WHEN a.waitlisted THEN
                       row_number() OVER (PARTITION BY a.waitlisted ORDER BY a.arrival)
                  END AS waitlist_position
             FROM availability a JOIN users u ON u.id = a.user_id
            WHERE a.event_id = $1
            ORDER BY CASE a.status WHEN 'available' THEN 0 WHEN 'maybe' THEN 1 ELSE 2 END,
                     a.waitlisted, a.arrival, lower(u.name)"#,
        event
    )
    .fetch_all(pool)
    .await?)
}
