//! A meeting's discussion questions in PostgreSQL. A question about a
//! section is read (its text) only for readers who finished that section,
//! as the section's comments are; the organisers pick and order the list
//! under the meeting's lock, so two of them at once never give two
//! questions one place.
use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{allowed, event_club, may};
use super::authz::ReadingAction;
use super::model::{chosen_id, question_text, MeetingQuestions, QuestionView};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};
use crate::platform::db::changed_one_row;

const MEMBERS_ONLY: &str = "Only the club's members suggest and read its meetings' questions.";
const ORGANISERS_ONLY: &str =
    "Only the club's moderators, admins and owner pick and order the meeting's questions.";

/// The questions for `event` as `viewer` may see them.
pub async fn questions(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<MeetingQuestions> {
    // The meeting (and its club, to authorize with) in one read; row
    // security hides a private one.
    let e = sqlx::query!(
        r#"SELECT e.club_id, e.title, to_char(e.event_date + e.event_time, 'Dy FMDD Mon YYYY, HH24:MI') AS "when!",
                  COALESCE((SELECT jsonb_agg(jsonb_build_array(s.id, s.title) ORDER BY s.target_date, s.created_at, s.id)
                              FROM reading_sections s WHERE s.book_id = e.book_id), '[]') AS "sections!"
             FROM events e WHERE e.id = $1"#,
        event
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let club = e.club_id;
    let s = allowed(
        db,
        club,
        viewer,
        ReadingAction::ReadDiscussion,
        MEMBERS_ONLY,
    )
    .await?;
    let me = viewer.map(|v| v.id);
    // The text only where the reader finished the section (or wrote it).
    let rows = sqlx::query!(
        r#"SELECT q.id, q.position, s.title AS "section?", u.name AS "author?",
                  COALESCE(q.author_id = $2, false) AS "mine!",
                  CASE WHEN q.section_id IS NULL OR q.author_id = $2
                         OR EXISTS (SELECT 1 FROM reading_marks m WHERE m.section_id = q.section_id AND m.user_id = $2)
                       THEN q.text END AS text
             FROM meeting_questions q
             LEFT JOIN reading_sections s ON s.id = q.section_id
             LEFT JOIN users u ON u.id = q.author_id
            WHERE q.event_id = $1
            ORDER BY q.position NULLS LAST, q.created_at, q.id"#,
        event,
        me
    )
    .fetch_all(&mut *db)
    .await?;
    let (picked, suggested): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|r| QuestionView {
            id: r.id,
            text: r.text,
            section: r.section,
            author: r.author,
            position: r.position,
            mine: r.mine,
        })
        .partition(|q| q.position.is_some());
    Ok(MeetingQuestions {
        event_id: event,
        event_title: e.title,
        when: e.when,
        club_id: club,
        club_name: s.name.clone(),
        picked,
        suggested,
        sections: serde_json::from_value(e.sections).unwrap_or_default(),
        can_suggest: may(&s, ReadingAction::SuggestQuestion),
        can_arrange: may(&s, ReadingAction::ArrangeQuestions),
    })
}

/// Suggests a question for `event`, about `section` (one of the meeting's
/// book's sections, as its form's list sends it) or the meeting as a whole.
pub async fn suggest(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
    text: &str,
    section: Option<&str>,
) -> AppResult<()> {
    let club = event_club(db, event).await?;
    allowed(
        db,
        club,
        viewer,
        ReadingAction::SuggestQuestion,
        MEMBERS_ONLY,
    )
    .await?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let section = chosen_id(section, "section", "Choose a section from the list.")?;
    let text = question_text(text)?;
    // Only a section of the meeting's book.
    let done = sqlx::query!(
        "INSERT INTO meeting_questions (club_id, event_id, section_id, author_id, text)
         SELECT e.club_id, e.id, $2, $3, $4 FROM events e
          WHERE e.id = $1
            AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM reading_sections s WHERE s.id = $2 AND s.book_id = e.book_id))",
        event,
        section,
        me,
        text
    )
    .execute(&mut *db)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
        // The section was removed a moment ago.
        Some(code) if code == "23503" => AppError::validation(
            "section",
            "That section is no longer in the schedule. Choose again.",
        ),
        _ => AppError::from(e),
    })?;
    if done.rows_affected() == 0 {
        return Err(AppError::validation(
            "section",
            "That section is not in this meeting's book's schedule. Choose again.",
        ));
    }
    Ok(())
}

/// The question's meeting and club, and whether the viewer wrote it and it
/// is picked.
struct QuestionFacts {
    event: Uuid,
    club: Uuid,
    mine: bool,
    picked: bool,
}

async fn question_facts(
    db: &mut PgConnection,
    question: Uuid,
    me: Option<Uuid>,
) -> AppResult<QuestionFacts> {
    let r = sqlx::query!(
        r#"SELECT event_id, club_id, COALESCE(author_id = $2, false) AS "mine!",
                  position IS NOT NULL AS "picked!"
             FROM meeting_questions WHERE id = $1"#,
        question,
        me
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(QuestionFacts {
        event: r.event_id,
        club: r.club_id,
        mine: r.mine,
        picked: r.picked,
    })
}

/// What arranging a meeting's list does to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrange {
    /// Onto the end of the list.
    Pick,
    /// Off the list (back among the suggestions); the rest close up.
    Unpick,
    /// One place earlier.
    Up,
}

/// Picks, unpicks or moves up a question, for the club's organisers, under
/// the meeting's lock. Answers the meeting.
pub async fn arrange(
    db: &mut PgConnection,
    question: Uuid,
    viewer: Option<&SessionUser>,
    how: Arrange,
) -> AppResult<Uuid> {
    // Signed out: asked to sign in before anything is looked up.
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let q = question_facts(db, question, Some(me)).await?;
    allowed(
        db,
        q.club,
        viewer,
        ReadingAction::ArrangeQuestions,
        ORGANISERS_ONLY,
    )
    .await?;
    crate::places::lock_event(db, q.event).await?;
    // Read again under the lock: another organiser may have moved it.
    let position = sqlx::query_scalar!(
        "SELECT position FROM meeting_questions WHERE id = $1",
        question
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    match (how, position) {
        (Arrange::Pick, None) => {
            let done = sqlx::query!(
                "UPDATE meeting_questions SET position =
                        (SELECT COALESCE(max(position), 0) + 1 FROM meeting_questions WHERE event_id = $2)
                  WHERE id = $1",
                question,
                q.event
            )
            .execute(&mut *db)
            .await?;
            changed_one_row(done)?;
        }
        (Arrange::Unpick, Some(at)) => {
            sqlx::query!(
                "UPDATE meeting_questions SET position = CASE WHEN id = $1 THEN NULL ELSE position - 1 END
                  WHERE event_id = $2 AND (id = $1 OR position > $3)",
                question,
                q.event,
                at
            )
            .execute(&mut *db)
            .await?;
        }
        (Arrange::Up, Some(at)) if at > 1 => {
            sqlx::query!(
                "UPDATE meeting_questions SET position = CASE WHEN id = $1 THEN $3 - 1 ELSE $3 END
                  WHERE event_id = $2 AND (id = $1 OR position = $3 - 1)",
                question,
                q.event,
                at
            )
            .execute(&mut *db)
            .await?;
        }
        // Already where it was asked to go (a second press, or another
        // organiser got there first): nothing to do.
        _ => {}
    }
    Ok(q.event)
}

/// Withdraws one's own question while it is not picked (the organisers may
/// remove any). Answers the meeting.
pub async fn withdraw(
    db: &mut PgConnection,
    question: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let q = question_facts(db, question, Some(me)).await?;
    let s = allowed(
        db,
        q.club,
        viewer,
        ReadingAction::ReadDiscussion,
        MEMBERS_ONLY,
    )
    .await?;
    let organiser = may(&s, ReadingAction::ArrangeQuestions);
    if !organiser {
        if !q.mine || !may(&s, ReadingAction::SuggestQuestion) {
            return Err(AppError::Forbidden(
                "Only its author (or the club's organisers) withdraws a question.".into(),
            ));
        }
        if q.picked {
            return Err(AppError::Conflict(
                "This question is on the meeting's list now: ask an organiser to take it off first.".into(),
            ));
        }
    }
    crate::places::lock_event(db, q.event).await?;
    let at = sqlx::query_scalar!(
        "DELETE FROM meeting_questions WHERE id = $1 RETURNING position",
        question
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    if let Some(at) = at {
        sqlx::query!(
            "UPDATE meeting_questions SET position = position - 1 WHERE event_id = $1 AND position > $2",
            q.event,
            at
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(q.event)
}
