//! Book polls as server functions; each asks who is asking and what they may
//! do in its own body (`db.rs`, `authz.rs`).
use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ClubPolls, NewPollForm, PollPage, PollWaiting};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

#[server(endpoint = "polls/new-form")]
pub async fn poll_form(club: Uuid) -> Result<NewPollForm, AppError> {
    as_viewer(async |db, me| super::db::new_poll_form(db, club, me).await).await
}

/// Opens a poll over the ticked books; answers with its page.
#[server(endpoint = "polls/create")]
pub async fn create_poll(
    club: Uuid,
    title: String,
    date: String,
    time: String,
    books: Option<Vec<String>>,
    results_live: Option<String>,
) -> Result<(), AppError> {
    let books = books.unwrap_or_default();
    let poll = super::db::NewPoll {
        title: &title,
        date: &date,
        time: &time,
        books: &books,
        results_live: results_live.is_some(),
    };
    let id = as_viewer(async |db, me| super::db::create(db, club, me, &poll).await).await?;
    leptos_axum::redirect(&format!("/polls/{id}"));
    Ok(())
}

#[server(endpoint = "polls/view")]
pub async fn get_poll(id: Uuid) -> Result<PollPage, AppError> {
    as_viewer(async |db, me| super::db::page(db, id, me).await).await
}

#[server(endpoint = "polls/of-club")]
pub async fn polls_of_club(club: Uuid) -> Result<ClubPolls, AppError> {
    as_viewer(async |db, me| super::db::club_polls(db, club, me).await).await
}

/// Casts or changes the viewer's ballot: `rank[<option id>]` = "1", "2", …
/// or empty for "not ranked".
#[server(endpoint = "polls/vote")]
pub async fn vote(poll: Uuid, rank: Option<HashMap<String, String>>) -> Result<(), AppError> {
    let rank = rank.unwrap_or_default();
    as_viewer(async |db, me| super::db::vote(db, poll, me, &rank).await).await
}

#[server(endpoint = "polls/close")]
pub async fn close_poll(poll: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::close(db, poll, me).await).await
}

/// Moves the winner of a closed poll to the club's "up next" shelf.
#[server(endpoint = "polls/next-read")]
pub async fn make_next_read(poll: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::make_next_read(db, poll, me).await).await?;
    Ok(())
}

/// For the home page: open polls waiting for the viewer's vote (none for a
/// visitor).
#[server(endpoint = "polls/waiting")]
pub async fn polls_waiting() -> Result<Vec<PollWaiting>, AppError> {
    as_viewer(async |db, me| match me {
        Some(me) => super::db::waiting_for(db, me).await,
        None => Ok(Vec::new()),
    })
    .await
}
