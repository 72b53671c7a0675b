//! The bookshelf as server functions; each one asks who is asking and what
//! they may do in its own body (`db.rs`, `authz.rs`).
use leptos::prelude::*;
use uuid::Uuid;

use super::model::{BookInput, EditableBook, Shelf};
#[cfg(feature = "ssr")]
use crate::auth::server::as_viewer;
use crate::error::AppError;

#[server(endpoint = "books/shelf")]
pub async fn club_shelf(club: Uuid) -> Result<Shelf, AppError> {
    as_viewer(async |db, me| super::db::shelf(db, club, me).await).await
}

/// A book's page for changing it: its fields, and whether the viewer may
/// edit it, remove it or both.
#[server(endpoint = "books/edit-form")]
pub async fn book_form(book: Uuid) -> Result<EditableBook, AppError> {
    as_viewer(async |db, me| super::db::book_form(db, book, me).await).await
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
