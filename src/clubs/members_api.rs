//! A club's members and invitation links: server functions.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{InviteRow, InviteStatus, MembersPage};
use crate::error::AppError;

#[server(endpoint = "clubs/members")]
pub async fn club_members(club: Uuid) -> Result<MembersPage, AppError> {
    super::members_db::club_members(club).await
}

#[server(endpoint = "clubs/members/role")]
pub async fn change_member_role(club: Uuid, user: Uuid, role: String) -> Result<(), AppError> {
    super::members_db::change_role(club, user, role).await
}

#[server(endpoint = "clubs/members/remove")]
pub async fn remove_member(club: Uuid, user: Uuid) -> Result<(), AppError> {
    super::members_db::remove(club, user).await
}

#[server(endpoint = "clubs/members/hand-over")]
pub async fn hand_over_club(club: Uuid, user: Uuid) -> Result<(), AppError> {
    super::members_db::hand_over(club, user).await
}

#[server(endpoint = "clubs/members/books-read")]
pub async fn update_books_read(club: Uuid, books_read: String) -> Result<(), AppError> {
    super::members_db::books_read(club, books_read).await
}

#[server(endpoint = "clubs/invites")]
pub async fn club_invites(club: Uuid) -> Result<Vec<InviteRow>, AppError> {
    super::members_db::invites(club).await
}

/// Makes an invitation link; returns its path (`/invite/<token>`), shown once.
#[server(endpoint = "clubs/invites/create")]
pub async fn create_invite(club: Uuid, days: String, max_uses: String) -> Result<String, AppError> {
    super::members_db::create_invite(club, days, max_uses).await
}

#[server(endpoint = "clubs/invites/revoke")]
pub async fn revoke_invite(club: Uuid, invite: Uuid) -> Result<(), AppError> {
    super::members_db::revoke_invite(club, invite).await
}

#[server(endpoint = "invites/status")]
pub async fn check_invite(token: String) -> Result<InviteStatus, AppError> {
    super::members_db::invite_status(token).await
}

#[server(endpoint = "invites/accept")]
pub async fn accept_invite(token: String) -> Result<(), AppError> {
    super::members_db::accept_invite(token).await
}
