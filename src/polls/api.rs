//! Polls as server functions; each asks who is asking and what they may do
//! in its own body (`db.rs`, `nominations.rs`, `authz.rs`). A date poll's
//! are in `dates/api.rs`.
use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ClubPolls, NewPollForm, PollInput, PollPage, PollWaiting};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

#[server(endpoint = "polls/new-form")]
pub async fn poll_form(club: Uuid) -> Result<NewPollForm, AppError> {
    as_viewer(async |db, me| super::db::new_poll_form(db, club, me).await).await
}

/// Opens a poll over the ticked books; answers with its page.
#[server(endpoint = "polls/create")]
pub async fn create_poll(club: Uuid, #[server(flatten)] poll: PollInput) -> Result<(), AppError> {
    let id = as_viewer(async |db, me| super::db::create(db, club, me, &poll).await).await?;
    crate::platform::flash::say("The poll is open. Members can take part from the club page.");
    leptos_axum::redirect(&format!("/polls/{id}"));
    Ok(())
}

#[server(endpoint = "polls/view")]
pub async fn get_poll(id: Uuid) -> Result<PollPage, AppError> {
    as_viewer(async |db, me| super::page_data::page(db, id, me).await).await
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
    as_viewer(async |db, me| super::db::close(db, poll, me).await).await?;
    crate::platform::flash::say("The poll is closed. Its results are below.");
    Ok(())
}

/// Deletes a poll with its options, ballots and answers: `confirm` is the
/// ticked box that says so (`books::model::CONFIRMED`). Answers with the
/// club's page.
#[server(endpoint = "polls/delete")]
pub async fn delete_poll(poll: Uuid, confirm: Option<String>) -> Result<(), AppError> {
    let confirmed = confirm.as_deref() == Some(crate::books::model::CONFIRMED);
    let club = as_viewer(async |db, me| super::db::delete(db, poll, me, confirmed).await).await?;
    crate::platform::flash::say("The poll is deleted.");
    leptos_axum::redirect(&format!("/clubs/{club}"));
    Ok(())
}

/// Moves the winner of a closed poll to the club's "up next" shelf.
#[server(endpoint = "polls/next-read")]
pub async fn make_next_read(poll: Uuid) -> Result<(), AppError> {
    let (title, replaced) =
        as_viewer(async |db, me| super::db::make_next_read(db, poll, me).await).await?;
    let back = match replaced.as_slice() {
        [] => String::new(),
        [one] => format!(" “{one}” went back to the suggestions."),
        many => format!(" {} books went back to the suggestions.", many.len()),
    };
    crate::platform::flash::say(format!("“{title}” is your club's next read.{back}"));
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

/// Puts a book forward while the poll takes nominations: one from the shelf
/// (`book`), or a new one by `title` and `authors`.
#[server(endpoint = "polls/nominate")]
pub async fn nominate(
    poll: Uuid,
    book: Option<String>,
    title: Option<String>,
    authors: Option<String>,
) -> Result<(), AppError> {
    let new_book = crate::books::model::BookInput {
        title: title.unwrap_or_default(),
        authors: authors.unwrap_or_default(),
        ..Default::default()
    };
    let book = book.unwrap_or_default();
    as_viewer(async |db, me| super::nominations::nominate(db, poll, me, &book, &new_book).await)
        .await
}

/// Ends the nominations and opens the voting.
#[server(endpoint = "polls/start-voting")]
pub async fn start_voting(poll: Uuid) -> Result<(), AppError> {
    as_viewer(async |db, me| super::nominations::start_voting(db, poll, me).await).await?;
    crate::platform::flash::say("Nominations are closed and voting is open.");
    Ok(())
}
