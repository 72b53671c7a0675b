//! A club's bookshelf over the API: the shelf (`/api/v1/clubs/{id}/books`),
//! suggesting a book, a book, changing and removing it, and moving it
//! between shelves, through
//! `books::db` as the shelf's pages do.
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::idempotency::{self, Created};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply::{self, Held};
use super::request::{self, Id};
use crate::books::db;
use crate::books::model::{BookInput, BookView};
use crate::platform::state::AppState;

/// A book on a club's shelf.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "7c1e2b3f-4d4c-4e8a-8b7c-8d9e0f1a2b3c", "title": "Middlemarch", "authors": "George Eliot", "isbn13": "9780141439549", "cover_url": null, "pages": 880, "description": "", "shelf": "reading", "suggested_by": "Ann Lee", "started_on": "1 Dec 2026", "finished_on": null, "can_edit": true}))]
pub struct Book {
    pub id: Uuid,
    pub title: String,
    pub authors: String,
    pub isbn13: Option<String>,
    pub cover_url: Option<String>,
    pub pages: Option<i32>,
    pub description: String,
    /// reading, up_next, suggested or read.
    pub shelf: String,
    pub suggested_by: Option<String>,
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
    pub can_edit: bool,
}

impl From<BookView> for Book {
    fn from(b: BookView) -> Book {
        Book {
            id: b.id,
            title: b.title,
            authors: b.authors,
            isbn13: b.isbn13,
            cover_url: b.cover_url,
            pages: b.pages,
            description: b.description,
            shelf: b.shelf,
            suggested_by: b.suggested_by,
            started_on: b.started_on,
            finished_on: b.finished_on,
            can_edit: b.can_edit,
        }
    }
}

/// A book to suggest. Only `title` is needed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Middlemarch", "authors": "George Eliot", "isbn": "978-0-14-143954-9", "pages": 880}))]
pub struct NewBook {
    pub title: String,
    #[serde(default)]
    pub authors: String,
    /// ISBN-10 or ISBN-13, with or without hyphens.
    #[serde(default)]
    pub isbn: String,
    /// An https address of a cover image.
    #[serde(default)]
    pub cover_url: String,
    #[serde(default, deserialize_with = "request::whole_number")]
    pub pages: Option<i32>,
    #[serde(default)]
    pub description: String,
}

/// Where a book goes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shelf": "up_next"}))]
pub struct ShelfChoice {
    /// reading, up_next, suggested or read.
    pub shelf: String,
}

async fn book_of(db: &mut sqlx::PgConnection, id: Uuid, caller: &Caller) -> Result<Book, ApiError> {
    Ok(db::book_page(db, id, Some(&caller.me)).await?.book.into())
}

/// The club's shelf: reading now, up next, suggested, then read.
#[utoipa::path(
    get, operation_id = "list_club_books", path = "/clubs/{id}/books", tag = "books",
    params(("id" = Uuid, Path, description = "The club"), PageQuery),
    responses(
        (status = 200, description = "A page of books", body = Page<Book>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to see this club's shelf", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn shelf(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let shelf = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(db::shelf(db, club, Some(&caller.me)).await?)
    })
    .await?;
    let books = shelf.books.into_iter().map(Book::from).collect();
    let page = paging::page_of(books, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// Suggests a book for the club's shelf (its members).
#[utoipa::path(
    post, operation_id = "suggest_book", path = "/clubs/{id}/books", tag = "books", request_body = NewBook,
    params(("id" = Uuid, Path, description = "The club"),
           ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second book (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The book, on the suggested shelf", body = Book,
         headers(("Location" = String, description = "The book's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field (a book already on the shelf among them), or an Idempotency-Key used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn suggest(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let new: NewBook = request::body(&bytes)?;
    let input = BookInput {
        title: new.title,
        authors: new.authors,
        isbn: new.isbn,
        cover_url: new.cover_url,
        pages: new.pages.map(|n| n.to_string()).unwrap_or_default(),
        description: new.description,
    };
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            let id = db::suggest(db, club, Some(&caller.me), &input).await?;
            let book = book_of(db, id, caller).await?;
            Ok(Created {
                location: format!("/api/v1/books/{id}"),
                body: serde_json::to_value(book).unwrap_or_default(),
            })
        })
        .await
    })
    .await
}

/// A book.
#[utoipa::path(
    get, operation_id = "get_book", path = "/books/{id}", tag = "books",
    params(("id" = Uuid, Path, description = "The book")),
    responses(
        (status = 200, description = "The book", body = Book, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to see this club's shelf", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such book, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let book = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        book_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &book))
}

/// Moves a book to another shelf (the club's organisers).
#[utoipa::path(
    put, operation_id = "move_book", path = "/books/{id}/shelf", tag = "books", request_body = ShelfChoice,
    params(("id" = Uuid, Path, description = "The book")),
    responses(
        (status = 200, description = "The book, moved", body = Book, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such book, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It cannot move now (it is in an open poll)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a shelf", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn move_to(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let choice: ShelfChoice = request::body(&bytes)?;
    let book = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        db::move_to(db, id, Some(&caller.me), choice.shelf.trim()).await?;
        book_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &book))
}

/// Changes to a book: only the fields sent change (null clears the ISBN,
/// cover or pages).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pages": 904, "description": "A study of provincial life."}))]
pub struct BookChanges {
    pub title: Option<String>,
    pub authors: Option<String>,
    #[serde(default, deserialize_with = "request::sent")]
    #[schema(value_type = Option<String>)]
    pub isbn: Option<Option<String>>,
    #[serde(default, deserialize_with = "request::sent")]
    #[schema(value_type = Option<String>)]
    pub cover_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "request::sent_whole_number")]
    #[schema(value_type = Option<i32>)]
    pub pages: Option<Option<i32>>,
    pub description: Option<String>,
}

impl BookChanges {
    /// The book's current fields with these changes made.
    fn applied_to(self, mut f: BookInput) -> BookInput {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut f.title, self.title);
        set(&mut f.authors, self.authors);
        set(&mut f.isbn, self.isbn.map(Option::unwrap_or_default));
        set(
            &mut f.cover_url,
            self.cover_url.map(Option::unwrap_or_default),
        );
        set(
            &mut f.pages,
            self.pages
                .map(|p| p.map(|n| n.to_string()).unwrap_or_default()),
        );
        set(&mut f.description, self.description);
        f
    }
}

/// Changes a book's details (whoever the shelf's rules let: its organisers,
/// and the member who suggested it while it is a suggestion). Send
/// `If-Match` with the ETag you read to be refused (412) rather than
/// overwrite someone else's change.
#[utoipa::path(
    patch, operation_id = "update_book", path = "/books/{id}", tag = "books", request_body = BookChanges,
    params(("id" = Uuid, Path, description = "The book"),
           ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "The book as changed", body = Book, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to change this book, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such book, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field (or the same book on the shelf already)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let changes: BookChanges = request::body(&bytes)?;
    let book = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Book, id).await?;
        reply::check_if_match(&parts, &book_of(db, id, caller).await?)?;
        let current = db::book_form(db, id, Some(&caller.me)).await?.fields;
        db::edit(db, id, Some(&caller.me), &changes.applied_to(current)).await?;
        book_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &book))
}

/// Takes a book off the shelf (whoever the shelf's rules let; not while it
/// is in a poll).
#[utoipa::path(
    delete, operation_id = "delete_book", path = "/books/{id}", tag = "books",
    params(("id" = Uuid, Path, description = "The book"),
           ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on")),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to remove this book, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such book, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It is in a poll", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the ETag in If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        reply::hold(db, Held::Book, id).await?;
        reply::check_if_match(&parts, &book_of(db, id, caller).await?)?;
        // The method is the confirmation the page's ticked box gives.
        db::remove(db, id, Some(&caller.me), true).await?;
        Ok(())
    })
    .await?;
    Ok(reply::no_content())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(shelf, suggest))
        .routes(routes!(read, update, delete))
        .routes(routes!(move_to))
}
