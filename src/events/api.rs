//! Server functions for events and RSVPs (an event's items and tasks have
//! theirs in `items/api.rs`). Each one works out who is asking and what they
//! may do in its own body (see `authz.rs`).
use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ClubEvents, EventFields, EventInput, EventPage, EventSummary};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;

#[server(endpoint = "events/view")]
pub async fn get_event(id: Uuid) -> Result<EventPage, AppError> {
    as_viewer(async |db, me| super::page_data::event_page(db, id, me).await).await
}

#[server(endpoint = "events/of-club")]
pub async fn list_club_events(club: Uuid) -> Result<ClubEvents, AppError> {
    as_viewer(async |db, me| super::lists::club_events(db, club, me).await).await
}

#[server(endpoint = "events/new-form")]
pub async fn new_event_defaults(club: Uuid) -> Result<EventFields, AppError> {
    as_viewer(async |db, me| super::db::new_event_fields(db, club, me).await).await
}

#[server(endpoint = "events/edit-form")]
pub async fn event_form(id: Uuid) -> Result<EventFields, AppError> {
    as_viewer(async |db, me| super::db::event_fields(db, id, me).await).await
}

#[server(endpoint = "events/create")]
pub async fn create_event(club: Uuid, #[server(flatten)] form: EventInput) -> Result<(), AppError> {
    let id = as_viewer(async |db, me| super::db::create_event(db, club, me, &form).await).await?;
    crate::platform::flash::say("The meeting is planned. Members can answer now.");
    leptos_axum::redirect(&format!("/events/{id}"));
    Ok(())
}

#[server(endpoint = "events/update")]
pub async fn update_event(id: Uuid, #[server(flatten)] form: EventInput) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::update_event(db, id, me, &form).await).await?;
    crate::platform::flash::say("The meeting's details are saved.");
    leptos_axum::redirect(&format!("/events/{id}"));
    Ok(())
}

/// Cancels an event (`cancel = true`) or restores a cancelled one.
#[server(endpoint = "events/cancel")]
pub async fn cancel_event(id: Uuid, cancel: bool) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::set_cancelled(db, id, me, cancel).await).await?;
    crate::platform::flash::say(if cancel {
        "The meeting is cancelled. Members who answered can see it on the page."
    } else {
        "The meeting is back on."
    });
    Ok(())
}

#[server(endpoint = "events/delete")]
pub async fn delete_event(id: Uuid) -> Result<(), AppError> {
    let club = as_viewer(async |db, me| super::db::delete_event(db, id, me).await).await?;
    crate::platform::flash::say("The meeting is deleted.");
    leptos_axum::redirect(&format!("/clubs/{club}"));
    Ok(())
}

/// My answer to an event: available, maybe or unavailable, with a note.
#[server(endpoint = "events/rsvp")]
pub async fn answer_event(event: Uuid, status: String, note: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::rsvp::answer(db, event, me, status.trim(), &note).await)
        .await?;
    // Counted once committed.
    crate::platform::metrics::rsvp(status.trim());
    crate::platform::flash::say("Your answer is saved.");
    Ok(())
}

#[server(endpoint = "events/mine")]
pub async fn my_upcoming_events() -> Result<Vec<EventSummary>, AppError> {
    as_viewer(async |db, me| match me {
        Some(me) => super::lists::my_upcoming(db, me).await,
        None => Ok(Vec::new()),
    })
    .await
}
