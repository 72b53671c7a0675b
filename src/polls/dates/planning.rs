//! Planning the meeting a date poll chose: the new-event form filled in from
//! one of its dates, then the event made, linked and the poll closed, in one
//! transaction (`events::db::create_event` runs in it). Apart from `db.rs`
//! (proposing dates, the grid, answers) because this is the one part of
//! date polls that writes another feature's rows.
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::PlanForm;
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};
use crate::events::model::EventInput;
use crate::polls::access::{allowed, club_of, ORGANISERS_ONLY};
use crate::polls::authz::PollAction;

/// The poll, for planning: a date poll not planned yet, for an organiser.
async fn plannable(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    lock: bool,
) -> AppResult<Uuid> {
    let club = club_of(db, poll).await?;
    allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    // Locked when planning, so two organisers planning at once make one
    // meeting: the second waits, then finds it planned.
    let p = if lock {
        sqlx::query!(
            "SELECT kind, event_id FROM polls WHERE id = $1 FOR UPDATE",
            poll
        )
        .fetch_one(&mut *db)
        .await
        .map(|p| (p.kind, p.event_id))?
    } else {
        sqlx::query!("SELECT kind, event_id FROM polls WHERE id = $1", poll)
            .fetch_one(&mut *db)
            .await
            .map(|p| (p.kind, p.event_id))?
    };
    match p {
        (kind, _) if kind != "date" => Err(AppError::Conflict(
            "Only a date poll becomes a meeting.".into(),
        )),
        (_, Some(_)) => Err(AppError::Conflict(
            "This poll has already become a meeting: it is linked on the poll's page.".into(),
        )),
        _ => Ok(club),
    }
}

/// The new-event form filled in from one of the poll's dates: its date and
/// time in the poll's zone, the poll's place and book.
pub async fn plan_form(
    db: &mut PgConnection,
    poll: Uuid,
    option: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<PlanForm> {
    let club = plannable(db, poll, viewer, false).await?;
    let o = sqlx::query!(
        r#"SELECT p.title, p.time_zone AS "time_zone!", COALESCE(p.place, '') AS "place!", p.book_id,
                  to_char(o.starts_on, 'YYYY-MM-DD') AS "date!", to_char(o.starts_time, 'HH24:MI') AS "time!"
             FROM poll_options o JOIN polls p ON p.id = o.poll_id
            WHERE o.id = $1 AND o.poll_id = $2"#,
        option,
        poll
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut fields = crate::events::db::new_event_fields(db, club, viewer).await?;
    fields.form = EventInput {
        title: o.title.clone(),
        date: o.date,
        time: o.time,
        time_zone: o.time_zone,
        location: o.place,
        book_id: o
            .book_id
            .map(|b| b.to_string())
            .unwrap_or(fields.form.book_id),
        ..fields.form
    };
    Ok(PlanForm {
        poll_id: poll,
        poll_title: o.title,
        fields,
    })
}

/// Creates the meeting from the (possibly edited) form, links it to the
/// poll and closes the poll, all at once.
pub async fn plan(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    form: &EventInput,
) -> AppResult<Uuid> {
    let club = plannable(db, poll, viewer, true).await?;
    let event = crate::events::db::create_event(db, club, viewer, form).await?;
    let linked = sqlx::query!(
        "UPDATE polls SET event_id = $2, closed_at = LEAST(COALESCE(closed_at, now()), closes_at)
          WHERE id = $1",
        poll,
        event
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    // Held FOR UPDATE since `plannable`: only row security could refuse.
    if linked != 1 {
        return Err(AppError::Forbidden(ORGANISERS_ONLY.into()));
    }
    Ok(event)
}
