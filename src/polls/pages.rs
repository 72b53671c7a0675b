//! `/clubs/{id}/polls/new`, `/polls/{id}` (the ballot, the results as a
//! round-by-round table and chart, and for organisers and site moderators
//! the poll's deletion, confirmed with a box to tick), and the club page's
//! polls section. All server-rendered and usable without JavaScript: a
//! ballot is a number select per book. The nominations and deletion
//! sections are in `views.rs`, the results in `results.rs`.
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{
    get_poll, poll_form, polls_of_club, ClosePoll, CreatePoll, DeletePoll, MakeNextRead, Nominate,
    StartVoting, Vote,
};
use super::ballot::RankRows;
use super::dates::api::AnswerDates;
use super::dates::pages::DatePoll;
use super::model::{rank_field, PollPage};
use super::results::Results;
use super::views::{DeletePollSection, NominationsSection};
use crate::auth::pages::urlencode;
use crate::clubs::authz::Actor;
use crate::error::AppError;
use crate::forms::{field_error, remembered, success_flash, ActionResult, Field, FormError, Typed};
use crate::layout::{page_view, signed_in_page_view, uuid_param};
use crate::ui::Confirm;

#[component]
pub fn NewPollPage() -> impl IntoView {
    let id = uuid_param("id");
    let create = ServerAction::<CreatePoll>::new();
    let typed = remembered::<CreatePoll>();
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => poll_form(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let result: ActionResult = Signal::derive(move || create.value().get());
    view! {
        <Title text="New book poll"/>
        {signed_in_page_view(
            move || async move {
                let typed = typed.await;
                Ok((typed, form.await?))
            },
            move |(typed, f)| {
                let typed = typed.for_form("club", f.club_id);
                let ticked: Vec<String> = typed.get("books[]").into_iter().collect();
                view! {
                    <section class="card narrow">
                        <p><a href=format!("/clubs/{}", f.club_id)>"← " {f.club_name.clone()}</a></p>
                        <h1>"New book poll"</h1>
                        <p class="muted">"Members rank the books they would like to read; the count is instant-runoff, so a split majority cannot lose to a minority."</p>
                        <ActionForm action=create attr:novalidate="" attr:aria-label="New book poll">
                            <FormError error=field_error(result, "form")/>
                            <input type="hidden" name="club" value=f.club_id.to_string()/>
                            <Field label="Title" name="title" value=typed.or("title", "What we read next") error=field_error(result, "title")/>
                            <div class="field-row">
                                <Field label="Closes on" name="date" input_type="date" value=typed.or("date", f.default_date.clone()) error=field_error(result, "date")/>
                                <Field label="At" name="time" input_type="time" value=typed.or("time", "20:00") hint=format!("In the club's time zone, {}.", f.time_zone) error=field_error(result, "time")/>
                            </div>
                            <div class="field checkbox">
                                <label><input type="checkbox" name="nominate" value="on" checked=typed.checked_or("nominate", false)/>" Let members nominate books first (you start the voting)"</label>
                            </div>
                            <Field label="Nominations per member" name="cap" input_type="number" value=typed.or("cap", "2") hint="When members nominate: how many books each may put forward, 1 to 10." error=field_error(result, "cap")/>
                            <fieldset aria-describedby="books-error">
                                <legend>"Books to vote on (with nominations: any you add yourself)"</legend>
                                {f.books.is_empty().then(|| view! { <p class="muted">"The shelf has no suggestions yet: suggest some books first."</p> })}
                                {f.books.iter().map(|b| {
                                    let value = b.id.to_string();
                                    let checked = ticked.contains(&value);
                                    view! {
                                        <div class="field checkbox">
                                            <label><input type="checkbox" name="books[]" value=value checked=checked/>" " {b.title.clone()}
                                                {(!b.authors.is_empty()).then(|| view! { <span class="muted">" · " {b.authors.clone()}</span> })}
                                            </label>
                                        </div>
                                    }
                                }).collect_view()}
                                {move || field_error(result, "books").get().map(|m| view! { <span id="books-error" class="field-error">{m}</span> })}
                            </fieldset>
                            <div class="field checkbox">
                                <label><input type="checkbox" name="results_live" value="on" checked=typed.checked_or("results_live", false)/>" Show results while the poll is open"</label>
                            </div>
                            <button type="submit" aria-busy=move || create.pending().get().then_some("true")>"Open the poll"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
        )}
    }
}

#[component]
pub fn PollPageView() -> impl IntoView {
    let id = uuid_param("id");
    let vote = ServerAction::<Vote>::new();
    let close = ServerAction::<ClosePoll>::new();
    let next = ServerAction::<MakeNextRead>::new();
    let answer = ServerAction::<AnswerDates>::new();
    let nominate = ServerAction::<Nominate>::new();
    let start = ServerAction::<StartVoting>::new();
    let delete = ServerAction::<DeletePoll>::new();
    let typed = remembered::<Vote>();
    let typed_nomination = remembered::<Nominate>();
    let typed_answers = remembered::<AnswerDates>();
    let poll = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_poll(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let voted: ActionResult = Signal::derive(move || vote.value().get());
    let answered: ActionResult = Signal::derive(move || answer.value().get());
    let managed: ActionResult = Signal::derive(move || {
        close
            .value()
            .get()
            .filter(Result::is_err)
            .or_else(|| next.value().get().filter(Result::is_err))
            .or_else(|| start.value().get().filter(Result::is_err))
    });
    let nominated: ActionResult = Signal::derive(move || nominate.value().get());
    let deleted: ActionResult = Signal::derive(move || delete.value().get());
    // A public club's polls are everyone's to see: no sign-in first (a
    // private club's answer "not found" to people outside it).
    view! {
        {page_view(
            move || async move {
                let (typed, typed_answers, typed_nomination) =
                    (typed.await, typed_answers.await, typed_nomination.await);
                Ok(((typed, typed_answers, typed_nomination), poll.await?))
            },
            move |((typed, typed_answers, typed_nomination), p)| {
                let dates = p.dates.clone().map(|grid| view! { <DatePoll p=p.clone() grid answer answered typed=typed_answers/> });
                let nominations = p.nominations.clone().map(|n| view! {
                    <NominationsSection p=p.clone() n nominate nominated typed=typed_nomination/>
                });
                let deletion = p.can_delete.then(|| view! { <DeletePollSection p=p.clone() delete deleted/> });
                let actions = PollActions { vote, close, next, start };
                view! { <Poll p actions voted managed typed/> {nominations} {dates} {deletion} }.into_any()
            }
        )}
    }
}

/// For an open poll, what someone who cannot vote may do instead: sign in,
/// or join the club (a public one; a private club's polls are not shown to
/// people outside it).
fn voting_hint(p: &PollPage, is_book: bool) -> Option<AnyView> {
    if !p.open || p.can_vote || p.nominations.is_some() {
        return None;
    }
    let verb = if is_book { "vote" } else { "answer" };
    match (p.viewer.site, p.viewer.is_member()) {
        (Actor::Anonymous, _) => {
            let next = urlencode(&format!("/polls/{}", p.id));
            Some(view! {
                <p data-testid="vote-hint"><a href=format!("/login?next={next}")>"Sign in"</a>{format!(" and join the club to {verb}.")}</p>
            }.into_any())
        }
        (_, false) => Some(view! {
            <p class="muted" data-testid="vote-hint"><a href=format!("/clubs/{}", p.club_id)>"Join the club"</a>{format!(" to {verb}.")}</p>
        }.into_any()),
        _ => None,
    }
}

/// What a book poll's page can do.
#[derive(Clone, Copy)]
struct PollActions {
    vote: ServerAction<Vote>,
    close: ServerAction<ClosePoll>,
    next: ServerAction<MakeNextRead>,
    start: ServerAction<StartVoting>,
}

#[component]
fn Poll(
    p: PollPage,
    actions: PollActions,
    voted: ActionResult,
    managed: ActionResult,
    typed: Typed,
) -> impl IntoView {
    let PollActions {
        vote,
        close,
        next,
        start,
    } = actions;
    let typed = typed.for_form("poll", p.id);
    let nominating = p.nominations.is_some();
    let status = if nominating {
        format!("Taking nominations; closes {}", p.closes)
    } else if p.open {
        format!("Open until {}", p.closes)
    } else {
        format!("Closed {}", p.closes)
    };
    let is_book = p.dates.is_none();
    let ballots = match (is_book, p.ballots_cast) {
        (_, None) => None,
        (true, Some(1)) => Some("1 ballot cast".to_owned()),
        (true, Some(n)) => Some(format!("{n} ballots cast")),
        (false, Some(1)) => Some("1 person answered".to_owned()),
        (false, Some(n)) => Some(format!("{n} people answered")),
    };
    let hint = voting_hint(&p, is_book);
    let poll_id = p.id.to_string();
    let ballot = (is_book && p.can_vote).then(|| {
        let initial: Vec<String> = p
            .options
            .iter()
            .map(|o| {
                let saved = p
                    .my_ranking
                    .iter()
                    .position(|r| *r == o.id)
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default();
                typed.or(&rank_field(o.id), saved)
            })
            .collect();
        let rows = view! { <RankRows options=p.options.clone() initial/> };
        let has_ballot = !p.my_ranking.is_empty();
        view! {
            <section class="card" aria-labelledby="ballot-heading">
                <h2 id="ballot-heading">{if has_ballot { "Your ballot (you can change it until the poll closes)" } else { "Your ballot" }}</h2>
                <p class="muted">"Rank as many books as you like: 1st is the one you most want to read (choose a place, or move a book up and down). Nobody else sees your ballot."</p>
                <ActionForm action=vote attr:aria-label="Your ballot" attr:data-testid="ballot">
                    {typed.done().then(|| success_flash("Your ballot is saved."))}
                    <FormError error=field_error(voted, "form")/>
                    <input type="hidden" name="poll" value=poll_id.clone()/>
                    {rows}
                    <button type="submit" aria-busy=move || vote.pending().get().then_some("true")>"Save my ballot"</button>
                </ActionForm>
            </section>
        }
    });
    let manage = p.can_manage.then(|| {
        let (close_id, next_id, start_id) = (p.id.to_string(), p.id.to_string(), p.id.to_string());
        let can_make_next =
            !p.open && p.outcome.as_ref().is_some_and(|o| o.winner.is_some()) && !p.winner_shelved;
        view! {
            <div class="actions">
                <FormError error=field_error(managed, "form")/>
                {nominating.then(|| view! {
                    <ActionForm action=start attr:class="inline-form">
                        <input type="hidden" name="poll" value=start_id/>
                        <button type="submit">"End nominations and start voting"</button>
                    </ActionForm>
                })}
                {p.open.then(|| view! {
                    <Confirm
                        label="Close the poll now"
                        question="Close the poll now?"
                        detail="Nobody can vote or change a ballot after this, and the results are counted from the ballots cast so far."
                    >
                        <ActionForm action=close attr:class="inline-form">
                            <input type="hidden" name="poll" value=close_id/>
                            <button type="submit" class="danger">"Close the poll and count"</button>
                        </ActionForm>
                    </Confirm>
                })}
                {can_make_next.then(|| view! {
                    <ActionForm action=next attr:class="inline-form">
                        <input type="hidden" name="poll" value=next_id/>
                        <button type="submit">"Make this our next read"</button>
                    </ActionForm>
                })}
            </div>
        }
    });
    let results = match &p.outcome {
        Some(outcome) => view! { <Results outcome=outcome.clone() options=p.options.clone()/> }.into_any(),
        None => view! { <p class="muted" data-testid="results-hidden">"Results are shown when the poll closes."</p> }.into_any(),
    };
    // Without a ballot or results to show them in, the books are listed.
    let books = (is_book && !nominating && ballot.is_none() && p.outcome.is_none()).then(|| {
        view! {
            <section class="card" aria-labelledby="books-heading">
                <h2 id="books-heading">"The books"</h2>
                <ul class="event-list" data-testid="poll-books">
                    {p.options.iter().map(|o| view! {
                        <li class="event-row">
                            <span>{o.title.clone()}{(!o.authors.is_empty()).then(|| view! { <span class="muted">" · " {o.authors.clone()}</span> })}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let results = (is_book && !nominating).then(|| {
        view! {
            <section class="card" aria-labelledby="results-heading">
                <h2 id="results-heading">"Results"</h2>
                {results}
            </section>
        }
    });
    view! {
        <Title text=p.title.clone()/>
        <p><a href=format!("/clubs/{}", p.club_id)>"← " {p.club_name.clone()}</a></p>
        <h1>{p.title.clone()}</h1>
        <p class="muted" data-testid="poll-status">{status}{ballots.map(|b| format!(" · {b}"))}</p>
        {hint}
        {manage}
        {ballot}
        {books}
        {results}
    }
}

/// The club page's polls: open ones first, with whether the viewer voted,
/// and for organisers a link to open a new one.
#[component]
pub fn ClubPollsSection(club: Signal<Option<Uuid>>) -> impl IntoView {
    let polls = Resource::new(
        move || club.get(),
        |club| async move {
            match club {
                Some(club) => polls_of_club(club).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(c)) = polls.await else { return None };
                (c.can_open || !c.polls.is_empty()).then(|| view! {
                    <section class="card" aria-labelledby="polls-heading" data-testid="club-polls">
                        <h2 id="polls-heading">"Polls"</h2>
                        {c.polls.is_empty().then(|| view! { <p class="muted">"No polls yet."</p> })}
                        <ul class="event-list">
                            {c.polls.into_iter().map(|p| view! {
                                <li class="event-row">
                                    <a href=format!("/polls/{}", p.id)>{p.title}</a>
                                    <span class="muted">{if p.open { format!("open until {}", p.closes) } else { format!("closed {}", p.closes) }}</span>
                                    {(p.open && !p.voted).then(|| view! { <span class="badge">"Not voted yet"</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        {c.can_open.then(|| view! {
                            <p class="actions">
                                <a href=format!("/clubs/{}/polls/new", c.club_id)>"Open a book poll"</a>
                                <a href=format!("/clubs/{}/polls/new-date", c.club_id)>"Propose dates for a meeting"</a>
                            </p>
                        })}
                    </section>
                })
            })}
        </Suspense>
    }
}
