//! `GET /clubs/{id}/record.zip`, `GET /me/writing.json` and
//! `GET /me/data.json`: downloads
//! asked for by a link, so a signed-out visitor is sent to sign in first
//! and comes back; a refusal is a line of text with its status.
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use uuid::Uuid;

use super::archive::{csv, zip};
use super::db::{club_record, writing, ClubRecord};
use crate::auth::pages::urlencode;
use crate::auth::session::Auth;
use crate::error::AppError;
use crate::platform::db::begin_as;
use crate::platform::state::AppState;

fn refused(err: &AppError, here: &str) -> Response {
    match err {
        AppError::Unauthorized => {
            Redirect::to(&format!("/login?next={}", urlencode(here))).into_response()
        }
        AppError::NotFound => (StatusCode::NOT_FOUND, "Not found.").into_response(),
        other => {
            let status = StatusCode::from_u16(other.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, other.to_string()).into_response()
        }
    }
}

fn download(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `GET /clubs/{id}/record.zip`, for the club's admins.
pub async fn club_record_zip(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Path(id): Path<String>,
) -> Response {
    let Ok(club) = id.parse::<Uuid>() else {
        return (StatusCode::NOT_FOUND, "Not found.").into_response();
    };
    let here = format!("/clubs/{club}/record.zip");
    let viewer = auth.0.as_ref().map(|c| &c.user);
    let Some(viewer) = viewer else {
        return refused(&AppError::Unauthorized, &here);
    };
    let result = async {
        let mut db = begin_as(&state.pool, Some(viewer.id)).await?;
        club_record(&mut db, club, Some(viewer)).await
    }
    .await;
    match result.and_then(|r| archive_of(&r).map_err(|_| AppError::Internal)) {
        Ok(bytes) => download("application/zip", "club-record.zip", bytes),
        Err(err) => refused(&err, &here),
    }
}

/// The record's files: all of it as JSON, and a CSV per table.
fn archive_of(r: &ClubRecord) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec_pretty(r).map_err(std::io::Error::other)?;
    let text = |s: &str| s.to_owned();
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let books: Vec<Vec<String>> = r
        .books
        .iter()
        .map(|b| {
            vec![
                text(&b.title),
                text(&b.authors),
                text(&b.shelf),
                text(&b.added_on),
                opt(&b.started_on),
                opt(&b.finished_on),
            ]
        })
        .collect();
    let schedule: Vec<Vec<String>> = r
        .schedule
        .iter()
        .map(|s| {
            vec![
                text(&s.book),
                s.position.to_string(),
                text(&s.title),
                text(&s.target_date),
            ]
        })
        .collect();
    let meetings: Vec<Vec<String>> = r
        .meetings
        .iter()
        .map(|m| {
            vec![
                text(&m.title),
                text(&m.date),
                text(&m.time),
                text(&m.time_zone),
                text(&m.location),
                text(&m.book),
                opt(&m.host),
                m.cancelled.to_string(),
                m.going.len().to_string(),
                m.going.join("; "),
                m.waitlisted.to_string(),
                m.maybe.to_string(),
                m.not_going.to_string(),
            ]
        })
        .collect();
    let mut rounds: Vec<Vec<String>> = Vec::new();
    for p in &r.book_polls {
        for (n, round) in p.rounds.iter().enumerate() {
            for (option, votes) in p.options.iter().zip(round) {
                rounds.push(vec![
                    text(&p.title),
                    (n + 1).to_string(),
                    text(option),
                    votes.map(|v| v.to_string()).unwrap_or_else(|| "out".into()),
                ]);
            }
        }
    }
    let dates: Vec<Vec<String>> = r
        .date_polls
        .iter()
        .map(|d| {
            vec![
                text(&d.poll),
                text(&d.date),
                text(&d.time),
                d.yes.to_string(),
                d.maybe.to_string(),
                d.no.to_string(),
            ]
        })
        .collect();
    let questions: Vec<Vec<String>> = r
        .questions
        .iter()
        .map(|q| {
            vec![
                text(&q.meeting),
                q.position.map(|p| p.to_string()).unwrap_or_default(),
                text(&q.text),
                opt(&q.about),
                opt(&q.suggested_by),
            ]
        })
        .collect();
    let readme = format!(
        "The record of {}, exported from Bookwork at {}.\r\n\r\n\
         record.json holds all of it. The CSV files hold one table each (UTF-8, comma-separated):\r\n\
         books.csv, schedule.csv, meetings.csv, poll_rounds.csv (book polls, votes per option\r\n\
         in each round of the count; \"out\" once eliminated), date_polls.csv and questions.csv.\r\n",
        r.club, r.exported_at
    );
    zip(&[
        ("README.txt", readme.into_bytes()),
        ("record.json", json),
        (
            "books.csv",
            csv(
                &[
                    "title",
                    "authors",
                    "shelf",
                    "added_on",
                    "started_on",
                    "finished_on",
                ],
                &books,
            )
            .into_bytes(),
        ),
        (
            "schedule.csv",
            csv(&["book", "position", "section", "target_date"], &schedule).into_bytes(),
        ),
        (
            "meetings.csv",
            csv(
                &[
                    "title",
                    "date",
                    "time",
                    "time_zone",
                    "location",
                    "book",
                    "host",
                    "cancelled",
                    "going_count",
                    "going",
                    "waitlisted",
                    "maybe",
                    "not_going",
                ],
                &meetings,
            )
            .into_bytes(),
        ),
        (
            "poll_rounds.csv",
            csv(&["poll", "round", "option", "votes"], &rounds).into_bytes(),
        ),
        (
            "date_polls.csv",
            csv(&["poll", "date", "time", "yes", "maybe", "no"], &dates).into_bytes(),
        ),
        (
            "questions.csv",
            csv(
                &["meeting", "position", "question", "about", "suggested_by"],
                &questions,
            )
            .into_bytes(),
        ),
    ])
}

/// `GET /me/writing.json`: everything the signed-in reader wrote.
pub async fn my_writing_json(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
) -> Response {
    let here = "/me/writing.json";
    let Some(viewer) = auth.0.as_ref().map(|c| &c.user) else {
        return refused(&AppError::Unauthorized, here);
    };
    let result = async {
        let mut db = begin_as(&state.pool, Some(viewer.id)).await?;
        writing(&mut db, Some(viewer)).await
    }
    .await;
    match result.and_then(|w| serde_json::to_vec_pretty(&w).map_err(|_| AppError::Internal)) {
        Ok(bytes) => download("application/json", "my-bookwork-writing.json", bytes),
        Err(err) => refused(&err, here),
    }
}

/// `GET /me/data.json`: everything Bookwork holds about the signed-in
/// person (`profile::account::export`).
pub async fn my_data_json(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
) -> Response {
    let here = "/me/data.json";
    let Some(viewer) = auth.0.as_ref().map(|c| &c.user) else {
        return refused(&AppError::Unauthorized, here);
    };
    let result = async {
        let mut db = begin_as(&state.pool, Some(viewer.id)).await?;
        crate::profile::account::export(&mut db, viewer.id).await
    }
    .await;
    match result.and_then(|d| serde_json::to_vec_pretty(&d).map_err(|_| AppError::Internal)) {
        Ok(bytes) => download("application/json", "my-bookwork-data.json", bytes),
        Err(err) => refused(&err, here),
    }
}
