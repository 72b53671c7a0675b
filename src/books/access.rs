//! Who may act on the shelf and on one book: the viewer's standing asked of
//! `authz.rs`, and the rules beyond the table (a member's own suggestion,
//! a book in a poll), each refusal saying why. Apart from `db.rs`, which
//! reads and writes the books, as `polls/access.rs` is for polls.
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, BookAction};
use super::model::shelf_label;
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

const EDITORS_ONLY: &str =
    "Only the club's moderators, admins and owner edit books; members edit their own suggestions.";
pub(super) const MOVERS_ONLY: &str =
    "Only the club's moderators, admins and owner move books between shelves.";
const REMOVERS_ONLY: &str =
    "Only the club's moderators, admins and owner remove books; members remove their own suggestions.";
const NOT_YOURS: &str =
    "This is someone else's suggestion: only the club's moderators, admins and owner change it.";
const IN_OPEN_POLL: &str =
    "This book is in an open poll: you can change your suggestion once the poll has closed.";
pub(super) const IN_A_POLL: &str =
    "This book is part of a poll, so it stays on the shelf (move it to another shelf instead).";

/// What the rules about changing a book need to know of it.
pub(super) struct BookFacts {
    pub(super) club: Uuid,
    pub(super) shelf: String,
    /// The viewer suggested it.
    pub(super) mine: bool,
    /// It is an option of a poll still open (nominations or votes).
    pub(super) in_open_poll: bool,
    /// It is an option of any poll, open or closed.
    pub(super) in_a_poll: bool,
}

/// The book as the viewer may see it (`NotFound` otherwise).
pub(super) async fn facts(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<BookFacts> {
    let r = sqlx::query!(
        r#"SELECT b.club_id, b.shelf, COALESCE(b.suggested_by = $2, false) AS "mine!",
                  COALESCE(polled.open, false) AS "in_open_poll!",
                  polled.book_id IS NOT NULL AS "in_a_poll!"
             FROM books b
             LEFT JOIN LATERAL bookwork_private.club_polled_books(b.club_id) polled ON polled.book_id = b.id
            WHERE b.id = $1"#,
        book,
        viewer.map(|v| v.id)
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(BookFacts {
        club: r.club_id,
        shelf: r.shelf,
        mine: r.mine,
        in_open_poll: r.in_open_poll,
        in_a_poll: r.in_a_poll,
    })
}

/// Whether someone standing `s` in the club may `change` (`Edit` or
/// `Remove`) the book `b`: any book as the table says, or their own
/// suggestion while it is one and not in an open poll. The error says why
/// not. (A book in any poll is not removed by anyone: see `db::remove`.)
pub(super) fn may_change(s: &Standing, b: &BookFacts, change: BookAction) -> AppResult<()> {
    let any = decide(s.who, change, s.is_public);
    if any == Decision::Allow {
        return Ok(());
    }
    let own = decide(s.who, BookAction::ChangeOwnSuggestion, s.is_public) == Decision::Allow;
    if own && b.mine {
        if b.shelf != "suggested" {
            return Err(AppError::Forbidden(format!(
                "This book is no longer a suggestion (it is on “{}”): only the club's moderators, admins and owner change it now.",
                shelf_label(&b.shelf)
            )));
        }
        if b.in_open_poll {
            return Err(AppError::Conflict(IN_OPEN_POLL.into()));
        }
        return Ok(());
    }
    let refusal = match (own, change) {
        (true, _) => NOT_YOURS,
        (false, BookAction::Remove) => REMOVERS_ONLY,
        (false, _) => EDITORS_ONLY,
    };
    require(any, refusal)
}

/// The viewer's standing and the book, when they may see its club.
pub(super) async fn seen(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<(Standing, BookFacts)> {
    let b = facts(db, book, viewer).await?;
    let s = allowed(
        db,
        b.club,
        viewer,
        BookAction::View,
        "You cannot see this club.",
    )
    .await?;
    Ok((s, b))
}

/// The viewer's standing and the book, when they may `change` it.
pub(super) async fn changeable(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    change: BookAction,
) -> AppResult<(Standing, BookFacts)> {
    let (s, b) = seen(db, book, viewer).await?;
    may_change(&s, &b, change)?;
    if change == BookAction::Remove && b.in_a_poll {
        return Err(AppError::Conflict(IN_A_POLL.into()));
    }
    Ok((s, b))
}

/// Why a write that should have changed the one row `book` changed none:
/// the rules as they stand now (the book was removed, or put into a poll,
/// meanwhile), or else row security's refusal.
pub(super) async fn unchanged(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    change: BookAction,
) -> AppError {
    match changeable(db, book, viewer, change).await {
        Err(e) => e,
        Ok(_) => AppError::Forbidden(
            match change {
                BookAction::Move => MOVERS_ONLY,
                BookAction::Remove => REMOVERS_ONLY,
                _ => EDITORS_ONLY,
            }
            .into(),
        ),
    }
}
