//! Who may act on a club's reading: the viewer's standing asked of
//! `authz.rs`, and the facts about a book, section or comment the rules
//! need. Shared by the schedule (`db.rs`) and the discussion
//! (`discussion.rs`).
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, ReadingAction};
use crate::auth::model::SessionUser;
use crate::clubs::authz::Decision;
use crate::clubs::standing::{require, standing, Standing};
use crate::error::{AppError, AppResult};

/// The viewer's standing in `club`, allowed to do `action` (or the error
/// they should see).
pub(super) async fn allowed(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    action: ReadingAction,
    refusal: &str,
) -> AppResult<Standing> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        decide(s.who, ReadingAction::ViewSchedule, s.is_public),
        refusal,
    )?;
    require(decide(s.who, action, s.is_public), refusal)?;
    Ok(s)
}

/// Whether someone standing `s` may do `action`.
pub(super) fn may(s: &Standing, action: ReadingAction) -> bool {
    decide(s.who, action, s.is_public) == Decision::Allow
}

/// What the rules need of a book: its club, title and shelf (and its
/// length, which a reader's page is checked against).
pub(super) struct BookFacts {
    pub(super) club: Uuid,
    pub(super) title: String,
    pub(super) shelf: String,
    pub(super) pages: Option<i32>,
}

/// The book, when the viewer may see its club (`NotFound` otherwise: row
/// security leaves it out).
pub(super) async fn book_facts(db: &mut PgConnection, book: Uuid) -> AppResult<BookFacts> {
    let r = sqlx::query!(
        "SELECT club_id, title, shelf, pages FROM books WHERE id = $1",
        book
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(BookFacts {
        club: r.club_id,
        title: r.title,
        shelf: r.shelf,
        pages: r.pages,
    })
}

/// What the rules need of a section: its club and book (and the book's
/// title, which its discussion's page shows).
pub(super) struct SectionFacts {
    pub(super) club: Uuid,
    pub(super) book: Uuid,
    pub(super) book_title: String,
}

pub(super) async fn section_facts(db: &mut PgConnection, section: Uuid) -> AppResult<SectionFacts> {
    let r = sqlx::query!(
        "SELECT s.club_id, s.book_id, b.title FROM reading_sections s JOIN books b ON b.id = s.book_id
          WHERE s.id = $1",
        section
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(SectionFacts {
        club: r.club_id,
        book: r.book_id,
        book_title: r.title,
    })
}

/// The meeting's club, when the viewer may see the meeting (row security
/// hides a private one).
pub(super) async fn event_club(db: &mut PgConnection, event: Uuid) -> AppResult<Uuid> {
    sqlx::query_scalar!("SELECT club_id FROM events WHERE id = $1", event)
        .fetch_optional(&mut *db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The book and the viewer's standing in its club, allowed to do `action`.
pub(super) async fn book_allowed(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    action: ReadingAction,
    refusal: &str,
) -> AppResult<(BookFacts, Standing)> {
    let b = book_facts(db, book).await?;
    let s = allowed(db, b.club, viewer, action, refusal).await?;
    Ok((b, s))
}

/// The section and the viewer's standing in its club, allowed to do
/// `action`.
pub(super) async fn section_allowed(
    db: &mut PgConnection,
    section: Uuid,
    viewer: Option<&SessionUser>,
    action: ReadingAction,
    refusal: &str,
) -> AppResult<(SectionFacts, Standing)> {
    let f = section_facts(db, section).await?;
    let s = allowed(db, f.club, viewer, action, refusal).await?;
    Ok((f, s))
}
