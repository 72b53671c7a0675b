// Server functions take one argument per form field, so a form with many
// fields means many arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ClubFields, ClubList, ClubSummary, ClubView};
use crate::error::AppError;

#[server(endpoint = "clubs/create")]
pub async fn create_club(
    name: String,
    description: String,
    is_public: Option<String>,
    max_members: String,
    meeting_frequency: String,
    current_book: String,
    location: String,
    tags: String,
    time_zone: Option<String>,
) -> Result<(), AppError> {
    let fields = ClubFields {
        id: Uuid::nil(),
        name,
        description,
        is_public: is_public.is_some(),
        max_members,
        meeting_frequency,
        current_book,
        location,
        tags,
        time_zone: time_zone.unwrap_or_default(),
    };
    let me = crate::auth::server::require_user().await?;
    let state = crate::platform::state::app_state()?;
    let id = super::db::create_club(&state.pool, &me.user, &fields).await?;
    leptos_axum::redirect(&format!("/clubs/{id}"));
    Ok(())
}

#[server(endpoint = "clubs/view")]
pub async fn get_club(id: Uuid) -> Result<ClubView, AppError> {
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::club_view(&state.pool, id, me.as_ref()).await
}

#[server(endpoint = "clubs/discover")]
pub async fn discover_clubs(search: String, tag: String, page: i64) -> Result<ClubList, AppError> {
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::discover(
        &state.pool,
        me.as_ref(),
        search.trim(),
        tag.trim(),
        page.max(1),
    )
    .await
}

#[server(endpoint = "clubs/mine")]
pub async fn my_clubs() -> Result<Vec<ClubSummary>, AppError> {
    let Some(me) = crate::auth::server::viewer().await? else {
        return Ok(Vec::new());
    };
    let state = crate::platform::state::app_state()?;
    super::db::my_clubs(&state.pool, me.id).await
}

#[server(endpoint = "clubs/join")]
pub async fn join_club(id: Uuid) -> Result<(), AppError> {
    // Not require_user(): a hidden club must be a 404 even to visitors.
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::join(&state.pool, id, me.as_ref()).await
}

#[server(endpoint = "clubs/leave")]
pub async fn leave_club(id: Uuid) -> Result<(), AppError> {
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::leave(&state.pool, id, me.as_ref()).await
}

#[server(endpoint = "clubs/edit-form")]
pub async fn editable_club(id: Uuid) -> Result<ClubFields, AppError> {
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::club_form(&state.pool, id, me.as_ref()).await
}

#[server(endpoint = "clubs/update")]
pub async fn update_club(
    id: Uuid,
    name: String,
    description: String,
    is_public: Option<String>,
    max_members: String,
    meeting_frequency: String,
    current_book: String,
    location: String,
    tags: String,
    time_zone: Option<String>,
) -> Result<(), AppError> {
    let fields = ClubFields {
        id,
        name,
        description,
        is_public: is_public.is_some(),
        max_members,
        meeting_frequency,
        current_book,
        location,
        tags,
        time_zone: time_zone.unwrap_or_default(),
    };
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::update_club(&state.pool, me.as_ref(), &fields).await?;
    leptos_axum::redirect(&format!("/clubs/{id}"));
    Ok(())
}

/// Deletes a club with its events, their items and RSVPs. The owner (or a
/// site admin) confirms by typing the club's name.
#[server(endpoint = "clubs/delete")]
pub async fn delete_club(id: Uuid, confirm_name: String) -> Result<(), AppError> {
    let me = crate::auth::server::viewer().await?;
    let state = crate::platform::state::app_state()?;
    super::db::delete_club(&state.pool, id, me.as_ref(), confirm_name.trim()).await?;
    leptos_axum::redirect("/clubs");
    Ok(())
}
