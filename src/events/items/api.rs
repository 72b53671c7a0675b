//! Server functions for an event's items and tasks: add, edit, remove, set
//! an item's status, and my open tasks. Each one works out who is asking and
//! what they may do in its own body (see `events/authz.rs`).
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::model::validate_item;
use super::model::MyTask;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;

#[server(endpoint = "events/items/add")]
pub async fn add_item(
    event: Uuid,
    name: String,
    category: String,
    assignee: String,
    notes: String,
) -> Result<(), AppError> {
    let item = validate_item(&name, &category, &assignee, &notes);
    let said = format!("Added “{}”.", name.trim());
    as_viewer(async |db, me| super::db::add_item(db, event, me, item).await).await?;
    crate::platform::flash::say(said);
    Ok(())
}

#[server(endpoint = "events/items/edit")]
pub async fn edit_item(
    item: Uuid,
    name: String,
    category: String,
    assignee: String,
    notes: String,
) -> Result<(), AppError> {
    let fields = validate_item(&name, &category, &assignee, &notes);
    as_viewer(async |db, me| super::db::update_item(db, item, me, fields).await).await?;
    crate::platform::flash::say(format!("Saved “{}”.", name.trim()));
    Ok(())
}

#[server(endpoint = "events/items/delete")]
pub async fn remove_item(item: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::delete_item(db, item, me).await).await?;
    crate::platform::flash::say("The item is removed from the agenda.");
    Ok(())
}

#[server(endpoint = "events/items/status")]
pub async fn set_item_status(item: Uuid, status: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::set_status(db, item, me, status.trim()).await).await?;
    crate::platform::flash::say("The item's status is saved.");
    Ok(())
}

/// "I'll bring it": take on an unassigned task or material.
#[server(endpoint = "events/items/volunteer")]
pub async fn volunteer_for_item(item: Uuid) -> Result<(), AppError> {
    let name = as_viewer(async |db, me| super::db::volunteer(db, item, me).await).await?;
    crate::platform::flash::say(format!("Thank you! “{name}” is yours now."));
    Ok(())
}

#[server(endpoint = "events/my-tasks")]
pub async fn my_open_tasks() -> Result<Vec<MyTask>, AppError> {
    as_viewer(async |db, me| match me {
        Some(me) => crate::events::lists::my_open_tasks(db, me).await,
        None => Ok(Vec::new()),
    })
    .await
}
