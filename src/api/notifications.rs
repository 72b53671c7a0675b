//! The caller's notifications (`/api/v1/me/notifications`): the in-app
//! list, newest first, and marking them read, through `notify::db` as the
//! bell's page does.
use axum::extract::{FromRequestParts, Path, State};
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::caller::{as_token_holder, Scope};
use super::paging::{self, Page};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request;
use crate::notify::db;
use crate::notify::model::NotificationItem;
use crate::platform::state::AppState;

/// A notice.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 42, "title": "New meeting: Middlemarch, books 1–3", "body": "Harbour Readers meets Thu 10 Dec, 19:00.", "link": "/events/9a7c1e2b-3f4d-4c5e-8a6b-7c8d9e0f1a2b", "when": "Fri 4 Dec, 10:15", "unread": true}))]
pub struct Notification {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// A path on the site it is about.
    pub link: String,
    /// When it arrived, in words, in the caller's zone.
    pub when: String,
    pub unread: bool,
}

impl From<NotificationItem> for Notification {
    fn from(n: NotificationItem) -> Notification {
        Notification {
            id: n.id,
            title: n.title,
            body: n.body,
            link: n.link,
            when: n.when,
            unread: n.unread,
        }
    }
}

/// Which notices.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
    /// From the previous page's `next_cursor`.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The caller's notifications, newest first.
#[utoipa::path(
    get, operation_id = "list_my_notifications", path = "/me/notifications", tag = "me", params(NoticeQuery),
    responses(
        (status = 200, description = "A page of notices", body = Page<Notification>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let query: NoticeQuery = request::query(&parts)?;
    let list = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(db::list(db, caller.me.id).await?)
    })
    .await?;
    let items = list
        .items
        .into_iter()
        .filter(|n| !query.unread.unwrap_or(false) || n.unread)
        .map(Notification::from)
        .collect();
    let page = paging::page_of(items, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// A notification's number from the path.
struct NoticeId(i64);

impl<S: Send + Sync> FromRequestParts<S> for NoticeId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(NoticeId(id)),
            Err(_) => Err(ApiError::unreadable(
                "The notification's id is a whole number.",
            )),
        }
    }
}

/// Marks one notice read.
#[utoipa::path(
    post, operation_id = "mark_notification_read", path = "/me/notifications/{id}/read", tag = "me",
    params(("id" = i64, Path, description = "The notice")),
    responses(
        (status = 204, description = "Read"),
        (status = 400, description = "Not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice of the caller's", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn mark_read(
    State(state): State<AppState>,
    NoticeId(id): NoticeId,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::mark_read(db, caller.me.id, id).await?)
    })
    .await?;
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
}
