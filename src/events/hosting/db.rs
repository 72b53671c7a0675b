//! The hosting rotation in PostgreSQL: who volunteers, who is next, who
//! hosts what, and swaps. "Next" is the volunteer whose latest meeting as
//! host (past or planned, not cancelled) is the oldest, those who have not
//! hosted first, then the longest in the rotation.
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, HostingAction};
use super::model::{HostedMeeting, Rotation, Volunteer, NEXT_IN_ROTATION};
use crate::auth::model::SessionUser;
use crate::clubs::authz::Decision;
use crate::clubs::standing::{require, standing, Standing};
use crate::error::{AppError, AppResult};
use crate::events::standing::event_standing;
use crate::notify::model::Kind;
use crate::notify::outbox;

/// The viewer's standing in `club`, allowed to do `action`.
async fn allowed(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    action: HostingAction,
    refusal: &str,
) -> AppResult<Standing> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    require(decide(s.who, action, s.is_public), refusal)?;
    Ok(s)
}

fn may(s: &Standing, action: HostingAction) -> bool {
    decide(s.who, action, s.is_public) == Decision::Allow
}

/// The club's hosting page: the rotation in the order people will be
/// asked, and the coming meetings with their hosts.
pub async fn rotation(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Rotation> {
    let s = allowed(
        db,
        club,
        viewer,
        HostingAction::SeeRotation,
        "The hosting rotation is for the club's members.",
    )
    .await?;
    let me = viewer.map(|v| v.id);
    let volunteers = sqlx::query!(
        r#"SELECT v.user_id, u.name,
                  to_char(h.last AT TIME ZONE COALESCE(reader.time_zone, c.time_zone), 'Dy FMDD Mon YYYY') AS last_hosted,
                  COALESCE(h.last > now(), false) AS "hosting_soon!"
             FROM host_volunteers v
             JOIN clubs c ON c.id = v.club_id
             JOIN club_members m ON m.club_id = v.club_id AND m.user_id = v.user_id AND m.is_active
             JOIN users u ON u.id = v.user_id AND u.is_active
             LEFT JOIN users reader ON reader.id = $2
             LEFT JOIN LATERAL (SELECT max(e.starts_at) AS last FROM events e
                                 WHERE e.club_id = v.club_id AND e.host_id = v.user_id
                                   AND e.cancelled_at IS NULL) h ON true
            WHERE v.club_id = $1
            ORDER BY h.last NULLS FIRST, v.since, lower(u.name), u.id"#,
        club,
        me
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| Volunteer {
        user_id: r.user_id,
        name: r.name,
        last_hosted: r.last_hosted,
        hosting_soon: r.hosting_soon,
    })
    .collect::<Vec<_>>();
    let meetings = sqlx::query!(
        r#"SELECT e.id, e.title,
                  to_char(e.starts_at AT TIME ZONE COALESCE(reader.time_zone, e.time_zone),
                          'Dy FMDD Mon YYYY, HH24:MI') AS "starts!",
                  hu.name AS "host?", COALESCE(hu.id = $2, false) AS "mine!"
             FROM events e
             LEFT JOIN users reader ON reader.id = $2
             LEFT JOIN club_members hm ON hm.club_id = e.club_id AND hm.user_id = e.host_id AND hm.is_active
             LEFT JOIN users hu ON hu.id = hm.user_id AND hu.is_active
            WHERE e.club_id = $1 AND e.cancelled_at IS NULL AND e.starts_at > now()
            ORDER BY e.starts_at, e.id
            LIMIT 20"#,
        club,
        me
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| HostedMeeting {
        event_id: r.id,
        title: r.title,
        starts: r.starts,
        host: r.host,
        mine: r.mine,
    })
    .collect();
    Ok(Rotation {
        club_id: club,
        club_name: s.name.clone(),
        me_in: me.is_some_and(|me| volunteers.iter().any(|v| v.user_id == me)),
        volunteers,
        meetings,
        can_volunteer: may(&s, HostingAction::Volunteer),
        can_manage: may(&s, HostingAction::ManageRotation),
        can_swap_own: may(&s, HostingAction::SwapOwn),
    })
}

/// Puts the viewer in the club's rotation (`answer` "yes") or takes them
/// out ("no"); which it was. Saying it twice changes nothing.
pub async fn volunteer(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    answer: &str,
) -> AppResult<bool> {
    allowed(
        db,
        club,
        viewer,
        HostingAction::Volunteer,
        "Only the club's members take turns hosting.",
    )
    .await?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let yes = match answer {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::validation(
                "volunteer",
                "Say whether you'll take turns hosting.",
            ))
        }
    };
    if yes {
        sqlx::query!(
            "INSERT INTO host_volunteers (club_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            club,
            me
        )
        .execute(&mut *db)
        .await?;
    } else {
        sqlx::query!(
            "DELETE FROM host_volunteers WHERE club_id = $1 AND user_id = $2",
            club,
            me
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(yes)
}

/// Takes someone out of the rotation (the club's organisers); the meetings
/// they already host keep them. Someone already out stays out. Returns
/// their name (`NotFound` for someone who was never in the club).
pub async fn take_out(
    db: &mut PgConnection,
    club: Uuid,
    person: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<String> {
    allowed(
        db,
        club,
        viewer,
        HostingAction::ManageRotation,
        "Only the club's moderators, admins and owner change the rotation.",
    )
    .await?;
    sqlx::query!(
        "DELETE FROM host_volunteers WHERE club_id = $1 AND user_id = $2",
        club,
        person
    )
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar!(
        "SELECT u.name FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE m.club_id = $1 AND m.user_id = $2",
        club,
        person
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)
}

/// The volunteer to ask next, if anyone volunteers.
pub async fn next_host(db: &mut PgConnection, club: Uuid) -> AppResult<Option<(Uuid, String)>> {
    Ok(sqlx::query!(
        "SELECT v.user_id, u.name
           FROM host_volunteers v
           JOIN club_members m ON m.club_id = v.club_id AND m.user_id = v.user_id AND m.is_active
           JOIN users u ON u.id = v.user_id AND u.is_active
           LEFT JOIN LATERAL (SELECT max(e.starts_at) AS last FROM events e
                               WHERE e.club_id = v.club_id AND e.host_id = v.user_id
                                 AND e.cancelled_at IS NULL) h ON true
          WHERE v.club_id = $1
          ORDER BY h.last NULLS FIRST, v.since, lower(u.name), u.id
          LIMIT 1",
        club
    )
    .fetch_optional(&mut *db)
    .await?
    .map(|r| (r.user_id, r.name)))
}

/// The event form's host choices: the next in the rotation (when anyone
/// volunteers), then every member by name, and the meeting's `current`
/// host if they are no longer one (a past meeting keeps its host).
pub async fn host_choices(
    db: &mut PgConnection,
    club: Uuid,
    current: Option<Uuid>,
) -> AppResult<Vec<(String, String)>> {
    let mut choices = Vec::new();
    if let Some((_, name)) = next_host(db, club).await? {
        choices.push((
            NEXT_IN_ROTATION.to_owned(),
            format!("Next in the rotation (now {name})"),
        ));
    }
    let members = sqlx::query!(
        "SELECT u.id, u.name FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE m.club_id = $1 AND (m.is_active AND u.is_active OR u.id = $2)
          ORDER BY lower(u.name), u.id",
        club,
        current
    )
    .fetch_all(&mut *db)
    .await?;
    choices.extend(members.into_iter().map(|m| (m.id.to_string(), m.name)));
    Ok(choices)
}

/// The host an event form asks for: nobody (empty), the next in the
/// rotation, or a member of the club (or the host the meeting being edited
/// already has). The rotation is asked under a lock held to the end of the
/// transaction, after which the query sees every meeting saved before, so
/// two meetings planned at once get two hosts.
pub async fn chosen_host(
    db: &mut PgConnection,
    club: Uuid,
    raw: &str,
    editing: Option<Uuid>,
) -> AppResult<Option<Uuid>> {
    match raw.trim() {
        "" => Ok(None),
        NEXT_IN_ROTATION => {
            sqlx::query!(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                format!("host-rotation:{club}")
            )
            .execute(&mut *db)
            .await?;
            Ok(next_host(db, club).await?.map(|(id, _)| id))
        }
        id => {
            let member = match id.parse::<Uuid>() {
                Ok(id) => sqlx::query_scalar!(
                    r#"SELECT $2::uuid AS "id!"
                        WHERE EXISTS (SELECT 1 FROM club_members m JOIN users u ON u.id = m.user_id
                                       WHERE m.club_id = $1 AND m.user_id = $2 AND m.is_active AND u.is_active)
                           OR EXISTS (SELECT 1 FROM events e WHERE e.id = $3 AND e.host_id = $2)"#,
                    club,
                    id,
                    editing
                )
                .fetch_optional(&mut *db)
                .await?,
                Err(_) => None,
            };
            member.map(Some).ok_or_else(|| {
                AppError::validation("host", "Choose one of the club's members to host.")
            })
        }
    }
}

/// Tells a meeting's new host they are hosting (not when they chose
/// themselves).
pub async fn tell_host(
    db: &mut PgConnection,
    event: Uuid,
    host: Option<Uuid>,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    match host {
        Some(host) if Some(host) != viewer.map(|v| v.id) => {
            outbox::about_event(db, Kind::Hosting, event, &[host], json!({})).await
        }
        _ => Ok(()),
    }
}

/// Swaps the hosts of two coming meetings of one club: the host of either
/// (or the club's organisers) may. Both meetings are locked, in id order,
/// so a swap and an edit of either take turns.
pub async fn swap(
    db: &mut PgConnection,
    event: Uuid,
    with: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    // The event's standing says who the viewer is to its club (one read);
    // whoever may not see the meeting was refused there.
    let s = event_standing(db, event, viewer).await?;
    let manages = decide(s.who, HostingAction::ManageRotation, s.public) == Decision::Allow;
    if !manages {
        require(
            decide(s.who, HostingAction::SwapOwn, s.public),
            "Only a meeting's host, or the club's organisers, swap hosts.",
        )?;
    }
    let (first, second) = if event < with {
        (event, with)
    } else {
        (with, event)
    };
    crate::places::lock_event(db, first).await?;
    crate::places::lock_event(db, second).await?;
    let hosts = sqlx::query!(
        "SELECT id, host_id FROM events WHERE id = ANY($1) AND club_id = $2",
        &[event, with][..],
        s.club_id
    )
    .fetch_all(&mut *db)
    .await?;
    let me = viewer.map(|v| v.id);
    if !manages && !hosts.iter().any(|h| h.host_id.is_some() && h.host_id == me) {
        return Err(AppError::Forbidden(
            "Only a meeting's host, or the club's organisers, swap hosts.".into(),
        ));
    }
    let swapped = sqlx::query_scalar!(
        r#"SELECT bookwork_private.swap_hosts($1, $2) AS "swapped!""#,
        event,
        with
    )
    .fetch_one(&mut *db)
    .await?;
    if !swapped {
        return Err(AppError::Conflict(
            "Those two meetings cannot swap hosts: both must be coming meetings of this club, each with a host."
                .into(),
        ));
    }
    for h in hosts {
        // Each meeting now has the other's host.
        let other = if h.id == event { with } else { event };
        tell_host(db, other, h.host_id, viewer).await?;
    }
    Ok(())
}
