//! A club's members and invitation links: DTOs and server functions.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub name: String,
    pub role: String,
    pub is_owner: bool,
    pub joined: String,
    pub books_read: i32,
    /// Only for those who may see contact details.
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub club_id: Uuid,
    pub club_name: String,
    pub members: Vec<MemberRow>,
    pub me: Option<Uuid>,
    pub can_manage_members: bool,
    pub can_manage_invites: bool,
    pub can_hand_over: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRow {
    pub id: Uuid,
    pub expires: String,
    pub uses: i32,
    pub max_uses: i32,
    pub state: String,
}

/// What an invitation link leads to, for the person who opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteStatus {
    Valid { club_id: Uuid, club_name: String },
    AlreadyMember { club_id: Uuid, club_name: String },
    Expired,
    UsedUp,
    Revoked,
    Unknown,
}

#[server(endpoint = "clubs/members")]
pub async fn club_members(club: Uuid) -> Result<MembersPage, AppError> {
    crate::server::respond(super::members_server::club_members(club).await)
}

#[server(endpoint = "clubs/members/role")]
pub async fn change_member_role(club: Uuid, user: Uuid, role: String) -> Result<(), AppError> {
    crate::server::respond(super::members_server::change_role(club, user, role).await)
}

#[server(endpoint = "clubs/members/remove")]
pub async fn remove_member(club: Uuid, user: Uuid) -> Result<(), AppError> {
    crate::server::respond(super::members_server::remove(club, user).await)
}

#[server(endpoint = "clubs/members/hand-over")]
pub async fn hand_over_club(club: Uuid, user: Uuid) -> Result<(), AppError> {
    crate::server::respond(super::members_server::hand_over(club, user).await)
}

#[server(endpoint = "clubs/members/books-read")]
pub async fn update_books_read(club: Uuid, books_read: String) -> Result<(), AppError> {
    crate::server::respond(super::members_server::books_read(club, books_read).await)
}

#[server(endpoint = "clubs/invites")]
pub async fn club_invites(club: Uuid) -> Result<Vec<InviteRow>, AppError> {
    crate::server::respond(super::members_server::invites(club).await)
}

/// Makes an invitation link; returns its path (`/invite/<token>`), shown once.
#[server(endpoint = "clubs/invites/create")]
pub async fn create_invite(club: Uuid, days: String, max_uses: String) -> Result<String, AppError> {
    crate::server::respond(super::members_server::create_invite(club, days, max_uses).await)
}

#[server(endpoint = "clubs/invites/revoke")]
pub async fn revoke_invite(club: Uuid, invite: Uuid) -> Result<(), AppError> {
    crate::server::respond(super::members_server::revoke_invite(club, invite).await)
}

#[server(endpoint = "invites/status")]
pub async fn check_invite(token: String) -> Result<InviteStatus, AppError> {
    crate::server::respond(super::members_server::invite_status(token).await)
}

#[server(endpoint = "invites/accept")]
pub async fn accept_invite(token: String) -> Result<(), AppError> {
    crate::server::respond(super::members_server::accept_invite(token).await)
}
