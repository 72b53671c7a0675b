//! The club's record and a reader's writing, read as the viewer (row
//! security has the last word on what is in them).
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::authz::{decide, RecordAction};
use crate::auth::model::SessionUser;
use crate::clubs::standing::{require, standing};
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize)]
pub struct Book {
    pub title: String,
    pub authors: String,
    /// suggested, up_next, reading or read.
    pub shelf: String,
    pub added_on: String,
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub book: String,
    pub position: i32,
    pub title: String,
    pub target_date: String,
}

#[derive(Debug, Serialize)]
pub struct Meeting {
    pub title: String,
    /// Its date and time where it happens, and that zone.
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub location: String,
    pub book: String,
    pub host: Option<String>,
    pub cancelled: bool,
    /// Who said they were coming (with a place), by name.
    pub going: Vec<String>,
    pub waitlisted: i64,
    pub maybe: i64,
    pub not_going: i64,
}

#[derive(Debug, Serialize)]
pub struct BookPoll {
    pub title: String,
    pub closes: String,
    pub options: Vec<String>,
    pub ballots: Option<u32>,
    /// Votes per option, round by round (`None` once eliminated); empty
    /// while the poll hides its results.
    pub rounds: Vec<Vec<Option<u32>>>,
    pub winner: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DateAnswers {
    pub poll: String,
    pub date: String,
    pub time: String,
    pub yes: i64,
    pub maybe: i64,
    pub no: i64,
}

#[derive(Debug, Serialize)]
pub struct Question {
    pub meeting: String,
    /// Its place on the meeting's list, if it was picked.
    pub position: Option<i32>,
    pub text: String,
    pub about: Option<String>,
    pub suggested_by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ClubRecord {
    pub club: String,
    pub exported_at: String,
    pub books: Vec<Book>,
    pub schedule: Vec<Section>,
    pub meetings: Vec<Meeting>,
    pub book_polls: Vec<BookPoll>,
    pub date_polls: Vec<DateAnswers>,
    pub questions: Vec<Question>,
}

/// The club's record, for its admins (and site admins).
pub async fn club_record(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ClubRecord> {
    let s = standing(db, club, viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        decide(s.who, RecordAction::DownloadClubRecord, s.is_public),
        "Only the club's admins download its record.",
    )?;
    let books = sqlx::query!(
        r#"SELECT title, authors, shelf, to_char(added_at, 'YYYY-MM-DD') AS "added!",
                  to_char(started_on, 'YYYY-MM-DD') AS started, to_char(finished_on, 'YYYY-MM-DD') AS finished
             FROM books WHERE club_id = $1
            ORDER BY finished_on NULLS LAST, started_on NULLS LAST, added_at, title"#,
        club
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|b| Book {
        title: b.title,
        authors: b.authors,
        shelf: b.shelf,
        added_on: b.added,
        started_on: b.started,
        finished_on: b.finished,
    })
    .collect();
    let schedule = sqlx::query!(
        r#"SELECT b.title AS book, s.title, to_char(s.target_date, 'YYYY-MM-DD') AS "target!",
                  row_number() OVER (PARTITION BY s.book_id ORDER BY s.target_date, s.id)::int AS "position!"
             FROM reading_sections s JOIN books b ON b.id = s.book_id
            WHERE s.club_id = $1
            ORDER BY b.title, s.target_date, s.id"#,
        club
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|s| Section {
        book: s.book,
        position: s.position,
        title: s.title,
        target_date: s.target,
    })
    .collect();
    let meetings = sqlx::query!(
        r#"SELECT e.title, to_char(e.event_date, 'YYYY-MM-DD') AS "date!", to_char(e.event_time, 'HH24:MI') AS "time!",
                  e.time_zone, e.location, COALESCE(e.book, '') AS "book!", h.name AS "host?",
                  e.cancelled_at IS NOT NULL AS "cancelled!",
                  ARRAY(SELECT u.name FROM availability a JOIN users u ON u.id = a.user_id
                         WHERE a.event_id = e.id AND a.status = 'available' AND NOT a.waitlisted
                         ORDER BY lower(u.name)) AS "going!",
                  (SELECT count(*) FROM availability a WHERE a.event_id = e.id AND a.waitlisted) AS "waitlisted!",
                  (SELECT count(*) FROM availability a WHERE a.event_id = e.id AND a.status = 'maybe') AS "maybe!",
                  (SELECT count(*) FROM availability a WHERE a.event_id = e.id AND a.status = 'unavailable') AS "not_going!"
             FROM events e LEFT JOIN users h ON h.id = e.host_id
            WHERE e.club_id = $1
            ORDER BY e.starts_at, e.id"#,
        club
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|m| Meeting {
        title: m.title,
        date: m.date,
        time: m.time,
        time_zone: m.time_zone,
        location: m.location,
        book: m.book,
        host: m.host,
        cancelled: m.cancelled,
        going: m.going,
        waitlisted: m.waitlisted,
        maybe: m.maybe,
        not_going: m.not_going,
    })
    .collect();
    let polls = sqlx::query_scalar!(
        "SELECT id FROM polls WHERE club_id = $1 AND kind = 'book' ORDER BY closes_at, id",
        club
    )
    .fetch_all(&mut *db)
    .await?;
    let mut book_polls = Vec::new();
    for poll in polls {
        // The poll page's own count, so the record and the page agree.
        let p = crate::polls::page_data::page(db, poll, viewer).await?;
        let options: Vec<String> = p.options.iter().map(|o| o.title.clone()).collect();
        let (ballots, rounds, winner) = match &p.outcome {
            Some(o) => (
                Some(o.ballots),
                o.rounds.iter().map(|r| r.votes.clone()).collect(),
                o.winner.and_then(|w| options.get(w).cloned()),
            ),
            None => (None, Vec::new(), None),
        };
        book_polls.push(BookPoll {
            title: p.title,
            closes: p.closes,
            options,
            ballots,
            rounds,
            winner,
        });
    }
    let date_polls = sqlx::query!(
        r#"SELECT p.title, to_char(o.starts_on, 'YYYY-MM-DD') AS "date!", to_char(o.starts_time, 'HH24:MI') AS "time!",
                  count(*) FILTER (WHERE a.answer = 'yes') AS "yes!",
                  count(*) FILTER (WHERE a.answer = 'maybe') AS "maybe!",
                  count(*) FILTER (WHERE a.answer = 'no') AS "no!"
             FROM polls p JOIN poll_options o ON o.poll_id = p.id
             LEFT JOIN date_answers a ON a.option_id = o.id
            WHERE p.club_id = $1 AND p.kind = 'date'
            GROUP BY p.id, p.title, p.closes_at, o.id, o.starts_on, o.starts_time
            ORDER BY p.closes_at, p.id, o.starts_on, o.starts_time"#,
        club
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|d| DateAnswers {
        poll: d.title,
        date: d.date,
        time: d.time,
        yes: d.yes,
        maybe: d.maybe,
        no: d.no,
    })
    .collect();
    let questions = sqlx::query!(
        r#"SELECT e.title AS meeting, q.position, q.text, s.title AS "about?", u.name AS "suggested_by?"
             FROM meeting_questions q
             JOIN events e ON e.id = q.event_id
             LEFT JOIN reading_sections s ON s.id = q.section_id
             LEFT JOIN users u ON u.id = q.author_id
            WHERE q.club_id = $1
            ORDER BY e.starts_at, e.id, q.position NULLS LAST, q.created_at, q.id"#,
        club
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|q| Question {
        meeting: q.meeting,
        position: q.position,
        text: q.text,
        about: q.about,
        suggested_by: q.suggested_by,
    })
    .collect();
    Ok(ClubRecord {
        club: s.name,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        books,
        schedule,
        meetings,
        book_polls,
        date_polls,
        questions,
    })
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WrittenComment {
    pub club: String,
    /// A section's discussion: the book and the section.
    pub book: Option<String>,
    pub section: Option<String>,
    /// A meeting's discussion: the meeting.
    pub meeting: Option<String>,
    pub posted_at: String,
    pub edited: bool,
    /// A reply to another comment.
    pub reply: bool,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WrittenQuestion {
    pub club: String,
    pub meeting: String,
    pub text: String,
    pub about: Option<String>,
    pub picked: bool,
}

#[derive(Debug, Deserialize)]
struct Written {
    comments: Vec<WrittenComment>,
    questions: Vec<WrittenQuestion>,
}

#[derive(Debug, Serialize)]
pub struct Writing {
    pub name: String,
    pub exported_at: String,
    pub comments: Vec<WrittenComment>,
    pub questions: Vec<WrittenQuestion>,
}

/// Everything `viewer` wrote in discussions and as meeting questions, in
/// every club, including clubs they have left (deleted comments are gone).
pub async fn writing(db: &mut PgConnection, viewer: Option<&SessionUser>) -> AppResult<Writing> {
    let me = viewer.ok_or(AppError::Unauthorized)?;
    let written = sqlx::query_scalar!(r#"SELECT bookwork_private.my_writing() AS "w!""#)
        .fetch_one(&mut *db)
        .await?;
    let written: Written = serde_json::from_value(written).map_err(|_| AppError::Internal)?;
    Ok(Writing {
        name: me.name.clone(),
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        comments: written.comments,
        questions: written.questions,
    })
}
