//! The sign-up and sign-in pages: plain form posts (errors come back in the
//! URL), sent without leaving the page when scripts run.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use super::api::{current_user, Login, Register};
use crate::forms::{field_error, remembered, ActionResult, Field, FormError};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    // What was typed before a failed no-JavaScript submission.
    let typed = remembered::<Register>();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let value: ActionResult = Signal::derive(move || action.value().get());
    let login_href = move || match query.read().get("next") {
        Some(n) => format!("/login?next={}", urlencode(&n)),
        None => "/login".to_owned(),
    };

    view! {
        <Title text="Create your account"/>
        <section class="card narrow">
            <h1>"Create your account"</h1>
            <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
            let saved = typed.await;
            view! {
            <ActionForm action=action attr:novalidate="" attr:aria-label="Create your account">
                <input type="hidden" name="next" value=next/>
                <FormError error=field_error(value, "form")/>
                <Field label="Name" name="name" autocomplete="name" value=saved.or("name", "") error=field_error(value, "name")/>
                <Field label="Email" name="email" input_type="email" autocomplete="email" value=saved.or("email", "") error=field_error(value, "email")/>
                <Field
                    label="Password"
                    name="password"
                    input_type="password"
                    autocomplete="new-password"
                    hint="At least 8 characters. A short phrase is easy to remember and hard to guess."
                    error=field_error(value, "password")
                />
                <button type="submit" aria-busy=move || action.pending().get().then_some("true")>
                    {move || if action.pending().get() { "Creating your account…" } else { "Create account" }}
                </button>
            </ActionForm>
            }
            })}
            </Suspense>
            <p class="muted">"Already have an account? " <a href=login_href>"Sign in"</a></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let typed = remembered::<Login>();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let value: ActionResult = Signal::derive(move || action.value().get());
    let register_href = move || match query.read().get("next") {
        Some(n) => format!("/register?next={}", urlencode(&n)),
        None => "/register".to_owned(),
    };

    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
            let saved = typed.await;
            view! {
            <ActionForm action=action attr:novalidate="" attr:aria-label="Sign in">
                <input type="hidden" name="next" value=next/>
                <FormError error=field_error(value, "form")/>
                <Field label="Email" name="email" input_type="email" autocomplete="email" value=saved.or("email", "") error=field_error(value, "email")/>
                <Field
                    label="Password"
                    name="password"
                    input_type="password"
                    autocomplete="current-password"
                    error=field_error(value, "password")
                />
                <button type="submit" aria-busy=move || action.pending().get().then_some("true")>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            }
            })}
            </Suspense>
            <p class="muted">"New here? " <a href=register_href>"Create an account"</a></p>
        </section>
    }
}

/// Percent-encodes a path for use as a query value.
pub fn urlencode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sends a visitor to sign in, and back to this page after (a real 302 on
/// the server): `here` is the page's address from [`page_location`].
pub fn sign_in_and_back(here: (Memo<String>, Memo<String>)) -> AnyView {
    let (path, search) = (here.0.get_untracked(), here.1.get_untracked());
    let here = if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    };
    view! { <Redirect path=format!("/login?next={}", urlencode(&here))/> }.into_any()
}

/// This page's address (path and query) as [`sign_in_and_back`] takes it:
/// read while the page component runs.
pub fn page_location() -> (Memo<String>, Memo<String>) {
    let location = use_location();
    (location.pathname, location.search)
}

/// Shows `children` to signed-in people and sends everyone else to sign in,
/// coming back here afterwards.
///
/// The children are built beside the check, not inside it: a resource created
/// while a Suspense resolves can leave a server-rendered page waiting for ever
/// (leptos-rs/leptos#4866). Their own server functions refuse visitors, and
/// the check's redirect (a real 302 on the server) wins.
#[component]
pub fn SignInRequired(children: Children) -> impl IntoView {
    // Checked once per page visit: re-checking on every sign-in change would
    // rebuild the page (and lose its forms' state) when, say, a name changes.
    let user = Resource::new(|| (), |_| current_user());
    let here = page_location();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => None,
                    _ => Some(sign_in_and_back(here)),
                }
            })}
        </Suspense>
        {children()}
    }
}
