//! Server side of members and invitations: who is asking, what the table
//! lets them do, and the queries.
use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::authz::{
    decide, may_change_role, may_remove, member_actor, Actor, ClubAction, Decision,
};
use super::db::{require, Standing};
use super::model::{InviteRow, InviteStatus, MemberRow, MembersPage};
use crate::auth::model::SessionUser;
use crate::auth::server::viewer;
use crate::error::{AppError, AppResult, Checks};
use crate::platform::state::app_state;
use crate::platform::tokens::{hash_refresh_token as hash_token, new_refresh_token as new_token};

async fn standing(pool: &PgPool, club: Uuid, viewer: Option<&SessionUser>) -> AppResult<Standing> {
    super::db::standing(pool, club, viewer)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn club_members(club: Uuid) -> AppResult<MembersPage> {
    let state = app_state()?;
    let me = viewer().await?;
    let s = standing(&state.pool, club, me.as_ref()).await?;
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
    .fetch_all(&state.pool)
    .await?;
    let manage = s
        .who
        .any(|a| matches!(a, Actor::ClubAdmin | Actor::Owner | Actor::SiteAdmin));
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

/// The target's standing in the club, or NotFound when they are not a member.
async fn target(pool: &PgPool, club: Uuid, user: Uuid) -> AppResult<Actor> {
    let row = sqlx::query!(
        r#"SELECT m.role, c.owner_id = m.user_id AS "is_owner!"
             FROM club_members m JOIN clubs c ON c.id = m.club_id
            WHERE m.club_id = $1 AND m.user_id = $2 AND m.is_active"#,
        club,
        user
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(member_actor(&row.role, row.is_owner))
}

/// Checks the caller may see the club (else 404) and is signed in.
async fn acting(pool: &PgPool, club: Uuid) -> AppResult<(SessionUser, Standing)> {
    let me = viewer().await?;
    let s = standing(pool, club, me.as_ref()).await?;
    let view = if s.is_public {
        ClubAction::ViewPublic
    } else {
        ClubAction::ViewPrivate
    };
    require(decide(s.who, view, s.is_public), "")?;
    let me = me.ok_or(AppError::Unauthorized)?;
    Ok((me, s))
}

pub async fn change_role(club: Uuid, user: Uuid, role: String) -> AppResult<()> {
    let state = app_state()?;
    let (_, s) = acting(&state.pool, club).await?;
    let target = target(&state.pool, club, user).await?;
    if !super::authz::CLUB_ROLES.contains(&role.as_str()) {
        return Err(AppError::validation(
            "role",
            "Choose admin, moderator, member or guest.",
        ));
    }
    if !s.who.any(|actor| may_change_role(actor, target, &role)) {
        return Err(AppError::Forbidden(
            "You cannot give this member that role.".into(),
        ));
    }
    sqlx::query!(
        "UPDATE club_members SET role = $3 WHERE club_id = $1 AND user_id = $2",
        club,
        user,
        role
    )
    .execute(&state.pool)
    .await?;
    Ok(())
}

pub async fn remove(club: Uuid, user: Uuid) -> AppResult<()> {
    let state = app_state()?;
    let (_, s) = acting(&state.pool, club).await?;
    let target = target(&state.pool, club, user).await?;
    if !s.who.any(|actor| may_remove(actor, target)) {
        return Err(AppError::Forbidden("You cannot remove this member.".into()));
    }
    crate::clubs::db::end_membership(&state.pool, club, user).await
}

pub async fn hand_over(club: Uuid, user: Uuid) -> AppResult<()> {
    let state = app_state()?;
    let (_, s) = acting(&state.pool, club).await?;
    require(
        decide(s.who, ClubAction::HandOver, s.is_public),
        "Only the owner can hand the club over.",
    )?;
    let target = target(&state.pool, club, user).await?;
    if target == Actor::Owner {
        return Err(AppError::validation("user", "They already own this club."));
    }
    let mut tx = state.pool.begin().await?;
    sqlx::query!("UPDATE clubs SET owner_id = $2 WHERE id = $1", club, user)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE club_members SET role = 'admin' WHERE club_id = $1 AND user_id = $2",
        club,
        user
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn books_read(club: Uuid, books_read: String) -> AppResult<()> {
    let state = app_state()?;
    let (me, _) = acting(&state.pool, club).await?;
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
    .execute(&state.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Forbidden(
            "Only members keep a books-read count here.".into(),
        ));
    }
    Ok(())
}

async fn require_invite_manager(pool: &PgPool, club: Uuid) -> AppResult<SessionUser> {
    let (me, s) = acting(pool, club).await?;
    require(
        decide(s.who, ClubAction::ManageInvites, s.is_public),
        "Only club admins manage invitation links.",
    )?;
    Ok(me)
}

pub async fn invites(club: Uuid) -> AppResult<Vec<InviteRow>> {
    let state = app_state()?;
    require_invite_manager(&state.pool, club).await?;
    let rows = sqlx::query!(
        r#"SELECT id, uses, max_uses, revoked_at IS NOT NULL AS "revoked!", expires_at < now() AS "expired!",
                  expires_at AS "expires_at: chrono::DateTime<chrono::Utc>"
             FROM club_invites WHERE club_id = $1 ORDER BY created_at DESC"#,
        club
    )
    .fetch_all(&state.pool)
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

pub async fn create_invite(club: Uuid, days: String, max_uses: String) -> AppResult<String> {
    let state = app_state()?;
    let me = require_invite_manager(&state.pool, club).await?;
    let mut checks = Checks::new();
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
    let token = new_token();
    let expires_at = Utc::now() + Duration::days(days);
    sqlx::query!(
        "INSERT INTO club_invites (club_id, token_hash, created_by, expires_at, max_uses) VALUES ($1, $2, $3, $4, $5)",
        club,
        hash_token(&token),
        me.id,
        expires_at as _,
        max_uses
    )
    .execute(&state.pool)
    .await?;
    Ok(format!("/invite/{token}"))
}

pub async fn revoke_invite(club: Uuid, invite: Uuid) -> AppResult<()> {
    let state = app_state()?;
    require_invite_manager(&state.pool, club).await?;
    let updated = sqlx::query!(
        "UPDATE club_invites SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND club_id = $2",
        invite,
        club
    )
    .execute(&state.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

struct InviteState {
    club_id: Uuid,
    club_name: String,
    status: InviteStatus,
}

/// Reads and locks an invitation (within the caller's transaction) and says
/// what it is worth to `user`.
async fn read_invite(
    conn: &mut sqlx::PgConnection,
    token: &str,
    user: Option<Uuid>,
) -> AppResult<Option<InviteState>> {
    let row = sqlx::query!(
        r#"SELECT i.club_id, c.name, i.uses, i.max_uses,
                  i.revoked_at IS NOT NULL AS "revoked!", i.expires_at < now() AS "expired!",
                  EXISTS (SELECT 1 FROM club_members m
                           WHERE m.club_id = i.club_id AND m.user_id = $2 AND m.is_active) AS "member!"
             FROM club_invites i JOIN clubs c ON c.id = i.club_id
            WHERE i.token_hash = $1
              FOR UPDATE OF i"#,
        hash_token(token),
        user
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| {
        let (club_id, club_name) = (r.club_id, r.name);
        let status = if r.member {
            InviteStatus::AlreadyMember {
                club_id,
                club_name: club_name.clone(),
            }
        } else if r.revoked {
            InviteStatus::Revoked
        } else if r.expired {
            InviteStatus::Expired
        } else if r.uses >= r.max_uses {
            InviteStatus::UsedUp
        } else {
            InviteStatus::Valid {
                club_id,
                club_name: club_name.clone(),
            }
        };
        InviteState {
            club_id,
            club_name,
            status,
        }
    }))
}

pub async fn invite_status(token: String) -> AppResult<InviteStatus> {
    let state = app_state()?;
    let me = viewer().await?;
    let mut tx = state.pool.begin().await?;
    let status = read_invite(&mut tx, &token, me.map(|m| m.id))
        .await?
        .map(|i| i.status);
    tx.commit().await?;
    Ok(status.unwrap_or(InviteStatus::Unknown))
}

/// Joins through an invitation. The invitation row is locked while it is
/// checked and counted, so its use limit holds under concurrent accepts.
pub async fn accept_invite(token: String) -> AppResult<()> {
    let state = app_state()?;
    let me = crate::auth::server::require_user().await?.user;
    let mut tx = state.pool.begin().await?;
    let invite = read_invite(&mut tx, &token, Some(me.id)).await?;
    let Some(invite) = invite else {
        return Err(AppError::Conflict(
            "This invitation link is not valid. Ask the club for a new one.".into(),
        ));
    };
    match invite.status {
        InviteStatus::Valid { .. } => {}
        InviteStatus::AlreadyMember { .. } => {
            return Err(AppError::Conflict(
                "You are already a member of this club.".into(),
            ))
        }
        InviteStatus::Expired => {
            return Err(AppError::Conflict(
                "This invitation has expired. Ask the club for a new one.".into(),
            ))
        }
        InviteStatus::UsedUp => {
            return Err(AppError::Conflict(
                "This invitation has been used up. Ask the club for a new one.".into(),
            ))
        }
        InviteStatus::Revoked | InviteStatus::Unknown => {
            return Err(AppError::Conflict(
                "This invitation was withdrawn. Ask the club for a new one.".into(),
            ))
        }
    }
    let full = sqlx::query_scalar!(
        r#"SELECT c.max_members IS NOT NULL
                  AND (SELECT count(*) FROM club_members m WHERE m.club_id = c.id AND m.is_active) >= c.max_members AS "full!"
             FROM clubs c WHERE c.id = $1 FOR UPDATE"#,
        invite.club_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if full {
        return Err(AppError::Conflict(format!("{} is full.", invite.club_name)));
    }
    let role = if me.role == "guest" {
        "guest"
    } else {
        "member"
    };
    sqlx::query!(
        "INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (club_id, user_id) DO UPDATE SET is_active = true, role = EXCLUDED.role, joined_date = now(), books_read = 0",
        invite.club_id,
        me.id,
        role
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE club_invites SET uses = uses + 1 WHERE token_hash = $1",
        hash_token(&token)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/clubs/{}", invite.club_id));
    Ok(())
}
