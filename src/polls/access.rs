//! What both kinds of poll share: who may act on a poll (`authz.rs` asked
//! with the viewer's standing), a closing time in the club's zone, and a
//! vote (ballot or date answers) held against the close.
use chrono::{Datelike, NaiveDate, NaiveTime};
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, PollAction};
use super::model::{NewPollForm, PollOption};
use crate::auth::model::SessionUser;
use crate::clubs::standing::{require, standing, Standing};
use crate::error::{AppError, AppResult, Checks};

pub(super) const ORGANISERS_ONLY: &str = "Only the club's moderators, admins and owner run polls.";

/// Most options a poll offers.
pub const MAX_OPTIONS: usize = 20;

pub(super) async fn allowed(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    action: PollAction,
    refusal: &str,
) -> AppResult<Standing> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    permitted(s, action, refusal)
}

/// [`allowed`] for a standing already read.
pub(super) fn permitted(s: Standing, action: PollAction, refusal: &str) -> AppResult<Standing> {
    require(
        decide(s.who, PollAction::View, s.is_public),
        "Polls are for the club's people.",
    )?;
    require(decide(s.who, action, s.is_public), refusal)?;
    Ok(s)
}

/// The poll's club (as [`club_of`]) and the viewer's standing in it (as
/// `clubs::standing::standing`), in one statement: what a poll's page starts with.
/// The club is looked up once, in a subquery, and then by its key: as a
/// plain comparison the function ran for every club, on every poll page.
pub(super) async fn club_and_standing(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<(Uuid, Standing)> {
    let r = sqlx::query!(
        r#"SELECT c.id, c.is_public, c.name, c.owner_id = $2 AS "is_owner?",
                  (SELECT m.role FROM club_members m WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active) AS club_role
             FROM clubs c WHERE c.id = (SELECT bookwork_private.poll_club($1))"#,
        poll,
        viewer.map(|v| v.id)
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let standing = Standing::new(
        viewer,
        r.club_role.as_deref(),
        r.is_owner.unwrap_or(false),
        r.is_public,
        r.name,
    );
    Ok((r.id, standing))
}

/// The poll's club, for a poll of a club the viewer may see (row security
/// hides the poll itself from people outside the club, who are then told to
/// sign in or that it is not theirs, as the table says).
pub(super) async fn club_of(db: &mut PgConnection, poll: Uuid) -> AppResult<Uuid> {
    sqlx::query_scalar!(r#"SELECT bookwork_private.poll_club($1) AS "club""#, poll)
        .fetch_one(&mut *db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A wall-clock date and time as typed (YYYY-MM-DD, HH:MM), when both read.
pub(super) fn date_and_time(date: &str, time: &str) -> (Option<NaiveDate>, Option<NaiveTime>) {
    // Years with four digits: a typo such as 20266 is not a date anyone means.
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=9999).contains(&d.year()));
    (date, NaiveTime::parse_from_str(time.trim(), "%H:%M").ok())
}

/// A poll's closing date and time, in the club's zone and in the future;
/// problems go into `checks` under "date" and "time".
pub(super) async fn closing_time(
    db: &mut PgConnection,
    club: Uuid,
    date: &str,
    time: &str,
    checks: &mut Checks,
) -> AppResult<Option<(NaiveDate, NaiveTime)>> {
    let (date, time) = date_and_time(date, time);
    if date.is_none() {
        checks.add("date", "Enter the closing date as YYYY-MM-DD.");
    }
    if time.is_none() {
        checks.add("time", "Enter the closing time as HH:MM (24-hour).");
    }
    let Some((date, time)) = date.zip(time) else {
        return Ok(None);
    };
    let when = sqlx::query!(
        r#"SELECT ($1::date + $2::time) AT TIME ZONE c.time_zone <= now() AS "past!",
                  ($1::date + $2::time) AT TIME ZONE c.time_zone > now() + $4::interval AS "too_far!",
                  to_char((now() + $4::interval) AT TIME ZONE c.time_zone, 'FMDD FMMonth YYYY, HH24:MI') AS "latest!"
             FROM clubs c WHERE c.id = $3"#,
        date as _,
        time as _,
        club,
        LONGEST_OPEN as _
    )
    .fetch_one(&mut *db)
    .await?;
    if when.past {
        checks.add(
            "date",
            "That closing time has passed. Choose one in the future.",
        );
        return Ok(None);
    }
    if when.too_far {
        checks.add(
            "date",
            format!(
                "A poll stays open for at most a year. Choose a closing time before {}.",
                when.latest
            ),
        );
        return Ok(None);
    }
    Ok(Some((date, time)))
}

/// The longest a poll may stay open: long enough for any club's rhythm, and
/// short enough that a typo (9999-12-31) is caught rather than kept.
const LONGEST_OPEN: sqlx::postgres::types::PgInterval = sqlx::postgres::types::PgInterval {
    months: 12,
    days: 0,
    microseconds: 0,
};

/// Whether a wall-clock time in the club's zone has passed.
pub(super) async fn in_the_past(
    db: &mut PgConnection,
    club: Uuid,
    date: NaiveDate,
    time: NaiveTime,
) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"SELECT ($1::date + $2::time) AT TIME ZONE c.time_zone <= now() AS "past!"
             FROM clubs c WHERE c.id = $3"#,
        date as _,
        time as _,
        club
    )
    .fetch_one(&mut *db)
    .await?)
}

/// For a vote or an answer: the viewer, checked to be one of the club's
/// voters, and the poll held open for them (refused, saying `what`, once it
/// has closed).
pub(super) async fn hold_for_vote<'v>(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&'v SessionUser>,
    what: &str,
) -> AppResult<&'v SessionUser> {
    let viewer = hold_voter(db, poll, viewer, "Members of the club vote.").await?;
    let open = sqlx::query_scalar!(
        r#"SELECT open AS "open!" FROM bookwork_private.lock_poll_for_vote($1)"#,
        poll
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if !open {
        return Err(AppError::Conflict(format!(
            "This poll has closed, so {what}."
        )));
    }
    Ok(viewer)
}

/// The viewer, allowed to vote in the poll's club (`refusal` if not) and
/// still one of its voters with an active account. Holding those rows (FOR
/// SHARE) makes a removal wait for the vote or nomination under way (lock
/// order: the person, then the poll); counts leave out people who left.
pub(super) async fn hold_voter<'v>(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&'v SessionUser>,
    refusal: &str,
) -> AppResult<&'v SessionUser> {
    let club = club_of(db, poll).await?;
    allowed(db, club, viewer, PollAction::Vote, refusal).await?;
    let viewer = viewer.ok_or(AppError::Unauthorized)?;
    let voter = sqlx::query_scalar!(
        "SELECT m.user_id FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE m.club_id = $1 AND m.user_id = $2 AND m.is_active AND u.is_active
            AND m.role IN ('member', 'moderator', 'admin')
            FOR SHARE OF m, u",
        club,
        viewer.id
    )
    .fetch_optional(&mut *db)
    .await?;
    if voter.is_none() {
        return Err(AppError::Forbidden(refusal.into()));
    }
    Ok(viewer)
}

/// What a new poll's form offers: the club's zone, a default closing date a
/// week ahead in it, and the club's books on `shelves`, in that order.
pub(super) async fn new_form(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    shelves: &[&str],
) -> AppResult<NewPollForm> {
    let s = allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    let zone = sqlx::query!(
        r#"SELECT time_zone, to_char((now() AT TIME ZONE time_zone)::date + 7, 'YYYY-MM-DD') AS "week!"
             FROM clubs WHERE id = $1"#,
        club
    )
    .fetch_one(&mut *db)
    .await?;
    let shelves: Vec<String> = shelves.iter().map(|s| s.to_string()).collect();
    let books = sqlx::query_as!(
        PollOption,
        r#"SELECT id, id AS "book_id?", title, authors FROM books
            WHERE club_id = $1 AND shelf = ANY ($2)
            ORDER BY array_position($2, shelf::text), shelved_at"#,
        club,
        &shelves
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(NewPollForm {
        club_id: club,
        club_name: s.name,
        time_zone: zone.time_zone,
        default_date: zone.week,
        books,
    })
}
