use leptos::prelude::*;
use leptos_meta::Title;

use super::api::community_stats;

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| community_stats());

    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Your book club, organised"</h1>
            <p class="lead">
                "Bookwork keeps track of who is in the club, when you meet, who is coming, "
                "who brings what, and what you are reading."
            </p>
        </section>
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
