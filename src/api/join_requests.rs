//! Requests to join over the API: the caller's own request to a club that
//! takes new members by request (`/api/v1/clubs/{id}/join-request`: where
//! it stands, asking, withdrawing) and, for the club's admins, the waiting
//! requests and their answers (`/api/v1/clubs/{id}/join-requests`), through
//! `clubs::join_requests` as the club page does, so the club's limit and
//! the 30 days before asking again hold here too.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Scope};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request::{self, Id, TwoIds};
use crate::clubs::join_requests;
use crate::clubs::model::{JoinRequestRow, MyJoinRequest};
use crate::error::AppError;
use crate::platform::state::AppState;

/// Where the caller's request to join a club stands.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "waiting", "asked": "6 Dec 2026", "ask_again_from": null}))]
pub struct MyRequest {
    /// waiting (for the admins) or declined.
    pub status: String,
    /// The day they asked, when waiting.
    pub asked: Option<String>,
    /// The day they may ask again, when declined.
    pub ask_again_from: Option<String>,
}

impl From<MyJoinRequest> for MyRequest {
    fn from(r: MyJoinRequest) -> MyRequest {
        match r {
            MyJoinRequest::Waiting { asked } => MyRequest {
                status: "waiting".into(),
                asked: Some(asked),
                ask_again_from: None,
            },
            MyJoinRequest::Declined { again_from } => MyRequest {
                status: "declined".into(),
                asked: None,
                ask_again_from: Some(again_from),
            },
        }
    }
}

/// A request to join.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "I loved your last pick."}))]
pub struct Asking {
    /// A note to the club's admins (at most 500 characters).
    #[serde(default)]
    pub message: String,
}

/// A waiting request, as the club's admins see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d", "user_id": "0b3f6c8e-2d4a-4f7e-9a51-6c2d8e4b1a07", "name": "Ann Lee", "message": "I loved your last pick.", "asked": "6 Dec 2026, 09:14"}))]
pub struct JoinRequest {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub message: String,
    /// When they asked, in words, in the caller's zone.
    pub asked: String,
}

impl From<JoinRequestRow> for JoinRequest {
    fn from(r: JoinRequestRow) -> JoinRequest {
        JoinRequest {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            message: r.message,
            asked: r.asked,
        }
    }
}

/// The admins' answer to a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer": "approve"}))]
pub struct Decision {
    /// approve or decline.
    pub answer: String,
}

/// Where the caller's request to join stands (404 when there is none that
/// matters: none waiting, no recent decline).
#[utoipa::path(
    get, operation_id = "get_my_join_request", path = "/clubs/{id}/join-request", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 200, description = "The caller's request", body = MyRequest, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or request, or a club the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn mine(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let request = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        crate::clubs::standing::visible_standing(db, club, Some(&caller.me)).await?;
        Ok(join_requests::my_request(db, club, caller.me.id).await?)
    })
    .await?;
    let request = request.ok_or(AppError::NotFound)?;
    Ok(reply::json(&parts, &MyRequest::from(request)))
}

/// Asks to join a public club that takes new members by request; its
/// admins are told. One request waits at a time.
#[utoipa::path(
    put, operation_id = "ask_to_join", path = "/clubs/{id}/join-request", tag = "clubs", request_body = Asking,
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 201, description = "Asked", body = MyRequest,
         headers(("Location" = String, description = "The request's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Already a member, a club one joins directly, site staff, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request already waiting, declined recently, or the club is full", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A note too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn ask(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let asking: Asking = request::body(&bytes)?;
    let request = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        join_requests::ask(db, club, Some(&caller.me), &asking.message).await?;
        Ok(join_requests::my_request(db, club, caller.me.id).await?)
    })
    .await?;
    let request = MyRequest::from(request.ok_or(AppError::Internal)?);
    let location = format!("/api/v1/clubs/{club}/join-request");
    let body = serde_json::to_value(&request).map_err(|_| AppError::Internal)?;
    Ok(reply::stored(StatusCode::CREATED, Some(&location), &body))
}

/// Withdraws the caller's waiting request.
#[utoipa::path(
    delete, operation_id = "withdraw_join_request", path = "/clubs/{id}/join-request", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No request waiting", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn withdraw(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(join_requests::withdraw(db, club, Some(&caller.me)).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// The club's waiting requests, oldest first (its admins).
#[utoipa::path(
    get, operation_id = "list_join_requests", path = "/clubs/{id}/join-requests", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"), PageQuery),
    responses(
        (status = 200, description = "A page of waiting requests", body = Page<JoinRequest>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's admins", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn waiting(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let rows = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(join_requests::waiting(db, club, Some(&caller.me)).await?)
    })
    .await?;
    let rows = rows.into_iter().map(JoinRequest::from).collect();
    let page = paging::page_of(rows, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Answers a waiting request (the club's admins): approving lets them in
/// within the club's limit; of two admins answering at once, one answer
/// stands and the other is a 409.
#[utoipa::path(
    put, operation_id = "decide_join_request", path = "/clubs/{id}/join-requests/{request}/decision", tag = "clubs", request_body = Decision,
    params(("id" = Uuid, Path, description = "The club"), ("request" = Uuid, Path, description = "The request")),
    responses(
        (status = 204, description = "Answered"),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's admins, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club or request, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered or withdrawn already, or the club is full", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither approve nor decline", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn decide(
    State(state): State<AppState>,
    TwoIds(club, id): TwoIds,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let decision: Decision = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        join_requests::answer(db, club, id, Some(&caller.me), &decision.answer).await?;
        Ok(())
    })
    .await?;
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine, ask, withdraw))
        .routes(routes!(waiting))
        .routes(routes!(decide))
}
