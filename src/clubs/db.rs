//! One club in PostgreSQL: create, view, join, leave, edit, delete, and its
//! reminder settings. The viewer's standing in it is in `standing.rs`.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, decide_ask, decide_join, Actor, ClubAction, Decision};
use super::join_requests::{my_request, takes_requests};
use super::model::{
    club_summary_from_row, ClubFields, ClubSummary, ClubView, NewClub, ReminderSettings,
};
use super::standing::{require, standing, visible_standing, Standing};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult, Checks};
use crate::places;
use crate::platform::db::changed_one_row;
use crate::platform::zones;

/// A club form checked in full, every problem at once: the fields
/// (`ClubFields::validate`) and the time zone against the database's list.
/// An empty zone is `None` (UTC for a new club, unchanged for an edit).
async fn checked(
    db: &mut PgConnection,
    fields: &ClubFields,
) -> AppResult<(NewClub, Option<String>)> {
    let mut checks = Checks::new();
    let club = checks.check(fields.validate());
    let zone = checks.check(zones::checked_zone(db, Some(&fields.time_zone), "time_zone").await);
    checks.done(|| Some((club?, zone?.map(str::to_owned))))
}

/// Starts a club owned by `owner` (anyone signed in but a site guest).
pub async fn create_club(
    db: &mut PgConnection,
    owner: &SessionUser,
    fields: &ClubFields,
) -> AppResult<Uuid> {
    if owner.role == "guest" {
        return Err(AppError::Forbidden("Guests cannot create clubs.".into()));
    }
    let (club, time_zone) = checked(db, fields).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO clubs (name, description, owner_id, is_public, max_members, meeting_frequency, location, tags, time_zone,
                            join_by_request)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, 'UTC'), $10) RETURNING id",
        club.name,
        club.description,
        owner.id,
        club.is_public,
        club.max_members,
        club.meeting_frequency,
        club.location,
        &club.tags,
        time_zone,
        club.join_by_request
    )
    .fetch_one(&mut *db)
    .await?;
    sqlx::query!(
        "INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')",
        id,
        owner.id
    )
    .execute(&mut *db)
    .await?;
    Ok(id)
}

async fn summary(db: &mut PgConnection, club: Uuid) -> AppResult<ClubSummary> {
    Ok(summary_and_up_next(db, club).await?.0)
}

/// The club as lists show it, the title of the book up next, and whether
/// it takes new members by request (the club page shows all three; one
/// statement).
async fn summary_and_up_next(
    db: &mut PgConnection,
    club: Uuid,
) -> AppResult<(ClubSummary, Option<String>, bool)> {
    let r = sqlx::query!(
        r#"SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                  (SELECT b.title || CASE WHEN b.authors <> '' THEN ' by ' || b.authors ELSE '' END FROM books b WHERE b.club_id = c.id AND b.shelf = 'reading'
                    ORDER BY b.shelved_at DESC LIMIT 1) AS current_book,
                  (SELECT notice_time(e.starts_at, e.time_zone) FROM events e
                    WHERE e.club_id = c.id AND e.starts_at > now() AND e.cancelled_at IS NULL
                    ORDER BY e.starts_at LIMIT 1) AS next_meeting,
                  c.location, c.tags, COALESCE(n.members, 0) AS "member_count!",
                  (SELECT b.title || CASE WHEN b.authors <> '' THEN ' by ' || b.authors ELSE '' END FROM books b WHERE b.club_id = c.id AND b.shelf = 'up_next'
                    ORDER BY b.shelved_at LIMIT 1) AS up_next,
                  c.join_by_request
             FROM clubs c LEFT JOIN bookwork_private.member_counts(ARRAY[c.id]) n ON true
            WHERE c.id = $1"#,
        club
    )
    .fetch_one(&mut *db)
    .await?;
    let (up_next, by_request) = (r.up_next.clone(), r.join_by_request);
    Ok((club_summary_from_row!(r), up_next, by_request))
}

pub async fn club_view(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ClubView> {
    let Standing { who, is_public, .. } = visible_standing(db, club, viewer).await?;
    let (club, up_next, by_request) = summary_and_up_next(db, club).await?;
    let joining = decide_join(who, is_public, by_request);
    // A visitor to a club that takes requests is offered asking, not joining.
    let can_join = matches!(joining, Decision::Allow | Decision::SignIn)
        && !(by_request && is_public && joining == Decision::SignIn)
        && !club.is_full();
    let asking = decide_ask(who, is_public, by_request);
    let my_request = match viewer {
        Some(me) if asking == Decision::Allow => my_request(db, club.id, me.id).await?,
        _ => None,
    };
    let can_ask = matches!(asking, Decision::Allow | Decision::SignIn)
        && !club.is_full()
        && my_request.is_none();
    let join_needs_sign_in = (can_join || can_ask) && who.site == Actor::Anonymous;
    let can_leave = decide(who, ClubAction::Leave, is_public) == Decision::Allow;
    let can_edit = decide(who, ClubAction::Edit, is_public) == Decision::Allow;
    let can_list_members = decide(who, ClubAction::ListMembers, is_public) == Decision::Allow;
    Ok(ClubView {
        club,
        up_next,
        can_list_members,
        can_join,
        join_needs_sign_in,
        can_leave,
        can_edit,
        join_by_request: is_public && by_request,
        can_ask,
        my_request,
    })
}

/// Joins a public club.
pub async fn join(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    let Standing { who, is_public, .. } = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    let by_request = is_public && takes_requests(db, club).await?;
    require(
        decide_join(who, is_public, by_request),
        if !is_public {
            "This club is by invitation only."
        } else if who.is_member() {
            "You are already in this club."
        } else {
            "This club takes new members by request: ask to join from its page."
        },
    )?;
    let user = viewer.ok_or(AppError::Unauthorized)?;
    super::admission::admit(db, club, user.id, &user.role, "This club is full.").await
}

pub async fn leave(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    let Standing { who, is_public, .. } = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    let refusal = if who.club == Some(Actor::Owner) {
        "You own this club: hand it over to another member before leaving."
    } else {
        "You are not a member of this club."
    };
    require(decide(who, ClubAction::Leave, is_public), refusal)?;
    let user = viewer.ok_or(AppError::Unauthorized)?;
    end_membership(db, club, user.id).await
}

/// Ends a membership and gives up the member's places and open tasks at the
/// club's upcoming events (the waitlists move up), in the caller's
/// transaction. The membership row is locked first (the person before their
/// events, see `places`), but changed last: someone leaving still sees the
/// club's private events while their places there are given up.
pub(crate) async fn end_membership(db: &mut PgConnection, club: Uuid, user: Uuid) -> AppResult<()> {
    sqlx::query!(
        "SELECT 1 AS locked FROM club_members WHERE club_id = $1 AND user_id = $2 FOR UPDATE",
        club,
        user
    )
    .fetch_optional(&mut *db)
    .await?;
    places::release(db, user, places::Leaving::Club(club)).await?;
    let ended = sqlx::query!(
        "UPDATE club_members SET is_active = false WHERE club_id = $1 AND user_id = $2",
        club,
        user
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(ended)
}

/// Checks the viewer may see the club (else 404) and may do `action` on it.
async fn authorize(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    action: ClubAction,
    refusal: &str,
) -> AppResult<()> {
    let Standing { who, is_public, .. } = visible_standing(db, club, viewer).await?;
    require(decide(who, action, is_public), refusal)
}

pub async fn club_form(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ClubFields> {
    authorize(
        db,
        club,
        viewer,
        ClubAction::Edit,
        "Only club admins and the owner can edit this club.",
    )
    .await?;
    let c = summary(db, club).await?;
    let settings = sqlx::query!(
        "SELECT time_zone, join_by_request FROM clubs WHERE id = $1",
        club
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(ClubFields {
        time_zone: settings.time_zone.clone(),
        id: c.id,
        name: c.name,
        description: c.description.unwrap_or_default(),
        is_public: c.is_public,
        join_by_request: settings.join_by_request,
        max_members: c.max_members.map(|m| m.to_string()).unwrap_or_default(),
        meeting_frequency: c.meeting_frequency.unwrap_or_default(),
        location: c.location.unwrap_or_default(),
        tags: c.tags.join(", "),
    })
}

/// Authorizes first, so that people who may not see or edit the club learn
/// nothing from validation messages.
pub async fn update_club(
    db: &mut PgConnection,
    viewer: Option<&SessionUser>,
    fields: &ClubFields,
) -> AppResult<()> {
    authorize(
        db,
        fields.id,
        viewer,
        ClubAction::Edit,
        "Only club admins and the owner can edit this club.",
    )
    .await?;
    let (c, time_zone) = checked(db, fields).await?;
    let updated = sqlx::query!(
        "UPDATE clubs SET name = $2, description = $3, is_public = $4, max_members = $5, meeting_frequency = $6,
                          location = $7, tags = $8, time_zone = COALESCE($9, time_zone), join_by_request = $10
          WHERE id = $1",
        fields.id,
        c.name,
        c.description,
        c.is_public,
        c.max_members,
        c.meeting_frequency,
        c.location,
        &c.tags,
        time_zone,
        c.join_by_request
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(updated)
}

/// The club's reminder settings, for its admins.
pub async fn reminder_settings(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ReminderSettings> {
    authorize(db, club, viewer, ClubAction::Edit, EDIT_REFUSAL).await?;
    let r = sqlx::query!(
        "SELECT reminder_minutes, remind_unanswered FROM clubs WHERE id = $1",
        club
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(ReminderSettings {
        minutes: r.reminder_minutes,
        remind_unanswered: r.remind_unanswered,
    })
}

/// Saves them; the reminders of every meeting still to come are planned
/// again (a trigger does it, in this transaction).
pub async fn save_reminder_settings(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    minutes: &[String],
    remind_unanswered: bool,
) -> AppResult<()> {
    // Who may is asked first: a signed-out or plain member's form is refused
    // for who they are, not for what it holds.
    authorize(db, club, viewer, ClubAction::Edit, EDIT_REFUSAL).await?;
    let settings = ReminderSettings::from_form(minutes, remind_unanswered)?;
    let saved = sqlx::query!(
        "UPDATE clubs SET reminder_minutes = $2, remind_unanswered = $3 WHERE id = $1",
        club,
        &settings.minutes,
        settings.remind_unanswered
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(saved)
}

const EDIT_REFUSAL: &str = "Only club admins and the owner can edit this club.";

pub async fn delete_club(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    confirm_name: &str,
) -> AppResult<()> {
    authorize(
        db,
        club,
        viewer,
        ClubAction::Delete,
        "Only the owner can delete this club.",
    )
    .await?;
    let name = sqlx::query_scalar!("SELECT name FROM clubs WHERE id = $1", club)
        .fetch_one(&mut *db)
        .await?;
    if confirm_name != name {
        return Err(AppError::validation(
            "confirm_name",
            "Type the club's name exactly to confirm.",
        ));
    }
    // Events, their items and RSVPs, memberships and invitations go with it
    // (ON DELETE CASCADE).
    let deleted = sqlx::query!("DELETE FROM clubs WHERE id = $1", club)
        .execute(&mut *db)
        .await?;
    changed_one_row(deleted)
}
