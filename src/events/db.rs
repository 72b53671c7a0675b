//! Events in PostgreSQL: creating, editing, cancelling and deleting them, and
//! the fields of their forms (the event page's read is `page_data.rs`). An
//! event's date and time are wall-clock values in its own zone; its instant
//! is `starts_at` (derived from them by a trigger, indexed), and every time
//! shown is that instant written in the viewer's zone.
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, EventAction};
use super::hosting::db::{chosen_host, host_choices, tell_host};
use super::hosting::model::NEXT_IN_ROTATION;
use super::model::{BookChoice, EventFields, EventInput, NewEvent};
use super::standing::event_standing;
use crate::auth::model::SessionUser;
use crate::clubs::standing::{require, standing};
use crate::error::{AppError, AppResult, Checks};
use crate::notify::model::Kind;
use crate::notify::outbox;
use crate::platform::db::changed_one_row;
use crate::platform::zones::{zone_exists, UNKNOWN_ZONE};

/// Checks the whole form, every problem at once: what needs no database
/// (`EventInput::validate`), then what does: that the zone exists and (for a
/// new event; past events stay editable) that it does not start in the past.
async fn checked(
    db: &mut PgConnection,
    club: Uuid,
    form: &EventInput,
    editing: Option<Uuid>,
) -> AppResult<NewEvent> {
    let on_create = editing.is_none();
    let mut checks = Checks::new();
    let mut event = checks.check(form.validate());
    // A book from the shelf: this club's, and then the event's book is its
    // title (typed text as well would be two answers to one question).
    if let Some(e) = event.as_mut() {
        if let Some(book) = e.book_id {
            let title = sqlx::query_scalar!(
                "SELECT title FROM books WHERE id = $1 AND club_id = $2",
                book,
                club
            )
            .fetch_optional(&mut *db)
            .await?;
            match title {
                None => checks.add("book_id", "Choose a book from the club's shelf."),
                Some(title) if e.book.as_ref().is_some_and(|typed| *typed != title) => checks.add(
                    "book",
                    "Choose a book from the shelf or type another one, not both.",
                ),
                Some(title) => e.book = Some(title),
            }
        }
    }
    let zone = form.time_zone.trim();
    let known_zone = !zone.is_empty() && zone.len() <= 64 && zone_exists(db, zone).await?;
    if !zone.is_empty() && zone.len() <= 64 && !known_zone {
        checks.add("time_zone", UNKNOWN_ZONE);
    }
    if let (true, true, Some((date, time))) = (on_create, known_zone, form.when()) {
        let past = sqlx::query_scalar!(
            r#"SELECT ($1::date + $2::time) AT TIME ZONE $3 < now() AS "past!""#,
            date as _,
            time as _,
            zone
        )
        .fetch_one(&mut *db)
        .await?;
        if past {
            checks.add(
                "date",
                "That date and time has already passed. Choose a time in the future.",
            );
        }
    }
    // Who hosts it, last: asking the rotation takes its lock, which is
    // then held only by a form that is otherwise fine.
    if checks.is_clean() {
        let host = checks.check(chosen_host(db, club, &form.host, editing).await);
        if let (Some(e), Some(host)) = (event.as_mut(), host) {
            e.host_id = host;
        }
    }
    checks.done(|| event)
}

/// The shelf book chosen a moment ago was removed meanwhile (its foreign key
/// fails): said beside the field.
fn shelf_book_removed(e: sqlx::Error) -> AppError {
    match e.as_database_error().and_then(|d| d.code()) {
        Some(code) if code == "23503" => AppError::validation(
            "book_id",
            "That book has just been removed from the shelf. Choose again.",
        ),
        _ => AppError::from(e),
    }
}

pub async fn create_event(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    form: &EventInput,
) -> AppResult<Uuid> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        decide(s.who, EventAction::CreateOrEdit, s.is_public),
        "Only the club's moderators, admins and owner create events.",
    )?;
    let event = checked(db, club, form, None).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO events (club_id, title, description, event_date, event_time, time_zone, location, book, type,
                             max_attendees, is_public, created_by, book_id, host_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        club,
        event.title,
        event.description,
        event.date as _,
        event.time as _,
        event.time_zone,
        event.location,
        event.book,
        event.kind,
        event.max_attendees,
        event.is_public,
        viewer.map(|v| v.id),
        event.book_id,
        event.host_id
    )
    .fetch_one(&mut *db)
    .await
    .map_err(shelf_book_removed)?;
    // The organiser is counted as going unless they say otherwise: one of
    // the club's people, that is (site staff run the site; they do not
    // attend). A new event has no other answer, so the first place is
    // theirs without waiting on the event's lock.
    if let Some(me) = viewer {
        sqlx::query!(
            "INSERT INTO availability (event_id, user_id, status, arrival)
             SELECT $1, $2, 'available', nextval('availability_arrival_seq')
              WHERE EXISTS (SELECT 1 FROM club_members m
                             WHERE m.club_id = $3 AND m.user_id = $2 AND m.is_active)",
            id,
            me.id,
            club
        )
        .execute(&mut *db)
        .await?;
    }
    outbox::club_event(db, Kind::EventNew, id, viewer.map(|v| v.id), json!({})).await?;
    tell_host(db, id, event.host_id, viewer).await?;
    Ok(id)
}

pub async fn update_event(
    db: &mut PgConnection,
    id: Uuid,
    viewer: Option<&SessionUser>,
    form: &EventInput,
) -> AppResult<()> {
    let s = event_standing(db, id, viewer).await?;
    s.require(
        EventAction::CreateOrEdit,
        "Only the club's moderators, admins and owner edit events.",
    )?;
    // Past events stay editable (fix a typo, add notes): only new ones must
    // be in the future.
    let event = checked(db, s.club_id, form, Some(id)).await?;
    let max = crate::places::lock_event(db, id).await?;
    let before = sqlx::query!(
        r#"SELECT starts_at AS "starts_at: DateTime<Utc>", location, host_id FROM events WHERE id = $1"#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    let updated = sqlx::query!(
        "UPDATE events SET title = $2, description = $3, event_date = $4, event_time = $5, time_zone = $6,
                location = $7, book = $8, type = $9, max_attendees = $10, is_public = $11, book_id = $12,
                host_id = $13
          WHERE id = $1",
        id,
        event.title,
        event.description,
        event.date as _,
        event.time as _,
        event.time_zone,
        event.location,
        event.book,
        event.kind,
        event.max_attendees,
        event.is_public,
        event.book_id,
        event.host_id
    )
    .execute(&mut *db)
    .await
    .map_err(shelf_book_removed)?;
    changed_one_row(updated)?;
    // More places: the waitlist moves up. Fewer: nobody confirmed is bumped.
    if event.max_attendees != max {
        crate::places::promote(db, id, event.max_attendees).await?;
    }
    // Moved (time or place) and still to come: the club hears about it.
    let after = sqlx::query!(
        r#"SELECT starts_at AS "starts_at: DateTime<Utc>", starts_at > now() AS "upcoming!",
                  cancelled_at IS NOT NULL AS "cancelled!"
             FROM events WHERE id = $1"#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    let moved = after.starts_at != before.starts_at || event.location != before.location;
    if moved && after.upcoming && !after.cancelled {
        let previous =
            json!({"previous_starts_at": before.starts_at, "previous_location": before.location});
        outbox::club_event(db, Kind::EventChanged, id, viewer.map(|v| v.id), previous).await?;
    }
    if event.host_id != before.host_id && after.upcoming && !after.cancelled {
        tell_host(db, id, event.host_id, viewer).await?;
    }
    Ok(())
}

/// Cancels (or, with `cancel = false`, restores) an event. Answers are kept.
pub async fn set_cancelled(
    db: &mut PgConnection,
    id: Uuid,
    viewer: Option<&SessionUser>,
    cancel: bool,
) -> AppResult<()> {
    let s = event_standing(db, id, viewer).await?;
    s.require(
        EventAction::CancelOrDelete,
        "Only the club's moderators, admins and owner cancel events.",
    )?;
    // Under the event's lock, so of two clicks at once only one sees the
    // meeting still on, and the club is told once.
    crate::places::lock_event(db, id).await?;
    let was_on = sqlx::query_scalar!(
        r#"SELECT cancelled_at IS NULL AS "on!" FROM events WHERE id = $1"#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    let changed = sqlx::query!(
        "UPDATE events SET cancelled_at = CASE WHEN $2 THEN COALESCE(cancelled_at, now()) END WHERE id = $1",
        id,
        cancel
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(changed)?;
    // Once, when a meeting still to come is called off (not for one
    // already past).
    if cancel && was_on && !s.past {
        outbox::club_event(
            db,
            Kind::EventCancelled,
            id,
            viewer.map(|v| v.id),
            json!({}),
        )
        .await?;
    }
    Ok(())
}

/// Deletes an event with its items and answers; returns its club.
pub async fn delete_event(
    db: &mut PgConnection,
    id: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let s = event_standing(db, id, viewer).await?;
    s.require(
        EventAction::CancelOrDelete,
        "Only the club's moderators, admins and owner delete events.",
    )?;
    let deleted = sqlx::query!("DELETE FROM events WHERE id = $1", id)
        .execute(&mut *db)
        .await?;
    changed_one_row(deleted)?;
    Ok(s.club_id)
}

/// Defaults for a new event of `club`: tomorrow at 19:00 in the club's zone.
pub async fn new_event_fields(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<EventFields> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        decide(s.who, EventAction::CreateOrEdit, s.is_public),
        "Only the club's moderators, admins and owner create events.",
    )?;
    let row = sqlx::query!(
        r#"SELECT c.time_zone, to_char((now() AT TIME ZONE c.time_zone)::date + 1, 'YYYY-MM-DD') AS "tomorrow!",
                  (SELECT b.id FROM books b WHERE b.club_id = c.id AND b.shelf = 'reading'
                    ORDER BY b.shelved_at DESC LIMIT 1) AS current_book
             FROM clubs c WHERE c.id = $1"#,
        club
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(EventFields {
        id: None,
        club_id: club,
        club_name: s.name,
        form: EventInput {
            date: row.tomorrow,
            time: "19:00".into(),
            time_zone: row.time_zone,
            book_id: row.current_book.map(|b| b.to_string()).unwrap_or_default(),
            kind: "discussion".into(),
            is_public: s.is_public,
            ..EventInput::default()
        },
        shelf: shelf_choices(db, club).await?,
        hosts: host_choices(db, club, None).await?,
    })
    .map(|mut f| {
        // A club with a rotation is offered its next host.
        if f.hosts.first().is_some_and(|(v, _)| v == NEXT_IN_ROTATION) {
            f.form.host = NEXT_IN_ROTATION.to_owned();
        }
        f
    })
}

pub async fn event_fields(
    db: &mut PgConnection,
    id: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<EventFields> {
    let s = event_standing(db, id, viewer).await?;
    s.require(
        EventAction::CreateOrEdit,
        "Only the club's moderators, admins and owner edit events.",
    )?;
    let r = sqlx::query!(
        r#"SELECT e.club_id, c.name AS club_name, e.title, e.description, to_char(e.event_date, 'YYYY-MM-DD') AS "date!",
                  to_char(e.event_time, 'HH24:MI') AS "time!", e.time_zone, e.location, e.book, e.type AS kind,
                  e.max_attendees, e.is_public, e.book_id, e.host_id
             FROM events e JOIN clubs c ON c.id = e.club_id WHERE e.id = $1"#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(EventFields {
        id: Some(id),
        club_id: r.club_id,
        club_name: r.club_name,
        form: EventInput {
            title: r.title,
            description: r.description.unwrap_or_default(),
            date: r.date,
            time: r.time,
            time_zone: r.time_zone,
            location: r.location,
            // A shelf book is chosen in the list; typed text is for others.
            book: match r.book_id {
                Some(_) => String::new(),
                None => r.book.unwrap_or_default(),
            },
            book_id: r.book_id.map(|b| b.to_string()).unwrap_or_default(),
            kind: r.kind,
            max_attendees: r.max_attendees.map(|m| m.to_string()).unwrap_or_default(),
            is_public: r.is_public,
            host: r.host_id.map(|h| h.to_string()).unwrap_or_default(),
        },
        shelf: shelf_choices(db, r.club_id).await?,
        hosts: host_choices(db, r.club_id, r.host_id).await?,
    })
}

/// The club's books an event may be about, the likeliest first.
pub async fn shelf_choices(db: &mut PgConnection, club: Uuid) -> AppResult<Vec<BookChoice>> {
    Ok(sqlx::query_as!(
        BookChoice,
        "SELECT id, title FROM books WHERE club_id = $1
          ORDER BY array_position(ARRAY['reading', 'up_next', 'suggested', 'read'], shelf::text), title",
        club
    )
    .fetch_all(&mut *db)
    .await?)
}
