//! `/api/v1/clubs`: discover, read, start, change and delete clubs, join
//! and leave them, and the caller's own clubs (`/api/v1/me/clubs`). Each
//! operation calls the function the pages' server function calls
//! (`clubs::db`, `clubs::lists`), so both refuse alike.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Deserializer, Serialize};
use sqlx::PgConnection;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::idempotency::{self, Created};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply::{self, check_if_match, Held};
use super::request::{self, Id};
use crate::clubs::model::{ClubFields, ClubSummary, ClubView, CLUBS_PER_PAGE};
use crate::clubs::{db, lists};
use crate::platform::state::AppState;

/// A club in a list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10", "name": "Harbour Readers", "description": "Novels and tea, monthly.", "is_public": true, "member_count": 12, "max_members": 20, "meeting_frequency": "Monthly", "location": "Lisbon", "tags": ["fiction"], "current_book": "Middlemarch by George Eliot", "next_meeting": "Thu 10 Dec, 19:00 (Europe/Lisbon)"}))]
pub struct ClubItem {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// Anyone may find it and join (or ask to); otherwise invitation only.
    pub is_public: bool,
    /// Active members.
    pub member_count: i64,
    /// The most members it takes; null for no limit.
    pub max_members: Option<i32>,
    pub meeting_frequency: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    /// The book it is reading, "title by authors".
    pub current_book: Option<String>,
    /// Its next meeting the caller may see, in words.
    pub next_meeting: Option<String>,
}

impl From<ClubSummary> for ClubItem {
    fn from(c: ClubSummary) -> ClubItem {
        ClubItem {
            id: c.id,
            name: c.name,
            description: c.description,
            is_public: c.is_public,
            member_count: c.member_count,
            max_members: c.max_members,
            meeting_frequency: c.meeting_frequency,
            location: c.location,
            tags: c.tags,
            current_book: c.current_book,
            next_meeting: c.next_meeting,
        }
    }
}

/// A club, with what the caller may do there.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10", "name": "Harbour Readers", "description": "Novels and tea, monthly.", "is_public": true, "member_count": 12, "max_members": 20, "meeting_frequency": "Monthly", "location": "Lisbon", "tags": ["fiction"], "current_book": "Middlemarch by George Eliot", "next_meeting": "Thu 10 Dec, 19:00 (Europe/Lisbon)", "join_by_request": false, "up_next": "Piranesi by Susanna Clarke", "can_join": false, "can_ask_to_join": false, "can_leave": true, "can_edit": false, "can_list_members": true}))]
pub struct Club {
    #[serde(flatten)]
    pub club: ClubItem,
    /// New members ask and the admins approve.
    pub join_by_request: bool,
    /// The book up next, "title by authors".
    pub up_next: Option<String>,
    pub can_join: bool,
    pub can_ask_to_join: bool,
    pub can_leave: bool,
    pub can_edit: bool,
    pub can_list_members: bool,
}

impl From<ClubView> for Club {
    fn from(v: ClubView) -> Club {
        Club {
            club: v.club.into(),
            join_by_request: v.join_by_request,
            up_next: v.up_next,
            can_join: v.can_join,
            can_ask_to_join: v.can_ask,
            can_leave: v.can_leave,
            can_edit: v.can_edit,
            can_list_members: v.can_list_members,
        }
    }
}

/// A new club. Only `name` is needed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Harbour Readers", "description": "Novels and tea, monthly.", "is_public": true, "max_members": 20, "tags": ["fiction"], "time_zone": "Europe/Lisbon"}))]
pub struct NewClub {
    /// 1 to 255 characters.
    pub name: String,
    pub description: Option<String>,
    /// Default false: invitation only.
    #[serde(default)]
    pub is_public: bool,
    /// For a public club: new members ask, and admins approve. Default false.
    #[serde(default)]
    pub join_by_request: bool,
    /// 1 to 100000; null or absent for no limit.
    #[serde(default, deserialize_with = "request::whole_number")]
    pub max_members: Option<i32>,
    pub meeting_frequency: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// An IANA zone such as "Europe/Lisbon"; default UTC.
    pub time_zone: Option<String>,
}

/// Changes to a club: only the fields sent change (null clears a field
/// that may be empty).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Novels, tea and cake, monthly.", "max_members": null}))]
pub struct ClubChanges {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
    pub is_public: Option<bool>,
    pub join_by_request: Option<bool>,
    #[serde(default, deserialize_with = "request::sent_whole_number")]
    #[schema(value_type = Option<i32>)]
    pub max_members: Option<Option<i32>>,
    #[serde(default, deserialize_with = "present")]
    pub meeting_frequency: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub location: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub time_zone: Option<String>,
}

/// A field that was sent, null or not (absent fields stay `None`).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn text(value: Option<String>) -> String {
    value.unwrap_or_default()
}

fn number(value: Option<i32>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

impl NewClub {
    /// The fields as the create form sends them, for the same checks.
    fn fields(self) -> ClubFields {
        ClubFields {
            id: Uuid::nil(),
            name: self.name,
            description: text(self.description),
            is_public: self.is_public,
            join_by_request: self.join_by_request,
            max_members: number(self.max_members),
            meeting_frequency: text(self.meeting_frequency),
            location: text(self.location),
            tags: self.tags.join(", "),
            time_zone: text(self.time_zone),
        }
    }
}

impl ClubChanges {
    /// The club's current fields with these changes made.
    fn applied_to(self, mut f: ClubFields) -> ClubFields {
        if let Some(name) = self.name {
            f.name = name;
        }
        if let Some(description) = self.description {
            f.description = text(description);
        }
        if let Some(is_public) = self.is_public {
            f.is_public = is_public;
        }
        if let Some(by_request) = self.join_by_request {
            f.join_by_request = by_request;
        }
        if let Some(max) = self.max_members {
            f.max_members = number(max);
        }
        if let Some(frequency) = self.meeting_frequency {
            f.meeting_frequency = text(frequency);
        }
        if let Some(location) = self.location {
            f.location = text(location);
        }
        if let Some(tags) = self.tags {
            f.tags = tags.join(", ");
        }
        if let Some(zone) = self.time_zone {
            f.time_zone = zone;
        }
        f
    }
}

/// The orders discover knows.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DiscoverSort {
    Match,
    Size,
    Soon,
    Name,
}

impl DiscoverSort {
    fn key(self) -> &'static str {
        match self {
            DiscoverSort::Match => "match",
            DiscoverSort::Size => "size",
            DiscoverSort::Soon => "soon",
            DiscoverSort::Name => "name",
        }
    }
}

/// How to find clubs.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscoverQuery {
    /// Words to search names, descriptions and places for.
    #[param(pattern = "^[^\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]*$")]
    pub q: Option<String>,
    /// Only clubs with this tag.
    #[param(pattern = "^[^\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]*$")]
    pub tag: Option<String>,
    /// `match` (the default for a search), `size` (the default otherwise),
    /// `soon` (next meeting first) or `name`.
    #[param(inline)]
    pub sort: Option<DiscoverSort>,
    /// From the previous page's `next_cursor`.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub cursor: Option<String>,
}

async fn club_of(db: &mut PgConnection, id: Uuid, caller: &Caller) -> Result<Club, ApiError> {
    Ok(db::club_view(db, id, Some(&caller.me)).await?.into())
}

/// Clubs to discover: public ones, and the caller's own.
#[utoipa::path(
    get, operation_id = "list_clubs", path = "/clubs", tag = "clubs", params(DiscoverQuery),
    responses(
        (status = 200, description = "A page of clubs, 12 at a time", body = Page<ClubItem>,
         headers(("Link" = String, description = "The next page: `<...>; rel=\"next\"`"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn discover(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let query: DiscoverQuery = request::query(&parts)?;
    let start = paging::start_of(query.cursor.as_deref())?;
    let page = i64::try_from(start).unwrap_or(i64::MAX) / CLUBS_PER_PAGE + 1;
    let (search, tag) = (
        query.q.as_deref().unwrap_or("").trim(),
        query.tag.as_deref().unwrap_or("").trim(),
    );
    let order = lists::DiscoverOrder::chosen(
        query.sort.map_or("", DiscoverSort::key),
        !(search.is_empty() && tag.is_empty()),
    );
    let list = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(lists::discover(db, Some(&caller.me), search, tag, order, page).await?)
    })
    .await?;
    let next = (list.page < list.pages)
        .then(|| paging::cursor_at(usize::try_from(list.page * CLUBS_PER_PAGE).unwrap_or(0)));
    let page = Page {
        items: list.clubs.into_iter().map(ClubItem::from).collect(),
        next_cursor: next,
    };
    Ok(paging::reply(&parts, &page))
}

/// The caller's clubs, by name.
#[utoipa::path(
    get, operation_id = "list_my_clubs", path = "/me/clubs", tag = "clubs", params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's clubs", body = Page<ClubItem>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn mine(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let clubs = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(lists::my_clubs(db, caller.me.id).await?)
    })
    .await?;
    let clubs = clubs.into_iter().map(ClubItem::from).collect();
    let page = paging::page_of(clubs, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Starts a club; the caller is its owner and first admin.
#[utoipa::path(
    post, operation_id = "create_club", path = "/clubs", tag = "clubs", request_body = NewClub,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second club (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The new club", body = Club,
         headers(("Location" = String, description = "The club's address"), ("ETag" = String))),
        (status = 400, description = "A body it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token, or a site guest", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, or an Idempotency-Key used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let new: NewClub = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            let id = db::create_club(db, &caller.me, &new.fields()).await?;
            let club = club_of(db, id, caller).await?;
            Ok(Created {
                location: format!("/api/v1/clubs/{id}"),
                body: serde_json::to_value(club).unwrap_or_default(),
            })
        })
        .await
    })
    .await
}

/// A club: a private one is a 404 to those outside it.
#[utoipa::path(
    get, operation_id = "get_club", path = "/clubs/{id}", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 200, description = "The club", body = Club, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let club = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        club_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &club))
}

/// Changes a club (its admins and owner). Send `If-Match` with the ETag
/// you read to be refused (412) rather than overwrite someone else's
/// change.
#[utoipa::path(
    patch, operation_id = "update_club", path = "/clubs/{id}", tag = "clubs", request_body = ClubChanges,
    params(("id" = Uuid, Path, description = "The club"),
           ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "The club as changed", body = Club, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the club's admin, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
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
    let changes: ClubChanges = request::body(&bytes)?;
    let club = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        // The club row is held from the comparison to the change, so two
        // editors sending the same If-Match cannot both succeed.
        reply::hold(db, Held::Club, id).await?;
        let current = db::club_form(db, id, Some(&caller.me)).await?;
        check_if_match(&parts, &club_of(db, id, caller).await?)?;
        let fields = ClubFields {
            id,
            ..changes.applied_to(current)
        };
        db::update_club(db, Some(&caller.me), &fields).await?;
        club_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &club))
}

/// Deletes a club with its meetings, shelf and polls (its owner, or a site
/// admin).
#[utoipa::path(
    delete, operation_id = "delete_club", path = "/clubs/{id}", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club"),
           ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owner, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Club, id).await?;
        let club = club_of(db, id, caller).await?;
        check_if_match(&parts, &club)?;
        // The pages ask a person to type the name; a program has named the
        // club by its id already.
        Ok(db::delete_club(db, id, Some(&caller.me), &club.club.name).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// Joins a public club (one that takes requests is asked to instead, from
/// its page).
#[utoipa::path(
    post, operation_id = "join_club", path = "/clubs/{id}/membership", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 204, description = "The caller is a member"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invitation only, takes requests, already a member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The club is full", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn join(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::join(db, id, Some(&caller.me)).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// Leaves a club: the caller's places at its meetings are given up (the
/// waitlists move up). Its owner must hand it over first.
#[utoipa::path(
    delete, operation_id = "leave_club", path = "/clubs/{id}/membership", tag = "clubs",
    params(("id" = Uuid, Path, description = "The club")),
    responses(
        (status = 204, description = "The caller is no longer a member"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, the owner, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn leave(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::leave(db, id, Some(&caller.me)).await?)
    })
    .await?;
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(discover, create))
        .routes(routes!(mine))
        .routes(routes!(read, update, delete))
        .routes(routes!(join, leave))
}
