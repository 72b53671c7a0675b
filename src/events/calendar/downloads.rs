//! Calendar downloads: one event's .ics, and each member's private feed of
//! the events of all their clubs, for Google, Apple or Outlook to subscribe to.
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::Utc;
use uuid::Uuid;

use super::db::{feed_event_ids, feed_owner, ics_events, poll_and_shelf_entries, reading_entries};
use super::ics::{calendar, IcsEvent};
use crate::auth::session::Auth;
use crate::error::{AppError, AppResult};
use crate::events::standing::event_standing;
use crate::platform::db::begin_as;
use crate::platform::state::AppState;
use crate::platform::tokens::hash_refresh_token;

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found.").into_response()
}

fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-cache".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `GET /events/{id}/calendar.ics`: whoever may see the event may download it;
/// for everyone else it does not exist.
pub async fn event_ics(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found();
    };
    let viewer = auth.0.as_ref().map(|c| &c.user);
    let result: AppResult<Vec<IcsEvent>> = async {
        let mut db = begin_as(&state.pool, viewer.map(|v| v.id)).await?;
        event_standing(&mut db, id, viewer).await?;
        ics_events(&mut db, &[id], &state.config.public_url).await
    }
    .await;
    match result {
        Ok(events) if !events.is_empty() => {
            let name = events[0].title.clone();
            ics_response(calendar(&name, &events, Utc::now()), "event.ics")
        }
        Err(err @ (AppError::Unavailable | AppError::Internal)) => failed(&err),
        _ => not_found(),
    }
}

/// A calendar app gets the status and a line of text, not a page.
fn failed(err: &AppError) -> Response {
    let status =
        StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, err.to_string()).into_response();
    if let Some(secs) = err.retry_after_secs() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, secs.into());
    }
    response
}

/// `GET /calendar/{token}/bookwork.ics`: the token's owner's events, the
/// last 90 days and everything ahead, of the clubs they belong to now; with
/// their clubs' polls' closing times, the days they started and finished
/// books, and their reading schedules' target dates.
pub async fn feed_ics(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let result: AppResult<Option<Vec<IcsEvent>>> = async {
        let hash = hash_refresh_token(&token);
        let Some(user) = crate::platform::db::in_transaction(&state.pool, async |db| {
            feed_owner(db, &hash).await
        })
        .await?
        else {
            return Ok(None);
        };
        // The token speaks for its owner: the database sees them as asking.
        let mut db = begin_as(&state.pool, Some(user)).await?;
        let ids = feed_event_ids(&mut db, user).await?;
        let origin = &state.config.public_url;
        let mut entries = ics_events(&mut db, &ids, origin).await?;
        entries.extend(poll_and_shelf_entries(&mut db, user, origin).await?);
        entries.extend(reading_entries(&mut db, user, origin).await?);
        Ok(Some(entries))
    }
    .await;
    match result {
        Ok(Some(events)) => ics_response(calendar("Bookwork", &events, Utc::now()), "bookwork.ics"),
        Ok(None) => not_found(),
        Err(err) => failed(&err),
    }
}
