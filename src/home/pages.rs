//! The home page: what a visitor needs to start (what Bookwork is, clubs
//! meeting soon, a way in), what a newcomer needs next (join a club or start
//! one), and for a member what comes next (the next meeting and what to read
//! for it, polls and tasks waiting, their clubs).
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{community_stats, my_home};
use super::model::{Community, MyLists, NextRead};
use crate::clubs::model::ClubSummary;
use crate::clubs::pages::ClubCard;
use crate::events::model::{label, EventSummary};
use crate::events::views::{rsvp_word, EventRow};
use crate::layout::ErrorNotice;
use crate::ui::grouped;

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| community_stats());
    let mine = Resource::new(|| (), |_| my_home());

    view! {
        <Title text=""/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                // The person's own lists are the page: without them (the
                // database away) it is the error page with its status, not
                // a visitor's page. The community's numbers are extra.
                let mine = match mine.await {
                    Ok(mine) => mine,
                    Err(error) => return view! { <ErrorNotice error/> }.into_any(),
                };
                let community = overview.await.ok();
                match mine.name.clone() {
                    None => view! { <VisitorHome community/> }.into_any(),
                    Some(name) if mine.clubs.is_empty() => view! { <NewcomerHome name community/> }.into_any(),
                    Some(name) => view! { <MemberHome name mine community/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VisitorHome(community: Option<Community>) -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Your book club, organised"</h1>
            <p class="lead">
                "Bookwork keeps track of who is in the club, when you meet, who is coming, "
                "who brings what, and what you are reading."
            </p>
            <p class="actions">
                // Signing in is in the header, beside this.
                <a class="button" href="/register">"Create a free account"</a>
                <a class="button secondary" href="/clubs">"Browse clubs"</a>
            </p>
        </section>
        <PublicClubs community heading="Clubs meeting soon"/>
    }
}

#[component]
fn NewcomerHome(name: String, community: Option<Community>) -> impl IntoView {
    view! {
        <section class="hero">
            <h1>{format!("Welcome, {}", first_name(&name))}</h1>
            <p class="lead">"Bookwork works best with your club in it. Join one, or start your own and invite your friends."</p>
            <p class="actions" data-testid="get-started">
                <a class="button" href="/clubs">"Find a club to join"</a>
                <a class="button secondary" href="/clubs/new">"Start a club"</a>
            </p>
        </section>
        <PublicClubs community heading="Public clubs meeting soon"/>
    }
}

#[component]
fn MemberHome(name: String, mine: MyLists, community: Option<Community>) -> impl IntoView {
    let MyLists {
        clubs,
        polls,
        events,
        tasks,
        next_read,
        ..
    } = mine;
    let mut events = events.into_iter();
    let next = events.next();
    let later: Vec<EventSummary> = events.collect();
    view! {
        <section class="page-heading">
            <h1>{format!("Welcome back, {}", first_name(&name))}</h1>
            <a class="button secondary" href="/clubs">"Discover clubs"</a>
        </section>
        {next.map(|event| view! {
            <section class="card" aria-labelledby="my-events-heading" data-testid="my-events">
                <h2 id="my-events-heading">"Coming up"</h2>
                <NextMeeting event next_read/>
                {(!later.is_empty()).then(|| view! {
                    <h3 class="subheading">"Later"</h3>
                    <ul class="event-list">
                        {later.into_iter().map(|event| view! { <EventRow event show_club=true/> }).collect_view()}
                    </ul>
                })}
            </section>
        })}
        {(!polls.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="my-polls-heading">
                <h2 id="my-polls-heading">"Polls waiting for your vote"</h2>
                <ul class="event-list" data-testid="my-polls">
                    {polls.into_iter().map(|p| view! {
                        <li class="event-row">
                            <a href=format!("/polls/{}", p.id)><strong>{p.title}</strong></a>
                            <span class="muted">{p.club_name}" · closes "{p.closes}</span>
                            <a class="button secondary" href=format!("/polls/{}", p.id)>"Vote"</a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!tasks.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="my-tasks-heading">
                <h2 id="my-tasks-heading">"Your tasks"</h2>
                <ul class="items" data-testid="my-tasks">
                    {tasks.into_iter().map(|t| view! {
                        <li class="item">
                            <div>
                                <span class="badge">{label(&t.category).to_owned()}</span>" "
                                <strong>{t.name.clone()}</strong>" · "{label(&t.status).to_owned()}
                                <div class="muted">"For "<a href=format!("/events/{}", t.event_id)>{t.event_title.clone()}</a>" · "{t.starts.clone()}</div>
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="my-clubs-heading">
            <h2 id="my-clubs-heading">"Your clubs"</h2>
            <ul class="club-list" data-testid="my-clubs">
                {clubs.into_iter().map(|club| view! { <ClubCard club/> }).collect_view()}
            </ul>
        </section>
        <CommunityNumbers community/>
    }
}

/// The viewer's next meeting, large: when, where, their answer (or a way
/// to give one), and the book to read for it.
#[component]
fn NextMeeting(event: EventSummary, next_read: Option<NextRead>) -> impl IntoView {
    let answer = event
        .my_rsvp
        .as_deref()
        .map(|s| rsvp_word(s, event.waitlisted));
    let href = format!("/events/{}", event.id);
    let book = next_read.filter(|r| r.event_id == event.id).map(|r| r.book);
    view! {
        <div class="next-meeting" data-testid="next-meeting">
            <p class="eyebrow">"Your next meeting"</p>
            <p class="next-title"><a href=href.clone()>{event.title.clone()}</a></p>
            {event.cancelled.then(|| view! { <span class="badge danger">"Cancelled"</span> })}
            <p>
                <time>{event.starts.clone()}</time>
                <span class="muted">{format!(" ({})", event.zone.replace('_', " "))}</span>
                " · "<a href=format!("/clubs/{}", event.club_id)>{event.club_name.clone()}</a>
                {(!event.location.is_empty()).then(|| format!(" · {}", event.location))}
            </p>
            {book.map(|book| view! {
                <p class="card-fact" data-testid="next-read">"Read " <strong>{book}</strong> " by then."</p>
            })}
            {match answer {
                Some(answer) => view! {
                    <p><span class="badge success" data-testid="my-answer">{answer}</span>" "<a href=href>"Change your answer"</a></p>
                }.into_any(),
                None => view! {
                    <p><a class="button" href=href>"Will you come? Answer"</a></p>
                }.into_any(),
            }}
        </div>
    }
}

/// What a visitor and a newcomer both see below their own part: public
/// clubs meeting soon, and the community's numbers.
#[component]
fn PublicClubs(community: Option<Community>, heading: &'static str) -> impl IntoView {
    let clubs = community
        .as_ref()
        .map(|c| c.featured.clone())
        .unwrap_or_default();
    view! {
        <Featured clubs heading/>
        <CommunityNumbers community/>
    }
}

#[component]
fn Featured(clubs: Vec<ClubSummary>, heading: &'static str) -> impl IntoView {
    (!clubs.is_empty()).then(|| {
        view! {
            <section aria-labelledby="featured-heading">
                <div class="page-heading">
                    <h2 id="featured-heading">{heading}</h2>
                    <a href="/clubs">"See all clubs"</a>
                </div>
                <ul class="club-list" data-testid="featured-clubs">
                    {clubs.into_iter().map(|club| view! { <ClubCard club/> }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn CommunityNumbers(community: Option<Community>) -> impl IntoView {
    community.map(|o| {
        view! {
            <section class="card" aria-labelledby="community-heading">
                <h2 id="community-heading">"The community today"</h2>
                <dl class="stats">
                    <div>
                        <dt>"Public clubs"</dt>
                        <dd data-testid="public-clubs">{grouped(o.public_clubs)}</dd>
                    </div>
                    <div>
                        <dt>"Upcoming public meetings"</dt>
                        <dd data-testid="upcoming-events">{grouped(o.upcoming_public_events)}</dd>
                    </div>
                </dl>
            </section>
        }
    })
}

/// What to call someone in a greeting: the first word of their name.
fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}
