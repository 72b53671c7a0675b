//! What a poll's page shows, read in one go: the poll with the viewer's
//! standing, its options, the viewer's ballot, and the count when results
//! may be seen.
use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::access::{club_and_standing, permitted};
use super::authz::{decide, PollAction};
use super::count::{count, Outcome};
use super::model::{Nominations, PollOption, PollPage};
use crate::auth::model::SessionUser;
use crate::clubs::authz::{ClubAction, Decision};
use crate::error::{AppError, AppResult};

/// The poll as the viewer sees it: options, their own ballot, and the count
/// when results may be seen (live, or after closing). A public club's polls
/// are everyone's to see; who nominated a book is named only to those who
/// may see the club's members, and who answered which date only to the
/// club's people.
pub async fn page(
    db: &mut PgConnection,
    poll: Uuid,
    viewer: Option<&SessionUser>,
) -> AppResult<PollPage> {
    let (club, s) = club_and_standing(db, poll, viewer).await?;
    let s = permitted(s, PollAction::View, "Polls are for the club's people.")?;
    // The viewer's ballot and a date poll's particulars come with it.
    let p = sqlx::query!(
        r#"SELECT p.title, p.kind, p.results_live, p.closed_at IS NULL AND p.closes_at > now() AS "open!",
                  p.nominating, p.nomination_cap,
                  notice_time(COALESCE(p.closed_at, p.closes_at),
                              COALESCE(me.time_zone, c.time_zone)) AS "closes!",
                  (SELECT b.ranking FROM ballots b WHERE b.poll_id = p.id AND b.user_id = $2) AS my_ranking,
                  p.time_zone, COALESCE(p.place, '') AS "place!",
                  (SELECT b.title FROM books b WHERE b.id = p.book_id) AS book, p.event_id
             FROM polls p JOIN clubs c ON c.id = p.club_id
             LEFT JOIN users me ON me.id = $2
            WHERE p.id = $1"#,
        poll,
        viewer.map(|v| v.id)
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound)?;
    let may = |action| decide(s.who, action, s.is_public) == Decision::Allow;
    // The club's people (its members of any role, site staff): they see the
    // number of ballots while results are hidden, and who answered what.
    let club_people = may(PollAction::SeeDateAnswers);
    if p.kind == "date" {
        let about = super::dates::db::About {
            time_zone: p.time_zone.unwrap_or_default(),
            place: p.place,
            book: p.book,
            event_id: p.event_id,
        };
        let dates = super::dates::db::grid(db, poll, viewer, club_people, about).await?;
        return Ok(PollPage {
            id: poll,
            club_id: club,
            club_name: s.name.clone(),
            title: p.title,
            closes: p.closes,
            open: p.open,
            results_live: true,
            options: Vec::new(),
            my_ranking: Vec::new(),
            ballots_cast: Some(dates.people),
            outcome: None,
            can_vote: may(PollAction::Vote) && p.open,
            can_manage: may(PollAction::Manage),
            can_delete: may(PollAction::Delete),
            viewer: s.who,
            winner_shelved: false,
            kind: p.kind,
            dates: Some(dates),
            nominations: None,
            nominated_by: Vec::new(),
        });
    }
    let rows = sqlx::query!(
        r#"SELECT o.id, o.book_id, b.title AS "title!", b.authors AS "authors!",
                  o.nominated_by AS "nominator?", COALESCE(u.name, '') AS "nominated_by!",
                  b.shelf <> 'suggested' AS "moved!"
             FROM poll_options o JOIN books b ON b.id = o.book_id
             LEFT JOIN users u ON u.id = o.nominated_by
            WHERE o.poll_id = $1 ORDER BY o.position"#,
        poll
    )
    .fetch_all(&mut *db)
    .await?;
    let mine = rows
        .iter()
        .filter(|r| r.nominator.is_some() && r.nominator == viewer.map(|v| v.id))
        .count();
    // Who nominated what tells who is in the club (as on the shelf).
    let names =
        crate::clubs::authz::decide(s.who, ClubAction::ListMembers, s.is_public) == Decision::Allow;
    let nominated_by: Vec<String> = rows
        .iter()
        .map(|r| match (&r.nominator, names) {
            (None, _) => String::new(),
            (Some(_), true) => r.nominated_by.clone(),
            (Some(_), false) => "a member".to_owned(),
        })
        .collect();
    // Whether each book has left the suggestions (the winner's button).
    let moved: Vec<bool> = rows.iter().map(|r| r.moved).collect();
    let options: Vec<PollOption> = rows
        .into_iter()
        .map(|r| PollOption {
            id: r.id,
            book_id: r.book_id,
            title: r.title,
            authors: r.authors,
        })
        .collect();
    let can_nominate =
        may(PollAction::Vote) && i64::try_from(mine).unwrap_or(0) < i64::from(p.nomination_cap);
    let nominations = match p.nominating && p.open {
        false => None,
        true => Some(Nominations {
            cap: p.nomination_cap,
            mine: i64::try_from(mine).unwrap_or(0),
            can_nominate,
            // The shelf's suggestions and up next that are not in yet.
            shelf: match can_nominate {
                false => Vec::new(),
                true => sqlx::query_as!(
                    PollOption,
                    r#"SELECT b.id, b.id AS "book_id?", b.title, b.authors FROM books b
                        WHERE b.club_id = $1 AND b.shelf IN ('suggested', 'up_next')
                          AND NOT EXISTS (SELECT 1 FROM poll_options o WHERE o.poll_id = $2 AND o.book_id = b.id)
                        ORDER BY b.title"#,
                    club,
                    poll
                )
                .fetch_all(&mut *db)
                .await?,
            },
        }),
    };
    let my_ranking = p.my_ranking.unwrap_or_default();
    // Counted ballots, without names. The database gives them to people
    // outside the club only once the poll shows its results.
    let rankings = sqlx::query_scalar!(
        r#"SELECT r AS "ranking!" FROM bookwork_private.poll_rankings($1) r"#,
        poll
    )
    .fetch_all(&mut *db)
    .await?;
    let shows = !p.open || p.results_live;
    let outcome = shows.then(|| tally(&options, &rankings));
    let winner_shelved = outcome
        .as_ref()
        .and_then(|o| o.winner)
        .is_some_and(|w| moved[w]);
    Ok(PollPage {
        id: poll,
        club_id: club,
        club_name: s.name.clone(),
        title: p.title,
        closes: p.closes,
        open: p.open,
        results_live: p.results_live,
        ballots_cast: (club_people || shows).then(|| i64::try_from(rankings.len()).unwrap_or(0)),
        options,
        my_ranking,
        outcome,
        can_vote: may(PollAction::Vote) && p.open && !p.nominating,
        can_manage: may(PollAction::Manage),
        can_delete: may(PollAction::Delete),
        viewer: s.who,
        winner_shelved,
        kind: p.kind,
        dates: None,
        nominations,
        nominated_by,
    })
}

/// Counts rankings of option ids over the options in the order added.
fn tally(options: &[PollOption], rankings: &[Vec<Uuid>]) -> Outcome {
    let index: HashMap<Uuid, usize> = options.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let ballots: Vec<Vec<usize>> = rankings
        .iter()
        .map(|r| r.iter().filter_map(|o| index.get(o).copied()).collect())
        .collect();
    count(options.len(), &ballots)
}
