//! The bell in the header, the settings on `/me`, and the page an
//! unsubscribe link opens. All of it works without JavaScript. The list
//! itself, `/notifications`, is a page of the person's own
//! (`profile::pages::NotificationsPage`): it is shown with
//! `layout::page_view`, a layer above this one (the header shows the bell).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{unsubscribe_check, SaveNotificationPreferences, Unsubscribe};
use super::model::Preference;
use crate::forms::{field_error, success_flash, ActionResult, FormError, Typed};

/// The header's link to `/notifications`, with the unread count (the
/// layout asks for it, with who is signed in: `unread_notifications`).
#[component]
pub fn Bell(unread: i64) -> impl IntoView {
    let label = match unread {
        0 => "Notifications, none unread".to_owned(),
        1 => "Notifications, 1 unread".to_owned(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <A href="/notifications" attr:class="bell" attr:aria-label=label attr:data-testid="bell">
            // Drawn, not an emoji: not every system has an emoji font.
            <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none"
                stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/>
                <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>
            </svg>
            {(unread > 0).then(|| view! { <span class="bell-count" aria-hidden="true" data-testid="bell-count">{unread.min(99)}</span> })}
        </A>
    }
}

/// The profile page's section: per kind, e-mail and in-app on or off.
#[component]
pub fn NotificationSettings(prefs: Vec<Preference>, saved: Typed) -> impl IntoView {
    let save = ServerAction::<SaveNotificationPreferences>::new();
    let result: ActionResult = Signal::derive(move || save.value().get());
    view! {
        <section class="card" aria-labelledby="notifications-heading">
            <h2 id="notifications-heading">"Notifications"</h2>
            <p class="muted">"Times in messages are in your time zone (set under Calendar below), or else the meeting's."</p>
            <ActionForm action=save attr:aria-label="Notification settings">
                {saved.done().then(|| success_flash("Notification settings saved."))}
                <FormError error=field_error(result, "form")/>
                <table class="preferences">
                    <thead>
                        <tr><th scope="col">"Tell me about"</th><th scope="col">"By e-mail"</th><th scope="col">"In Bookwork"</th></tr>
                    </thead>
                    <tbody>
                        {prefs.into_iter().map(|p| {
                            let kind = p.kind.as_str();
                            let label = p.kind.label();
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td><input type="checkbox" name="email[]" value=kind checked=p.email aria-label=format!("{label} by e-mail")/></td>
                                    <td><input type="checkbox" name="in_app[]" value=kind checked=p.in_app aria-label=format!("{label} in Bookwork")/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="submit" aria-busy=move || save.pending().get().then_some("true")>"Save notification settings"</button>
            </ActionForm>
        </section>
    }
}

/// `/unsubscribe?token=…`: what the link turns off, and a button to do it.
/// (Mail programs that offer one-click unsubscribe POST to the same address;
/// see `one_click`.)
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let confirm = ServerAction::<Unsubscribe>::new();
    let target = Resource::new(token, unsubscribe_check);
    let result: ActionResult = Signal::derive(move || confirm.value().get());
    view! {
        <Title text="Stop e-mails"/>
        <section class="card narrow">
            <h1>"Stop e-mails"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match target.await {
                        Ok(t) if t.done => view! {
                            <p role="status" data-testid="unsubscribed">"Done: " {t.email.clone()} " gets no more e-mails about " <strong>{t.kind.label().to_lowercase()}</strong> "."</p>
                            <p class="muted">"You can turn them on again on your profile page."</p>
                        }.into_any(),
                        Ok(t) => view! {
                            <p>"Stop e-mailing " {t.email.clone()} " about " <strong>{t.kind.label().to_lowercase()}</strong> "?"</p>
                            <ActionForm action=confirm>
                                <FormError error=field_error(result, "form")/>
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit">"Stop these e-mails"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(err) => view! { <p class="flash error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
