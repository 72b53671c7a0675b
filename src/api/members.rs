//! A club's members over the API (`/api/v1/clubs/{id}/members`): who is in
//! it; for its admins and owner, changing a member's role and removing
//! them; for its owner, handing it over; for each member, their count of
//! books read — through `clubs::members::db` as the members page does.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Scope};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request::{self, Id, TwoIds};
use crate::clubs::members::db;
use crate::clubs::members::model::MemberRow;
use crate::platform::state::AppState;

/// A member of a club.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "0b3f6c8e-2d4a-4f7e-9a51-6c2d8e4b1a07", "name": "Ann Lee", "role": "member", "is_owner": false, "joined": "3 Nov 2026", "books_read": 4, "email": null, "phone": null}))]
pub struct Member {
    pub user_id: Uuid,
    pub name: String,
    /// admin, moderator, member or guest.
    pub role: String,
    pub is_owner: bool,
    /// When they joined, in words.
    pub joined: String,
    pub books_read: i32,
    /// Only for those who may see members' contact details.
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<MemberRow> for Member {
    fn from(m: MemberRow) -> Member {
        Member {
            user_id: m.user_id,
            name: m.name,
            role: m.role,
            is_owner: m.is_owner,
            joined: m.joined,
            books_read: m.books_read,
            email: m.email,
            phone: m.phone,
        }
    }
}

/// A member's new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "moderator"}))]
pub struct NewRole {
    /// admin, moderator, member or guest.
    pub role: String,
}

/// The club's members (its members, site staff and the owner may see them).
#[utoipa::path(
    get, operation_id = "list_club_members", path = "/clubs/{id}/members", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"), PageQuery),
    responses(
        (status = 200, description = "A page of members", body = Page<Member>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let members = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(db::club_members(db, Some(&caller.me), club).await?)
    })
    .await?;
    let members = members.members.into_iter().map(Member::from).collect();
    let page = paging::page_of(members, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Gives a member another role (the club's admins and owner, within the
/// rules of docs/AUTHZ.md: nobody makes themself more).
#[utoipa::path(
    put, operation_id = "set_member_role", path = "/clubs/{id}/members/{user}/role", tag = "clubs",
    request_body = NewRole,
    params(("id" = Uuid, Path, description = "The club"), ("user" = Uuid, Path, description = "The member")),
    responses(
        (status = 204, description = "The role is changed"),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to give this member that role, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or member, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a role", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn set_role(
    State(state): State<AppState>,
    TwoIds(club, user): TwoIds,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body: NewRole = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::change_role(
            db,
            Some(&caller.me),
            club,
            user,
            body.role.trim().to_owned(),
        )
        .await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// Removes a member: their places at the club's meetings are given up (the
/// waitlists move up).
#[utoipa::path(
    delete, operation_id = "remove_member", path = "/clubs/{id}/members/{user}", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"), ("user" = Uuid, Path, description = "The member")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "An id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to remove this member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or member, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn remove(
    State(state): State<AppState>,
    TwoIds(club, user): TwoIds,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::remove(db, Some(&caller.me), club, user).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// The member the club is handed to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0b3f6c8e-2d4a-4f7e-9a51-6c2d8e4b1a07"}))]
pub struct NewOwner {
    /// A current member of the club.
    pub user_id: Uuid,
}

/// How many books a member has read with the club.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"books_read": 12}))]
pub struct BooksRead {
    #[serde(deserialize_with = "request::whole_number")]
    #[schema(value_type = i32, minimum = 0, maximum = 100000)]
    pub books_read: Option<i32>,
}

/// Hands the club to another member (its owner only): they own it and are
/// an admin; the caller stays as an admin.
#[utoipa::path(
    put, operation_id = "hand_over_club", path = "/clubs/{id}/owner", tag = "clubs", request_body = NewOwner,
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 204, description = "Handed over"),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the club's owner, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or member, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "They own it already", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn hand_over(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let owner: NewOwner = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::hand_over(db, Some(&caller.me), club, owner.user_id).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// Sets how many books the caller has read with the club (shown on the
/// members list); a member sets only their own.
#[utoipa::path(
    put, operation_id = "set_books_read", path = "/clubs/{id}/members/{user}/books-read", tag = "clubs", request_body = BooksRead,
    params(("id" = Uuid, Path, description = "The club"), ("user" = Uuid, Path, description = "The caller")),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Someone else's count, not a member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a whole number from 0 to 100000", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn set_books_read(
    State(state): State<AppState>,
    TwoIds(club, user): TwoIds,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let count: BooksRead = request::body(&bytes)?;
    let count = count.books_read.map(|n| n.to_string()).unwrap_or_default();
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        if user != caller.me.id {
            return Err(crate::error::AppError::Forbidden(
                "Members set only their own count of books read.".into(),
            )
            .into());
        }
        Ok(db::books_read(db, Some(&caller.me), club, count).await?)
    })
    .await?;
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set_role))
        .routes(routes!(remove))
        .routes(routes!(hand_over))
        .routes(routes!(set_books_read))
}
