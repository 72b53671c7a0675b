//! Meetings over the API: a club's meetings (`/api/v1/clubs/{id}/events`),
//! one meeting with its counts and the caller's answer, planning one, and
//! the caller's RSVP (`/api/v1/events/{id}/rsvp`). The same functions as
//! the pages (`events::lists`, `events::page_data`, `events::db`,
//! `events::rsvp`), so capacity, the waitlist and every refusal are theirs.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::idempotency::{self, Created};
use super::paging::{self, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply::{self, Held};
use super::request::{self, Id};
use crate::events::model::{EventInput, EventPage, EventSummary};
use crate::events::{db, lists, page_data, rsvp};
use crate::platform::state::AppState;

/// A meeting in a list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "9a7c1e2b-3f4d-4c5e-8a6b-7c8d9e0f1a2b", "club_id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10", "club_name": "Harbour Readers", "title": "Middlemarch, books 1–3", "starts_at": "2026-12-10T19:00:00Z", "starts": "Thu 10 Dec 2026, 19:00", "zone": "Europe/Lisbon", "location": "The tea room", "kind": "discussion", "cancelled": false, "my_rsvp": "available", "waitlisted": false}))]
pub struct EventItem {
    pub id: Uuid,
    pub club_id: Uuid,
    pub club_name: String,
    pub title: String,
    /// When it starts (RFC 3339, UTC).
    pub starts_at: String,
    /// When it starts in words, in `zone` (the caller's zone, else the
    /// meeting's).
    pub starts: String,
    pub zone: String,
    pub location: String,
    /// discussion, meeting, social, planning or other.
    pub kind: String,
    pub cancelled: bool,
    /// The caller's answer: available, maybe or unavailable.
    pub my_rsvp: Option<String>,
    /// The caller said available but the meeting is full.
    pub waitlisted: bool,
}

impl From<EventSummary> for EventItem {
    fn from(e: EventSummary) -> EventItem {
        EventItem {
            id: e.id,
            club_id: e.club_id,
            club_name: e.club_name,
            title: e.title,
            starts_at: e.instant,
            starts: e.starts,
            zone: e.zone,
            location: e.location,
            kind: e.kind,
            cancelled: e.cancelled,
            my_rsvp: e.my_rsvp,
            waitlisted: e.waitlisted,
        }
    }
}

/// How many answered what.
#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    /// Confirmed places.
    pub available: i64,
    pub waitlisted: i64,
    pub maybe: i64,
    pub unavailable: i64,
}

/// The caller's answer to a meeting.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "available", "note": "Bringing scones", "waitlist_position": null}))]
pub struct Rsvp {
    /// available, maybe or unavailable.
    pub status: String,
    pub note: String,
    /// 1 for the first in line, when waitlisted.
    pub waitlist_position: Option<i64>,
}

/// A meeting, with the counts and the caller's answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "9a7c1e2b-3f4d-4c5e-8a6b-7c8d9e0f1a2b", "club_id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10", "club_name": "Harbour Readers", "title": "Middlemarch, books 1–3", "description": "Bring your questions.", "starts_at": "2026-12-10T19:00:00Z", "time_zone": "Europe/Lisbon", "location": "The tea room", "book": "Middlemarch by George Eliot", "kind": "discussion", "max_attendees": 12, "is_public": false, "cancelled": false, "past": false, "counts": {"available": 9, "waitlisted": 1, "maybe": 2, "unavailable": 3}, "my_rsvp": {"status": "available", "note": "", "waitlist_position": null}, "can_rsvp": true, "can_edit": false}))]
pub struct Event {
    pub id: Uuid,
    pub club_id: Uuid,
    pub club_name: String,
    pub title: String,
    pub description: String,
    /// When it starts (RFC 3339, UTC).
    pub starts_at: String,
    /// The zone where it happens.
    pub time_zone: String,
    pub location: String,
    /// The book it discusses, "title by authors" or as typed.
    pub book: String,
    pub kind: String,
    /// Places; null for no limit.
    pub max_attendees: Option<i32>,
    pub is_public: bool,
    pub cancelled: bool,
    pub past: bool,
    pub counts: Counts,
    pub my_rsvp: Option<Rsvp>,
    pub can_rsvp: bool,
    pub can_edit: bool,
}

impl From<EventPage> for Event {
    fn from(e: EventPage) -> Event {
        Event {
            id: e.id,
            club_id: e.club_id,
            club_name: e.club_name,
            title: e.title,
            description: e.description,
            starts_at: e.instant,
            time_zone: e.event_zone,
            location: e.location,
            book: e.book,
            kind: e.kind,
            max_attendees: e.max_attendees,
            is_public: e.is_public,
            cancelled: e.cancelled,
            past: e.past,
            counts: Counts {
                available: e.counts.available,
                waitlisted: e.counts.waitlisted,
                maybe: e.counts.maybe,
                unavailable: e.counts.unavailable,
            },
            my_rsvp: e.my_rsvp.map(|r| Rsvp {
                status: r.status,
                note: r.note,
                waitlist_position: r.waitlist_position,
            }),
            can_rsvp: e.can_rsvp,
            can_edit: e.can_edit,
        }
    }
}

/// A new meeting, in the club's terms: the date and time are the wall
/// clock where it happens (`time_zone`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Middlemarch, books 1–3", "date": "2026-12-10", "time": "19:00", "time_zone": "Europe/Lisbon", "location": "The tea room", "kind": "discussion", "max_attendees": 12}))]
pub struct NewEvent {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// YYYY-MM-DD, not in the past.
    pub date: String,
    /// HH:MM, 24-hour.
    pub time: String,
    /// An IANA zone; default the club's.
    #[serde(default)]
    pub time_zone: String,
    /// Where it happens, or a meeting link.
    pub location: String,
    /// A book not on the club's shelf, as text.
    #[serde(default)]
    pub book: String,
    /// A book from the club's shelf.
    pub book_id: Option<Uuid>,
    /// discussion (the default), meeting, social, planning or other.
    #[serde(default)]
    pub kind: String,
    /// 1 or more; null or absent for no limit.
    #[serde(default, deserialize_with = "request::whole_number")]
    pub max_attendees: Option<i32>,
    /// Shown to people outside the club (of a public club). Default false.
    #[serde(default)]
    pub is_public: bool,
}

/// An answer to a meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "available", "note": "Bringing scones"}))]
pub struct RsvpAnswer {
    /// available, maybe or unavailable.
    pub status: String,
    /// Up to 500 characters.
    #[serde(default)]
    pub note: String,
}

/// Meetings still to come, or those that have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum When {
    Upcoming,
    Past,
}

/// Which of a club's meetings.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// `upcoming` (the default; soonest first) or `past` (latest first).
    #[param(inline)]
    pub when: Option<When>,
    /// From the previous page's `next_cursor`.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

pub(super) async fn event_of(
    db: &mut sqlx::PgConnection,
    id: Uuid,
    caller: &Caller,
) -> Result<Event, ApiError> {
    Ok(page_data::event_page(db, id, Some(&caller.me))
        .await?
        .into())
}

/// A club's meetings the caller may see.
#[utoipa::path(
    get, operation_id = "list_club_events", path = "/clubs/{id}/events", tag = "events",
    params(("id" = Uuid, Path, description = "The club"), EventsQuery),
    responses(
        (status = 200, description = "A page of meetings", body = paging::Page<EventItem>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn of_club(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: EventsQuery = request::query(&parts)?;
    let past = query.when == Some(When::Past);
    let events = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(lists::club_events(db, club, Some(&caller.me)).await?)
    })
    .await?;
    let events = if past { events.past } else { events.upcoming };
    let events = events.into_iter().map(EventItem::from).collect();
    let page = paging::page_of(events, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Plans a meeting (the club's admins and organisers).
#[utoipa::path(
    post, operation_id = "create_event", path = "/clubs/{id}/events", tag = "events", request_body = NewEvent,
    params(("id" = Uuid, Path, description = "The club"),
           ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second meeting (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The new meeting", body = Event,
         headers(("Location" = String, description = "The meeting's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, or an Idempotency-Key used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let new: NewEvent = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            // What the new-meeting form starts from (the club's zone, the
            // kind) where the request leaves it out; this also refuses
            // whoever may not plan the club's meetings, as the form does.
            let defaults = db::new_event_fields(db, club, Some(&caller.me)).await?.form;
            let or = |given: String, default: String| {
                if given.trim().is_empty() {
                    default
                } else {
                    given
                }
            };
            let input = EventInput {
                title: new.title,
                description: new.description,
                date: new.date,
                time: new.time,
                time_zone: or(new.time_zone, defaults.time_zone),
                location: new.location,
                book: new.book,
                book_id: new.book_id.map(|id| id.to_string()).unwrap_or_default(),
                kind: or(new.kind, defaults.kind),
                max_attendees: new.max_attendees.map(|n| n.to_string()).unwrap_or_default(),
                is_public: new.is_public,
                // The API plans meetings without a host for now.
                host: String::new(),
            };
            let id = db::create_event(db, club, Some(&caller.me), &input).await?;
            let event = event_of(db, id, caller).await?;
            Ok(Created {
                location: format!("/api/v1/events/{id}"),
                body: serde_json::to_value(event).unwrap_or_default(),
            })
        })
        .await
    })
    .await
}

/// A meeting: one the caller may not see is a 404.
#[utoipa::path(
    get, operation_id = "get_event", path = "/events/{id}", tag = "events",
    params(("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting", body = Event, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let event = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        event_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &event))
}

/// The caller's answer to a meeting.
#[utoipa::path(
    get, operation_id = "get_my_rsvp", path = "/events/{id}/rsvp", tag = "events",
    params(("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The caller's answer", body = Rsvp, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, one the caller may not see, or no answer yet", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn my_rsvp(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let event = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        event_of(db, id, caller).await
    })
    .await?;
    let rsvp = event.my_rsvp.ok_or(crate::error::AppError::NotFound)?;
    Ok(reply::json(&parts, &rsvp))
}

/// Answers a meeting (or changes the answer). Saying available to a full
/// meeting puts the caller on its waitlist; the answer says where.
#[utoipa::path(
    put, operation_id = "put_my_rsvp", path = "/events/{id}/rsvp", tag = "events", request_body = RsvpAnswer,
    params(("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The caller's answer as saved", body = Rsvp, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member of the club, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cancelled, or already over", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn answer(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let answer: RsvpAnswer = request::body(&bytes)?;
    let status = answer.status.trim().to_owned();
    let saved = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        rsvp::answer(db, id, Some(&caller.me), &status, &answer.note).await?;
        let mine = rsvp::mine(db, id, caller.me.id)
            .await?
            .ok_or(crate::error::AppError::Internal)?;
        Ok(Rsvp {
            status: mine.status,
            note: mine.note,
            waitlist_position: mine.waitlist_position,
        })
    })
    .await?;
    crate::platform::metrics::rsvp(&status);
    Ok(reply::json(&parts, &saved))
}

/// Changes to a meeting: only the fields sent change (null clears one that
/// may be empty).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"time": "19:30", "location": "The reading room"}))]
pub struct EventChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    /// YYYY-MM-DD.
    pub date: Option<String>,
    /// HH:MM, 24-hour.
    pub time: Option<String>,
    pub time_zone: Option<String>,
    pub location: Option<String>,
    pub book: Option<String>,
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "request::sent_whole_number")]
    #[schema(value_type = Option<i32>)]
    pub max_attendees: Option<Option<i32>>,
    pub is_public: Option<bool>,
}

impl EventChanges {
    /// The meeting's current fields with these changes made.
    fn applied_to(self, mut f: EventInput) -> EventInput {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut f.title, self.title);
        set(&mut f.description, self.description);
        set(&mut f.date, self.date);
        set(&mut f.time, self.time);
        set(&mut f.time_zone, self.time_zone);
        set(&mut f.location, self.location);
        set(&mut f.book, self.book);
        set(&mut f.kind, self.kind);
        if let Some(max) = self.max_attendees {
            f.max_attendees = max.map(|n| n.to_string()).unwrap_or_default();
        }
        if let Some(is_public) = self.is_public {
            f.is_public = is_public;
        }
        f
    }
}

/// Changes a meeting (the club's organisers). Send `If-Match` with the ETag
/// you read to be refused (412) rather than overwrite someone else's change.
#[utoipa::path(
    patch, operation_id = "update_event", path = "/events/{id}", tag = "events", request_body = EventChanges,
    params(("id" = Uuid, Path, description = "The meeting"),
           ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "The meeting as changed", body = Event, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
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
    let changes: EventChanges = request::body(&bytes)?;
    let event = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Event, id).await?;
        let current = db::event_fields(db, id, Some(&caller.me)).await?.form;
        reply::check_if_match(&parts, &event_of(db, id, caller).await?)?;
        db::update_event(db, id, Some(&caller.me), &changes.applied_to(current)).await?;
        event_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &event))
}

/// Deletes a meeting with its answers and items (the club's organisers).
#[utoipa::path(
    delete, operation_id = "delete_event", path = "/events/{id}", tag = "events",
    params(("id" = Uuid, Path, description = "The meeting"),
           ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Event, id).await?;
        reply::check_if_match(&parts, &event_of(db, id, caller).await?)?;
        db::delete_event(db, id, Some(&caller.me)).await?;
        Ok(())
    })
    .await?;
    Ok(reply::no_content())
}

/// Cancels a meeting: it stays, marked cancelled, and its members are told
/// (once, however often it is asked).
#[utoipa::path(
    post, operation_id = "cancel_event", path = "/events/{id}/cancellation", tag = "events",
    params(("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn cancel(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    set_cancelled(&state, id, &parts, true).await
}

/// Puts a cancelled meeting back on.
#[utoipa::path(
    delete, operation_id = "restore_event", path = "/events/{id}/cancellation", tag = "events",
    params(("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 204, description = "Back on"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn restore(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    set_cancelled(&state, id, &parts, false).await
}

async fn set_cancelled(
    state: &AppState,
    id: Uuid,
    parts: &Parts,
    cancel: bool,
) -> Result<Response, ApiError> {
    as_token_holder(state, parts, Scope::Write, async |db, caller| {
        Ok(db::set_cancelled(db, id, Some(&caller.me), cancel).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// The caller's meetings to come, across their clubs, soonest first (at
/// most the next 20, as on the home page).
#[utoipa::path(
    get, operation_id = "list_my_events", path = "/me/events", tag = "events",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's meetings to come", body = paging::Page<EventItem>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn mine(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let events = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(lists::my_upcoming(db, &caller.me).await?)
    })
    .await?;
    let events = events.into_iter().map(EventItem::from).collect();
    let page = paging::page_of(events, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(of_club, create))
        .routes(routes!(read, update, delete))
        .routes(routes!(cancel, restore))
        .routes(routes!(my_rsvp, answer))
}
