//! Book polls in PostgreSQL. Each function works out the viewer's standing
//! in the poll's club first (`authz.rs`); row security beneath keeps ballots
//! secret and polls the club's.
use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{
    allowed, closing_time, club_of, hold_for_vote, new_form, MAX_OPTIONS, ORGANISERS_ONLY,
};
use super::authz::{decide, PollAction};
use super::model::{
    ranking_from_form, ClubPolls, NewPollForm, PollInput, PollSummary, PollWaiting,
};
use crate::auth::model::SessionUser;
use crate::clubs::authz::Decision;
use crate::clubs::standing::standing;
use crate::error::{AppError, AppResult, Checks};

/// The new book poll form: the books on offer are suggestions and up next.
pub async fn new_poll_form(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<NewPollForm> {
    new_form(db, club, viewer, &["up_next", "suggested"]).await
}

pub async fn create(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    poll: &PollInput,
) -> AppResult<Uuid> {
    allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    let mut checks = Checks::new();
    let title = poll.title.trim();
    if title.is_empty() {
        checks.add(
            "title",
            "Give the poll a title, like “What we read in spring”.",
        );
    } else if title.chars().count() > 255 {
        checks.add("title", "Use at most 255 characters.");
    }
    let closes = closing_time(db, club, &poll.date, &poll.time, &mut checks).await?;
    let books: Vec<Uuid> = poll.books.iter().filter_map(|b| b.parse().ok()).collect();
    if books.len() != poll.books.len() {
        checks.add("books", "Choose books from the list.");
    }
    let mut unique = books.clone();
    unique.sort();
    unique.dedup();
    // With nominations, members bring the books: the organiser's own picks
    // may be few or none.
    let cap = match poll.nominate {
        false => None,
        true => match poll.cap.trim().parse::<i16>() {
            Ok(cap) if (1..=10).contains(&cap) => Some(cap),
            _ => {
                checks.add("cap", "Allow each member from 1 to 10 nominations.");
                None
            }
        },
    };
    if unique.len() < 2 && !poll.nominate {
        checks.add("books", "Choose at least two books to vote between.");
    } else if unique.len() > MAX_OPTIONS {
        checks.add("books", format!("Choose at most {MAX_OPTIONS} books."));
    }
    let on_shelf = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM books
            WHERE club_id = $1 AND id = ANY ($2) AND shelf IN ('suggested', 'up_next')"#,
        club,
        &unique
    )
    .fetch_one(&mut *db)
    .await?;
    if usize::try_from(on_shelf).unwrap_or(0) != unique.len() {
        checks.add(
            "books",
            "Choose books from the club's suggestions and up next.",
        );
    }
    let (date, time) = checks.done(|| closes)?;
    let id = sqlx::query_scalar!(
        "INSERT INTO polls (club_id, kind, title, created_by, closes_at, results_live, nominating, nomination_cap)
         SELECT c.id, 'book', $2, $3, ($4::date + $5::time) AT TIME ZONE c.time_zone, $6, $7, $8
           FROM clubs c WHERE c.id = $1
         RETURNING id",
        club,
        title,
        viewer.map(|v| v.id),
        date as _,
        time as _,
        poll.results_live,
        poll.nominate,
        cap.unwrap_or(2)
    )
    .fetch_one(&mut *db)
    .await?;
    // In the order chosen on the form: that is the order "added".
    let mut seen = Vec::new();
    for book in books {
        if !seen.contains(&book) {
            seen.push(book);
        }
    }
    sqlx::query!(
        "INSERT INTO poll_options (poll_id, position, book_id)
         SELECT $1, n, b FROM unnest($2::uuid[]) WITH ORDINALITY AS t(b, n)",
        id,
        &seen
    )
    .execute(&mut *db)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
        // A chosen book was removed from the shelf at the same moment.
        Some(code) if code == "23503" => AppError::validation(
            "books",
            "One of the books has just been removed from the shelf. Choose again.",
        ),
        _ => AppError::from(e),
    })?;
    // Everyone else who may vote hears of it, in this transaction.
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_poll_opened($1) AS "n!""#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

/// Casts (or changes) the viewer's ballot. Holds the poll for the vote, so a
/// vote racing the close is either in before it or refused after it.
pub async fn vote(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    ranks: &HashMap<String, String>,
) -> AppResult<()> {
    let viewer = hold_for_vote(db, poll, viewer, "your ballot was not counted").await?;
    let options = sqlx::query_scalar!(
        "SELECT o.id FROM poll_options o JOIN polls p ON p.id = o.poll_id
          WHERE o.poll_id = $1 AND p.kind = 'book' ORDER BY o.position",
        poll
    )
    .fetch_all(&mut *db)
    .await?;
    if options.is_empty() {
        return Err(AppError::Conflict(
            "This poll is about dates: answer each date instead.".into(),
        ));
    }
    // Held by the vote (FOR SHARE), so "start voting" cannot slip between.
    let nominating = sqlx::query_scalar!("SELECT nominating FROM polls WHERE id = $1", poll)
        .fetch_one(&mut *db)
        .await?;
    if nominating {
        return Err(AppError::Conflict(
            "Voting has not started yet: members are still nominating books.".into(),
        ));
    }
    let ranking = ranking_from_form(&options, ranks)?;
    sqlx::query!(
        "INSERT INTO ballots (poll_id, user_id, ranking) VALUES ($1, $2, $3)
         ON CONFLICT (poll_id, user_id) DO UPDATE SET ranking = $3, cast_at = now()",
        poll,
        viewer.id,
        &ranking
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Closes a poll now (the organiser's "close early"). Waits for votes under
/// way, which are then counted.
pub async fn close(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<()> {
    let club = club_of(db, poll).await?;
    allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    let closed = sqlx::query!(
        "UPDATE polls SET closed_at = now() WHERE id = $1 AND closed_at IS NULL AND closes_at > now()",
        poll
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if closed != 1 {
        return Err(match still_there(db, poll).await? {
            true => AppError::Conflict("This poll has already closed.".into()),
            false => AppError::NotFound,
        });
    }
    Ok(())
}

/// Whether the poll is still there for the viewer (after a write to it
/// changed nothing: it was deleted meanwhile, or had already changed).
async fn still_there(db: &mut PgConnection, poll: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM polls WHERE id = $1) AS "there!""#,
        poll
    )
    .fetch_one(&mut *db)
    .await?)
}

/// Deletes a poll with its options, ballots and date answers, once the
/// viewer has ticked the box that confirms it; its e-mails not yet sent are
/// not sent. A meeting planned from it stays. Answers with the poll's club.
pub async fn delete(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    confirmed: bool,
) -> AppResult<Uuid> {
    const REFUSAL: &str = "Only the club's moderators, admins and owner delete polls.";
    let club = club_of(db, poll).await?;
    allowed(db, club, viewer, PollAction::Delete, REFUSAL).await?;
    if !confirmed {
        return Err(AppError::validation(
            "confirm",
            "Tick the box to confirm that the poll should go.",
        ));
    }
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.skip_poll_notices($1) AS "skipped!""#,
        poll
    )
    .fetch_one(&mut *db)
    .await?;
    let deleted = sqlx::query!("DELETE FROM polls WHERE id = $1", poll)
        .execute(&mut *db)
        .await?
        .rows_affected();
    if deleted != 1 {
        return Err(match still_there(db, poll).await? {
            true => AppError::Forbidden(REFUSAL.into()),
            false => AppError::NotFound,
        });
    }
    Ok(club)
}

/// "Make this our next read": the closed poll's winner moves to up next.
/// Moves a closed poll's winner to "up next", and whatever was up next
/// before back to the suggestions: a club has one next read, so its page
/// and its shelf say the same. Answers with the winner's title and the
/// titles moved back.
pub async fn make_next_read(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<(String, Vec<String>)> {
    let club = club_of(db, poll).await?;
    allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    let page = super::page_data::page(db, poll, viewer).await?;
    if page.open {
        return Err(AppError::Conflict("Close the poll first.".into()));
    }
    let winner = page
        .outcome
        .and_then(|o| o.winner)
        .and_then(|w| page.options[w].book_id)
        .ok_or_else(|| AppError::Conflict("This poll has no winner.".into()))?;
    let moved = sqlx::query!(
        "UPDATE books SET shelf = 'up_next', shelved_at = now(), started_on = NULL, finished_on = NULL
          WHERE id = $1 AND shelf = 'suggested'",
        winner
    )
    .execute(&mut *db)
    .await?
    .rows_affected();
    if moved != 1 {
        // Already moved on (by someone else a moment ago, say).
        let now = sqlx::query!("SELECT title, shelf FROM books WHERE id = $1", winner)
            .fetch_optional(&mut *db)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(AppError::Conflict(format!(
            "“{}” is already on “{}”.",
            now.title,
            crate::books::model::shelf_label(&now.shelf)
        )));
    }
    let replaced = sqlx::query_scalar!(
        "UPDATE books SET shelf = 'suggested', shelved_at = now()
          WHERE club_id = $1 AND shelf = 'up_next' AND id <> $2
          RETURNING title",
        page.club_id,
        winner
    )
    .fetch_all(&mut *db)
    .await?;
    let title = page
        .options
        .iter()
        .find(|o| o.book_id == Some(winner))
        .map(|o| o.title.clone())
        .unwrap_or_default();
    Ok((title, replaced))
}

/// A club's polls for its page: open ones first, then the last few closed.
/// Nothing for people outside the club (the section is not shown).
pub async fn club_polls(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ClubPolls> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    let none = ClubPolls {
        club_id: club,
        polls: Vec::new(),
        can_open: false,
    };
    if decide(s.who, PollAction::View, s.is_public) != Decision::Allow {
        return Ok(none);
    }
    let polls = sqlx::query_as!(
        PollSummary,
        r#"SELECT p.id, p.title,
                  notice_time(COALESCE(p.closed_at, p.closes_at),
                              COALESCE(me.time_zone, c.time_zone)) AS "closes!",
                  p.closed_at IS NULL AND p.closes_at > now() AS "open!",
                  p.id = ANY ((SELECT bookwork_private.viewer_voted_polls($1))::uuid[]) AS "voted!"
             FROM polls p JOIN clubs c ON c.id = p.club_id
             LEFT JOIN users me ON me.id = $2
            WHERE p.club_id = $1
            ORDER BY (p.closed_at IS NULL AND p.closes_at > now()) DESC, p.closes_at DESC
            LIMIT 10"#,
        club,
        viewer.map(|v| v.id)
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(ClubPolls {
        polls,
        can_open: decide(s.who, PollAction::Manage, s.is_public) == Decision::Allow,
        ..none
    })
}

/// Open polls in the viewer's clubs (where they may vote) that they have
/// not voted in yet, closing soonest first.
pub async fn waiting_for(
    db: &mut PgConnection,
    viewer: &SessionUser,
) -> AppResult<Vec<PollWaiting>> {
    Ok(sqlx::query_as!(
        PollWaiting,
        r#"SELECT p.id, p.title, c.name AS club_name,
                  notice_time(p.closes_at, COALESCE(u.time_zone, c.time_zone)) AS "closes!"
             FROM polls p
             JOIN clubs c ON c.id = p.club_id
             JOIN club_members m ON m.club_id = p.club_id AND m.user_id = $1 AND m.is_active
                                AND m.role IN ('member', 'moderator', 'admin')
             JOIN users u ON u.id = $1
            WHERE p.closed_at IS NULL AND p.closes_at > now()
              AND NOT EXISTS (SELECT 1 FROM ballots b WHERE b.poll_id = p.id AND b.user_id = $1)
              AND NOT EXISTS (SELECT 1 FROM date_answers a WHERE a.poll_id = p.id AND a.user_id = $1)
            ORDER BY p.closes_at
            LIMIT 10"#,
        viewer.id
    )
    .fetch_all(&mut *db)
    .await?)
}
