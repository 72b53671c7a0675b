//! Date polls over the API: proposing dates (`POST /api/v1/clubs/{id}/date-polls`),
//! answering them (`PUT /api/v1/polls/{id}/answers`) and planning the
//! meeting on the chosen date (`POST /api/v1/polls/{id}/meeting`), through
//! `polls::dates` as the date poll's pages do. A date poll is read like any
//! poll (`GET /api/v1/polls/{id}`, with its `dates`).
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Scope};
use super::events::{event_of, Event};
use super::idempotency;
use super::polls::{created, poll_of, Poll};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request::{self, Id};
use crate::error::AppError;
use crate::platform::state::AppState;
use crate::polls::dates::model::{DatePollInput, MAX_DATES};
use crate::polls::dates::{db, planning};

/// A date and time to propose, in the club's zone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// YYYY-MM-DD.
    pub date: String,
    /// HH:MM, 24-hour.
    pub time: String,
}

/// A date poll to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "When shall we meet in January?", "place": "The tea room", "book_id": null, "closes_date": "2026-12-20", "closes_time": "20:00", "slots": [{"date": "2027-01-08", "time": "19:00"}, {"date": "2027-01-09", "time": "15:00"}]}))]
pub struct NewDatePoll {
    pub title: String,
    #[serde(default)]
    pub place: String,
    /// A book from the club's shelf the meeting will be about.
    #[serde(default)]
    pub book_id: Option<Uuid>,
    /// When it closes, in the club's zone: YYYY-MM-DD.
    pub closes_date: String,
    /// HH:MM, 24-hour.
    pub closes_time: String,
    /// 2 to 12 dates, in the club's zone.
    #[schema(min_items = 2, max_items = 12)]
    pub slots: Vec<Slot>,
}

/// The caller's answer to one date.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateAnswer {
    pub option: Uuid,
    /// yes, maybe ("if need be") or no.
    pub answer: String,
}

/// The caller's answers (dates left out keep the answer they had).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": [{"option": "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "answer": "yes"}, {"option": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", "answer": "maybe"}]}))]
pub struct DateAnswers {
    pub answers: Vec<DateAnswer>,
}

/// The meeting to plan on one of the poll's dates: the date, time, zone,
/// place and book come from the poll; the rest may be given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"option_id": "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "title": "January meeting", "max_attendees": 12}))]
pub struct PlanMeeting {
    /// The chosen date.
    pub option_id: Uuid,
    /// Defaults to the poll's title.
    pub title: Option<String>,
    pub description: Option<String>,
    /// Defaults to the poll's place.
    pub location: Option<String>,
    /// discussion, meeting, social, planning or other.
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "request::whole_number")]
    pub max_attendees: Option<i32>,
    pub is_public: Option<bool>,
}

/// Proposes dates for the next meeting (the club's organisers); members
/// say yes, if need be, or no to each.
#[utoipa::path(
    post, operation_id = "create_date_poll", path = "/clubs/{id}/date-polls", tag = "polls", request_body = NewDatePoll,
    params(("id" = Uuid, Path, description = "The club"),
           ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second poll (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The new date poll", body = Poll,
         headers(("Location" = String, description = "The poll's address"), ("ETag" = String))),
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
    let new: NewDatePoll = request::body(&bytes)?;
    if new.slots.len() > MAX_DATES {
        return Err(
            AppError::validation("slots", format!("Propose at most {MAX_DATES} dates.")).into(),
        );
    }
    // As the form sends its rows: slot_date[row-1], slot_time[row-1], …
    let row = |i: usize| format!("row-{}", i + 1);
    let input = DatePollInput {
        title: new.title,
        place: new.place,
        book: new.book_id.map(|b| b.to_string()).unwrap_or_default(),
        date: new.closes_date,
        time: new.closes_time,
        slot_dates: new
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (row(i), s.date.clone()))
            .collect(),
        slot_times: new
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (row(i), s.time.clone()))
            .collect(),
    };
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            let id = db::create(db, club, Some(&caller.me), &input).await?;
            created(db, id, caller).await
        })
        .await
    })
    .await
}

/// Answers the dates of an open date poll (the club's members).
#[utoipa::path(
    put, operation_id = "put_my_date_answers", path = "/polls/{id}/answers", tag = "polls", request_body = DateAnswers,
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The poll with the answers counted", body = Poll, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The poll is closed, or not a date poll", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date not in this poll, an answer that is none, or no answer at all", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn answer(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let sent: DateAnswers = request::body(&bytes)?;
    // As the answer form sends them: answer[option-<id>] = yes, maybe or no.
    let answers: HashMap<String, String> = sent
        .answers
        .iter()
        .map(|a| (format!("option-{}", a.option), a.answer.clone()))
        .collect();
    if answers.len() != sent.answers.len() {
        return Err(AppError::validation("answers", "Answer each date at most once.").into());
    }
    let poll: Poll = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        db::answer(db, id, Some(&caller.me), &answers).await?;
        poll_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &poll))
}

/// Plans the meeting on one of the poll's dates (the club's organisers):
/// the meeting is made, linked to the poll, and the poll closed, at once.
/// Of two organisers planning at once, one makes the meeting.
#[utoipa::path(
    post, operation_id = "plan_meeting", path = "/polls/{id}/meeting", tag = "polls", request_body = PlanMeeting,
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 201, description = "The meeting", body = Event,
         headers(("Location" = String, description = "The meeting's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll or date, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Planned already, or not a date poll", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn plan(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let plan: PlanMeeting = request::body(&bytes)?;
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        let mut form = planning::plan_form(db, id, plan.option_id, Some(&caller.me))
            .await?
            .fields
            .form;
        let set = |field: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut form.title, plan.title);
        set(&mut form.description, plan.description);
        set(&mut form.location, plan.location);
        set(&mut form.kind, plan.kind);
        if let Some(max) = plan.max_attendees {
            form.max_attendees = max.to_string();
        }
        if let Some(is_public) = plan.is_public {
            form.is_public = is_public;
        }
        let event = planning::plan(db, id, Some(&caller.me), &form).await?;
        let body = serde_json::to_value(event_of(db, event, caller).await?).unwrap_or_default();
        Ok(reply::stored(
            http::StatusCode::CREATED,
            Some(&format!("/api/v1/events/{event}")),
            &body,
        ))
    })
    .await
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(answer))
        .routes(routes!(plan))
}
