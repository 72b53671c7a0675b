use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ClubFields, ClubList, ClubSummary, ClubView, JoinRequestRow, ReminderSettings};
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

/// Asks to join a club that takes new members by request, with a note to
/// its admins (who are told).
#[server(endpoint = "clubs/ask")]
pub async fn ask_to_join(id: Uuid, message: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::join_requests::ask(db, id, me, &message).await).await?;
    crate::platform::flash::say(
        "Your request is with the club's admins. We'll let you know when they answer.",
    );
    Ok(())
}

#[server(endpoint = "clubs/ask/withdraw")]
pub async fn withdraw_join_request(id: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::join_requests::withdraw(db, id, me).await).await?;
    crate::platform::flash::say("You withdrew your request to join.");
    Ok(())
}

/// The club's waiting requests to join, for its admins.
#[server(endpoint = "clubs/requests")]
pub async fn join_requests(club: Uuid) -> Result<Vec<JoinRequestRow>, AppError> {
    as_viewer(async |db, me| super::join_requests::waiting(db, club, me).await).await
}

/// Approves (`answer` = "approve") or declines ("decline") a request to
/// join; the asker is told either way.
#[server(endpoint = "clubs/requests/answer")]
pub async fn answer_join_request(
    club: Uuid,
    request: Uuid,
    answer: String,
) -> Result<(), AppError> {
    let (name, approve) = as_viewer(async |db, me| {
        super::join_requests::answer(db, club, request, me, &answer).await
    })
    .await?;
    crate::platform::flash::say(if approve {
        format!("{name} is now a member. We've let them know.")
    } else {
        format!("You declined {name}'s request. We've let them know.")
    });
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
