//! The profile page's calendar section: the zone times are shown in, and the
//! private feed link for calendar apps.
use leptos::prelude::*;

use super::api::{CalendarPrefs, ResetCalendarFeed, RevokeCalendarFeed, SetTimeZone};
use crate::forms::{field_error, success_flash, ActionResult, Field, FormError, Typed};

#[component]
pub fn CalendarSettingsSection(
    settings: CalendarPrefs,
    /// The time-zone form's last post.
    typed_zone: Typed,
    /// The reset's last post: the link it made, shown once, on the page the
    /// post comes back to.
    made: Typed,
) -> impl IntoView {
    let zone = ServerAction::<SetTimeZone>::new();
    let reset = ServerAction::<ResetCalendarFeed>::new();
    let revoke = ServerAction::<RevokeCalendarFeed>::new();
    let zone_result: ActionResult = Signal::derive(move || zone.value().get());
    let link = made.done_with::<String>();
    let s = settings;
    view! {
        <section class="card" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">"Calendar"</h2>
            <ActionForm action=zone attr:novalidate="" attr:aria-label="Time zone">
                {typed_zone.done().then(|| success_flash("Time zone saved."))}
                <FormError error=field_error(zone_result, "form")/>
                <Field label="Show times in" name="time_zone" value=typed_zone.or("time_zone", s.time_zone.clone())
                    hint="A time zone like Europe/London. Leave empty to see each event in its own zone."
                    error=field_error(zone_result, "time_zone")/>
                <button type="submit" class="secondary">"Save time zone"</button>
            </ActionForm>
            <h3>"Subscribe in your calendar app"</h3>
            <p class="muted">
                "A private link with the events of all your clubs, for Google, Apple or Outlook calendars. "
                "Anyone with the link sees your clubs' events: keep it to yourself, and reset it if it leaks."
            </p>
            {link.map(|url| view! {
                <p class="flash success" role="status">"Your feed (shown once — copy it now): "<code data-testid="feed-link">{url}</code></p>
            })}
            <div class="actions">
                <ActionForm action=reset attr:class="inline-form">
                    <button type="submit" class="secondary">{if s.has_feed { "Reset feed link" } else { "Create feed link" }}</button>
                </ActionForm>
                {s.has_feed.then(|| view! {
                    <ActionForm action=revoke attr:class="inline-form">
                        <button type="submit" class="link-button">"Turn the feed off"</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}
