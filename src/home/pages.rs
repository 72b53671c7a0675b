use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{community_stats, my_home};
use super::model::MyLists;
use crate::clubs::pages::ClubCard;
use crate::events::model::label;
use crate::events::views::EventRow;

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| community_stats());
    let mine = Resource::new(|| (), |_| my_home());

    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Your book club, organised"</h1>
            <p class="lead">
                "Bookwork keeps track of who is in the club, when you meet, who is coming, "
                "who brings what, and what you are reading."
            </p>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let MyLists { clubs, polls, events, tasks } = mine.await.unwrap_or_default();
                view! {
                    {(!clubs.is_empty()).then(|| view! {
                        <section aria-labelledby="my-clubs-heading">
                            <h2 id="my-clubs-heading">"My clubs"</h2>
                            <ul class="club-list" data-testid="my-clubs">
                                {clubs.into_iter().map(|club| view! { <ClubCard club/> }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {(!polls.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="my-polls-heading">
                            <h2 id="my-polls-heading">"Polls waiting for my vote"</h2>
                            <ul class="event-list" data-testid="my-polls">
                                {polls.into_iter().map(|p| view! {
                                    <li class="event-row">
                                        <a href=format!("/polls/{}", p.id)>{p.title}</a>
                                        <span class="muted">{p.club_name}" · closes "{p.closes}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {(!events.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="my-events-heading">
                            <h2 id="my-events-heading">"My upcoming events"</h2>
                            <ul class="event-list" data-testid="my-events">
                                {events.into_iter().map(|event| view! { <EventRow event show_club=true/> }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {(!tasks.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="my-tasks-heading">
                            <h2 id="my-tasks-heading">"My open tasks"</h2>
                            <ul class="items" data-testid="my-tasks">
                                {tasks.into_iter().map(|t| view! {
                                    <li class="item">
                                        <span class="badge">{label(&t.category).to_owned()}</span>" "
                                        <strong>{t.name.clone()}</strong>" · "{label(&t.status).to_owned()}
                                        <div class="muted">"For "<a href=format!("/events/{}", t.event_id)>{t.event_title.clone()}</a>" · "{t.starts.clone()}</div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                }
            })}
        </Suspense>
        <p><a class="button secondary" href="/clubs">"Discover clubs"</a></p>
        <section class="card" aria-labelledby="community-heading">
            <h2 id="community-heading">"The community today"</h2>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Counting…"</p> }>
                {move || Suspend::new(async move {
                    overview
                        .await
                        .map(|o| {
                            view! {
                                <dl class="stats">
                                    <div>
                                        <dt>"Public clubs"</dt>
                                        <dd data-testid="public-clubs">{o.public_clubs}</dd>
                                    </div>
                                    <div>
                                        <dt>"Upcoming public meetings"</dt>
                                        <dd data-testid="upcoming-events">{o.upcoming_public_events}</dd>
                                    </div>
                                </dl>
                            }
                        })
                })}
            </Suspense>
        </section>
    }
}
