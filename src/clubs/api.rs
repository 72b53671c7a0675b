use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ClubFields, ClubList, ClubSummary, ClubView, ReminderSettings};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

#[server(endpoint = "clubs/create")]
pub async fn create_club(#[server(flatten)] fields: ClubFields) -> Result<(), AppError> {
    crate::auth::server::require_user().await?;
    let id = as_viewer(async |db, me| {
        let me = me.ok_or(AppError::Unauthorized)?;
        super::db::create_club(db, me, &fields).await
    })
    .await?;
    crate::platform::flash::say(
        "Your club is ready. Invite people from its members page, or plan the first meeting.",
    );
    leptos_axum::redirect(&format!("/clubs/{id}"));
    Ok(())
}

#[server(endpoint = "clubs/view")]
pub async fn get_club(id: Uuid) -> Result<ClubView, AppError> {
    as_viewer(async |db, me| super::db::club_view(db, id, me).await).await
}

/// Clubs to discover: `sort` is `size`, `soon`, `name` or (for a search)
/// `match`; anything else is the default (`lists::DiscoverOrder::chosen`).
#[server(endpoint = "clubs/discover")]
pub async fn discover_clubs(
    search: String,
    tag: String,
    page: i64,
    sort: Option<String>,
) -> Result<ClubList, AppError> {
    let (search, tag) = (search.trim(), tag.trim());
    let searching = !(search.is_empty() && tag.is_empty());
    let order =
        super::lists::DiscoverOrder::chosen(sort.as_deref().unwrap_or("").trim(), searching);
    as_viewer(async |db, me| super::lists::discover(db, me, search, tag, order, page.max(1)).await)
        .await
}

#[server(endpoint = "clubs/mine")]
pub async fn my_clubs() -> Result<Vec<ClubSummary>, AppError> {
    as_viewer(async |db, me| match me {
        Some(me) => super::lists::my_clubs(db, me.id).await,
        None => Ok(Vec::new()),
    })
    .await
}

#[server(endpoint = "clubs/join")]
pub async fn join_club(id: Uuid) -> Result<(), AppError> {
    // Not require_user(): a hidden club must be a 404 even to visitors.
    as_viewer(async |db, me| super::db::join(db, id, me).await).await?;
    crate::platform::flash::say("You joined the club. Welcome!");
    Ok(())
}

#[server(endpoint = "clubs/leave")]
pub async fn leave_club(id: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::leave(db, id, me).await).await?;
    crate::platform::flash::say("You left the club.");
    Ok(())
}

#[server(endpoint = "clubs/edit-form")]
pub async fn editable_club(id: Uuid) -> Result<ClubFields, AppError> {
    as_viewer(async |db, me| super::db::club_form(db, id, me).await).await
}

#[server(endpoint = "clubs/update")]
pub async fn update_club(id: Uuid, #[server(flatten)] fields: ClubFields) -> Result<(), AppError> {
    let fields = ClubFields { id, ..fields };
    as_viewer(async |db, me| super::db::update_club(db, me, &fields).await).await?;
    crate::platform::flash::say("The club's details are saved.");
    leptos_axum::redirect(&format!("/clubs/{id}"));
    Ok(())
}

#[server(endpoint = "clubs/reminders")]
pub async fn club_reminders(club: Uuid) -> Result<ReminderSettings, AppError> {
    as_viewer(async |db, me| super::db::reminder_settings(db, club, me).await).await
}

/// Saves when the club's members are reminded of meetings (no boxes ticked:
/// no reminders).
#[server(endpoint = "clubs/reminders/save")]
pub async fn save_club_reminders(
    club: Uuid,
    minutes: Option<Vec<String>>,
    remind_unanswered: Option<String>,
) -> Result<(), AppError> {
    let minutes = minutes.unwrap_or_default();
    as_viewer(async |db, me| {
        super::db::save_reminder_settings(db, club, me, &minutes, remind_unanswered.is_some()).await
    })
    .await
}

/// Deletes a club with its events, their items and RSVPs. The owner (or a
/// site admin) confirms by typing the club's name.
#[server(endpoint = "clubs/delete")]
pub async fn delete_club(id: Uuid, confirm_name: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::delete_club(db, id, me, confirm_name.trim()).await).await?;
    crate::platform::flash::say(format!("{} is deleted.", confirm_name.trim()));
    leptos_axum::redirect("/clubs");
    Ok(())
}
