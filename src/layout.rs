//! Page chrome shared by every route: header, navigation, footer, the error
//! boundary and the 404 page.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::api::{current_user, Logout};
use crate::error::AppError;
use crate::notify::api::unread_notifications;
use crate::notify::pages::Bell;

/// Header, main landmark and footer around the routed page.
///
/// `data-hydrated` becomes "true" once the WASM has brought the page's
/// islands to life (the loader script in `app.rs` sets it); the end-to-end
/// tests wait for it before clicking, and the CSS only collapses the phone
/// menu once a script is there to open it again.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Taken here, while this page's owner is current: the error boundary's
    // fallback below may run while another request's is (under load, one
    // page's 403 landed on another page's response).
    let response = PageResponse::current();
    provide_context(crate::forms::FirstProblem::default());

    view! {
        <div class="app" data-hydrated="false">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <div class="container header-row">
                    <a class="brand" href="/">
                        // Drawn inline, not as an <img> of the favicon: an SVG
                        // image is a document of its own to the browser, and
                        // setting it up cost ~75 ms of a slow phone's first
                        // load before the page came alive (a trace, CPU 4×).
                        <svg
                            class="brand-mark"
                            viewBox="0 0 64 64"
                            width="24"
                            height="24"
                            aria-hidden="true"
                            focusable="false"
                        >
                            <rect width="64" height="64" rx="12" fill="#7c3aed"></rect>
                            <path
                                d="M14 18h16a6 6 0 0 1 6 6v24a5 5 0 0 0-5-5H14zM50 18H38a6 6 0 0 0-6 6v24a5 5 0 0 1 5-5h13z"
                                fill="#fff"
                            ></path>
                        </svg>
                        " Bookwork"
                    </a>
                    <MenuButton/>
                    <nav id="site-nav" class="site-nav" aria-label="Main">
                        <A href="/">"Home"</A>
                        <A href="/clubs">"Clubs"</A>
                        <UserMenu/>
                    </nav>
                </div>
            </header>
            <main id="main" class="container" tabindex="-1">
                <Said/>
                <ErrorBoundary fallback=move |errors| {
                    // What went wrong sets the page's status.
                    errors.with_untracked(|errors| {
                        for (_, e) in errors.iter() {
                            if let Some(err) = e.downcast_ref::<AppError>() {
                                response.set_status_for(err);
                            }
                        }
                    });
                    view! {
                        <section class="card error-panel" role="alert">
                            <h1>"Something went wrong"</h1>
                            <ul>
                                {move || {
                                    errors
                                        .get()
                                        .into_iter()
                                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                                        .collect_view()
                                }}
                            </ul>
                            <p><a href="/">"Back to the home page"</a></p>
                        </section>
                    }
                }>{children()}</ErrorBoundary>
            </main>
            <footer class="site-footer">
                <div class="container">"Bookwork · reading together"</div>
            </footer>
        </div>
    }
}

/// What the last action did ("The poll is closed."), said once at the top
/// of the page it led to: after a plain form post, after a script's post
/// (which follows the same redirect) and on a page an action made alike.
/// Server-rendered only: it is read from (and cleared in) the request.
#[component]
fn Said() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let said = crate::platform::flash::take_said();
    #[cfg(not(feature = "ssr"))]
    let said: Option<String> = None;
    said.map(|message| {
        view! { <p class="flash success said" role="status" data-testid="said">{message}</p> }
    })
}

/// The button that opens the main navigation on a phone: an island of its
/// own. The navigation itself (links, the signed-in menu) is the server's
/// and stays outside it: the island finds it by its id. (An island holding
/// the navigation as its children would put Leptos's island-children
/// machinery around the page's sign-in reads for nothing.)
#[island]
fn MenuButton() -> impl IntoView {
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        let open = open.get();
        if let Some(nav) = document().get_element_by_id("site-nav") {
            let _ = nav.class_list().toggle_with_force("open", open);
        }
    });
    view! {
        <button
            type="button"
            class="nav-toggle"
            aria-controls="site-nav"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)
        >
            "Menu"
        </button>
    }
}

/// The page for anything that does not exist (or that the viewer may not know
/// exists). Sets the HTTP status to 404 when rendered on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Page not found"/>
        <section class="card not-found">
            <p class="eyebrow">"404"</p>
            <h1>"We couldn't find that page"</h1>
            <p>"It may have moved, or it may be private. Check the address, or start again from the home page."</p>
            <p><a class="button" href="/">"Go to the home page"</a></p>
        </section>
    }
}

/// The one way a page shows what it read. `load` awaits the page's
/// resources (made at the top of the page component: a resource made while
/// a Suspense resolves can leave the render waiting for ever, leptos#4866)
/// and gives what the page shows, or why it cannot: a visitor where signing
/// in is needed is sent to sign in and back here, a missing or hidden thing
/// is the 404 page, anything else the error page with its status. `show`
/// builds the page from it, so a page component is its resources and view.
pub fn page_view<T, Load, Fut, Show>(load: Load, show: Show) -> impl IntoView
where
    T: Send + 'static,
    Load: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    Show: Fn(T) -> AnyView + Clone + Send + Sync + 'static,
{
    let here = crate::auth::pages::page_location();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let (load, show) = (load.clone(), show.clone());
                Suspend::new(async move {
                    match load().await {
                        Ok(data) => show(data),
                        Err(AppError::Unauthorized) => {
                            crate::auth::pages::sign_in_and_back(here)
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `page_view` for a page only signed-in people use (the forms that create
/// and edit things): a visitor is sent to sign in and back here first.
/// Its resources are created by the page (at its top), as for `page_view`.
pub fn signed_in_page_view<T, Load, Fut, Show>(load: Load, show: Show) -> impl IntoView
where
    T: Send + 'static,
    Load: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    Show: Fn(T) -> AnyView + Clone + Send + Sync + 'static,
{
    view! { <crate::auth::pages::SignInRequired>{page_view(load, show)}</crate::auth::pages::SignInRequired> }
}

/// What a page says when loading it failed, and (on the server) the status
/// that goes with it: 404 for something hidden or missing (the styled
/// page), 503 with `Retry-After` while the database is unreachable, ...
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound/> }.into_any();
    }
    PageResponse::current().set_status_for(&error);
    let heading = match error {
        AppError::Unavailable | AppError::TimedOut => "Bookwork is briefly unavailable",
        _ => "That didn't work",
    };
    view! {
        <section class="card error-panel" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
    .into_any()
}

/// The response a server render answers (nothing in the browser), looked
/// up from the context of the owner current when it is made: make it in the
/// page's own components, never in a callback that may run later.
#[derive(Clone, Default)]
struct PageResponse {
    #[cfg(feature = "ssr")]
    options: Option<leptos_axum::ResponseOptions>,
}

impl PageResponse {
    fn current() -> Self {
        Self {
            #[cfg(feature = "ssr")]
            options: use_context::<leptos_axum::ResponseOptions>(),
        }
    }

    /// On the server, gives the response the status of `err` (and a
    /// `Retry-After` when waiting helps).
    /// Not for `Unauthorized`: pages that need a sign-in send visitors to it
    /// (`SignInRequired`), and that redirect is the answer.
    #[allow(unused_variables)]
    fn set_status_for(&self, err: &AppError) {
        #[cfg(feature = "ssr")]
        if *err != AppError::Unauthorized {
            if let Some(response) = &self.options {
                response.set_status(
                    http::StatusCode::from_u16(err.status_code())
                        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
                );
                if let Some(secs) = err.retry_after_secs() {
                    response
                        .insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
                }
            }
        }
    }
}

/// Sign-in links for visitors; name and sign-out for signed-in people.
#[component]
fn UserMenu() -> impl IntoView {
    // Read for every page: a session ended elsewhere (sign-out on another
    // device, deactivation) shows at the next page.
    let user = Resource::new(|| (), |_| current_user());
    let unread = Resource::new(|| (), |_| unread_notifications());
    let logout = ServerAction::<Logout>::new();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (user, unread) = (user.await, unread.await.unwrap_or(0));
                match user {
                    Ok(Some(me)) => {
                        view! {
                            {(me.role == "admin").then(|| view! { <A href="/admin/users">"Users"</A><A href="/admin/system">"System"</A> })}
                            <Bell unread/>
                            <A href="/me" attr:data-testid="signed-in-as">{me.name}</A>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">"Sign out"</button>
                            </ActionForm>
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <A href="/login">"Sign in"</A>
                            <A href="/register">"Create account"</A>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The route parameter `name` (`id` in `/clubs/{id}`) as a UUID; `None`
/// when it is not one (the page then answers as for something that does not
/// exist). The one way pages read an id from their address.
pub fn uuid_param(
    name: &'static str,
) -> impl Fn() -> Option<uuid::Uuid> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get(name)
            .and_then(|s| s.parse::<uuid::Uuid>().ok())
    }
}
