//! Server side of members and invitations: who is asking, what the table
//! lets them do, and the queries.
use chrono::{Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{may_change_role, may_remove, member_actor};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{decide, Actor, ClubAction, Decision};
use crate::clubs::model::{
    InviteRow, InviteStatus, MemberRow, MembersPage, EMAILED_INVITES_PER_DAY,
};
use crate::clubs::standing::{require, Standing};
use crate::error::{AppError, AppResult, Checks};
use crate::platform::db::changed_one_row;
use crate::platform::tokens::{hash_refresh_token as hash_token, new_refresh_token as new_token};

async fn standing(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Standing> {
    crate::clubs::standing::standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn club_members(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
) -> AppResult<MembersPage> {
    let s = standing(db, club, me).await?;
    require(
        decide(s.who, ClubAction::ListMembers, s.is_public),
        "Only members can see who is in this club.",
    )?;
    let contacts = decide(s.who, ClubAction::SeeContacts, s.is_public) == Decision::Allow;
    let rows = sqlx::query!(
        r#"SELECT u.id, u.name, u.email, u.phone, m.role, m.books_read,
                  m.joined_date AS "joined: chrono::DateTime<chrono::Utc>",
                  c.owner_id = u.id AS "is_owner!"
             FROM club_members m JOIN users u ON u.id = m.user_id JOIN clubs c ON c.id = m.club_id
            WHERE m.club_id = $1 AND m.is_active
            ORDER BY (c.owner_id = u.id) DESC,
                     array_position(ARRAY['admin','moderator','member','guest']::text[], m.role::text), lower(u.name)"#,
        club
    )
    .fetch_all(&mut *db)
    .await?;
    let manage = s.who.any(manages_members);
    Ok(MembersPage {
        club_id: club,
        club_name: s.name,
        members: rows
            .into_iter()
            .map(|r| MemberRow {
                user_id: r.id,
                name: r.name,
                role: r.role,
                is_owner: r.is_owner,
                joined: r.joined.format("%Y-%m-%d").to_string(),
                books_read: r.books_read,
                email: contacts.then_some(r.email),
                phone: if contacts { r.phone } else { None },
            })
            .collect(),
        me: me.map(|m| m.id),
        can_manage_members: manage,
        can_manage_invites: decide(s.who, ClubAction::ManageInvites, s.is_public)
            == Decision::Allow,
        can_hand_over: decide(s.who, ClubAction::HandOver, s.is_public) == Decision::Allow,
    })
}

/// May this column of the table manage members at all (roles, removal)?
/// Asked before looking the member up: someone who may not manage members
/// learns nothing about who is in the club.
fn manages_members(actor: Actor) -> bool {
    matches!(actor, Actor::ClubAdmin | Actor::Owner | Actor::SiteAdmin)
}

/// The target's standing in the club, or NotFound when they are not a member.
async fn target(db: &mut PgConnection, club: Uuid, user: Uuid) -> AppResult<Actor> {
    let row = sqlx::query!(
        r#"SELECT m.role, c.owner_id = m.user_id AS "is_owner!"
             FROM club_members m JOIN clubs c ON c.id = m.club_id
            WHERE m.club_id = $1 AND m.user_id = $2 AND m.is_active"#,
        club,
        user
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(member_actor(&row.role, row.is_owner))
}

/// Checks the caller may see the club (else 404) and is signed in.
async fn acting<'a>(
    db: &mut PgConnection,
    me: Option<&'a SessionUser>,
    club: Uuid,
) -> AppResult<(&'a SessionUser, Standing)> {
    let s = standing(db, club, me).await?;
    let view = if s.is_public {
        ClubAction::ViewPublic
    } else {
        ClubAction::ViewPrivate
    };
    require(decide(s.who, view, s.is_public), "")?;
    let me = me.ok_or(AppError::Unauthorized)?;
    Ok((me, s))
}

/// Checks the caller manages the club's members (else `refusal`; the
/// member is looked up only then, so nobody else learns who belongs), and
/// returns their standing and the member's.
async fn managing(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    user: Uuid,
    refusal: &str,
) -> AppResult<(Standing, Actor)> {
    let (_, s) = acting(db, me, club).await?;
    if !s.who.any(manages_members) {
        return Err(AppError::Forbidden(refusal.into()));
    }
    let target = target(db, club, user).await?;
    Ok((s, target))
}

pub async fn change_role(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    user: Uuid,
    role: String,
) -> AppResult<()> {
    let (s, target) = managing(
        db,
        me,
        club,
        user,
        "Only club admins and the owner change roles.",
    )
    .await?;
    if !crate::clubs::authz::CLUB_ROLES.contains(&role.as_str()) {
        return Err(AppError::validation(
            "role",
            "Choose admin, moderator, member or guest.",
        ));
    }
    let themself = me.is_some_and(|m| m.id == user);
    if !s
        .who
        .any(|actor| may_change_role(actor, target, &role, themself))
    {
        return Err(AppError::Forbidden(
            "You cannot give this member that role.".into(),
        ));
    }
    let changed = sqlx::query!(
        "UPDATE club_members SET role = $3 WHERE club_id = $1 AND user_id = $2",
        club,
        user,
        role
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(changed)
}

pub async fn remove(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    user: Uuid,
) -> AppResult<()> {
    let (s, target) = managing(
        db,
        me,
        club,
        user,
        "Only club admins and the owner remove members.",
    )
    .await?;
    if !s.who.any(|actor| may_remove(actor, target)) {
        return Err(AppError::Forbidden("You cannot remove this member.".into()));
    }
    crate::clubs::db::end_membership(db, club, user).await
}

pub async fn hand_over(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    user: Uuid,
) -> AppResult<()> {
    let (_, s) = acting(db, me, club).await?;
    require(
        decide(s.who, ClubAction::HandOver, s.is_public),
        "Only the owner can hand the club over.",
    )?;
    let target = target(db, club, user).await?;
    if target == Actor::Owner {
        return Err(AppError::validation("user", "They already own this club."));
    }
    let handed = sqlx::query!("UPDATE clubs SET owner_id = $2 WHERE id = $1", club, user)
        .execute(&mut *db)
        .await?;
    changed_one_row(handed)?;
    let promoted = sqlx::query!(
        "UPDATE club_members SET role = 'admin' WHERE club_id = $1 AND user_id = $2",
        club,
        user
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(promoted)
}

pub async fn books_read(
    db: &mut PgConnection,
    me: Option<&SessionUser>,
    club: Uuid,
    books_read: String,
) -> AppResult<()> {
    let (me, _) = acting(db, me, club).await?;
    let count: i32 = match books_read.trim().parse() {
        Ok(n) if (0..=100_000).contains(&n) => n,
        _ => {
            return Err(AppError::validation(
                "books_read",
                "Enter a whole number, 0 or more.",
            ))
        }
    };
    let updated = sqlx::query!(
        "UPDATE club_members SET books_read = $3 WHERE club_id = $1 AND user_id = $2 AND is_active",
        club,
        me.id,
        count
    )
    .execute(&mut *db)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Forbidden(
            "Only members keep a books-read count here.".into(),
        ));
    }
    Ok(())
}

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
    require_invite_manager(db, me, club).await?;
    let rows = sqlx::query!(
        r#"SELECT id, uses, max_uses, revoked_at IS NOT NULL AS "revoked!", expires_at < now() AS "expired!",
                  expires_at AS "expires_at: chrono::DateTime<chrono::Utc>"
             FROM club_invites WHERE club_id = $1 ORDER BY created_at DESC"#,
        club
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InviteRow {
            id: r.id,
            expires: r.expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
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
) -> AppResult<String> {
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
    sqlx::query!(
        "INSERT INTO club_invites (club_id, token_hash, created_by, expires_at, max_uses, emailed)
         VALUES ($1, $2, $3, $4, $5, $6)",
        club,
        hash_token(&token),
        me.id,
        expires_at as _,
        max_uses,
        email.is_some()
    )
    .execute(&mut *db)
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
    Ok(path)
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
        },
    })
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
