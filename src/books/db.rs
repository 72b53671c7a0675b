//! The bookshelf in PostgreSQL. Every function works out the viewer's
//! standing in the club first (`access.rs`, asking `BookAction` in
//! `authz.rs`); row security beneath says the same.
use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{
    allowed, changeable, facts, may_change, seen, unchanged, BookFacts, IN_A_POLL, MOVERS_ONLY,
};
use super::authz::{decide, BookAction};
use super::model::{BookInput, BookPage, BookView, EditableBook, NewBook, Shelf, SHELVES};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{ClubAction, Decision};
use crate::clubs::standing::Standing;
use crate::error::{AppError, AppResult};

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
    let books = shelf_books(db, &s, club, viewer, None).await?;
    let may = |action| decide(s.who, action, s.is_public) == Decision::Allow;
    Ok(Shelf {
        club_id: club,
        club_name: s.name.clone(),
        books,
        can_suggest: may(BookAction::Suggest),
        can_look_up: false,
        can_move: may(BookAction::Move),
    })
}

/// The books of `club`'s shelf as `viewer` (whose standing is `s`) sees
/// them, shelf by shelf; only the book `only`, when given (a book's page).
async fn shelf_books(
    db: &mut PgConnection,
    s: &Standing,
    club: Uuid,
    viewer: Option<&SessionUser>,
    only: Option<Uuid>,
) -> AppResult<Vec<BookView>> {
    let rows = sqlx::query!(
        r#"SELECT b.id, b.title, b.authors, b.isbn13, b.cover_url, b.pages, b.description, b.shelf,
                  u.name AS "suggested_by?",
                  to_char(b.started_on, 'FMDD Mon YYYY') AS started_on,
                  to_char(b.finished_on, 'FMDD Mon YYYY') AS finished_on,
                  COALESCE((SELECT jsonb_agg(jsonb_build_array(e.id, e.title, to_char(e.event_date, 'FMDD Mon YYYY'))
                                             ORDER BY e.starts_at)
                              FROM events e WHERE e.book_id = b.id AND e.cancelled_at IS NULL), '[]') AS "meetings!",
                  COALESCE(b.suggested_by = $2, false) AS "mine!",
                  COALESCE(polled.open, false) AS "in_open_poll!",
                  polled.book_id IS NOT NULL AS "in_a_poll!"
             FROM books b LEFT JOIN users u ON u.id = b.suggested_by
             LEFT JOIN bookwork_private.club_polled_books($1) polled ON polled.book_id = b.id
            WHERE b.club_id = $1 AND ($3::uuid IS NULL OR b.id = $3)
            ORDER BY b.shelved_at DESC, b.title"#,
        club,
        viewer.map(|v| v.id),
        only
    )
    .fetch_all(&mut *db)
    .await?;
    let mut books: Vec<BookView> = rows
        .into_iter()
        .map(|r| {
            let facts = BookFacts {
                club,
                shelf: r.shelf.clone(),
                mine: r.mine,
                in_open_poll: r.in_open_poll,
                in_a_poll: r.in_a_poll,
            };
            let can_edit = may_change(s, &facts, BookAction::Edit).is_ok();
            let can_remove = may_change(s, &facts, BookAction::Remove).is_ok() && !r.in_a_poll;
            BookView {
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
                can_edit,
                can_remove,
            }
        })
        .collect();
    // Shelf by shelf, newest first within each.
    books.sort_by_key(|b| SHELVES.iter().position(|(s, _)| *s == b.shelf));
    // Who suggested what tells who is in the club: only for those who may
    // see the member list.
    let names =
        crate::clubs::authz::decide(s.who, ClubAction::ListMembers, s.is_public) == Decision::Allow;
    if !names {
        for b in &mut books {
            b.suggested_by = None;
        }
    }
    Ok(books)
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
    // The same title by the same authors (in any case), ISBN or not: the
    // shelf says where it already is. (A title alone is not enough: two
    // books may share one.)
    let twin = sqlx::query!(
        r#"SELECT title, shelf FROM books
            WHERE club_id = $1 AND lower(title) = lower($2)
              AND lower(authors) = lower($3)
              AND id IS DISTINCT FROM $4
            LIMIT 1"#,
        club,
        book.title,
        book.authors,
        except
    )
    .fetch_optional(&mut *db)
    .await?;
    if let Some(twin) = twin {
        return Err(AppError::validation(
            "title",
            format!(
                "“{}” is already on the club's shelf, under “{}”.",
                twin.title,
                super::model::shelf_label(&twin.shelf)
            ),
        ));
    }
    Ok(())
}

/// Whether `viewer` may suggest books to `club` (and so look them up).
pub async fn require_suggester(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    allowed(
        db,
        club,
        viewer,
        BookAction::Suggest,
        "Join the club to suggest books.",
    )
    .await?;
    Ok(())
}

pub async fn suggest(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    input: &BookInput,
) -> AppResult<Uuid> {
    require_suggester(db, club, viewer).await?;
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
    let (_, b) = changeable(db, book, viewer, BookAction::Edit).await?;
    let new = input.validate()?;
    not_on_the_shelf(db, b.club, &new, Some(book)).await?;
    let changed = sqlx::query!(
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
    })?
    .rows_affected();
    if changed != 1 {
        return Err(unchanged(db, book, viewer, BookAction::Edit).await);
    }
    Ok(b.club)
}

/// Moves a book to another shelf. Starting to read it dates it (today in
/// the club's zone); so does finishing it.
pub async fn move_to(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    shelf: &str,
) -> AppResult<Uuid> {
    let b = facts(db, book, viewer).await?;
    allowed(db, b.club, viewer, BookAction::Move, MOVERS_ONLY).await?;
    if !SHELVES.iter().any(|(s, _)| *s == shelf) {
        return Err(AppError::validation(
            "shelf",
            "Choose reading now, up next, suggested or read.",
        ));
    }
    let moved = sqlx::query!(
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
    .await?
    .rows_affected();
    if moved != 1 {
        return Err(unchanged(db, book, viewer, BookAction::Move).await);
    }
    Ok(b.club)
}

/// Removes a book from the shelf, once the viewer has ticked the box that
/// confirms it. A poll's options and results are the club's record of a
/// choice: a book in a poll stays.
pub async fn remove(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    confirmed: bool,
) -> AppResult<Uuid> {
    let (_, b) = changeable(db, book, viewer, BookAction::Remove).await?;
    if !confirmed {
        return Err(AppError::validation(
            "confirm",
            "Tick the box to confirm that the book should go.",
        ));
    }
    let removed = sqlx::query!(
        "DELETE FROM books WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM poll_options WHERE book_id = $1)",
        book
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if removed != 1 {
        return Err(unchanged(db, book, viewer, BookAction::Remove).await);
    }
    Ok(b.club)
}

/// A book's page for changing it: its fields, and whether the viewer may
/// edit it, remove it, or both (one of them at least).
pub async fn book_form(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<EditableBook> {
    let (s, b) = seen(db, book, viewer).await?;
    let edit = may_change(&s, &b, BookAction::Edit);
    let remove = may_change(&s, &b, BookAction::Remove);
    if let (Err(e), Err(_)) = (&edit, &remove) {
        return Err(e.clone());
    }
    let r = sqlx::query!(
        "SELECT title, authors, isbn13, cover_url, pages, description FROM books WHERE id = $1",
        book
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(EditableBook {
        book_id: book,
        club_id: b.club,
        club_name: s.name,
        fields: BookInput {
            title: r.title,
            authors: r.authors,
            isbn: r.isbn13.unwrap_or_default(),
            cover_url: r.cover_url.unwrap_or_default(),
            pages: r.pages.map(|p| p.to_string()).unwrap_or_default(),
            description: r.description,
        },
        can_edit: edit.is_ok(),
        can_remove: remove.is_ok() && !b.in_a_poll,
        kept: (remove.is_ok() && b.in_a_poll).then(|| IN_A_POLL.to_owned()),
    })
}

/// A book's own page: the book as its club's shelf shows it to `viewer`
/// (so the same rules hide or show who suggested it), and the polls it was
/// an option of that `viewer` may see (row security on polls decides).
pub async fn book_page(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<BookPage> {
    let (s, b) = seen(db, book, viewer).await?;
    let view = shelf_books(db, &s, b.club, viewer, Some(book))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let polls = sqlx::query!(
        r#"SELECT p.id, p.title, (p.closed_at IS NULL AND p.closes_at > now()) AS "open!"
             FROM polls p JOIN poll_options o ON o.poll_id = p.id
            WHERE o.book_id = $1
            ORDER BY p.created_at DESC"#,
        book
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title, r.open))
    .collect();
    Ok(BookPage {
        club_id: b.club,
        club_name: s.name,
        book: view,
        polls,
    })
}
