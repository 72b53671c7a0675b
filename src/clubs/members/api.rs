//! A club's members and invitation links: server functions.

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{InviteRow, InviteStatus, MembersPage};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

#[server(endpoint = "clubs/members")]
pub async fn club_members(club: Uuid) -> Result<MembersPage, AppError> {
    as_viewer(async |db, me| super::db::club_members(db, me, club).await).await
}

#[server(endpoint = "clubs/members/role")]
pub async fn change_member_role(club: Uuid, user: Uuid, role: String) -> Result<(), AppError> {
    let said = format!("Their role is now {}.", role.trim());
    as_viewer(async |db, me| super::db::change_role(db, me, club, user, role).await).await?;
    crate::platform::flash::say(said);
    Ok(())
}

#[server(endpoint = "clubs/members/remove")]
pub async fn remove_member(club: Uuid, user: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::remove(db, me, club, user).await).await?;
    crate::platform::flash::say("They are no longer a member of the club.");
    Ok(())
}

#[server(endpoint = "clubs/members/hand-over")]
pub async fn hand_over_club(club: Uuid, user: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::hand_over(db, me, club, user).await).await?;
    crate::platform::flash::say("The club has a new owner.");
    Ok(())
}

#[server(endpoint = "clubs/members/books-read")]
pub async fn update_books_read(club: Uuid, books_read: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::books_read(db, me, club, books_read).await).await?;
    crate::platform::flash::say("Your count of books read is saved.");
    Ok(())
}

#[server(endpoint = "clubs/invites")]
pub async fn club_invites(club: Uuid) -> Result<Vec<InviteRow>, AppError> {
    as_viewer(async |db, me| super::invites::invites(db, me, club).await).await
}

/// Makes an invitation link; returns it in full (`PUBLIC_URL` +
/// `/invite/<token>`), shown once.
#[server(endpoint = "clubs/invites/create")]
pub async fn create_invite(
    club: Uuid,
    days: String,
    max_uses: String,
    email: Option<String>,
) -> Result<String, AppError> {
    let (_, path) = as_viewer(async |db, me| {
        super::invites::create_invite(db, me, club, days, max_uses, email).await
    })
    .await?;
    let state = crate::platform::state::app_state()?;
    Ok(format!("{}{path}", state.config.public_url))
}

#[server(endpoint = "clubs/invites/revoke")]
pub async fn revoke_invite(club: Uuid, invite: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::invites::revoke_invite(db, me, club, invite).await).await?;
    crate::platform::flash::say("That invitation link no longer works.");
    Ok(())
}

#[server(endpoint = "invites/status")]
pub async fn check_invite(token: String) -> Result<InviteStatus, AppError> {
    as_viewer(async |db, _| super::invites::invite_status(db, token).await).await
}

#[server(endpoint = "invites/accept")]
pub async fn accept_invite(token: String) -> Result<(), AppError> {
    crate::auth::server::require_user().await?;
    let club = as_viewer(async |db, me| {
        let me = me.ok_or(AppError::Unauthorized)?;
        super::invites::accept_invite(db, me, token).await
    })
    .await?;
    crate::platform::flash::say("You accepted the invitation. Welcome to the club!");
    leptos_axum::redirect(&format!("/clubs/{club}"));
    Ok(())
}
