//! The bookshelf as server functions; each one asks who is asking and what
//! they may do in its own body (`db.rs`, `authz.rs`).
use leptos::prelude::*;
use uuid::Uuid;

use super::model::{BookInput, BookPage, EditableBook, Lookup, Shelf};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

#[server(endpoint = "books/shelf")]
pub async fn club_shelf(club: Uuid) -> Result<Shelf, AppError> {
    let mut shelf = as_viewer(async |db, me| super::db::shelf(db, club, me).await).await?;
    let state = crate::platform::state::app_state()?;
    shelf.can_look_up = shelf.can_suggest && state.config.open_library.is_some();
    Ok(shelf)
}

/// A book's own page: the book, who suggested it, the meetings that
/// discussed it and the polls it was in.
#[server(endpoint = "books/view")]
pub async fn book_view(book: Uuid) -> Result<BookPage, AppError> {
    as_viewer(async |db, me| super::db::book_page(db, book, me).await).await
}

/// A book's page for changing it: its fields, and whether the viewer may
/// edit it, remove it or both.
#[server(endpoint = "books/edit-form")]
pub async fn book_form(book: Uuid) -> Result<EditableBook, AppError> {
    as_viewer(async |db, me| super::db::book_form(db, book, me).await).await
}

/// Looks a book up by ISBN or title (Open Library, when `OPEN_LIBRARY_URL`
/// is set), for someone who may suggest books to `club`.
#[server(endpoint = "books/look-up")]
pub async fn look_up_book(club: Uuid, query: String) -> Result<Lookup, AppError> {
    let query = query.trim().to_owned();
    if query.is_empty() {
        return Err(AppError::validation(
            "query",
            "Type an ISBN or a title to look up.",
        ));
    }
    if query.chars().count() > 200 {
        return Err(AppError::validation("query", "Use at most 200 characters."));
    }
    as_viewer(async |db, me| super::db::require_suggester(db, club, me).await).await?;
    let state = crate::platform::state::app_state()?;
    let Some(ol) = state.config.open_library.as_ref() else {
        return Ok(Lookup::Off);
    };
    Ok(match super::lookup::look_up(ol, &query).await {
        Ok(found) => Lookup::Found(found),
        Err(problem) => Lookup::Failed(problem.message().to_owned()),
    })
}

#[server(endpoint = "books/suggest")]
pub async fn suggest_book(club: Uuid, #[server(flatten)] input: BookInput) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::suggest(db, club, me, &input).await).await?;
    Ok(())
}

#[server(endpoint = "books/edit")]
pub async fn edit_book(book: Uuid, #[server(flatten)] input: BookInput) -> Result<(), AppError> {
    let club = as_viewer(async |db, me| super::db::edit(db, book, me, &input).await).await?;
    crate::platform::flash::say(format!("Saved “{}”.", input.title.trim()));
    leptos_axum::redirect(&format!("/clubs/{club}/books"));
    Ok(())
}

#[server(endpoint = "books/move")]
pub async fn move_book(book: Uuid, shelf: String) -> Result<(), AppError> {
    as_viewer(async |db, me| super::db::move_to(db, book, me, &shelf).await).await?;
    crate::platform::flash::say(format!(
        "Moved to “{}”.",
        super::model::shelf_label(shelf.trim())
    ));
    Ok(())
}

/// Removes a book from the shelf: `confirm` is the ticked box that says so
/// (`model::CONFIRMED`). Answers with the shelf.
#[server(endpoint = "books/remove")]
pub async fn remove_book(book: Uuid, confirm: Option<String>) -> Result<(), AppError> {
    let confirmed = confirm.as_deref() == Some(super::model::CONFIRMED);
    let club = as_viewer(async |db, me| super::db::remove(db, book, me, confirmed).await).await?;
    crate::platform::flash::say("The book is removed from the shelf.");
    leptos_axum::redirect(&format!("/clubs/{club}/books"));
    Ok(())
}
