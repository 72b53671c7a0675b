//! A meeting's items over the API: its agenda, tasks, things to bring and
//! notes (`/api/v1/events/{id}/items`, `/api/v1/items/{id}`), taking one on,
//! and the caller's open tasks (`/api/v1/me/tasks`), through
//! `events::items::db` as the meeting page does, so who may add, change,
//! tick off or take on an item is decided there.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::idempotency::{self, Created};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply::{self, Held};
use super::request::{self, Id};
use crate::error::AppError;
use crate::events::authz::EventAction;
use crate::events::items::db;
use crate::events::items::model::{validate_item, ItemView, MyTask};
use crate::events::standing::event_standing;
use crate::platform::state::AppState;

/// An item on a meeting's list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "3c9e1f20-7a4b-4d2e-9f61-0a8b7c6d5e4f", "event_id": "9a7c1e2b-3f4d-4c5e-8a6b-7c8d9e0f1a2b", "name": "Bring scones", "category": "material", "status": "pending", "notes": "", "assignee_id": null, "assignee": null, "can_update_status": false, "can_volunteer": true}))]
pub struct Item {
    pub id: Uuid,
    pub event_id: Uuid,
    pub name: String,
    /// agenda, task, material, note or other.
    pub category: String,
    /// pending, in_progress, completed or cancelled.
    pub status: String,
    pub notes: String,
    pub assignee_id: Option<Uuid>,
    /// The assignee's name.
    pub assignee: Option<String>,
    /// Whether the caller may change its status.
    pub can_update_status: bool,
    /// Whether the caller may take it on (POST …/volunteers).
    pub can_volunteer: bool,
}

impl Item {
    fn of(event_id: Uuid, i: ItemView) -> Item {
        Item {
            id: i.id,
            event_id,
            name: i.name,
            category: i.category,
            status: i.status,
            notes: i.notes,
            assignee_id: i.assignee_id,
            assignee: i.assignee,
            can_update_status: i.can_update_status,
            can_volunteer: i.can_volunteer,
        }
    }
}

/// One of the caller's open tasks, with its meeting.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "3c9e1f20-7a4b-4d2e-9f61-0a8b7c6d5e4f", "name": "Bring scones", "category": "material", "status": "pending", "event_id": "9a7c1e2b-3f4d-4c5e-8a6b-7c8d9e0f1a2b", "event_title": "Middlemarch, books 1–3", "starts": "Thu 10 Dec 2026, 19:00"}))]
pub struct Task {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub status: String,
    pub event_id: Uuid,
    pub event_title: String,
    /// When the meeting starts, in words, in the caller's zone.
    pub starts: String,
}

impl From<MyTask> for Task {
    fn from(t: MyTask) -> Task {
        Task {
            id: t.id,
            name: t.name,
            category: t.category,
            status: t.status,
            event_id: t.event_id,
            event_title: t.event_title,
            starts: t.starts,
        }
    }
}

/// A new item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Bring scones", "category": "material", "assignee_id": null, "notes": "Enough for twelve"}))]
pub struct NewItem {
    pub name: String,
    /// agenda, task, material, note or other.
    pub category: String,
    /// A current member of the club, or null for nobody.
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    #[serde(default)]
    pub notes: String,
}

/// Changes to an item: only the fields sent change. `status` alone is
/// what an assignee may change on their own item; the rest is the club's
/// organisers'.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "completed"}))]
pub struct ItemChanges {
    pub name: Option<String>,
    pub category: Option<String>,
    /// null gives it to nobody.
    #[serde(default, deserialize_with = "request::sent")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    pub notes: Option<String>,
    /// pending, in_progress, completed or cancelled.
    pub status: Option<String>,
}

impl ItemChanges {
    fn changes_fields(&self) -> bool {
        self.name.is_some()
            || self.category.is_some()
            || self.assignee_id.is_some()
            || self.notes.is_some()
    }
}

/// The meeting's items, as the caller may see them (members of its club).
async fn items_of(
    db: &mut sqlx::PgConnection,
    event: Uuid,
    caller: &Caller,
) -> Result<Vec<Item>, ApiError> {
    let s = event_standing(db, event, Some(&caller.me)).await?;
    s.require(
        EventAction::SeeItems,
        "Only the club's members see a meeting's items.",
    )?;
    Ok(db::items(db, event, Some(caller.me.id), &s)
        .await?
        .into_iter()
        .map(|i| Item::of(event, i))
        .collect())
}

/// One item, as the caller may see it.
async fn item_of(
    db: &mut sqlx::PgConnection,
    item: Uuid,
    caller: &Caller,
) -> Result<Item, ApiError> {
    let (event, _) = db::item_event(db, item).await?;
    items_of(db, event, caller)
        .await?
        .into_iter()
        .find(|i| i.id == item)
        .ok_or(ApiError::App(AppError::NotFound))
}

/// A meeting's items (its club's members).
#[utoipa::path(
    get, operation_id = "list_event_items", path = "/events/{id}/items", tag = "events",
    params(("id" = Uuid, Path, description = "The meeting"), PageQuery),
    responses(
        (status = 200, description = "A page of items, the agenda first", body = Page<Item>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member of the club", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn of_event(
    State(state): State<AppState>,
    Id(event): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let items = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        items_of(db, event, caller).await
    })
    .await?;
    let page = paging::page_of(items, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Adds an item to a meeting (the club's moderators, admins and owner); its
/// assignee is told.
#[utoipa::path(
    post, operation_id = "create_item", path = "/events/{id}/items", tag = "events", request_body = NewItem,
    params(("id" = Uuid, Path, description = "The meeting"),
           ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second item (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The new item", body = Item,
         headers(("Location" = String, description = "The item's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, or an Idempotency-Key used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    Id(event): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let new: NewItem = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            let assignee = new.assignee_id.map(|a| a.to_string()).unwrap_or_default();
            let fields = validate_item(&new.name, &new.category, &assignee, &new.notes);
            let id = db::add_item(db, event, Some(&caller.me), fields).await?;
            let item = item_of(db, id, caller).await?;
            Ok(Created {
                location: format!("/api/v1/items/{id}"),
                body: serde_json::to_value(item).unwrap_or_default(),
            })
        })
        .await
    })
    .await
}

/// An item.
#[utoipa::path(
    get, operation_id = "get_item", path = "/items/{id}", tag = "events",
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 200, description = "The item", body = Item, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member of the club", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let item = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        item_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &item))
}

/// Changes an item. The club's organisers change anything; an assignee may
/// change only the status of their own item. Send `If-Match` with the ETag
/// you read to be refused (412) rather than overwrite someone else's change.
#[utoipa::path(
    patch, operation_id = "update_item", path = "/items/{id}", tag = "events", request_body = ItemChanges,
    params(("id" = Uuid, Path, description = "The item"),
           ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "The item as changed", body = Item, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to make this change, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let changes: ItemChanges = request::body(&bytes)?;
    let item = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Item, id).await?;
        let current = item_of(db, id, caller).await?;
        reply::check_if_match(&parts, &current)?;
        if changes.changes_fields() {
            let assignee = changes
                .assignee_id
                .unwrap_or(current.assignee_id)
                .map(|a| a.to_string())
                .unwrap_or_default();
            let fields = validate_item(
                changes.name.as_deref().unwrap_or(&current.name),
                changes.category.as_deref().unwrap_or(&current.category),
                &assignee,
                changes.notes.as_deref().unwrap_or(&current.notes),
            );
            db::update_item(db, id, Some(&caller.me), fields).await?;
        }
        if let Some(status) = &changes.status {
            db::set_status(db, id, Some(&caller.me), status.trim()).await?;
        }
        item_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &item))
}

/// Removes an item (the club's moderators, admins and owner).
#[utoipa::path(
    delete, operation_id = "delete_item", path = "/items/{id}", tag = "events",
    params(("id" = Uuid, Path, description = "The item"),
           ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Item, id).await?;
        reply::check_if_match(&parts, &item_of(db, id, caller).await?)?;
        db::delete_item(db, id, Some(&caller.me)).await?;
        Ok(())
    })
    .await?;
    Ok(reply::no_content())
}

/// "I'll bring it": the caller takes on an unassigned task or thing to
/// bring of a coming meeting of their club. Of two at once, one gets it and
/// the other a 409.
#[utoipa::path(
    post, operation_id = "volunteer_for_item", path = "/items/{id}/volunteers", tag = "events",
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 200, description = "The item, now the caller's", body = Item, headers(("ETag" = String))),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member of the club, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else has it, the meeting is over or cancelled, or it is not a task", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn volunteer(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let item = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        db::volunteer(db, id, Some(&caller.me)).await?;
        item_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &item))
}

/// The caller's open tasks across their clubs, by meeting (at most 50, as
/// on the home page).
#[utoipa::path(
    get, operation_id = "list_my_tasks", path = "/me/tasks", tag = "me",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's open tasks", body = Page<Task>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn mine(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let tasks = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(crate::events::lists::my_open_tasks(db, &caller.me).await?)
    })
    .await?;
    let tasks = tasks.into_iter().map(Task::from).collect();
    let page = paging::page_of(tasks, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(of_event, create))
        .routes(routes!(read, update, delete))
        .routes(routes!(volunteer))
        .routes(routes!(mine))
}
