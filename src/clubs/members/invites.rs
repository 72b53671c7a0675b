//! Invitation links in PostgreSQL: listing, making (and e-mailing) and
//! withdrawing them for the club's admins, and what a link is worth to the
//! person who opens it, and joining by it. Apart from `db.rs` (the members
//! list, roles, removal, hand-over) because a link is mostly used by
//! someone not in the club yet, through the owner's functions.
use chrono::{Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::db::acting;
use super::model::{InvitePreview, InviteRow, InviteStatus, EMAILED_INVITES_PER_DAY};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{decide, ClubAction};
use crate::clubs::standing::require;
use crate::error::{AppError, AppResult, Checks};
use crate::platform::tokens::{hash_refresh_token as hash_token, new_refresh_token as new_token};

async fn require_invite_manager<'a>(
    db: &mut PgConnection,
    me: Option<&'a SessionUser>,
    club: Uuid,
) -> AppResult<&'a SessionUser> {
    let (me, s) = acting(db, me, club).await?;
    require(
        decide(s.who, ClubAction::ManageInvites, s.is_public),
        "Only club admins manage invitation links.",
    )?;
    Ok(me)
}

pub async fn invites(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
) -> AppResult<Vec<InviteRow>> {
    let me = require_invite_manager(db, me, club).await?;
    let rows = sqlx::query!(
        r#"SELECT i.id, i.uses, i.max_uses, i.revoked_at IS NOT NULL AS "revoked!",
                  i.expires_at < now() AS "expired!", i.sent_to,
                  to_char(i.expires_at AT TIME ZONE z.zone, 'Dy FMDD Mon YYYY, HH24:MI') AS "expires!",
                  z.zone AS "zone!"
             FROM club_invites i
             JOIN clubs c ON c.id = i.club_id
             JOIN users reader ON reader.id = $2
             CROSS JOIN LATERAL (SELECT COALESCE(reader.time_zone, c.time_zone) AS zone) z
            WHERE i.club_id = $1 ORDER BY i.created_at DESC"#,
        club,
        me.id
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InviteRow {
            id: r.id,
            expires: format!("{} ({})", r.expires, r.zone.replace('_', " ")),
            sent_to: r.sent_to,
            uses: r.uses,
            max_uses: r.max_uses,
            state: if r.revoked {
                "revoked"
            } else if r.expired {
                "expired"
            } else if r.uses >= r.max_uses {
                "used up"
            } else {
                "active"
            }
            .to_owned(),
        })
        .collect())
}

pub async fn create_invite(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    days: String,
    max_uses: String,
    email: Option<String>,
) -> AppResult<(Uuid, String)> {
    let me = require_invite_manager(db, me, club).await?;
    let mut checks = Checks::new();
    let email = match email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => None,
        Some(raw) => checks.check(crate::auth::server::normalize_email(raw)),
    };
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=90).contains(d));
    if days.is_none() {
        checks.add("days", "Choose between 1 and 90 days.");
    }
    let max_uses = max_uses
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=1000).contains(n));
    if max_uses.is_none() {
        checks.add("max_uses", "Choose between 1 and 1000 uses.");
    }
    let (days, max_uses) = checks.done(|| days.zip(max_uses))?;
    if email.is_some() {
        let sent_today = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM club_invites
                WHERE created_by = $1 AND emailed AND created_at > now() - interval '1 day'"#,
            me.id
        )
        .fetch_one(&mut *db)
        .await?;
        if sent_today >= EMAILED_INVITES_PER_DAY {
            return Err(AppError::RateLimited {
                retry_after_secs: 3600,
            });
        }
    }
    let token = new_token();
    let expires_at = Utc::now() + Duration::days(days);
    let id = sqlx::query_scalar!(
        "INSERT INTO club_invites (club_id, token_hash, created_by, expires_at, max_uses, emailed, sent_to)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        club,
        hash_token(&token),
        me.id,
        expires_at as _,
        max_uses,
        email.is_some(),
        email.as_deref()
    )
    .fetch_one(&mut *db)
    .await?;
    let path = format!("/invite/{token}");
    if let Some(email) = email {
        let club_name = sqlx::query_scalar!("SELECT name FROM clubs WHERE id = $1", club)
            .fetch_one(&mut *db)
            .await?;
        let expires = expires_at.format("%-d %b %Y").to_string();
        crate::notify::outbox::invitation(db, &email, club, &club_name, &me.name, &path, &expires)
            .await?;
    }
    Ok((id, path))
}

pub async fn revoke_invite(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    invite: Uuid,
) -> AppResult<()> {
    require_invite_manager(db, me, club).await?;
    let updated = sqlx::query!(
        "UPDATE club_invites SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND club_id = $2",
        invite,
        club
    )
    .execute(&mut *db)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// What an invitation link is worth to the person who opened it. They are
/// not in the club yet, so row security hides the invitation from them: the
/// owner's `bookwork_private.invite_for_token` reads it, knowing only the
/// token's hash.
pub async fn invite_status(db: &mut PgConnection, token: String) -> AppResult<InviteStatus> {
    let row = sqlx::query!(
        r#"SELECT club_id AS "club_id!", club_name AS "club_name!", expired AS "expired!",
                  used_up AS "used_up!", revoked AS "revoked!", already_member AS "already_member!"
             FROM bookwork_private.invite_for_token($1)"#,
        hash_token(&token)
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(match row {
        None => InviteStatus::Unknown,
        Some(r) if r.already_member => InviteStatus::AlreadyMember {
            club_id: r.club_id,
            club_name: r.club_name,
        },
        Some(r) if r.revoked => InviteStatus::Revoked,
        Some(r) if r.expired => InviteStatus::Expired,
        Some(r) if r.used_up => InviteStatus::UsedUp,
        Some(r) => InviteStatus::Valid {
            club_id: r.club_id,
            club_name: r.club_name,
            preview: invite_preview(db, &token).await?,
        },
    })
}

/// The club as a working link shows it (`bookwork_private.invite_preview`,
/// for the same reason as above).
async fn invite_preview(db: &mut PgConnection, token: &str) -> AppResult<InvitePreview> {
    let row = sqlx::query!(
        r#"SELECT description, members AS "members!", invited_by, next_meeting
             FROM bookwork_private.invite_preview($1)"#,
        hash_token(token)
    )
    .fetch_optional(&mut *db)
    .await?;
    Ok(row
        .map(|r| InvitePreview {
            description: r.description.filter(|d| !d.trim().is_empty()),
            members: r.members,
            invited_by: r.invited_by,
            next_meeting: r.next_meeting,
        })
        .unwrap_or_default())
}

/// Joins through an invitation (`bookwork_private.accept_invite` locks the
/// invitation and its club while it checks and counts, so limits hold under
/// concurrent accepts); returns the club.
pub async fn accept_invite(
    db: &mut PgConnection,
    me: &SessionUser,
    token: String,
) -> AppResult<Uuid> {
    let role = if me.role == "guest" {
        "guest"
    } else {
        "member"
    };
    let hash = hash_token(&token);
    let outcome = sqlx::query_scalar!(
        r#"SELECT bookwork_private.accept_invite($1, $2) AS "outcome!""#,
        hash,
        role
    )
    .fetch_one(&mut *db)
    .await?;
    let refusal = match outcome.as_str() {
        "joined" => None,
        "already_member" => Some("You are already a member of this club.".to_owned()),
        "expired" => Some("This invitation has expired. Ask the club for a new one.".to_owned()),
        "used_up" => {
            Some("This invitation has been used up. Ask the club for a new one.".to_owned())
        }
        "full" => Some("This club is full.".to_owned()),
        "revoked" => Some("This invitation was withdrawn. Ask the club for a new one.".to_owned()),
        _ => Some("This invitation link is not valid. Ask the club for a new one.".to_owned()),
    };
    if let Some(refusal) = refusal {
        return Err(AppError::Conflict(refusal));
    }
    let club = sqlx::query_scalar!(
        r#"SELECT club_id AS "club_id!" FROM bookwork_private.invite_for_token($1)"#,
        hash
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(club)
}
