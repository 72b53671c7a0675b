//! Server side of members: who is asking, what the table lets them do, and
//! the queries. Invitation links are in `invites.rs`.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{may_change_role, may_remove, member_actor};
use super::model::{MemberRow, MembersPage};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{decide, Actor, ClubAction, Decision};
use crate::clubs::standing::{require, Standing};
use crate::error::{AppError, AppResult};
use crate::platform::db::changed_one_row;

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
                joined: r.joined.format("%b %Y").to_string(),
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
        can_answer_requests: decide(s.who, ClubAction::AnswerJoinRequests, s.is_public)
            == Decision::Allow,
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
pub(super) async fn acting<'a>(
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
    // Only an active membership: one its person ended meanwhile (leaving,
    // deleting their account) must not come back as an admin.
    let changed = sqlx::query!(
        "UPDATE club_members SET role = $3 WHERE club_id = $1 AND user_id = $2 AND is_active",
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
    // Still an active member: a deletion of their account that locked this
    // row first has ended it, and the hand-over (owner included) rolls back.
    let promoted = sqlx::query!(
        "UPDATE club_members SET role = 'admin' WHERE club_id = $1 AND user_id = $2 AND is_active",
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
