//! A poll's nominating phase in PostgreSQL: members put books forward (up
//! to the poll's cap, one at a time under the poll's lock), then an
//! organiser opens the voting.
use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{allowed, club_of, hold_voter, MAX_OPTIONS, ORGANISERS_ONLY};
use super::authz::PollAction;
use crate::auth::model::SessionUser;
use crate::books::model::BookInput;
use crate::error::{AppError, AppResult};

/// A member puts a book forward while the poll takes nominations: one from
/// the shelf (`book`), or a new one by title and author(s), which is then
/// suggested to the shelf too. At most the poll's cap each; nominations to
/// one poll are taken one at a time (the poll is held FOR UPDATE), so the
/// cap holds when someone presses twice.
pub async fn nominate(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    book: &str,
    new_book: &BookInput,
) -> AppResult<()> {
    let viewer = hold_voter(db, poll, viewer, "Members of the club nominate books.").await?;
    let club = club_of(db, poll).await?;
    let held = sqlx::query!(
        r#"SELECT taking AS "taking!", cap AS "cap!" FROM bookwork_private.lock_poll_for_nomination($1)"#,
        poll
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if !held.taking {
        return Err(AppError::Conflict(
            "This poll no longer takes nominations.".into(),
        ));
    }
    let taken = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE nominated_by = $2) AS "mine!", count(*) AS "all!"
             FROM poll_options WHERE poll_id = $1"#,
        poll,
        viewer.id
    )
    .fetch_one(&mut *db)
    .await?;
    if taken.mine >= i64::from(held.cap) {
        return Err(AppError::validation(
            "form",
            format!(
                "You have nominated {} book{}, as many as this poll allows each member.",
                held.cap,
                if held.cap == 1 { "" } else { "s" }
            ),
        ));
    }
    if usize::try_from(taken.all).unwrap_or(usize::MAX) >= MAX_OPTIONS {
        return Err(AppError::validation(
            "form",
            format!("This poll has {MAX_OPTIONS} books, as many as it can take."),
        ));
    }
    let book = match (book.trim(), new_book.title.trim()) {
        ("", "") => {
            return Err(AppError::validation(
                "book",
                "Choose a book from the shelf, or type the title of another.",
            ))
        }
        ("", _) => crate::books::db::suggest(db, club, Some(viewer), new_book).await?,
        (id, _) => {
            let id = id.parse::<Uuid>().ok();
            let on_shelf = sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM books WHERE id = $1 AND club_id = $2
                                     AND shelf IN ('suggested', 'up_next')) AS "on!""#,
                id,
                club
            )
            .fetch_one(&mut *db)
            .await?;
            match id.filter(|_| on_shelf) {
                Some(id) if new_book.title.trim().is_empty() => id,
                Some(_) => {
                    return Err(AppError::validation(
                        "title",
                        "Choose a book from the shelf or type another one, not both.",
                    ))
                }
                None => {
                    return Err(AppError::validation(
                        "book",
                        "Choose a book from the club's suggestions and up next.",
                    ))
                }
            }
        }
    };
    sqlx::query!(
        "INSERT INTO poll_options (poll_id, position, book_id, nominated_by)
         SELECT $1, COALESCE(max(position), 0) + 1, $2, $3 FROM poll_options WHERE poll_id = $1",
        poll,
        book,
        viewer.id
    )
    .execute(&mut *db)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
        Some(code) if code == "23505" => {
            AppError::validation("book", "That book is already in the poll.")
        }
        _ => super::dates::db::book_removed(e),
    })?;
    Ok(())
}

/// The organiser ends the nominations and opens the voting: it needs two
/// books at least. Waits for nominations under way.
pub async fn start_voting(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    let club = club_of(db, poll).await?;
    allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    // Locked first, then counted: a nomination that went in while this
    // waited for the lock is counted.
    let nominating = sqlx::query_scalar!(
        "SELECT nominating FROM polls WHERE id = $1 FOR UPDATE",
        poll
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if !nominating {
        return Err(AppError::Conflict("Voting has already started.".into()));
    }
    let options = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM poll_options WHERE poll_id = $1"#,
        poll
    )
    .fetch_one(&mut *db)
    .await?;
    if options < 2 {
        return Err(AppError::Conflict(
            "Voting needs at least two books: wait for more nominations, or add some.".into(),
        ));
    }
    let started = sqlx::query!("UPDATE polls SET nominating = false WHERE id = $1", poll)
        .execute(&mut *db)
        .await?
        .rows_affected();
    // Held FOR UPDATE above: only row security could refuse.
    if started != 1 {
        return Err(AppError::Forbidden(ORGANISERS_ONLY.into()));
    }
    Ok(())
}
