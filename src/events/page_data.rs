//! What an event's page shows, read in one go: the details with the RSVP
//! counts and the viewer's own answer, then who answered, the items and who
//! they may be given to, each only for those who may see it. Apart from
//! `db.rs`, which creates and changes events, as `polls/page_data.rs` is
//! for a poll.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::EventAction;
use super::items::model::Assignable;
use super::model::{EventPage, MyRsvp, RsvpCounts};
use super::rsvp;
use super::standing::event_standing;
use crate::auth::model::SessionUser;
use crate::error::AppResult;

/// The event page for one viewer: details, answers, items, and what they may do.
pub async fn event_page(
    db: &mut PgConnection,
    id: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<EventPage> {
    let s = event_standing(db, id, viewer).await?;
    let e = sqlx::query!(
        r#"SELECT e.club_id, c.name AS club_name, e.title, e.description, e.location, e.book, e.type AS kind,
                  e.book_id IS NOT NULL AS "book_on_shelf!",
                  (SELECT u.name FROM club_members m JOIN users u ON u.id = m.user_id
                    WHERE m.club_id = e.club_id AND m.user_id = e.host_id AND m.is_active AND u.is_active) AS host,
                  (SELECT jsonb_build_array(p.id, p.title) FROM polls p WHERE p.event_id = e.id) AS from_poll,
                  e.max_attendees, e.is_public, e.time_zone,
                  to_char(e.starts_at AT TIME ZONE COALESCE(reader.time_zone, e.time_zone),
                          'Dy FMDD Mon YYYY, HH24:MI') AS "starts!",
                  COALESCE(reader.time_zone, e.time_zone) AS "zone!",
                  to_char(e.event_date + e.event_time, 'Dy FMDD Mon YYYY, HH24:MI') AS "local_starts!",
                  to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "instant!",
                  n.available AS "available!", n.waitlisted AS "waitlisted!", n.maybe AS "maybe!",
                  n.unavailable AS "unavailable!",
                  mine.status AS "my_status?", COALESCE(mine.notes, '') AS "my_note!",
                  CASE WHEN mine.waitlisted THEN
                       (SELECT count(*) FROM availability w
                         WHERE w.event_id = e.id AND w.waitlisted AND w.arrival <= mine.arrival)
                  END AS my_waitlist_position
             FROM events e JOIN clubs c ON c.id = e.club_id
             CROSS JOIN bookwork_private.answer_counts($1) n
             LEFT JOIN users reader ON reader.id = $2
             LEFT JOIN availability mine ON mine.event_id = e.id AND mine.user_id = $2
            WHERE e.id = $1"#,
        id,
        viewer.map(|v| v.id)
    )
    .fetch_one(&mut *db)
    .await?;
    let can_see_answers = s.may(EventAction::SeeAnswers);
    let can_see_items = s.may(EventAction::SeeItems);
    let can_manage_items = s.may(EventAction::ManageItems);
    // Counts and the viewer's own answer came with the details (the same
    // as `rsvp::counts` and `rsvp::mine`, in the one statement).
    let counts = RsvpCounts {
        available: e.available,
        waitlisted: e.waitlisted,
        maybe: e.maybe,
        unavailable: e.unavailable,
    };
    let my_rsvp = e.my_status.map(|status| MyRsvp {
        status,
        note: e.my_note,
        waitlist_position: e.my_waitlist_position,
    });
    let answers = if can_see_answers {
        rsvp::answers(db, id).await?
    } else {
        Vec::new()
    };
    let items = if can_see_items {
        super::items::db::items(db, id, viewer.map(|v| v.id), &s).await?
    } else {
        Vec::new()
    };
    let assignable = if can_manage_items {
        assignable(db, s.club_id).await?
    } else {
        Vec::new()
    };
    let local_starts =
        (e.zone != e.time_zone).then(|| format!("{} ({})", e.local_starts, e.time_zone));
    // The date poll it was planned from (row security: club people only).
    let from_poll = e
        .from_poll
        .and_then(|p| serde_json::from_value::<(Uuid, String)>(p).ok());
    Ok(EventPage {
        id,
        from_poll,
        book_on_shelf: e.book_on_shelf,
        club_id: e.club_id,
        club_name: e.club_name,
        title: e.title,
        description: e.description.unwrap_or_default(),
        starts: e.starts,
        zone: e.zone,
        local_starts,
        event_zone: e.time_zone.clone(),
        instant: e.instant,
        location: e.location,
        host: e.host,
        book: e.book.unwrap_or_default(),
        kind: e.kind,
        max_attendees: e.max_attendees,
        is_public: e.is_public,
        cancelled: s.cancelled,
        past: s.past,
        viewer: s.who,
        counts,
        my_rsvp,
        answers,
        can_see_answers,
        can_rsvp: s.may(EventAction::Rsvp) && !s.cancelled && !s.past,
        can_edit: s.may(EventAction::CreateOrEdit),
        can_cancel: s.may(EventAction::CancelOrDelete),
        can_manage_items,
        can_delete_items: s.may(EventAction::DeleteItem),
        items,
        can_see_items,
        assignable,
    })
}

/// Current members of a club, who items can be assigned to.
pub(crate) async fn assignable(db: &mut PgConnection, club: Uuid) -> AppResult<Vec<Assignable>> {
    Ok(sqlx::query_as!(
        Assignable,
        "SELECT u.id, u.name FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE m.club_id = $1 AND m.is_active AND u.is_active ORDER BY lower(u.name), u.id",
        club
    )
    .fetch_all(&mut *db)
    .await?)
}
