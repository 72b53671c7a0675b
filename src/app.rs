//! The HTML shell and the route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::admin::page::AdminUsersPage;
use crate::admin::system_page::AdminSystemPage;
use crate::auth::pages::{LoginPage, RegisterPage};
use crate::auth::AuthVersion;
use crate::books::pages::{EditBookPage, ShelfPage};
use crate::clubs::members_pages::{InvitePage, MembersPage};
use crate::clubs::pages::{ClubPage, DiscoverPage, EditClubPage, NewClubPage};
use crate::events::pages::{ClubEventsSection, EditEventPage, EventPageView, NewEventPage};
use crate::home::page::HomePage;
use crate::layout::{Layout, NotFound};
use crate::notify::pages::{NotificationsPage, ReadVersion, UnsubscribePage};
use crate::polls::date_pages::{NewDatePollPage, PlanMeetingPage};
use crate::polls::pages::{ClubPollsSection, NewPollPage, PollPageView};
use crate::profile::page::ProfilePage;

/// The document around every server-rendered page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The page's inline hydration script carries this response's nonce; the
    // Content-Security-Policy allows exactly that script and our own files.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
        let csp = crate::platform::security::content_security_policy(nonce.as_deref());
        if let Ok(value) = http::HeaderValue::from_str(&csp) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The club page's events section (events sit above clubs, so the club page
/// is handed it rather than importing it).
fn club_events(club: Signal<Option<uuid::Uuid>>) -> AnyView {
    view! {
        <ClubPollsSection club/>
        <ClubEventsSection club/>
    }
    .into_any()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(AuthVersion(RwSignal::new(0)));
    ReadVersion::provide();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Bookwork".to_owned() } else { format!("{page} · Bookwork") }
        }/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    // Async: the server waits for a page's data and sends it
                    // whole, so every page is complete without JavaScript.
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs") view=DiscoverPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/new") view=NewClubPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id") view=|| view! { <ClubPage section=club_events/> } ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/members") view=MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/books") view=ShelfPage ssr=SsrMode::Async/>
                    <Route path=path!("/books/:id/edit") view=EditBookPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/polls/new") view=NewPollPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/polls/new-date") view=NewDatePollPage ssr=SsrMode::Async/>
                    <Route path=path!("/polls/:id") view=PollPageView ssr=SsrMode::Async/>
                    <Route path=path!("/polls/:id/plan") view=PlanMeetingPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/edit") view=EditClubPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/events/new") view=NewEventPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id") view=EventPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/edit") view=EditEventPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/unsubscribe") view=UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/system") view=AdminSystemPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
