//! A book's schedule and its readers' progress in PostgreSQL. Every function
//! works out the viewer's standing in the club first (`access.rs`, asking
//! `ReadingAction` in `authz.rs`); row security beneath says the same.
use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{allowed, book_allowed, may, section_allowed};
use super::authz::ReadingAction;
use super::model::{
    chosen_id, reading_place, NowReading, Place, ReaderView, ReadingPlan, SectionInput, SectionView,
};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult, Checks};
use crate::platform::db::changed_one_row;

const ORGANISERS_ONLY: &str =
    "Only the club's moderators, admins and owner set the reading schedule.";
const READERS_ONLY: &str = "Only the club's members keep their progress here: join the club first.";

/// `book`'s schedule as `viewer` sees it, with their progress and (for the
/// club's people) where the other readers are.
pub async fn plan(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<ReadingPlan> {
    let (b, s) = book_allowed(
        db,
        book,
        viewer,
        ReadingAction::ViewSchedule,
        "You cannot see this club.",
    )
    .await?;
    let sections = sections(db, book, viewer).await?;
    let see_progress = may(&s, ReadingAction::SeeProgress);
    let me = viewer.map(|v| v.id);
    // Whoever may keep their progress may see the others', so the readers'
    // list also says whether the viewer hides theirs.
    let (readers, hidden_readers, hidden, my_place) = if see_progress {
        readers(db, b.club, book, me).await?
    } else {
        (Vec::new(), 0, false, String::new())
    };
    Ok(ReadingPlan {
        club_id: b.club,
        club_name: s.name.clone(),
        book_id: book,
        book_title: b.title,
        shelf: b.shelf,
        sections,
        can_set_schedule: may(&s, ReadingAction::SetSchedule),
        can_track: may(&s, ReadingAction::TrackProgress),
        can_discuss: may(&s, ReadingAction::ReadDiscussion),
        hidden,
        readers,
        my_place,
        hidden_readers,
    })
}

/// What `club` reads now and next, each with its schedule's next section
/// (the club page's reading section): empty for those who may not see it.
pub async fn now_reading(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Vec<NowReading>> {
    allowed(
        db,
        club,
        viewer,
        ReadingAction::ViewSchedule,
        "You cannot see this club.",
    )
    .await?;
    let rows = sqlx::query!(
        r#"SELECT b.id, b.title, b.shelf,
                  (SELECT count(*) FROM reading_sections s WHERE s.book_id = b.id) AS "sections!",
                  next.title AS "next_title?", to_char(next.target_date, 'Dy FMDD Mon') AS next_date
             FROM books b JOIN clubs c ON c.id = b.club_id
             LEFT JOIN LATERAL (SELECT s.title, s.target_date FROM reading_sections s
                                 WHERE s.book_id = b.id AND s.target_date >= (now() AT TIME ZONE c.time_zone)::date
                                 ORDER BY s.target_date, s.created_at, s.id LIMIT 1) next ON true
            WHERE b.club_id = $1 AND b.shelf IN ('reading', 'up_next')
            ORDER BY b.shelf = 'up_next', b.shelved_at DESC, b.title"#,
        club
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| NowReading {
            book_id: r.id,
            title: r.title,
            shelf: r.shelf,
            sections: r.sections,
            next: r.next_title.zip(r.next_date),
        })
        .collect())
}

/// The sections of `book` in the schedule's order, each with whether the
/// viewer finished it and how many readers (who show their progress) did.
pub(super) async fn sections(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Vec<SectionView>> {
    let rows = sqlx::query!(
        r#"SELECT s.id, s.title, to_char(s.target_date, 'YYYY-MM-DD') AS "target_date!",
                  to_char(s.target_date, 'Dy FMDD Mon') AS "target_label!",
                  s.target_date < (now() AT TIME ZONE c.time_zone)::date AS "past!",
                  EXISTS (SELECT 1 FROM reading_marks m WHERE m.section_id = s.id AND m.user_id = $2) AS "done!",
                  (SELECT count(*) FROM comments k WHERE k.section_id = s.id AND k.deleted_at IS NULL) AS "comments!",
                  (SELECT count(*) FROM reading_marks m
                     JOIN club_members cm ON cm.club_id = m.club_id AND cm.user_id = m.user_id AND cm.is_active
                    WHERE m.section_id = s.id
                      AND NOT EXISTS (SELECT 1 FROM reading_privacy p WHERE p.club_id = m.club_id AND p.user_id = m.user_id)) AS "finished_by!"
             FROM reading_sections s JOIN clubs c ON c.id = s.club_id
            WHERE s.book_id = $1
            ORDER BY s.target_date, s.created_at, s.id"#,
        book,
        viewer.map(|v| v.id)
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SectionView {
            id: r.id,
            title: r.title,
            target_date: r.target_date,
            target_label: r.target_label,
            behind: r.past && !r.done,
            done: r.done,
            comments: r.comments,
            finished_by: r.finished_by,
        })
        .collect())
}

/// Where the club's current members are in `book`, by name (alphabetical,
/// never ranked), how many keep it to themselves, and whether the viewer
/// does. The viewer is listed too, even when they hide it from the others.
async fn readers(
    db: &mut PgConnection,
    club: Uuid,
    book: Uuid,
    me: Option<Uuid>,
) -> AppResult<(Vec<ReaderView>, i64, bool, String)> {
    let rows = sqlx::query!(
        r#"SELECT u.name, (p.user_id IS NOT NULL AND u.id IS DISTINCT FROM $3) AS "hidden!",
                  (p.user_id IS NOT NULL AND u.id = $3) AS "mine_hidden!",
                  COALESCE(u.id = $3, false) AS "mine!",
                  count(s.id) AS "finished!",
                  (array_agg(s.title ORDER BY s.target_date DESC, s.created_at DESC, s.id DESC)
                     FILTER (WHERE s.id IS NOT NULL))[1] AS reached,
                  rp.page, rp.percent
             FROM club_members cm
             JOIN users u ON u.id = cm.user_id
             LEFT JOIN reading_privacy p ON p.club_id = cm.club_id AND p.user_id = cm.user_id
             LEFT JOIN reading_places rp ON rp.book_id = $2 AND rp.user_id = cm.user_id
             LEFT JOIN reading_marks m ON m.club_id = cm.club_id AND m.user_id = cm.user_id
             LEFT JOIN reading_sections s ON s.id = m.section_id AND s.book_id = $2
            WHERE cm.club_id = $1 AND cm.is_active AND u.is_active
            GROUP BY u.id, u.name, p.user_id, rp.page, rp.percent
            ORDER BY lower(u.name), u.id"#,
        club,
        book,
        me
    )
    .fetch_all(&mut *db)
    .await?;
    let hidden = rows.iter().filter(|r| r.hidden).count() as i64;
    let mine_hidden = rows.iter().any(|r| r.mine_hidden);
    let place = |page: Option<i32>, percent: Option<i16>| match (page, percent) {
        (Some(page), _) => Some((format!("page {page}"), page.to_string())),
        (None, Some(percent)) => Some((format!("{percent}%"), format!("{percent}%"))),
        (None, None) => None,
    };
    let my_place = rows
        .iter()
        .find(|r| r.mine)
        .and_then(|r| place(r.page, r.percent))
        .map(|(_, typed)| typed)
        .unwrap_or_default();
    let shown = rows
        .into_iter()
        .filter(|r| !r.hidden)
        .map(|r| ReaderView {
            place: place(r.page, r.percent).map(|(said, _)| said),
            name: r.name,
            finished: r.finished,
            reached: r.reached,
        })
        .collect();
    Ok((shown, hidden, mine_hidden, my_place))
}

/// Adds a section to `book`'s schedule; answers the club.
pub async fn add_section(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    input: &SectionInput,
) -> AppResult<Uuid> {
    let (b, _) = book_allowed(
        db,
        book,
        viewer,
        ReadingAction::SetSchedule,
        ORGANISERS_ONLY,
    )
    .await?;
    let section = input.check()?;
    let added = sqlx::query!(
        "INSERT INTO reading_sections (club_id, book_id, title, target_date) VALUES ($1, $2, $3, $4)",
        b.club,
        book,
        section.title,
        section.target_date
    )
    .execute(&mut *db)
    .await;
    match added {
        Ok(_) => Ok(b.club),
        // The book was removed a moment ago.
        Err(e) if e.as_database_error().and_then(|d| d.code()).as_deref() == Some("23503") => {
            Err(AppError::NotFound)
        }
        Err(e) => Err(e.into()),
    }
}

/// Renames a section or moves its target date; answers its book.
pub async fn edit_section(
    db: &mut PgConnection,
    section: Uuid,
    viewer: Option<&SessionUser>,
    input: &SectionInput,
) -> AppResult<Uuid> {
    let (f, _) = section_allowed(
        db,
        section,
        viewer,
        ReadingAction::SetSchedule,
        ORGANISERS_ONLY,
    )
    .await?;
    let changed = input.check()?;
    let done = sqlx::query!(
        "UPDATE reading_sections SET title = $2, target_date = $3, updated_at = now() WHERE id = $1",
        section,
        changed.title,
        changed.target_date
    )
    .execute(&mut *db)
    .await?;
    changed_one_row(done)?;
    Ok(f.book)
}

/// Removes a section that nobody has discussed yet and no meeting question
/// is about (what the club said is not the organiser's to throw away);
/// answers its book. The lock orders this against a comment posted at the
/// same moment: the comment's key check waits for it, then finds the
/// section gone; or the removal waits for the comment, then counts it.
pub async fn remove_section(
    db: &mut PgConnection,
    section: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let (f, _) = section_allowed(
        db,
        section,
        viewer,
        ReadingAction::SetSchedule,
        ORGANISERS_ONLY,
    )
    .await?;
    // Locked first, counted after: the count is its own statement so that
    // it sees a comment committed while the lock waited (a statement's
    // snapshot is taken when it starts).
    sqlx::query_scalar!(
        "SELECT id FROM reading_sections WHERE id = $1 FOR UPDATE",
        section
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let said = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM comments WHERE section_id = $1) AS "comments!",
                  (SELECT count(*) FROM meeting_questions WHERE section_id = $1) AS "questions!""#,
        section
    )
    .fetch_one(&mut *db)
    .await?;
    if said.comments > 0 {
        return Err(AppError::Conflict(format!(
            "This section's discussion has {} comment{}, so it stays: rename it or move its date instead.",
            said.comments,
            if said.comments == 1 { "" } else { "s" }
        )));
    }
    if said.questions > 0 {
        return Err(AppError::Conflict(
            "A meeting's questions are about this section, so it stays: rename it or move its date instead.".into(),
        ));
    }
    let done = sqlx::query!("DELETE FROM reading_sections WHERE id = $1", section)
        .execute(&mut *db)
        .await?;
    changed_one_row(done)?;
    Ok(f.book)
}

/// Sets how far the viewer has read `book`: every section up to `through`
/// (in the schedule's order) finished, none after it; nothing when
/// `through` is empty (it is a section's id, as the form's list sends it). `hidden` keeps it from the other readers.
pub async fn set_progress(
    db: &mut PgConnection,
    book: Uuid,
    viewer: Option<&SessionUser>,
    through: Option<&str>,
    place: Option<&str>,
    hidden: bool,
) -> AppResult<Uuid> {
    let (b, _) = book_allowed(db, book, viewer, ReadingAction::TrackProgress, READERS_ONLY).await?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let mut checks = Checks::new();
    let through = checks.check(chosen_id(
        through,
        "through",
        "Choose a section from the list.",
    ));
    let place = checks.check(reading_place(place.unwrap_or_default(), b.pages));
    let (through, place) = checks.done(|| through.zip(place))?;
    let finished = match through {
        None => Vec::new(),
        Some(through) => up_to(db, book, through).await?,
    };
    sqlx::query!(
        "DELETE FROM reading_marks m USING reading_sections s
          WHERE s.id = m.section_id AND s.book_id = $1 AND m.user_id = $2 AND m.section_id <> ALL($3)",
        book,
        me,
        &finished
    )
    .execute(&mut *db)
    .await?;
    mark(db, &finished, me).await?;
    let (page, percent) = match place {
        Some(Place::Page(page)) => (Some(page), None),
        Some(Place::Percent(percent)) => (None, Some(percent)),
        None => (None, None),
    };
    if place.is_some() {
        sqlx::query!(
            "INSERT INTO reading_places (book_id, club_id, user_id, page, percent) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (book_id, user_id) DO UPDATE SET page = $4, percent = $5, updated_at = now()",
            book,
            b.club,
            me,
            page,
            percent
        )
        .execute(&mut *db)
        .await?;
    } else {
        sqlx::query!(
            "DELETE FROM reading_places WHERE book_id = $1 AND user_id = $2",
            book,
            me
        )
        .execute(&mut *db)
        .await?;
    }
    if hidden {
        sqlx::query!(
            "INSERT INTO reading_privacy (club_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            b.club,
            me
        )
        .execute(&mut *db)
        .await?;
    } else {
        sqlx::query!(
            "DELETE FROM reading_privacy WHERE club_id = $1 AND user_id = $2",
            b.club,
            me
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(b.club)
}

/// Marks `section` and every section before it finished for the viewer
/// (what the discussion's "I've finished this section" does): later marks
/// and the viewer's privacy stay as they are. Answers the section's book.
pub async fn finish(
    db: &mut PgConnection,
    section: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<Uuid> {
    let (f, _) = section_allowed(
        db,
        section,
        viewer,
        ReadingAction::TrackProgress,
        READERS_ONLY,
    )
    .await?;
    let me = viewer.ok_or(AppError::Unauthorized)?.id;
    let finished = up_to(db, f.book, section).await?;
    mark(db, &finished, me).await?;
    Ok(f.book)
}

/// The sections of `book` up to and including `through`, in the order the
/// schedule shows them (a field error when `through` is not one of them).
async fn up_to(db: &mut PgConnection, book: Uuid, through: Uuid) -> AppResult<Vec<Uuid>> {
    let ids = sqlx::query_scalar!(
        r#"WITH ordered AS (
               SELECT id, row_number() OVER (ORDER BY target_date, created_at, id) AS n
                 FROM reading_sections WHERE book_id = $1)
           SELECT o.id AS "id!" FROM ordered o
            WHERE o.n <= (SELECT n FROM ordered WHERE id = $2)"#,
        book,
        through
    )
    .fetch_all(&mut *db)
    .await?;
    if ids.is_empty() {
        return Err(AppError::validation(
            "through",
            "That section is no longer in the schedule. Choose again.",
        ));
    }
    Ok(ids)
}

/// Marks `sections` finished by `me` (those marked already stay as they were).
async fn mark(db: &mut PgConnection, sections: &[Uuid], me: Uuid) -> AppResult<()> {
    sqlx::query!(
        "INSERT INTO reading_marks (section_id, club_id, user_id)
         SELECT s.id, s.club_id, $2 FROM reading_sections s WHERE s.id = ANY($1)
         ON CONFLICT DO NOTHING",
        sections,
        me
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
