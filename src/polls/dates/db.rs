//! Date polls in PostgreSQL: an organiser proposes dates and times in the
//! club's zone; members answer each yes / if need be / no; the grid is the
//! club's to see; "plan the meeting" turns the poll into an event
//! (`planning.rs`). The same rules as book polls (`authz.rs`): members
//! answer, organisers run them.
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{
    answers_from_form, best_option, row_number, DateGrid, DateOption, DatePollInput, DateRow,
    MAX_DATES, MIN_DATES,
};
use crate::auth::model::SessionUser;
use crate::error::{AppError, AppResult, Checks};
use crate::polls::access::{
    allowed, closing_time, date_and_time, hold_for_vote, in_the_past, MAX_OPTIONS, ORGANISERS_ONLY,
};
use crate::polls::authz::PollAction;
use crate::polls::model::NewPollForm;

const _: () = assert!(MAX_DATES <= MAX_OPTIONS);

/// The new date poll form: the meeting may be about any book not yet read.
pub async fn new_form(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<NewPollForm> {
    crate::polls::access::new_form(db, club, viewer, &["reading", "up_next", "suggested"]).await
}

/// The rows sent, in order, as (number, key): every `row-N` key of either
/// map, `N` from 1 to [`MAX_ROW_NUMBER`]. Rows past [`MAX_DATES`] are kept
/// (and refused as too many, beside the dates), never dropped in silence;
/// a key of any other shape is in `unknown`.
fn sent_rows(poll: &DatePollInput) -> (Vec<(usize, String)>, bool) {
    let mut unknown = false;
    let mut rows: Vec<(usize, String)> = Vec::new();
    for key in poll.slot_dates.keys().chain(poll.slot_times.keys()) {
        match row_number(key) {
            Some(n) if !rows.iter().any(|(m, _)| *m == n) => rows.push((n, key.clone())),
            Some(_) => {}
            None => unknown = true,
        }
    }
    rows.sort();
    (rows, unknown)
}

pub async fn create(
    db: &mut PgConnection,
    club: Uuid,
    viewer: Option<&SessionUser>,
    poll: &DatePollInput,
) -> AppResult<Uuid> {
    allowed(db, club, viewer, PollAction::Manage, ORGANISERS_ONLY).await?;
    let mut checks = Checks::new();
    let title = poll.title.trim();
    if title.is_empty() {
        checks.add(
            "title",
            "Give the poll a title, like “When do we meet in January?”.",
        );
    } else if title.chars().count() > 255 {
        checks.add("title", "Use at most 255 characters.");
    }
    let place = checks.check(crate::forms::optional_text(&poll.place, "place", 255));
    let book = match poll.book.trim() {
        "" => None,
        id => {
            let book = id.parse::<Uuid>().ok();
            let on_shelf = match book {
                Some(book) => sqlx::query_scalar!(
                    r#"SELECT EXISTS (SELECT 1 FROM books WHERE id = $1 AND club_id = $2 AND shelf <> 'read') AS "on!""#,
                    book,
                    club
                )
                .fetch_one(&mut *db)
                .await?,
                None => false,
            };
            if !on_shelf {
                checks.add("book", "Choose a book from the club's shelf.");
            }
            book
        }
    };
    let closes = closing_time(db, club, &poll.date, &poll.time, &mut checks).await?;
    let slots = slots(db, club, poll, &mut checks).await?;
    // Answers are for choosing: they close before the first date comes.
    if let (Some(closes), Some(first)) = (closes, slots.first()) {
        if closes > *first {
            checks.add(
                "date",
                "Answers must close before the first proposed date. Choose an earlier closing time.",
            );
        }
    }
    let (date, time) = checks.done(|| closes)?;
    let id = sqlx::query_scalar!(
        "INSERT INTO polls (club_id, kind, title, created_by, closes_at, results_live, time_zone, place, book_id)
         SELECT c.id, 'date', $2, $3, ($4::date + $5::time) AT TIME ZONE c.time_zone, true, c.time_zone, $6, $7
           FROM clubs c WHERE c.id = $1
         RETURNING id",
        club,
        title,
        viewer.map(|v| v.id),
        date as _,
        time as _,
        place.flatten(),
        book
    )
    .fetch_one(&mut *db)
    .await
    .map_err(book_removed)?;
    let (days, times): (Vec<NaiveDate>, Vec<NaiveTime>) = slots.into_iter().unzip();
    sqlx::query!(
        "INSERT INTO poll_options (poll_id, position, starts_on, starts_time)
         SELECT $1, n, d, t FROM unnest($2::date[], $3::time[]) WITH ORDINALITY AS s(d, t, n)",
        id,
        &days as _,
        &times as _
    )
    .execute(&mut *db)
    .await?;
    sqlx::query_scalar!(
        r#"SELECT bookwork_private.notify_poll_opened($1) AS "n!""#,
        id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(id)
}

/// A book chosen a moment ago was removed from the shelf meanwhile (its
/// foreign key fails): said in words, on the book field.
pub(in crate::polls) fn book_removed(e: sqlx::Error) -> AppError {
    match e.as_database_error().and_then(|d| d.code()) {
        Some(code) if code == "23503" => AppError::validation(
            "book",
            "That book has just been removed from the shelf. Choose again.",
        ),
        _ => AppError::from(e),
    }
}

/// The proposed dates, checked row by row: each problem beside its field
/// and summed up (the first) for the group, in time order without repeats.
async fn slots(
    db: &mut PgConnection,
    club: Uuid,
    poll: &DatePollInput,
    checks: &mut Checks,
) -> AppResult<Vec<(NaiveDate, NaiveTime)>> {
    let mut slots = Vec::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    let (rows, unknown) = sent_rows(poll);
    if unknown {
        problems.push((
            "slots".to_owned(),
            format!("Propose dates in the rows of this form (at most {MAX_DATES})."),
        ));
    }
    let mut filled = 0;
    for (n, key) in rows {
        let (date_field, time_field) = (format!("slot_date[{key}]"), format!("slot_time[{key}]"));
        let date = poll.slot_dates.get(&key).map_or("", |d| d.trim());
        let time = poll.slot_times.get(&key).map_or("", |t| t.trim());
        if date.is_empty() && time.is_empty() {
            continue;
        }
        filled += 1;
        match date_and_time(date, time) {
            (Some(d), Some(t)) => {
                if slots.contains(&(d, t)) {
                    problems.push((
                        date_field,
                        format!("Date {n} is the same as an earlier one."),
                    ));
                } else if in_the_past(db, club, d, t).await? {
                    problems.push((date_field, format!("Date {n} has already passed.")));
                } else {
                    slots.push((d, t));
                }
            }
            (None, _) => problems.push((
                date_field,
                format!("Date {n}: enter the date as YYYY-MM-DD."),
            )),
            (_, None) => problems.push((
                time_field,
                format!("Date {n}: enter the time as HH:MM (24-hour)."),
            )),
        }
    }
    if filled > MAX_DATES {
        // Said first: it is the problem to fix before any single date.
        problems.insert(
            0,
            (
                "slots".to_owned(),
                format!(
                    "Propose at most {MAX_DATES} dates; this has {filled}. Clear the rows you can do without."
                ),
            ),
        );
    }
    if let Some((_, first)) = problems.first() {
        checks.add("slots", first.clone());
        for (field, message) in problems.into_iter().filter(|(f, _)| f != "slots") {
            checks.add(&field, message);
        }
    } else if slots.len() < MIN_DATES {
        checks.add(
            "slots",
            format!("Propose at least {MIN_DATES} dates to choose between."),
        );
    }
    slots.sort();
    Ok(slots)
}

/// What a date poll is about, read with the poll (`page_data::page`).
pub struct About {
    /// The zone the options were proposed in (the club's).
    pub time_zone: String,
    pub place: String,
    pub book: Option<String>,
    /// The meeting it became, once planned.
    pub event_id: Option<uuid::Uuid>,
}

/// A date poll's grid for the viewer: the options in their zone, counted
/// (by the database, without names: for anyone who may see the poll), the
/// best option, and, when `names` (the club's people), who answered what.
pub async fn grid(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    names: bool,
    p: About,
) -> AppResult<DateGrid> {
    let counted = sqlx::query!(
        r#"SELECT o.id, c.yes AS "yes!", c.maybe AS "maybe!", c.no AS "no!", c.people AS "people!",
                  notice_time((o.starts_on + o.starts_time) AT TIME ZONE p.time_zone,
                              COALESCE(me.time_zone, p.time_zone)) AS "when!"
             FROM poll_options o JOIN polls p ON p.id = o.poll_id
             JOIN bookwork_private.date_poll_counts($1) c ON c.option_id = o.id
             LEFT JOIN users me ON me.id = $2
            WHERE o.poll_id = $1 ORDER BY o.position"#,
        poll,
        viewer.map(|v| v.id)
    )
    .fetch_all(&mut *db)
    .await?;
    let people = counted.first().map_or(0, |o| o.people);
    let options: Vec<DateOption> = counted
        .into_iter()
        .map(|o| DateOption {
            id: o.id,
            when: o.when,
            yes: o.yes,
            maybe: o.maybe,
            no: o.no,
        })
        .collect();
    let index: HashMap<Uuid, usize> = options.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    // Only people who are still the club's voters count (as for ballots);
    // row security shows these rows to the club's people alone.
    let answers = match names {
        false => Vec::new(),
        true => {
            sqlx::query!(
                "SELECT a.user_id, u.name, a.option_id, a.answer
                   FROM date_answers a
                   JOIN polls p ON p.id = a.poll_id
                   JOIN club_members m ON m.club_id = p.club_id AND m.user_id = a.user_id AND m.is_active
                                      AND m.role IN ('member', 'moderator', 'admin')
                   JOIN users u ON u.id = a.user_id AND u.is_active
                  WHERE a.poll_id = $1
                  ORDER BY lower(u.name), a.user_id",
                poll
            )
            .fetch_all(&mut *db)
            .await?
        }
    };
    let mut rows: Vec<(Uuid, DateRow)> = Vec::new();
    let mut mine = vec![None; options.len()];
    for a in answers {
        let Some(&i) = index.get(&a.option_id) else {
            continue;
        };
        if viewer.is_some_and(|v| v.id == a.user_id) {
            mine[i] = Some(a.answer.clone());
        }
        if rows.last().is_none_or(|(user, _)| *user != a.user_id) {
            rows.push((
                a.user_id,
                DateRow {
                    name: a.name,
                    answers: vec![None; options.len()],
                },
            ));
        }
        if let Some((_, row)) = rows.last_mut() {
            row.answers[i] = Some(a.answer);
        }
    }
    Ok(DateGrid {
        place: p.place,
        book: p.book,
        time_zone: p.time_zone,
        best: best_option(&options),
        options,
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        names_shown: names,
        people,
        mine,
        event: p.event_id,
    })
}

/// Saves the viewer's answers (yes / maybe / no per date), changing earlier
/// ones; refused once the poll has closed, as ballots are.
pub async fn answer(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
    answers: &HashMap<String, String>,
) -> AppResult<()> {
    let viewer = hold_for_vote(db, poll, viewer, "your answers were not saved").await?;
    let options = sqlx::query_scalar!(
        "SELECT o.id FROM poll_options o JOIN polls p ON p.id = o.poll_id
          WHERE o.poll_id = $1 AND p.kind = 'date' ORDER BY o.position",
        poll
    )
    .fetch_all(&mut *db)
    .await?;
    if options.is_empty() {
        return Err(AppError::Conflict(
            "This poll ranks books: rank them on the ballot instead.".into(),
        ));
    }
    let (ids, values): (Vec<Uuid>, Vec<String>) =
        answers_from_form(&options, answers)?.into_iter().unzip();
    sqlx::query!(
        "INSERT INTO date_answers (option_id, poll_id, user_id, answer)
         SELECT o, $2, $3, a FROM unnest($1::uuid[], $4::text[]) AS t(o, a)
         ON CONFLICT (option_id, user_id) DO UPDATE SET answer = EXCLUDED.answer, answered_at = now()",
        &ids,
        poll,
        viewer.id,
        &values
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
