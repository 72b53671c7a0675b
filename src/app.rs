//! The HTML shell and the route table.
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::admin::pages::AdminUsersPage;
use crate::admin::system::pages::AdminSystemPage;
use crate::auth::pages::{LoginPage, RegisterPage};
use crate::books::pages::{BookDetailPage, EditBookPage, ShelfPage};
use crate::clubs::members::pages::{InvitePage, MembersPage};
use crate::clubs::pages::{ClubPage, DiscoverPage, EditClubPage, NewClubPage};
use crate::events::hosting::pages::HostingPage;
use crate::events::pages::{ClubEventsSection, EditEventPage, EventPageView, NewEventPage};
use crate::home::pages::HomePage;
use crate::layout::{Layout, NotFound};
use crate::notify::pages::UnsubscribePage;
use crate::polls::dates::pages::{NewDatePollPage, PlanMeetingPage};
use crate::polls::pages::{ClubPollsSection, NewPollPage, PollPageView};
use crate::profile::pages::{NotificationsPage, ProfilePage};
use crate::reading::meeting_page::MeetingDiscussionPage;
use crate::reading::moderation_page::ModerationPage;
use crate::reading::pages::{BookScheduleSection, ClubReadingSection, ReadingPlanPage, ThreadPage};
use crate::reading::questions_page::QuestionsPage;

/// The document around every server-rendered page.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Islands mode: outside an island nothing is hydrated, so what the page
    // reads is not serialized into it (Leptos's own islands loader does the
    // same; `Bundles` replaces that loader).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <Bundles options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The site's stylesheet and the script that loads the WASM bundle and
/// hydrates the page's islands (`islands.js`). Leptos's `HashedStylesheet` and `HydrationScripts` do
/// the same, but read cargo-leptos's hash file from disk on every render (3 %
/// of a page's time in a profile); the names are worked out once here. The
/// script also says in the console when the bundle fails to load, where
/// Leptos's stays silent and leaves the page quietly unhydrated.
#[cfg(feature = "ssr")]
#[component]
fn Bundles(options: LeptosOptions) -> impl IntoView {
    let names = bundle_names(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let (js, wasm) = (
        format!("{pkg}/{}", names.js),
        format!("{pkg}/{}", names.wasm),
    );
    let script = format!("{}({js:?}, {wasm:?});", include_str!("islands.js"));
    view! {
        <link rel="stylesheet" id="leptos" href=format!("{pkg}/{}", names.css)/>
        <link rel="modulepreload" href=js crossorigin="anonymous"/>
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script>
    }
}

/// The site's stylesheet, by the name it is served under (hashed in a
/// release build): for pages written outside Leptos (`/api/docs`).
#[cfg(feature = "ssr")]
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}", options.site_pkg_dir, bundle_names(options).css)
}

/// The bundles' file names, with the content hashes cargo-leptos puts in
/// them for a release build (listed in its hash file beside the server
/// binary). Read once per process: the files cannot change under a running
/// binary, and every router in it serves the same site.
#[cfg(feature = "ssr")]
struct BundleNames {
    css: String,
    js: String,
    wasm: String,
}

#[cfg(feature = "ssr")]
fn bundle_names(options: &LeptosOptions) -> &'static BundleNames {
    static NAMES: std::sync::OnceLock<BundleNames> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let name = options.output_name.to_string();
        let (mut css, mut js, mut wasm) = (name.clone(), name.clone(), name);
        if options.hash_files {
            let hashes = std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())))
                .and_then(|path| std::fs::read_to_string(path).ok())
                .unwrap_or_else(|| {
                    tracing::error!("file hashing is on but cargo-leptos's hash file is missing");
                    String::new()
                });
            for (kind, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
                let target = match kind.trim() {
                    "css" => &mut css,
                    "js" => &mut js,
                    "wasm" => &mut wasm,
                    _ => continue,
                };
                target.push('.');
                target.push_str(hash.trim());
            }
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            // Built by plain cargo (tests): wasm-bindgen's default name.
            wasm.push_str("_bg");
        }
        BundleNames {
            css: format!("{css}.css"),
            js: format!("{js}.js"),
            wasm: format!("{wasm}.wasm"),
        }
    })
}

/// The club page's reading, polls and events sections (they sit above
/// clubs, so the club page is handed them rather than importing them).
fn club_events(club: Signal<Option<uuid::Uuid>>) -> AnyView {
    view! {
        <ClubReadingSection club/>
        <ClubPollsSection club/>
        <ClubEventsSection club/>
    }
    .into_any()
}

/// The book page's reading schedule (reading sits above books).
fn book_schedule(book: Signal<Option<uuid::Uuid>>) -> AnyView {
    view! { <BookScheduleSection book/> }.into_any()
}

/// The document title for a page's `<Title text=…/>`: "{page} · Bookwork".
/// Every page's title goes through here (the one formatter, set in [`App`]);
/// pages must not set a formatter of their own.
///
/// On the server the result is escaped: leptos_meta 0.8.7 (and 0.9.0-rc1)
/// writes the formatted title into the server-rendered `<head>` as it is
/// (`ServerMetaContextOutput::inject_meta_context` pushes
/// `TitleContext::as_string()` between `<title>` and `</title>`), so a club
/// called `</title><meta http-equiv="refresh" …>` put markup into every
/// visitor's page. No upstream issue existed when this was found
/// (2026-12; see docs/UPSTREAM.md); when leptos_meta escapes the title itself, this would show
/// `&amp;` in tabs and must go: `tests/app/hostile_text.rs` checks the tab
/// shows the real characters. In the browser the title is assigned to
/// `document.title`, which is text, so it stays as typed there.
pub fn document_title(page: String) -> String {
    let title = if page.is_empty() {
        "Bookwork".to_owned()
    } else {
        format!("{page} · Bookwork")
    };
    #[cfg(feature = "ssr")]
    let title = html_escape::encode_text(&title).into_owned();
    title
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        // A page without a title of its own (one that failed to load) is
        // "Bookwork"; a page's own `<Title text=…/>` comes later and wins.
        <Title formatter=document_title text=""/>
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
                    <Route path=path!("/clubs/:id/hosting") view=HostingPage ssr=SsrMode::Async/>
                    <Route path=path!("/clubs/:id/moderation") view=ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/books/:id") view=|| view! { <BookDetailPage section=book_schedule/> } ssr=SsrMode::Async/>
                    <Route path=path!("/books/:id/edit") view=EditBookPage ssr=SsrMode::Async/>
                    <Route path=path!("/books/:id/reading") view=ReadingPlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/reading/:id") view=ThreadPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/questions") view=QuestionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/discussion") view=MeetingDiscussionPage ssr=SsrMode::Async/>
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
