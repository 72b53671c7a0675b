//! Book polls over the API: a club's polls, a poll with its options, the
//! caller's ballot and (when the poll shows them) its results round by
//! round, casting a ballot and closing the poll, through `polls::db` and
//! `polls::page_data` as the poll's page does. Date polls are read here
//! too (kind "date"), without their grid.
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::caller::{as_token_holder, Caller, Scope};
use super::idempotency::{self, Created};
use super::paging::{self, Page, PageQuery};
use super::problem::{ApiError, Problem};
use super::reply;
use super::request::{self, Id};
use crate::books::model::BookInput;
use crate::platform::state::AppState;
use crate::polls::model::{PollInput, PollPage, PollSummary};
use crate::polls::{db, nominations, page_data};

/// A poll in a club's list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "1e2d3c4b-5a69-4788-9aab-bccddeeff001", "title": "What we read in spring", "closes": "Sun 20 Dec 2026, 20:00", "open": true, "voted": false}))]
pub struct PollItem {
    pub id: Uuid,
    pub title: String,
    /// When it closes (or closed), in words.
    pub closes: String,
    pub open: bool,
    /// The caller has voted.
    pub voted: bool,
}

impl From<PollSummary> for PollItem {
    fn from(p: PollSummary) -> PollItem {
        PollItem {
            id: p.id,
            title: p.title,
            closes: p.closes,
            open: p.open,
            voted: p.voted,
        }
    }
}

/// A book to choose.
#[derive(Debug, Serialize, ToSchema)]
pub struct Choice {
    pub id: Uuid,
    pub book_id: Option<Uuid>,
    pub title: String,
    pub authors: String,
}

/// One option's votes in a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tally {
    pub option: Uuid,
    pub votes: u32,
}

/// A round of the instant-runoff count.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundResult {
    /// The options still standing, with their votes.
    pub tallies: Vec<Tally>,
    /// Ballots with no option left standing.
    pub exhausted: u32,
    /// The option this round eliminated, if nobody won.
    pub eliminated: Option<Uuid>,
}

/// A poll's count.
#[derive(Debug, Serialize, ToSchema)]
pub struct Results {
    pub ballots: u32,
    pub winner: Option<Uuid>,
    pub rounds: Vec<RoundResult>,
}

/// A poll, as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "1e2d3c4b-5a69-4788-9aab-bccddeeff001", "club_id": "5d1f8a52-8c1e-4d57-a0f4-6a2f4f1b7c10", "title": "What we read in spring", "kind": "book", "closes": "Sun 20 Dec 2026, 20:00", "open": false, "options": [{"id": "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "book_id": "7c1e2b3f-4d4c-4e8a-8b7c-8d9e0f1a2b3c", "title": "Piranesi", "authors": "Susanna Clarke"}, {"id": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", "book_id": "8d2f3c4a-5e5d-4f9b-9c8d-9e0f1a2b3c4d", "title": "Persuasion", "authors": "Jane Austen"}], "my_ranking": ["3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b"], "ballots_cast": 5, "results": {"ballots": 5, "winner": "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "rounds": [{"tallies": [{"option": "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "votes": 3}, {"option": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", "votes": 2}], "exhausted": 0, "eliminated": null}]}, "can_vote": false, "can_manage": false, "nominations": null, "dates": null}))]
pub struct Poll {
    pub id: Uuid,
    pub club_id: Uuid,
    pub title: String,
    /// "book" or "date".
    pub kind: String,
    /// When it closes (or closed), in words.
    pub closes: String,
    pub open: bool,
    pub options: Vec<Choice>,
    /// The caller's ranking: option ids, most preferred first.
    pub my_ranking: Vec<Uuid>,
    pub ballots_cast: Option<i64>,
    /// The count, when the caller may see it (live, or once closed).
    pub results: Option<Results>,
    pub can_vote: bool,
    pub can_manage: bool,
    /// While members nominate books, before the voting opens.
    pub nominations: Option<NominationPhase>,
    /// A date poll's dates and answers (`options` is then empty).
    pub dates: Option<Dates>,
}

/// A book poll's nominations, for the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct NominationPhase {
    /// Most books each member may nominate.
    pub cap: i16,
    /// How many the caller has nominated.
    pub mine: i64,
    pub can_nominate: bool,
}

/// A proposed date and how many can come.
#[derive(Debug, Serialize, ToSchema)]
pub struct DateChoice {
    pub id: Uuid,
    /// When, in words, in the caller's zone.
    pub when: String,
    pub yes: i64,
    /// "If need be".
    pub maybe: i64,
    pub no: i64,
    /// The caller's answer: yes, maybe or no.
    pub my_answer: Option<String>,
}

/// A date poll's dates.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dates {
    pub place: String,
    pub book: Option<String>,
    /// The zone the dates were proposed in (the club's).
    pub time_zone: String,
    pub options: Vec<DateChoice>,
    /// The date with the most yes, then the most "if need be" (the
    /// earlier on a tie); null while nobody can come to any.
    pub best: Option<Uuid>,
    /// How many answered.
    pub people: i64,
    /// The meeting planned from it.
    pub event_id: Option<Uuid>,
}

impl From<PollPage> for Poll {
    fn from(p: PollPage) -> Poll {
        let ids: Vec<Uuid> = p.options.iter().map(|o| o.id).collect();
        let results = p.outcome.map(|outcome| Results {
            ballots: outcome.ballots,
            winner: outcome.winner.and_then(|w| ids.get(w).copied()),
            rounds: outcome
                .rounds
                .iter()
                .map(|round| RoundResult {
                    tallies: round
                        .votes
                        .iter()
                        .enumerate()
                        .filter_map(|(i, votes)| {
                            Some(Tally {
                                option: *ids.get(i)?,
                                votes: (*votes)?,
                            })
                        })
                        .collect(),
                    exhausted: round.exhausted,
                    eliminated: round.eliminated.and_then(|e| ids.get(e).copied()),
                })
                .collect(),
        });
        let nominations = p.nominations.map(|n| NominationPhase {
            cap: n.cap,
            mine: n.mine,
            can_nominate: n.can_nominate,
        });
        let dates = p.dates.map(|grid| {
            let best = grid.best.and_then(|b| grid.options.get(b)).map(|o| o.id);
            Dates {
                place: grid.place,
                book: grid.book,
                time_zone: grid.time_zone,
                best,
                options: grid
                    .options
                    .into_iter()
                    .enumerate()
                    .map(|(i, o)| DateChoice {
                        id: o.id,
                        when: o.when,
                        yes: o.yes,
                        maybe: o.maybe,
                        no: o.no,
                        my_answer: grid.mine.get(i).cloned().flatten(),
                    })
                    .collect(),
                people: grid.people,
                event_id: grid.event,
            }
        });
        Poll {
            nominations,
            dates,
            id: p.id,
            club_id: p.club_id,
            title: p.title,
            kind: p.kind,
            closes: p.closes,
            open: p.open,
            options: p
                .options
                .into_iter()
                .map(|o| Choice {
                    id: o.id,
                    book_id: o.book_id,
                    title: o.title,
                    authors: o.authors,
                })
                .collect(),
            my_ranking: p.my_ranking,
            ballots_cast: p.ballots_cast,
            results,
            can_vote: p.can_vote,
            can_manage: p.can_manage,
        }
    }
}

/// A ballot: the options in the order the caller prefers them (those left
/// out are not ranked; an empty list withdraws the ballot's rankings).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ranking": ["3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"]}))]
pub struct Ballot {
    pub ranking: Vec<Uuid>,
}

pub(super) async fn poll_of(
    db: &mut sqlx::PgConnection,
    id: Uuid,
    caller: &Caller,
) -> Result<Poll, ApiError> {
    Ok(page_data::page(db, id, Some(&caller.me)).await?.into())
}

/// A club's polls, open ones first.
#[utoipa::path(
    get, operation_id = "list_club_polls", path = "/clubs/{id}/polls", tag = "polls",
    params(("id" = Uuid, Path, description = "The club"), PageQuery),
    responses(
        (status = 200, description = "A page of polls", body = Page<PollItem>,
         headers(("Link" = String, description = "The next page"), ("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "A query or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn of_club(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let query: PageQuery = request::query(&parts)?;
    let polls = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        Ok(db::club_polls(db, club, Some(&caller.me)).await?)
    })
    .await?;
    let polls = polls.polls.into_iter().map(PollItem::from).collect();
    let page = paging::page_of(polls, query.cursor.as_deref(), query.limit)?;
    Ok(paging::reply(&parts, &page))
}

/// A poll, with the caller's ballot and, when it shows them, its results.
#[utoipa::path(
    get, operation_id = "get_poll", path = "/polls/{id}", tag = "polls",
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The poll", body = Poll, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let poll = as_token_holder(&state, &parts, Scope::Read, async |db, caller| {
        poll_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &poll))
}

/// Casts or changes the caller's ballot in an open book poll (its club's
/// members). A ballot that arrives as the poll closes is either counted or
/// refused, never lost in between.
#[utoipa::path(
    put, operation_id = "put_my_ballot", path = "/polls/{id}/ballot", tag = "polls", request_body = Ballot,
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The poll with the ballot counted", body = Poll, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The poll is closed (or still taking nominations)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An option not in this poll, or one ranked twice", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn vote(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let ballot: Ballot = request::body(&bytes)?;
    // As the ballot form sends it: rank[option-<id>] = 1, 2, …
    let ranks: HashMap<String, String> = ballot
        .ranking
        .iter()
        .enumerate()
        .map(|(i, option)| (format!("option-{option}"), (i + 1).to_string()))
        .collect();
    if ranks.len() != ballot.ranking.len() {
        return Err(
            crate::error::AppError::validation("ranking", "Rank each book at most once.").into(),
        );
    }
    let poll = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        db::vote(db, id, Some(&caller.me), &ranks).await?;
        poll_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &poll))
}

/// Closes a poll now (the club's organisers): its results are final.
#[utoipa::path(
    post, operation_id = "close_poll", path = "/polls/{id}/closing", tag = "polls",
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The poll, closed, with its results", body = Poll, headers(("ETag" = String))),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn close(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let poll = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        db::close(db, id, Some(&caller.me)).await?;
        poll_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &poll))
}

/// A book poll to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "What we read in spring", "closes_date": "2026-12-20", "closes_time": "20:00", "books": ["3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e"], "results_live": false, "nominate": false}))]
pub struct NewPoll {
    pub title: String,
    /// When it closes, in the club's zone: YYYY-MM-DD.
    pub closes_date: String,
    /// HH:MM, 24-hour.
    pub closes_time: String,
    /// Books from the club's shelf (suggested or up next); at least two
    /// unless members nominate.
    #[serde(default)]
    pub books: Vec<Uuid>,
    /// Show the count while it is open.
    #[serde(default)]
    pub results_live: bool,
    /// Members nominate books first, up to `cap` each (1 to 10).
    #[serde(default)]
    pub nominate: bool,
    #[serde(default, deserialize_with = "request::whole_number")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 10)]
    pub cap: Option<i32>,
}

/// A book put forward while a poll takes nominations: one from the shelf,
/// or a new one by title and authors.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"book_id": null, "title": "Piranesi", "authors": "Susanna Clarke"}))]
pub struct Nomination {
    #[serde(default)]
    pub book_id: Option<Uuid>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub authors: String,
}

/// Opens a book poll (the club's organisers); its members are told.
#[utoipa::path(
    post, operation_id = "create_poll", path = "/clubs/{id}/polls", tag = "polls", request_body = NewPoll,
    params(("id" = Uuid, Path, description = "The club"),
           ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key returns the first answer instead of a second poll (kept 24 hours)", min_length = 1, max_length = 255, pattern = "^[!-~]+$")),
    responses(
        (status = 201, description = "The new poll", body = Poll,
         headers(("Location" = String, description = "The poll's address"), ("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such club, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A book is already in an open poll", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, or an Idempotency-Key used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    Id(club): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let new: NewPoll = request::body(&bytes)?;
    let input = PollInput {
        title: new.title,
        date: new.closes_date,
        time: new.closes_time,
        books: new.books.iter().map(Uuid::to_string).collect(),
        results_live: new.results_live,
        nominate: new.nominate,
        cap: new.cap.map(|c| c.to_string()).unwrap_or_else(|| "2".into()),
    };
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        idempotency::once(db, caller, &parts, &bytes, async |db| {
            let id = db::create(db, club, Some(&caller.me), &input).await?;
            created(db, id, caller).await
        })
        .await
    })
    .await
}

/// A new poll's answer: its address and the poll.
pub(super) async fn created(
    db: &mut sqlx::PgConnection,
    id: Uuid,
    caller: &Caller,
) -> Result<Created, ApiError> {
    let poll = poll_of(db, id, caller).await?;
    Ok(Created {
        location: format!("/api/v1/polls/{id}"),
        body: serde_json::to_value(poll).unwrap_or_default(),
    })
}

/// Puts a book forward while the poll takes nominations (the club's
/// members, up to the poll's cap each).
#[utoipa::path(
    post, operation_id = "nominate_book", path = "/polls/{id}/nominations", tag = "polls", request_body = Nomination,
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The poll with the book among its options", body = Poll, headers(("ETag" = String))),
        (status = 400, description = "A body or id it cannot read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll or book, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not taking nominations", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The caller's nominations used up, the poll full, the book in it already, or not a book from the shelf", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn nominate(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let nomination: Nomination = request::body(&bytes)?;
    let new_book = BookInput {
        title: nomination.title,
        authors: nomination.authors,
        ..Default::default()
    };
    let book = nomination
        .book_id
        .map(|b| b.to_string())
        .unwrap_or_default();
    let poll = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        nominations::nominate(db, id, Some(&caller.me), &book, &new_book).await?;
        poll_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &poll))
}

/// Ends the nominations and opens the voting (the club's organisers).
#[utoipa::path(
    post, operation_id = "open_voting", path = "/polls/{id}/voting", tag = "polls",
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The poll, open for ballots", body = Poll, headers(("ETag" = String))),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not taking nominations, or too few books to choose from", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn open_voting(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let poll = as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        nominations::start_voting(db, id, Some(&caller.me)).await?;
        poll_of(db, id, caller).await
    })
    .await?;
    Ok(reply::json(&parts, &poll))
}

/// Deletes a poll with its options, ballots and answers (the club's
/// organisers; site moderators, as moderation).
#[utoipa::path(
    delete, operation_id = "delete_poll", path = "/polls/{id}", tag = "polls",
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to delete it, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    // The method is the confirmation the page's ticked box gives.
    as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
        Ok(db::delete(db, id, Some(&caller.me), true).await?)
    })
    .await?;
    Ok(reply::no_content())
}

/// The winner of a poll, now the club's next read.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"title": "Piranesi", "back_to_suggestions": ["Persuasion"]}))]
pub struct NextRead {
    pub title: String,
    /// Books that were up next and went back to the suggestions.
    pub back_to_suggestions: Vec<String>,
}

/// Puts a closed book poll's winner on the club's "up next" shelf (the
/// club's organisers); what was up next goes back to the suggestions.
#[utoipa::path(
    post, operation_id = "make_next_read", path = "/polls/{id}/next-read", tag = "polls",
    params(("id" = Uuid, Path, description = "The poll")),
    responses(
        (status = 200, description = "The club's next read", body = NextRead),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not one of the club's organisers, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such poll, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still open, no winner, or the winner is up next already", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn next_read(
    State(state): State<AppState>,
    Id(id): Id,
    parts: Parts,
) -> Result<Response, ApiError> {
    let (title, back_to_suggestions) =
        as_token_holder(&state, &parts, Scope::Write, async |db, caller| {
            Ok(db::make_next_read(db, id, Some(&caller.me)).await?)
        })
        .await?;
    Ok(reply::json(
        &parts,
        &NextRead {
            title,
            back_to_suggestions,
        },
    ))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(of_club, create))
        .routes(routes!(read, delete))
        .routes(routes!(vote))
        .routes(routes!(close))
        .routes(routes!(nominate))
        .routes(routes!(open_voting))
        .routes(routes!(next_read))
}
