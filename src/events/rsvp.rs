//! RSVPs with a first-come waitlist.
//!
//! Every change that can move someone on or off the waitlist runs in a
//! transaction that first locks the event row (`FOR UPDATE`). Answers for the
//! same event are therefore accepted one at a time, and the arrival number
//! each "available" answer takes from a sequence is the order of acceptance:
//! forty simultaneous answers for five places give five confirmed and
//! thirty-five waitlisted, in that order. A new note from someone who is
//! already coming moves nobody, so it changes only that answer's row, under
//! the row's own lock, and waits for no other answer.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::EventAction;
use super::model::{Answer, MyRsvp, RsvpCounts, RSVP_STATUSES};
use super::standing::event_standing;
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};
use crate::places::{lock_event, promote};

/// Records the viewer's answer to an event.
pub async fn answer(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
    status: &str,
    note: &str,
) -> AppResult<()> {
    let s = event_standing(db, event, viewer).await?;
    s.require(EventAction::Rsvp, "Join the club to answer for its events.")?;
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
    // Still an active member of an active account? Holding those rows (FOR
    // SHARE) until commit makes a removal or deactivation wait for this
    // answer, and then release it (lock order: person, then event).
    let member = sqlx::query_scalar!(
        "SELECT m.user_id FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE m.club_id = $1 AND m.user_id = $2 AND m.is_active AND u.is_active
            FOR SHARE OF m, u",
        s.club_id,
        viewer.id
    )
    .fetch_optional(&mut *db)
    .await?;
    if member.is_none() {
        return Err(AppError::Forbidden(
            "Join the club to answer for its events.".into(),
        ));
    }
    if status == "available" && kept_coming(db, event, viewer.id, note).await? {
        return Ok(());
    }
    let max = lock_event(db, event).await?;
    let previous = sqlx::query!(
        "SELECT status, waitlisted FROM availability WHERE event_id = $1 AND user_id = $2",
        event,
        viewer.id
    )
    .fetch_optional(&mut *db)
    .await?;
    let was_available = previous.as_ref().is_some_and(|p| p.status == "available");
    let held_a_place = previous
        .as_ref()
        .is_some_and(|p| p.status == "available" && !p.waitlisted);
    if status == "available" && was_available {
        // Became "available" between `kept_coming` and the lock (another
        // tab): still coming, keep the place (or the place in the queue).
        // Nothing changed: row security filtered it out (`changed_one_row`).
        if !kept_coming(db, event, viewer.id, note).await? {
            return Err(AppError::NotFound);
        }
    } else if status == "available" {
        let confirmed = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM availability WHERE event_id = $1 AND status = 'available' AND NOT waitlisted"#,
            event
        )
        .fetch_one(&mut *db)
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
        .execute(&mut *db)
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
        .execute(&mut *db)
        .await?;
        if held_a_place {
            promote(db, event, max).await?;
        }
    }
    Ok(())
}

/// "Available" again from someone who already is: the note changes, the
/// place (or the place in the queue) is kept. Done without the event's
/// lock: a note moves nobody on or off the waitlist, so it need not wait
/// for every other answer to the event, only for a change to this answer
/// (the row's own lock; PostgreSQL checks `status` again on the row as it
/// is once that change has committed). False when the person had no
/// "available" answer: the caller takes the event's lock and decides.
async fn kept_coming(
    db: &mut PgConnection,
    event: Uuid,
    person: Uuid,
    note: Option<&str>,
) -> AppResult<bool> {
    let kept = sqlx::query!(
        "UPDATE availability SET notes = $3
          WHERE event_id = $1 AND user_id = $2 AND status = 'available'",
        event,
        person,
        note
    )
    .execute(&mut *db)
    .await?;
    Ok(kept.rows_affected() == 1)
}

/// How many gave each answer. Everyone who may see a public event sees its
/// counts, though only the club's people may see who answered (row security
/// hides the rows), so the database counts on the viewer's behalf.
pub async fn counts(db: &mut PgConnection, event: Uuid) -> AppResult<RsvpCounts> {
    let r = sqlx::query!(
        r#"SELECT available AS "available!", waitlisted AS "waitlisted!", maybe AS "maybe!",
                  unavailable AS "unavailable!"
             FROM bookwork_private.answer_counts($1)"#,
        event
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(RsvpCounts {
        available: r.available,
        waitlisted: r.waitlisted,
        maybe: r.maybe,
        unavailable: r.unavailable,
    })
}

pub async fn mine(db: &mut PgConnection, event: Uuid, user: Uuid) -> AppResult<Option<MyRsvp>> {
    Ok(sqlx::query!(
        r#"SELECT status, COALESCE(notes, '') AS "note!",
                  CASE WHEN waitlisted THEN
                       (SELECT count(*) FROM availability w WHERE w.event_id = a.event_id AND w.waitlisted AND w.arrival <= a.arrival)
                  END AS waitlist_position
             FROM availability a WHERE event_id = $1 AND user_id = $2"#,
        event,
        user
    )
    .fetch_optional(&mut *db)
    .await?
    .map(|r| MyRsvp {
        status: r.status,
        note: r.note,
        waitlist_position: r.waitlist_position,
    }))
}

/// Everyone's answers: confirmed first, then the waitlist in order, then
/// maybe and unavailable.
pub async fn answers(db: &mut PgConnection, event: Uuid) -> AppResult<Vec<Answer>> {
    Ok(sqlx::query_as!(
        Answer,
        r#"SELECT u.id AS user_id, u.name, a.status, COALESCE(a.notes, '') AS "note!",
                  CASE WHEN a.waitlisted THEN
                       row_number() OVER (PARTITION BY a.waitlisted ORDER BY a.arrival)
                  END AS waitlist_position
             FROM availability a JOIN users u ON u.id = a.user_id
            WHERE a.event_id = $1
            ORDER BY CASE a.status WHEN 'available' THEN 0 WHEN 'maybe' THEN 1 ELSE 2 END,
                     a.waitlisted, a.arrival, lower(u.name)"#,
        event
    )
    .fetch_all(&mut *db)
    .await?)
}
