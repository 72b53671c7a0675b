//! Discussions in PostgreSQL: a section's, spoiler-safe by construction
//! (a comment's text is read from the database only for a reader who has
//! finished its section or asked to see it anyway; everyone else is given
//! a count of what is waiting, and nothing of what it says), and a
//! meeting's, open to the club's people.
use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{allowed, event_club, may, section_allowed};
use super::authz::ReadingAction;
use super::db::sections;
use super::markdown::to_html;
use super::model::{chosen_id, comment_text, mentioned, CommentView, MeetingThread, Thread, Topic};
use crate::auth::model::SessionUser;
use crate::clubs::standing::Standing;
use crate::error::{AppError, AppResult};

const MEMBERS_ONLY: &str = "Only the club's members read and join its discussions.";
const OWN_ONLY: &str = "Only its author changes or deletes a comment.";

/// `section`'s discussion as `viewer` may see it: the comments when they
/// have finished the section or `reveal` asks for them anyway, else how
/// many are waiting.
pub async fn thread(
    db: &mut PgConnection,
    section: Uuid,
    viewer: Option<&SessionUser>,
    reveal: bool,
) -> AppResult<Thread> {
    let (f, s) = section_allowed(
        db,
        section,
        viewer,
        ReadingAction::ReadDiscussion,
        MEMBERS_ONLY,
    )
    .await?;
    let this = sections(db, f.book, viewer)
        .await?
        .into_iter()
        .find(|s| s.id == section)
        .ok_or(AppError::NotFound)?;
    let open = this.done || reveal;
    let me = viewer.map(|v| v.id);
    let moderates = may(&s, ReadingAction::Moderate);
    let comments = if open {
        comments(db, Topic::Section(section), me, moderates).await?
    } else {
        Vec::new()
    };
    Ok(Thread {
        club_id: f.club,
        club_name: s.name.clone(),
        book_id: f.book,
        book_title: f.book_title,
        open,
        revealed: open && !this.done,
        waiting: if open { 0 } else { this.comments },
        section: this,
        comments,
        can_comment: may(&s, ReadingAction::Comment),
        can_track: may(&s, ReadingAction::TrackProgress),
        can_set_schedule: may(&s, ReadingAction::SetSchedule),
        can_report: may(&s, ReadingAction::ReportComment),
        can_moderate: moderates,
    })
}

/// `event`'s discussion as `viewer` may see it: every comment (a meeting
/// is about the book as a whole, so nothing waits for progress; spoilers
/// are marked inline).
pub async fn meeting_thread(
    db: &mut PgConnection,
    event: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<MeetingThread> {
    // The meeting and its club in one read; row security hides a private one.
    let e = sqlx::query!(
        r#"SELECT e.club_id, e.title, NULLIF(btrim(e.book), '') AS book,
                  to_char(e.event_date + e.event_time, 'Dy FMDD Mon YYYY, HH24:MI') AS "starts!"
             FROM events e WHERE e.id = $1"#,
        event
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let s = allowed(
        db,
        e.club_id,
        viewer,
        ReadingAction::ReadDiscussion,
        MEMBERS_ONLY,
    )
    .await?;
    let moderates = may(&s, ReadingAction::Moderate);
    let comments = comments(db, Topic::Meeting(event), viewer.map(|v| v.id), moderates).await?;
    Ok(MeetingThread {
        club_id: e.club_id,
        club_name: s.name.clone(),
        event_id: event,
        event_title: e.title,
        starts: e.starts,
        book: e.book,
        comments,
        can_comment: may(&s, ReadingAction::Comment),
        can_report: may(&s, ReadingAction::ReportComment),
        can_moderate: moderates,
    })
}

/// Every comment of a discussion, oldest first, with its text as HTML.
/// Only [`thread`] (for a reader the section is open to) and
/// [`meeting_thread`] call this. A hidden comment's text is read only for
/// those who `moderate`, with who hid it, why, and the open reports.
async fn comments(
    db: &mut PgConnection,
    topic: Topic,
    me: Option<Uuid>,
    moderate: bool,
) -> AppResult<Vec<CommentView>> {
    let (section, event) = ids(topic);
    let rows = sqlx::query!(
        r#"SELECT c.id, c.parent_id, u.name AS "author?", c.revision,
                  CASE WHEN c.hidden_at IS NULL OR $3 THEN c.body ELSE '' END AS "body!",
                  to_char(c.created_at AT TIME ZONE z.zone, 'Dy FMDD Mon, HH24:MI') AS "posted!",
                  c.edited_at IS NOT NULL AS "edited!", c.deleted_at IS NOT NULL AS "deleted!",
                  COALESCE(c.author_id = $2, false) AS "mine!",
                  c.hidden_at IS NOT NULL AS "hidden!",
                  CASE WHEN $3 AND c.hidden_at IS NOT NULL
                       THEN COALESCE((SELECT h.name FROM users h WHERE h.id = c.hidden_by), 'A moderator')
                            || ': ' || c.hidden_reason END AS hidden_note,
                  EXISTS (SELECT 1 FROM comment_reports r WHERE r.comment_id = c.id AND r.reporter_id = $2) AS "reported!",
                  CASE WHEN $3 THEN ARRAY(SELECT r.reason FROM comment_reports r
                                           WHERE r.comment_id = c.id AND r.resolved_at IS NULL
                                           ORDER BY r.created_at) END AS reports
             FROM comments c
             JOIN clubs cl ON cl.id = c.club_id
             LEFT JOIN users u ON u.id = c.author_id
             CROSS JOIN LATERAL (SELECT COALESCE((SELECT r.time_zone FROM users r WHERE r.id = $2),
                                                 cl.time_zone) AS zone) z
            WHERE c.section_id = $1 OR c.event_id = $4
            ORDER BY c.created_at, c.id"#,
        section,
        me,
        moderate,
        event
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let shown = !r.deleted && (!r.hidden || moderate);
            CommentView {
                id: r.id,
                parent_id: r.parent_id,
                author: r.author,
                posted: r.posted,
                edited: r.edited,
                deleted: r.deleted,
                html: if shown {
                    to_html(&r.body)
                } else {
                    String::new()
                },
                text: (r.mine && shown).then_some(r.body),
                revision: r.revision,
                mine: r.mine,
                hidden: r.hidden,
                hidden_note: r.hidden_note,
                reported: r.reported,
                reports: r.reports.unwrap_or_default(),
            }
        })
        .collect())
}

/// A discussion's section and meeting ids, one of them `None` (as its
/// comments' columns are).
fn ids(topic: Topic) -> (Option<Uuid>, Option<Uuid>) {
    match topic {
        Topic::Section(id) => (Some(id), None),
        Topic::Meeting(id) => (None, Some(id)),
    }
}

/// The discussion a comment's columns name (the table allows exactly one).
pub(super) fn topic_of(section: Option<Uuid>, event: Option<Uuid>) -> AppResult<Topic> {
    match (section, event) {
        (Some(section), None) => Ok(Topic::Section(section)),
        (None, Some(event)) => Ok(Topic::Meeting(event)),
        _ => Err(AppError::Internal),
    }
}

/// The discussion's club and the viewer's standing in it, allowed to do
/// `action`.
async fn topic_allowed(
    db: &mut PgConnection,
    topic: Topic,
    viewer: Option<&SessionUser>,
    action: ReadingAction,
) -> AppResult<(Uuid, Standing)> {
    match topic {
        Topic::Section(section) => {
            let (f, s) = section_allowed(db, section, viewer, action, MEMBERS_ONLY).await?;
            Ok((f.club, s))
        }
        Topic::Meeting(event) => {
            let club = event_club(db, event).await?;
            let s = allowed(db, club, viewer, action, MEMBERS_ONLY).await?;
            Ok((club, s))
        }
    }
}

/// Posts a comment (a reply when `parent`, a comment's id, is given) to a
/// section's or a meeting's discussion; answers the new comment's id.
pub async fn post(
    db: &mut PgConnection,
    topic: Topic,
    viewer: Option<&SessionUser>,
    body: &str,
    parent: Option<&str>,
) -> AppResult<Uuid> {
    let (club, _) = topic_allowed(db, topic, viewer, ReadingAction::Comment).await?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let parent = chosen_id(parent, "parent", "Answer a comment of this discussion.")?;
    let text = comment_text(body, "body")?;
    let (section, event) = ids(topic);
    let posted = sqlx::query_scalar!(
        "INSERT INTO comments (club_id, section_id, event_id, author_id, parent_id, body)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        club,
        section,
        event,
        me,
        parent,
        text
    )
    .fetch_one(&mut *db)
    .await;
    let id = posted.map_err(|e| {
        let gone = e
            .as_database_error()
            .filter(|d| d.code().as_deref() == Some("23503"))
            .and_then(|d| d.constraint().map(str::to_owned));
        match gone.as_deref() {
            Some("comments_parent_id_section_id_fkey" | "comments_parent_event_fkey") => AppError::Conflict(
                "The comment you answered is not in this discussion any more, so your reply was not posted.".into(),
            ),
            Some("comments_event_fkey") => AppError::Conflict(
                "This meeting was deleted a moment ago, so your comment was not posted.".into(),
            ),
            Some(_) => AppError::Conflict(
                "This section was removed from the schedule a moment ago, so your comment was not posted.".into(),
            ),
            None => e.into(),
        }
    })?;
    // Whom it concerns hears of it (never what it says): the author of the
    // comment it answers, and the members it names.
    // Only a comment with an `@` can name anyone: most skip the lookup.
    let named = if text.contains('@') {
        let members = sqlx::query!(
            "SELECT u.id, u.name FROM club_members m JOIN users u ON u.id = m.user_id
              WHERE m.club_id = $1 AND m.is_active AND u.is_active",
            club
        )
        .fetch_all(&mut *db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect::<Vec<_>>();
        mentioned(&text, &members)
    } else {
        Vec::new()
    };
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_comment($1, $2) AS "told!""#,
        id,
        &named
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

/// What the rules need of a comment.
pub(super) struct CommentFacts {
    pub(super) club: Uuid,
    pub(super) topic: Topic,
    pub(super) mine: bool,
    pub(super) deleted: bool,
    pub(super) hidden: bool,
    revision: i32,
}

pub(super) async fn comment_facts(
    db: &mut PgConnection,
    comment: Uuid,
    me: Option<Uuid>,
) -> AppResult<CommentFacts> {
    let r = sqlx::query!(
        r#"SELECT club_id, section_id, event_id, COALESCE(author_id = $2, false) AS "mine!",
                  deleted_at IS NOT NULL AS "deleted!", hidden_at IS NOT NULL AS "hidden!", revision
             FROM comments WHERE id = $1"#,
        comment,
        me
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(CommentFacts {
        club: r.club_id,
        topic: topic_of(r.section_id, r.event_id)?,
        mine: r.mine,
        deleted: r.deleted,
        hidden: r.hidden,
        revision: r.revision,
    })
}

/// The comment, when the viewer may change it: theirs, not deleted, and
/// they are still one of the club's people. Someone signed out is asked to
/// sign in before anything is looked up: changing a comment is for its
/// author, and nobody else learns whether an id names one.
async fn own(
    db: &mut PgConnection,
    comment: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<CommentFacts> {
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let c = comment_facts(db, comment, Some(me)).await?;
    allowed(db, c.club, viewer, ReadingAction::Comment, MEMBERS_ONLY).await?;
    if !c.mine {
        return Err(AppError::Forbidden(OWN_ONLY.into()));
    }
    if c.deleted {
        return Err(AppError::Conflict("This comment was deleted.".into()));
    }
    Ok(c)
}

/// Changes the text of one's own comment, which then says it was edited.
/// `revision` is the one the edit started from: an edit made meanwhile (in
/// another window) wins, and this one is refused with its text kept.
/// Answers the comment's discussion.
pub async fn edit(
    db: &mut PgConnection,
    comment: Uuid,
    viewer: Option<&SessionUser>,
    body: &str,
    revision: i32,
) -> AppResult<Topic> {
    let c = own(db, comment, viewer).await?;
    if c.hidden {
        return Err(AppError::Conflict(
            "The club's admins hid this comment, so it cannot be edited. You can still delete it."
                .into(),
        ));
    }
    let text = comment_text(body, "body")?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let changed = sqlx::query!(
        "UPDATE comments SET body = $3, edited_at = now(), revision = revision + 1
          WHERE id = $1 AND author_id = $2 AND deleted_at IS NULL AND revision = $4",
        comment,
        me,
        text,
        revision
    )
    .execute(&mut *db)
    .await?;
    if changed.rows_affected() == 1 {
        return Ok(c.topic);
    }
    // Changed or deleted meanwhile: say which, from how it stands now.
    let now = own(db, comment, viewer).await?;
    Err(AppError::Conflict(if now.revision != revision {
        "This comment was changed in another window after you opened it. Your text is still here: reload to see the newer version first.".into()
    } else {
        OWN_ONLY.into()
    }))
}

/// Deletes one's own comment: its text goes, its place (and its replies)
/// stay. Answers the comment's discussion.
pub async fn delete(
    db: &mut PgConnection,
    comment: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Topic> {
    let c = own(db, comment, viewer).await?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let changed = sqlx::query!(
        "UPDATE comments SET body = '', deleted_at = now()
          WHERE id = $1 AND author_id = $2 AND deleted_at IS NULL",
        comment,
        me
    )
    .execute(&mut *db)
    .await?;
    if changed.rows_affected() == 1 {
        Ok(c.topic)
    } else {
        Err(AppError::Conflict("This comment was deleted.".into()))
    }
}
