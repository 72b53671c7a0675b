//! Moderating discussions: the club's people report a comment to its
//! admins; the club's admins and the site's moderators hide it with a
//! reason (which only they read), show it again, and see what was reported
//! and hidden (`/clubs/{id}/moderation`). Hiding runs through
//! `bookwork_private.moderate_comment`: the server's login may not write
//! those columns itself.
use sqlx::PgConnection;
use uuid::Uuid;

use super::access::allowed;
use super::authz::ReadingAction;
use super::discussion::{comment_facts, topic_of};
use super::model::{reason_text, ModeratedComment, ModerationQueue, Topic};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult};

const MODERATORS_ONLY: &str =
    "Only the club's admins and the site's moderators moderate its discussions.";

/// Reports a comment to the club's admins, saying why; reporting it again
/// changes nothing. Answers the comment's discussion.
pub async fn report(
    db: &mut PgConnection,
    comment: Uuid,
    viewer: Option<&SessionUser>,
    reason: &str,
) -> AppResult<Topic> {
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let c = comment_facts(db, comment, Some(me)).await?;
    allowed(
        db,
        c.club,
        viewer,
        ReadingAction::ReportComment,
        "Only the club's members report its comments.",
    )
    .await?;
    if c.mine {
        return Err(AppError::Conflict(
            "This is your own comment: edit or delete it instead.".into(),
        ));
    }
    if c.deleted {
        return Err(AppError::Conflict("This comment was deleted.".into()));
    }
    let reason = reason_text(reason, "reason")?;
    sqlx::query!(
        "INSERT INTO comment_reports (comment_id, club_id, reporter_id, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (comment_id, reporter_id) DO NOTHING",
        comment,
        c.club,
        me,
        reason
    )
    .execute(&mut *db)
    .await?;
    Ok(c.topic)
}

/// Hides a comment with `reason`, or shows it again (`None`); either way its
/// open reports are settled. Answers the comment's discussion.
pub async fn moderate(
    db: &mut PgConnection,
    comment: Uuid,
    viewer: Option<&SessionUser>,
    reason: Option<&str>,
) -> AppResult<Topic> {
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let c = comment_facts(db, comment, Some(me)).await?;
    allowed(db, c.club, viewer, ReadingAction::Moderate, MODERATORS_ONLY).await?;
    let reason = reason.map(|r| reason_text(r, "reason")).transpose()?;
    let done = sqlx::query_scalar!(
        r#"SELECT bookwork_private.moderate_comment($1, $2) AS "done!""#,
        comment,
        reason
    )
    .fetch_one(&mut *db)
    .await?;
    if !done {
        return Err(AppError::Forbidden(MODERATORS_ONLY.into()));
    }
    Ok(c.topic)
}

/// The club's moderation page: comments reported and not dealt with, and
/// comments hidden, each with where it is, what it says and why.
pub async fn queue(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ModerationQueue> {
    let s = allowed(db, club, viewer, ReadingAction::Moderate, MODERATORS_ONLY).await?;
    let rows = sqlx::query!(
        r#"SELECT c.id, c.section_id, c.event_id,
                  COALESCE(b.title || ', ' || s.title, e.title) AS "topic_title!",
                  u.name AS "author?", left(c.body, 280) AS "excerpt!",
                  to_char(c.created_at AT TIME ZONE z.zone, 'Dy FMDD Mon YYYY, HH24:MI') AS "posted!",
                  ARRAY(SELECT r.reason FROM comment_reports r
                         WHERE r.comment_id = c.id AND r.resolved_at IS NULL
                         ORDER BY r.created_at) AS "reports!",
                  CASE WHEN c.hidden_at IS NOT NULL
                       THEN COALESCE((SELECT h.name FROM users h WHERE h.id = c.hidden_by), 'A moderator')
                            || ': ' || c.hidden_reason END AS hidden_note,
                  (SELECT min(r.created_at) FROM comment_reports r
                    WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS first_report,
                  c.hidden_at
             FROM comments c
             LEFT JOIN reading_sections s ON s.id = c.section_id
             LEFT JOIN books b ON b.id = s.book_id
             LEFT JOIN events e ON e.id = c.event_id
             JOIN clubs cl ON cl.id = c.club_id
             LEFT JOIN users u ON u.id = c.author_id
             CROSS JOIN LATERAL (SELECT COALESCE((SELECT r.time_zone FROM users r WHERE r.id = $2),
                                                 cl.time_zone) AS zone) z
            WHERE c.club_id = $1
              AND (c.hidden_at IS NOT NULL
                   OR EXISTS (SELECT 1 FROM comment_reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL))
            ORDER BY c.created_at, c.id"#,
        club,
        viewer.map(|v| v.id)
    )
    .fetch_all(&mut *db)
    .await?;
    let mut reported = Vec::new();
    let mut hidden = Vec::new();
    for r in rows {
        let item = ModeratedComment {
            id: r.id,
            topic: topic_of(r.section_id, r.event_id)?,
            topic_title: r.topic_title,
            author: r.author,
            excerpt: r.excerpt,
            posted: r.posted,
            reports: r.reports,
            hidden_note: r.hidden_note,
        };
        if let Some(at) = r.hidden_at {
            hidden.push((at, item));
        } else if let Some(at) = r.first_report {
            reported.push((at, item));
        }
    }
    reported.sort_by_key(|(at, _)| *at);
    hidden.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    Ok(ModerationQueue {
        club_id: club,
        club_name: s.name,
        reported: reported.into_iter().map(|(_, c)| c).collect(),
        hidden: hidden.into_iter().map(|(_, c)| c).collect(),
    })
}
