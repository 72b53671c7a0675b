//! Lists of events: a club's meetings for its page, and a person's upcoming
//! meetings and open tasks for the home page. Row security decides which
//! events a list may hold.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, EventAction};
use super::hosting::authz::HostingAction;
use super::items::model::MyTask;
use super::model::{ClubEvents, EventSummary};
use crate::auth::model::SessionUser;
use crate::clubs::authz::Decision;
use crate::clubs::standing::visible_standing;
use crate::error::AppResult;

/// A club's events the viewer may see: upcoming soonest first, past latest
/// first.
pub async fn club_events(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ClubEvents> {
    let s = visible_standing(db, club, viewer).await?;
    // Private events are for the people who may see a private event.
    let sees_private = decide(s.who, EventAction::View, false) == Decision::Allow;
    let rows = sqlx::query!(
        r#"SELECT e.id, e.club_id, c.name AS club_name, e.title, e.location, e.type AS kind,
                  e.cancelled_at IS NOT NULL AS "cancelled!",
                  to_char(e.starts_at AT TIME ZONE COALESCE(reader.time_zone, e.time_zone),
                          'Dy FMDD Mon YYYY, HH24:MI') AS "starts!",
                  COALESCE(reader.time_zone, e.time_zone) AS "zone!",
                  to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "instant!",
                  e.starts_at < now() AS "past!",
                  a.status AS "my_rsvp?", COALESCE(a.waitlisted, false) AS "waitlisted!"
             FROM events e JOIN clubs c ON c.id = e.club_id
             LEFT JOIN availability a ON a.event_id = e.id AND a.user_id = $3
             LEFT JOIN users reader ON reader.id = $3
            WHERE e.club_id = $1 AND ($2 OR e.is_public)
            ORDER BY e.starts_at, e.id"#,
        club,
        sees_private,
        viewer.map(|v| v.id)
    )
    .fetch_all(&mut *db)
    .await?;
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for r in rows {
        let summary = EventSummary {
            id: r.id,
            club_id: r.club_id,
            club_name: r.club_name,
            title: r.title,
            starts: r.starts,
            zone: r.zone,
            instant: r.instant,
            location: r.location,
            kind: r.kind,
            cancelled: r.cancelled,
            my_rsvp: r.my_rsvp,
            waitlisted: r.waitlisted,
        };
        if r.past {
            past.push(summary);
        } else {
            upcoming.push(summary);
        }
    }
    past.reverse();
    Ok(ClubEvents {
        upcoming,
        past,
        can_create: decide(s.who, EventAction::CreateOrEdit, s.is_public) == Decision::Allow,
        can_see_hosting: super::hosting::authz::decide(
            s.who,
            HostingAction::SeeRotation,
            s.is_public,
        ) == Decision::Allow,
    })
}

/// My upcoming events across all my clubs, with my answer on each.
pub async fn my_upcoming(
    db: &mut PgConnection,
    viewer: &SessionUser,
) -> AppResult<Vec<EventSummary>> {
    Ok(sqlx::query_as!(
        EventSummary,
        r#"SELECT e.id, e.club_id, c.name AS club_name, e.title, e.location, e.type AS kind,
                  e.cancelled_at IS NOT NULL AS "cancelled!",
                  to_char(e.starts_at AT TIME ZONE COALESCE(reader.time_zone, e.time_zone),
                          'Dy FMDD Mon YYYY, HH24:MI') AS "starts!",
                  COALESCE(reader.time_zone, e.time_zone) AS "zone!",
                  to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "instant!",
                  a.status AS "my_rsvp?", COALESCE(a.waitlisted, false) AS "waitlisted!"
             FROM events e
             JOIN clubs c ON c.id = e.club_id
             JOIN club_members m ON m.club_id = e.club_id AND m.user_id = $1 AND m.is_active
             LEFT JOIN availability a ON a.event_id = e.id AND a.user_id = $1
             LEFT JOIN users reader ON reader.id = $1
            WHERE e.starts_at >= now()
            ORDER BY e.starts_at, e.id
            LIMIT 20"#,
        viewer.id
    )
    .fetch_all(&mut *db)
    .await?)
}

/// Items assigned to me that are not finished, in clubs I still belong to.
pub async fn my_open_tasks(db: &mut PgConnection, viewer: &SessionUser) -> AppResult<Vec<MyTask>> {
    Ok(sqlx::query_as!(
        MyTask,
        r#"SELECT i.id, i.name, i.category, i.status, e.id AS event_id, e.title AS event_title,
                  to_char(e.starts_at AT TIME ZONE COALESCE(reader.time_zone, e.time_zone),
                          'Dy FMDD Mon YYYY, HH24:MI') AS "starts!"
             FROM event_items i
             JOIN events e ON e.id = i.event_id
             JOIN club_members m ON m.club_id = e.club_id AND m.user_id = $1 AND m.is_active
             LEFT JOIN users reader ON reader.id = $1
            WHERE i.assigned_to = $1 AND i.status IN ('pending', 'in_progress') AND e.cancelled_at IS NULL
            ORDER BY e.starts_at, i.created_at, i.id
            LIMIT 50"#,
        viewer.id
    )
    .fetch_all(&mut *db)
    .await?)
}
