//! The bookshelf in PostgreSQL. Every function works out the viewer's
//! standing in the club first (`BookAction` in `authz.rs`); row security
//! beneath says the same.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, BookAction};
use super::model::{BookInput, BookView, NewBook, Shelf, SHELVES};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{ClubAction, Decision};
use crate::clubs::db::{require, standing, Standing};
use crate::error::{AppError, AppResult};

/// The viewer's standing in `club`, allowed to do `action` (or the error
/// they should see).
async fn allowed(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    action: BookAction,
    refusal: &str,
) -> AppResult<Standing> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    require(decide(s.who, BookAction::View, s.is_public), refusal)?;
    require(decide(s.who, action, s.is_public), refusal)?;
    Ok(s)
}

/// The club a book is on (`NotFound` for a book the viewer may not see).
async fn club_of(db: &mut PgConnection, book: Uuid) -> AppResult<Uuid> {
    sqlx::query_scalar!("SELECT club_id FROM books WHERE id = $1", book)
        .fetch_optional(&mut *db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn shelf(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Shelf> {
    let s = allowed(
        db,
        club,
        viewer,
        BookAction::View,
        "You cannot see this club.",
    )
    .await?;
    let rows = sqlx::query!(
        r#"SELECT b.id, b.title, b.authors, b.isbn13, b.cover_url, b.pages, b.description, b.shelf,
                  u.name AS "suggested_by?",
                  to_char(b.started_on, 'FMDD Mon YYYY') AS started_on,
                  to_char(b.finished_on, 'FMDD Mon YYYY') AS finished_on,
                  COALESCE((SELECT jsonb_agg(jsonb_build_array(e.id, e.title, to_char(e.event_date, 'FMDD Mon YYYY'))
                                             ORDER BY e.starts_at)
                              FROM events e WHERE e.book_id = b.id AND e.cancelled_at IS NULL), '[]') AS "meetings!"
             FROM books b LEFT JOIN users u ON u.id = b.suggested_by
            WHERE b.club_id = $1
            ORDER BY b.shelved_at DESC, b.title"#,
        club
    )
    .fetch_all(&mut *db)
    .await?;
    let mut books: Vec<BookView> = rows
        .into_iter()
        .map(|r| BookView {
            id: r.id,
            title: r.title,
            authors: r.authors,
            isbn13: r.isbn13,
            cover_url: r.cover_url,
            pages: r.pages,
            description: r.description,
            shelf: r.shelf,
            suggested_by: r.suggested_by,
            started_on: r.started_on,
            finished_on: r.finished_on,
            meetings: serde_json::from_value(r.meetings).unwrap_or_default(),
        })
        .collect();
    // Shelf by shelf, newest first within each.
    books.sort_by_key(|b| SHELVES.iter().position(|(s, _)| *s == b.shelf));
    let may = |action| decide(s.who, action, s.is_public) == Decision::Allow;
    // Who suggested what tells who is in the club: only for those who may
    // see the member list.
    let names =
        crate::clubs::authz::decide(s.who, ClubAction::ListMembers, s.is_public) == Decision::Allow;
    if !names {
        for b in &mut books {
            b.suggested_by = None;
        }
    }
    Ok(Shelf {
        club_id: club,
        club_name: s.name.clone(),
        books,
        can_suggest: may(BookAction::Suggest),
        can_manage: may(BookAction::Manage),
        can_remove: may(BookAction::Remove),
    })
}

/// Refuses a second copy of the same ISBN on one club's shelf.
async fn not_on_the_shelf(
    db: &mut PgConnection,
    club: Uuid,
    book: &NewBook,
    except: Option<Uuid>,
) -> AppResult<()> {
    if let Some(isbn) = &book.isbn13 {
        let taken = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM books WHERE club_id = $1 AND isbn13 = $2
                                AND id IS DISTINCT FROM $3) AS "taken!""#,
            club,
            isbn,
            except
        )
        .fetch_one(&mut *db)
        .await?;
        if taken {
            return Err(AppError::validation(
                "isbn",
                "This book is already on the club's shelf.",
            ));
        }
    }
    Ok(())
}

pub async fn suggest(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    input: &BookInput,
) -> AppResult<Uuid> {
    allowed(
        db,
        club,
        viewer,
        BookAction::Suggest,
        "Join the club to suggest books.",
    )
    .await?;
    let book = input.validate()?;
    not_on_the_shelf(db, club, &book, None).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO books (club_id, title, authors, isbn13, cover_url, pages, description, suggested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (club_id, isbn13) DO NOTHING RETURNING id",
        club,
        book.title,
        book.authors,
        book.isbn13,
        book.cover_url,
        book.pages,
        book.description,
        viewer.map(|v| v.id)
    )
    .fetch_optional(&mut *db)
    .await?
    // Someone suggested the same ISBN at the same moment.
    .ok_or_else(|| AppError::validation("isbn", "This book is already on the club's shelf."))?;
    Ok(id)
}

pub async fn edit(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    input: &BookInput,
) -> AppResult<Uuid> {
    let club = club_of(db, book).await?;
    allowed(db, club, viewer, BookAction::Manage, MANAGERS_ONLY).await?;
    let new = input.validate()?;
    not_on_the_shelf(db, club, &new, Some(book)).await?;
    sqlx::query!(
        "UPDATE books SET title = $2, authors = $3, isbn13 = $4, cover_url = $5, pages = $6, description = $7
          WHERE id = $1",
        book,
        new.title,
        new.authors,
        new.isbn13,
        new.cover_url,
        new.pages,
        new.description
    )
    .execute(&mut *db)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
        // The same ISBN was saved onto another book at the same moment.
        Some(code) if code == "23505" => {
            AppError::validation("isbn", "This book is already on the club's shelf.")
        }
        _ => AppError::from(e),
    })?;
    Ok(club)
}

const MANAGERS_ONLY: &str = "Only the club's moderators, admins and owner manage the shelf.";

/// Moves a book to another shelf. Starting to read it dates it (today in
/// the club's zone); so does finishing it.
pub async fn move_to(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    shelf: &str,
) -> AppResult<Uuid> {
    let club = club_of(db, book).await?;
    allowed(db, club, viewer, BookAction::Manage, MANAGERS_ONLY).await?;
    if !SHELVES.iter().any(|(s, _)| *s == shelf) {
        return Err(AppError::validation(
            "shelf",
            "Choose reading now, up next, suggested or read.",
        ));
    }
    sqlx::query!(
        "UPDATE books b
            SET shelf = $2,
                shelved_at = CASE WHEN b.shelf = $2 THEN b.shelved_at ELSE now() END,
                started_on = CASE WHEN $2 = 'reading' AND b.shelf <> 'reading'
                                  THEN (now() AT TIME ZONE c.time_zone)::date
                                  WHEN $2 IN ('suggested', 'up_next') THEN NULL
                                  ELSE b.started_on END,
                finished_on = CASE WHEN $2 = 'read' AND b.shelf <> 'read'
                                   THEN (now() AT TIME ZONE c.time_zone)::date
                                   WHEN $2 <> 'read' THEN NULL
                                   ELSE b.finished_on END
           FROM clubs c
          WHERE b.id = $1 AND c.id = b.club_id",
        book,
        shelf
    )
    .execute(&mut *db)
    .await?;
    Ok(club)
}

pub async fn remove(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let club = club_of(db, book).await?;
    allowed(
        db,
        club,
        viewer,
        BookAction::Remove,
        "Only the club's moderators, admins and owner remove books.",
    )
    .await?;
    // A poll's options and results are the club's record of a choice:
    // removing one of its books would rewrite them.
    let in_a_poll = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM poll_options WHERE book_id = $1) AS "in!""#,
        book
    )
    .fetch_one(&mut *db)
    .await?;
    if in_a_poll {
        return Err(AppError::Conflict(
            "This book is part of a poll, so it stays on the shelf (move it to another shelf instead)."
                .into(),
        ));
    }
    sqlx::query!("DELETE FROM books WHERE id = $1", book)
        .execute(&mut *db)
        .await?;
    Ok(club)
}

/// A book's fields for its edit form (managers only).
pub async fn book_form(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<(Uuid, String, BookInput)> {
    let club = club_of(db, book).await?;
    let s = allowed(db, club, viewer, BookAction::Manage, MANAGERS_ONLY).await?;
    let r = sqlx::query!(
        "SELECT title, authors, isbn13, cover_url, pages, description FROM books WHERE id = $1",
        book
    )
    .fetch_one(&mut *db)
    .await?;
    Ok((
        club,
        s.name,
        BookInput {
            title: r.title,
            authors: r.authors,
            isbn: r.isbn13.unwrap_or_default(),
            cover_url: r.cover_url.unwrap_or_default(),
            pages: r.pages.map(|p| p.to_string()).unwrap_or_default(),
            description: r.description,
        },
    ))
}
